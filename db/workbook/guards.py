"""Guards run before a workbook is read: what kind of file it is, its size and compression, XML document type
declarations (entities), the size of a sheet (rows, columns, cells: counted in the raw XML before any parser builds
it), formulas, what a workbook carries besides its cells (macros, external links, embedded objects: named, never
run), hidden rows and columns and error cells of .xlsx sheets (nothing of the file is evaluated or trusted). The
same marks and the merged ranges of .ods and .xls sheets are read in ``layouts``."""

from __future__ import annotations

import bisect
import re
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
MAX_COLUMNS = (
    1000  # a roster has about 30; a sheet wider than this is not one (and a parser would fill it in)
)
MAX_CELLS = 5_000_000
MAX_SHARED_STRINGS = 64 * 1024 * 1024  # a 60,000-row roster's distinct texts take a few MB
MAX_PARTS = 10_000  # zip entries; Excel writes a few dozen
_PROLOG_BYTES = 64 * 1024  # an XML part's declaration and comments before its root element


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
    if head.startswith(b"SQLite format 3\x00"):
        return f"文件「{name}」是数据库文件（.sqlite），不是 Excel 工作簿。请选择上级发来或本程序导出的 Excel 工作簿（.xlsx、.xls）。"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"II*\x00", b"MM\x00*")):
        return (
            f"文件「{name}」是图片，不是 Excel 工作簿。若是纸质表格的照片或扫描件，请用「文件」菜单的「导入扫描件」归档；"
            "导入名单请选择 Excel 工作簿（.xlsx、.xls）。"
        )
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


