"""Adding, reading, replacing and removing attachments; the 回收站; the checksum check; the store in backups.

Every write is one transaction with its audit entry (entity ``attachment``: create, update = replaced, archive =
to the 回收站, restore, delete = the 回收站 emptied). The object is written before the row, so a failed
transaction leaves at most an unreferenced object, which the next emptying of the 回收站 collects.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import sqlcipher3.dbapi2 as sqlite

from db import audit
from db.attachments.images import prepare
from db.attachments.records import FILE_KINDS, Attachment, Damaged
from db.errors import NotFound, StoreError
from db.ids import fresh_uuid
from db.records import from_row
from db.rows import query, query_one
from db.store import Database, now_iso
from db.store import objects as store_objects
from db.store.paths import backup_dir

ENTITY = "attachment"
MAX_FILE_BYTES = 200 * 1024 * 1024

# The table of each kind of record, to refuse a file for a record that does not exist. "printout" (a ledger of a
# period, filed by its QR code) has no row of its own.
_OWNER_TABLES = {
    "meeting": "meetings",
    "member": "members",
    "project": "projects",
    "finding": "findings",
    "transfer": "transfers",
    "development_step": "development_steps",
    "election": "elections",
    "life_meeting_material": "life_meeting_materials",
}

_COLUMNS = (
    "uuid, owner_kind, owner_id, name, mime, size, sha256, object, pages, original_object, original_size, "
    "original_sha256, source, note, replaces, created_at, created_by, binned_at, binned_by, binned_reason"
)


@dataclass(frozen=True)
class Store:
    """Where a database's objects are and the key to them."""

    folder: Path
    key: bytes
    salt: bytes
    store_id: str


def store_of(db: Database) -> Store:
    info = store_objects.store_info(db.conn)
    if info is None:
        raise StoreError("数据库没有附件库（版本过旧），请先升级数据库。")
    return Store(
        store_objects.folder_for(db.path, info.store_id),
        store_objects.derive_key(db.key, info.salt),
        info.salt,
        info.store_id,
    )


def _check_owner(db: Database, owner_kind: str, owner_id: str) -> None:
    if owner_kind not in FILE_KINDS:
        raise StoreError(f"不能给「{owner_kind}」添加附件：不认识这种记录。")
    table = _OWNER_TABLES.get(owner_kind)
    if table and query_one(db.conn, f"SELECT 1 AS x FROM {table} WHERE uuid = ?", [owner_id]) is None:
        raise NotFound(f"找不到要添加附件的{FILE_KINDS[owner_kind]}（编号 {owner_id}），可能已被删除。")


def _get(db: Database, uuid: str) -> Attachment:
    row = query_one(db.conn, f"SELECT {_COLUMNS} FROM attachments WHERE uuid = ?", [uuid])
    if row is None:
        raise NotFound(f"找不到附件（编号 {uuid}）。")
    return from_row(Attachment, row)


def _log(db: Database, a: Attachment, action: str, *, old: str | None = None, new: str | None = None) -> None:
    """The audit entry of one change to attachment ``a`` (field: its record), inside the caller's transaction."""
    audit.record(
        db,
        entity=ENTITY,
        entity_uuid=a.uuid,
        action=action,
        field=f"{a.owner_kind}:{a.owner_id}",
        old=old,
        new=new,
    )


def get_attachment(db: Database, *, uuid: str) -> Attachment:
    return _get(db, uuid)


def list_attachments(db: Database, *, owner_kind: str, owner_id: str) -> list[Attachment]:
    """The current files of one record, oldest first."""
    rows = query(
        db.conn,
        f"SELECT {_COLUMNS} FROM attachments WHERE owner_kind = ? AND owner_id = ? AND binned_at IS NULL "
        "ORDER BY created_at, id",
        [owner_kind, owner_id],
    )
    return [from_row(Attachment, r) for r in rows]


