"""The roster sheet wherever HQ put it (see ``db.workbook.read``): header detection, footer and repeated rows,
merged cells, each cell cleaned and converted, every problem with its sheet, row, column and header."""

from __future__ import annotations

import itertools
import operator
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from db.workbook.format import (
    NOTES_SHEET,
    ROSTER_SHEET,
    Column,
    Sheet,
)
from db.workbook.guards import (
    HEADER_SCAN_ROWS,
    SheetMarks,
    WorkbookRefused,
    col_letter,
)
from db.workbook.layouts import ods_layout, xls_marks
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
from db.workbook.read import Book, CellError, cell_parser, norm_header

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
        if not self.row:  # about the whole file (a hidden sheet, macros): the message names what
            return "文件"
        where = f"「{self.sheet}」第 {self.row} 行"
        if self.column:
            where += f" {self.column} 列（{self.header}）"
        return where

    def text(self) -> str:
        return f"{self.location()}：{self.message}"


@dataclass(slots=True)
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


def footer_reason(first: Any) -> str | None:
    """Why a row is a total/footer/signature row: its first non-blank cell ``first`` starts with one of
    ``FOOTER_WORDS``."""
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
        scan = book.scan(name)  # a sheet too large is refused before any parser reads it
        if formulas := scan.formulas:
            raise WorkbookRefused(
                f"工作表「{name}」的{'、'.join(p if p.startswith('第') else f'单元格 {p}' for p in formulas)}"
                " 含有公式。为安全起见不导入公式："
                "请在 Excel 中全选后「复制 → 选择性粘贴 → 数值」，保存后再导入。"
            )
        marks = scan.marks
    elif book.kind == "ods":
        marks = ods_layout(book.path, name)[1]
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
        CellProblem("", 0, "", "", f"含有{what}——导入只读取单元格中的值，不会打开或运行它")
        for what in book.active_content
    ]
    notes += [
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
    for _, ci, col, _ in imported:  # a hidden column is read like the others: its values must not pass unseen
        if ci in marks.hidden_columns:
            notes.append(
                CellProblem(
                    name, header_row + 1, col_letter(ci), col.header, "这一列是隐藏列，已一并读取，请核对"
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
    # Per imported column: field, index, column, parser, whether ``_post`` cleans it further, and the column's
    # parsed values by raw cell (None for the columns whose values are the member's own, see ``_OWN_FIELDS``).
    shared_values: Callable[[str], dict[Any, Any] | None] = lambda f: None if f in _OWN_FIELDS else {}
    cells = [(f, ci, col, parse, f in _POST_FIELDS, shared_values(f)) for f, ci, col, parse in imported]
    width = max((ci for _, ci, _, _ in imported), default=-1) + 1
    for ri, row in enumerate(itertools.chain(first, stream)):
        if ri <= header_row:
            continue
        number = ri + 1  # the 1-based row number: one int object shared by the row and its branch
        if (
            branch_ci is not None
            and branch_ci < len(row)
            and type(row[branch_ci]) is str
            and (text := branch_texts.get(row[branch_ci]) or _branch_text(row[branch_ci], branch_texts))
        ):
            row_branches[number] = text  # one string object per distinct branch (a roster repeats one name)
        if fast:
            if len(row) < need:
                row = row + [""] * (need - len(row))
            expected = fast.get(row[uuid_ci])
            if expected is not None and pick(row) == expected and ri not in fills:
                values = {"uuid": row[uuid_ci], "name": row[name_ci]}
                if cid_ci is not None and row[cid_ci]:
                    values["citizen_id"] = row[cid_ci]
                out.append(RosterRow(row=number, values=values, same=True))
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
        for first_cell in row:  # the first non-blank cell (a plain loop: a generator costs more per row)
            if first_cell != "" and first_cell is not None and str(first_cell).strip():
                break
        else:
            continue  # a blank row
        reason = footer_reason(first_cell)
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
            ignored_rows.append(CellProblem(name, number, "", "", reason))
            continue
        parsed = RosterRow(row=number, values={})
        if len(row) < width:
            row = row + [""] * (width - len(row))  # a short row's missing cells are blank
        values = parsed.values
        pending: YearMonth | None = None
        first_of_month: date | None = None
        for fname, ci, col, parse, post, shared in cells:
            raw = row[ci]
            if shared is not None and (value := shared.get(raw, _UNSEEN)) is not _UNSEEN:
                if value is not None:  # a cell read before in this column, without a note or a problem
                    values[fname] = value
                continue
            if type(raw) is str:  # calamine gives "" for a blank cell, str for text, float, bool, datetime
                if not raw:
                    if marks.errors and (number, col_letter(ci)) in marks.errors:
                        error = marks.errors[(number, col_letter(ci))]
                        parsed.problems.append(
                            CellProblem(
                                name,
                                number,
                                col_letter(ci),
                                col.header,
                                f"单元格是错误值「{error}」，请改正后再导入",
                            )
                        )
                    continue
                if not raw.isprintable():
                    raw, note = clean_text(raw)
                    if note:
                        parsed.notes.append(CellProblem(name, number, col_letter(ci), col.header, note))
            if fname == "birth_date":
                pending = year_month(raw)
                if pending is not None:
                    continue
                if isinstance(raw, date) and raw.day == 1:
                    # A date cell formatted as 年月 (yyyy.mm): Excel stores what was typed as the 1st of the month.
                    # The ID gives the day when it agrees; else the date stays and validation names the mismatch.
                    first_of_month = raw.date() if isinstance(raw, datetime) else raw
                    pending = YearMonth(raw.year, (raw.month,), f"{raw.year}.{raw.month:02d}")
                    continue
            try:
                value = parse(raw)
            except CellError as exc:
                parsed.problems.append(CellProblem(name, number, col_letter(ci), col.header, str(exc)))
                continue
            if shared is not None and type(raw) in _SHAREABLE and (type(raw) is not str or raw.isprintable()):
                shared[raw] = value
            if value is not None:
                if post:
                    value, note = _post(fname, value, raw)
                    if note:
                        parsed.notes.append(CellProblem(name, number, col_letter(ci), col.header, note))
                values[fname] = value
        if pending is not None:
            ci = columns["birth_date"]
            try:
                values["birth_date"] = complete_birth_date(pending, values.get("citizen_id"))
            except ValueError as exc:
                if first_of_month is not None:
                    values["birth_date"] = first_of_month  # a real date after all: validation checks it
                else:
                    parsed.problems.append(CellProblem(name, number, col_letter(ci), "出生日期", str(exc)))
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
# Columns whose values are the member's own (rarely repeated): parsed cell by cell. Every other column (民族, 学历,
# 岗位, 党小组, the dates, the choices) repeats a few values down 50,000 rows: each distinct cell is parsed once and
# its value shared by every row that has it (one object, not one per row: the preview's peak memory).
_OWN_FIELDS = _POST_FIELDS | {"uuid", "address", "notes"}
# The raw cells remembered: printable text (a cell cleaned with a note is parsed again, and the note given, each
# time) and dates; a birth date read as a year and month never gets as far. Numbers and logical values are not
# (1 == 1.0 == True as dict keys, yet a text column reads them differently).
_SHAREABLE = frozenset({str, date, datetime})
_UNSEEN = object()
