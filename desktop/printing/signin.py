"""The sign-in sheet (签到表): one QPainter layout for the print preview, the printer and PDF files.

A4 portrait. Page 1: title 「××党支部 ××会议签到表」, the header (meeting, date and time, place, host, recorder) and the
grid 序号 | 姓名 | 类别 | 党小组 | 本人签名 | 备注 with full members, probationary members (and invited observers) in
separate blocks, then blank rows for walk-ins and the line 应到 __ 人 实到 __ 人 请假 __ 人. Every page repeats the
title and the column header and carries 第 x 页 / 共 y 页. The content comes from ``db.meetings.signin_sheet``; this
module only lays it out, in millimetres scaled to the device's resolution, so preview, print and PDF are identical.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFontMetricsF,
    QPagedPaintDevice,
    QPainter,
    QPen,
)

from db.meetings import SigninRow, SigninSheet
from desktop.fonts import print_font

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrintPreviewDialog
    from PySide6.QtWidgets import QWidget


PAGE_W, PAGE_H = 210.0, 297.0  # A4 portrait, mm
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 15.0, 14.0, 14.0
COLUMNS: tuple[tuple[str, float], ...] = (
    ("序号", 12.0),
    ("姓名", 30.0),
    ("类别", 16.0),
    ("党小组", 32.0),
    ("本人签名", 50.0),
    ("备注", 40.0),
)
TABLE_W = sum(w for _, w in COLUMNS)
ROW_H = 8.5
HEAD_H = 9.0
TITLE_H = 13.0
HEADER_LINE_H = 6.5
HEADER_LINES_FIRST = 3
COUNTS_H = 12.0
FOOTER_H = 8.0


@dataclass(frozen=True)
class _Item:
    kind: str  # "heading" | "row"
    text: str = ""
    row: SigninRow | None = None


def _items(sheet: SigninSheet) -> list[_Item]:
    out: list[_Item] = []
    for heading, rows in sheet.blocks:
        if heading:
            out.append(_Item("heading", heading))
        out.extend(_Item("row", row=r) for r in rows)
    return out


def _grid_top(first_page: bool) -> float:
    header = HEADER_LINES_FIRST * HEADER_LINE_H + 2 if first_page else HEADER_LINE_H
    return MARGIN_TOP + TITLE_H + header


def paginate(sheet: SigninSheet) -> list[list[_Item]]:
    """Split the grid into pages; the counts line always fits under the last row, a block heading never ends a
    page."""
    bottom = PAGE_H - MARGIN_BOTTOM - FOOTER_H
    pages: list[list[_Item]] = [[]]
    y = _grid_top(True) + HEAD_H
    items = _items(sheet)
    for i, item in enumerate(items):
        h = ROW_H
        # keep a heading with its first row
        need = h + (ROW_H if item.kind == "heading" and i + 1 < len(items) else 0)
        if y + need > bottom:
            pages.append([])
            y = _grid_top(False) + HEAD_H
        pages[-1].append(item)
        y += h
    if y + COUNTS_H > bottom:
        pages.append([])
    return pages


class SigninPainter:
    """Paints a sign-in sheet on any paged device (QPdfWriter, QPrinter) at that device's resolution."""

    def __init__(self, sheet: SigninSheet) -> None:
        self.k = 1.0
        self.sheet = sheet
        self.pages = paginate(sheet)

    @property
    def page_count(self) -> int:
        return len(self.pages)

    def paint(self, device: QPagedPaintDevice) -> int:
        """Paint every page onto ``device`` (which must already be set to A4 portrait); returns the page count."""
        painter = QPainter(device)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            # Coordinates are millimetres mapped to device pixels by hand (not painter.scale): fonts are sized in
            # points against the device's resolution and would be scaled twice.
            self.k = device.logicalDpiX() / 25.4
            for index in range(self.page_count):
                if index:
                    device.newPage()
                self.paint_page(painter, index)
        finally:
            painter.end()
        return self.page_count

    # --- one page, in millimetres ----------------------------------------------------------------------------

    def paint_page(self, p: QPainter, index: int) -> None:
        sheet = self.sheet
        first = index == 0
        x0 = MARGIN_X
        y = MARGIN_TOP
        p.setPen(QPen(QColor("black"), 0.25 * self.k))
        p.setFont(print_font(16, bold=True))
        title = sheet.title if first else f"{sheet.title}（续）"
        p.drawText(self._r(x0, y, TABLE_W, TITLE_H), Qt.AlignmentFlag.AlignCenter, title)
        y += TITLE_H
        p.setFont(print_font(10.5))
        if first:
            lines = [
                (f"会议：{sheet.meeting}", ""),
                (f"时间：{sheet.when}", f"地点：{sheet.place}"),
                (f"主持人：{sheet.host}", f"记录人：{sheet.recorder}"),
            ]
            for left, right in lines:
                self._text(p, self._r(x0, y, TABLE_W * (0.62 if right else 1), HEADER_LINE_H), left)
                if right:
                    self._text(p, self._r(x0 + TABLE_W * 0.62, y, TABLE_W * 0.38, HEADER_LINE_H), right)
                y += HEADER_LINE_H
            y += 2
        else:
            self._text(
                p, self._r(x0, y, TABLE_W, HEADER_LINE_H), f"会议：{sheet.meeting}　时间：{sheet.when}"
            )
            y += HEADER_LINE_H
        # column header
        p.setFont(print_font(10.5, bold=True))
        p.fillRect(self._r(x0, y, TABLE_W, HEAD_H), QColor(225, 225, 225))
        x = x0
        for name, w in COLUMNS:
            p.drawRect(self._r(x, y, w, HEAD_H))
            p.drawText(self._r(x, y, w, HEAD_H), Qt.AlignmentFlag.AlignCenter, name)
            x += w
        y += HEAD_H
        for item in self.pages[index]:
            if item.kind == "heading":
                p.setFont(print_font(10, bold=True))
                p.fillRect(self._r(x0, y, TABLE_W, ROW_H), QColor(243, 243, 243))
                p.drawRect(self._r(x0, y, TABLE_W, ROW_H))
                self._text(p, self._r(x0 + 2, y, TABLE_W - 4, ROW_H), item.text)
            else:
                assert item.row is not None
                self._row(p, x0, y, item.row)
            y += ROW_H
        if index == self.page_count - 1:
            p.setFont(print_font(11))
            y += 4

            def n(value: int | None) -> str:
                return f" {value} " if value is not None else "＿＿＿"

            counts = f"应到{n(sheet.expected)}人　　　实到{n(sheet.present)}人　　　请假{n(sheet.leave)}人"
            self._text(p, self._r(x0, y, TABLE_W, COUNTS_H - 4), counts)
        p.setFont(print_font(9))
        p.drawText(
            self._r(x0, PAGE_H - MARGIN_BOTTOM - FOOTER_H + 2, TABLE_W, FOOTER_H),
            Qt.AlignmentFlag.AlignCenter,
            f"第 {index + 1} 页 / 共 {self.page_count} 页",
        )

    def _row(self, p: QPainter, x0: float, y: float, row: SigninRow) -> None:
        values = [
            str(row.number) if row.number is not None else "",
            row.name,
            row.category,
            row.party_group,
            "",
            row.note,
        ]
        x = x0
        p.setFont(print_font(10.5))
        for (name, w), value in zip(COLUMNS, values):
            rect = self._r(x, y, w, ROW_H)
            p.drawRect(rect)
            if value:
                align = (
                    Qt.AlignmentFlag.AlignCenter
                    if name in ("序号", "类别")
                    else (Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)
                )
                inner = rect.adjusted(1.5 * self.k, 0, -1.5 * self.k, 0)
                if name == "备注":
                    p.setFont(print_font(9))
                text = QFontMetricsF(p.font(), p.device()).elidedText(
                    value, Qt.TextElideMode.ElideRight, inner.width()
                )
                p.drawText(inner, align, text)
            x += w

    def _r(self, x: float, y: float, w: float, h: float) -> QRectF:
        k = self.k
        return QRectF(x * k, y * k, w * k, h * k)

    @staticmethod
    def _text(p: QPainter, rect: QRectF, text: str) -> None:
        """Left-aligned one-line text, elided rather than running past the right edge."""
        text = QFontMetricsF(p.font(), p.device()).elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
        p.drawText(rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)


