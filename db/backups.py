"""Automatic backups: once a day, before risky changes, on exit; rotation; listing; restore.

Backups are SQLite files written with the backup API by ``db.store.backup`` (temporary name, integrity check,
fsync, rename) into ``db.store.backup_dir(db_path)``. Their names carry the time and the reason:
``<stem>-YYYYMMDD-HHMMSS-ffffff-<reason>.sqlite``.

Rotation keeps every backup of the last 7 days, then the newest of each of the last 8 ISO weeks and the newest of
each of the last 12 months; everything else is removed. Restoring first backs up the current state, then copies
the backup into the open database with the backup API, so a power cut during a restore leaves the old state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import sqlcipher3.dbapi2 as sqlite

from db.errors import StoreError
from db.store import Database, _inspect, backup, backup_before, backup_dir

_NAME_RE = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6}-\d{6})-(?P<reason>[a-z0-9-]+)\.sqlite$")
KEEP_DAYS = 7
KEEP_WEEKS = 8
KEEP_MONTHS = 12


@dataclass(frozen=True)
class BackupInfo:
    """One backup file: when it was taken and why, its size in bytes, and what it holds."""

    path: Path
    taken_at: datetime
    reason: str
    size: int
    members: int | None
    meetings: int | None


def _parse(path: Path) -> tuple[datetime, str] | None:
    match = _NAME_RE.match(path.name)
    if not match:
        return None
    return datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S-%f"), match["reason"]


def _count(conn: sqlite.Connection, table: str) -> int | None:
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    except sqlite.Error:
        return None


def list_backups(db_path: Path, *, with_counts: bool = True) -> list[BackupInfo]:
    """Backups of the database at ``db_path``, newest first. Counts are None when a table is absent or the
    file cannot be read (``with_counts=False`` skips opening the files)."""
    folder = backup_dir(db_path)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob(f"{Path(db_path).stem}-*.sqlite"):
        parsed = _parse(path)
        if parsed is None:
            continue
        members = meetings = None
        if with_counts:
            try:
                conn = sqlite.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
                try:
                    members, meetings = _count(conn, "members"), _count(conn, "meetings")
                finally:
                    conn.close()
            except sqlite.Error:
                pass
        found.append(BackupInfo(path, parsed[0], parsed[1], path.stat().st_size, members, meetings))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def daily_backup(db: Database, *, today: date | None = None) -> Path | None:
    """Take the day's backup unless one (of any reason) was already taken today; then rotate.

    Returns the new backup's path, or None when today's backup already existed.
    """
    today = today or date.today()
    if any(b.taken_at.date() == today for b in list_backups(db.path, with_counts=False)):
        return None
    path = backup_before(db, "daily")
    rotate(db.path, today=today)
    return path


def backups_to_remove(backups: list[BackupInfo], *, today: date) -> list[BackupInfo]:
    """The backups rotation removes: not from the last 7 days, and not the newest of one of the last 8 ISO
    weeks or of one of the last 12 months."""
    keep: set[Path] = set()
    newest_week: dict[tuple[int, int], BackupInfo] = {}
    newest_month: dict[tuple[int, int], BackupInfo] = {}
    for b in sorted(backups, key=lambda b: b.taken_at, reverse=True):
        d = b.taken_at.date()
        if d > today - timedelta(days=KEEP_DAYS):
            keep.add(b.path)
        iso = d.isocalendar()
        newest_week.setdefault((iso[0], iso[1]), b)
        newest_month.setdefault((d.year, d.month), b)
    for bucket, limit in ((newest_week, KEEP_WEEKS), (newest_month, KEEP_MONTHS)):
        for key in sorted(bucket, reverse=True)[:limit]:
            keep.add(bucket[key].path)
    return [b for b in backups if b.path not in keep]


def rotate(db_path: Path, *, today: date | None = None) -> list[Path]:
    """Remove the backups the rotation does not keep; returns the removed paths."""
    removed = []
    for b in backups_to_remove(list_backups(db_path, with_counts=False), today=today or date.today()):
        b.path.unlink(missing_ok=True)
        removed.append(b.path)
    return removed


def backup_to(db: Database, *, folder: Path) -> Path:
    """"Back up to…": a verified copy in a chosen folder (a USB stick), named like the automatic ones."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    return backup(db, Path(folder) / f"{db.path.stem}-{stamp}-manual.sqlite")


def restore(db: Database, *, backup_path: Path) -> Path:
    """Replace the contents of the open database with a backup. Returns the backup taken of the current state.

    The backup file is checked first (a Branch Desk database, sound, not from a newer version); the current
    state is backed up; then the backup API copies the file into the open connection in one step.
    Raises ``StoreError`` (nothing changed) when the backup cannot be used.
    """
    backup_path = Path(backup_path)
    if not backup_path.is_file():
        raise StoreError(f"找不到备份文件「{backup_path}」")
    if not _inspect(backup_path):
        raise StoreError(f"备份文件「{backup_path.name}」不是支部工作台的数据库，无法恢复")
    safety = backup_before(db, "before-restore")
    source = sqlite.connect(f"{backup_path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        source.backup(db.conn)
    finally:
        source.close()
    return safety
