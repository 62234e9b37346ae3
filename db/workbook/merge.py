"""Roster import from HQ: preview (new / changed / unchanged / conflict / invalid), apply as one batch, undo it.

Matching: by the stable id column (编号), else by citizen ID. Blank cells never erase data. A field is a
*conflict* when the file differs from the snapshot of what HQ last saw (set on every export and import), the
database differs from that snapshot too, and the file differs from the database: both sides changed it since the
last exchange, so the secretary decides (``decisions``); undecided conflicts keep the branch's value. A field the
branch changed while HQ still sends the old snapshot value is not a change. Validation is ``db.members``'s own
(``validate_member``); every problem is reported with sheet, row, column letter and header.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from db import audit
from db.errors import BranchDeskError, Problem, ValidationError
from db.ids import fresh_uuid
from db.records import Member
from db.store import Database, now_iso
from db.workbook.format import ROSTER_SHEET
from db.workbook.read import Book, CellProblem, WorkbookRefused, read_notes, read_roster

ProgressFn = Callable[[int, int, str], None]
STATUSES = {"new": "新增", "changed": "修改", "unchanged": "无变化", "conflict": "冲突", "invalid": "无效"}
# Fields compared and imported: the roster columns that are not read-only and not the id.
IMPORT_FIELDS: tuple[str, ...] = tuple(
    c.field for c in ROSTER_SHEET.columns if not c.readonly and c.type != "id"
)
_FIELD_ORDER = {f: i for i, f in enumerate(IMPORT_FIELDS)}


def field_text(name: str, value: Any) -> str:
    """A field value in the text form compared and snapshotted (dates ISO, booleans 1/0, group by name)."""
    if type(value) is str:
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def display(name: str, text: str) -> str:
    """A compared text as the secretary reads it (Chinese labels of choices, 是/否)."""
    if text == "":
        return "（空）"
    col = ROSTER_SHEET.column(name)
    if col.choices:
        return col.choices.get(text, text)
    if col.type == "bool":
        return "是" if text == "1" else "否"
    return text


def member_texts(m: Member) -> dict[str, str]:
    """The imported fields of a stored member, as ``field_text``."""
    out = {}
    for name in IMPORT_FIELDS:
        value = m.party_group_name if name == "party_group" else getattr(m, name)
        out[name] = field_text(name, value)
    return out


class StoredRoster:
    """Every member (archived too) column by column, in ``field_text`` form, straight from one SQL query.

    Stored dates are already ISO text and booleans 0/1, so a whole roster is compared without building records.
    """

    def __init__(self, db: Database) -> None:
        cols = ", ".join("COALESCE(g.name, '')" if f == "party_group" else f"m.{f}" for f in IMPORT_FIELDS)
        rows = db.execute(
            f"SELECT m.uuid, {cols} FROM members m LEFT JOIN party_groups g ON g.id = m.party_group_id"
        ).fetchall()
        columns = list(zip(*rows)) if rows else [() for _ in range(len(IMPORT_FIELDS) + 1)]
        self.uuids: list[str] = list(columns[0])
        self.columns: dict[str, list[str]] = {
            f: ["" if v is None else v if type(v) is str else str(v) for v in col]
            for f, col in zip(IMPORT_FIELDS, columns[1:])
        }
        self.index = {u: i for i, u in enumerate(self.uuids)}

    def __contains__(self, member_uuid: object) -> bool:
        return member_uuid in self.index

    def __getitem__(self, member_uuid: str) -> dict[str, str]:
        i = self.index[member_uuid]
        return {f: col[i] for f, col in self.columns.items()}

    def by_citizen_id(self) -> dict[str, str]:
        return {c: self.uuids[i] for i, c in enumerate(self.columns["citizen_id"]) if c}

    def expected_cells(self, fields: list[str]) -> dict[str, tuple[Any, ...]]:
        """Per member uuid, the raw cells (as python-calamine returns them) the export writes for ``fields``."""
        from db.workbook.cells import ESCAPE, FORMULA_CHARS, escape_text

        risky = (*FORMULA_CHARS, ESCAPE)
        out_cols: list[list[Any]] = []
        for name in fields:
            if name == "uuid":
                out_cols.append(self.uuids)
                continue
            col, spec = self.columns[name], ROSTER_SHEET.column(name)
            if spec.type == "date":
                iso = date.fromisoformat
                out_cols.append([iso(t) if t else "" for t in col])
            elif spec.choices:
                labels = spec.choices
                out_cols.append([labels.get(t, t) if t else "" for t in col])
            elif spec.type == "bool":
                out_cols.append(["是" if t == "1" else "否" for t in col])
            else:
                out_cols.append([escape_text(t) if t.startswith(risky) else t for t in col])
        return dict(zip(self.uuids, zip(*out_cols)))


def stored_texts(db: Database) -> dict[str, dict[str, str]]:
    """Every member (archived too) as ``{uuid: {field: text}}`` in ``field_text`` form."""
    roster = StoredRoster(db)
    return {u: roster[u] for u in roster.uuids}


def snapshot_members(db: Database, *, uuids: Mapping[str, Mapping[str, str]] | None = None) -> None:
    """Set the exchange snapshot: every active member's current values (``uuids=None``), or the given
    ``{member_uuid: {field: text}}`` (merged into what was there). One JSON row per member; rows whose content
    did not change are not rewritten. Call inside the caller's transaction."""
    from db.members import list_members

    if uuids is None:
        uuids = {m.uuid: member_texts(m) for m in list_members(db)}
    current = _load_snapshot(db)
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


