"""Opening, checking and backing up the Branch Desk database file.

``open(path)`` is the only way the program gets a database. The file is opened through ``sqlcipher3`` (it bundles
SQLite 3.53, which has the fix for the WAL corruption bug of SQLite 3.7.0–3.51.2; without a key it is plain SQLite)
and wrapped in ``sqlite_utils.Database``. Before anything is written the file is inspected read-only: a file that is
not a Branch Desk database, is damaged, is held by another running copy, or was written by a newer version is refused
with a Chinese message and is never modified.
"""

from __future__ import annotations

import builtins
import os
import sys
import threading
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import sqlcipher3.dbapi2 as sqlite
import sqlite_utils

from db.errors import DatabaseCorrupt, DatabaseLocked, DatabaseTooNew, NotBranchDeskDatabase, StoreError
from db.migrations import migrations

APPLICATION_ID = 0x42444B31  # "BDK1": marks a file as a Branch Desk database
SQLITE_MAGIC = b"SQLite format 3\x00"
APP_NAME = "BranchDesk"


class Database(sqlite_utils.Database):
    """A ``sqlite_utils.Database`` that knows its file and whether it was opened read-only."""

    path: Path
    readonly: bool = False


def data_dir(*, portable_base: Path | None = None) -> Path:
    """Folder where the default database and backups live.

    With ``portable_base`` (the folder of the program, when a ``portable`` marker file sits beside it) data stays
    beside the program, for use from a USB stick; otherwise the per-user data folder of the platform.
    """
    if portable_base is not None:
        return portable_base / "data"
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_db_path(*, portable_base: Path | None = None) -> Path:
    """The database opened when no ``--db`` is given."""
    return data_dir(portable_base=portable_base) / "branchdesk.sqlite"


def backup_dir(db_path: Path) -> Path:
    """Folder of automatic backups for the database at ``db_path`` (beside it, under ``backups``)."""
    return Path(db_path).resolve().parent / "backups"


# --- the single-instance lock -------------------------------------------------------------------------------

_locks: dict[str, tuple[IO[bytes], int]] = {}
_locks_guard = threading.Lock()


def _lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


def _try_lock(handle: IO[bytes]) -> bool:
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _acquire_lock(path: Path) -> None:
    """Hold an OS lock on ``<db>.lock`` for this process; a second process is refused."""
    key = str(path.resolve())
    with _locks_guard:
        if key in _locks:
            handle, count = _locks[key]
            _locks[key] = (handle, count + 1)
            return
        try:
            handle = builtins.open(_lock_path(path), "a+b")
        except OSError:
            return  # a read-only folder cannot hold a lock file; the database itself is then read-only too
        if not _try_lock(handle):
            handle.close()
            raise DatabaseLocked(
                f"数据库「{path.name}」正在被另一个支部工作台窗口使用。请先关闭另一个窗口，再打开此数据库。"
            )
        _locks[key] = (handle, 1)


def _release_lock(path: Path) -> None:
    key = str(path.resolve())
    with _locks_guard:
        if key not in _locks:
            return
        handle, count = _locks[key]
        if count > 1:
            _locks[key] = (handle, count - 1)
            return
        del _locks[key]
        handle.close()  # closing the descriptor releases flock/msvcrt locks


# --- inspection -------------------------------------------------------------------------------------------


def _refuse_not_ours(path: Path) -> NotBranchDeskDatabase:
    return NotBranchDeskDatabase(
        f"文件「{path.name}」不是支部工作台的数据库。请选择支部工作台创建的数据库文件（.sqlite）；该文件未被修改。"
    )


def _inspect(path: Path) -> bool:
    """Check an existing file read-only. Returns True when it already holds a Branch Desk schema.

    Raises the matching ``StoreError`` for a foreign, damaged or newer file.
    """
    with builtins.open(path, "rb") as f:
        header = f.read(len(SQLITE_MAGIC))
    if header != SQLITE_MAGIC:
        raise _refuse_not_ours(path)
    try:
        conn = sqlite.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite.Error as exc:
        raise DatabaseCorrupt(_corrupt_message(path)) from exc
    try:
        try:
            result = [row[0] for row in conn.execute("PRAGMA quick_check")]
        except sqlite.Error as exc:
            raise DatabaseCorrupt(_corrupt_message(path)) from exc
        if result != ["ok"]:
            raise DatabaseCorrupt(_corrupt_message(path))
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = {
            row[0]
            for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
        }
        if app_id != APPLICATION_ID:
            if tables:
                raise _refuse_not_ours(path)
            return False
        if "_sqlite_migrations" in tables:
            applied = {
                row[0]
                for row in conn.execute(
                    "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", [migrations.name]
                )
            }
            unknown = applied - set(known_migrations())
            if unknown:
                raise DatabaseTooNew(
                    f"数据库「{path.name}」由更新版本的支部工作台创建，当前版本无法安全打开。"
                    "请安装最新版本的支部工作台后再打开；该文件未被修改。"
                )
        return True
    finally:
        conn.close()


