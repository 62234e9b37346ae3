"""Reading workbooks from HQ or from other branches: guards against hostile files, then python-calamine.

``Book(path)`` reads .xlsx (Excel, WPS, LibreOffice), legacy .xls (Excel 97–2003) and .ods, told apart by their
content, not their name. It refuses (``WorkbookRefused``, a Chinese message saying what the file is and how to
save it as .xlsx, nothing read further) a WPS .et file, a Word document, an HTML or CSV file, a password-protected
workbook (an OLE container holding ``EncryptionInfo``; told apart from an old .xls), a truncated file, one that
declares more than ``MAX_UNCOMPRESSED`` bytes or a compression ratio typical of zip bombs, or a sheet of more than
``MAX_ROWS`` rows. Values are read with python-calamine (cached values only: formulas are never evaluated; the
roster import refuses .xlsx cells holding formulas, see ``formula_cells``).

``read_roster`` finds the roster wherever HQ put it: on any sheet (``SheetChoiceNeeded`` when several could be,
or only a hidden one), below title rows, under a two-level header with merged group cells, columns in any order,
synonyms, full-width characters, zero-width characters and spaces, 必填 hints. Blank rows are skipped; total,
footer and signature rows (合计, 制表人, 填报日期, …) and repeated headers are listed as ignored; cells merged
down over several rows fill each row (with a note); hidden sheets are not read and hidden rows are read with a
note. Each cell is cleaned (``normalize.py``) and converted by its declared column type; every problem is kept
with its sheet, row, column letter and header.
"""

from __future__ import annotations

import functools
import itertools
import operator
import re
import shutil
import struct
import unicodedata
import weakref
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import olefile  # type: ignore[import-untyped]
from python_calamine import CalamineWorkbook, PasswordError, SheetVisibleEnum

from db.errors import BranchDeskError
from db.workbook import protect
from db.workbook.cells import unescape_text
from db.workbook.format import (
    NOTES_SHEET,
    ROSTER_SHEET,
    SECTION_COUNTS,
    SECTION_FIGURES,
    SECTION_GUIDE,
    Column,
    Sheet,
)
from db.workbook.normalize import (
    YearMonth,
    clean_citizen_id,
    clean_mobile,
    clean_name,
    clean_text,
    complete_birth_date,
    landline_note,
    year_month,
)

MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_UNCOMPRESSED = 400 * 1024 * 1024
MAX_RATIO = 200
MAX_ROWS = 60_000
HEADER_SCAN_ROWS = 20
_EXCEL_EPOCH = date(1899, 12, 30)
_SCI_RE = re.compile(r"^\d(\.\d+)?E\+?\d+$", re.IGNORECASE)
_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_HINT_RE = re.compile(r"[（(][^)）]*[)）]|[*＊]")


class WorkbookRefused(BranchDeskError):
    """The file was refused before anything was written; the message says why in Chinese."""


