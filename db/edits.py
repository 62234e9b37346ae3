"""Writing a record's rows and changes with their audit entries, the same way in every part: the INSERT of a new
record, which fields changed, the UPDATE of the changed columns with one audit entry per field, and the entry of a
status change.

``db.audit`` only appends and reads entries; this module is where the parts' write functions share the steps
around it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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


def record_status(
    db: Database,
    entity: str,
    entity_uuid: str,
    old: Any,
    new: Any,
    *,
    action: str = "update",
    source: str = "local",
) -> None:
    """Append the entry of a status change (field ``status``): ``old`` the former status, ``new`` the new one
    with its date and reason as the record shows them. Call inside the transaction of the change."""
    audit.Trail(db, entity, entity_uuid, source=source).add(action, "status", old=old, new=new)
