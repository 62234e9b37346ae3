"""HQ: many branches' yearly statistics workbooks (``export.write_report``) summed into one, each branch's balance
checked (``branchdesk stats-consolidate``).

Each workbook is read through the guarded reader (``db.workbook.read.Book``: a hostile or damaged file is refused,
never opened further). Its 说明 sheet gives the branch, the period and the balance; its table sheets (``表N …``)
are summed cell by cell by (sheet, row label, column label), so a branch whose template has a row more still adds
up. Problems (one line each, the file named): not a yearly statistics workbook, another period than the first
branch's, a balance that does not add up (上年底 + 增加 − 减少 ≠ 应有数, or 实有数 ≠ 应有数 without a 差异说明), a
table 1 whose figures disagree with the 说明. A bad workbook never stops the others.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from db.statistics import export as ex
from db.workbook.format import Column
from db.workbook.read import Book, WorkbookRefused
from db.workbook.writer import SheetSpec, write_xlsx


@dataclass(frozen=True)
class BranchBalance:
    file_name: str
    branch: str
    period: str
    previous: int
    added: int
    removed: int
    expected: int
    actual: int
    explanation: str
    ok: bool


@dataclass
class StatsConsolidation:
    out: Path
    period: str = ""
    branches: list[BranchBalance] = field(default_factory=list)
    # sheet → (row labels, column labels, sums[(row, column)])
    sums: dict[str, tuple[list[str], list[str], dict[tuple[str, str], float]]] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None or value == "":
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        return None


def _notes(book: Book) -> dict[str, Any]:
    if ex.NOTES_SHEET not in book.sheet_names:
        return {}
    out: dict[str, Any] = {}
    for row in book.rows(ex.NOTES_SHEET):
        if row and str(row[0]).strip() and str(row[0]).strip() not in out:
            out[str(row[0]).strip()] = row[1] if len(row) > 1 else ""
    return out


def _read_tables(book: Book) -> dict[str, list[list[Any]]]:
    return {name: book.rows(name) for name in book.sheet_names if name.startswith("表")}


def _check_balance(
    name: str, notes: dict[str, Any], tables: dict[str, list[list[Any]]]
) -> tuple[BranchBalance, list[str]]:
    def n(key: str) -> int:
        v = _number(notes.get(key))
        return int(v) if v is not None else 0

    problems = []
    b = BranchBalance(
        name,
        str(notes.get(ex.NOTE_BRANCH, "")),
        str(notes.get(ex.NOTE_PERIOD, "")),
        n(ex.NOTE_PREVIOUS),
        n(ex.NOTE_ADDED),
        n(ex.NOTE_REMOVED),
        n(ex.NOTE_EXPECTED),
        n(ex.NOTE_ACTUAL),
        str(notes.get(ex.NOTE_EXPLANATION, "") or ""),
        True,
    )
    if b.previous + b.added - b.removed != b.expected:
        problems.append(
            f"上年底总数 {b.previous} + 本年增加 {b.added} − 本年减少 {b.removed} ≠ 本年底应有数 {b.expected}"
        )
    if b.actual != b.expected and not b.explanation.strip():
        problems.append(f"本年底实有数 {b.actual} 与应有数 {b.expected} 不符，且没有差异说明")
    one = next((rows for sheet, rows in tables.items() if sheet.startswith("表1 ")), None)
    if one is None or len(one) < 3:
        problems.append("缺少表1（党员数量变化情况）")
    else:
        header = [str(h).strip() for h in one[1]]
        total = one[2]
        for label, expected in (
            ("上年底总数", b.previous),
            ("本年增加合计", b.added),
            ("本年减少合计", b.removed),
            ("本年底实有数", b.actual),
        ):
            if label in header:
                got = _number(total[header.index(label)] if header.index(label) < len(total) else None)
                if got is None or int(got) != expected:
                    problems.append(
                        f"表1「{label}」为 {got if got is not None else '空'}，与说明中的 {expected} 不符"
                    )
    if problems:
        b = BranchBalance(**{**b.__dict__, "ok": False})
    return b, problems


def consolidate_stats(
    paths: Iterable[str | os.PathLike[str]], *, out: str | os.PathLike[str]
) -> StatsConsolidation:
    """Sum the branches' yearly statistics workbooks into ``out`` and check each branch's balance."""
    result = StatsConsolidation(Path(out))
    for path in (Path(p) for p in paths):
        try:
            book = Book(path)
        except WorkbookRefused as exc:
            result.problems.append((path.name, exc.message))
            continue
        try:
            notes = _notes(book)
            if notes.get(ex.NOTE_KIND) != ex.NOTE_KIND_VALUE:
                result.problems.append(
                    (path.name, "不是支部工作台导出的党内统计年报工作簿（缺少「说明」或报表类型不符）")
                )
                continue
            period = str(notes.get(ex.NOTE_PERIOD, ""))
            if result.period and period != result.period:
                result.problems.append(
                    (path.name, f"统计期间为「{period}」，与汇总的「{result.period}」不同，未汇总")
                )
                continue
            result.period = result.period or period
            tables = _read_tables(book)
            balance, problems = _check_balance(path.name, notes, tables)
            result.branches.append(balance)
            result.problems += [(path.name, f"{balance.branch}：{p}") for p in problems]
            for sheet, rows in tables.items():
                _add(result, sheet, rows)
        except WorkbookRefused as exc:
            result.problems.append((path.name, exc.message))
        finally:
            book.close()
    _write(result)
    return result


def _add(result: StatsConsolidation, sheet: str, rows: list[list[Any]]) -> None:
    if len(rows) < 2:
        return
    header = [str(h).strip() for h in rows[1]]
    row_labels, col_labels, sums = result.sums.setdefault(sheet, ([], [], {}))
    for label in header[1:]:
        if label and label not in col_labels:
            col_labels.append(label)
    for row in rows[2:]:
        if not row or not str(row[0]).strip():
            continue
        label = str(row[0])
        if label not in row_labels:
            row_labels.append(label)
        for ci, col in enumerate(header[1:], start=1):
            v = _number(row[ci]) if ci < len(row) else None
            if col and v is not None:
                sums[(label, col)] = sums.get((label, col), 0.0) + v


BALANCE_COLUMNS = (
    Column("文件", "file_name", width=24),
    Column("支部", "branch", width=24),
    Column("统计期间", "period", width=18),
    Column("上年底总数", "previous", "int", width=10),
    Column("本年增加", "added", "int", width=10),
    Column("本年减少", "removed", "int", width=10),
    Column("本年底应有数", "expected", "int", width=12),
    Column("本年底实有数", "actual", "int", width=12),
    Column("差异说明", "explanation", width=30),
    Column("平衡校核", "result", width=10),
)
PROBLEM_COLUMNS = (Column("文件", "file", width=28), Column("问题", "message", width=80))


def _write(result: StatsConsolidation) -> None:
    sheets = [
        SheetSpec(
            "各支部平衡",
            BALANCE_COLUMNS,
            [{**b.__dict__, "result": ex.BALANCED if b.ok else ex.NOT_BALANCED} for b in result.branches],
            heading=f"党内统计年报汇总（{result.period}，{len(result.branches)} 个支部）",
            landscape=True,
            dropdowns=False,
        )
    ]
    for sheet, (row_labels, col_labels, sums) in result.sums.items():
        columns = [Column(ex.ROW_HEADER, "label", width=24)]
        columns += [Column(c, f"c{i}", "number", width=10) for i, c in enumerate(col_labels)]
        rows = [
            {"label": r, **{f"c{i}": sums.get((r, c)) for i, c in enumerate(col_labels)}} for r in row_labels
        ]
        sheets.append(
            SheetSpec(
                sheet,
                columns,
                rows,
                heading=f"{sheet}（汇总）",
                freeze_columns=1,
                landscape=True,
                dropdowns=False,
            )
        )
    sheets.append(
        SheetSpec(
            "问题", PROBLEM_COLUMNS, [{"file": f, "message": m} for f, m in result.problems], dropdowns=False
        )
    )
    write_xlsx(result.out, sheets)
