"""The election's papers (换届选举): the 请示 and the 选举结果报告 (letters to the upper 党委), the 选举办法, the 选票
and the 计票结果. One QPainter layout each for preview, print and PDF (A4 portrait), every page with its QR code
(``BD1/<kind>/<election uuid>/…``). The texts come from ``db.elections.documents``.

The ballot carries the same code on every copy (the election and page 1/1, never a copy number): the 选举工作条例
forbids numbering ballots, and an identical code tells nothing about a voter.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from db import elections
from db.attachments.tags import PrintCode
from db.elections import documents
from db.store import Database
from desktop.fonts import print_font
from desktop.printing import qr
from desktop.printing.table import PrintColumn, PrintDocument, render_table
from desktop.printing.wrap import wrap
from desktop.qt import *
from desktop.qt import QPrintPreviewDialog  # printing: not in the star import

PAGE_W, PAGE_H = 210.0, 297.0
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 25.0, 22.0, 16.0
TEXT_W = PAGE_W - 2 * MARGIN_X
BODY_PT = 12.0
LINE_H = 8.0


def _a4(device: QPagedPaintDevice) -> None:
    from desktop.printing.pdf import A4_FULL_PAGE

    device.setPageLayout(A4_FULL_PAGE)
    if hasattr(device, "setFullPage"):
        device.setFullPage(True)


def _footer(p: QPainter, k: float, code: PrintCode, index: int, count: int) -> None:
    p.setFont(print_font(9))
    p.drawText(
        QRectF(MARGIN_X * k, (PAGE_H - MARGIN_BOTTOM - 6) * k, TEXT_W * k, 6 * k),
        Qt.AlignmentFlag.AlignCenter,
        f"第 {index + 1} 页 / 共 {count} 页",
    )
    qr.paint_tag(p, code.page(index + 1, count), right=(PAGE_W - 12) * k, bottom=(PAGE_H - 4) * k, mm=k)


def paint_letter(device: QPagedPaintDevice, letter: documents.Letter, code: PrintCode) -> int:
    """A letter: title, addressee, paragraphs indented two characters, the signature lines at the bottom right;
    flows over pages. Returns the page count."""
    k = device.logicalDpiX() / 25.4
    body = print_font(BODY_PT)
    fm = QFontMetricsF(body, device)
    indent = fm.horizontalAdvance("　　")
    lines: list[tuple[str, str]] = []  # (kind, text): "addr", "first", "line", "gap", "close"
    if letter.addressee:
        lines.append(("addr", letter.addressee))
    for para in letter.paragraphs:
        head = wrap(para, fm, TEXT_W * k - indent)[0]
        rest = para[len(head) :].lstrip() if para.startswith(head) else "".join(wrap(para, fm, 1e9)[1:])
        lines.append(("first", head))
        lines += [("line", ln) for ln in wrap(rest, fm, TEXT_W * k)] if rest else []
    lines.append(("gap", ""))
    lines += [("close", c) for c in letter.closing]
    first_top = MARGIN_TOP + 18
    per_first = int((PAGE_H - MARGIN_BOTTOM - 22 - first_top) // LINE_H)
    per_next = int((PAGE_H - MARGIN_BOTTOM - 22 - MARGIN_TOP - 10) // LINE_H)
    pages = [lines[:per_first]]
    rest_lines = lines[per_first:]
    while rest_lines:
        pages.append(rest_lines[:per_next])
        rest_lines = rest_lines[per_next:]
    painter = QPainter(device)
    left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    try:
        for index, page in enumerate(pages):
            if index:
                device.newPage()
            painter.setPen(QPen(QColor("black"), 0.25 * k))
            y = MARGIN_TOP
            if index == 0:
                painter.setFont(print_font(18, bold=True))
                painter.drawText(
                    QRectF(MARGIN_X * k, y * k, TEXT_W * k, 14 * k),
                    Qt.AlignmentFlag.AlignCenter,
                    letter.title,
                )
                y = first_top
            else:
                painter.setFont(print_font(10))
                painter.drawText(
                    QRectF(MARGIN_X * k, y * k, TEXT_W * k, 8 * k), left, f"{letter.title}（续）"
                )
                y += 10
            painter.setFont(body)
            for kind, text in page:
                rect = QRectF(MARGIN_X * k, y * k, TEXT_W * k, LINE_H * k)
                if kind == "first":
                    rect = QRectF(MARGIN_X * k + indent, y * k, TEXT_W * k - indent, LINE_H * k)
                align = (
                    (Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter) if kind == "close" else left
                )
                painter.drawText(rect, align, text)
                y += LINE_H
            _footer(painter, k, code, index, len(pages))
    finally:
        painter.end()
    return len(pages)


def paint_ballot(
    device: QPagedPaintDevice, ballot: documents.Ballot, code: PrintCode, copies: int = 1
) -> int:
    """``copies`` identical ballots, one an A4 page: title, a box above each candidate's name (rows of up to 7),
    blank boxes with a line for a name for 另选他人, the notes. Returns the page count."""
    k = device.logicalDpiX() / 25.4
    per_row = 7
    cell_w, box = TEXT_W / per_row, 11.0
    painter = QPainter(device)
    try:
        for index in range(copies):
            if index:
                device.newPage()
            painter.setPen(QPen(QColor("black"), 0.3 * k))
            y = MARGIN_TOP
            painter.setFont(print_font(18, bold=True))
            painter.drawText(
                QRectF(MARGIN_X * k, y * k, TEXT_W * k, 14 * k), Qt.AlignmentFlag.AlignCenter, ballot.title
            )
            y += 16
            painter.setFont(print_font(11))
            painter.drawText(
                QRectF(MARGIN_X * k, y * k, TEXT_W * k, 8 * k), Qt.AlignmentFlag.AlignCenter, ballot.subtitle
            )
            y += 14

            def cells(entries: list[str], top: float, label: str) -> float:
                painter.setFont(print_font(10, bold=True))
                painter.drawText(
                    QRectF(MARGIN_X * k, top * k, TEXT_W * k, 7 * k),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    label,
                )
                top += 9
                for start in range(0, len(entries), per_row):
                    for i, name in enumerate(entries[start : start + per_row]):
                        x = MARGIN_X + i * cell_w
                        painter.drawRect(QRectF((x + (cell_w - box) / 2) * k, top * k, box * k, box * k))
                        painter.setFont(print_font(13))
                        rect = QRectF(x * k, (top + box + 1) * k, cell_w * k, 9 * k)
                        if name:
                            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, name)
                        else:  # a line to write a name on
                            painter.drawLine(
                                QPointF((x + 3) * k, (top + box + 9) * k),
                                QPointF((x + cell_w - 3) * k, (top + box + 9) * k),
                            )
                    top += box + 16
                return top

            y = cells(list(ballot.names), y, "候选人（按姓氏笔画为序）")
            y = cells([""] * ballot.write_in_boxes, y + 4, "另选他人")
            y += 6
            painter.setFont(print_font(10))
            fm = QFontMetricsF(print_font(10), device)
            for note in ballot.notes:
                for line in wrap(note, fm, TEXT_W * k):
                    painter.drawText(
                        QRectF(MARGIN_X * k, y * k, TEXT_W * k, 6.5 * k),
                        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                        line,
                    )
                    y += 6.5
            qr.paint_tag(painter, code.page(1, 1), right=(PAGE_W - 12) * k, bottom=(PAGE_H - 4) * k, mm=k)
    finally:
        painter.end()
    return copies


def count_document(sheet: documents.CountSheet, code: PrintCode) -> PrintDocument:
    return PrintDocument(
        title=sheet.title,
        subtitle=sheet.subtitle,
        columns=(
            PrintColumn("轮次", 1.0),
            PrintColumn("姓名", 1.6),
            PrintColumn("得票", 1.0),
            PrintColumn("结果", 2.0),
        ),
        rows=[(r.round, r.name, r.votes, r.result) for r in sheet.rows],
        footer_lines=(*sheet.summary, "", *sheet.footer),
        font_pt=11,
        code=code,
    )


@dataclass(frozen=True)
class Paper:
    """One of the election's papers: its printout kind (``branchdesk print``), its name and how it is painted."""

    kind: str
    name: str
    paint: Callable[[Database, elections.Election, QPagedPaintDevice, date, int], int]


