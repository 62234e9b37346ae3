"""导入扫描件: signed printouts back to their records by the QR code every printout carries (``tags``).

The secretary gives files or folders: a scanner's images, phone photos, multi-page PDFs or TIFFs. Each page is
rendered (PDF pages with PDFium, at 200 dpi), its QR code found offline (zxing-cpp: rotated, tilted or scaled
codes are found too), and the pages of one printout are gathered in page order into one PDF filed under the
record (``source = "scan:<printout>"``). A page without a readable code, of a record that does not exist here, or
a second copy of a page already placed is listed as not placed, for the secretary to place by hand
(``place_page``). ``plan`` only reads; ``apply`` writes, one attachment per printout, each in its own
transaction. A printout whose filed PDF would be the same, byte for byte, as one already under its record (the same
scan imported again, after a power cut in the middle of filing or by mistake) is not filed twice: ``Filing.again``
names it with the earlier attachment.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import zxingcpp
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from db.attachments import service
from db.attachments.images import pdf_from_images
from db.attachments.records import SCAN_SOURCE_PREFIX, Attachment
from db.attachments.tags import COPY_PRINTOUTS, PageTag, parse
from db.errors import StoreError
from db.rows import query_one
from db.store import Database, os_reason

if TYPE_CHECKING:
    import pypdfium2

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".webp", ".gif"}
PDF_DPI = 200


@dataclass(frozen=True)
class PageSource:
    """One page of the input: a file and the page inside it (0 for a single image)."""

    path: Path
    index: int
    count: int

    @property
    def label(self) -> str:
        return self.path.name if self.count == 1 else f"{self.path.name} 第{self.index + 1}页"


@dataclass(frozen=True)
class Unplaced:
    page: PageSource
    reason: str


@dataclass
class Sheet:
    """The pages found of one printout of one record, by page number."""

    tag: PageTag  # of its first page found
    record: str  # what the record is, in Chinese
    pages: dict[int, PageSource] = field(default_factory=dict)
    # the days scans of this printout were filed under the record before (not in the bin), for the preview
    filed_before: list[str] = field(default_factory=list)

    @property
    def missing(self) -> list[int]:
        return [n for n in range(1, self.tag.pages + 1) if n not in self.pages]

    @property
    def filed_before_text(self) -> str:
        """What the preview says when the record already holds a scan of this printout ("" when not)."""
        if not self.filed_before:
            return ""
        return f"（该记录已有 {'、'.join(self.filed_before)} 归档的{self.tag.name}扫描件；内容相同的不会重复归档）"

    def ordered(self) -> list[PageSource]:
        return [self.pages[n] for n in sorted(self.pages)]


@dataclass(frozen=True)
class Plan:
    sheets: list[Sheet]
    unplaced: list[Unplaced]

    def as_json(self) -> dict[str, object]:
        return {
            "sheets": [
                {
                    "printout": s.tag.printout,
                    "name": s.tag.name,
                    "owner_kind": s.tag.owner_kind,
                    "owner_id": s.tag.owner_id,
                    "record": s.record,
                    "pages": [{"page": n, "source": s.pages[n].label} for n in sorted(s.pages)],
                    "of": s.tag.pages,
                    "missing": s.missing,
                    "filed_before": s.filed_before,
                }
                for s in self.sheets
            ],
            "unplaced": [{"source": u.page.label, "reason": u.reason} for u in self.unplaced],
        }


def expand(paths: Iterable[Path]) -> tuple[list[Path], list[Unplaced]]:
    """Files of ``paths`` (folders: their files, by name, recursively), and what is neither image nor PDF."""
    files: list[Path] = []
    skipped: list[Unplaced] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            candidates = sorted(x for x in p.rglob("*") if x.is_file())
        elif p.is_file():
            candidates = [p]
        else:
            raise StoreError(f"找不到「{p}」。请检查文件或文件夹的路径。")
        for c in candidates:
            if c.suffix.lower() in IMAGE_SUFFIXES or c.suffix.lower() == ".pdf":
                files.append(c)
            elif p.is_file():
                skipped.append(Unplaced(PageSource(c, 0, 1), "不是图片或 PDF 文件"))
    return files, skipped


def _is_pdf(path: Path) -> bool:
    """Whether the file holds a PDF, whatever its name says (a scanner's PDF saved as ``.jpg``, a photo renamed
    ``.pdf``): its header within the first 1024 bytes, where PDF readers look for it."""
    with open(path, "rb") as f:
        return b"%PDF-" in f.read(1024)


def _open_pages(path: Path) -> Iterator[tuple[int, int, Image.Image]]:
    """(index, count, image) of every page of a file, read as what its content is."""
    if _is_pdf(path):
        # Lazy: PDFium's bindings cost 0.1–0.7 s to import (python -X importtime; thousands of ctypes prototypes)
        # and the program imports this module at start-up; only a scan import reads a PDF.
        import pypdfium2

        pdf = pypdfium2.PdfDocument(str(path))
        try:
            count = len(pdf)
            for i in range(count):
                yield i, count, _render(pdf, i)
        finally:
            pdf.close()
        return
    with _scan_sized(), Image.open(path) as im:
        frames = [ImageOps.exif_transpose(f.copy()) for f in ImageSequence.Iterator(im)]
    for i, frame in enumerate(frames):
        yield i, len(frames), frame


@contextmanager
def _scan_sized() -> Iterator[None]:
    """Pillow's warning for an image over 89 million pixels kept off the terminal: an A4 page scanned at 1200 dpi
    has 139 million, and the warning's English ("could be decompression bomb DOS attack") only alarms. Twice that
    is still refused (``DecompressionBombError``, said in Chinese by ``unreadable``)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        yield