def snapshot_from_export(db: Database) -> None:
    """Set the snapshots collected by an export in ``temp.export_snapshot``; unchanged rows are not rewritten.
    Call inside the export's transaction."""
    now = now_iso()
    db.execute(
        "INSERT INTO exchange_snapshot (member_uuid, fields, created_at, updated_at) "
        "SELECT member_uuid, fields, ?, ? FROM temp.export_snapshot WHERE true "
        "ON CONFLICT(member_uuid) DO UPDATE SET fields = excluded.fields, updated_at = excluded.updated_at "
        "WHERE exchange_snapshot.fields != excluded.fields",
        [now, now],
    )
    db.execute("DROP TABLE temp.export_snapshot")


def _load_snapshot(db: Database) -> dict[str, dict[str, str]]:
    return {u: json.loads(f) for u, f in db.execute("SELECT member_uuid, fields FROM exchange_snapshot")}


# --- records -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    """One field of a row: stored value (``before``), the file's (``after``), HQ's last known (``snapshot``)."""

    field: str
    label: str
    before: str
    after: str
    snapshot: str | None
    conflict: bool

    def describe(self) -> str:
        return f"{self.label}：{display(self.field, self.before)} → {display(self.field, self.after)}"


@dataclass(frozen=True)
class PreviewRow:
    """One data row of the file and what applying it would do."""

    row: int
    status: str  # new / changed / unchanged / conflict / invalid
    member_uuid: str | None
    name: str
    changes: tuple[FieldChange, ...]
    problems: tuple[CellProblem, ...]
    values: Mapping[str, Any] = field(compare=False, repr=False)
    same: bool = False  # unchanged, recognised without parsing (cells equal to our export of the member)


@dataclass(frozen=True)
class ImportPreview:
    """What an import would do; nothing has been written. ``counts`` keys are the five statuses."""

    path: Path
    file_name: str
    sha256: str
    sheet: str
    counts: dict[str, int]
    rows: tuple[PreviewRow, ...]
    ignored_columns: tuple[str, ...]
    new_groups: tuple[str, ...]
    branch_from_file: tuple[str, str, str] | None  # (name, code, parent) when the database has no branch yet

    @property
    def problems(self) -> list[CellProblem]:
        return [p for r in self.rows for p in r.problems]

    def to_json(self) -> dict[str, Any]:
        """The preview as plain JSON data (for ``branchdesk import --json``)."""
        return {
            "file": self.file_name,
            "sha256": self.sha256,
            "sheet": self.sheet,
            "counts": self.counts,
            "ignored_columns": list(self.ignored_columns),
            "new_groups": list(self.new_groups),
            "rows": [
                {
                    "row": r.row,
                    "status": r.status,
                    "member": r.member_uuid,
                    "name": r.name,
                    "changes": [
                        {
                            "field": c.field,
                            "label": c.label,
                            "before": c.before,
                            "after": c.after,
                            "conflict": c.conflict,
                        }
                        for c in r.changes
                    ],
                }
                for r in self.rows
                if r.status != "unchanged"
            ],
            "problems": [
                {"sheet": p.sheet, "row": p.row, "column": p.column, "header": p.header, "message": p.message}
                for p in self.problems
            ],
        }


@dataclass(frozen=True)
class ImportBatch:
    """An applied import: its id (also the ``batch`` of its audit entries), file, checksum and counts."""

    uuid: str
    file_name: str
    sha256: str
    counts: dict[str, int]
    created_at: str
    status: str  # done / undone


