"""Printed dues documents: the month's ledger (党费收缴台账), the annual publication list (党费收缴公示) and the
year's totals (党费收缴汇总).

One QPainter layout (``render_table``) draws a titled table with a repeated header row, totals lines under the
table and 第 x 页 / 共 y 页 on every page, on any paged device: the QPrinter of QPrintPreviewDialog or of a
printer, and the QPdfWriter of ``write_pdf``. ``ledger_document``, ``publication_document`` and
``year_document`` turn ``db.dues`` records into a ``PrintDocument``. Member IDs never appear.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QPagedPaintDevice, QPageLayout, QPageSize, QPainter, QPen

from db.dues import DuesTotals, LedgerEntry, PublicationRow, YearReport, month_label
from db.records import CATEGORIES
from db.rules import DUES_CATEGORIES, date_text, dues_rate_text, fen_to_yuan_text
from desktop.fonts import print_font


def _tr(text: str) -> str:
    return QCoreApplication.translate("dues_print", text)


@dataclass(frozen=True)
class PrintColumn:
    header: str
    weight: float
    align_right: bool = False


@dataclass(frozen=True)
class PrintDocument:
    """What is printed: title, a line under it, the table and the lines under the table (totals, signatures)."""

    title: str
    subtitle: str
    columns: Sequence[PrintColumn]
    rows: Sequence[Sequence[str]]
    footer_lines: Sequence[str] = field(default_factory=tuple)
    landscape: bool = False


def page_layout(landscape: bool) -> QPageLayout:
    orientation = QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    return QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4),
        orientation,
        QMarginsF(15, 15, 15, 15),
        QPageLayout.Unit.Millimeter,
    )


def render_table(device: QPagedPaintDevice, doc: PrintDocument) -> int:
    """Draw ``doc`` on ``device`` (already set to A4 in the document's orientation); returns the number of pages."""
    painter = QPainter(device)
    try:
        mm = device.logicalDpiY() / 25.4
        width, height = device.width(), device.height()
        title_font, head_font = print_font(16, bold=True), print_font(9.5, bold=True)
        cell_font, small_font = print_font(9.5), print_font(9)
        row_h = QFontMetricsF(cell_font, device).height() + 3.2 * mm
        title_h = QFontMetricsF(title_font, device).height() + 3 * mm
        info_h = QFontMetricsF(small_font, device).height() + 2 * mm
        line_h = QFontMetricsF(small_font, device).height() + 1.5 * mm
        footer_h = info_h
        rows = list(doc.rows)
        tail_h = len(doc.footer_lines) * line_h + (2 * mm if doc.footer_lines else 0)
        top_first = title_h + info_h
        per_first = max(1, int((height - top_first - footer_h) // row_h) - 1)
        per_other = max(1, int((height - footer_h) // row_h) - 1)
        # split rows over pages; the footer lines go where they fit (a page of their own if needed)
        chunks: list[list[Sequence[str]]] = []
        rest = rows
        capacity = per_first
        while True:
            chunks.append(rest[:capacity])
            rest = rest[capacity:]
            if not rest:
                break
            capacity = per_other
        last_top = (top_first if len(chunks) == 1 else 0) + (len(chunks[-1]) + 1) * row_h
        needs_extra_page = last_top + tail_h > height - footer_h
        pages = len(chunks) + (1 if needs_extra_page else 0)
        total_weight = sum(c.weight for c in doc.columns) or 1.0
        xs = [0.0]
        for c in doc.columns:
            xs.append(xs[-1] + width * c.weight / total_weight)
        pen = QPen(Qt.GlobalColor.black)
        pen.setWidthF(max(1.0, 0.2 * mm))
        painter.setPen(pen)
        index = 0
        y = 0.0
        for page, chunk in enumerate(chunks):
            if page:
                device.newPage()
            y = 0.0
            if page == 0:
                painter.setFont(title_font)
                painter.drawText(QRectF(0, 0, width, title_h), Qt.AlignmentFlag.AlignCenter, doc.title)
                painter.setFont(small_font)
                painter.drawText(
                    QRectF(0, title_h, width, info_h),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    doc.subtitle,
                )
                y = top_first
            painter.setFont(head_font)
            for col, c in enumerate(doc.columns):
                rect = QRectF(xs[col], y, xs[col + 1] - xs[col], row_h)
                painter.fillRect(rect, Qt.GlobalColor.lightGray)
                painter.drawRect(rect)
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, c.header)
            y += row_h
            painter.setFont(cell_font)
            metrics = QFontMetricsF(cell_font, device)
            for values in chunk:
                for col, c in enumerate(doc.columns):
                    rect = QRectF(xs[col], y, xs[col + 1] - xs[col], row_h)
                    painter.drawRect(rect)
                    inner = rect.adjusted(1.2 * mm, 0, -1.2 * mm, 0)
                    text = metrics.elidedText(str(values[col]), Qt.TextElideMode.ElideRight, inner.width())
                    align = Qt.AlignmentFlag.AlignRight if c.align_right else Qt.AlignmentFlag.AlignHCenter
                    painter.drawText(inner, align | Qt.AlignmentFlag.AlignVCenter, text)
                y += row_h
            index += len(chunk)
            _page_number(painter, width, height, footer_h, small_font, page, pages)
        if needs_extra_page:
            device.newPage()
            y = 0.0
            _page_number(painter, width, height, footer_h, small_font, pages - 1, pages)
        painter.setFont(small_font)
        y += 2 * mm
        for line in doc.footer_lines:
            painter.drawText(
                QRectF(0, y, width, line_h), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, line
            )
            y += line_h
        return pages
    finally:
        painter.end()


def _page_number(
    painter: QPainter,
    width: float,
    height: float,
    footer_h: float,
    font,
    page: int,  # type: ignore[no-untyped-def]
    pages: int,
) -> None:
    painter.setFont(font)
    painter.drawText(
        QRectF(0, height - footer_h, width, footer_h),
        Qt.AlignmentFlag.AlignCenter,
        _tr("第 {0} 页 / 共 {1} 页").format(page + 1, pages),
    )


def write_pdf(path: str | os.PathLike[str], doc: PrintDocument) -> Path:
    """Write ``doc`` as a PDF at ``path`` (temporary name, then rename) and return the path."""
    from desktop.printing.pdf import write_pdf

    write_pdf(
        path, title=doc.title, page_layout=page_layout(doc.landscape), paint=lambda w: render_table(w, doc)
    )
    return Path(path)


def preview(parent, doc: PrintDocument):  # type: ignore[no-untyped-def]
    """A QPrintPreviewDialog over the same layout (not yet shown; call ``open()``)."""
    from desktop.printing.preview import preview_dialog

    return preview_dialog(
        parent, title=doc.title, page_layout=page_layout(doc.landscape), paint=lambda p: render_table(p, doc)
    )


# --- the documents ----------------------------------------------------------------------------------------------


def _totals_line(t: DuesTotals) -> str:
    return _tr("合计：应缴 {0} 元，实缴 {1} 元；应缴 {2} 人，已缴 {3} 人，未缴 {4} 人").format(
        fen_to_yuan_text(t.due_fen),
        fen_to_yuan_text(t.paid_fen),
        t.members_due,
        t.members_paid,
        t.members_due - t.members_paid,
    )


def ledger_document(
    branch_name: str,
    month: date,
    entries: Sequence[LedgerEntry],
    totals: DuesTotals,
    *,
    printed_on: date | None = None,
) -> PrintDocument:
    """The month's ledger (landscape): one line per member, totals and signature lines under it."""
    printed_on = printed_on or date.today()
    columns = [
        PrintColumn("序号", 4),
        PrintColumn("姓名", 8),
        PrintColumn("人员类别", 8),
        PrintColumn("党费类别", 12),
        PrintColumn("缴纳基数", 9, True),
        PrintColumn("比例", 5),
        PrintColumn("应缴(元)", 8, True),
        PrintColumn("实缴(元)", 8, True),
        PrintColumn("缴纳日期", 10),
        PrintColumn("代缴人", 7),
        PrintColumn("备注", 14),
    ]
    rows = []
    for i, e in enumerate(entries, 1):
        rows.append(
            [
                str(i),
                e.member_name,
                CATEGORIES.get(e.member_category, e.member_category),
                DUES_CATEGORIES.get(e.dues_category or "", "未核定"),
                fen_to_yuan_text(e.base_fen) if e.dues_category in ("employed", "retired") else "",
                dues_rate_text(e.rate) if e.dues_category else "",
                fen_to_yuan_text(e.due_fen),
                fen_to_yuan_text(e.paid_fen) if e.paid else _tr("免缴") if e.due_fen == 0 else _tr("未缴"),
                e.paid_on.isoformat() if e.paid_on else "",
                e.proxy_name,
                "；".join(x for x in (_tr("经批准减免") if e.reduced else "", e.note) if x),
            ]
        )
    return PrintDocument(
        _tr("{0}{1}党费收缴台账").format(branch_name, month_label(month)),
        _tr("共 {0} 人    打印日期：{1}").format(len(entries), date_text(printed_on)),
        columns,
        rows,
        [_totals_line(totals), "", _tr("收款人（签字）：____________        支部书记（签字）：____________")],
        landscape=True,
    )


def publication_document(
    branch_name: str,
    year: int,
    rows: Sequence[PublicationRow],
    *,
    through: date | None = None,
    printed_on: date | None = None,
) -> PrintDocument:
    """The annual publication list (党费收缴公示), portrait."""
    printed_on = printed_on or date.today()
    span = (
        _tr("{0}年1月至{1}月").format(year, through.month)
        if through and through.year == year
        else _tr("{0}年全年").format(year)
    )
    columns = [
        PrintColumn("序号", 4),
        PrintColumn("姓名", 8),
        PrintColumn("党费类别", 13),
        PrintColumn("月缴纳额(元)", 10, True),
        PrintColumn("应缴月数", 7, True),
        PrintColumn("实缴月数", 7, True),
        PrintColumn("实缴金额(元)", 10, True),
        PrintColumn("备注", 12),
    ]
    lines = [
        [
            str(i),
            p.member_name,
            p.dues_category,
            fen_to_yuan_text(p.monthly_fen),
            str(p.months_due),
            str(p.months_paid),
            fen_to_yuan_text(p.paid_fen),
            p.note,
        ]
        for i, p in enumerate(rows, 1)
    ]
    due = sum(p.due_fen for p in rows)
    paid = sum(p.paid_fen for p in rows)
    return PrintDocument(
        _tr("{0}{1}年度党费收缴公示").format(branch_name, year),
        _tr("公示范围：{0}    公示日期：{1}").format(span, date_text(printed_on)),
        columns,
        lines,
        [
            _tr("合计：应缴 {0} 元，实缴 {1} 元，共 {2} 人。").format(
                fen_to_yuan_text(due), fen_to_yuan_text(paid), len(rows)
            ),
            _tr("如对公示内容有异议，请于公示之日起 7 日内向党支部反映。"),
            "",
            _tr("{0}（盖章）").format(branch_name),
        ],
    )


def year_document(branch_name: str, report: YearReport, *, printed_on: date | None = None) -> PrintDocument:
    """Month by month totals of a year, portrait."""
    printed_on = printed_on or date.today()
    columns = [
        PrintColumn("月份", 10),
        PrintColumn("应缴金额(元)", 12, True),
        PrintColumn("实缴金额(元)", 12, True),
        PrintColumn("应缴人数", 8, True),
        PrintColumn("实缴人数", 8, True),
        PrintColumn("收缴率", 8, True),
    ]

    def rate(t: DuesTotals) -> str:
        return f"{t.members_paid * 1000 // t.members_due / 10:.1f}%" if t.members_due else ""

    rows = [
        [
            t.label,
            fen_to_yuan_text(t.due_fen),
            fen_to_yuan_text(t.paid_fen),
            str(t.members_due),
            str(t.members_paid),
            rate(t),
        ]
        for t in [*report.months, report.total]
    ]
    return PrintDocument(
        _tr("{0}{1}年党费收缴汇总").format(branch_name, report.year),
        _tr("打印日期：{0}").format(date_text(printed_on)),
        columns,
        rows,
        [_tr("年度合计中，应缴人数为当年应交纳党费的党员数，实缴人数为各月均已交纳的党员数。")],
    )
