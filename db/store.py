"""Opening, checking and backing up the Branch Desk database file.

``open(path)`` is the only way the program gets a database. The file is opened through ``sqlcipher3`` (it bundles
SQLite 3.53, which has the fix for the WAL corruption bug of SQLite 3.7.0–3.51.2; without a key it is plain SQLite)
and wrapped in ``sqlite_utils.Database``. Before anything is written the file is inspected read-only: a file that is
not a Branch Desk database, is damaged, is held by another running copy, or was written by a newer version is refused
with a Chinese message and is never modified.
"""

from __future__ import annotations

import builtins
import errno
import os
import re
import sys
import threading
from collections.abc import Callable
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


class ReadOnlyDatabase(StoreError):
    """A write was attempted on a database opened read-only; nothing was written."""


class PasswordRequired(StoreError):
    """The file is an encrypted (SQLCipher) database and no password was given."""


class WrongPassword(StoreError):
    """The password does not open the encrypted database (told apart from a damaged file)."""


def _readonly_message(path: Path) -> str:
    return (
        f"数据库「{path.name}」以只读方式打开，不能保存修改，本次操作没有写入任何数据。"
        "请把数据库文件复制到可写的位置（或取消文件的只读属性）后重新打开。"
    )


class Database(sqlite_utils.Database):
    """A ``sqlite_utils.Database`` that knows its file and whether it was opened read-only.

    On a read-only database a write statement raises ``ReadOnlyDatabase`` (a ``StoreError`` with a Chinese
    message) instead of SQLite's English "attempt to write a readonly database", so the GUI explains it and
    never crashes.
    """

    path: Path
    readonly: bool = False
    key: str | None = None  # the SQLCipher password; None for a plain file

    def execute(self, sql: str, parameters: Any = None) -> Any:
        try:
            return super().execute(sql, parameters)
        except sqlite.OperationalError as exc:
            if "readonly" in str(exc) or "read-only" in str(exc):
                raise ReadOnlyDatabase(_readonly_message(getattr(self, "path", Path("?")))) from exc
            raise


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


def readonly_uri(path: Path) -> str:
    """URI that opens ``path`` read-only, also where nothing may be written beside it.

    A WAL database opened read-only still needs to create its ``-shm`` file; in a folder that cannot be written
    (a read-only filesystem, a write-protected USB stick, a shared folder) that fails with "unable to open
    database file". When no ``-wal`` holds data there is nothing to merge, so the file is opened ``immutable``.
    """
    path = Path(path).resolve()
    uri = f"{path.as_uri()}?mode=ro"
    wal = path.with_name(path.name + "-wal")
    if not os.access(path.parent, os.W_OK) and (not wal.exists() or wal.stat().st_size == 0):
        uri += "&immutable=1"
    return uri


def key_pragma(key: str) -> str:
    """``PRAGMA key`` statement for a password (quoted as an SQL string; PRAGMA takes no parameters)."""
    return "PRAGMA key = '" + key.replace("'", "''") + "'"


def connect(target: str | Path, *, key: str | None = None, uri: bool = False) -> Any:
    """A raw SQLCipher connection; with ``key`` the password is set before anything is read."""
    conn = sqlite.connect(str(target), uri=uri)
    if key:
        # SQLCipher logs a wrong password to stderr as an error; it is an expected event here, told to the user.
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(key_pragma(key))
    return conn


def is_encrypted(path: Path) -> bool:
    """True when ``path`` looks like an encrypted SQLCipher database: no plaintext SQLite header, a size that is a
    whole number of pages. (A text or other file fails the second test and is refused as not ours.)"""
    path = Path(path)
    try:
        size = path.stat().st_size
        with builtins.open(path, "rb") as f:
            header = f.read(len(SQLITE_MAGIC))
    except OSError:
        return False
    return header != SQLITE_MAGIC and size >= 1024 and size % 512 == 0


