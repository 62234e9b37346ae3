"""Rows become dicts by column name, so a new column cannot shift another field."""

import sqlite3
from dataclasses import dataclass
from datetime import date

from db.records import from_row
from db.rows import children, named, query, query_one, where


def _conn() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (a INTEGER, b TEXT)")
    conn.executemany("INSERT INTO t VALUES (?, ?)", [(1, "甲"), (2, "乙")])
    return conn


def test_rows_are_keyed_by_column_name_and_alias() -> None:
    conn = _conn()
    assert query(conn, "SELECT b, a AS number FROM t ORDER BY a") == [
        {"b": "甲", "number": 1},
        {"b": "乙", "number": 2},
    ]


def test_adding_a_column_keeps_every_field_in_place() -> None:
    conn = _conn()
    before = query_one(conn, "SELECT * FROM t WHERE a = ?", (2,))
    conn.execute("ALTER TABLE t ADD COLUMN c TEXT DEFAULT 'x'")
    after = query_one(conn, "SELECT * FROM t WHERE a = ?", (2,))
    assert before is not None and after is not None
    assert after["b"] == before["b"] == "乙" and after["c"] == "x"


def test_query_one_gives_none_on_no_row_and_named_streams() -> None:
    conn = _conn()
    assert query_one(conn, "SELECT * FROM t WHERE a = 99") is None
    assert [r["a"] for r in named(conn.execute("SELECT a FROM t ORDER BY a DESC"))] == [2, 1]


def test_children_groups_child_rows_by_parent_in_query_order() -> None:
    conn = _conn()
    conn.execute("CREATE TABLE c (parent INTEGER, note TEXT)")
    conn.executemany("INSERT INTO c VALUES (?, ?)", [(2, "二"), (1, "一"), (2, "贰")])
    sql = "SELECT parent, note FROM c WHERE parent IN ({ids}) ORDER BY rowid"
    got = children(conn, sql, [1, 2, 3], key="parent", make=lambda r: r["note"])
    assert got == {1: ["一"], 2: ["二", "贰"], 3: []}
    assert children(conn, sql, [], key="parent", make=lambda r: r["note"]) == {}


def test_where_leaves_out_filters_not_set_and_passes_dates_as_iso_text() -> None:
    conn = _conn()
    assert where({"a = ?": None, "b = ?": None}) == ("", [])
    clause, params = where({"a = ?": None, "b = ?": "乙"})
    assert query(conn, "SELECT a FROM t" + clause, params) == [{"a": 2}]
    assert where({"d >= ?": date(2026, 3, 1), "a = ?": 0}, "b IS NOT NULL") == (
        " WHERE d >= ? AND a = ? AND b IS NOT NULL",
        ["2026-03-01", 0],
    )


def test_from_row_takes_the_fields_a_row_does_not_hold_as_keywords() -> None:
    @dataclass(frozen=True)
    class Step:
        uuid: str
        on: date
        voided: bool
        members: tuple[str, ...]

    row = {"uuid": "s-1", "on": "2026-03-01", "voided": 1, "extra": "ignored"}
    assert from_row(Step, row, members=("甲", "乙")) == Step("s-1", date(2026, 3, 1), True, ("甲", "乙"))
    # a keyword wins over a column of the same name
    assert from_row(Step, row, on=date(2026, 4, 1), members=()).on == date(2026, 4, 1)
