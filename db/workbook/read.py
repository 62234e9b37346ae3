"""Reading workbooks from HQ or from other branches: guards against hostile files, then python-calamine.

``open_workbook(path)`` refuses (``WorkbookRefused``, a Chinese message, nothing read further) a file that is not
an .xlsx, is password-protected (an OLE container, ``D0 CF 11 E0``), is truncated, declares more than
``MAX_UNCOMPRESSED`` bytes or a compression ratio typical of zip bombs, or has a sheet of more than ``MAX_ROWS`` rows.
Values are read with python-calamine (cached values only: formulas are never evaluated; the roster import refuses
cells holding formulas, see ``formula_cells``).

``read_roster`` finds the roster header wherever HQ put it (title rows above, columns in any order, synonyms,
full-width characters and spaces, 必填 hints) and converts each cell by its declared column type, collecting each
problem with its sheet, row, column letter and header.
"""

from __future__ import annotations

import itertools
import operator
import re
import shutil
import unicodedata
import weakref
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from python_calamine import CalamineWorkbook

from db.errors import BranchDeskError
from db.workbook import protect
from db.workbook.cells import unescape_text
from db.workbook.format import NOTES_SHEET, ROSTER_SHEET, SECTION_COUNTS, SECTION_FIGURES, Column, Sheet

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
    t = unicodedata.normalize("NFKC", str(text or ""))
    t = re.sub(r"\s+", "", t)
    kept = t
    t = _HINT_RE.sub("", t)
    return t or kept


# --- guards ------------------------------------------------------------------------------------------------


def guard_file(path: Path) -> None:
    """Refuse a hostile or unreadable file before any parser sees it (see the module docstring)."""
    name = path.name
    if not path.is_file():
        raise WorkbookRefused(f"找不到文件「{path}」。")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise WorkbookRefused(f"文件「{name}」过大（{size // 1048576} MB），不像是支部名册，已拒绝导入。")
    with open(path, "rb") as f:
        head = f.read(8)
    if head.startswith(protect.OLE_MAGIC[:4]):
        raise WorkbookRefused(
            f"文件「{name}」设置了打开密码（或是旧版 .xls 格式），无法读取。若是与上级约定密码加密的工作簿，"
            "请输入工作簿密码；否则请在 Excel 中取消密码并另存为 .xlsx 后再导入。"
        )
    if not head.startswith(b"PK\x03\x04"):
        raise WorkbookRefused(f"文件「{name}」不是 Excel 工作簿（.xlsx）。请选择 .xlsx 文件。")
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
            if "xl/workbook.xml" not in names:
                raise WorkbookRefused(
                    f"文件「{name}」不是 Excel 工作簿（缺少工作簿内容）。请选择 .xlsx 文件。"
                )
    except zipfile.BadZipFile as exc:
        raise WorkbookRefused(f"文件「{name}」已损坏或不完整（可能未传输完整），请重新获取文件。") from exc
    except (zipfile.LargeZipFile, NotImplementedError) as exc:
        raise WorkbookRefused(f"文件「{name}」的压缩格式不受支持，请在 Excel 中重新保存为 .xlsx。") from exc


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
        ):
            try:
                path = protect.decrypted_copy(path, password=password)
            except BranchDeskError as exc:
                raise WorkbookRefused(exc.message) from exc
            weakref.finalize(self, shutil.rmtree, path.parent, True)
        guard_file(path)
        self.path = path
        try:
            self._book = CalamineWorkbook.from_path(str(path))
        except Exception as exc:
            raise WorkbookRefused(
                f"无法读取文件「{path.name}」：文件已损坏或不是有效的 .xlsx（{exc}）。"
            ) from exc
        self.sheet_names: list[str] = list(self._book.sheet_names)

    def _sheet(self, name: str) -> Any:
        try:
            sheet = self._book.get_sheet_by_name(name)
        except Exception as exc:
            raise WorkbookRefused(f"无法读取工作表「{name}」（{exc}）。") from exc
        if sheet.total_height > MAX_ROWS + HEADER_SCAN_ROWS:
            raise WorkbookRefused(
                f"工作表「{name}」有 {sheet.total_height} 行，超过上限 {MAX_ROWS} 行，已拒绝导入。"
                "一个支部的名册不会这么大，请检查文件。"
            )
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

    def close(self) -> None:
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
        return str(value).upper().replace(" ", "")
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
    """One data row of the roster: its row number, parsed values (blank cells absent) and its problems."""

    row: int
    values: dict[str, Any]
    problems: list[CellProblem] = field(default_factory=list)
    # True when the raw cells are exactly what the export writes for the stored member (``values`` then holds only
    # uuid, citizen_id and name): the row is unchanged without parsing it.
    same: bool = False