# --- preview -----------------------------------------------------------------------------------------------


def _file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _check_branch(db: Database, notes: Mapping[str, Any], file_name: str) -> tuple[str, str, str] | None:
    from db.branch import get_branch
    from db.workbook import export as ex

    file_name_branch = str(notes.get(ex.NOTE_BRANCH) or "").strip()
    file_code = str(notes.get(ex.NOTE_CODE) or "").strip()
    if not file_name_branch and not file_code:
        return None
    branch = get_branch(db)
    if branch is None:
        return (file_name_branch, file_code, str(notes.get(ex.NOTE_PARENT) or "").strip())
    if (file_code and branch.code and file_code != branch.code) or (
        not (file_code and branch.code) and file_name_branch and file_name_branch != branch.name
    ):
        raise WorkbookRefused(
            f"文件「{file_name}」是「{file_name_branch}」（编码 {file_code or '无'}）的工作簿，"
            f"不是本支部「{branch.name}」（编码 {branch.code or '无'}）的，已拒绝导入。"
        )
    return None


def _duplicates(rows: list[Any], key: str, label: str, sheet: str) -> None:
    seen: dict[str, int] = {}
    clashes = []
    for r in rows:
        value = r.values.get(key)
        if not value:
            continue
        if value in seen:
            clashes.append(
                f"第 {seen[value]} 行与第 {r.row} 行（{value[-4:] if key == 'citizen_id' else value}）"
            )
        else:
            seen[value] = r.row
    if clashes:
        shown = "；".join(clashes[:5]) + ("……" if len(clashes) > 5 else "")
        raise WorkbookRefused(
            f"工作表「{sheet}」中{label}重复：{shown}。请核对后再导入，本次未写入任何数据。"
        )


