"""The printed table every ledger uses (roster, dues ledger, 公示, year totals, development, projects, findings).

One QPainter layout (``render_table``) draws a ``PrintDocument`` on any paged device: the QPrinter of
QPrintPreviewDialog or of a printer, and the QPdfWriter of ``write_pdf``. Every page carries the title (「（续）」
after page 1), the header row and 第 x 页 / 共 y 页; cells wrap their text (``wrap``: never a cut with "…", never a
name broken or a line starting with "、"), so a row is as tall as its longest cell and never splits across pages;
the lines under the table (totals, signatures) follow the last row, on a page of their own if needed.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from db.attachments.tags import PrintCode
from desktop.fonts import print_font
from desktop.i18n import translator
from desktop.printing import qr
from desktop.printing.wrap import wrap
from desktop.qt import *

_tr = translator("table_print")


@dataclass(frozen=True)
class PrintColumn:
    header: str
    weight: float
    align_right: bool = False
    align_left: bool = False  # free text reads better left-aligned; codes, dates and names are centred


@dataclass(frozen=True)
class PrintDocument:
    """What is printed: title, a line under it, the table and the lines under the table (totals, signatures).

    ``summary`` lines go under the subtitle on page 1, two to a row."""

    title: str
    subtitle: str
    columns: Sequence[PrintColumn]
    rows: Sequence[Sequence[str]]
    footer_lines: Sequence[str] = field(default_factory=tuple)
    landscape: bool = False
    summary: Sequence[str] = field(default_factory=tuple)
    font_pt: float = 9.5
    margin_mm: float = 15.0
    code: PrintCode | None = None  # the QR code in the bottom-right corner of every page (issue 21)


def page_layout(landscape: bool, margin_mm: float = 15.0) -> QPageLayout:
    orientation = QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    return QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4),
        orientation,
        QMarginsF(margin_mm, margin_mm, margin_mm, margin_mm),
        QPageLayout.Unit.Millimeter,
    )


def document_layout(doc: PrintDocument) -> QPageLayout:
    return page_layout(doc.landscape, doc.margin_mm)


def _cell_lines(text: str, fm: QFontMetricsF, width: float) -> list[str]:
    return wrap(str(text), fm, width)


def render_table(device: QPagedPaintDevice, doc: PrintDocument) -> int:
    """Draw ``doc`` on ``device`` (already set to A4 in the document's orientation); returns the number of pages."""
    painter = QPainter(device)
    try:
        return _render(painter, device, doc)
    finally:
        painter.end()


def _render(painter: QPainter, device: QPagedPaintDevice, doc: PrintDocument) -> int:
    mm = device.logicalDpiY() / 25.4
    width, height = float(device.width()), float(device.height())
    title_font, head_font = print_font(16, bold=True), print_font(doc.font_pt, bold=True)
    cell_font, small_font = print_font(doc.font_pt), print_font(9)
    cell_fm, head_fm = QFontMetricsF(cell_font, device), QFontMetricsF(head_font, device)
    small_fm = QFontMetricsF(small_font, device)
    title_h = QFontMetricsF(title_font, device).height() + 3 * mm
    small_line = small_fm.height() + 1.5 * mm
    footer_h = small_fm.height() + 2 * mm
    if doc.code is not None:
        footer_h = max(footer_h, (qr.BLOCK_MM + 1) * mm)
    pad_x, pad_y = 1.2 * mm, 1.4 * mm
    total_weight = sum(c.weight for c in doc.columns) or 1.0
    xs = [0.0]
    for c in doc.columns:
        xs.append(xs[-1] + width * c.weight / total_weight)
    inner = [xs[i + 1] - xs[i] - 2 * pad_x for i in range(len(doc.columns))]

    head_lines = [_cell_lines(c.header, head_fm, inner[i]) for i, c in enumerate(doc.columns)]
    head_h = max(len(x) for x in head_lines) * head_fm.height() + 2 * pad_y
    cells = [[_cell_lines(v, cell_fm, inner[i]) for i, v in enumerate(row)] for row in doc.rows]
    heights = [max((len(x) for x in row), default=1) * cell_fm.height() + 2 * pad_y for row in cells]
    subtitle = wrap(doc.subtitle, small_fm, width) if doc.subtitle else []
    summary_rows = [list(doc.summary[i : i + 2]) for i in range(0, len(doc.summary), 2)]
    first_top = title_h + (len(subtitle) + len(summary_rows)) * small_line + (1 * mm if summary_rows else 0)
    other_top = title_h
    bottom = height - footer_h
    tail = [line for text in doc.footer_lines for line in wrap(text, small_fm, width)]
    tail_h = len(tail) * small_line + (2 * mm if tail else 0)

    # pages of row indexes; a row never splits, the header row repeats on each page
    pages: list[list[int]] = [[]]
    y = first_top + head_h
    for i, h in enumerate(heights):
        if pages[-1] and y + h > bottom:
            pages.append([])
            y = other_top + head_h
        pages[-1].append(i)
        y += h
    extra_page = bool(tail) and y + tail_h > bottom
    count = len(pages) + (1 if extra_page else 0)

    pen = QPen(Qt.GlobalColor.black)
    pen.setWidthF(max(1.0, 0.2 * mm))
    painter.setPen(pen)
    left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter

    def page_frame(page: int) -> float:
        """Title (and on page 1 the subtitle and summary) and the page number; returns where the table starts."""
        if page:
            device.newPage()
        painter.setFont(title_font)
        title = doc.title if page == 0 else _tr("{0}（续）").format(doc.title)
        painter.drawText(QRectF(0, 0, width, title_h), Qt.AlignmentFlag.AlignCenter, title)
        painter.setFont(small_font)
        painter.drawText(
            QRectF(0, height - footer_h, width, footer_h),
            Qt.AlignmentFlag.AlignCenter,
            _tr("第 {0} 页 / 共 {1} 页").format(page + 1, count),
        )
        if doc.code is not None:
            qr.paint_tag(painter, doc.code.page(page + 1, count), right=width, bottom=height, mm=mm)
        if page:
            return other_top
        y = title_h
        for line in subtitle:
            painter.drawText(QRectF(0, y, width, small_line), left, line)
            y += small_line
        for pair in summary_rows:
            for k, text in enumerate(pair):
                painter.drawText(QRectF(k * width / 2, y, width / 2, small_line), left, text)
            y += small_line
        return first_top

    def draw_cell(rect: QRectF, lines: list[str], fm: QFontMetricsF, align: Qt.AlignmentFlag) -> None:
        painter.drawRect(rect)
        block = len(lines) * fm.height()
        y = rect.top() + (rect.height() - block) / 2
        for line in lines:
            painter.drawText(
                QRectF(rect.left() + pad_x, y, rect.width() - 2 * pad_x, fm.height()),
                align | Qt.AlignmentFlag.AlignVCenter,
                line,
            )
            y += fm.height()

    y = 0.0
    for page, indexes in enumerate(pages):
        y = page_frame(page)
        painter.setFont(head_font)
        for col in range(len(doc.columns)):
            rect = QRectF(xs[col], y, xs[col + 1] - xs[col], head_h)
            painter.fillRect(rect, Qt.GlobalColor.lightGray)
            draw_cell(rect, head_lines[col], head_fm, Qt.AlignmentFlag.AlignHCenter)
        y += head_h
        painter.setFont(cell_font)
        for i in indexes:
            for col, c in enumerate(doc.columns):
                align = (
                    Qt.AlignmentFlag.AlignRight
                    if c.align_right
                    else Qt.AlignmentFlag.AlignLeft
                    if c.align_left
                    else Qt.AlignmentFlag.AlignHCenter
                )
                draw_cell(
                    QRectF(xs[col], y, xs[col + 1] - xs[col], heights[i]), cells[i][col], cell_fm, align
                )
            y += heights[i]
    if extra_page:
        y = page_frame(count - 1)
    painter.setFont(small_font)
    y += 2 * mm
    for line in tail:
        painter.drawText(QRectF(0, y, width, small_line), left, line)
        y += small_line
    return count


def write_pdf(path: str | os.PathLike[str], doc: PrintDocument) -> Path:
    """Write ``doc`` as a PDF at ``path`` (temporary name, then rename) and return the path."""
    from desktop.printing.pdf import write_pdf

    write_pdf(path, title=doc.title, page_layout=document_layout(doc), paint=lambda w: render_table(w, doc))
    return Path(path)


def preview(parent, doc: PrintDocument, word=None):  # type: ignore[no-untyped-def]
    """A QPrintPreviewDialog over the same layout (not yet shown; call ``open()``); ``word(path)`` writes the
    Word form, when the printout has one (the preview's 「Word 文档…」)."""
    from desktop.printing.preview import preview_dialog

    return preview_dialog(
        parent,
        title=doc.title,
        page_layout=document_layout(doc),
        paint=lambda p: render_table(p, doc),
        word=word,
    )
