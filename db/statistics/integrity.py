"""The yearly report's integrity check (issue 19): a SHA-256 over the canonical figures of every table the
declarative list (``tables.TABLES``) produces, plus the period, table version and export time, so HQ's consolidation
finds a figure edited by hand after the export.

The code is visible on the 说明 sheet (``数据校验码(SHA-256)``, as on the monthly workbook) beside the period and the
table version: a clerk can compare it with the printed report or read it out on the phone, and a copy of the visible
sheets into a new workbook still carries it. A code alone only says *that* something changed, so the export also
writes the same canonical figures, each with its cell, to a hidden sheet (``校验数据``); the code covers that list
too, so when the list still matches the code, comparing it with the visible sheets names the cell, its value at the
export and its value now. The code is a check against hand edits and damaged copies, not a signature: anyone who
knows this module can recompute it.

A figure is the tuple (sheet, row label, column label, value); the digest goes over the 说明 items first, then the
table sheets sorted by title, each in row then column order. The code covers every item of the 说明 sheet written
once (the branch's name, the period, the balance and its 差异说明, …; ``NOTES_COVERED``): a copy with another
支部名称 would be summed as a second branch, a hand-written 差异说明 would pass an unbalanced branch. Workbooks
exported before (code version 1) covered only 统计期间, 表式版本 and 导出时间, and still verify as such
(``verifies``). Values are canonical text (``cells.canonical``: 3, 3.0 and "3" agree; a blank is empty), so
LibreOffice or Excel re-saving the file changes nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from db.statistics.compute import Report
from db.statistics.tables import NOT_HELD
from db.workbook.cells import Checksum, canonical
from db.workbook.read import Book, col_letter

CHECK_SHEET = "校验数据"
NOTE_CHECKSUM = "数据校验码(SHA-256)"
ROW_HEADER = "项目"
FIRST_DATA_ROW = 3  # a table sheet: the heading (row 1), the header (row 2), then the rows of the form
# The 说明 items the code covers, as export.NOTE_* write them (every item written once, except the code itself).
NOTES_COVERED_V1 = ("统计期间", "表式版本", "导出时间")  # export.NOTE_PERIOD, NOTE_VERSION, NOTE_EXPORTED_AT
NOTES_COVERED = (
    *NOTES_COVERED_V1,
    "报表类型",
    "支部名称",
    "支部编码",
    "统计年度",
    "半年报",
    "统计截止日期",
    "上年底总数",
    "上年底总数来源",
    "本年增加",
    "本年减少",
    "本年底应有数",
    "本年底实有数",
    "实有数与应有数之差",
    "平衡校核",
    "差异说明",
    "是否定稿",
)
VERSION = 2  # of the code: what it covers (``covered``) and its seed
_SEEDS = {1: "branchdesk-statistics-1", 2: "branchdesk-statistics-2"}
NOTES_SHEET = "说明"


@dataclass(frozen=True)
class Figure:
    """One covered value: where it is (sheet, A1 cell) and what it is (row and column label, canonical value)."""

    sheet: str
    cell: str
    row: str
    column: str
    value: str

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.sheet, self.row, self.column)


def _text(value: Any) -> str:
    return canonical(value).strip() if value is not None else ""


def covered(figures: Iterable[Figure], version: int = VERSION) -> list[Figure]:
    """The figures a code of ``version`` covers: the table figures and that version's 说明 items."""
    notes = NOTES_COVERED if version >= 2 else NOTES_COVERED_V1
    return [f for f in figures if f.sheet != NOTES_SHEET or f.row in notes]


def digest(figures: Iterable[Figure], *, version: int = VERSION) -> str:
    """The SHA-256 of the figures in the order given (notes first, then tables by title, see the module doc)."""
    check = Checksum()
    check.sheet(_SEEDS[version])
    for f in covered(figures, version):
        check.row([f.sheet, f.row, f.column, f.value])
    return check.hexdigest()


def code_version(figures: Sequence[Figure], code: str) -> int | None:
    """The version of ``code`` the figures agree with (None when they agree with none: something changed)."""
    return next((v for v in sorted(_SEEDS, reverse=True) if digest(figures, version=v) == code), None)


def verifies(figures: Sequence[Figure], code: str) -> bool:
    return code_version(figures, code) is not None


def _ordered(notes: Sequence[Figure], tables: dict[str, list[Figure]]) -> list[Figure]:
    return [*notes, *(f for title in sorted(tables) for f in tables[title])]