def _render(pdf: pypdfium2.PdfDocument, index: int) -> Image.Image:
    page = pdf[index]
    try:
        image: Image.Image = page.render(scale=PDF_DPI / 72, grayscale=True).to_pil()
        return image
    finally:
        page.close()


def _one_page(page: PageSource) -> Image.Image | None:
    """The image of one page of its file, read alone (a batch of 50 pages is not read again for each page); None
    when the file has fewer pages now."""
    if _is_pdf(page.path):
        import pypdfium2  # lazy, as in ``_open_pages``

        pdf = pypdfium2.PdfDocument(str(page.path))
        try:
            return _render(pdf, page.index) if page.index < len(pdf) else None
        finally:
            pdf.close()
    with _scan_sized(), Image.open(page.path) as im:
        try:
            im.seek(page.index)
        except EOFError:
            return None
        return ImageOps.exif_transpose(im.copy())


def load_page(page: PageSource) -> Image.Image:
    """The image of one input page; a file changed or gone since it was read is one Chinese ``StoreError``."""
    import pypdfium2  # lazy, as in ``_open_pages``

    try:
        image = _one_page(page)
    except (OSError, UnidentifiedImageError, pypdfium2.PdfiumError, Image.DecompressionBombError) as exc:
        raise StoreError(f"「{page.label}」{unreadable(page.path, exc)}") from exc
    if image is None:
        raise StoreError(f"「{page.label}」已不存在。")
    return image


def unreadable(path: Path, exc: BaseException) -> str:
    """Why a file could not be read as pages, and what to do, in Chinese: the readers' own words are English."""
    import pypdfium2  # lazy, as in ``_open_pages``

    try:
        empty = path.stat().st_size == 0
    except OSError:
        empty = False
    if empty:
        return "文件是空的（0 字节），可能没有扫描完或复制时出错：请重新扫描或重新复制该文件"
    if isinstance(exc, pypdfium2.PdfiumError) and exc.err_code == pypdfium2.raw.FPDF_ERR_PASSWORD:
        return "PDF 设有打开密码，无法读取：请在扫描软件中不设密码重新保存，或扫描为图片后再导入"
    if isinstance(exc, Image.DecompressionBombError):
        return "图片过大，无法读取：请用 300 dpi 或更低的分辨率重新扫描"
    if isinstance(exc, UnidentifiedImageError):
        return "不是图片或 PDF 文件（或已损坏），无法读取：请确认扫描仪保存的格式，重新保存为 PDF 或 JPG 后再导入"
    if isinstance(exc, OSError) and exc.errno is not None:
        return f"无法读取（{os_reason(exc)}）：请检查文件是否还在、是否被其他程序占用"
    return "文件已损坏或不完整，无法读取：请重新扫描或重新复制该文件"