def col_letter(index: int) -> str:
    """0-based column index → Excel letters (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def norm_header(text: Any) -> str:
    """A header cell as compared: NFKC, no whitespace, no 必填/* hints, no brackets' content."""
    t = unicodedata.normalize("NFKC", clean_text(str(text or ""))[0])
    t = re.sub(r"\s+", "", t)
    kept = t
    t = _HINT_RE.sub("", t)
    return t or kept


# --- guards ------------------------------------------------------------------------------------------------


SAVE_AS = "请用 Excel 或 WPS 表格打开它，「另存为」Excel 工作簿（*.xlsx）后再导入。"
ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"


def _ole_kind(path: Path) -> str:
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
        kind = _ole_kind(path)
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
MergedRange = tuple[tuple[int, int], tuple[int, int]]


@functools.lru_cache(maxsize=4)
def _ods_layout_cached(path: str, mtime: float, sheet_name: str) -> tuple[list[MergedRange], set[int]]:
    from defusedxml.ElementTree import iterparse  # lazy, as in ``_sheet_paths``

    t = _ODS_TABLE
    merged: list[MergedRange] = []
    hidden: set[int] = set()
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
                col += int(cell.get(t + "number-columns-repeated", "1"))
            if el.get(t + "visibility") in ("collapse", "filter"):
                hidden.update(range(row + 1, row + 1 + min(repeat, 1000)))
            row += repeat
            el.clear()
            if row > MAX_ROWS + HEADER_SCAN_ROWS and repeat == 1:
                break
    return merged, hidden


def ods_layout(path: Path, sheet_name: str) -> tuple[list[MergedRange], set[int]]:
    """Merged ranges (0-based) and hidden rows (1-based) of an .ods sheet, which python-calamine does not give."""
    try:
        return _ods_layout_cached(str(path), path.stat().st_mtime, sheet_name)
    except (
        OSError,
        ValueError,
        SyntaxError,
        zipfile.BadZipFile,
    ):  # the values are read anyway; layout is extra
        return [], set()


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
    return marks


def xls_marks(path: Path, sheet_name: str) -> SheetMarks:
    """Hidden rows and error cells of an .xls sheet (BIFF8 ROW and BOOLERR records), which calamine does not
    give; empty when the stream cannot be walked (the values are read anyway)."""
    try:
        return _xls_marks_cached(str(path), path.stat().st_mtime, sheet_name)
    except (OSError, ValueError, struct.error):
        return SheetMarks()


# --- opening -----------------------------------------------------------------------------------------------


class Book:
    """A guarded workbook open with python-calamine.

    With ``password`` an encrypted workbook is first decrypted into a private temporary folder (removed when the
    ``Book`` is collected); the guards then check the decrypted file.
    """

    def __init__(self, path: Path, *, password: str | None = None) -> None:
        if (
            password is not None
            and path.is_file()
            and path.stat().st_size <= MAX_FILE_BYTES
            and protect.is_ole(path)
            and _ole_kind(path) == "encrypted"
        ):
            try:
                path = protect.decrypted_copy(path, password=password)
            except BranchDeskError as exc:
                raise WorkbookRefused(exc.message) from exc
            weakref.finalize(self, shutil.rmtree, path.parent, True)
        self.kind = guard_file(path)
        self.path = path
        self._last: tuple[str, Any] | None = None
        try:
            if path.suffix.lower() == "." + self.kind:
                self._book = CalamineWorkbook.from_path(str(path))
            else:  # a renamed file (an .xls saved as "名册.xlsx"): calamine then goes by the content
                with open(path, "rb") as f:
                    self._book = CalamineWorkbook.from_filelike(f)
        except PasswordError as exc:
            raise WorkbookRefused(
                f"旧版 Excel 文件「{path.name}」设置了打开密码，无法读取。"
                "请在 Excel 中取消密码并另存为 .xlsx 后再导入。"
            ) from exc
        except Exception as exc:
            label = {"xls": "Excel 97–2003 工作簿（.xls）", "ods": "OpenDocument 表格（.ods）"}.get(
                self.kind, ".xlsx"
            )
            raise WorkbookRefused(
                f"无法读取文件「{path.name}」：文件已损坏或不是有效的 {label}（{exc}）。"
            ) from exc
        self.sheet_names: list[str] = list(self._book.sheet_names)
        self.hidden_sheets: list[str] = [
            m.name for m in self._book.sheets_metadata if m.visible != SheetVisibleEnum.Visible
        ]

    def _sheet(self, name: str) -> Any:
        # The last sheet is kept: python-calamine parses a whole sheet on every get_sheet_by_name, and the roster
        # sheet is asked for twice (merged ranges, then the rows).
        if self._last is not None and self._last[0] == name:
            return self._last[1]
        try:
            sheet = self._book.get_sheet_by_name(name)
        except Exception as exc:
            raise WorkbookRefused(f"无法读取工作表「{name}」（{exc}）。") from exc
        if sheet.total_height > MAX_ROWS + HEADER_SCAN_ROWS:
            raise WorkbookRefused(
                f"工作表「{name}」有 {sheet.total_height} 行，超过上限 {MAX_ROWS} 行，已拒绝导入。"
                "一个支部的名册不会这么大，请检查文件。"
            )
        self._last = (name, sheet)
        return sheet

    def rows(self, name: str) -> list[list[Any]]:
        """All rows of a sheet as lists of values ('' for blanks) from A1; refuses sheets over ``MAX_ROWS`` rows."""
        sheet = self._sheet(name)
        try:
            rows: list[list[Any]] = sheet.to_python(skip_empty_area=False)
            return rows
        except Exception as exc:
            raise WorkbookRefused(f"工作表「{name}」内容损坏，无法读取（{exc}）。") from exc

    def iter_rows(self, name: str) -> Iterator[list[Any]]:
        """The rows of ``rows(name)`` one at a time (Python objects made per row: memory stays flat)."""
        sheet = self._sheet(name)
        pad = [""] * sheet.start[1] if sheet.start else []
        try:
            for row in sheet.iter_rows():
                yield pad + row if pad else row
        except Exception as exc:
            raise WorkbookRefused(f"工作表「{name}」内容损坏，无法读取（{exc}）。") from exc

    def merged_ranges(self, name: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        """Merged cell ranges of a sheet as 0-based ((row, col), (row, col)); empty when the format has none."""
        if self.kind == "ods":  # python-calamine gives none for .ods: read them from content.xml
            return ods_layout(self.path, name)[0]
        try:
            ranges = self._sheet(name).merged_cell_ranges
        except WorkbookRefused:
            raise
        except Exception:  # noqa: BLE001 - merged ranges only improve the reading; never fail on them
            return []
        return list(ranges or [])

    def close(self) -> None:
        self._last = None
        self._book.close()


def read_notes(book: Book) -> dict[str, Any]:
    """The 说明 sheet as ``{label: value}`` plus ``"counts"`` and ``"figures"`` dicts (empty without the sheet)."""
    out: dict[str, Any] = {"counts": {}, "figures": {}}
    if NOTES_SHEET.name not in book.sheet_names:
        return out
    section = None
    for row in book.rows(NOTES_SHEET.name):
        if not row:
            continue
        label = str(row[0]).strip()
        value = row[1] if len(row) > 1 else ""
        if label == SECTION_GUIDE:
            break  # the explanations for HQ follow: nothing to read
        if label in (SECTION_COUNTS, SECTION_FIGURES):
            section = "counts" if label == SECTION_COUNTS else "figures"
            continue
        if not label:
            continue
        if section is None:
            out[label] = unescape_text(value) if isinstance(value, str) else value
        elif isinstance(value, (int, float)):
            out[section][label] = value
    return out


# --- cell conversion ---------------------------------------------------------------------------------------


class CellError(ValueError):
    """A cell cannot be read as its column's type; ``str()`` is the Chinese reason."""


def parse_date_cell(value: Any) -> date | None:
    """Excel date, serial number, or text ``2020-07-01`` / ``2020/7/1`` / ``2020.07.01`` / ``2020年7月1日``."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            return _EXCEL_EPOCH + timedelta(days=int(value))
        raise CellError(f"「{value}」不是有效的日期")
    text = unicodedata.normalize("NFKC", str(value)).strip()
    m = _DATE_RE.match(text)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            raise CellError(f"「{text}」不是有效的日期") from None
    if re.fullmatch(r"\d{8}", text):
        try:
            return date(int(text[:4]), int(text[4:6]), int(text[6:]))
        except ValueError:
            pass
    raise CellError(f"「{text}」不是可识别的日期（请写成 2020-07-01 或 2020年7月1日）")


def _number_text(value: float) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def parse_cell(column: Column, value: Any) -> Any:
    """A cell converted to its column's stored value; None for a blank cell. Raises ``CellError``."""
    if type(value) is str:
        # Fast path for the common case (ASCII or already half-width text); NFKC only when needed.
        text = value.strip() if value.isascii() else unicodedata.normalize("NFKC", value).strip()
        if not text:
            return None
        value = text
    elif value is None:
        return None
    kind = column.type
    if isinstance(value, bool) and kind != "bool":
        raise CellError(f"「{'TRUE' if value else 'FALSE'}」是逻辑值（TRUE/FALSE），不是{column.header}")
    if kind == "date":
        return parse_date_cell(value)
    if isinstance(value, str) and value[:1] == "'":
        value = unescape_text(value)
    if column.field == "citizen_id":
        if isinstance(value, (int, float)) or _SCI_RE.match(str(value)):
            raise CellError(
                f"公民身份号码「{value}」被 Excel 存成了数字，后几位可能已丢失，无法信任。"
                "请把该列设为「文本」格式后重新录入号码"
            )
        text = str(value)
        return text.upper() if len(text) == 18 and text.isalnum() else clean_citizen_id(text)[0]
    if kind in ("text", "id"):
        if type(value) is str:
            return value
        if isinstance(value, (datetime, date)):
            return value.isoformat()[:10]
        if isinstance(value, float) and not value.is_integer():
            raise CellError(f"「{value}」被 Excel 存成了小数，请把该列设为「文本」格式后重新录入")
        return _number_text(value) if isinstance(value, (int, float)) else str(value)
    if kind == "int":
        try:
            return int(float(value))
        except (TypeError, ValueError):
            raise CellError(f"「{value}」不是整数") from None
    if kind == "money":
        try:
            return round(float(value) * 100)
        except (TypeError, ValueError):
            raise CellError(f"「{value}」不是金额") from None
    if kind == "bool":
        text = str(value).strip().lower()
        if text in ("是", "y", "yes", "1", "true", "√", "✓"):
            return True
        if text in ("否", "n", "no", "0", "false", "×"):
            return False
        raise CellError(f"「{value}」应为“是”或“否”")
    if kind == "choice":
        text = str(value).replace(" ", "")
        for code, label in column.choices.items():
            if text == label or text == str(code):
                return code
        # Abbreviations HQ sheets use (正式 / 预备 for 人员类别): a unique label that starts with the text.
        starts = [code for code, label in column.choices.items() if label.startswith(text)]
        if len(starts) == 1:
            return starts[0]
        raise CellError(f"「{value}」不是可选值（可选：{'、'.join(column.choices.values())}）")
    return value


def cell_parser(column: Column) -> Callable[[Any], Any]:
    """``parse_cell`` specialised for one column: plain text cells (most of a roster) take a short path."""
    if column.type not in ("text", "id") or column.field == "citizen_id":
        return lambda value: parse_cell(column, value)
    normalize = unicodedata.normalize

    def parse_text(value: Any) -> Any:
        if type(value) is str:
            text = value.strip() if value.isascii() else normalize("NFKC", value).strip()
            if not text:
                return None
            return unescape_text(text) if text[0] == "'" else text
        return parse_cell(column, value)

    return parse_text


# --- the roster sheet --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellProblem:
    """One problem with its place: sheet, 1-based row, column letter and header, Chinese message."""

    sheet: str
    row: int
    column: str
    header: str
    message: str

    def location(self) -> str:
        where = f"「{self.sheet}」第 {self.row} 行"
        if self.column:
            where += f" {self.column} 列（{self.header}）"
        return where

    def text(self) -> str:
        return f"{self.location()}：{self.message}"


@dataclass
class RosterRow:
    """One data row of the roster: its row number, parsed values (blank cells absent), its problems (the row is
    invalid) and notes (what was cleaned or filled in, for the secretary to see; the row stays valid)."""

    row: int
    values: dict[str, Any]
    problems: list[CellProblem] = field(default_factory=list)
    # True when the raw cells are exactly what the export writes for the stored member (``values`` then holds only
    # uuid, citizen_id and name): the row is unchanged without parsing it.
    same: bool = False
    notes: list[CellProblem] = field(default_factory=list)


@dataclass
class RosterTable:
    sheet: str
    header_row: int
    columns: dict[str, int]  # field → 0-based column index
    ignored: list[str]
    rows: list[RosterRow]
    # Rows not read as members (合计, 制表人, a repeated header), each with the reason (column "").
    ignored_rows: list[CellProblem] = field(default_factory=list)
    # About the whole sheet: hidden rows read, merged cells filled, hidden sheets not read.
    notes: list[CellProblem] = field(default_factory=list)
    # The read-only 所在党支部 column, by row number (another branch's workbook is refused by it, other branches'
    # rows of a whole-committee roster are left out).
    row_branches: dict[int, str] = field(default_factory=dict)

    def letter(self, field_name: str) -> tuple[str, str]:
        if field_name in self.columns:
            return col_letter(self.columns[field_name]), ROSTER_SHEET.column(field_name).header
        label = next((c.header for c in ROSTER_SHEET.columns if c.field == field_name), field_name)
        return "", label


class SheetChoiceNeeded(WorkbookRefused):
    """Several sheets (or only a hidden one) could hold the roster: the secretary picks one (``sheet=``)."""

    def __init__(self, message: str, sheets: list[str]) -> None:
        super().__init__(message)
        self.sheets = sheets


def _header_map(sheet: Sheet) -> dict[str, Column]:
    out: dict[str, Column] = {}
    for col in sheet.columns:
        for text in (col.header, *col.synonyms):
            out[norm_header(text)] = col
    return out


def _match_row(
    row: list[Any], upper: list[Any] | None, names: Mapping[str, Column]
) -> tuple[dict[str, int], list[str]]:
    """Fields found in a header row; a blank cell takes the header above it when that one is a known name (a
    two-level header: 姓名 merged down over two rows beside 基本信息 → 公民身份号码 / 出生年月)."""
    found: dict[str, int] = {}
    ignored: list[str] = []
    width = max(len(row), len(upper) if upper else 0)
    for ci in range(width):
        cell = row[ci] if ci < len(row) else ""
        key = norm_header(cell)
        if not key and upper is not None and ci < len(upper):
            above = norm_header(upper[ci])
            if above in names:
                key, cell = above, upper[ci]
        if not key:
            continue
        col = names.get(key)
        if col is not None and col.field not in found:
            found[col.field] = ci
        else:
            ignored.append(str(cell).strip())
    return found, ignored


def find_header(rows: list[list[Any]], sheet: Sheet) -> tuple[int, dict[str, int], list[str]] | None:
    """(0-based header row, field → column index, ignored headers) of the best header in the first rows."""
    names = _header_map(sheet)
    best: tuple[int, dict[str, int], list[str]] | None = None
    for ri, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        found, ignored = _match_row(row, rows[ri - 1] if ri else None, names)
        if len(found) >= 2 and (best is None or len(found) > len(best[1])):
            best = (ri, found, ignored)
    return best


def roster_sheets(book: Book) -> list[str]:
    """The sheets that look like a roster (a header with 姓名 in the first rows), hidden ones included."""
    out = []
    for name in book.sheet_names:
        if name == NOTES_SHEET.name:
            continue
        found = find_header(list(itertools.islice(book.iter_rows(name), HEADER_SCAN_ROWS)), ROSTER_SHEET)
        if found and "name" in found[1]:
            out.append(name)
    return out


def find_roster_sheet(book: Book, sheet: str | None = None) -> str:
    """The sheet holding the roster: ``sheet`` when given, 党员名册 if present, else the one sheet with a roster
    header. Several candidates, or only a hidden one, raise ``SheetChoiceNeeded`` (the secretary picks)."""
    if sheet is not None:
        if sheet not in book.sheet_names:
            raise WorkbookRefused(f"文件「{book.path.name}」中没有工作表「{sheet}」。")
        return sheet
    if ROSTER_SHEET.name in book.sheet_names and ROSTER_SHEET.name not in book.hidden_sheets:
        return ROSTER_SHEET.name
    candidates = roster_sheets(book)
    visible = [n for n in candidates if n not in book.hidden_sheets]
    if len(candidates) == 1 and visible:
        return visible[0]
    if not candidates:
        raise WorkbookRefused(
            f"文件「{book.path.name}」中找不到党员名册（需要一个含「姓名」「公民身份号码」等表头的工作表）。"
        )
    shown = "、".join(f"「{n}」" + ("（隐藏）" if n in book.hidden_sheets else "") for n in candidates)
    reason = "有多个工作表像是党员名册" if len(candidates) > 1 else "党员名册在隐藏的工作表中"
    raise SheetChoiceNeeded(f"文件「{book.path.name}」{reason}：{shown}。请选择要导入的工作表。", candidates)


# Rows at the foot of a roster that are not members: totals, signatures, dates.
FOOTER_WORDS = (
    "合计",
    "总计",
    "小计",
    "共计",
    "制表人",
    "制表",
    "审核人",
    "审核",
    "填报日期",
    "填报人",
    "填表人",
    "填表日期",
    "负责人",
    "单位负责人",
    "联系人",
    "备注：",
    "说明：",
    "注：",
)


def _footer_reason(row: list[Any]) -> str | None:
    """Why a row is a total/footer/signature row (its first non-blank cell starts with one of ``FOOTER_WORDS``)."""
    first = next((c for c in row if c != "" and c is not None and str(c).strip()), None)
    if not isinstance(first, str) or first.lstrip()[:1] not in _FOOTER_FIRST:
        return None  # the common case (a 序号 number or a name), decided without normalising
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", first))
    for word, key in _FOOTER_KEYS:
        if text.startswith(key):
            return f"「{word.rstrip('：')}」行（合计、签名或日期），不是党员，未导入"
    return None


_FOOTER_KEYS = tuple((w, unicodedata.normalize("NFKC", w)) for w in FOOTER_WORDS)
_FOOTER_FIRST = frozenset(w[0] for w in FOOTER_WORDS)


def _merge_fills(
    book: Book, name: str, header_row: int, columns: Mapping[int, Column]
) -> tuple[dict[int, list[tuple[int, int]]], list[tuple[int, int, int]]]:
    """Cells merged down over data rows in imported columns: ``{row: [(col, origin row)]}`` (0-based) and the
    ranges ``(first row, last row, col)``."""
    fills: dict[int, list[tuple[int, int]]] = {}
    ranges = []
    for (r1, c1), (r2, c2) in book.merged_ranges(name):
        if r2 <= r1 or r1 <= header_row:
            continue
        for ci in range(c1, c2 + 1):
            if ci in columns:
                ranges.append((r1, r2, ci))
                for ri in range(r1 + 1, r2 + 1):
                    fills.setdefault(ri, []).append((ci, r1))
    return fills, ranges


ExpectedFor = Callable[[list[str]], Mapping[str, tuple[Any, ...]]]


def _post(fname: str, value: Any, raw: Any) -> tuple[Any, str | None]:
    """Field-specific cleaning after a cell is parsed: names, IDs, phones; with a note when the secretary should
    know. Each has a short path for the value that needs nothing (most of a roster)."""
    if type(value) is not str:
        return value, None
    if fname == "name":
        return (clean_name(value) if _NAME_FIX_RE.search(value) else value), None
    if fname == "citizen_id":
        if type(raw) is str and len(raw) != 18:
            return value, clean_citizen_id(unicodedata.normalize("NFKC", raw))[1]
        return value, None
    if fname == "mobile":
        return (value if len(value) == 11 and value.isdigit() else clean_mobile(value)), None
    if fname == "landline" and value[:1] != "0":
        return value, landline_note(value)
    return value, None


_NAME_FIX_RE = re.compile(r"[\s•・･.．‧∙⋅·]")


def read_roster(
    book: Book, *, expected_for: ExpectedFor | None = None, sheet: str | None = None
) -> RosterTable:
    """The roster of the workbook, parsed. Refuses formulas, missing headers and more than ``MAX_ROWS`` rows.

    ``sheet`` names the roster sheet when the workbook has several candidates (see ``find_roster_sheet``).
    ``expected_for(fields)`` may give, per member uuid, the raw cell values our export writes for those fields;
    a row whose cells equal them is marked ``same`` and not parsed (re-importing a returned workbook is fast)."""
    name = find_roster_sheet(book, sheet)
    marks = SheetMarks()
    if book.kind == "xlsx":
        formulas = formula_cells(book.path, name)
        if formulas:
            raise WorkbookRefused(
                f"工作表「{name}」的单元格 {'、'.join(formulas)} 含有公式。为安全起见不导入公式："
                "请在 Excel 中全选后「复制 → 选择性粘贴 → 数值」，保存后再导入。"
            )
        marks = sheet_marks(book.path, name)
    elif book.kind == "ods":
        marks = SheetMarks(hidden_rows=ods_layout(book.path, name)[1])
    elif book.kind == "xls":
        marks = xls_marks(book.path, name)
    stream = book.iter_rows(name)
    first = list(itertools.islice(stream, HEADER_SCAN_ROWS))
    header = find_header(first, ROSTER_SHEET)
    if header is None or "name" not in header[1]:
        raise WorkbookRefused(f"工作表「{name}」中找不到表头（至少需要「姓名」和「公民身份号码」列）。")
    header_row, columns, ignored = header
    if "citizen_id" not in columns and "uuid" not in columns:
        raise WorkbookRefused(f"工作表「{name}」缺少「公民身份号码」列，无法与名册对应。")
    imported = [
        (f, ci, ROSTER_SHEET.column(f), cell_parser(ROSTER_SHEET.column(f)))
        for f, ci in columns.items()
        if not ROSTER_SHEET.column(f).readonly
    ]
    by_index = {ci: col for _, ci, col, _ in imported}
    notes: list[CellProblem] = [
        CellProblem(n, 0, "", "", f"工作表「{n}」是隐藏的，未读取") for n in book.hidden_sheets if n != name
    ]
    fills, merged = _merge_fills(book, name, header_row, by_index)
    for r1, r2, ci in merged:
        notes.append(
            CellProblem(
                name,
                r1 + 1,
                col_letter(ci),
                by_index[ci].header,
                f"合并单元格（第 {r1 + 1}–{r2 + 1} 行）：已把合并的值填入每一行",
            )
        )
    hidden_data = sorted(r for r in marks.hidden_rows if r > header_row + 1)
    if hidden_data:
        shown = "、".join(str(r) for r in hidden_data[:20]) + ("……" if len(hidden_data) > 20 else "")
        notes.append(CellProblem(name, hidden_data[0], "", "", f"第 {shown} 行是隐藏行，已一并读取，请核对"))
    name_ci = columns["name"]
    out: list[RosterRow] = []
    ignored_rows: list[CellProblem] = []
    fast: Mapping[str, tuple[Any, ...]] = {}
    if expected_for is not None and "uuid" in columns:
        fast = expected_for([f for f, _, _, _ in imported])
        positions = [ci for _, ci, _, _ in imported]
        pick = operator.itemgetter(*positions)
        need = max(positions) + 1
        uuid_ci = columns["uuid"]
        cid_ci = columns.get("citizen_id")
    origin_values: dict[tuple[int, int], Any] = {}
    fill_origins = {(r1, ci) for r1, _, ci in merged}
    branch_ci = columns.get("branch_name")
    row_branches: dict[int, str] = {}
    branch_texts: dict[str, str] = {}
    for ri, row in enumerate(itertools.chain(first, stream)):
        if ri <= header_row:
            continue
        if (
            branch_ci is not None
            and branch_ci < len(row)
            and type(row[branch_ci]) is str
            and (text := branch_texts.get(row[branch_ci]) or _branch_text(row[branch_ci], branch_texts))
        ):
            row_branches[ri + 1] = text  # one string object per distinct branch (a roster repeats one name)
        if fast:
            if len(row) < need:
                row = row + [""] * (need - len(row))
            expected = fast.get(row[uuid_ci])
            if expected is not None and pick(row) == expected and ri not in fills:
                values = {"uuid": row[uuid_ci], "name": row[name_ci]}
                if cid_ci is not None and row[cid_ci]:
                    values["citizen_id"] = row[cid_ci]
                out.append(RosterRow(row=ri + 1, values=values, same=True))
                continue
        if fill_origins:
            for key in fill_origins:
                if key[0] == ri and key[1] < len(row):
                    origin_values[key] = row[key[1]]
        if ri in fills:
            row = list(row)
            for ci, r1 in fills[ri]:
                while len(row) <= ci:
                    row.append("")
                if row[ci] == "" or row[ci] is None:
                    row[ci] = origin_values.get((r1, ci), "")
        if not any(c != "" and c is not None and str(c).strip() for c in row):
            continue
        reason = _footer_reason(row)
        if (
            reason is None
            and ri > header_row
            and name_ci < len(row)
            and type(row[name_ci]) is str
            and "名" in row[name_ci]
            and norm_header(row[name_ci]) == "姓名"
        ):
            reason = "重复的表头行，未导入"
        if reason is not None:
            ignored_rows.append(CellProblem(name, ri + 1, "", "", reason))
            continue
        parsed = RosterRow(row=ri + 1, values={})
        width = len(row)
        values = parsed.values
        pending: YearMonth | None = None
        for fname, ci, col, parse in imported:
            raw = row[ci] if ci < width else ""
            if raw == "":
                if marks.errors and (ri + 1, col_letter(ci)) in marks.errors:
                    error = marks.errors[(ri + 1, col_letter(ci))]
                    parsed.problems.append(
                        CellProblem(
                            name,
                            ri + 1,
                            col_letter(ci),
                            col.header,
                            f"单元格是错误值「{error}」，请改正后再导入",
                        )
                    )
                continue
            if type(raw) is str and not raw.isprintable():
                raw, note = clean_text(raw)
                if note:
                    parsed.notes.append(CellProblem(name, ri + 1, col_letter(ci), col.header, note))
            if fname == "birth_date":
                pending = year_month(raw)
                if pending is not None:
                    continue
            try:
                value = parse(raw)
            except CellError as exc:
                parsed.problems.append(CellProblem(name, ri + 1, col_letter(ci), col.header, str(exc)))
                continue
            if value is not None:
                if fname in _POST_FIELDS:
                    value, note = _post(fname, value, raw)
                    if note:
                        parsed.notes.append(CellProblem(name, ri + 1, col_letter(ci), col.header, note))
                values[fname] = value
        if pending is not None:
            ci = columns["birth_date"]
            try:
                values["birth_date"] = complete_birth_date(pending, values.get("citizen_id"))
            except ValueError as exc:
                parsed.problems.append(CellProblem(name, ri + 1, col_letter(ci), "出生日期", str(exc)))
        out.append(parsed)
    return RosterTable(
        sheet=name,
        header_row=header_row + 1,
        columns=columns,
        ignored=ignored,
        rows=out,
        ignored_rows=ignored_rows,
        notes=notes,
        row_branches=row_branches,
    )


def _branch_text(raw: str, seen: dict[str, str]) -> str:
    seen[raw] = text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", raw))
    return text


_POST_FIELDS = frozenset({"name", "citizen_id", "mobile", "landline"})
