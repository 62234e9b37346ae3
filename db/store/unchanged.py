"""Knowing that a database holds exactly what one of its backups holds, so that closing the program does not copy
the same data into the backups folder again (issue 22).

Every close took a backup, whether anything had changed or not: opening the program ten times in a day to look
something up left ten identical copies of the database for rotation to keep a week, on laptops with small disks,
and took 20 ms (more on a slow disk, with its fsyncs) at every close. Now a backup is skipped when the database still
holds what a backup holds, known two ways:

- **since the last close:** ``close`` writes a small mark in the backups folder, ``.<file>.same-as-backup.json``,
  naming that backup and the database file's size, modification time and inode as the close left it (WAL
  checkpointed, nothing pending). The next ``open`` believes it only if all three are the same and no write-ahead
  log with data (``-wal``) or rollback journal (``-journal``) lies beside the file: any write since — by this
  program, a crash that left its log, another program, a file copied over it — changes one of them, and the backup
  is taken as before. The mark holds only a file name and three numbers (no personal data).
- **within a run:** ``Database.mark_same_as`` notes the connection's write count (``total_changes``), SQLite's
  ``data_version`` (which moves when another connection commits) and ``schema_version``; while all three stay as
  noted, nothing has been written since.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from db.store.paths import backup_dir

MARK_SUFFIX = ".same-as-backup.json"


def mark_path(db_path: Path) -> Path:
    """Where the mark of the database at ``db_path`` lives: a dot file in its backups folder."""
    return backup_dir(db_path) / f".{Path(db_path).name}{MARK_SUFFIX}"


def _file_state(db_path: Path) -> dict[str, int] | None:
    """Size, modification time and inode of the database file; None when a write may be pending beside it (a
    ``-wal`` with data, any ``-journal``) or the file cannot be read."""
    path = Path(db_path)
    try:
        wal = path.with_name(path.name + "-wal")
        if wal.exists() and wal.stat().st_size > 0:
            return None
        if path.with_name(path.name + "-journal").exists():
            return None
        st = path.stat()
    except OSError:
        return None
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "inode": st.st_ino}


def remember(db_path: Path, backup: Path) -> None:
    """After a clean close: the file at ``db_path`` holds what ``backup`` holds. Best effort: a mark that cannot be
    written only means the next close takes its backup."""
    state = _file_state(db_path)
    mark = mark_path(db_path)
    if state is None:
        forget(db_path)
        return
    tmp = mark.with_name(mark.name + ".tmp")
    try:
        tmp.write_text(json.dumps({"backup": Path(backup).name, **state}), encoding="utf-8")
        os.replace(tmp, mark)
    except OSError:
        forget(db_path)


def forget(db_path: Path) -> None:
    """Drop the mark (the database was written, or its state is unknown)."""
    try:
        mark_path(db_path).unlink(missing_ok=True)
    except OSError:
        pass


def recalled(db_path: Path) -> Path | None:
    """The backup the database at ``db_path`` still holds exactly, by the mark its last close left; None when there
    is no mark, it does not fit the file as it is now, or the backup is gone. Call before opening the file."""
    try:
        mark: Any = json.loads(mark_path(db_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(mark, dict) or not isinstance(mark.get("backup"), str):
        return None
    state = _file_state(db_path)
    if state is None or any(mark.get(k) != v for k, v in state.items()):
        return None
    backup = backup_dir(db_path) / Path(mark["backup"]).name
    return backup if backup.is_file() else None
