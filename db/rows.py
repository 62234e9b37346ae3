"""Rows by column name: the one way the data layer turns a query result into values.

Records are built from column names, never from positions, so adding a column to a table or a query cannot shift
another field (the first release once broke every member load that way). Works on plain sqlite3 and on sqlcipher3
cursors alike (both give ``cursor.description``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any, TypeVar

T = TypeVar("T")


def named(cursor: Any) -> Iterator[dict[str, Any]]:
    """Yield each remaining row of ``cursor`` as a dict keyed by its column names (``AS`` aliases included)."""
    names = [column[0] for column in cursor.description]
    for row in cursor:
        yield dict(zip(names, row, strict=True))


def query(conn: Any, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> list[dict[str, Any]]:
    """Run ``sql`` on ``conn`` and return every row as a dict keyed by column name."""
    return list(named(conn.execute(sql, params)))


def query_one(conn: Any, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> dict[str, Any] | None:
    """The first row of ``sql`` as a dict keyed by column name, or ``None`` when there is none."""
    return next(named(conn.execute(sql, params)), None)


def rows_of(
    conn: Any, sql: str, ids: Sequence[Any], params: Sequence[Any] = (), *, chunk: int = 500
) -> list[dict[str, Any]]:
    """``query`` of ``sql`` whose ``IN ({})`` lists ``ids``, run in chunks that stay under SQLite's limit on
    parameters; ``params`` come before the ids. The order is each chunk's, in the order of ``ids``."""
    out: list[dict[str, Any]] = []
    for i in range(0, len(ids), chunk):
        part = list(ids[i : i + chunk])
        out += query(conn, sql.format(", ".join("?" * len(part))), [*params, *part])
    return out


def where(filters: Mapping[str, Any], *conditions: str) -> tuple[str, list[Any]]:
    """The ``WHERE`` clause of a list query and its parameters. ``filters`` maps a condition with one ``?``
    (``"m.status = ?"``) to its value, and is left out where the value is None (a filter not set); dates go as
    ISO text. ``conditions`` without parameters (``"p.ended_on IS NULL"``) are added as they are. Returns
    ``("", [])`` when nothing is left, else ``(" WHERE a AND b", [parameters])``. Conditions are text of the
    data layer, never user input."""
    used = {condition: value for condition, value in filters.items() if value is not None}
    clauses = [*used, *conditions]
    params = [value.isoformat() if isinstance(value, date) else value for value in used.values()]
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def children(
    conn: Any, sql: str, parent_ids: Sequence[int], *, key: str, make: Callable[[dict[str, Any]], T]
) -> dict[int, list[T]]:
    """The child rows of many parents in one query, grouped by parent id: ``sql`` names the ``IN`` list as
    ``{ids}`` (``"... WHERE project_id IN ({ids}) ORDER BY id"``), ``key`` is the column holding the parent id
    and ``make`` turns a row into a record. Every parent id has a list, empty when it has no children; the rows
    keep the order of ``sql``."""
    found: dict[int, list[T]] = {i: [] for i in parent_ids}
    if parent_ids:
        marks = ",".join("?" for _ in parent_ids)
        for row in query(conn, sql.format(ids=marks), list(parent_ids)):
            found[row[key]].append(make(row))
    return found
