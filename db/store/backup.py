"""Backing up a database: a verified copy through the SQLite backup API, written under a temporary name and renamed."""

from __future__ import annotations

import builtins
import os
import re
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlite

from db.errors import DiskFull, StoreError
from db.store.database import (
    Database,
    ReadOnlyDatabase,
    connect,
    is_disk_full,
    os_reason,
    readonly_message,
)
from db.store.leftovers import hold
from db.store.paths import backup_dir

ProgressFn = Callable[[int, int], None]


# ``<stem>-YYYYMMDD-HHMMSS-ffffff[-nSEQUENCE]-<reason>.sqlite``; files of older versions have no sequence number.
BACKUP_NAME_RE = re.compile(
    r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6}-\d{6})(?:-n(?P<seq>\d+))?-(?P<reason>[a-z0-9-]+)\.sqlite$"
)


def next_sequence(folder: Path) -> int:
    """One more than the highest sequence number among the backups in ``folder`` (1 for the first). The number,
    not the clock, orders backups: a clock set forward or back cannot make an old copy look new."""
    highest = 0
    try:
        for entry in folder.iterdir():
            match = BACKUP_NAME_RE.match(entry.name)
            if match and match["seq"]:
                highest = max(highest, int(match["seq"]))
    except OSError:
        pass
    return highest + 1


def backup_name(path: Path, reason: str, *, folder: Path | None = None) -> str:
    """The name of a new backup of the database at ``path`` in ``folder`` (default: its backups folder)."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    seq = next_sequence(folder if folder is not None else backup_dir(path))
    return f"{Path(path).stem}-{stamp}-n{seq:06d}-{reason}.sqlite"


def backup(db: Database, dest: str | os.PathLike[str], *, progress: ProgressFn | None = None) -> Path:
    """Copy the database to ``dest`` with the SQLite backup API and verify the copy.

    The copy is written under a temporary name (``<dest>.partial``), checked with ``PRAGMA integrity_check``,
    flushed to disk and only then renamed to ``dest``, so a power cut, a killed process or a full disk never leaves
    a half-written file under the final name. Raises ``StoreError`` with a Chinese message when the copy cannot be
    written or fails the check; the source is never changed. ``progress(done_pages, total_pages)`` is called
    between steps of 64 pages when given.
    """
    return copy_connection(db.conn, dest, progress=progress, key=db.key)


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
        with hold(tmp):
            target = connect(tmp, key=key)
            try:
                # In steps of 64 pages, so other work on the source is not held up by a large copy.
                source.backup(
                    target,
                    pages=64,
                    progress=lambda _status, remaining, total: (
                        progress(total - remaining, total) if progress is not None else None
                    ),
                )
                # A rollback-journal file, not a WAL one: plain sqlite3 opens it read-only, also from read-only
                # media where no -shm file can be made.
                target.execute("PRAGMA journal_mode = DELETE").fetchall()
                check = [row[0] for row in target.execute("PRAGMA integrity_check")]
            finally:
                target.close()
            if check != ["ok"]:
                tmp.unlink(missing_ok=True)
                raise StoreError(f"备份文件「{dest.name}」校验失败，备份未完成。原数据库未受影响。")
            with builtins.open(tmp, "rb+") as f:
                os.fsync(f.fileno())
            os.replace(tmp, dest)
        fsync_dir(dest.parent)
    except (OSError, sqlite.Error) as exc:
        full = is_disk_full(exc, where=dest.parent)  # before the partial file is removed and frees the space
        unlink_quietly(tmp)
        if full:
            raise DiskFull(_write_failed(dest, "", full=True)) from exc
        reason = os_reason(exc) if isinstance(exc, OSError) else str(exc)
        raise StoreError(_write_failed(dest, reason, full=False)) from exc
    return dest


def _write_failed(dest: Path, reason: str, *, full: bool) -> str:
    if full:
        return (
            f"无法写入备份「{dest}」：磁盘空间已满（「{dest.parent}」所在的磁盘没有剩余空间）。备份未完成，"
            "没有留下不完整的备份文件，原数据库未受影响。请清理磁盘或换一个有足够空间的位置（U盘）后重试。"
        )
    return f"无法写入备份「{dest}」：{reason}。备份未完成，原数据库未受影响。请检查磁盘空间和权限。"


def unlink_quietly(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


def fsync_dir(folder: Path) -> None:
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


_BACKUPS_ONLY = ("manual", "daily", "exit")  # backups for their own sake, not before a change


def backup_before(db: Database, reason: str) -> Path:
    """Take an automatic backup into ``backup_dir`` before a risky change; ``reason`` names it (ASCII).

    On a database opened read-only a change cannot follow: the backup before one (an import, a restore, a
    password change) is refused at once with the read-only message, before anything is tried on the medium."""
    if db.readonly and reason not in _BACKUPS_ONLY:
        raise ReadOnlyDatabase(readonly_message(db.path))
    folder = backup_dir(db.path)
    return backup(db, folder / backup_name(db.path, reason, folder=folder))