def _request(db: Database, e: elections.Election, dev: QPagedPaintDevice, day: date, copies: int) -> int:
    return paint_letter(dev, documents.request_letter(db, e), PrintCode("election-request", e.uuid))


def _method(db: Database, e: elections.Election, dev: QPagedPaintDevice, day: date, copies: int) -> int:
    return paint_letter(dev, documents.election_method(db, e, on=day), PrintCode("election-method", e.uuid))


def _ballot(db: Database, e: elections.Election, dev: QPagedPaintDevice, day: date, copies: int) -> int:
    return paint_ballot(dev, documents.ballot(db, e), PrintCode("ballot", e.uuid), copies)


def _count(db: Database, e: elections.Election, dev: QPagedPaintDevice, day: date, copies: int) -> int:
    from desktop.printing.table import page_layout

    dev.setPageLayout(page_layout(False))
    return render_table(
        dev, count_document(documents.count_sheet(db, e), PrintCode("election-count", e.uuid))
    )


def _report(db: Database, e: elections.Election, dev: QPagedPaintDevice, day: date, copies: int) -> int:
    on = e.report_on or day
    return paint_letter(dev, documents.result_report(db, e, on=on), PrintCode("election-report", e.uuid))


PAPERS: dict[str, Paper] = {
    p.kind: p
    for p in (
        Paper("election-request", "换届选举请示", _request),
        Paper("election-method", "选举办法", _method),
        Paper("ballot", "选票", _ballot),
        Paper("election-count", "计票结果", _count),
        Paper("election-report", "选举结果报告", _report),
    )
}


