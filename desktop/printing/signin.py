"""The sign-in sheet (签到表): one QPainter layout for the print preview, the printer and PDF files.

A4 portrait. Page 1: title 「××党支部 ××会议签到表」, the header (meeting, date and time, place, host, recorder) and the
grid 序号 | 姓名 | 类别 | 党小组 | 本人签名 | 备注 with full members, probationary members and invited observers (列席)
in separate blocks, then blank rows for walk-ins and the line 应到 __ 人 实到 __ 人 请假 __ 人 缺席 __ 人. A 党课 shows
its 授课人, a 主题党日 its theme. Names and notes (absence reasons) wrap inside their cell, which grows; nothing is cut
with "…". Every page repeats the title and the column header and carries 第 x 页 / 共 y 页. The content comes from ``db.meetings.signin_sheet``; this
module only lays it out, in millimetres scaled to the device's resolution, so preview, print and PDF are identical.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from db.attachments.tags import PrintCode
from db.meetings import SigninRow, SigninSheet
from desktop.fonts import print_font
from desktop.printing import qr
from desktop.printing.wrap import wrap
from desktop.qt import *
from desktop.qt import QPrintPreviewDialog  # printing: not in the star import

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
CELL_LINE_H = 4.6  # one wrapped line inside a cell
COUNTS_H = 12.0
FOOTER_H = 8.0


@dataclass(frozen=True)
class _Item:
    kind: str  # "heading" | "row"
    text: str = ""
    row: SigninRow | None = None
    height: float = ROW_H  # mm: a row grows with its wrapped name or note


def _items(sheet: SigninSheet) -> list[_Item]:
    out: list[_Item] = []
    for heading, rows in sheet.blocks:
        if heading:
            out.append(_Item("heading", heading))
        out.extend(_Item("row", row=r) for r in rows)
    return out


def _header_lines(sheet: SigninSheet, first_page: bool) -> list[tuple[str, str]]:
    """The lines between the title and the grid, as (left, right) halves; right "" spans the line."""
    if not first_page:
        return [(f"会议：{sheet.meeting}　时间：{sheet.when}", "")]
    return [
        (f"会议：{sheet.meeting}", ""),
        *((f"{label}：{value}", "") for label, value in sheet.details),
        (f"时间：{sheet.when}", f"地点：{sheet.place}"),
        (f"主持人：{sheet.host}", f"记录人：{sheet.recorder}"),
    ]


def counts_line(sheet: SigninSheet) -> str:
    """应到 / 实到 / 请假 / 缺席, a blank to fill by hand where not known."""

    def n(value: int | None) -> str:
        return f" {value} " if value is not None else "＿＿＿"

    return "　　　".join(
        f"{label}{n(value)}人"
        for label, value in (
            ("应到", sheet.expected),
            ("实到", sheet.present),
            ("请假", sheet.leave),
            ("缺席", sheet.absent),
        )
    )


class SigninPainter:
    """Paints a sign-in sheet on any paged device (QPdfWriter, QPrinter) at that device's resolution."""

    def __init__(self, sheet: SigninSheet) -> None:
        self.k = 1.0
        self.sheet = sheet
        self.header: list[list[str]] = []  # page 1's header lines, wrapped
        self.pages: list[list[_Item]] = [[]]

    @property
    def page_count(self) -> int:
        return len(self.pages)

    def _layout(self, device: QPagedPaintDevice) -> None:
        """Wrap the header and every cell at the device's resolution, then split the grid into pages; a block
        heading never ends a page and the counts line always fits under the last row."""
        self.k = device.logicalDpiX() / 25.4
        fm = QFontMetricsF(print_font(10.5), device)
        self.header = [
            wrap(left, fm, (TABLE_W * (0.62 if right else 1)) * self.k)
            for left, right in _header_lines(self.sheet, True)
        ]
        items = [
            _Item(i.kind, i.text, i.row, self._row_height(i.row, device)) if i.row is not None else i
            for i in _items(self.sheet)
        ]
        bottom = PAGE_H - MARGIN_BOTTOM - FOOTER_H
        self.pages = [[]]
        y = self._grid_top(True) + HEAD_H
        for i, item in enumerate(items):
            following = items[i + 1].height if item.kind == "heading" and i + 1 < len(items) else 0
            if self.pages[-1] and y + item.height + following > bottom:
                self.pages.append([])
                y = self._grid_top(False) + HEAD_H
            self.pages[-1].append(item)
            y += item.height
        if y + COUNTS_H > bottom:
            self.pages.append([])

    def _cells(self, row: SigninRow, device: QPaintDevice) -> list[list[str]]:
        values = [
            str(row.number) if row.number is not None else "",
            row.name,
            row.category,
            row.party_group,
            "",
            row.note,
        ]
        out = []
        for (name, w), value in zip(COLUMNS, values):
            fm = QFontMetricsF(print_font(9 if name == "备注" else 10.5), device)
            out.append(wrap(value, fm, (w - 3.0) * self.k) if value else [])
        return out

    def _row_height(self, row: SigninRow, device: QPagedPaintDevice) -> float:
        lines = max((len(c) for c in self._cells(row, device)), default=1)
        return max(ROW_H, lines * CELL_LINE_H + 2.5)

    def _grid_top(self, first_page: bool) -> float:
        lines = sum(len(x) for x in self.header) if first_page else 1
        return MARGIN_TOP + TITLE_H + lines * HEADER_LINE_H + (2 if first_page else 0)

    def paint(self, device: QPagedPaintDevice) -> int:
        """Paint every page onto ``device`` (which must already be set to A4 portrait); returns the page count."""
        # Coordinates are millimetres mapped to device pixels by hand (not painter.scale): fonts are sized in
        # points against the device's resolution and would be scaled twice.
        self._layout(device)
        painter = QPainter(device)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
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
            for (_left, right), lines in zip(_header_lines(sheet, True), self.header):
                for i, line in enumerate(lines):
                    self._text(p, self._r(x0, y, TABLE_W, HEADER_LINE_H), line)
                    if right and i == 0:
                        self._text(p, self._r(x0 + TABLE_W * 0.62, y, TABLE_W * 0.38, HEADER_LINE_H), right)
                    y += HEADER_LINE_H
            y += 2
        else:
            self._text(p, self._r(x0, y, TABLE_W, HEADER_LINE_H), _header_lines(sheet, False)[0][0])
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
                p.fillRect(self._r(x0, y, TABLE_W, item.height), QColor(243, 243, 243))
                p.drawRect(self._r(x0, y, TABLE_W, item.height))
                self._text(p, self._r(x0 + 2, y, TABLE_W - 4, item.height), item.text)
            else:
                assert item.row is not None
                self._row(p, x0, y, item)
            y += item.height
        if index == self.page_count - 1:
            p.setFont(print_font(11))
            y += 4
            self._text(p, self._r(x0, y, TABLE_W, COUNTS_H - 4), counts_line(sheet))
        qr.paint_page_foot(
            p,
            self._r(x0, PAGE_H - MARGIN_BOTTOM - FOOTER_H + 2, TABLE_W, FOOTER_H),
            index + 1,
            self.page_count,
            PrintCode("signin", sheet.meeting_uuid) if sheet.meeting_uuid else None,
            right=(x0 + TABLE_W) * self.k,
            bottom=(PAGE_H - 4) * self.k,
            mm=self.k,
        )

    def _row(self, p: QPainter, x0: float, y: float, item: _Item) -> None:
        assert item.row is not None
        x = x0
        for (name, w), lines in zip(COLUMNS, self._cells(item.row, p.device())):
            p.drawRect(self._r(x, y, w, item.height))
            if lines:
                p.setFont(print_font(9 if name == "备注" else 10.5))
                align = (
                    Qt.AlignmentFlag.AlignCenter
                    if name in ("序号", "类别")
                    else (Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)
                )
                top = y + (item.height - len(lines) * CELL_LINE_H) / 2
                for i, line in enumerate(lines):
                    p.drawText(self._r(x + 1.5, top + i * CELL_LINE_H, w - 3.0, CELL_LINE_H), align, line)
            x += w

    def _r(self, x: float, y: float, w: float, h: float) -> QRectF:
        k = self.k
        return QRectF(x * k, y * k, w * k, h * k)

    @staticmethod
    def _text(p: QPainter, rect: QRectF, text: str) -> None:
        """Left-aligned one-line text (already wrapped to fit)."""
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