def _inspect(path: Path, key: str | None = None) -> bool:
    """Check an existing file read-only. Returns True when it already holds a Branch Desk schema.

    Raises the matching ``StoreError`` for a foreign, damaged, newer or encrypted file (``PasswordRequired``
    without ``key``, ``WrongPassword`` when ``key`` does not open it). ``key`` is ignored for a plain file.
    """
    with builtins.open(path, "rb") as f:
        header = f.read(len(SQLITE_MAGIC))
    if header != SQLITE_MAGIC:
        if not is_encrypted(path):
            raise _refuse_not_ours(path)
        if not key:
            raise PasswordRequired(f"数据库「{path.name}」已设置密码，请输入密码后打开。")
    else:
        key = None
    try:
        conn = connect(readonly_uri(path), key=key, uri=True)
    except sqlite.Error as exc:
        raise _unreadable(path, exc) from exc
    try:
        if key:
            # cipher_integrity_check verifies every page's HMAC without reading the schema. A wrong password fails
            # on page 1 (and on every other page); the right one fails only on damaged pages, so a damaged
            # encrypted file is told apart from a typo. (Reading sqlite_master instead would report a damaged
            # schema page as "file is not a database", i.e. as a wrong password.)
            try:
                cipher = [row[0] for row in conn.execute("PRAGMA cipher_integrity_check")]
            except sqlite.Error as exc:
                raise _unreadable(path, exc) from exc
            if any(re.search(r"\bpage 1\b", line) for line in cipher):
                raise WrongPassword(f"密码不正确，无法打开数据库「{path.name}」。请重新输入；文件未被修改。")
            if cipher:
                raise DatabaseCorrupt(_corrupt_message(path))
        try:
            result = [row[0] for row in conn.execute("PRAGMA quick_check")]
        except sqlite.Error as exc:
            raise _unreadable(path, exc) from exc
        if result != ["ok"]:
            raise DatabaseCorrupt(_corrupt_message(path))
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = {
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
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


def _unreadable(path: Path, exc: Exception) -> StoreError:
    """A file SQLite cannot read: damaged, unless it only cannot be opened where it lies (a read-only folder
    holding an unmerged ``-wal``), which is not a reason to start the recovery."""
    if "unable to open" in str(exc) and not os.access(Path(path).resolve().parent, os.W_OK):
        return StoreError(
            f"无法读取数据库「{path.name}」：它所在的文件夹是只读的，且还有未合并的日志文件（-wal）。"
            "请把数据库文件连同同名的 -wal、-shm 文件一起复制到可写的位置后再打开；文件未被修改。"
        )
    return DatabaseCorrupt(_corrupt_message(path))


def _corrupt_message(path: Path) -> str:
    return (
        f"数据库「{path.name}」已损坏（完整性检查未通过），为避免数据丢失已拒绝打开，文件未被修改。"
        "请从备份恢复，或把该文件交给技术人员处理。"
    )


def known_migrations() -> list[str]:
    """Names of the migrations this version of the code knows, in order."""
    return [m.name for m in migrations._migrations]


# --- open / close -----------------------------------------------------------------------------------------


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
    exists = path.exists() and path.stat().st_size > 0
    if not exists and (not create or readonly):
        raise StoreError(f"找不到数据库文件「{path}」。请检查路径是否正确。")
    if path.is_dir():
        raise StoreError(f"「{path}」是一个文件夹，不是数据库文件。")
    if exists:
        ours = _inspect(path, key)
        if not is_encrypted(path):
            key = None
        if not readonly and not os.access(path, os.W_OK):
            readonly = True
    else:
        ours = False
        path.parent.mkdir(parents=True, exist_ok=True)

    if not readonly:
        _acquire_lock(path)
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
    """Checkpoint and close the database and release this process's hold on it. Closing twice is harmless
    (``change_password`` closes the connection it replaces)."""
    if getattr(db, "_closed", False):
        return
    db._closed = True  # type: ignore[attr-defined]
    try:
        if not db.readonly:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.conn.close()
        if not db.readonly:
            _release_lock(db.path)


def open_again(db: Database) -> Database:
    """A second connection to the same file, for work off the GUI thread (close it with ``close``)."""
    return open(db.path, readonly=db.readonly, key=db.key)


def integrity_check(db: Database, *, full: bool = False) -> list[str]:
    """Run ``PRAGMA quick_check`` (or ``integrity_check`` with ``full``); returns ``["ok"]`` when sound."""
    pragma = "integrity_check" if full else "quick_check"
    return [row[0] for row in db.execute(f"PRAGMA {pragma}")]


# --- backups ----------------------------------------------------------------------------------------------


def _backup_name(path: Path, reason: str) -> str:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    return f"{path.stem}-{stamp}-{reason}.sqlite"


def backup(db: Database, dest: str | os.PathLike[str], *, progress: ProgressFn | None = None) -> Path:
    """Copy the database to ``dest`` with the SQLite backup API and verify the copy.

    The copy is written under a temporary name (``<dest>.partial``), checked with ``PRAGMA integrity_check``,
    flushed to disk and only then renamed to ``dest``, so a power cut, a killed process or a full disk never leaves
    a half-written file under the final name. Raises ``StoreError`` with a Chinese message when the copy cannot be
    written or fails the check; the source is never changed. ``progress(done_pages, total_pages)`` is called
    between steps of 256 pages when given.
    """
    return copy_connection(db.conn, dest, progress=progress, key=db.key)


ProgressFn = Callable[[int, int], None]


def copy_connection(
    source: Any, dest: str | os.PathLike[str], *, progress: ProgressFn | None = None, key: str | None = None
) -> Path:
    """``backup`` for any open SQLite connection ``source`` (also a read-only one on a backup file). ``key``: the
    source's password; the copy is encrypted with it (SQLCipher copies pages only between equal keys)."""
    dest = Path(dest)
    tmp = dest.with_name(dest.name + ".partial")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp.unlink(missing_ok=True)  # a leftover of a killed earlier attempt
        target = connect(tmp, key=key)
        try:
            if progress is None:
                source.backup(target)
            else:
                source.backup(
                    target,
                    pages=256,
                    progress=lambda _status, remaining, total: progress(total - remaining, total),
                )
            check = [row[0] for row in target.execute("PRAGMA integrity_check")]
        finally:
            target.close()
        if check != ["ok"]:
            tmp.unlink(missing_ok=True)
            raise StoreError(f"备份文件「{dest.name}」校验失败，备份未完成。原数据库未受影响。")
        with builtins.open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, dest)
        _fsync_dir(dest.parent)
    except OSError as exc:
        _unlink_quietly(tmp)
        raise StoreError(
            _write_failed(dest, exc.strerror or str(exc), full=exc.errno == errno.ENOSPC)
        ) from exc
    except sqlite.Error as exc:
        _unlink_quietly(tmp)
        raise StoreError(_write_failed(dest, str(exc), full="full" in str(exc))) from exc
    return dest