def find_tag(image: Image.Image) -> PageTag | None:
    """The page tag of a page: the first QR code of ours on it, trying the page as it is and then halved (a large
    phone photo) and doubled (a small scan)."""
    gray = image.convert("L")
    attempts = [gray]
    w, h = gray.size
    if max(w, h) > 2400:
        attempts.append(gray.resize((w // 2, h // 2)))
    elif max(w, h) < 1400:
        attempts.append(gray.resize((w * 2, h * 2)))
    for attempt in attempts:
        for code in zxingcpp.read_barcodes(
            attempt, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
        ):
            tag = parse(code.text)
            if tag is not None:
                return tag
    return None


def _record_label(db: Database, tag: PageTag) -> str | None:
    """What the tag's record is (Chinese), or None when it is not in this database."""
    if tag.owner_kind == "meeting":
        from db import meetings

        row = query_one(db.conn, "SELECT 1 AS x FROM meetings WHERE uuid = ?", [tag.ref])
        if row is None:
            return None
        m = meetings.get_meeting(db, uuid=tag.ref)
        return f"{m.title} {m.number_text}"
    if tag.owner_kind == "transfer":
        row = query_one(
            db.conn,
            "SELECT t.serial, m.name FROM transfers t JOIN members m ON m.id = t.member_id WHERE t.uuid = ?",
            [tag.ref],
        )
        return None if row is None else f"介绍信第 {row['serial']} 号（{row['name']}）"
    if tag.owner_kind == "appraisal_round":
        row = query_one(db.conn, "SELECT year FROM appraisal_rounds WHERE uuid = ?", [tag.ref])
        return None if row is None else f"{row['year']}年度民主评议党员 {tag.name}"
    return f"{tag.name}（{tag.ref}）"


def plan(db: Database, paths: Iterable[Path]) -> Plan:
    """Where each page of ``paths`` goes (nothing is written)."""
    import pypdfium2  # lazy, as in ``_open_pages``

    files, unplaced = expand(paths)
    sheets: dict[tuple[str, str, int], Sheet] = {}
    for path in files:
        try:
            pages = list(_pages_with_tags(path))
        except (OSError, UnidentifiedImageError, pypdfium2.PdfiumError, Image.DecompressionBombError) as exc:
            unplaced.append(Unplaced(PageSource(path, 0, 1), unreadable(path, exc)))
            continue
        for source, tag in pages:
            if tag is None:
                unplaced.append(Unplaced(source, "没有找到可识别的二维码"))
                continue
            key = (tag.printout, tag.ref, tag.pages)
            if key not in sheets:
                label = _record_label(db, tag)
                if label is None:
                    unplaced.append(
                        Unplaced(
                            source, f"二维码「{tag.short_text}」对应的记录不在本数据库中（可能是别的支部的）"
                        )
                    )
                    continue
                earlier = service.list_attachments(db, owner_kind=tag.owner_kind, owner_id=tag.owner_id)
                days = sorted(
                    {a.created_at[:10] for a in earlier if a.source == SCAN_SOURCE_PREFIX + tag.printout}
                )
                sheets[key] = Sheet(tag, label, filed_before=days)
            sheet = sheets[key]
            if tag.printout in COPY_PRINTOUTS:
                sheet.pages[len(sheet.pages) + 1] = source
                continue
            if tag.page in sheet.pages:
                unplaced.append(Unplaced(source, f"与「{sheet.pages[tag.page].label}」是同一页（重复扫描）"))
                continue
            sheet.pages[tag.page] = source
    return Plan(list(sheets.values()), unplaced)


def _pages_with_tags(path: Path) -> Iterator[tuple[PageSource, PageTag | None]]:
    for index, count, image in _open_pages(path):
        yield PageSource(path, index, count), find_tag(image)


@dataclass(frozen=True)
class Filing:
    """What ``apply`` did: the attachments it filed, and the sheets it left alone because the same scan is already
    filed under the record, each with that earlier attachment."""

    filed: list[Attachment]
    again: list[tuple[Sheet, Attachment]]


def apply(db: Database, the_plan: Plan) -> Filing:
    """File every sheet of ``the_plan``: its pages in order as one PDF under its record, unless the same PDF is
    already there (not in the bin)."""
    filed: list[Attachment] = []
    again: list[tuple[Sheet, Attachment]] = []
    for sheet in the_plan.sheets:
        data = pdf_from_images([load_page(p) for p in sheet.ordered()])
        earlier = service.same_attachment(
            db,
            owner_kind=sheet.tag.owner_kind,
            owner_id=sheet.tag.owner_id,
            sha256=hashlib.sha256(data).hexdigest(),
        )
        if earlier is not None:
            again.append((sheet, earlier))
            continue
        missing = sheet.missing
        filed.append(
            service.add_attachment(
                db,
                owner_kind=sheet.tag.owner_kind,
                owner_id=sheet.tag.owner_id,
                name=f"{sheet.tag.name}（扫描件）.pdf",
                data=data,
                source=SCAN_SOURCE_PREFIX + sheet.tag.printout,
                note=f"缺第 {'、'.join(str(n) for n in missing)} 页" if missing else "",
                pages=len(sheet.pages),
            )
        )
    return Filing(filed, again)


def place_page(
    db: Database, page: PageSource, *, owner_kind: str, owner_id: str, source: str = ""
) -> Attachment:
    """File one page the program could not place, where the secretary says, as an image."""
    out = io.BytesIO()
    load_page(page).convert("RGB").save(out, "JPEG", quality=90)
    name = f"{page.path.stem}-{page.index + 1}.jpg" if page.count > 1 else f"{page.path.stem}.jpg"
    return service.add_attachment(
        db, owner_kind=owner_kind, owner_id=owner_id, name=name, data=out.getvalue(), source=source
    )