def same_attachment(db: Database, *, owner_kind: str, owner_id: str, sha256: str) -> Attachment | None:
    """The current file of a record whose content has the checksum ``sha256``, if there is one."""
    return next(
        (a for a in list_attachments(db, owner_kind=owner_kind, owner_id=owner_id) if a.sha256 == sha256),
        None,
    )


def list_all(db: Database, *, include_binned: bool = False) -> list[Attachment]:
    where = "" if include_binned else "WHERE binned_at IS NULL"
    rows = query(db.conn, f"SELECT {_COLUMNS} FROM attachments {where} ORDER BY created_at, id")
    return [from_row(Attachment, r) for r in rows]


def list_bin(db: Database) -> list[Attachment]:
    """The 回收站: removed and replaced files, newest first."""
    rows = query(
        db.conn,
        f"SELECT {_COLUMNS} FROM attachments WHERE binned_at IS NOT NULL ORDER BY binned_at DESC, id DESC",
    )
    return [from_row(Attachment, r) for r in rows]


def _insert(
    db: Database,
    *,
    owner_kind: str,
    owner_id: str,
    name: str,
    data: bytes,
    keep_original: bool,
    source: str,
    note: str,
    pages: int,
    replaces: str | None,
) -> str:
    """Store the object(s) and insert the row (inside the caller's transaction); returns the new uuid."""
    if not data:
        raise StoreError(f"文件「{name}」是空的，没有添加。")
    if len(data) > MAX_FILE_BYTES:
        raise StoreError(f"文件「{name}」超过 200 MB，太大了。请先压缩或拆分后再添加。")
    store = store_of(db)
    prepared = prepare(name, data)
    obj = store_objects.put(store.folder, store.key, store.salt, prepared.data)
    original: tuple[str, int, str] | tuple[None, None, None] = (None, None, None)
    if prepared.reduced and keep_original:
        original = (
            store_objects.put(store.folder, store.key, store.salt, data),
            len(data),
            hashlib.sha256(data).hexdigest(),
        )
    uuid = fresh_uuid()
    db.execute(
        "INSERT INTO attachments (uuid, owner_kind, owner_id, name, mime, size, sha256, object, pages, "
        "original_object, original_size, original_sha256, source, note, replaces, created_at, created_by) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            uuid,
            owner_kind,
            owner_id,
            prepared.name,
            prepared.mime,
            len(prepared.data),
            hashlib.sha256(prepared.data).hexdigest(),
            obj,
            pages,
            *original,
            source,
            note,
            replaces,
            now_iso(),
            audit.current_actor(),
        ],
    )
    return uuid


def add_attachment(
    db: Database,
    *,
    owner_kind: str,
    owner_id: str,
    name: str,
    data: bytes,
    keep_original: bool = False,
    source: str = "",
    note: str = "",
    pages: int = 1,
) -> Attachment:
    """Attach ``data`` (a file called ``name``) to a record. An image is reduced (``images.prepare``); with
    ``keep_original`` the file as given is kept as well."""
    _check_owner(db, owner_kind, owner_id)
    with db.atomic():
        uuid = _insert(
            db,
            owner_kind=owner_kind,
            owner_id=owner_id,
            name=name,
            data=data,
            keep_original=keep_original,
            source=source,
            note=note,
            pages=pages,
            replaces=None,
        )
        added = _get(db, uuid)
        _log(db, added, "create", new=f"{added.name} sha256={added.sha256}")
    return added


def read_file(path: Path) -> bytes:
    """A file to attach, with one Chinese message when it cannot be read."""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise StoreError(
            f"无法读取文件「{path}」：{exc.strerror or exc}。请检查文件是否存在、是否被占用。"
        ) from exc


def add_file(
    db: Database, *, owner_kind: str, owner_id: str, path: Path, keep_original: bool = False
) -> Attachment:
    """``add_attachment`` of a file on disk."""
    return add_attachment(
        db,
        owner_kind=owner_kind,
        owner_id=owner_id,
        name=Path(path).name,
        data=read_file(Path(path)),
        keep_original=keep_original,
    )


