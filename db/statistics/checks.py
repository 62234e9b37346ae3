"""报表校核: the internal consistency HQ checks in a branch's yearly tables (issue 19), read from the workbook as it
arrived, every failure with its sheet and cell.

The checks are derived from the declarative tables (``tables.TABLES``), so a row or column added there is checked
without a change here:

- a **partition** must add up to its total: columns (or rows) that each select one value of the same attribute and
  include the empty value (学历 with 未填写, 出党 forms with 形式未注明, 工作岗位 with 未填写/未编码) or both
  truth values (掌握流向 / 不掌握流向), or bands of one
  attribute that cover it from open end to open end (age, 入党时间, 党龄), sum to the table's 总数 column (合计 row);
- a **part** is not larger than its whole: every column not above the 总数 column, every row not above the 合计 row,
  an indented row not above the row it belongs to, a column whose filter adds a condition to another's not above it;
- **table 1**: 本年增加合计 and 本年减少合计 are the sums of their reasons, 本年底应有数 = 上年底总数 + 增加 − 减少,
  实有数与应有数之差 = 实有数 − 应有数;
- **across tables**: table 1's 本年底实有数 equals the 总数 of every table of the roster (表2, 表3, 表4), and its 出党
  equals table 10's 总数.

A blank cell counts as 0. Labels are matched as the form writes them (a sheet whose table is unknown is skipped).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from db.statistics.changes import ADD_REASONS, REMOVE_REASONS
from db.statistics.integrity import FIRST_DATA_ROW
from db.statistics.tables import TABLES, All, And, Is, Line, Prefix, Range, Table
from db.workbook.cells import canonical
from db.workbook.read import col_letter

# Columns whose figure may be negative (table 1's 实有数与应有数之差): not a whole with parts, so no row of it is
# checked against its 合计 row (the 其中 rows leave it blank).
SIGNED = frozenset({"difference"})
WHAT_TO_DO = "请支部核对该表所依据的党员信息（如出生日期、入党日期、变动原因），在支部工作台中重新生成年报并导出，不要在 Excel 中改数字"


@dataclass(frozen=True)
class Failure:
    sheet: str
    cell: str
    message: str


@dataclass
class Sheet:
    """A table sheet as read: column labels (without the 项目 column) and rows (label, figures)."""

    title: str
    columns: list[str]
    rows: list[tuple[str, list[float]]]

    def cell(self, ri: int, ci: int) -> str:
        return f"{col_letter(ci + 1)}{FIRST_DATA_ROW + ri}"

    def value(self, ri: int, ci: int) -> float:
        values = self.rows[ri][1]
        return values[ci] if ci < len(values) else 0.0


def _number(value: Any) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    try:
        return float(canonical(value).strip() or 0)
    except ValueError:
        return 0.0


def read_sheet(title: str, rows: Sequence[Sequence[Any]]) -> Sheet:
    header = [str(h).strip() for h in rows[1][1:]] if len(rows) > 1 else []
    data = []
    for row in rows[2:]:
        label = str(row[0]) if row and row[0] is not None else ""
        if not label.strip():
            continue
        data.append((label, [_number(v) for v in list(row[1:]) + [""] * (len(header) + 1 - len(row))]))
    return Sheet(title, header, data)


def _fmt(x: float) -> str:
    return str(int(x)) if x == int(x) else str(x)


def figure_text(x: float | None) -> str:
    """A figure read from a workbook as the form shows it (35, not 35.0); 空 for a blank."""
    return "空" if x is None else _fmt(x)


def _index(lines: Sequence[Line], labels: Sequence[str]) -> dict[int, int]:
    """Declared line index → index in the sheet (by label; lines the sheet lacks are left out)."""
    where = {label.strip(): i for i, label in enumerate(labels)}
    return {li: where[line.label.strip()] for li, line in enumerate(lines) if line.label.strip() in where}


def _total(lines: Sequence[Line]) -> int | None:
    """The line that counts everyone (总数 / 合计 / 流出党员): the first ``All()`` line without a key."""
    return next(
        (i for i, line in enumerate(lines) if isinstance(line.where, All) and not line.key and line.held),
        None,
    )


def _partitions(lines: Sequence[Line], *, top_level_only: bool) -> list[list[int]]:
    """Groups of lines that split the whole: one value each of an attribute including the empty value, or bands of an
    attribute from open end to open end with the line of its empty value when there is one (出生日期未填写 beside
    the age bands)."""
    values: dict[str, list[int]] = defaultdict(list)
    empty: set[str] = set()
    blank: dict[str, int] = {}  # attr → the line of its empty value ('' or None)
    ranges: dict[str, list[int]] = defaultdict(list)
    for i, line in enumerate(lines):
        w = line.where
        if top_level_only and line.label != line.label.lstrip():
            continue
        if isinstance(w, (Is, Prefix)):
            values[w.attr].append(i)
            if isinstance(w, Is) and w.value in ("", None):
                empty.add(w.attr)
                blank[w.attr] = i
        elif isinstance(w, Range):
            ranges[w.attr].append(i)

    def complete(attr: str, ids: list[int]) -> bool:
        seen = {w.value for i in ids if isinstance(w := lines[i].where, Is)}
        return attr in empty or seen == {True, False}

    groups = [ids for attr, ids in values.items() if len(ids) > 1 and complete(attr, ids)]
    for ids in ranges.values():
        first, last = lines[ids[0]].where, lines[ids[-1]].where
        assert isinstance(first, Range) and isinstance(last, Range)
        if len(ids) > 1 and first.lo is None and last.hi is None:
            attr = first.attr
            groups.append([*ids, blank[attr]] if attr in blank else ids)
    return groups


def _on_sheet(lines: Sequence[Line], group: list[int], present: dict[int, int]) -> list[int]:
    """The lines of a partition the sheet has, or none when it lacks one: the empty value's line beside bands
    (出生日期未填写) may be missing from a workbook written before it was added, and its bands are checked alone."""
    bands = any(isinstance(lines[li].where, Range) for li in group)
    optional = {li for li in group if bands and isinstance(lines[li].where, Is)}
    if all(li in present or li in optional for li in group):
        return [li for li in group if li in present]
    return []


def _subsets(lines: Sequence[Line]) -> list[tuple[int, int]]:
    """(part, whole) pairs: an indented line under the nearest less indented one; a line whose ``And`` filter
    contains another line's filter."""
    pairs = []
    for i, line in enumerate(lines):
        depth = len(line.label) - len(line.label.lstrip())
        if depth:
            parent = next(
                (
                    j
                    for j in range(i - 1, -1, -1)
                    if len(lines[j].label) - len(lines[j].label.lstrip()) < depth
                ),
                None,
            )
            if parent is not None:
                pairs.append((i, parent))
        if isinstance(line.where, And):
            pairs += [(i, j) for j, other in enumerate(lines) if j != i and other.where in line.where.parts]
    return pairs


