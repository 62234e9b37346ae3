"""Reading files for import: their type, and images reduced to a sensible size (Pillow).

A phone photo is 3–12 MB and 4000 px wide; a scan at 600 dpi is 5000 px tall. For reading a signature or a
certificate on screen and in print, 2000 px on the long side (A4 at about 170 dpi) as JPEG quality 85 is plenty:
a page becomes 200–500 KB. The original is kept only when asked (``keep_original``). An image that would not get
smaller (a small PNG, a screenshot) is kept as it is. EXIF orientation is applied, so a phone photo stands upright.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from db.attachments.records import IMAGE_TYPES, PDF_TYPE

if TYPE_CHECKING:  # Pillow is imported when a file is added or a scan read: 12 ms of CPU off every start
    from PIL import Image

MAX_SIDE = 2000
JPEG_QUALITY = 85

_BY_SUFFIX = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".bmp": "image/bmp",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".webp": "image/webp",
    ".pdf": PDF_TYPE,
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".wps": "application/vnd.ms-works",
    ".txt": "text/plain",
}
_PIL_TYPES = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "GIF": "image/gif",
    "BMP": "image/bmp",
    "TIFF": "image/tiff",
}


def mime_of(name: str, data: bytes) -> str:
    """The type of a file from its first bytes (PDF, the images Pillow knows), else from its suffix."""
    if data[:5] == b"%PDF-":
        return PDF_TYPE
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as im:
            found = _PIL_TYPES.get(im.format or "")
            if found:
                return found
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        pass
    return _BY_SUFFIX.get(Path(name).suffix.lower(), "application/octet-stream")


@dataclass(frozen=True)
class Prepared:
    """A file ready to store: its (possibly reduced) bytes, name and type."""

    name: str
    mime: str
    data: bytes
    reduced: bool


def prepare(name: str, data: bytes) -> Prepared:
    """``data`` as it will be stored: an image larger than ``MAX_SIDE`` (or a photo that shrinks) as a JPEG of at
    most ``MAX_SIDE`` px, upright; anything else unchanged."""
    mime = mime_of(name, data)
    if mime not in IMAGE_TYPES or mime == "image/gif":
        return Prepared(name, mime, data, False)
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as opened:
            im = ImageOps.exif_transpose(opened)
            if im.mode not in ("RGB", "L"):
                im = im.convert("RGB")
            im.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            im.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return Prepared(name, mime, data, False)
    reduced = out.getvalue()
    if len(reduced) >= len(data):
        return Prepared(name, mime, data, False)
    return Prepared(str(Path(name).with_suffix(".jpg")), "image/jpeg", reduced, True)


def pdf_from_images(images: list[Image.Image]) -> bytes:
    """Pages (PIL images) as one PDF, in order, each reduced like an imported image. The PDF carries no time of its
    own (the attachment's ``created_at`` says when it was filed), so the same pages give the same bytes: a scan
    imported again is recognised by its checksum (``scans.apply``)."""
    from PIL import Image

    pages = []
    for im in images:
        page = im.convert("RGB") if im.mode not in ("RGB", "L") else im.copy()
        page.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
        pages.append(page)
    out = io.BytesIO()
    pages[0].save(
        out,
        "PDF",
        save_all=True,
        append_images=pages[1:],
        resolution=170.0,
        quality=JPEG_QUALITY,
        creationDate=None,  # Pillow writes the time of saving unless told not to
        modDate=None,
    )
    return out.getvalue()