def setup_a4(device: QPagedPaintDevice) -> None:
    """A4 portrait with no page margins (the layout keeps its own)."""
    from desktop.printing.pdf import A4_FULL_PAGE

    device.setPageLayout(A4_FULL_PAGE)


def write_pdf(sheet: SigninSheet, path: str | Path, *, resolution: int = 300) -> int:
    """Write the sign-in sheet as a PDF (fonts embedded; temporary name, then rename); returns the number of
    pages."""
    from desktop.printing.pdf import A4_FULL_PAGE
    from desktop.printing.pdf import write_pdf as write

    return write(
        path,
        title=sheet.title,
        page_layout=A4_FULL_PAGE,
        resolution=resolution,
        paint=lambda w: SigninPainter(sheet).paint(w),
    )


def print_to(sheet: SigninSheet, printer: QPagedPaintDevice) -> int:
    """Paint the sheet on a QPrinter (the print preview's ``paintRequested`` and real printing)."""
    setup_a4(printer)
    if hasattr(printer, "setFullPage"):
        printer.setFullPage(True)  # our margins are in the layout; origin at the paper's corner
    return SigninPainter(sheet).paint(printer)


def preview_dialog(sheet: SigninSheet, parent: QWidget | None = None) -> QPrintPreviewDialog:
    """A QPrintPreviewDialog showing the sheet (call ``open()``/``exec()`` on it)."""
    from desktop.printing.preview import preview_dialog

    return preview_dialog(parent, title=sheet.title, paint=lambda pr: print_to(sheet, pr))