def report_figures(report: Report, *, notes: Sequence[tuple[str, Any]], title: Any) -> list[Figure]:
    """The covered figures of a report as the export writes them. ``notes`` are the 说明 sheet's (label, value)
    rows in order; ``title(result)`` the sheet name of a table."""
    head = [
        Figure(NOTES_SHEET, f"B{i + 1}", label, "", _text(value))
        for i, (label, value) in enumerate(notes)
        if label in NOTES_COVERED
    ]
    tables: dict[str, list[Figure]] = {}
    for result in report.tables:
        sheet = title(result)
        rows = tables.setdefault(sheet, [])
        for ri, line in enumerate(result.table.rows):
            for ci, col in enumerate(result.table.columns):
                rows.append(
                    Figure(
                        sheet,
                        f"{col_letter(ci + 1)}{FIRST_DATA_ROW + ri}",
                        _text(line.label),
                        _text(col.label),
                        _text(result.figure(ri, ci)) if col.held else NOT_HELD,
                    )
                )
    return _ordered(head, tables)


def book_figures(book: Book, table_sheets: Sequence[str]) -> list[Figure]:
    """The covered figures as they stand in the workbook's visible sheets now."""
    head = []
    if NOTES_SHEET in book.sheet_names:
        seen: set[str] = set()
        for i, row in enumerate(book.rows(NOTES_SHEET)):
            label = _text(row[0]) if row else ""
            if label in NOTES_COVERED and label not in seen:
                seen.add(label)
                head.append(
                    Figure(NOTES_SHEET, f"B{i + 1}", label, "", _text(row[1] if len(row) > 1 else ""))
                )
    tables: dict[str, list[Figure]] = {}
    for sheet in table_sheets:
        rows = book.rows(sheet)
        header = [_text(h) for h in rows[1]] if len(rows) > 1 else []
        out = tables.setdefault(sheet, [])
        for ri, row in enumerate(rows[2:]):
            label = _text(row[0]) if row else ""
            if not label and not any(_text(v) for v in row):
                continue
            for ci in range(1, len(header)):
                if not header[ci]:
                    continue
                value = _text(row[ci]) if ci < len(row) else ""
                out.append(Figure(sheet, f"{col_letter(ci)}{FIRST_DATA_ROW + ri}", label, header[ci], value))
    return _ordered(head, tables)


def stored_figures(book: Book) -> list[Figure] | None:
    """The hidden list written at the export (None when the sheet is gone)."""
    if CHECK_SHEET not in book.sheet_names:
        return None
    out = []
    for row in book.rows(CHECK_SHEET)[1:]:
        cells = [_text(v) for v in row] + [""] * (5 - len(row))
        if cells[0]:
            out.append(Figure(*cells[:5]))
    return out


CHECK_HEADER = ("表", "单元格", "行", "列", "数值")


def _numbered(figures: Iterable[Figure]) -> dict[tuple[str, str, str, int], Figure]:
    """Figures keyed by (sheet, row, column, n): n counts repeats of the same labels, so duplicate labels pair up."""
    seen: Counter[tuple[str, str, str]] = Counter()
    out = {}
    for f in figures:
        seen[f.key] += 1
        out[(*f.key, seen[f.key])] = f
    return out


def _row_of(cell: str) -> str:
    return cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


@dataclass(frozen=True)
class Change:
    sheet: str
    cell: str
    text: str  # Chinese: what changed, with the value at the export and now


def changes(exported: Sequence[Figure], now: Sequence[Figure]) -> list[Change]:
    """Every difference between the figures at the export and the figures now: a value changed, a row or sheet
    deleted (its figures missing), a row added."""
    before, after = _numbered(exported), _numbered(now)
    out: list[Change] = []
    sheets_now = {f.sheet for f in now}
    gone_sheets: set[str] = set()
    gone_rows: set[tuple[str, str]] = set()
    for key, f in before.items():
        g = after.get(key)
        if g is None:
            if f.sheet not in sheets_now:
                if f.sheet not in gone_sheets:
                    gone_sheets.add(f.sheet)
                    out.append(Change(f.sheet, "", f"工作表「{f.sheet}」被删除或改名"))
            elif (f.sheet, f.row) not in gone_rows and not any(
                k[0] == f.sheet and k[1] == f.row for k in after
            ):
                gone_rows.add((f.sheet, f.row))
                out.append(Change(f.sheet, f.cell, f"第 {_row_of(f.cell)} 行「{f.row}」被删除"))
            elif (f.sheet, f.row) not in gone_rows:
                out.append(
                    Change(
                        f.sheet,
                        f.cell,
                        f"行「{f.row}」列「{f.column}」的数字不见了（导出时为 {f.value or '空'}）",
                    )
                )
            continue
        if g.value != f.value:
            where = f"「{f.row}」" if f.sheet == NOTES_SHEET else f"行「{f.row}」列「{f.column}」"
            out.append(Change(f.sheet, g.cell, f"{where}导出时为 {f.value or '空'}，现为 {g.value or '空'}"))
    added_rows: set[tuple[str, str]] = set()
    for key, g in after.items():
        if key not in before and g.sheet not in gone_sheets and (g.sheet, g.row) not in added_rows:
            added_rows.add((g.sheet, g.row))
            out.append(Change(g.sheet, g.cell, f"第 {_row_of(g.cell)} 行「{g.row}」是导出后加入的"))
    return out
