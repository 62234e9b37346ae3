"""Opening and closing a database: ``open`` checks the file (``db.store.classify``), takes the single-instance
lock, sets the pragmas and brings the schema up to date after a backup.
"""

from __future__ import annotations

import builtins
import os
from pathlib import Path

import sqlcipher3.dbapi2 as sqlite

from db.errors import DatabaseMissing, StoreError
from db.migrations import migrations
from db.store import unchanged
from db.store.backup import backup, backup_name, fsync_dir, unlink_quietly
from db.store.classify import file_kind, inspect_file, is_encrypted
from db.store.database import APPLICATION_ID, Database, connect, readonly_uri
from db.store.intents import settle_intents
from db.store.leftovers import hold, sweep_leftovers
from db.store.locking import acquire_lock, last_holder, release_lock
from db.store.paths import backup_dir
from db.store.rekey import rekey_file


def open(
    path: str | os.PathLike[str], *, create: bool = True, readonly: bool = False, key: str | None = None
) -> Database:
    """Open (or create) the Branch Desk database at ``path`` and bring its schema up to date.

    WAL journal, ``synchronous=FULL`` (power cuts are normal), foreign keys on. Pending migrations run after a
    backup of the existing file into ``backup_dir(path)``. ``readonly=True`` (or a file the user cannot write)
    opens without any write; pending migrations then make the open fail.

    ``key`` is the database password (SQLCipher): a new file is created encrypted with it; an encrypted file
    needs it (``PasswordRequired`` without, ``WrongPassword`` when it does not fit); it is ignored for a plain file.

    Raises ``NotBranchDeskDatabase``, ``DatabaseCorrupt``, ``DatabaseLocked``, ``DatabaseTooNew``,
    ``PasswordRequired``, ``WrongPassword`` or ``StoreError`` (missing file with ``create=False``); the file is
    never modified in those cases.
    """
    path = Path(path)
    if path.is_dir():
        raise StoreError(f"「{path}」是一个文件夹，不是数据库文件。")
    exists = path.exists()
    if not exists and (not create or readonly):
        raise DatabaseMissing(
            f"找不到数据库文件「{path}」。请检查路径是否正确（U盘是否已插好），或选择其他数据库文件。"
        )
    if exists:
        # A zero-byte, damaged or foreign file is refused here, before anything could write to it.
        ours = inspect_file(path, key)
        if not is_encrypted(path):
            key = None
        if not readonly and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
            readonly = True  # a read-only file, folder or medium: WAL could not create its -shm beside it
    else:
        ours = True
    first = False  # this call took the lock: the start of the program, not a second connection of it
    same_as: Path | None = None  # the backup the file still holds exactly (its last close said so)
    if not readonly:
        if not exists:
            path.parent.mkdir(parents=True, exist_ok=True)  # the lock file lives beside the database
        first = acquire_lock(path)
        try:
            if not exists:
                _create(path, key)
            if first:
                sweep_leftovers(path)
                same_as = unchanged.recalled(path)  # before the connection: a crash's -wal still lies there
        except BaseException:
            release_lock(path)
            raise
    try:
        if readonly:
            conn = connect(readonly_uri(path), key=key, uri=True)
        else:
            conn = connect(path, key=key)
        # No sqlite-utils plugins: nothing outside this program may run inside its database (and a frozen
        # bundle has no entry-point metadata to find them with).
        db = Database(conn, execute_plugins=False)
        db.path = path
        db.readonly = readonly
        db.key = key or None
        if same_as is not None:
            db.mark_same_as(same_as)  # before anything below could write
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA busy_timeout = 5000")
        if readonly:
            if migrations.pending(db):
                raise StoreError(
                    f"数据库「{path.name}」需要升级，但文件是只读的。请把文件复制到可写的位置后再打开。"
                )
            return db
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = FULL")
        pending = migrations.pending(db)
        if pending:
            if ours:
                folder = backup_dir(path)
                backup(db, folder / backup_name(path, "before-migration", folder=folder))
            migrations.apply(db)
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        if key and first:
            _encrypt_plain_backups(path, key)
        if first:
            settle_intents(db)  # an export killed between its rename and its record: neither stays
        return db
    except BaseException:
        if not readonly:
            release_lock(path)
        raise


def _create(path: Path, key: str | None) -> None:
    """Make a new database at ``path`` atomically: built and migrated under a temporary name, flushed and renamed,
    so a killed first start leaves no zero-byte or half-built file under the final name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.new.partial")
    unlink_quietly(tmp)
    try:
        with hold(tmp):
            db = Database(connect(tmp, key=key), execute_plugins=False)
            try:
                db.execute("PRAGMA journal_mode = DELETE")
                migrations.apply(db)
                db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            finally:
                db.conn.close()
            with builtins.open(tmp, "rb+") as f:
                os.fsync(f.fileno())
            os.replace(tmp, path)
        fsync_dir(path.parent)
    except BaseException:
        unlink_quietly(tmp)
        raise


def _encrypt_plain_backups(path: Path, key: str) -> None:
    """Finish a password change that was cut off after the database was re-encrypted: backups still in plaintext
    are encrypted with the database's password (no plaintext copy stays beside an encrypted database)."""
    folder = backup_dir(path)
    if not folder.is_dir():
        return
    for old in sorted(folder.glob(f"{path.stem}-*.sqlite")):
        try:
            if file_kind(old) == "plain":
                rekey_file(old, None, key)
        except (OSError, StoreError, sqlite.Error):
            pass  # left as it was; the next start tries again


def close(db: Database) -> None:
    """Close the database and release this process's hold on it; the last connection of the process to close
    checkpoints the write-ahead log into the file first (a second connection's checkpoint would also tell the
    others' ``same_as_backup`` that something changed). Closing twice is harmless (``change_password`` closes the
    connection it replaces)."""
    if getattr(db, "_closed", False):
        return
    db._closed = True  # type: ignore[attr-defined]
    same_as = None if db.readonly else db.same_as_backup()
    try:
        if not db.readonly and last_holder(db.path):
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.conn.close()
        if not db.readonly:
            if same_as is not None:
                unchanged.remember(db.path, same_as)
            else:
                unchanged.forget(db.path)
            release_lock(db.path)


def open_again(db: Database) -> Database:
    """A second connection to the same file, for work off the GUI thread (close it with ``close``)."""
    return open(db.path, readonly=db.readonly, key=db.key)


def integrity_check(db: Database, *, full: bool = False) -> list[str]:
    """Run ``PRAGMA quick_check`` (or ``integrity_check`` with ``full``); returns ``["ok"]`` when sound."""
    pragma = "integrity_check" if full else "quick_check"
    try:
        return [row[0] for row in db.execute(f"PRAGMA {pragma}")]
    except UnicodeDecodeError:  # a damaged page put undecodable bytes into the report
        return [f"{pragma}: the report itself is unreadable (damaged pages)"]