def _write_failed(dest: Path, reason: str, *, full: bool) -> str:
    if full:
        return (
            f"无法写入备份「{dest}」：磁盘空间已满。备份未完成，没有留下不完整的备份文件，原数据库未受影响。"
            "请清理磁盘或换一个有足够空间的位置（U盘）后重试。"
        )
    return f"无法写入备份「{dest}」：{reason}。备份未完成，原数据库未受影响。请检查磁盘空间和权限。"


def _unlink_quietly(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


def _fsync_dir(folder: Path) -> None:
    """Make a rename durable (POSIX); Windows has no directory handles to flush."""
    if sys.platform == "win32":  # pragma: no cover
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


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


# --- database password (SQLCipher) --------------------------------------------------------------------------

RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed from paper
_RECOVERY_ITERATIONS = 200_000


def recovery_file(path: Path) -> Path:
    """The sidecar beside the database that lets the recovery code reveal the password."""
    return Path(path).with_name(Path(path).name + ".recovery")


def _normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch in RECOVERY_ALPHABET)


def _seal(secret: bytes, code: str, salt: bytes) -> bytes:
    import hashlib

    pad = hashlib.pbkdf2_hmac(
        "sha256", _normalise_code(code).encode(), salt, _RECOVERY_ITERATIONS, dklen=len(secret)
    )
    return bytes(a ^ b for a, b in zip(secret, pad))


def _write_recovery(path: Path, key: str) -> str:
    """Make a new one-time recovery code for ``key`` and store the sealed password beside the database."""
    import hashlib
    import json
    import secrets

    code = "-".join("".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(4)) for _ in range(6))
    salt = secrets.token_bytes(16)
    secret = key.encode("utf-8")
    data = {
        "version": 1,
        "salt": salt.hex(),
        "iterations": _RECOVERY_ITERATIONS,
        "sealed": _seal(secret, code, salt).hex(),
        "check": hashlib.sha256(salt + secret).hexdigest(),
    }
    target = recovery_file(path)
    tmp = target.with_name(target.name + ".partial")
    tmp.write_text(json.dumps(data), encoding="utf-8")
    os.replace(tmp, target)
    return code


def password_from_recovery_code(path: str | os.PathLike[str], *, code: str) -> str:
    """The database password recovered with the one-time code shown when it was set. Raises ``WrongPassword``
    (bad code) or ``StoreError`` (no recovery file beside the database)."""
    import hashlib
    import json

    target = recovery_file(Path(path))
    try:
        data = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StoreError(
            f"找不到恢复文件「{target.name}」（它应与数据库在同一文件夹）。没有它，恢复码无法使用。"
        ) from exc
    salt = bytes.fromhex(data["salt"])
    secret = _seal(bytes.fromhex(data["sealed"]), code, salt)
    if hashlib.sha256(salt + secret).hexdigest() != data["check"]:
        raise WrongPassword("恢复码不正确。请对照打印的恢复码重新输入（字母不区分大小写，短横线可省略）。")
    return secret.decode("utf-8")


