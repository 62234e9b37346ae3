"""The audit log: who changed what, when, and from where (a local edit, or the import of which file).

Every write function of ``db`` records its changes here inside the same transaction, so a record's history is
complete and an import can be found (and undone) by its batch id.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from datetime import date
from typing import Any

from db.ids import fresh_uuid
from db.records import AuditEntry
from db.store import Database, now_iso


def current_actor() -> str:
    """The operating-system user, recorded as the author of local edits."""
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name is not a reason to refuse a write
        return ""


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def record(
    db: Database,
    *,
    entity: str,
    entity_uuid: str,
    action: str,
    field: str = "",
    old: Any = None,
    new: Any = None,
    source: str = "local",
    batch: str | None = None,
) -> None:
    """Append one entry. Call inside the transaction of the change it describes (``Trail`` names the record
    once for a write's several entries)."""
    Trail(db, entity, entity_uuid, source=source, batch=batch).add(action, field, old=old, new=new)


@dataclass(frozen=True)
class Trail:
    """The entries one write appends about one record: the database, the record (its ``entity`` kind and
    ``uuid``) and where the change comes from (``source``, an import's ``batch``) are named once; each method
    appends one entry. Use inside the transaction of the change, e.g.
    ``audit.Trail(db, "project", uuid, source=source).update("title", old=before.title, new=title)``."""

    db: Database
    entity: str
    uuid: str
    source: str = "local"
    batch: str | None = None

    def create(self, field: str = "", *, new: Any = None) -> None:
        """The record was created (``field`` and ``new`` say what it was created as)."""
        self.add("create", field, new=new)

    def update(self, field: str, *, old: Any = None, new: Any = None) -> None:
        """One field of the record changed from ``old`` to ``new``."""
        self.add("update", field, old=old, new=new)

    def status(self, old: Any, new: Any, *, action: str = "update") -> None:
        """The record's status changed (field ``status``): ``old`` the former status, ``new`` the new one with its
        date and reason as the record shows them; ``action`` ``archive`` or ``restore`` when it leaves or returns
        to its active list."""
        self.add(action, "status", old=old, new=new)

    def add(self, action: str, field: str = "", *, old: Any = None, new: Any = None) -> None:
        """An entry of any action (``archive``, ``restore``, ``delete``, …)."""
        self.db.execute(
            "INSERT INTO audit_log (at, actor, source, batch, entity, entity_uuid, action, field, old, new) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                now_iso(),
                current_actor(),
                self.source,
                self.batch,
                self.entity,
                self.uuid,
                action,
                field,
                _text(old),
                _text(new),
            ],
        )


_SELECT = "SELECT at, actor, source, batch, entity, entity_uuid, action, field, old, new FROM audit_log "


def history(db: Database, *, entity_uuid: str) -> list[AuditEntry]:
    """All entries about one record, oldest first."""
    cursor = db.execute(_SELECT + "WHERE entity_uuid = ? ORDER BY id", [entity_uuid])
    return [AuditEntry(*row) for row in cursor.fetchall()]


# --- personal data shown in full, files written ----------------------------------------------------------------

REVEAL_ENTITY = "personal_data"
EXPORT_ENTITY = "export"


def record_reveal(db: Database, *, what: str, count: int, where: str = "") -> str:
    """Record that personal data was shown unmasked: ``what`` names the fields (e.g. ``"citizen_id,mobile"``),
    ``count`` how many people were on screen, ``where`` the page or printout (Chinese). Returns the entry's id
    (a new UUID). Raises ``ReadOnlyDatabase`` on a read-only database (the caller then does not reveal)."""

    return _event(db, REVEAL_ENTITY, "reveal", what, f"{where}：{count} 人" if where else f"{count} 人")


def record_export(
    db: Database, *, what: str, path: str, count: int | None = None, batch: str | None = None
) -> str:
    """Record that a file was written: ``what`` (Chinese, e.g. "党员名册"), ``path`` the file, ``count`` rows."""

    new = f"{path}（{count} 行）" if count is not None else str(path)
    return _event(db, EXPORT_ENTITY, "export", what, new, batch=batch)


def _event(db: Database, entity: str, action: str, what: str, new: str, *, batch: str | None = None) -> str:
    """Append, in its own transaction, one entry about an event that is no record (a reveal, an export):
    its id is a new UUID, returned."""
    event = fresh_uuid()
    with db.atomic():
        Trail(db, entity, event, batch=batch).add(action, what, new=new)
    return event


def list_entries(db: Database, *, action: str | None = None, limit: int = 200) -> list[AuditEntry]:
    """The newest entries first (all actions, or only ``action``), at most ``limit``."""
    if action is None:
        cursor = db.execute(_SELECT + "ORDER BY id DESC LIMIT ?", [limit])
    else:
        cursor = db.execute(_SELECT + "WHERE action = ? ORDER BY id DESC LIMIT ?", [action, limit])
    return [AuditEntry(*row) for row in cursor.fetchall()]