def _label_of(lines: Sequence[Line], ids: Sequence[int]) -> str:
    return f"「{lines[ids[0]].label.strip()}」至「{lines[ids[-1]].label.strip()}」"


def check_table(table: Table, sheet: Sheet) -> list[Failure]:
    out: list[Failure] = []
    cols = _index(table.columns, sheet.columns)
    rows = _index(table.rows, [label for label, _ in sheet.rows])

    def fail(ri: int, ci: int, text: str) -> None:
        out.append(Failure(sheet.title, sheet.cell(ri, ci), text))

    total_col, total_row = _total(table.columns), _total(table.rows)
    # columns: partitions and parts of the 总数 column, row by row
    for li_row, ri in rows.items():
        row_label = table.rows[li_row].label.strip()
        if total_col is not None and total_col in cols:
            t = sheet.value(ri, cols[total_col])
            for found in _partitions(table.columns, top_level_only=False):
                group = _on_sheet(table.columns, found, cols)
                if group:
                    s = sum(sheet.value(ri, cols[li]) for li in group)
                    if s != t:
                        fail(
                            ri,
                            cols[total_col],
                            f"行「{row_label}」的总数 {_fmt(t)} ≠ {_label_of(table.columns, group)}各列之和 {_fmt(s)}",
                        )
            for li, ci in cols.items():
                if li != total_col and not table.columns[li].key and sheet.value(ri, ci) > t:
                    fail(
                        ri,
                        ci,
                        f"行「{row_label}」列「{table.columns[li].label}」{_fmt(sheet.value(ri, ci))} 大于总数 {_fmt(t)}",
                    )
        for part, whole in _subsets(table.columns):
            if part in cols and whole in cols and sheet.value(ri, cols[part]) > sheet.value(ri, cols[whole]):
                fail(
                    ri,
                    cols[part],
                    f"行「{row_label}」列「{table.columns[part].label}」{_fmt(sheet.value(ri, cols[part]))} 大于「{table.columns[whole].label}」{_fmt(sheet.value(ri, cols[whole]))}",
                )
    # rows: partitions and parts of the 合计 row, column by column
    for li_col, ci in cols.items():
        col_label = table.columns[li_col].label
        if table.columns[li_col].key in SIGNED:
            continue
        if total_row is not None and total_row in rows:
            t = sheet.value(rows[total_row], ci)
            for found in _partitions(table.rows, top_level_only=True):
                group = _on_sheet(table.rows, found, rows)
                if group:
                    s = sum(sheet.value(rows[li], ci) for li in group)
                    if s != t:
                        fail(
                            rows[total_row],
                            ci,
                            f"列「{col_label}」的合计 {_fmt(t)} ≠ {_label_of(table.rows, group)}各行之和 {_fmt(s)}",
                        )
            for li, ri in rows.items():
                if li != total_row and sheet.value(ri, ci) > t:
                    fail(
                        ri,
                        ci,
                        f"行「{table.rows[li].label.strip()}」列「{col_label}」{_fmt(sheet.value(ri, ci))} 大于合计 {_fmt(t)}",
                    )
        for part, whole in _subsets(table.rows):
            if part in rows and whole in rows and sheet.value(rows[part], ci) > sheet.value(rows[whole], ci):
                fail(
                    rows[part],
                    ci,
                    f"列「{col_label}」行「{table.rows[part].label.strip()}」{_fmt(sheet.value(rows[part], ci))} 大于「{table.rows[whole].label.strip()}」{_fmt(sheet.value(rows[whole], ci))}",
                )
    if table.population == "balance" and total_row is not None and total_row in rows:
        out += _balance(table, sheet, cols, rows[total_row])
    return out