def _export_with_key(db: Database, dest: Path, key: str | None) -> None:
    """Write the whole database into ``dest`` encrypted with ``key`` (plain with None) via ``sqlcipher_export``."""
    dest.unlink(missing_ok=True)
    db.conn.execute("ATTACH DATABASE ? AS rekeyed KEY ?", [str(dest), key or ""])
    try:
        db.conn.execute("SELECT sqlcipher_export('rekeyed')")
        db.conn.execute(f"PRAGMA rekeyed.application_id = {APPLICATION_ID}")
        version = db.conn.execute("PRAGMA main.user_version").fetchone()[0]
        db.conn.execute(f"PRAGMA rekeyed.user_version = {int(version)}")
    finally:
        db.conn.execute("DETACH DATABASE rekeyed")


def _rekey_file(path: Path, old_key: str | None, new_key: str | None) -> None:
    """Re-encrypt a closed database file (a backup) from ``old_key`` to ``new_key`` through a temporary file."""
    tmp = path.with_name(path.name + ".rekey.partial")
    src = connect(path, key=old_key if is_encrypted(path) else None)
    try:
        src.execute("SELECT count(*) FROM sqlite_master").fetchone()
        src.execute("ATTACH DATABASE ? AS rekeyed KEY ?", [str(tmp), new_key or ""])
        src.execute("SELECT sqlcipher_export('rekeyed')")
        src.execute(f"PRAGMA rekeyed.application_id = {APPLICATION_ID}")
        src.execute("DETACH DATABASE rekeyed")
    finally:
        src.close()
    with builtins.open(tmp, "rb+") as f:
        os.fsync(f.fileno())
    os.replace(tmp, path)


def change_password(db: Database, *, new_key: str | None) -> tuple[Database, str | None]:
    """Set, change or remove (``new_key=None``) the database password. Returns the database opened again with the
    new password and, when a password was set, the new one-time recovery code (show and print it once).

    ``db`` must be the only open connection to the file; it is closed. Steps: a backup with the old password;
    the whole database is exported with ``sqlcipher_export`` into ``<db>.rekey.partial``, checked, flushed and
    renamed over the file (a power cut leaves either the old or the new file, both whole); the backups are
    re-encrypted with the new password (so none stays readable without it); the recovery file is rewritten.
    Raises ``ReadOnlyDatabase`` or ``StoreError``; on an error before the rename nothing has changed.
    """
    if db.readonly:
        raise ReadOnlyDatabase(_readonly_message(db.path))
    new_key = new_key or None
    if new_key is not None and len(new_key) < 6:
        raise StoreError("密码至少需要 6 个字符。")
    path, old_key = db.path, db.key
    backup_before(db, "before-rekey")
    tmp = path.with_name(path.name + ".rekey.partial")
    try:
        _export_with_key(db, tmp, new_key)
        check = connect(tmp, key=new_key)
        try:
            sound = [row[0] for row in check.execute("PRAGMA integrity_check")] == ["ok"]
            same = all(
                check.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                == db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("members", "audit_log")
            )
        finally:
            check.close()
        if not (sound and same):
            raise StoreError("设置密码时校验新文件失败，数据库未被修改。")
        with builtins.open(tmp, "rb+") as f:
            os.fsync(f.fileno())
    except (OSError, sqlite.Error) as exc:
        _unlink_quietly(tmp)
        raise StoreError(f"无法更改数据库密码：{exc}。数据库未被修改。") from exc
    close(db)
    for suffix in ("-wal", "-shm"):  # empty after the checkpoint in close(); they belong to the old file
        _unlink_quietly(path.with_name(path.name + suffix))
    os.replace(tmp, path)
    _fsync_dir(path.parent)
    folder = backup_dir(path)
    if folder.is_dir():
        for old in sorted(folder.glob(f"{path.stem}-*.sqlite")):
            try:
                _rekey_file(old, old_key, new_key)
            except (OSError, sqlite.Error):
                pass  # a backup under another (older) password stays as it was
    code = None
    if new_key is not None:
        code = _write_recovery(path, new_key)
    else:
        _unlink_quietly(recovery_file(path))
    return open(path, key=new_key), code