def _title(db: Database, kind: str) -> str:
    from db.branch import get_branch

    b = get_branch(db)
    return f"{b.name if b else ''}{PAPERS[kind].name}"


def _paint(db: Database, kind: str, election_uuid: str, day: date, copies: int) -> Callable[[Any], int]:
    def paint(device: QPagedPaintDevice) -> int:
        e = elections.get_election(db, uuid=election_uuid)
        if kind != "election-count":
            _a4(device)
        return PAPERS[kind].paint(db, e, device, day, copies)

    return paint


def write_pdf(
    db: Database, kind: str, *, election_uuid: str, path: str | os.PathLike[str], day: date, copies: int = 1
) -> int:
    """Write paper ``kind`` of the election as a PDF; returns the page count."""
    from desktop.printing.pdf import A4_FULL_PAGE
    from desktop.printing.pdf import write_pdf as write
    from desktop.printing.table import page_layout

    layout = page_layout(False) if kind == "election-count" else A4_FULL_PAGE
    result: int = write(
        Path(path),
        title=_title(db, kind),
        page_layout=layout,
        paint=_paint(db, kind, election_uuid, day, copies),
    )
    return result


def preview_dialog(
    db: Database, kind: str, *, election_uuid: str, day: date, copies: int = 1, parent: QWidget | None = None
) -> QPrintPreviewDialog:
    """The print preview of paper ``kind`` (call ``open()`` on it)."""
    from desktop.printing.preview import preview_dialog as dialog
    from desktop.printing.table import page_layout

    layout = page_layout(False) if kind == "election-count" else None
    return dialog(
        parent, title=_title(db, kind), paint=_paint(db, kind, election_uuid, day, copies), page_layout=layout
    )
