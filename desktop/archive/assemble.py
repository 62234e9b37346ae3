"""Putting a volume together: its 卷内目录 first, the documents after it, a page number on every page (top right,
as archive pages are numbered) and a bookmark for each section and document (pypdf)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from db.workbook.writer import atomic_path
from desktop.archive.records import Section
from desktop.fonts import print_font
from desktop.printing.pdf import write_pdf
from desktop.printing.table import PrintColumn, PrintDocument
from desktop.printing.table import write_pdf as write_table
from desktop.qt import *

_TOC_COLUMNS = (("序号", 1.2), ("文件题名", 9), ("日期", 2.4), ("页号", 2), ("页数", 1.2), ("备注", 1.8))


def toc_document(title: str, subtitle: str, sections: Sequence[Section], first_page: int) -> PrintDocument:
    """The 卷内目录: every document with the page range it takes in the volume (pages counted from 1, the
    table of contents included, so ``first_page`` is where the first document starts)."""
    rows: list[list[str]] = []
    page = first_page
    number = 0
    for section in sections:
        for d in section.documents:
            number += 1
            last = page + d.pages - 1
            name = d.title if section.title in d.title else f"{section.title}　{d.title}"
            rows.append([str(number), name,
                         d.when, f"{page}–{last}" if last > page else str(page), str(d.pages), d.note])  # fmt: skip
            page = last + 1
    return PrintDocument(
        title,
        subtitle,
        [PrintColumn(h, w, align_left=h == "文件题名") for h, w in _TOC_COLUMNS],
        rows or [["", "本卷本年度没有文件", "", "", "", ""]],
        footer_lines=("立卷人：＿＿＿＿＿＿　　检查人：＿＿＿＿＿＿　　立卷日期：＿＿＿＿年＿＿月＿＿日",),
    )


def _write_toc(path: Path, title: str, subtitle: str, sections: Sequence[Section]) -> int:
    """Write the 卷内目录, laid out until the page numbers it prints agree with its own length."""
    pages = 1
    for _attempt in range(4):
        write_table(path, toc_document(title, subtitle, sections, pages + 1))
        made = len(PdfReader(path).pages)
        if made == pages:
            break
        pages = made
    return pages


def _stamps(path: Path, sizes: Sequence[tuple[float, float]], total: int) -> None:
    """A PDF of transparent pages of the given sizes (points), each with its page number in the top right."""

    def layout(size: tuple[float, float]) -> QPageLayout:
        return QPageLayout(
            QPageSize(QSizeF(*size), QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.ExactMatch),
            QPageLayout.Orientation.Portrait,
            QMarginsF(0, 0, 0, 0),
            QPageLayout.Unit.Point,
        )

    def paint(writer: QPdfWriter) -> int:
        painter = QPainter(writer)
        try:
            painter.setFont(print_font(10))
            for index, (w, h) in enumerate(sizes):
                if index:
                    writer.setPageLayout(layout((w, h)))
                    writer.newPage()
                k = writer.logicalDpiX() / 72.0
                rect = QRectF((w - 110) * k, 14 * k, 80 * k, 16 * k)
                painter.drawText(
                    rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"{index + 1}"
                )
        finally:
            painter.end()
        return total

    write_pdf(path, title="页号", paint=paint, page_layout=layout(sizes[0]), resolution=72)


def assemble(
    out: Path, *, title: str, subtitle: str, sections: Sequence[Section], scratch: Path
) -> tuple[int, int]:
    """Write the volume at ``out``; returns (pages, pages of its 卷内目录)."""
    toc = scratch / f"toc-{out.stem}.pdf"
    toc_pages = _write_toc(toc, title, subtitle, sections)
    writer = PdfWriter()
    writer.append(str(toc))
    writer.add_outline_item(title="卷内目录", page_number=0)
    for section in sections:
        start = len(writer.pages)
        parent = None
        if len(section.documents) > 1 or (section.documents and section.documents[0].title != section.title):
            parent = writer.add_outline_item(title=section.title, page_number=start)
        for d in section.documents:
            at = len(writer.pages)
            writer.append(str(d.path))
            writer.add_outline_item(title=d.title, page_number=at, parent=parent)
    sizes = []
    for page in writer.pages:
        if page.rotation:
            page.transfer_rotation_to_content()
        box = page.mediabox
        sizes.append((float(box.width), float(box.height)))
    stamps = scratch / f"stamps-{out.stem}.pdf"
    _stamps(stamps, sizes, len(sizes))
    for page, stamp in zip(writer.pages, PdfReader(stamps).pages, strict=True):
        box = page.mediabox
        page.merge_translated_page(stamp, float(box.left), float(box.bottom))
    writer.add_metadata({"/Title": title, "/Creator": "支部工作台 Branch Desk"})
    writer.page_mode = "/UseOutlines"
    with atomic_path(out) as tmp, open(tmp, "wb") as f:
        writer.write(f)
    return len(sizes), toc_pages
