"""Roster import from HQ, second step: apply a preview (``preview.py``) as one batch after a backup, and undo it.

Everything an import writes carries the batch id in the audit log; the batch (file name, checksum, counts,
changes) is recorded in ``exchange_batches`` so ``undo_import`` can revert it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from db import audit
from db.branch import get_branch, list_party_groups, save_branch, save_party_group
from db.errors import BranchDeskError, Problem, ValidationError
from db.ids import fresh_uuid
from db.members import add_member, get_member, update_member
from db.store import Database, backup_before, now_iso
from db.workbook.format import ROSTER_SHEET
from db.workbook.preview import STATUSES, ImportPreview, ProgressFn, StoredRoster
from db.workbook.snapshot import IMPORT_FIELDS, field_text, load_snapshot, member_texts, snapshot_members


@dataclass(frozen=True)
class ImportBatch:
    """An applied import: its id (also the ``batch`` of its audit entries), file, checksum and counts."""

    uuid: str
    file_name: str
    sha256: str
    counts: dict[str, int]
    created_at: str
    status: str  # done / undone


# --- apply -------------------------------------------------------------------------------------------------


def _stored_value(name: str, text: str, groups: Mapping[str, str]) -> Any:
    """A compared text back to what ``update_member`` takes."""
    if name == "party_group":
        return groups.get(text) if text else None
    kind = ROSTER_SHEET.column(name).type
    if kind == "bool":
        return text == "1"
    if kind == "date":
        return text or None
    if kind == "choice":
        return text or None
    return text


def apply_import(
    db: Database,
    *,
    preview: ImportPreview,
    decisions: Mapping[str, Mapping[str, str]] | None = None,
    progress: ProgressFn | None = None,
) -> ImportBatch:
    """Apply every valid row of ``preview`` in ONE transaction, after a backup; invalid rows are skipped.

    ``decisions`` resolves conflicts: ``{member_uuid: {field: "file" | "db"}}``; an undecided conflict keeps the
    branch's value ("db"). Everything written carries the batch id in the audit log; the batch (file name,
    checksum, counts, changes) is recorded so ``undo_import`` can revert it. Raises ``ValidationError`` when the
    database changed since the preview (preview again) or a row no longer validates; nothing is then written.
    """

    decisions = decisions or {}
    if preview.already_imported:
        raise BranchDeskError(preview.already_imported)
    for r in preview.rows:
        if r.status in ("changed", "conflict") and r.member_uuid:
            current = member_texts(get_member(db, uuid=r.member_uuid))
            if any(current[c.field] != c.before for c in r.changes):
                raise ValidationError(
                    [Problem("file", f"「{r.name}」的记录在预览之后被修改过，请重新预览后再导入")]
                )
    batch = fresh_uuid()
    source = f"import:{preview.file_name}"
    backup_before(db, "import")
    changes_log: list[dict[str, Any]] = []
    snapshot: dict[str, dict[str, str]] = {}
    applied = {k: 0 for k in STATUSES}
    todo = [r for r in preview.rows if r.status in ("new", "changed", "conflict")]
    try:
        with db.atomic():
            if preview.branch_from_file and get_branch(db) is None:
                name, code, parent = preview.branch_from_file
                save_branch(db, name=name or "本支部", code=code, parent_org=parent)
            existing = {g.name for g in list_party_groups(db)}
            for name in preview.new_groups:
                if name not in existing:
                    group = save_party_group(db, name=name)
                    changes_log.append({"action": "group", "group": group.uuid, "name": name})
            groups = {g.name: g.uuid for g in list_party_groups(db)}
            for i, r in enumerate(todo):
                if progress and i % 200 == 0:
                    progress(i, len(todo), "正在写入…")
                if r.status == "new":
                    values = {k: v for k, v in r.values.items() if k in IMPORT_FIELDS and k != "party_group"}
                    if r.values.get("party_group"):
                        values["party_group"] = groups[r.values["party_group"]]
                    member = add_member(
                        db,
                        values=values,
                        source=source,
                        batch=batch,
                        member_uuid=r.values.get("uuid") or None,
                    )
                    changes_log.append({"member": member.uuid, "action": "create"})
                    snapshot[member.uuid] = {
                        f: field_text(f, r.values[f]) for f in IMPORT_FIELDS if f in r.values
                    }
                    applied["new"] += 1
                    continue
                assert r.member_uuid
                chosen = decisions.get(r.member_uuid, {})
                take = [c for c in r.changes if not c.conflict or chosen.get(c.field) == "file"]
                if take:
                    update_member(
                        db,
                        uuid=r.member_uuid,
                        source=source,
                        batch=batch,
                        changes={c.field: _stored_value(c.field, c.after, groups) for c in take},
                    )
                    for c in take:
                        changes_log.append(
                            {
                                "member": r.member_uuid,
                                "action": "update",
                                "field": c.field,
                                "old": c.before,
                                "new": c.after,
                            }
                        )
                snapshot[r.member_uuid] = {
                    f: field_text(f, r.values[f]) for f in IMPORT_FIELDS if f in r.values
                }
                applied[r.status] += 1
            roster_now = StoredRoster(db)
            for r in preview.rows:
                if r.status == "unchanged" and r.member_uuid and r.member_uuid in roster_now:
                    # unchanged: what HQ holds equals the stored values (for the file's non-blank cells)
                    if r.same:  # the row's cells were exactly our export of the stored member
                        snapshot[r.member_uuid] = roster_now[r.member_uuid]
                    else:
                        snapshot[r.member_uuid] = {
                            f: field_text(f, r.values[f]) for f in IMPORT_FIELDS if f in r.values
                        }
            before = load_snapshot(db)
            changes_log.extend(
                {"action": "snapshot", "member": u, "old": before.get(u)}
                for u in snapshot
                if before.get(u) != {**before.get(u, {}), **snapshot[u]}
            )
            changes_log.append(
                {
                    "action": "meta",
                    "exported_at": preview.exported_at,
                    "saved_at": preview.saved_at,
                    "sheet": preview.sheet,
                }
            )
            snapshot_members(db, uuids=snapshot)
            counts = {**preview.counts, "applied": sum(applied.values())}
            last = db.execute("SELECT COALESCE(max(id), 0) FROM audit_log").fetchone()[0]
            now = now_iso()
            db.execute(
                "INSERT INTO exchange_batches (uuid, direction, file_name, sha256, counts, changes, last_audit_id,"
                " created_at, updated_at) VALUES (?, 'import', ?, ?, ?, ?, ?, ?, ?)",
                [
                    batch,
                    preview.file_name,
                    preview.sha256,
                    json.dumps(counts, ensure_ascii=False),
                    json.dumps(changes_log, ensure_ascii=False),
                    last + 1,
                    now,
                    now,
                ],
            )
            audit.Trail(db, "exchange", batch, source=source, batch=batch).create(
                "import",
                new=f"{preview.file_name}：新增 {applied['new']}，修改 {applied['changed'] + applied['conflict']}",
            )
    except ValidationError as exc:
        raise ValidationError(
            [Problem(p.field, f"导入未完成，未写入任何数据：{p.message}") for p in exc.problems]
        ) from exc
    if progress:
        progress(len(todo), len(todo), "导入完成")
    return get_batch(db, uuid=batch)


def get_batch(db: Database, *, uuid: str) -> ImportBatch:
    """An import batch by id. Raises ``BranchDeskError`` when unknown."""
    row = db.execute(
        "SELECT uuid, file_name, sha256, counts, created_at, status FROM exchange_batches "
        "WHERE uuid = ? AND direction = 'import'",
        [uuid],
    ).fetchone()
    if row is None:
        raise BranchDeskError(f"找不到导入批次（{uuid}）")
    return ImportBatch(row[0], row[1], row[2], json.loads(row[3]), row[4], row[5])


def list_batches(db: Database) -> list[ImportBatch]:
    """Import batches, newest first."""
    rows = db.execute(
        "SELECT uuid, file_name, sha256, counts, created_at, status FROM exchange_batches "
        "WHERE direction = 'import' ORDER BY id DESC"
    ).fetchall()
    return [ImportBatch(r[0], r[1], r[2], json.loads(r[3]), r[4], r[5]) for r in rows]


def undo_import(db: Database, *, batch: str) -> ImportBatch:
    """Revert an applied import as one transaction (after a backup).

    Members it added are removed again (they existed only through this import; the audit log keeps the record),
    fields it changed get their previous values. Refused (``ValidationError``, nothing written) when the batch was
    already undone or when a later change touched the same member fields: that change would otherwise be lost.
    """

    row = db.execute(
        "SELECT changes, last_audit_id, status, file_name FROM exchange_batches WHERE uuid = ? AND direction='import'",
        [batch],
    ).fetchone()
    if row is None:
        raise BranchDeskError(f"找不到导入批次（{batch}）")
    changes, last_id, status, file_name = json.loads(row[0]), row[1], row[2], row[3]
    if status == "undone":
        raise ValidationError([Problem("batch", f"导入「{file_name}」已经撤销过了")])
    later: list[str] = []
    for ch in changes:
        if ch["action"] not in ("create", "update"):
            continue
        sql = "SELECT 1 FROM audit_log WHERE id > ? AND entity_uuid = ? AND (batch IS NOT ?)"
        params: list[Any] = [last_id, ch["member"], batch]
        if ch["action"] == "update":
            sql += " AND (field = ? OR action IN ('archive', 'restore'))"
            params.append(ch["field"])
        if db.execute(sql + " LIMIT 1", params).fetchone():
            name = db.execute("SELECT name FROM members WHERE uuid = ?", [ch["member"]]).fetchone()
            label = ROSTER_SHEET.column(ch["field"]).header if ch["action"] == "update" else "记录"
            later.append(f"{name[0] if name else ch['member']} 的{label}")
    if later:
        shown = "、".join(dict.fromkeys(later))
        raise ValidationError(
            [Problem("batch", f"无法撤销导入「{file_name}」：之后又修改过 {shown}。请先手工核对这些字段。")]
        )
    backup_before(db, "undo-import")
    undo_batch = f"undo:{batch}"
    with db.atomic():
        groups = {g.name: g.uuid for g in list_party_groups(db)}
        per_member: dict[str, dict[str, Any]] = {}
        for ch in changes:
            if ch["action"] == "update":
                per_member.setdefault(ch["member"], {})[ch["field"]] = _stored_value(
                    ch["field"], ch["old"], groups
                )
        for member_uuid, values in per_member.items():
            update_member(db, uuid=member_uuid, changes=values, source="undo-import", batch=undo_batch)
        for ch in changes:
            if ch["action"] == "snapshot":
                if ch["old"] is None:
                    db.execute("DELETE FROM exchange_snapshot WHERE member_uuid = ?", [ch["member"]])
                else:
                    db.execute(
                        "UPDATE exchange_snapshot SET fields = ?, updated_at = ? WHERE member_uuid = ?",
                        [json.dumps(ch["old"], ensure_ascii=False, sort_keys=True), now_iso(), ch["member"]],
                    )
        for ch in changes:
            if ch["action"] == "create":
                row2 = db.execute(
                    "SELECT name, citizen_id FROM members WHERE uuid = ?", [ch["member"]]
                ).fetchone()
                try:
                    db.execute("DELETE FROM members WHERE uuid = ?", [ch["member"]])
                except Exception as exc:  # FOREIGN KEY: other records now refer to this member
                    raise ValidationError(
                        [
                            Problem(
                                "batch",
                                f"无法撤销：党员 {row2[0] if row2 else ''} 已被其他记录引用（会议、党费等）",
                            )
                        ]
                    ) from exc
                audit.Trail(db, "member", ch["member"], source="undo-import", batch=undo_batch).add(
                    "delete", "name", old=row2[0] if row2 else None
                )
        for ch in changes:
            if ch["action"] == "group":
                _remove_group(db, ch["group"], ch["name"], undo_batch)
        db.execute(
            "UPDATE exchange_batches SET status = 'undone', updated_at = ? WHERE uuid = ?", [now_iso(), batch]
        )
        audit.Trail(db, "exchange", batch, source="undo-import", batch=undo_batch).update(
            "status", old="done", new="undone"
        )
    return get_batch(db, uuid=batch)


def _remove_group(db: Database, group_uuid: str, name: str, undo_batch: str) -> None:
    """Remove a party group an import created, unless something now uses it (then it is kept)."""
    row = db.execute("SELECT id FROM party_groups WHERE uuid = ?", [group_uuid]).fetchone()
    if row is None:
        return
    if db.execute("SELECT 1 FROM members WHERE party_group_id = ? LIMIT 1", [row[0]]).fetchone():
        return
    try:
        db.execute("DELETE FROM party_groups WHERE id = ?", [row[0]])
    except sqlite3.IntegrityError:  # referenced by another record since: keep it
        return
    audit.Trail(db, "party_group", group_uuid, source="undo-import", batch=undo_batch).add(
        "delete", "name", old=name
    )
