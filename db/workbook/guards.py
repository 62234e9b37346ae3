"""Guards run before a workbook is read: what kind of file it is, its size and compression, formulas, hidden rows
and error cells, merged ranges of .ods and .xls sheets (nothing of the file is evaluated or trusted)."""

from __future__ import annotations

import functools
import re
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.etree.ElementTree import Element

import olefile  # type: ignore[import-untyped]

from db.errors import BranchDeskError
from db.workbook import protect

MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_UNCOMPRESSED = 400 * 1024 * 1024
MAX_RATIO = 200
MAX_ROWS = 60_000
HEADER_SCAN_ROWS = 20


def col_letter(index: int) -> str:
    """0-based column index → Excel letters (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


class WorkbookRefused(BranchDeskError):
    """The file was refused before anything was written; the message says why in Chinese."""


# --- guards ------------------------------------------------------------------------------------------------


SAVE_AS = "请用 Excel 或 WPS 表格打开它，「另存为」Excel 工作簿（*.xlsx）后再导入。"
ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"


def ole_kind(path: Path) -> str:
    """What an OLE container (``D0 CF 11 E0``) holds: ``encrypted`` (a password-protected .xlsx), ``xls`` (Excel
    97–2003), ``doc`` (Word), ``other``; ``damaged`` when it cannot be parsed as a container at all."""
    try:
        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(entry) for entry in ole.listdir()}
    except Exception:  # noqa: BLE001 - any failure to parse the container means it is not a readable file
        return "damaged"
    if "EncryptionInfo" in streams or "EncryptedPackage" in streams:
        return "encrypted"
    if "Workbook" in streams or "Book" in streams:
        return "xls"
    if "WordDocument" in streams:
        return "doc"
    return "other"


def _not_a_workbook(name: str, head: bytes) -> str:
    """The message for a file that is neither a zip nor an OLE container: say what it looks like."""
    low = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"%PDF"):
        what = "PDF 文件"
    elif low.startswith((b"<html", b"<!doctype html", b"<table", b"<meta")) or b"<html" in low[:200]:
        what = "网页（HTML）文件——有些系统导出的「.xls」其实是网页"
    elif low.startswith(b"<?xml"):
        what = "XML 文件（可能是「XML 电子表格 2003」）"
    else:
        try:
            text = head.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = head.decode("gb18030")
            except UnicodeDecodeError:
                text = ""
        what = (
            "文本（CSV）文件" if text and ("," in text or "\t" in text or "\n" in text) else "无法识别的文件"
        )
    return f"文件「{name}」不是 Excel 工作簿，而是{what}。{SAVE_AS}"


def guard_file(path: Path) -> str:
    """Refuse a hostile or unreadable file before any parser sees it (see the module docstring); the kind of a
    file that may be read: ``xlsx``, ``xls`` (Excel 97–2003) or ``ods`` (OpenDocument)."""
    name = path.name
    if not path.is_file():
        raise WorkbookRefused(f"找不到文件「{path}」。")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise WorkbookRefused(f"文件「{name}」过大（{size // 1048576} MB），不像是支部名册，已拒绝导入。")
    with open(path, "rb") as f:
        head = f.read(512)
    suffix = path.suffix.lower()
    if suffix in (".et", ".ett"):
        raise WorkbookRefused(f"文件「{name}」是 WPS 表格的专用格式（.et），无法直接读取。{SAVE_AS}")
    if head.startswith(protect.OLE_MAGIC[:4]):
        kind = ole_kind(path)
        if kind == "xls":
            return "xls"
        if kind == "encrypted":
            raise WorkbookRefused(
                f"文件「{name}」设置了打开密码，无法读取。若是与上级约定密码加密的工作簿，请输入工作簿密码；"
                "否则请在 Excel 中取消密码并另存为 .xlsx 后再导入。"
            )
        if kind == "doc":
            raise WorkbookRefused(f"文件「{name}」是 Word 文档，不是 Excel 工作簿。{SAVE_AS}")
        if kind == "damaged":
            raise WorkbookRefused(
                f"文件「{name}」是 Office 旧格式文件，但内容无法识别：可能已损坏，或设置了打开密码。"
                "请在 Excel 或 WPS 中打开确认，取消密码后另存为 .xlsx 再导入。"
            )
        raise WorkbookRefused(
            f"文件「{name}」是 Office 旧格式文件，但不是 Excel 工作簿（可能是 WPS 表格 .et 等格式）。{SAVE_AS}"
        )
    if not head.startswith(b"PK\x03\x04"):
        raise WorkbookRefused(_not_a_workbook(name, head))
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            names = {i.filename for i in infos}
            total = sum(i.file_size for i in infos)
            for info in infos:
                ratio = info.file_size / max(info.compress_size, 1)
                if info.file_size > 20 * 1024 * 1024 and ratio > MAX_RATIO:
                    raise WorkbookRefused(
                        f"文件「{name}」的压缩比异常（{ratio:.0f} 倍），可能是恶意构造的文件，已拒绝导入。"
                    )
            if total > MAX_UNCOMPRESSED:
                raise WorkbookRefused(
                    f"文件「{name}」解压后超过 {MAX_UNCOMPRESSED // 1048576} MB，可能是恶意构造的文件，已拒绝导入。"
                )
            if "mimetype" in names and z.read("mimetype").strip() == ODS_MIME and "content.xml" in names:
                return "ods"
            if "word/document.xml" in names:
                raise WorkbookRefused(f"文件「{name}」是 Word 文档，不是 Excel 工作簿。{SAVE_AS}")
            if "xl/workbook.xml" not in names:
                raise WorkbookRefused(
                    f"文件「{name}」不是 Excel 工作簿（缺少工作簿内容）。请选择 .xlsx 文件。"
                )
    except zipfile.BadZipFile as exc:
        raise WorkbookRefused(f"文件「{name}」已损坏或不完整（可能未传输完整），请重新获取文件。") from exc
    except (zipfile.LargeZipFile, NotImplementedError) as exc:
        raise WorkbookRefused(f"文件「{name}」的压缩格式不受支持，请在 Excel 中重新保存为 .xlsx。") from exc
    return "xlsx"


def _sheet_paths(path: Path) -> dict[str, str]:
    """Sheet name → part name inside the zip (``xl/worksheets/sheet1.xml``)."""
    # Lazy: defusedxml.ElementTree costs ~40 ms to import (python -X importtime), and this module is loaded at GUI
    # start-up through the exchange page; only a formula check on an imported file needs it.
    from defusedxml.ElementTree import fromstring

    with zipfile.ZipFile(path) as z:
        book = fromstring(z.read("xl/workbook.xml"))
        rels = fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        targets[rel.get("Id")] = target
    out = {}
    for el in book.iter():
        if _local(el) == "sheet":
            rid = next((v for k, v in el.attrib.items() if k.endswith("}id")), None)
            if rid in targets:
                out[el.get("name", "")] = targets[rid]
    return out


def _local(el: Element) -> str:
    return el.tag.rsplit("}", 1)[-1]


_FORMULA_RE = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]+)(\d+)"[^>]*>\s*<(?:\w+:)?f\b')


def formula_cells(path: Path, sheet_name: str, *, limit: int = 5) -> list[str]:
    """Up to ``limit`` cell references (``D5``) of the sheet that hold a formula (streamed, bounded memory)."""
    part = _sheet_paths(path).get(sheet_name)
    if not part:
        return []
    found: list[str] = []
    tail = b""
    with zipfile.ZipFile(path) as z, z.open(part) as f:
        while True:
            chunk = f.read(1 << 20)
            if not chunk:
                break
            data = tail + chunk
            tail = data[-400:]
            if b"<f>" not in data and b"<f " not in data and b":f>" not in data:
                continue  # the common case: no formula at all, checked at C speed
            for m in _FORMULA_RE.finditer(data):
                ref = (m.group(1) + m.group(2)).decode()
                if ref not in found:
                    found.append(ref)
                if len(found) >= limit:
                    return found
    return found


_HIDDEN_ROW_RE = re.compile(rb'<(?:\w+:)?row\b[^>]*?\bhidden="(?:1|true)"[^>]*>')
_ROW_NUMBER_RE = re.compile(rb'\br="(\d+)"')
_ERROR_CELL_RE = re.compile(rb'<(?:\w+:)?c\b([^>]*?\bt="e"[^>]*)>\s*<(?:\w+:)?v>([^<]*)<')
_CELL_REF_RE = re.compile(rb'\br="([A-Z]+)(\d+)"')


@dataclass
class SheetMarks:
    """What python-calamine does not say about an .xlsx sheet: hidden rows (1-based) and error cells
    (``{(row, column letter): "#N/A"}``; calamine reads them as blank)."""

    hidden_rows: set[int] = field(default_factory=set)
    errors: dict[tuple[int, str], str] = field(default_factory=dict)


def _whole_rows(path: Path, part: str) -> Iterator[bytes]:
    """The XML of a sheet part in ~1 MB pieces that end after a ``</row>`` (a row is never split)."""
    tail = b""
    with zipfile.ZipFile(path) as z, z.open(part) as f:
        while chunk := f.read(1 << 20):
            data = tail + chunk
            end = data.rfind(b"</row>")
            cut = end + 6 if end >= 0 else data.rfind(b"<")
            data, tail = (data[:cut], data[cut:]) if cut > 0 else (data, b"")
            yield data
    yield tail


def sheet_marks(path: Path, sheet_name: str) -> SheetMarks:
    """Hidden rows and error cells of an .xlsx sheet (streamed, bounded memory)."""
    marks = SheetMarks()
    part = _sheet_paths(path).get(sheet_name)
    if not part:
        return marks
    for data in _whole_rows(path, part):
        if b"hidden=" in data:
            for m in _HIDDEN_ROW_RE.finditer(data):
                if n := _ROW_NUMBER_RE.search(m.group(0)):
                    marks.hidden_rows.add(int(n.group(1)))
        if b't="e"' in data:
            for m in _ERROR_CELL_RE.finditer(data):
                if ref := _CELL_REF_RE.search(m.group(1)):
                    marks.errors[(int(ref.group(2)), ref.group(1).decode())] = m.group(2).decode()
        if len(marks.errors) > 1000:
            break
    return marks


_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_ODS_CALCEXT = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"
MergedRange = tuple[tuple[int, int], tuple[int, int]]


def _ods_error(cell: Element) -> str | None:
    """The error a formula cell of an .ods shows (``#N/A``, ``#DIV/0!``, LibreOffice's ``Err:502``), which
    python-calamine reads as a blank; None for any other cell. LibreOffice marks it ``calcext:value-type="error"``;
    without that mark (other writers), a formula cell with an empty string value whose text is an error is one."""
    if cell.get(_ODS_TABLE + "formula") is None:
        return None
    text = "".join(cell.itertext()).strip()
    if cell.get(_ODS_CALCEXT + "value-type") == "error":
        return text or "#ERROR"
    if cell.get(_ODS_OFFICE + "string-value") == "" and (
        text in _XLS_ERRORS.values() or text.startswith("Err:")
    ):
        return text
    return None


@functools.lru_cache(maxsize=4)
def _ods_layout_cached(path: str, mtime: float, sheet_name: str) -> tuple[list[MergedRange], SheetMarks]:
    from defusedxml.ElementTree import iterparse  # lazy, as in ``_sheet_paths``

    t = _ODS_TABLE
    merged: list[MergedRange] = []
    marks = SheetMarks()
    inside = False
    row = 0
    with zipfile.ZipFile(path) as z, z.open("content.xml") as f:
        for event, el in iterparse(f, events=("start", "end")):
            if el.tag == t + "table":
                if event == "start":
                    inside, row = el.get(t + "name") == sheet_name, 0
                elif inside:
                    break
                continue
            if not inside or event != "end" or el.tag != t + "table-row":
                continue
            repeat = int(el.get(t + "number-rows-repeated", "1"))
            col = 0
            for cell in el:
                rows_spanned = int(cell.get(t + "number-rows-spanned", "1"))
                cols_spanned = int(cell.get(t + "number-columns-spanned", "1"))
                if cell.tag == t + "table-cell" and (rows_spanned > 1 or cols_spanned > 1):
                    merged.append(((row, col), (row + rows_spanned - 1, col + cols_spanned - 1)))
                if len(marks.errors) <= 1000 and (error := _ods_error(cell)) is not None:
                    for r in range(row + 1, row + 1 + min(repeat, 1000)):
                        marks.errors[(r, col_letter(col))] = error
                col += int(cell.get(t + "number-columns-repeated", "1"))
            if el.get(t + "visibility") in ("collapse", "filter"):
                marks.hidden_rows.update(range(row + 1, row + 1 + min(repeat, 1000)))
            row += repeat
            el.clear()
            if row > MAX_ROWS + HEADER_SCAN_ROWS and repeat == 1:
                break
    return merged, marks


def ods_layout(path: Path, sheet_name: str) -> tuple[list[MergedRange], SheetMarks]:
    """Merged ranges (0-based), hidden rows (1-based) and error cells of an .ods sheet, which python-calamine
    does not give (it reads an error cell as a blank)."""
    try:
        return _ods_layout_cached(str(path), path.stat().st_mtime, sheet_name)
    except (
        OSError,
        ValueError,
        SyntaxError,
        zipfile.BadZipFile,
    ):  # the values are read anyway; layout is extra
        return [], SheetMarks()


_XLS_ERRORS = {
    0x00: "#NULL!",
    0x07: "#DIV/0!",
    0x0F: "#VALUE!",
    0x17: "#REF!",
    0x1D: "#NAME?",
    0x24: "#NUM!",
    0x2A: "#N/A",
}


def _xls_records(data: bytes, pos: int) -> Iterator[tuple[int, int, bytes]]:
    """BIFF8 records (type, offset, body) from ``pos`` up to and including the next EOF record."""
    while pos + 4 <= len(data):
        kind, length = struct.unpack_from("<HH", data, pos)
        yield kind, pos, data[pos + 4 : pos + 4 + length]
        pos += 4 + length
        if kind == 0x000A:  # EOF
            return


@functools.lru_cache(maxsize=4)
def _xls_marks_cached(path: str, mtime: float, sheet_name: str) -> SheetMarks:
    marks = SheetMarks()
    with olefile.OleFileIO(path) as ole:
        stream = "Workbook" if ole.exists("Workbook") else "Book"
        data = ole.openstream(stream).read()
    offset = None
    for kind, _, body in _xls_records(data, 0):  # the workbook globals: BOUNDSHEET records name the sheets
        if kind == 0x0085 and len(body) >= 8:
            count, high = body[6], body[7]
            raw = body[8 : 8 + count * (2 if high else 1)]
            name = raw.decode("utf-16-le" if high else "latin-1", "replace")
            if name == sheet_name:
                offset = struct.unpack_from("<I", body, 0)[0]
    if offset is None:
        return marks
    for kind, _, body in _xls_records(data, offset):
        if (
            kind == 0x0208 and len(body) >= 16 and struct.unpack_from("<H", body, 12)[0] & 0x20
        ):  # ROW, fDyZero
            marks.hidden_rows.add(struct.unpack_from("<H", body, 0)[0] + 1)
        elif kind == 0x0205 and len(body) >= 8 and body[7] == 1:  # BOOLERR holding an error
            row, col = struct.unpack_from("<HH", body, 0)
            marks.errors[(row + 1, col_letter(col))] = _XLS_ERRORS.get(body[6], "#ERROR")
        elif kind == 0x0006 and len(body) >= 14 and body[6] == 2 and body[12:14] == b"\xff\xff":
            # FORMULA whose cached result is an error (calamine reads it as a blank)
            row, col = struct.unpack_from("<HH", body, 0)
            marks.errors[(row + 1, col_letter(col))] = _XLS_ERRORS.get(body[8], "#ERROR")
    return marks


def xls_marks(path: Path, sheet_name: str) -> SheetMarks:
    """Hidden rows and error cells of an .xls sheet (BIFF8 ROW, BOOLERR and FORMULA records), which calamine does not
    give; empty when the stream cannot be walked (the values are read anyway)."""
    try:
        return _xls_marks_cached(str(path), path.stat().st_mtime, sheet_name)
    except (OSError, ValueError, struct.error):
        return SheetMarks()


_PROPERTY_TIME_RE = re.compile(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:[.,]\d+)?(Z|[+-]\d\d:?\d\d)?$")


def _property_time(text: str | None) -> datetime | None:
    """An ISO time of a document property as local time: with ``Z`` or an offset (.xlsx, always UTC) converted,
    without one (.ods as LibreOffice writes it) taken as local time already."""
    m = _PROPERTY_TIME_RE.match((text or "").strip())
    if m is None:
        return None
    when = datetime.fromisoformat(m.group(1))
    zone = m.group(2)
    if zone is None:
        return when
    offset = UTC if zone == "Z" else datetime.strptime(zone.replace(":", ""), "%z").tzinfo
    return when.replace(tzinfo=offset).astimezone().replace(tzinfo=None)


def _saved_at(path: Path, kind: str) -> datetime | None:
    from defusedxml.ElementTree import fromstring  # lazy, as in ``_sheet_paths``

    if kind == "xls":
        with olefile.OleFileIO(str(path)) as ole:
            meta = ole.get_metadata()
        found = meta.last_saved_time or meta.create_time  # FILETIME, UTC
        return found.replace(tzinfo=UTC).astimezone().replace(tzinfo=None) if found else None
    part, tags = (
        ("docProps/core.xml", ("modified", "created"))
        if kind == "xlsx"
        else ("meta.xml", ("date", "creation-date"))
    )
    with zipfile.ZipFile(path) as z:
        if part not in z.namelist() or z.getinfo(part).file_size > 1 << 20:
            return None
        root = fromstring(z.read(part))
    times = {el.tag.rsplit("}", 1)[-1]: el.text for el in root.iter()}
    for tag in tags:
        if (when := _property_time(times.get(tag))) is not None:
            return when
    return None


def _plausible(when: datetime | None) -> datetime | None:
    """A saved time is believed from 2000 until a day after now (a PC with a wrong clock gives nonsense)."""
    if when is None or when.year < 2000 or when > datetime.now() + timedelta(days=1):
        return None
    return when


def document_saved_at(path: Path, kind: str) -> datetime | None:
    """When a workbook was last saved (else created) by its document properties, as local time; None when they
    are missing or implausible. Raises ``OSError``/``ValueError``/``KeyError``/``SyntaxError``/``BadZipFile``
    for an unreadable part (the caller treats the file as undated)."""
    return _plausible(_saved_at(path, kind))
