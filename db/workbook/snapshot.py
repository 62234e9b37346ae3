"""The exchange snapshot: per member, the roster values headquarters last saw (set on every export and import).

The import (``merge``) compares a returned workbook with it to tell a change made by HQ from one made by the branch;
the export (``export``) sets it to what it wrote. Both depend on this module, never on each other.
"""

from __future__ import annotations

import json
import operator
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import Any

from db.members import list_members
from db.records import Member
from db.store import Database, now_iso
from db.workbook.cells import plain_text
from db.workbook.format import ROSTER_SHEET

# Fields compared and imported: the roster columns that are not read-only and not the id.
IMPORT_FIELDS: tuple[str, ...] = tuple(
    c.field for c in ROSTER_SHEET.columns if not c.readonly and c.type != "id"
)


def field_text(name: str, value: Any) -> str:
    """A field value in the text form compared and snapshotted (dates ISO, booleans 1/0, group by name)."""
    text = plain_text(value)
    if text is not None:
        return text
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def member_texts(m: Member) -> dict[str, str]:
    """The imported fields of a stored member, as ``field_text``."""
    out = {}
    for name in IMPORT_FIELDS:
        value = m.party_group_name if name == "party_group" else getattr(m, name)
        out[name] = field_text(name, value)
    return out


def load_snapshot(db: Database) -> dict[str, dict[str, str]]:
    """Every member's snapshot as ``{member_uuid: {field: text}}``."""
    return {u: json.loads(f) for u, f in db.execute("SELECT member_uuid, fields FROM exchange_snapshot")}


def snapshot_of(db: Database, member_uuid: str) -> dict[str, str]:
    """One member's snapshot (empty when HQ never saw the member)."""
    row = db.execute("SELECT fields FROM exchange_snapshot WHERE member_uuid = ?", [member_uuid]).fetchone()
    return json.loads(row[0]) if row else {}


def snapshot_members(db: Database, *, uuids: Mapping[str, Mapping[str, str]] | None = None) -> None:
    """Set the exchange snapshot: every active member's current values (``uuids=None``), or the given
    ``{member_uuid: {field: text}}`` (merged into what was there). One JSON row per member; rows whose content
    did not change are not rewritten. Call inside the caller's transaction."""
    if uuids is None:
        uuids = {m.uuid: member_texts(m) for m in list_members(db)}
    current = load_snapshot(db)
    now = now_iso()
    rows = []
    for member_uuid, values in uuids.items():
        old = current.get(member_uuid)
        merged = {**old, **values} if old else dict(values)
        if merged != old:
            rows.append((member_uuid, json.dumps(merged, ensure_ascii=False, sort_keys=True), now, now))
    db.conn.executemany(
        "INSERT INTO exchange_snapshot (member_uuid, fields, created_at, updated_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(member_uuid) DO UPDATE SET fields = excluded.fields, updated_at = excluded.updated_at",
        rows,
    )


# The collected values, one TEMP column per field (sorted, as the snapshot's JSON keys): SQLite builds each
# member's JSON when the snapshot is set, instead of one ``json.dumps`` per member while the file is written.
_COLLECTED = tuple(sorted(IMPORT_FIELDS))
# A blank is empty text in the snapshot; numbers (the 0/1 flags) are text through the columns' TEXT affinity, so the
# JSON is ``field_text`` of each value.
_AS_JSON = ", ".join(f"'{f}', COALESCE(\"{f}\", '')" for f in _COLLECTED)


def collect_for_export(db: Database, records: Iterable[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
    """Pass the roster's records through, keeping each member's exported values in a connection-private TEMP
    table (``snapshot_from_export`` then sets them): memory stays flat and the main database is not locked while
    the file is written. The records hold the values as stored (text, 0/1 flags, blanks), which the TEMP table
    turns into their ``field_text``."""
    columns = ", ".join(f'"{f}" TEXT' for f in _COLLECTED)
    # No key: a roster lists each member once, and an index would only slow the inserts down.
    db.execute(f"CREATE TEMP TABLE IF NOT EXISTS export_snapshot (member_uuid TEXT NOT NULL, {columns})")
    db.execute("DELETE FROM temp.export_snapshot")
    pick = operator.itemgetter("uuid", *_COLLECTED)
    buffer: list[tuple[Any, ...]] = []
    for record in records:
        buffer.append(pick(record))
        if len(buffer) >= 2000:
            _flush(db, buffer)
        yield record
    _flush(db, buffer)


def _flush(db: Database, buffer: list[tuple[Any, ...]]) -> None:
    # Its own short transaction: a bare executemany would leave an implicit transaction open on the connection.
    with db.atomic():
        marks = ", ".join("?" * (len(_COLLECTED) + 1))
        db.conn.executemany(f"INSERT INTO temp.export_snapshot VALUES ({marks})", buffer)
    buffer.clear()


def discard_export_snapshot(db: Database) -> None:
    """Forget what an earlier export collected and did not set (it failed while writing its file): an export
    starts with nothing collected."""
    db.execute("DROP TABLE IF EXISTS temp.export_snapshot")


def snapshot_from_export(db: Database) -> None:
    """Set the snapshots collected by an export in ``temp.export_snapshot``; unchanged rows are not rewritten.
    An export without the roster sheet collected nothing (HQ saw no member): the snapshot stays as it was. Call
    inside the export's transaction."""
    if not db.execute("SELECT 1 FROM temp.sqlite_master WHERE name = 'export_snapshot'").fetchone():
        return
    now = now_iso()
    db.execute(
        "INSERT INTO exchange_snapshot (member_uuid, fields, created_at, updated_at) "
        f"SELECT member_uuid, json_object({_AS_JSON}), ?, ? "
        "FROM temp.export_snapshot WHERE true "
        "ON CONFLICT(member_uuid) DO UPDATE SET fields = excluded.fields, updated_at = excluded.updated_at "
        "WHERE json(exchange_snapshot.fields) != excluded.fields",
        [now, now],
    )
    db.execute("DROP TABLE temp.export_snapshot")
