"""Backing up a database: a verified copy through the SQLite backup API, written under a temporary name and renamed."""

from __future__ import annotations

import builtins
import errno
import os
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlite

from db.errors import StoreError
from db.store.database import Database, connect
from db.store.paths import backup_dir

ProgressFn = Callable[[int, int], None]


def backup_name(path: Path, reason: str) -> str:
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
        fsync_dir(dest.parent)
    except OSError as exc:
        unlink_quietly(tmp)
        raise StoreError(
            _write_failed(dest, exc.strerror or str(exc), full=exc.errno == errno.ENOSPC)
        ) from exc
    except sqlite.Error as exc:
        unlink_quietly(tmp)
        raise StoreError(_write_failed(dest, str(exc), full="full" in str(exc))) from exc
    return dest


def _write_failed(dest: Path, reason: str, *, full: bool) -> str:
    if full:
        return (
            f"无法写入备份「{dest}」：磁盘空间已满。备份未完成，没有留下不完整的备份文件，原数据库未受影响。"
            "请清理磁盘或换一个有足够空间的位置（U盘）后重试。"
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


def backup_before(db: Database, reason: str) -> Path:
    """Take an automatic backup into ``backup_dir`` before a risky change; ``reason`` names it (ASCII)."""
    return backup(db, backup_dir(db.path) / backup_name(db.path, reason))
