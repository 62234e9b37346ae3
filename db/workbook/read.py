"""Reading workbooks from HQ or from other branches: guards against hostile files (``guards.py``), then
python-calamine; the roster sheet itself is read by ``roster_read.py``.

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
down over several rows fill each row (with a note); hidden sheets are not read and hidden rows and columns are read
with a note. Each cell is cleaned (``normalize.py``) and converted by its declared column type; every problem is kept
with its sheet, row, column letter and header.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
import weakref
import zipfile
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook, PasswordError, SheetVisibleEnum

from db.errors import BranchDeskError
from db.workbook import protect
from db.workbook.cells import unescape_text
from db.workbook.format import (
    NOTES_SHEET,
    SECTION_COUNTS,
    SECTION_FIGURES,
    SECTION_GUIDE,
    Column,
)
from db.workbook.guards import (
    HEADER_SCAN_ROWS,
    MAX_FILE_BYTES,
    MAX_RATIO,
    MAX_ROWS,
    MAX_UNCOMPRESSED,
    SheetScan,
    WorkbookRefused,
    active_content,
    check_sheet_size,
    col_letter,
    document_saved_at,
    formula_cells,
    guard_file,
    ole_kind,
    scan_sheet,
)
from db.workbook.layouts import check_ods_size, ods_layout
from db.workbook.normalize import (
    YearMonth,
    clean_citizen_id,
    clean_text,
    year_month,
)

__all__ = [
    "HEADER_SCAN_ROWS",
    "MAX_FILE_BYTES",
    "MAX_RATIO",
    "MAX_ROWS",
    "MAX_UNCOMPRESSED",
    "Book",
    "CellError",
    "WorkbookRefused",
    "cell_parser",
    "col_letter",
    "formula_cells",
    "guard_file",
    "norm_header",
    "parse_cell",
    "parse_date_cell",
    "read_notes",
]

_EXCEL_EPOCH = date(1899, 12, 30)
_SCI_RE = re.compile(r"^\d(\.\d+)?E\+?\d+$", re.IGNORECASE)
# 2020-07-01, 2020/7/1, 2020.07.01, 2020年7月1日 (or 号); a time after the day (2020-07-01 00:00:00, 2020-07-01T08:30,
# what a date copied out of another system looks like as text) is dropped: the day is unambiguous.
_DATE_RE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?(?:[\sT]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_HINT_RE = re.compile(r"[（(][^)）]*[)）]|[*＊]")


def norm_header(text: Any) -> str:
    """A header cell as compared: NFKC, no whitespace, no 必填/* hints, no brackets' content."""
    t = unicodedata.normalize("NFKC", clean_text(str(text or ""))[0])
    t = re.sub(r"\s+", "", t)
    kept = t
    t = _HINT_RE.sub("", t)
    return t or kept


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
            and ole_kind(path) == "encrypted"
        ):
            try:
                path = protect.decrypted_copy(path, password=password)
            except BranchDeskError as exc:
                raise WorkbookRefused(exc.message) from exc
            weakref.finalize(self, shutil.rmtree, path.parent, True)
        self.kind = guard_file(path)
        self.path = path
        if self.kind == "ods":
            check_ods_size(path)  # python-calamine reads every sheet of an .ods as it opens it
        # Macros, external links, embedded objects: named in the preview, never opened or run.
        self.active_content: list[str] = active_content(path) if self.kind == "xlsx" else []
        self._last: tuple[str, Any] | None = None
        self._sized: set[str] = set()
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

    def check_size(self, name: str) -> None:
        """Refuse an .xlsx sheet too large to be a roster before anything reads it (rows, columns and cells
        counted in its raw XML, ``check_sheet_size``; an .ods is checked whole before it is opened); once per
        sheet."""
        if name in self._sized:
            return
        if self.kind == "xlsx":
            check_sheet_size(self.path, name)
        self._sized.add(name)

    def scan(self, name: str) -> SheetScan:
        """The size guard, formulas, hidden rows and error cells of an .xlsx sheet about to be imported, in one pass
        over its raw XML (``scan_sheet``); the sheet then counts as checked for its size."""
        found = scan_sheet(self.path, name)
        self._sized.add(name)
        return found

    def _sheet(self, name: str) -> Any:
        # The last sheet is kept: python-calamine parses a whole sheet on every get_sheet_by_name, and the roster
        # sheet is asked for twice (merged ranges, then the rows).
        if self._last is not None and self._last[0] == name:
            return self._last[1]
        self.check_size(name)
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

    def saved_at(self) -> datetime | None:
        """When the file was last saved (else created), from its document properties, as local time: what dates
        a workbook without its 说明 sheet. None when the properties are missing, unreadable or implausible."""
        try:
            return document_saved_at(self.path, self.kind)
        except (OSError, ValueError, KeyError, SyntaxError, zipfile.BadZipFile):
            return None

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
        if 1900 <= value < 2100:  # as a serial a day in 1905: a year (1998) or year.month (1998.07) typed
            raise CellError(_partial_date(year_month(value), value))
        if 1 <= value < 2958466:
            return _EXCEL_EPOCH + timedelta(days=int(value))
        raise CellError(f"「{value}」不是有效的日期")
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if (ym := year_month(text)) is not None:
        raise CellError(_partial_date(ym, text))
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


def _partial_date(ym: YearMonth | None, value: Any) -> str:
    """The reason for a date given as a year and month (or a year) only: the day is not invented."""
    if ym is None:
        return f"「{_number_text(value) if isinstance(value, float) else value}」只有年份，不是完整的日期；请写明年月日（如 2005-07-01）"
    return f"「{ym.shown}」只有年和月，缺少日；请写明完整日期（年-月-日，如 2005-07-01），本软件不猜测日期"


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
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a number cell: 14.0 is the code 14 (its leading zero lost), 1.0 is 1
    if kind == "bool":
        text = str(value).strip().lower()
        if text in ("是", "y", "yes", "1", "true", "√", "✓", "✔", "☑"):
            return True
        if text in ("否", "n", "no", "0", "false", "×", "x", "✗", "✘", "☒"):
            return False
        raise CellError(f"「{value}」应为“是”或“否”")
    if kind == "choice":
        text = str(value).replace(" ", "")
        for code, label in column.choices.items():
            if (
                text == label
                or text == str(code)
                or text == unicodedata.normalize("NFKC", label).replace(" ", "")
            ):
                return code
        if text in column.aliases:  # 本科 for 大学本科, 退休 for 4 离退休人员
            return column.aliases[text]
        if column.fallback is not None:  # 硕士研究生, 014 企业管理人员, 高级工程师
            try:
                found = column.fallback(text)
            except ValueError as exc:
                raise CellError(f"「{value}」{exc}") from None
            if found:
                return found
        # Abbreviations HQ sheets use (正式 / 预备 for 人员类别): a unique label that starts with the text.
        starts = [code for code, label in column.choices.items() if label.startswith(text)]
        if len(starts) == 1:
            return starts[0]
        raise CellError(f"「{value}」不是可选值（可选：{'、'.join(column.choices.values())}）")
    return value


def cell_parser(column: Column) -> Callable[[Any], Any]:
    """``parse_cell`` specialised for one column: plain text cells (most of a roster), a choice given by its
    exact label and a date cell take a short path; anything else goes through ``parse_cell``."""
    if column.type == "choice":
        exact = {label: code for code, label in column.choices.items()}

        def parse_choice(value: Any) -> Any:
            code = exact.get(value) if type(value) is str else None
            return code if code is not None else parse_cell(column, value)

        return parse_choice
    if column.type == "date":

        def parse_day(value: Any) -> Any:
            if type(value) is datetime:
                return value.date()
            return value if type(value) is date else parse_cell(column, value)

        return parse_day
    if column.field == "citizen_id":

        def parse_id(value: Any) -> Any:
            # 17 ASCII digits and a check character: nothing for parse_cell to strip, unescape or refuse
            if (
                type(value) is str
                and len(value) == 18
                and value[:17].isdigit()
                and value.isascii()
                and value.isalnum()
            ):
                return value.upper()
            return parse_cell(column, value)

        return parse_id
    if column.type == "bool":
        exact_bool = {"是": True, "否": False}

        def parse_bool(value: Any) -> Any:
            answer = exact_bool.get(value) if type(value) is str else None
            return answer if answer is not None else parse_cell(column, value)

        return parse_bool
    if column.type not in ("text", "id"):
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