def _corrupt_message(path: Path) -> str:
    return (
        f"数据库「{path.name}」已损坏（完整性检查未通过），为避免数据丢失已拒绝打开，文件未被修改。"
        "请从备份恢复，或把该文件交给技术人员处理。"
    )


def known_migrations() -> list[str]:
    """Names of the migrations this version of the code knows, in order."""
    return [m.name for m in migrations._migrations]


# --- open / close -----------------------------------------------------------------------------------------


def open(path: str | os.PathLike[str], *, create: bool = True, readonly: bool = False) -> Database:  # noqa: A001
    """Open (or create) the Branch Desk database at ``path`` and bring its schema up to date.

    WAL journal, ``synchronous=FULL`` (power cuts are normal), foreign keys on. Pending migrations run after a
    backup of the existing file into ``backup_dir(path)``. ``readonly=True`` (or a file the user cannot write)
    opens without any write; pending migrations then make the open fail.

    Raises ``NotBranchDeskDatabase``, ``DatabaseCorrupt``, ``DatabaseLocked``, ``DatabaseTooNew`` or
    ``StoreError`` (missing file with ``create=False``); the file is never modified in those cases.
    """
    path = Path(path)
    exists = path.exists() and path.stat().st_size > 0
    if not exists and (not create or readonly):
        raise StoreError(f"找不到数据库文件「{path}」。请检查路径是否正确。")
    if path.is_dir():
        raise StoreError(f"「{path}」是一个文件夹，不是数据库文件。")
    if exists:
        ours = _inspect(path)
        if not readonly and not os.access(path, os.W_OK):
            readonly = True
    else:
        ours = False
        path.parent.mkdir(parents=True, exist_ok=True)

    if not readonly:
        _acquire_lock(path)
    try:
        if readonly:
            conn = sqlite.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        else:
            conn = sqlite.connect(str(path))
        # No sqlite-utils plugins: nothing outside this program may run inside its database (and a frozen
        # bundle has no entry-point metadata to find them with).
        db = Database(conn, execute_plugins=False)
        db.path = path
        db.readonly = readonly
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
                backup(db, backup_dir(path) / _backup_name(path, "before-migration"))
            migrations.apply(db)
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        return db
    except BaseException:
        if not readonly:
            _release_lock(path)
        raise


def close(db: Database) -> None:
    """Checkpoint and close the database and release this process's hold on it."""
    try:
        if not db.readonly:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.conn.close()
        if not db.readonly:
            _release_lock(db.path)


def open_again(db: Database) -> Database:
    """A second connection to the same file, for work off the GUI thread (close it with ``close``)."""
    return open(db.path, readonly=db.readonly)


def integrity_check(db: Database, *, full: bool = False) -> list[str]:
    """Run ``PRAGMA quick_check`` (or ``integrity_check`` with ``full``); returns ``["ok"]`` when sound."""
    pragma = "integrity_check" if full else "quick_check"
    return [row[0] for row in db.execute(f"PRAGMA {pragma}")]


# --- backups ----------------------------------------------------------------------------------------------


def _backup_name(path: Path, reason: str) -> str:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    return f"{path.stem}-{stamp}-{reason}.sqlite"


def backup(db: Database, dest: str | os.PathLike[str]) -> Path:
    """Copy the database to ``dest`` with the SQLite backup API and verify the copy.

    The copy is written under a temporary name, checked with ``PRAGMA integrity_check``, flushed to disk and only
    then renamed to ``dest``, so a power cut or full disk never leaves a half-written file under the final name.
    Raises ``StoreError`` with a Chinese message when the copy cannot be written or fails the check.
    """
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".partial")
    try:
        target = sqlite.connect(str(tmp))
        try:
            db.conn.backup(target)
            check = [row[0] for row in target.execute("PRAGMA integrity_check")]
        finally:
            target.close()
        if check != ["ok"]:
            raise StoreError(f"备份文件「{dest.name}」校验失败，备份未完成。原数据库未受影响。")
        with builtins.open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, dest)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StoreError(f"无法写入备份「{dest}」：{exc.strerror or exc}。请检查磁盘空间和权限。") from exc
    except sqlite.Error as exc:
        tmp.unlink(missing_ok=True)
        raise StoreError(f"无法写入备份「{dest}」：{exc}。请检查磁盘空间和权限。") from exc
    return dest


def backup_before(db: Database, reason: str) -> Path:
    """Take an automatic backup into ``backup_dir`` before a risky change; ``reason`` names it (ASCII)."""
    return backup(db, backup_dir(db.path) / _backup_name(db.path, reason))


def now_iso() -> str:
    """Timestamp stored in ``created_at``/``updated_at``: local time, seconds precision, ISO 8601."""
    return datetime.now().isoformat(timespec="seconds")


def row_dicts(cursor: Any) -> list[dict[str, Any]]:
    """Rows of a cursor as dicts keyed by column name."""
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]
