"""The single-instance lock: one running copy of Branch Desk per database file (``<db>.lock``, an OS lock)."""

from __future__ import annotations

import builtins
import os
import sys
import threading
from pathlib import Path
from typing import IO

from db.errors import BranchDeskError, DatabaseLocked
from db.store.database import SQLITE_MAGIC
from db.store.paths import same_file

if sys.platform == "win32":  # pragma: no cover - Windows only
    import msvcrt
else:
    import fcntl

_locks: dict[str, tuple[IO[bytes], int]] = {}
_locks_guard = threading.Lock()


def _lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


def _try_lock(handle: IO[bytes]) -> bool:
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def acquire_lock(path: Path) -> bool:
    """Hold an OS lock on ``<db>.lock`` for this process; a second process is refused. True when this call took
    the lock (the first open of the file in this process), False when the process already held it."""
    key = str(path.resolve())
    with _locks_guard:
        if key in _locks:
            handle, count = _locks[key]
            _locks[key] = (handle, count + 1)
            return False
        try:
            handle = builtins.open(_lock_path(path), "a+b")  # noqa: SIM115 - held open while the lock lasts
        except OSError:
            return (
                True  # a read-only folder cannot hold a lock file; the database itself is then read-only too
            )
        if not _try_lock(handle):
            handle.close()
            raise DatabaseLocked(
                f"数据库「{path.name}」正在被另一个支部工作台窗口使用。请先关闭另一个窗口，再打开此数据库。"
            )
        _locks[key] = (handle, 1)
        return True


def refuse_overwriting_database(path: str | os.PathLike[str]) -> None:
    """Refuse to put a document (workbook, PDF, Word file, archive) at ``path`` when a database lives there: one
    this process has open, or its ``-wal``, ``-shm`` or ``.lock`` (an export given the database's own name wrote
    the workbook over it), and any existing SQLite file (ours closed, or another program's). Raises
    ``BranchDeskError`` before anything is written."""
    target = Path(path)
    with _locks_guard:
        held = list(_locks)
    for database in held:
        if any(same_file(target, database + suffix) for suffix in ("", "-wal", "-shm", ".lock")):
            raise BranchDeskError(_overwrite_message(target))
    try:
        with builtins.open(target, "rb") as f:
            head = f.read(len(SQLITE_MAGIC))
    except OSError:  # not there (the usual case) or not readable: nothing to protect here
        return
    if head == SQLITE_MAGIC:
        raise BranchDeskError(_overwrite_message(target))


def _overwrite_message(target: Path) -> str:
    return (
        f"「{target.name}」是数据库文件，保存到这里会用导出的文件覆盖数据库，已拒绝。"
        "请换一个文件名或文件夹保存（工作簿为 .xlsx，打印件为 .pdf）。"
    )


def last_holder(path: Path) -> bool:
    """Is no other connection of this process holding ``path`` open (or none is counted)?"""
    with _locks_guard:
        return _locks.get(str(path.resolve()), (None, 1))[1] <= 1


def release_lock(path: Path) -> None:
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