def replace_attachment(
    db: Database, *, uuid: str, name: str, data: bytes, keep_original: bool = False
) -> Attachment:
    """Put a new file in the place of attachment ``uuid``; the old one goes to the 回收站 (reason: replaced)."""
    old = _get(db, uuid)
    if old.binned_at is not None:
        raise StoreError(f"附件「{old.name}」已在回收站中，不能替换。请先还原。")
    with db.atomic():
        new_uuid = _insert(
            db,
            owner_kind=old.owner_kind,
            owner_id=old.owner_id,
            name=name,
            data=data,
            keep_original=keep_original,
            source=old.source,
            note=old.note,
            pages=old.pages,
            replaces=uuid,
        )
        _bin(db, old, reason="replaced")
        new = _get(db, new_uuid)
        _log(db, new, "update", old=f"{old.name} sha256={old.sha256}", new=f"{new.name} sha256={new.sha256}")
    return new


def _bin(db: Database, a: Attachment, *, reason: str) -> None:
    db.execute(
        "UPDATE attachments SET binned_at = ?, binned_by = ?, binned_reason = ? WHERE uuid = ?",
        [now_iso(), audit.current_actor(), reason, a.uuid],
    )
    _log(db, a, "archive", old=a.name, new="回收站（已替换）" if reason == "replaced" else "回收站")


def remove_attachment(db: Database, *, uuid: str) -> Attachment:
    """Move attachment ``uuid`` to the 回收站 (it stays there, restorable, until the 回收站 is emptied)."""
    a = _get(db, uuid)
    if a.binned_at is None:
        with db.atomic():
            _bin(db, a, reason="removed")
    return _get(db, uuid)


def restore_attachment(db: Database, *, uuid: str) -> Attachment:
    """Take attachment ``uuid`` out of the 回收站, back to its record."""
    a = _get(db, uuid)
    if a.binned_at is not None:
        with db.atomic():
            db.execute(
                "UPDATE attachments SET binned_at = NULL, binned_by = NULL, binned_reason = NULL WHERE uuid = ?",
                [uuid],
            )
            _log(db, a, "restore", new=a.name)
    return _get(db, uuid)


@dataclass(frozen=True)
class Emptied:
    """What emptying the 回收站 did: rows removed, object files removed, and why files were kept (if so)."""

    removed: int
    files_removed: int
    kept_because: str


def empty_bin(db: Database) -> Emptied:
    """Empty the 回收站 (the explicit action): its rows are deleted (each with an audit entry), then the objects no
    database copy refers to any more are removed (``collect_garbage``)."""
    binned = list_bin(db)
    with db.atomic():
        for a in binned:
            db.execute("DELETE FROM attachments WHERE uuid = ?", [a.uuid])
            _log(db, a, "delete", old=f"{a.name} sha256={a.sha256}")
    files, reason = collect_garbage(db)
    return Emptied(len(binned), files, reason)


def _copies_of(db: Database) -> list[Path]:
    """The other database files that may refer to this store: the automatic backups, and databases beside it
    (a copy recovered from a backup)."""
    found = sorted(backup_dir(db.path).glob("*.sqlite")) if backup_dir(db.path).is_dir() else []
    here = db.path.resolve()
    found += [p for p in sorted(here.parent.glob("*.sqlite")) if p.resolve() != here]
    return found


def _names_of_copy(path: Path, key: str | None, store_id: str) -> set[str] | None:
    """The objects a database copy refers to; an empty set for a copy of another store; None when it cannot be
    read (then nothing may be collected)."""
    from db.store import connect, is_encrypted, readonly_uri

    try:
        conn = connect(readonly_uri(path), key=key if is_encrypted(path) else None, uri=True)
        try:
            info = store_objects.store_info(conn)
            if info is None:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
                return set()
            return store_objects.referenced_names(conn) if info.store_id == store_id else set()
        finally:
            conn.close()
    except (sqlite.Error, OSError, StoreError):
        return None