def _all_zero(path: Path, head: bytes) -> bool:
    """True for a file with nothing in it: zero bytes, or only zero bytes (what an interrupted copy to a USB stick
    leaves), read in blocks and only as far as the first byte that is not zero."""
    if head.strip(b"\0"):
        return False
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            if block.strip(b"\0"):
                return False
    return True


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
    if _all_zero(path, head):
        what = "是空的（0 字节）" if size == 0 else "的内容全为零"
        raise WorkbookRefused(
            f"文件「{name}」{what}，没有可读的内容：可能是复制、下载或保存时被中断（如 U 盘被拔出）。"
            "请从原处重新复制该文件，或请发送方重新发送。"
        )
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
            if len(infos) > MAX_PARTS:
                raise WorkbookRefused(
                    f"文件「{name}」内含 {len(infos)} 个部件，不像是 Excel 工作簿，可能是恶意构造的文件，已拒绝导入。"
                )
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
            strings = next((i for i in infos if i.filename.lower() == "xl/sharedstrings.xml"), None)
            if strings is not None and strings.file_size > MAX_SHARED_STRINGS:
                # python-calamine reads every shared string into memory as it opens the file
                raise WorkbookRefused(
                    f"文件「{name}」的共享文本部件解压后有 {strings.file_size // 1048576} MB，超过上限 "
                    f"{MAX_SHARED_STRINGS // 1048576} MB，不像是支部名册，已拒绝导入（未读取）。"
                )
            for info in infos:
                if info.filename.lower().endswith((".xml", ".rels", ".vml")) and _declares_doctype(z, info):
                    raise WorkbookRefused(
                        f"文件「{name}」的部件「{info.filename}」含有 XML 文档类型声明（DTD/实体），Excel 和 WPS "
                        f"从不写这种内容，可能是恶意构造的文件，已拒绝导入。{SAVE_AS}"
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


def _declares_doctype(z: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """True when the XML part declares a document type (``<!DOCTYPE``, and with it entities, external ones too):
    its prolog (declaration, comments, processing instructions) is read up to the root element, in UTF-8 or
    UTF-16; a prolog longer than ``_PROLOG_BYTES`` counts as hostile too."""
    with z.open(info) as f:
        head = f.read(_PROLOG_BYTES + 1)
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<")):
        encoding = "utf-16-be" if head.startswith((b"\xfe\xff", b"\x00<")) else "utf-16-le"
        head = head.decode(encoding, "ignore").encode("utf-8")
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    while text.startswith(b"<"):
        if text.startswith(b"<?"):
            end = text.find(b"?>")
            skip = end + 2
        elif text.startswith(b"<!--"):
            end = text.find(b"-->")
            skip = end + 3
        else:
            # <!DOCTYPE (any other <! before the root is not XML a spreadsheet writes either), or the root
            return text.startswith(b"<!")
        if end < 0:
            return (
                len(head) > _PROLOG_BYTES
            )  # cut off inside the prolog: only a hostile file has one this long
        text = text[skip:].lstrip(b" \t\r\n")
    return False


def active_content(path: Path) -> list[str]:
    """What an .xlsx carries besides cells, by its parts (nothing of it is opened or run): macros, Excel 4.0 macro
    sheets, external links, data connections, embedded objects, ActiveX controls. Chinese names, for the preview."""
    with zipfile.ZipFile(path) as z:
        names = [n.lower() for n in z.namelist()]
    return [label for label, part in _ACTIVE_PARTS if any(part.match(n) for n in names)]


_ACTIVE_PARTS = (
    ("宏（VBA 代码）", re.compile(r".*vbaproject\.bin$")),
    ("Excel 4.0 宏表", re.compile(r"xl/(macrosheets|dialogsheets)/")),
    ("外部链接（引用其他工作簿）", re.compile(r"xl/externallinks/")),
    ("外部数据连接", re.compile(r"xl/(connections\.xml$|querytables/)")),
    ("嵌入对象（OLE）", re.compile(r"xl/embeddings/")),
    ("ActiveX 控件", re.compile(r"xl/activex/")),
)


_DIMENSION_RE = re.compile(rb'<(?:\w+:)?dimension\b[^>]*?\bref="[A-Z]*\d*:?([A-Z]+)(\d+)"')
# A cell or row reference past MAX_ROWS (5 digits from 60000, or 6 and more) or past MAX_COLUMNS (3 letters and
# more): rare in a roster, so the scan runs at C speed and only these few matches are looked at.
# The pattern starts with its literal ``r="`` (re then scans a 1 MB piece several times faster than from ``\b``);
# the word boundary before the ``r`` is checked on the few matches instead (``_far_refs``).
_FAR_REF_RE = re.compile(rb'r="([A-Z]{3,}\d+|[A-Z]*[6-9]\d{4}|[A-Z]*\d{6,})"')
_WORD_BYTES = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")


def _far_refs(data: bytes) -> Iterator[re.Match[bytes]]:
    """The matches of ``_FAR_REF_RE`` whose ``r`` starts a word (an ``r=`` attribute, not ``header=`` …)."""
    for m in _FAR_REF_RE.finditer(data):
        at = m.start()
        if at == 0 or data[at - 1] not in _WORD_BYTES:
            yield m


_REF_PARTS_RE = re.compile(rb"([A-Z]*)(\d+)")


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def too_large(sheet_name: str, *, rows: int = 0, columns: int = 0, cells: int = 0) -> WorkbookRefused:
    """The refusal of a sheet too large to be a roster (``rows`` 0: more rows than the cap, counting stopped)."""
    if columns > MAX_COLUMNS:
        size = f"有 {columns} 列，超过上限 {MAX_COLUMNS} 列"
    elif cells:
        size = f"的单元格超过 {MAX_CELLS} 个（上限）"
    elif rows:
        size = f"有 {rows} 行，超过上限 {MAX_ROWS} 行"
    else:
        size = f"超过 {MAX_ROWS} 行（上限）"
    return WorkbookRefused(
        f"工作表「{sheet_name}」{size}，已拒绝导入（未读取）。一个支部的名册不会这么大，请检查文件。"
    )


# A namespace-prefixed row, cell or formula element (``<x:row``, ``<x:c ``, ``<x:f>``): rare, so one search of a
# piece decides whether its prefixed forms need counting and looking for at all (each is a scan of the whole piece).
_PREFIXED_RE = re.compile(rb":(?:row|c[ >]|f\b)")
FORMULA_PLACES = 5  # formula places a refusal names


@dataclass
class SheetMarks:
    """What python-calamine does not say about an .xlsx sheet: hidden rows (1-based), hidden columns (0-based, as
    the reader's column indexes) and error cells (``{(row, column letter): "#N/A"}``; calamine reads them as
    blank)."""

    hidden_rows: set[int] = field(default_factory=set)
    errors: dict[tuple[int, str], str] = field(default_factory=dict)
    hidden_columns: set[int] = field(default_factory=set)


@dataclass
class SheetScan:
    """What ``scan_sheet`` found: up to ``FORMULA_PLACES`` places holding a formula, hidden rows and error cells."""

    formulas: list[str] = field(default_factory=list)
    marks: SheetMarks = field(default_factory=SheetMarks)


def scan_sheet(path: Path, sheet_name: str, *, content: bool = True) -> SheetScan:
    """One streamed pass over the raw XML of an .xlsx sheet as it is decompressed, before any parser builds it
    (memory stays at one piece of ~1 MB):

    - refuses a sheet with more than ``MAX_ROWS`` rows, ``MAX_COLUMNS`` columns or ``MAX_CELLS`` cells: its
      ``<dimension>`` first, then its rows, cells and references counted (a lying dimension does not help);
    - with ``content``, finds the places that hold a formula of any form (``D5``; ``第 5 行`` or ``第 5 行第 4 个单元格``
      for a cell written without its reference), the hidden rows and the error cells."""
    found = SheetScan()
    part = _sheet_paths(path).get(sheet_name)
    if not part:
        return found
    limit = MAX_ROWS + HEADER_SCAN_ROWS
    rows = cells = 0
    row_number = 0  # for formula places: rows written without r= follow the one before
    first, marking = True, content
    try:
        for data in _whole_rows(path, part):
            m = _DIMENSION_RE.search(data) if first else None
            if m and (int(m.group(2)) > limit or _column_number(m.group(1)) > MAX_COLUMNS):
                raise too_large(sheet_name, rows=int(m.group(2)), columns=_column_number(m.group(1)))
            first = False
            prefixed = _PREFIXED_RE.search(data) is not None
            row_tags = data.count(b"<row") + (data.count(b":row") if prefixed else 0)
            rows += row_tags
            cells += data.count(b"<c") + (data.count(b":c ") + data.count(b":c>") if prefixed else 0)
            if rows > limit:
                raise too_large(sheet_name)  # counting stops here: "more than" is all that is known
            if cells > MAX_CELLS:
                raise too_large(sheet_name, cells=cells)
            for m in _far_refs(data):
                if ref := _REF_PARTS_RE.fullmatch(m.group(1)):
                    row, column = int(ref.group(2)), _column_number(ref.group(1))
                    if row > limit or column > MAX_COLUMNS:
                        raise too_large(sheet_name, rows=row, columns=column)
            if content and len(found.formulas) < FORMULA_PLACES:
                row_number = _formula_places(data, prefixed, row_tags, row_number, found.formulas)
            if marking:
                _mark(data, found.marks)
                marking = len(found.marks.errors) <= 1000
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise WorkbookRefused(f"工作表「{sheet_name}」已损坏或不完整，无法读取（{exc}）。") from exc
    return found


def check_sheet_size(path: Path, sheet_name: str) -> None:
    """``scan_sheet`` for the size alone: a sheet read without being imported (说明, a candidate's header)."""
    scan_sheet(path, sheet_name, content=False)


def formula_cells(path: Path, sheet_name: str) -> list[str]:
    """Up to ``FORMULA_PLACES`` places of the sheet that hold a formula (see ``scan_sheet``)."""
    return scan_sheet(path, sheet_name).formulas


def _sheet_paths(path: Path) -> dict[str, str]:
    """Sheet name → part name inside the zip (``xl/worksheets/sheet1.xml``)."""
    # Lazy: defusedxml.ElementTree costs ~40 ms to import (python -X importtime), and this module is loaded at GUI
    # start-up through the exchange page; only a formula check on an imported file needs it.
    from defusedxml.ElementTree import (
        DTDForbidden,
        EntitiesForbidden,
        ExternalReferenceForbidden,
        ParseError,
        fromstring,
    )

    hostile = (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden)

    try:
        with zipfile.ZipFile(path) as z:
            book = fromstring(z.read("xl/workbook.xml"))
            rels = fromstring(z.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ParseError, *hostile, zipfile.BadZipFile, ValueError) as exc:
        raise WorkbookRefused(
            f"文件「{path.name}」的工作簿结构已损坏，无法读取（{type(exc).__name__}）。{SAVE_AS}"
        ) from exc
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


# A formula element in any form: <f>…</f>, <f t="shared" si="0"/> (the cells sharing a formula), <f t="array" …>,
# with or without a namespace prefix — whether or not its cell says where it is (the r= attribute is optional).
_FORMULA_RE = re.compile(rb"<(?:\w+:)?f\b")
_CELL_START_RE = re.compile(rb"<(?:\w+:)?c\b[^>]*>")
_ROW_START_RE = re.compile(rb"<(?:\w+:)?row\b[^>]*>")
_ROW_NUMBER_RE = re.compile(rb'\br="(\d+)"')
_CELL_REF_RE = re.compile(rb'\br="([A-Z]+)(\d+)"')


def _formula_places(data: bytes, prefixed: bool, row_tags: int, row_number: int, found: list[str]) -> int:
    """Add the formula places of one piece to ``found`` (up to ``FORMULA_PLACES``); the number of its last row."""
    if not ((b"<f" in data or prefixed) and _FORMULA_RE.search(data)):
        last = max(
            data.rfind(b"<row"), data.rfind(b":row") if prefixed else -1
        )  # the common case: no formula
        tag = _ROW_START_RE.match(data, data.rfind(b"<", 0, last + 1)) if last >= 0 else None
        ref = _ROW_NUMBER_RE.search(tag.group(0)) if tag else None
        return int(ref.group(1)) if ref else row_number + row_tags
    rows = list(_ROW_START_RE.finditer(data))
    starts = [m.start() for m in rows]
    numbers = []
    for m in rows:
        ref = _ROW_NUMBER_RE.search(m.group(0))
        row_number = int(ref.group(1)) if ref else row_number + 1
        numbers.append(row_number)
    for m in _FORMULA_RE.finditer(data):
        place = _place(data, m.start(), starts, numbers)
        if place not in found:
            found.append(place)
        if len(found) >= FORMULA_PLACES:
            break
    return row_number


def _place(data: bytes, at: int, starts: list[int], numbers: list[int]) -> str:
    """Where the formula element at ``at`` is: its cell's reference, else its row (and the cell's position)."""
    i = bisect.bisect_right(starts, at) - 1
    if i < 0:
        return "（表格以外）"
    cells = list(_CELL_START_RE.finditer(data, starts[i], at))
    if cells and (ref := _CELL_REF_RE.search(cells[-1].group(0))):
        return (ref.group(1) + ref.group(2)).decode()
    return f"第 {numbers[i]} 行第 {len(cells)} 个单元格" if cells else f"第 {numbers[i]} 行"


_HIDDEN_ROW_RE = re.compile(rb'<(?:\w+:)?row\b[^>]*?\bhidden="(?:1|true)"[^>]*>')
_HIDDEN_COL_RE = re.compile(rb'<(?:\w+:)?col\b[^>]*?\bhidden="(?:1|true)"[^>]*>')
_COL_SPAN_RE = re.compile(rb'\bmin="(\d+)"[^>]*?\bmax="(\d+)"|\bmax="(\d+)"[^>]*?\bmin="(\d+)"')
_ERROR_CELL_RE = re.compile(rb'<(?:\w+:)?c\b([^>]*?\bt="e"[^>]*)>\s*<(?:\w+:)?v>([^<]*)<')


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


def _mark(data: bytes, marks: SheetMarks) -> None:
    """Add the hidden rows and error cells of one piece of a sheet's XML to ``marks``."""
    if b"hidden=" in data:
        for m in _HIDDEN_ROW_RE.finditer(data):
            if n := _ROW_NUMBER_RE.search(m.group(0)):
                marks.hidden_rows.add(int(n.group(1)))
        for m in _HIDDEN_COL_RE.finditer(data):  # <col min= max= hidden="1">: 1-based, inclusive
            if span := _COL_SPAN_RE.search(m.group(0)):
                low = int(span.group(1) or span.group(4))
                high = min(int(span.group(2) or span.group(3)), MAX_COLUMNS)
                marks.hidden_columns.update(range(low - 1, high))
    if b't="e"' in data:
        for m in _ERROR_CELL_RE.finditer(data):
            if ref := _CELL_REF_RE.search(m.group(1)):
                marks.errors[(int(ref.group(2)), ref.group(1).decode())] = m.group(2).decode()


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