def preview_import(
    db: Database, *, path: str | Path, progress: ProgressFn | None = None, password: str | None = None
) -> ImportPreview:
    """Read ``path`` and say what importing it would do; nothing is written.

    Raises ``WorkbookRefused`` (Chinese message) for a hostile or foreign file: not an .xlsx, password-protected,
    damaged, zip bomb, too many rows, formulas, duplicate citizen IDs or ids, another branch's workbook.
    """
    from db.branch import list_party_groups
    from db.members import _as_values, clean_values, errors_only, get_member, validate_member
    from db.rules import CitizenIdError, parse_citizen_id

    path = Path(path)
    if progress:
        progress(0, 100, "正在检查文件…")
    book = Book(path, password=password)
    texts = StoredRoster(db)
    try:
        notes = read_notes(book)
        branch_from_file = _check_branch(db, notes, path.name)
        table = read_roster(book, expected_for=texts.expected_cells)
    finally:
        book.close()
    _duplicates(table.rows, "citizen_id", "公民身份号码", table.sheet)
    _duplicates(table.rows, "uuid", "编号", table.sheet)

    by_cid = texts.by_citizen_id()

    def snapshot_of(member_uuid: str) -> dict[str, str]:
        # Looked up only for rows that differ: an unchanged roster never parses the snapshot.
        row = db.execute(
            "SELECT fields FROM exchange_snapshot WHERE member_uuid = ?", [member_uuid]
        ).fetchone()
        return json.loads(row[0]) if row else {}

    group_names = {g.name for g in list_party_groups(db)}
    new_groups: list[str] = []
    out: list[PreviewRow] = []
    total = len(table.rows)

    def located(problems: list[Problem], row: int) -> list[CellProblem]:
        result = []
        for p in problems:
            letter, header = table.letter(p.field)
            result.append(CellProblem(table.sheet, row, letter, header, p.message))
        return result

    for i, r in enumerate(table.rows):
        if progress and i % 1000 == 0:
            progress(i, total, "正在比对名册…")
        values = r.values
        name = str(values.get("name", ""))
        file_uuid = values.get("uuid", "")
        member_uuid = file_uuid if file_uuid in texts else by_cid.get(values.get("citizen_id", ""))
        if r.same:
            out.append(PreviewRow(r.row, "unchanged", member_uuid, name, (), (), values, same=True))
            continue
        if r.problems:
            out.append(PreviewRow(r.row, "invalid", member_uuid, name, (), tuple(r.problems), values))
            continue
        group = values.get("party_group")
        if group and group not in group_names and group not in new_groups:
            new_groups.append(group)
        check = {k: v for k, v in values.items() if k not in ("uuid", "party_group")}
        if member_uuid is None:
            missing = [
                Problem(c.field, f"新增党员必须填写{c.header}")
                for c in ROSTER_SHEET.columns
                if c.required and c.field not in values
            ]
            v = dict(check)
            if v.get("citizen_id"):
                try:
                    parsed = parse_citizen_id(v["citizen_id"])
                except CitizenIdError:
                    pass
                else:
                    v.setdefault("birth_date", parsed.birth_date)
                    v.setdefault("gender", parsed.gender)
            errors = missing + errors_only(validate_member(db, values=v))
            if errors:
                out.append(
                    PreviewRow(r.row, "invalid", None, name, (), tuple(located(errors, r.row)), values)
                )
                continue
            # No per-field changes for a new row (its values are the row itself): keeps a 50,000-row preview small.
            out.append(PreviewRow(r.row, "new", values.get("uuid"), name, (), (), values))
            continue
        stored = texts[member_uuid]
        snap: dict[str, str] | None = None
        changes_list: list[FieldChange] = []
        # Only the file's non-blank cells are in ``values``: blank cells never erase.
        differing = [
            (f, t)
            for f, v in values.items()
            if f in stored and (t := (v if type(v) is str else field_text(f, v))) != stored[f]
        ]
        for f, new_text in sorted(differing, key=lambda item: _FIELD_ORDER[item[0]]):
            old_text = stored[f]
            if snap is None:
                snap = snapshot_of(member_uuid)
            base = snap.get(f)
            label = ROSTER_SHEET.column(f).header
            if base is None or old_text == base:
                changes_list.append(FieldChange(f, label, old_text, new_text, base, False))
            elif new_text == base:
                continue  # only the branch changed it since the last exchange: keep the branch's value
            else:
                changes_list.append(FieldChange(f, label, old_text, new_text, base, True))
        if not changes_list:
            out.append(PreviewRow(r.row, "unchanged", member_uuid, name or stored["name"], (), (), values))
            continue
        member = get_member(db, uuid=member_uuid)
        merged = {
            **_as_values(member),
            **clean_values({c.field: values[c.field] for c in changes_list if c.field != "party_group"}),
        }
        merged.pop("party_group", None)
        errors = errors_only(validate_member(db, values=merged, uuid=member.uuid))
        if errors:
            out.append(
                PreviewRow(
                    r.row,
                    "invalid",
                    member.uuid,
                    name or member.name,
                    tuple(changes_list),
                    tuple(located(errors, r.row)),
                    values,
                )
            )
            continue
        status = "conflict" if any(c.conflict for c in changes_list) else "changed"
        out.append(
            PreviewRow(r.row, status, member.uuid, name or member.name, tuple(changes_list), (), values)
        )

    counts = {k: 0 for k in STATUSES}
    for row in out:
        counts[row.status] += 1
    if progress:
        progress(total, total, "预览完成")
    return ImportPreview(
        path=path,
        file_name=path.name,
        sha256=_file_sha256(path),
        sheet=table.sheet,
        counts=counts,
        rows=tuple(out),
        ignored_columns=tuple(table.ignored),
        new_groups=tuple(new_groups),
        branch_from_file=branch_from_file,
    )


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
    from db.branch import get_branch, list_party_groups, save_branch, save_party_group
    from db.members import add_member, get_member, update_member
    from db.store import backup_before

    decisions = decisions or {}
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
            for name in preview.new_groups:
                save_party_group(db, name=name)
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
            audit.record(
                db,
                entity="exchange",
                entity_uuid=batch,
                action="create",
                field="import",
                new=f"{preview.file_name}：新增 {applied['new']}，修改 {applied['changed'] + applied['conflict']}",
                source=source,
                batch=batch,
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
    from db.branch import list_party_groups
    from db.members import update_member
    from db.store import backup_before

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
                audit.record(
                    db,
                    entity="member",
                    entity_uuid=ch["member"],
                    action="delete",
                    field="name",
                    old=row2[0] if row2 else None,
                    source="undo-import",
                    batch=undo_batch,
                )
        db.execute(
            "UPDATE exchange_batches SET status = 'undone', updated_at = ? WHERE uuid = ?", [now_iso(), batch]
        )
        audit.record(
            db,
            entity="exchange",
            entity_uuid=batch,
            action="update",
            field="status",
            old="done",
            new="undone",
            source="undo-import",
            batch=undo_batch,
        )
    return get_batch(db, uuid=batch)
