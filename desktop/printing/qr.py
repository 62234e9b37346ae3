"""The small QR code every printout carries in its bottom-right corner (issue 21): which record the page belongs
to and its page number (``db.attachments.tags``), with the same as short text under it, so a signed sheet scanned
or photographed later is filed to its record by 导入扫描件 (``db.attachments.scans``).

Drawn as filled squares with QPainter (segno gives the matrix), so it is sharp in the preview, on paper and in the
PDF at any resolution. 15 mm with error correction M: a code of version 2–3 has modules of 0.4–0.5 mm, read from a
200 dpi scan or a phone photo of the page.
"""

from __future__ import annotations

import segno

from db.attachments.tags import PageTag, PrintCode
from desktop.fonts import print_font
from desktop.qt import *

CODE_MM = 15.0
TEXT_MM = 3.0
BLOCK_MM = CODE_MM + TEXT_MM  # the height a layout keeps free for the code and its text
QUIET_MODULES = 2  # white border around the code, in modules (drawn; the page margin adds to it)


def paint_tag(p: QPainter, tag: PageTag, *, right: float, bottom: float, mm: float) -> None:
    """Draw the code of ``tag`` with its block's bottom-right corner at (``right``, ``bottom``) in device units,
    ``mm`` device units to the millimetre; the short text under the code."""
    qr = segno.make(tag.payload, error="m", micro=False)
    matrix = [list(row) for row in qr.matrix]
    n = len(matrix) + 2 * QUIET_MODULES
    module = CODE_MM * mm / n
    left, top = right - CODE_MM * mm, bottom - BLOCK_MM * mm
    p.save()
    try:
        p.setPen(Qt.PenStyle.NoPen)
        p.fillRect(QRectF(left, top, CODE_MM * mm, CODE_MM * mm), QColor("white"))
        black = QColor("black")
        for y, row in enumerate(matrix):
            for x, dark in enumerate(row):
                if dark:
                    # a hair wider than the module, so neighbouring squares never leave a white seam
                    p.fillRect(
                        QRectF(
                            left + (x + QUIET_MODULES) * module,
                            top + (y + QUIET_MODULES) * module,
                            module * 1.02,
                            module * 1.02,
                        ),
                        black,
                    )
        p.setPen(black)
        p.setFont(print_font(5.5))
        p.drawText(
            QRectF(right - 40 * mm, top + CODE_MM * mm, 40 * mm, TEXT_MM * mm),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            tag.short_text,
        )
    finally:
        p.restore()


def paint_page_foot(
    p: QPainter,
    rect: QRectF,
    page: int,
    count: int,
    code: PrintCode | None,
    *,
    right: float,
    bottom: float,
    mm: float,
) -> None:
    """The foot of a page of a record's printout: 第 x 页 / 共 y 页 centred in ``rect`` and, when the printout has
    a ``code``, the page's QR code with its block's bottom-right corner at (``right``, ``bottom``). ``page``
    counts from 1."""
    p.setFont(print_font(9))
    p.drawText(rect, Qt.AlignmentFlag.AlignCenter, f"第 {page} 页 / 共 {count} 页")
    if code is not None:
        paint_tag(p, code.page(page, count), right=right, bottom=bottom, mm=mm)
