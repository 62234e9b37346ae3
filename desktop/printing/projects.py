"""Printed ledgers of the 项目与整改 page: 项目台账 and 检查整改台账 on A4 landscape.

One QPainter layout (``render_ledger``) draws on any paged device: the QPrinter of QPrintPreviewDialog or of a
printer, and the QPdfWriter of ``write_pdf``. Page 1 carries the title, the branch, the period figures
(``db.projects.figures_lines``) and the table; the header row and 第 x 页 / 共 y 页 repeat on every page.
Long cells are cut with … to keep one line per record.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QMarginsF, QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QPagedPaintDevice, QPageLayout, QPageSize, QPainter, QPen

from db.projects import FINDING_STATUSES, Finding, Project, ProjectFigures, fen_to_yuan, figures_lines
from db.rules import date_text
from desktop.fonts import print_font

PAGE_LAYOUT = QPageLayout(
    QPageSize(QPageSize.PageSizeId.A4),
    QPageLayout.Orientation.Landscape,
    QMarginsF(12, 12, 12, 12),
    QPageLayout.Unit.Millimeter,
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("projects_print", text)


def _d(value: date | None) -> str:
    return value.isoformat() if value else ""


Column = tuple[str, float, Callable[[Any], str] | None]

PROJECT_COLUMNS: tuple[Column, ...] = (
    ("序号", 3, None),
    ("项目名称", 20, lambda p: p.title),
    ("类型", 8, lambda p: p.kind_label),
    ("类别", 6, lambda p: p.category_label),
    ("负责人", 6, lambda p: p.leader.name if p.leader else ""),
    ("参与人", 14, lambda p: "、".join(x.name for x in p.participants)),
    ("开始日期", 7.5, lambda p: _d(p.start_on)),
    ("计划完成", 7.5, lambda p: _d(p.due_on)),
    ("状态", 5, lambda p: p.status_label),
    ("最新进展 / 成效", 18, lambda p: p.outcome or (p.progress[-1].note if p.progress else "")),
    ("效益(元)", 7, lambda p: fen_to_yuan(p.benefit_fen)),
)
FINDING_COLUMNS: tuple[Column, ...] = (
    ("序号", 3, None),
    ("发现日期", 7.5, lambda f: _d(f.found_on)),
    ("检查名称", 13, lambda f: f.source),
    ("存在问题", 22, lambda f: f.problem),
    ("整改措施", 18, lambda f: f.measure),
    ("责任人", 6, lambda f: f.owner.name if f.owner else ""),
    ("整改时限", 7.5, lambda f: _d(f.deadline)),
    ("状态", 5.5, lambda f: FINDING_STATUSES[f.status]),
    ("整改完成", 7.5, lambda f: _d(f.rectified_on)),
    ("销号日期", 7.5, lambda f: _d(f.closed_on)),
)


def render_ledger(
    device: QPagedPaintDevice,
    *,
    title: str,
    info: str,
    summary: Sequence[tuple[str, str]],
    columns: Sequence[Column],
    records: Sequence[Any],
) -> int:
    """Draw a ledger on ``device`` (set to A4 landscape); returns the number of pages."""
    painter = QPainter(device)
    try:
        mm = device.logicalDpiY() / 25.4
        width, height = device.width(), device.height()
        title_font, cell_font = print_font(16, bold=True), print_font(9)
        head_font, small_font = print_font(9, bold=True), print_font(8.5)
        row_h = QFontMetricsF(cell_font, device).height() + 3.0 * mm
        title_h = QFontMetricsF(title_font, device).height() + 2 * mm
        line_h = QFontMetricsF(small_font, device).height() + 1.2 * mm
        footer_h = line_h + 1 * mm
        # The summary goes two lines to a row, in two columns.
        summary_rows = (len(summary) + 1) // 2
        first_top = title_h + line_h * (1 + summary_rows) + 2 * mm
        rows_first = max(1, int((height - first_top - footer_h) // row_h) - 1)
        rows_other = max(1, int((height - footer_h) // row_h) - 1)
        remaining = max(0, len(records) - rows_first)
        pages = 1 + (remaining + rows_other - 1) // rows_other if remaining else 1
        total = sum(c[1] for c in columns)
        xs = [0.0]
        for c in columns:
            xs.append(xs[-1] + width * c[1] / total)
        pen = QPen(Qt.GlobalColor.black)
        pen.setWidthF(max(1.0, 0.2 * mm))
        metrics = QFontMetricsF(cell_font, device)
        left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        index = 0
        for page in range(pages):
            if page:
                device.newPage()
            painter.setPen(pen)
            y = 0.0
            if page == 0:
                painter.setFont(title_font)
                painter.drawText(QRectF(0, 0, width, title_h), Qt.AlignmentFlag.AlignCenter, title)
                painter.setFont(small_font)
                painter.drawText(QRectF(0, title_h, width, line_h), left, info)
                for i, (label, value) in enumerate(summary):
                    x = 0.0 if i % 2 == 0 else width / 2
                    yy = title_h + line_h * (1 + i // 2)
                    painter.drawText(QRectF(x, yy, width / 2, line_h), left, f"{label}：{value}")
                y = first_top
            capacity = rows_first if page == 0 else rows_other
            chunk = records[index : index + capacity]
            painter.setFont(head_font)
            for col, (header, _w, _f) in enumerate(columns):
                rect = QRectF(xs[col], y, xs[col + 1] - xs[col], row_h)
                painter.fillRect(rect, Qt.GlobalColor.lightGray)
                painter.drawRect(rect)
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, _tr(header))
            y += row_h
            painter.setFont(cell_font)
            for offset, record in enumerate(chunk):
                for col, (_h, _w, value) in enumerate(columns):
                    rect = QRectF(xs[col], y, xs[col + 1] - xs[col], row_h)
                    painter.drawRect(rect)
                    text = str(index + offset + 1) if value is None else value(record).replace("\n", " ")
                    inner = rect.adjusted(1.0 * mm, 0, -1.0 * mm, 0)
                    text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, inner.width())
                    # Wide (free-text) columns read better left-aligned; short codes and dates centred.
                    align = left if _w >= 13 else Qt.AlignmentFlag.AlignCenter
                    painter.drawText(inner, align, text)
                y += row_h
            index += len(chunk)
            painter.setFont(small_font)
            painter.drawText(
                QRectF(0, height - footer_h, width, footer_h),
                Qt.AlignmentFlag.AlignCenter,
                _tr("第 {0} 页 / 共 {1} 页").format(page + 1, pages),
            )
        return pages
    finally:
        painter.end()


def _ledger_args(
    kind: str, records: Sequence[Any], branch_name: str, figures: ProjectFigures | None, printed_on: date
) -> dict[str, Any]:
    if kind == "projects":
        title, columns, noun = _tr("{0}项目台账").format(branch_name), PROJECT_COLUMNS, _tr("项目")
    else:
        title, columns, noun = _tr("{0}检查整改台账").format(branch_name), FINDING_COLUMNS, _tr("问题")
    info = _tr("共 {0} 个{1}    打印日期：{2}").format(len(records), noun, date_text(printed_on))
    lines = figures_lines(figures) if figures is not None else []
    # Each ledger carries the period and its own figures: projects the first five lines, findings the last three.
    summary = (lines[:5] if kind == "projects" else lines[:1] + lines[-3:]) if lines else []
    return {"title": title, "info": info, "summary": summary, "columns": columns, "records": list(records)}


def render(
    device: QPagedPaintDevice,
    kind: str,
    records: Sequence[Project] | Sequence[Finding],
    branch_name: str,
    *,
    figures: ProjectFigures | None = None,
    printed_on: date | None = None,
) -> int:
    """Draw the 项目台账 (``kind="projects"``) or 检查整改台账 (``kind="findings"``); returns the page count."""
    return render_ledger(
        device, **_ledger_args(kind, records, branch_name, figures, printed_on or date.today())
    )


def write_pdf(
    path: str | os.PathLike[str],
    kind: str,
    records: Sequence[Any],
    branch_name: str,
    *,
    figures: ProjectFigures | None = None,
    printed_on: date | None = None,
) -> Path:
    """Write the ledger as a PDF at ``path`` (temporary name, then rename); returns the path."""
    from desktop.printing.pdf import write_pdf

    write_pdf(
        path,
        title=_tr("项目台账") if kind == "projects" else _tr("检查整改台账"),
        page_layout=PAGE_LAYOUT,
        paint=lambda w: render(w, kind, records, branch_name, figures=figures, printed_on=printed_on),
    )
    return Path(path)


def preview(
    parent: Any, kind: str, records: Sequence[Any], branch_name: str, *, figures: ProjectFigures | None = None
):  # type: ignore[no-untyped-def]
    """A QPrintPreviewDialog over the same layout (not shown yet; call ``open()``). Its toolbar prints; the
    same layout goes to PDF through ``write_pdf``."""
    from desktop.printing.preview import preview_dialog

    records = list(records)
    return preview_dialog(
        parent,
        title=_tr("项目台账") if kind == "projects" else _tr("检查整改台账"),
        page_layout=PAGE_LAYOUT,
        size=(1100, 750),
        paint=lambda p: render(p, kind, records, branch_name, figures=figures),
    )