def collect_garbage(db: Database) -> tuple[int, str]:
    """Remove the objects of this database's store that neither it nor any readable copy (backups, recovered
    files) refers to. When a copy cannot be read (another password) nothing is removed; returns (files removed,
    the reason files were kept or "")."""
    store = store_of(db)
    keep = store_objects.referenced_names(db.conn)
    for copy in _copies_of(db):
        names = _names_of_copy(copy, db.key, store.store_id)
        if names is None:
            return 0, f"备份「{copy.name}」无法读取（可能是旧密码），为安全起见未删除附件文件"
        keep |= names
    removed = 0
    for name in store_objects.names_in(store.folder) - keep:
        try:
            store_objects.object_path(store.folder, name).unlink()
            removed += 1
        except OSError:
            pass
    return removed, ""


def read_bytes(db: Database, *, uuid: str, original: bool = False) -> bytes:
    """The file of attachment ``uuid`` (its original with ``original`` when one was kept), checked against its
    SHA-256. Raises ``ObjectDamaged`` (a ``StoreError``) with a Chinese message."""
    a = _get(db, uuid)
    store = store_of(db)
    name, sha = (
        (a.original_object, a.original_sha256) if original and a.original_object else (a.object, a.sha256)
    )
    try:
        data = store_objects.get(store.folder, store.key, name)
    except store_objects.ObjectDamaged as exc:
        raise store_objects.ObjectDamaged(
            f"附件「{a.name}」无法打开：{exc.message}。请从备份中恢复。"
        ) from exc
    if hashlib.sha256(data).hexdigest() != sha:
        raise store_objects.ObjectDamaged(f"附件「{a.name}」的校验和不符，文件已损坏。请从备份中恢复。")
    return data


def verify_attachments(db: Database) -> list[Damaged]:
    """Every attachment (also those in the 回收站) whose file is missing or fails its SHA-256 (``check``)."""
    if store_objects.store_info(db.conn) is None:
        return []
    damaged = []
    for a in list_all(db, include_binned=True):
        for original in (False, True) if a.original_object else (False,):
            try:
                read_bytes(db, uuid=a.uuid, original=original)
            except StoreError as exc:
                problem = exc.message.split("：", 1)[-1]
                damaged.append(
                    Damaged(
                        a.uuid, a.name + ("（原件）" if original else ""), a.owner_kind, a.owner_id, problem
                    )
                )
    return damaged


# --- the store in backups -----------------------------------------------------------------------------------------


def copy_store_beside(db: Database, dest: Path) -> list[str]:
    """After a backup written to ``dest`` outside the automatic backups folder (a USB stick): copy the objects
    it refers to that are not yet beside it, into ``<dest folder>/attachments/<store id>/``. Returns names that
    could not be found (damaged store)."""
    store = store_of(db)
    target = store_objects.folder_for(dest, store.store_id)
    return store_objects.copy_objects(
        store_objects.referenced_names(db.conn), sources=[store.folder], dest=target
    )


def bring_store_from(db: Database, source_file: Path) -> list[str]:
    """After a restore from ``source_file``: copy the objects the restored database refers to that this store
    lacks from the store beside that file. Returns the names found nowhere."""
    store = store_of(db)
    return store_objects.copy_objects(
        store_objects.referenced_names(db.conn),
        sources=store_objects.candidate_folders(source_file, store.store_id),
        dest=store.folder,
    )


def describe(a: Attachment, owners: dict[tuple[str, str], str] | None = None) -> str:
    """One line: the record and the file."""
    owner = (owners or {}).get((a.owner_kind, a.owner_id), a.owner_id[:8])
    return f"{a.owner_label}「{owner}」：{a.name}"
