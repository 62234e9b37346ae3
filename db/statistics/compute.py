"""The yearly (or half-yearly) report: every table of ``tables.TABLES`` computed as of the period's end, each cell
with the members behind it, and the balance of table 1 with the people who make a difference.

上年底总数 comes from last year's saved report (``statistics_reports``) when there is one, else the roster recomputed
as of last year's end; 本年底应有数 = 上年底总数 + 本年增加 − 本年减少; 本年底实有数 is the roster on the end date. When
they differ, ``Balance.people`` names each person whose own changes do not account for their presence, with why.
A report is saved with ``save_report``; it can be marked final only when it closes or the difference is explained.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import compress
from typing import Any

from db.records import MemberRef
from db.rows import query, query_one
from db.statistics import populations as pop
from db.statistics.changes import Change, all_changes, changes_between, roster_on
from db.statistics.tables import TABLES, VERSION, All, And, Filter, Has, Table
from db.store import Database


@dataclass(frozen=True)
class Cell:
    """One figure and the uuids of the people behind it (a None cell is blank on the form)."""

    uuids: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.uuids)


@dataclass(frozen=True)
class TableResult:
    table: Table
    cells: tuple[tuple[Cell | None, ...], ...]  # rows × columns
    available: bool = True  # False when the program has no data source for it in this build
    values: Mapping[tuple[int, int], int] = field(default_factory=dict)  # cells that are numbers, not people

    def figure(self, row: int, column: int) -> int | None:
        if (row, column) in self.values:
            return self.values[(row, column)]
        cell = self.cells[row][column]
        return None if cell is None else cell.count


@dataclass(frozen=True)
class Difference(MemberRef):
    """A person (``uuid``, ``name``) whose changes in the period do not account for their presence at its end."""

    why: str


@dataclass(frozen=True)
class Balance:
    previous: int
    previous_source: str  # 'saved' (last year's saved report) | 'recomputed'
    added: int
    removed: int
    actual: int
    people: tuple[Difference, ...]  # who makes the difference, and why
    # changes counted but lacking a detail (转入 without 系统内/外, …), and those not counted since they moved no one
    warnings: tuple[Difference, ...]

    @property
    def expected(self) -> int:
        return self.previous + self.added - self.removed

    @property
    def difference(self) -> int:
        return self.actual - self.expected

    @property
    def closes(self) -> bool:
        return self.difference == 0 and not self.people


@dataclass(frozen=True)
class Report:
    year: int
    half: bool
    start: date
    end: date
    version: str
    tables: tuple[TableResult, ...]
    balance: Balance
    names: Mapping[str, str]
    changes: tuple[Change, ...]
    year_end: frozenset[str]
    saved: Mapping[str, Any] | None = None  # the saved row of this period, when there is one

    @property
    def period_text(self) -> str:
        return (
            f"{self.year}年上半年（截至{self.end.month}月{self.end.day}日）"
            if self.half
            else f"{self.year}年度"
        )

    def table(self, number: str) -> TableResult:
        return next(t for t in self.tables if t.table.number == number)


# The populations of one item per member of the roster ("members"), in its order, with only their own attributes
# (``populations.dues``, ``populations.training``): their index reads the roster's attributes from the roster's.
EXTENDS_ROSTER = frozenset({"dues", "training"})


def period(year: int, half: bool) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 6, 30) if half else date(year, 12, 31)


def not_begun(*, year: int, half: bool, today: date) -> str:
    """Why a period that has not begun on ``today`` has no report (its figures would be today's roster dressed
    as a future year's); empty when it has begun. A period under way may be computed and saved."""
    start, end = period(year, half)
    if start <= today:
        return ""
    what = f"{year}年上半年" if half else f"{year}年度"
    return f"{what}（截至{end.isoformat()}）尚未开始，没有可统计的记录：请选择{today.year}年或以前的年度"


class _Index:
    """A population's items attribute by attribute, so each row's and column's filter is evaluated once per
    distinct value and its items are picked in C (``compress`` over the attribute's column) instead of calling the
    filter once per item and cell: the 20,000-member roster's tables cost about as much as reading it
    (bench/bench_statistics.py). A set attribute (tags) is matched only by ``Has``, the other filters skip it."""

    def __init__(self, items: Sequence[Mapping[str, Any]], base: _Index | None = None) -> None:
        """``base``: the index of the roster when ``items`` extend it (``EXTENDS_ROSTER``: the same people in the
        same order, each with only its own attributes); the other attributes are read from it."""
        self.items: Sequence[Mapping[str, Any]] = items
        assert base is None or len(base.items) == len(items)
        self.base = base
        self.own = frozenset(items[0]) if items else frozenset()
        self.everyone = frozenset(range(len(items)))
        self._columns: dict[
            str, tuple[list[Any], set[Any]]
        ] = {}  # attr → (each item's value, distinct values)
        self._chosen: dict[
            Filter, frozenset[int]
        ] = {}  # the tables sharing the index share rows (工作岗位, …)

    def column(self, attr: str) -> tuple[list[Any], set[Any]]:
        if self.base is not None and attr not in self.own:
            return self.base.column(attr)
        found = self._columns.get(attr)
        if found is None:
            values = [item.get(attr) for item in self.items]
            found = self._columns[attr] = (values, set(values))
        return found

    def select(self, where: Filter) -> frozenset[int]:
        chosen = self._chosen.get(where)
        if chosen is None:
            chosen = self._chosen[where] = self._select(where)
        return chosen

    def _select(self, where: Filter) -> frozenset[int]:
        if isinstance(where, All):
            return self.everyone
        if isinstance(where, And):
            out = self.everyone
            for part in where.parts:
                out = out & self.select(part)
            return out
        values, distinct = self.column(where.attr)
        if isinstance(where, Has):
            accepted = {v for v in distinct if isinstance(v, frozenset) and where.tag in v}
        else:
            accepts = where.accepts  # the filter of one value (the same test as calling it on an item)
            accepted = {v for v in distinct if not isinstance(v, (tuple, frozenset)) and accepts(v)}
        return frozenset(compress(range(len(values)), map(accepted.__contains__, values)))


def _cells(table: Table, index: _Index) -> tuple[tuple[Cell | None, ...], ...]:
    """Each row's and column's people; None in the columns the program does not hold (``Line.held``)."""
    items = index.items
    base = index.select(table.where)
    columns = [index.select(col.where) if col.held else None for col in table.columns]
    uuids = [i["uuid"] for i in items]
    out = []
    for row in table.rows:
        in_row = base & index.select(row.where)
        out.append(
            tuple(
                None if col is None else Cell(tuple(map(uuids.__getitem__, sorted(in_row & col))))
                for col in columns
            )
        )
    return tuple(out)


def saved_report(db: Database, *, year: int, half: bool = False) -> dict[str, Any] | None:
    return query_one(db, "SELECT * FROM statistics_reports WHERE year = ? AND half = ?", [year, int(half)])


def yearly_report(
    db: Database, *, year: int, half: bool = False, tables: Sequence[Table] = TABLES, version: str = VERSION
) -> Report:
    """Every table as of the end of ``year`` (or its first half), and the balance. ``tables`` is the declarative
    definition (``tables.TABLES``; a new template passes its own)."""
    start, end = period(year, half)
    previous_end = start - timedelta(days=1)
    rows = pop.member_rows(db)
    history = all_changes(db, members=rows)
    changes = changes_between(history, start, end)
    counted = [c for c in changes if c.counted]
    year_end = roster_on(db, history, end)
    names = {u: r["name"] for u, r in rows.items()}
    lost = pop.lost_since(db, end)
    members = {i["uuid"]: i for i in pop.members_at(rows, year_end, end, lost)}
    balance, previous_set = _balance(
        db, history, counted, changes, year_end, year=year, previous_end=previous_end, names=names
    )
    names.update({p.uuid: p.name for p in balance.people if p.uuid not in names})  # a deleted member
    populations: dict[str, list[dict[str, Any]] | None] = {
        "members": list(members.values()),
        "dues": pop.dues(db, members, start, end),
        "admitted": pop.admitted(db, rows, counted, end),
        "left": pop.changed(rows, counted, end, lost, reason="left_party"),
        "probation": pop.probation(db, rows, start, end, year_end),
        "mobile": pop.mobile(db, members, end),
        "lost": [i for i in members.values() if i["lost_contact"]],
        "appraisal": pop.appraisal_figures(db, year=year),
        "training": pop.training(db, members, year=year),
    }
    pipeline = pop.pipeline(db, end)
    populations["pipeline"] = pipeline
    names.update({i["uuid"]: i["name"] for i in pipeline})
    indexes: dict[str, _Index] = {}  # one per population: the tables counting the roster share its index

    def index_of(name: str, items: Sequence[Mapping[str, Any]]) -> _Index:
        if name not in indexes:
            base = index_of("members", populations["members"] or []) if name in EXTENDS_ROSTER else None
            indexes[name] = _Index(items, base)
        return indexes[name]

    results = []
    for table in tables:
        if table.population == "balance":
            results.append(_table_one(table, counted, balance, previous_set, year_end))
            continue
        items = populations.get(table.population)
        if items is None:
            empty = tuple(tuple(None for _ in table.columns) for _ in table.rows)
            results.append(TableResult(table, empty, available=False))
        else:
            results.append(TableResult(table, _cells(table, index_of(table.population, items))))
    return Report(
        year,
        half,
        start,
        end,
        version,
        tuple(results),
        balance,
        names,
        tuple(changes),
        frozenset(year_end),
        saved_report(db, year=year, half=half),
    )


def _table_one(
    table: Table, counted: Sequence[Change], balance: Balance, previous: set[str], actual: set[str]
) -> TableResult:
    """Table 1: its change columns count the period's changes by reason; its balance columns are the figures."""
    items = [
        {"uuid": c.member_uuid, "reason": c.reason, "direction": c.direction, "detail": c.detail}
        for c in counted
    ]
    cells: list[tuple[Cell | None, ...]] = []
    values: dict[tuple[int, int], int] = {}
    for ri, row in enumerate(table.rows):
        in_row = [i for i in items if row.where(i)]
        line: list[Cell | None] = []
        for ci, col in enumerate(table.columns):
            if col.key == "previous":
                line.append(Cell(tuple(sorted(previous))) if ri == 0 else None)
                if ri == 0:
                    values[(ri, ci)] = balance.previous
            elif col.key == "actual":
                line.append(Cell(tuple(sorted(actual))) if ri == 0 else None)
            elif col.key in ("expected", "difference"):
                line.append(None)
                if ri == 0:
                    values[(ri, ci)] = balance.expected if col.key == "expected" else balance.difference
            else:
                line.append(Cell(tuple(i["uuid"] for i in in_row if col.where(i))))
        cells.append(tuple(line))
    if balance.people:
        diff_col = next(ci for ci, c in enumerate(table.columns) if c.key == "difference")
        first = list(cells[0])
        first[diff_col] = Cell(tuple(p.uuid for p in balance.people))
        cells[0] = tuple(first)
    return TableResult(table, tuple(cells), values=values)


def _balance(
    db: Database,
    history: Sequence[Change],
    counted: Sequence[Change],
    changes: Sequence[Change],
    year_end: set[str],
    *,
    year: int,
    previous_end: date,
    names: Mapping[str, str],
) -> tuple[Balance, set[str]]:
    recomputed = roster_on(db, history, previous_end)
    saved = saved_report(db, year=year - 1, half=False)
    if saved is not None:
        previous = set(json.loads(saved["year_end_members"]))
        previous_total, source = int(saved["actual_total"]), "saved"
    else:
        previous, previous_total, source = recomputed, len(recomputed), "recomputed"
    net: dict[str, int] = {}
    for c in counted:
        net[c.member_uuid] = net.get(c.member_uuid, 0) + (1 if c.direction == "add" else -1)
    differing = [
        u for u in previous | year_end | set(net) if (u in previous) + net.get(u, 0) != (u in year_end)
    ]
    gone = _deleted_members(db, set(differing) - names.keys())
    names = {**names, **{u: name for u, (name, _) in gone.items()}}
    people: list[Difference] = []
    for uuid in sorted(differing, key=lambda u: names.get(u, u)):
        own = [c for c in changes if c.member_uuid == uuid and not c.counted]
        undated = [c for c in history if c.member_uuid == uuid and c.on is None]
        if uuid in gone:
            how = f"（{gone[uuid][1]}）" if gone[uuid][1] else ""
            why = f"该党员的记录已删除{how}，但上年报告计入上年底总数"
        else:
            why = _why(uuid, own, undated, previous, recomputed, year_end)
        people.append(Difference(uuid, names.get(uuid, uuid), why))
    warnings = [
        Difference(c.member_uuid, c.name, c.problem)
        for c in changes
        if (c.counted or c.no_effect) and c.problem
    ]
    warnings += [
        Difference(c.member_uuid, c.name, c.problem)
        for c in history
        if c.on is None and (c.member_uuid in previous or c.member_uuid in year_end)
    ]
    return (
        Balance(
            previous_total,
            source,
            sum(c.direction == "add" for c in counted),
            sum(c.direction == "remove" for c in counted),
            len(year_end),
            tuple(people),
            tuple(warnings),
        ),
        previous,
    )


def _deleted_members(db: Database, uuids: set[str]) -> dict[str, tuple[str, str]]:
    """The name and how it went of each member no longer in the database (an undone import removes the members it
    added; the audit log keeps the name), for those of ``uuids`` a saved report still counts."""
    if not uuids:
        return {}
    marks = ", ".join("?" * len(uuids))
    rows = query(
        db,
        "SELECT entity_uuid, old, source FROM audit_log WHERE entity = 'member' AND action = 'delete'"
        f" AND entity_uuid IN ({marks}) ORDER BY id",
        sorted(uuids),
    )
    how = {"undo-import": "撤销导入"}
    found = {r["entity_uuid"]: (r["old"] or r["entity_uuid"], how.get(r["source"], "")) for r in rows}
    return {u: found.get(u, (u, "")) for u in uuids}


def _why(
    uuid: str,
    own: Sequence[Change],
    undated: Sequence[Change],
    previous: set[str],
    recomputed: set[str],
    year_end: set[str],
) -> str:
    """Why this person's changes (``own``: the person's uncounted ones of the period; ``undated``: the person's
    changes without a date) do not account for them."""
    if own:
        return "；".join(f"{c.label}：{c.problem or '变动原因不明'}（{c.source}）" for c in own)
    if undated:
        return "；".join(f"{c.problem}（{c.source}）" for c in undated)
    if (uuid in previous) != (uuid in recomputed):
        was = "计入" if uuid in previous else "未计入"
        now = "在册" if uuid in recomputed else "不在册"
        return f"上年报告{was}上年底总数，但按现有记录上年底{now}（上年报告后记录被修改）"
    here = "在册" if uuid in year_end else "不在册"
    return f"本年底{here}，但本年没有相应的增加或减少记录"