@dataclass
class RosterTable:
    sheet: str
    header_row: int
    columns: dict[str, int]  # field → 0-based column index
    ignored: list[str]
    rows: list[RosterRow]

    def letter(self, field_name: str) -> tuple[str, str]:
        if field_name in self.columns:
            return col_letter(self.columns[field_name]), ROSTER_SHEET.column(field_name).header
        label = next((c.header for c in ROSTER_SHEET.columns if c.field == field_name), field_name)
        return "", label


def _header_map(sheet: Sheet) -> dict[str, Column]:
    out: dict[str, Column] = {}
    for col in sheet.columns:
        for text in (col.header, *col.synonyms):
            out[norm_header(text)] = col
    return out


def find_header(rows: list[list[Any]], sheet: Sheet) -> tuple[int, dict[str, int], list[str]] | None:
    """(0-based header row, field → column index, ignored headers) of the best header in the first rows."""
    names = _header_map(sheet)
    best: tuple[int, dict[str, int], list[str]] | None = None
    for ri, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        found: dict[str, int] = {}
        ignored: list[str] = []
        for ci, cell in enumerate(row):
            key = norm_header(cell)
            if not key:
                continue
            col = names.get(key)
            if col is not None and col.field not in found:
                found[col.field] = ci
            else:
                ignored.append(str(cell).strip())
        if len(found) >= 2 and (best is None or len(found) > len(best[1])):
            best = (ri, found, ignored)
    return best


def find_roster_sheet(book: Book) -> str:
    """The sheet holding the roster: 党员名册 if present, else the first with a recognisable roster header."""
    if ROSTER_SHEET.name in book.sheet_names:
        return ROSTER_SHEET.name
    for name in book.sheet_names:
        if name == NOTES_SHEET.name:
            continue
        found = find_header(list(itertools.islice(book.iter_rows(name), HEADER_SCAN_ROWS)), ROSTER_SHEET)
        if found and "name" in found[1]:
            return name
    raise WorkbookRefused(
        f"文件「{book.path.name}」中找不到党员名册（需要一个含「姓名」「公民身份号码」等表头的工作表）。"
    )


ExpectedFor = Callable[[list[str]], Mapping[str, tuple[Any, ...]]]


def read_roster(book: Book, *, expected_for: ExpectedFor | None = None) -> RosterTable:
    """The roster of the workbook, parsed. Refuses formulas, missing headers and more than ``MAX_ROWS`` rows.

    ``expected_for(fields)`` may give, per member uuid, the raw cell values our export writes for those fields;
    a row whose cells equal them is marked ``same`` and not parsed (re-importing a returned workbook is fast)."""
    name = find_roster_sheet(book)
    formulas = formula_cells(book.path, name)
    if formulas:
        raise WorkbookRefused(
            f"工作表「{name}」的单元格 {'、'.join(formulas)} 含有公式。为安全起见不导入公式："
            "请在 Excel 中全选后「复制 → 选择性粘贴 → 数值」，保存后再导入。"
        )
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
    out: list[RosterRow] = []
    fast: Mapping[str, tuple[Any, ...]] = {}
    if expected_for is not None and "uuid" in columns:
        fast = expected_for([f for f, _, _, _ in imported])
        positions = [ci for _, ci, _, _ in imported]
        pick = operator.itemgetter(*positions)
        need = max(positions) + 1
        uuid_ci = columns["uuid"]
        cid_ci = columns.get("citizen_id")
        name_ci = columns["name"]
    for ri, row in enumerate(itertools.chain(first, stream)):
        if ri <= header_row:
            continue
        if fast:
            if len(row) < need:
                row = row + [""] * (need - len(row))
            expected = fast.get(row[uuid_ci])
            if expected is not None and pick(row) == expected:
                values = {"uuid": row[uuid_ci], "name": row[name_ci]}
                if cid_ci is not None and row[cid_ci]:
                    values["citizen_id"] = row[cid_ci]
                out.append(RosterRow(row=ri + 1, values=values, same=True))
                continue
        if not any(c != "" and c is not None and str(c).strip() for c in row):
            continue
        parsed = RosterRow(row=ri + 1, values={})
        width = len(row)
        values = parsed.values
        for fname, ci, col, parse in imported:
            raw = row[ci] if ci < width else ""
            if raw == "":
                continue
            try:
                value = parse(raw)
            except CellError as exc:
                parsed.problems.append(CellProblem(name, ri + 1, col_letter(ci), col.header, str(exc)))
                continue
            if value is not None:
                values[fname] = value
        out.append(parsed)
    return RosterTable(sheet=name, header_row=header_row + 1, columns=columns, ignored=ignored, rows=out)
