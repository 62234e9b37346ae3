"""Writing a record's rows and changes with their audit entries, the same way in every part: the INSERT of a new
record, which fields changed, record fields as the columns that store them, the UPDATE of the changed columns with
one audit entry per field (``update_row``; ``update_fields`` for a part's ``Table``), the archiving of a record
with its status, date and reason, and the entry of a status change.

``db.audit`` only appends and reads entries; this module is where the parts' write functions share the steps
around it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from db import audit
from db.ids import fresh_uuid
from db.store import Database, now_iso


def insert_row(db: Database, table: str, columns: Mapping[str, Any], *, uuid: str | None = None) -> str:
    """INSERT a new row of ``table``: ``columns`` with the record's ``uuid`` (a fresh one unless given) and its
    ``created_at``/``updated_at``; returns the uuid. ``table`` and the column names are identifiers of the data layer,
    never user input. Call inside the transaction of the change."""
    now = now_iso()
    values = {**columns, "uuid": uuid or fresh_uuid(), "created_at": now, "updated_at": now}
    db.execute(
        f"INSERT INTO {table} ({', '.join(values)}) VALUES ({', '.join('?' for _ in values)})",
        list(values.values()),
    )
    return str(values["uuid"])


def changed_fields(before: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """The items of ``new`` whose value differs from ``before`` (empty text and None count as the same)."""
    return {
        k: val
        for k, val in new.items()
        if before.get(k) != val and not (before.get(k) in ("", None) and val in ("", None))
    }


def update_row(
    db: Database,
    *,
    table: str,
    entity: str,
    uuid: str,
    columns: Mapping[str, Any],
    changes: Iterable[tuple[str, Any, Any]],
    source: str = "local",
    batch: str | None = None,
) -> None:
    """Write ``columns`` (and ``updated_at``) to the row of ``table`` with this ``uuid``, then append one
    ``update`` entry per ``(field, old, new)`` of ``changes`` (read after the write, in order). ``table`` and the
    column names are identifiers of the data layer, never user input. Call inside the transaction of the change."""
    values = {**columns, "updated_at": now_iso()}
    db.execute(
        f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in values)} WHERE uuid = ?", [*values.values(), uuid]
    )
    trail = audit.Trail(db, entity, uuid, source=source, batch=batch)
    for field, old, new in changes:
        trail.update(field, old=old, new=new)


def update_changed(
    db: Database, *, table: str, entity: str, uuid: str, before: Mapping[str, Any], new: Mapping[str, Any]
) -> dict[str, Any]:
    """Write the columns of ``new`` whose stored value differs from ``before`` (``changed_fields``) with one
    ``update`` entry per column, and return them; nothing is written when nothing changed. Call inside the
    transaction of the change."""
    changed = changed_fields(before, new)
    if changed:
        update_row(
            db,
            table=table,
            entity=entity,
            uuid=uuid,
            columns=changed,
            changes=[(k, before.get(k), v) for k, v in changed.items()],
        )
    return changed


def stored_columns(
    values: Mapping[str, Any], refs: Mapping[str, tuple[str, Callable[[Any], int | None]]] | None = None
) -> dict[str, Any]:
    """Record fields as the columns that store them: a reference (``refs``: field → its column and the function
    that gives the row id of a uuid) as that row id, a date as ISO text, a boolean as 0/1, anything else as it
    is."""
    refs = refs or {}
    cols: dict[str, Any] = {}
    for key, value in values.items():
        if key in refs:
            column, row_id = refs[key]
            cols[column] = row_id(value)
        elif isinstance(value, date):
            cols[key] = value.isoformat()
        elif isinstance(value, bool):
            cols[key] = int(value)
        else:
            cols[key] = value
    return cols


@dataclass(frozen=True)
class Table:
    """A part's table as ``update_fields`` and ``archive`` write it: its SQL ``name``, the ``entity`` its audit
    entries name, and ``columns(db, fields)``, which turns record fields into the columns that store them (a
    member's uuid into its row id, a date into ISO text …)."""

    name: str
    entity: str
    columns: Callable[[Database, Mapping[str, Any]], dict[str, Any]]


def update_fields(
    db: Database,
    table: Table,
    uuid: str,
    *,
    before: Mapping[str, Any],
    changed: Mapping[str, Any],
    shown: Callable[[str, Any, Any], tuple[str, Any, Any]] | None = None,
    source: str = "local",
    batch: str | None = None,
) -> None:
    """Write the ``changed`` fields of the record ``uuid`` with one ``update`` entry per field, its old value taken
    from ``before``. ``shown(field, old, new)`` gives an entry as the audit log shows it, where the stored value is
    not what a reader should see (a party group by name rather than by id). Call inside the transaction."""
    entries = [(key, before.get(key), value) for key, value in changed.items()]
    update_row(
        db,
        table=table.name,
        entity=table.entity,
        uuid=uuid,
        columns=table.columns(db, changed),
        changes=(shown(*entry) for entry in entries) if shown else entries,
        source=source,
        batch=batch,
    )


def archive(
    db: Database,
    table: Table,
    uuid: str,
    *,
    old: str,
    status: str,
    on: date,
    reason: str,
    note: str | None = None,
    source: str = "local",
) -> None:
    """Take a record off its active list, kept: its ``status`` (left, transferred out …) dated ``on`` with the
    ``reason`` stored, and the ``archive`` entry of the change from ``old``, which reads ``note`` (by default
    「status：reason（date）」). Call inside the transaction of the change."""
    db.execute(
        f"UPDATE {table.name} SET status = ?, status_on = ?, status_reason = ?, updated_at = ? WHERE uuid = ?",
        [status, on.isoformat(), reason, now_iso(), uuid],
    )
    shown = note if note is not None else f"{status}：{reason}（{on.isoformat()}）"
    audit.Trail(db, table.entity, uuid, source=source).status(old, shown, action="archive")
