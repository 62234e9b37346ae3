"""The database connection: the ``Database`` class every function of ``db`` takes, raw SQLCipher connections and
the small helpers around them (read-only URIs, the key pragma, timestamps).
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlite
import sqlite_utils

from db.errors import DiskFull, StoreError

APPLICATION_ID = 0x42444B31  # "BDK1": marks a file as a Branch Desk database
SQLITE_MAGIC = b"SQLite format 3\x00"


class ReadOnlyDatabase(StoreError):
    """A write was attempted on a database opened read-only; nothing was written."""


class WritesPaused(StoreError):
    """A write was attempted while the program is locked; nothing was written."""


def readonly_message(path: Path) -> str:
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
    writes_paused: bool = False  # set while the program is locked (idle lock): every transaction is refused
    # The backup this connection's database holds exactly, with the write counters as they were then
    # (``mark_same_as``; ``db.store.unchanged``).
    _same_as: tuple[Path, tuple[int, int, int]] | None = None

    def _write_counters(self) -> tuple[int, int, int]:
        """This connection's writes, SQLite's ``data_version`` (it moves when another connection commits) and the
        schema's version (a migration's tables)."""
        data_version = self.conn.execute("PRAGMA data_version").fetchone()[0]
        schema_version = self.conn.execute("PRAGMA schema_version").fetchone()[0]
        return (self.conn.total_changes, int(data_version), int(schema_version))

    def mark_same_as(self, backup: Path) -> None:
        """The database holds exactly what ``backup`` holds now (it was just taken, or the last close left it so)."""
        self._same_as = (Path(backup), self._write_counters())

    def same_as_backup(self) -> Path | None:
        """The backup the database still holds exactly: the one last marked, if nothing was written since and it is
        still there; else None."""
        if self._same_as is None:
            return None
        backup, counters = self._same_as
        try:
            if self._write_counters() != counters or not backup.is_file():
                return None
        except sqlite.Error:
            return None
        return backup

    @contextlib.contextmanager
    def atomic(self) -> Iterator[sqlite_utils.Database]:
        """A transaction (a savepoint when nested), as ``sqlite_utils``'s; a full disk (SQLite's "database or disk
        is full", or its disk I/O error on a disk with no room left) is raised as ``DiskFull`` naming the
        database's folder, so every write of the program says so in Chinese (issue 17)."""
        if self.writes_paused:
            raise WritesPaused("支部工作台已锁定，本次修改没有保存。请先输入数据库密码解锁，再重新保存。")
        try:
            with super().atomic() as db:
                yield db
        except sqlite.Error as exc:
            folder = self._folder()
            if is_disk_full(exc, where=folder):
                raise DiskFull(disk_full_message(folder)) from exc
            raise

    def _folder(self) -> Path:
        """The folder of the database file (also of one being built, that has no ``path`` set yet)."""
        if getattr(self, "path", None) is not None:
            return Path(self.path).parent
        try:
            main = next(row[2] for row in self.conn.execute("PRAGMA database_list") if row[1] == "main")
        except (sqlite.Error, StopIteration):
            main = ""
        return Path(main).resolve().parent if main else Path.cwd()

    def execute(self, sql: str, parameters: Any = None) -> Any:
        try:
            return super().execute(sql, parameters)
        except sqlite.OperationalError as exc:
            if "readonly" in str(exc) or "read-only" in str(exc):
                raise ReadOnlyDatabase(readonly_message(getattr(self, "path", Path("?")))) from exc
            raise


def is_disk_full(exc: BaseException, *, where: Path | None = None) -> bool:
    """True for an error that says the disk (or medium) has no room left: ENOSPC, SQLite's SQLITE_FULL, or
    SQLite's generic "disk I/O error" when the disk holding ``where`` has (almost) no free space left."""
    if isinstance(exc, OSError):
        return exc.errno == errno.ENOSPC
    if not isinstance(exc, sqlite.Error):
        return False
    if "disk is full" in str(exc) or getattr(exc, "sqlite_errorcode", None) == 13:
        return True
    if where is not None and "disk I/O error" in str(exc):
        try:
            return shutil.disk_usage(where).free < _ALMOST_FULL
        except OSError:
            return False
    return False


_ALMOST_FULL = 1 << 20  # bytes


_REASONS = {
    errno.EROFS: "磁盘是只读的（U盘写保护开关、只读光盘或只读挂载）",
    errno.EACCES: "没有写入权限（文件或文件夹是只读的，或属于其他用户）",
    errno.EPERM: "没有权限",
    errno.ENOSPC: "磁盘空间已满",
    errno.ENOENT: "文件夹不存在（U盘是否已拔出？）",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.EEXIST: "已有同名的文件或文件夹",
    errno.EIO: "磁盘读写出错（U盘是否已拔出或损坏？）",
    errno.EBUSY: "文件正被其他程序使用",
    errno.ENAMETOOLONG: "文件名或路径太长",
}


def os_reason(exc: BaseException) -> str:
    """Why a file operation failed, in Chinese, for the common causes (read-only medium, no permission, full
    disk, missing folder, unplugged stick); the system's own text otherwise."""
    if isinstance(exc, OSError):
        if exc.errno in _REASONS:
            return _REASONS[exc.errno]
        if getattr(exc, "winerror", None) == 32:  # pragma: no cover - Windows: open in Excel
            return "文件正被其他程序（如 Excel）打开"
        return exc.strerror or str(exc)
    return str(exc)


def disk_full_message(where: Path | None) -> str:
    """The one Chinese line for a full disk: that it is full, which disk (the folder), what to do."""
    disk = f"「{Path(where)}」所在的磁盘（或U盘）" if where is not None else "磁盘（或U盘）"
    return (
        f"磁盘空间已满：{disk}没有剩余空间，本次写入没有完成，已保存的数据不受影响。"
        "请删除不需要的文件腾出空间，或换一个有足够空间的位置后重试。"
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
    """A raw SQLCipher connection with ``secure_delete`` on; with ``key`` the password is set before anything is
    read."""
    conn = sqlite.connect(str(target), uri=uri)
    if key:
        # SQLCipher logs a wrong password to stderr as an error; it is an expected event here, told to the user.
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(key_pragma(key))
    # Deleted rows are overwritten with zeros, so removed personal data does not linger in free pages.
    conn.execute("PRAGMA secure_delete = ON")
    return conn


def now_iso() -> str:
    """Timestamp stored in ``created_at``/``updated_at``: local time, seconds precision, ISO 8601."""
    return datetime.now().isoformat(timespec="seconds")


def row_dicts(cursor: Any) -> list[dict[str, Any]]:
    """Rows of a cursor as dicts keyed by column name."""
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]