def _balance(table: Table, sheet: Sheet, cols: dict[int, int], ri: int) -> list[Failure]:
    by_key = {line.key: cols[li] for li, line in enumerate(table.columns) if line.key and li in cols}
    v = {key: sheet.value(ri, ci) for key, ci in by_key.items()}
    rules = [
        ("added", [k for k in ADD_REASONS if k in v], "各项增加之和"),
        ("removed", [k for k in REMOVE_REASONS if k in v], "各项减少之和"),
    ]
    out = []
    for key, parts, text in rules:
        if key in v and parts:
            s = sum(v[k] for k in parts)
            if s != v[key]:
                cell = sheet.cell(ri, by_key[key])
                out.append(
                    Failure(sheet.title, cell, f"{_label(table, key)} {_fmt(v[key])} ≠ {text} {_fmt(s)}")
                )
    if {"previous", "added", "removed", "expected"} <= v.keys():
        s = v["previous"] + v["added"] - v["removed"]
        if s != v["expected"]:
            cell = sheet.cell(ri, by_key["expected"])
            out.append(
                Failure(
                    sheet.title,
                    cell,
                    f"本年底应有数 {_fmt(v['expected'])} ≠ 上年底总数 + 本年增加 − 本年减少 = {_fmt(s)}",
                )
            )
    if {"expected", "actual", "difference"} <= v.keys() and v["actual"] - v["expected"] != v["difference"]:
        cell = sheet.cell(ri, by_key["difference"])
        out.append(
            Failure(
                sheet.title,
                cell,
                f"实有数与应有数之差 {_fmt(v['difference'])} ≠ 实有数 − 应有数 = {_fmt(v['actual'] - v['expected'])}",
            )
        )
    return out


def _label(table: Table, key: str) -> str:
    return next(line.label for line in table.columns if line.key == key)


def _figure(table: Table, sheet: Sheet, *, column: int | str) -> tuple[float, str] | None:
    """The 合计 row's figure of a column (declared index, or a key), with its cell."""
    li = (
        column
        if isinstance(column, int)
        else next((i for i, c in enumerate(table.columns) if c.key == column), None)
    )
    cols = _index(table.columns, sheet.columns)
    rows = _index(table.rows, [label for label, _ in sheet.rows])
    total_row = _total(table.rows)
    if li is None or li not in cols or total_row is None or total_row not in rows:
        return None
    return sheet.value(rows[total_row], cols[li]), sheet.cell(rows[total_row], cols[li])


def check_across(sheets: dict[str, Sheet], tables: Sequence[Table] = TABLES) -> list[Failure]:
    """Table 1 against the totals of the roster tables and of table 10."""
    found = {t.number: (t, sheets[t.title[:31]]) for t in tables if t.title[:31] in sheets}
    if "1" not in found:
        return []
    one, one_sheet = found["1"]
    out = []
    for key, population, text in (("actual", "members", "本年底实有数"), ("left_party", "left", "出党")):
        mine = _figure(one, one_sheet, column=key)
        if mine is None:
            continue
        for table, sheet in found.values():
            total = _total(table.columns)
            if table.population != population or total is None:
                continue
            theirs = _figure(table, sheet, column=total)
            if theirs is not None and theirs[0] != mine[0]:
                out.append(
                    Failure(
                        sheet.title,
                        theirs[1],
                        f"总数 {_fmt(theirs[0])} 与表1单元格 {mine[1]}「{text}」{_fmt(mine[0])} 不符",
                    )
                )
    return out


def check_report(sheets: dict[str, Sheet], tables: Sequence[Table] = TABLES) -> list[Failure]:
    """Every 报表校核 failure of a branch's tables (``sheets`` by sheet title)."""
    out = []
    for table in tables:
        sheet = sheets.get(table.title[:31])
        if sheet is not None:
            out += check_table(table, sheet)
    return out + check_across(sheets, tables)
