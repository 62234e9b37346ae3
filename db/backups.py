"""Automatic backups: once a day, before risky changes, on exit; rotation; listing; restore.

Backups are SQLite files written with the backup API by ``db.store.backup`` (temporary name, integrity check,
fsync, rename) into ``db.store.backup_dir(db_path)``. Their names carry the time and the reason:
``<stem>-YYYYMMDD-HHMMSS-ffffff-<reason>.sqlite``.

Rotation keeps every backup of the last 7 days, then the newest of each of the last 8 ISO weeks and the newest of
each of the last 12 months; everything else is removed. Restoring first backs up the current state, then copies
the backup into the open database with the backup API, so a power cut during a restore leaves the old state.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import sqlcipher3.dbapi2 as sqlite

from db.attachments import bring_store_from, copy_store_beside
from db.errors import StoreError
from db.store import (
    BACKUP_NAME_RE,
    Database,
    _inspect,
    backup,
    backup_before,
    backup_dir,
    backup_name,
    connect,
    copy_connection,
    is_encrypted,
    os_reason,
    readonly_uri,
    recovery_file,
)

_NAME_RE = BACKUP_NAME_RE
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
    seq: int = 0  # the backup's sequence number (0: a file of an older version, which had none)


def _parse(path: Path) -> tuple[datetime, str, int] | None:
    match = _NAME_RE.match(path.name)
    if not match:
        return None
    try:
        taken = datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S-%f")
    except ValueError:
        return None
    return taken, match["reason"], int(match["seq"] or 0)


def newest_first(backups: list[BackupInfo], *, now: datetime | None = None) -> list[BackupInfo]:
    """``backups`` in the order they were taken, newest first: by sequence number, and among files without one
    (older versions) by time, a future-dated one counting as taken now. The clock never makes an old copy newer
    than one taken after it."""
    now = now or datetime.now()
    return sorted(backups, key=lambda b: (b.seq, min(b.taken_at, now), b.path.name), reverse=True)


def _effective_dates(ordered: list[BackupInfo], today: date) -> dict[Path, date]:
    """The day each backup counts as taken on for rotation (``ordered`` newest first): its own date, but never
    later than today nor later than any backup taken after it (a copy dated by a clock set forward)."""
    dates: dict[Path, date] = {}
    limit = today
    for b in ordered:
        limit = min(limit, b.taken_at.date())
        dates[b.path] = limit
    return dates


def _open_ro(path: Path, key: str | None) -> sqlite.Connection:
    """Read-only connection on a backup; the password is applied only to an encrypted file."""
    return connect(readonly_uri(Path(path)), key=key if is_encrypted(Path(path)) else None, uri=True)


def _count(conn: sqlite.Connection, table: str) -> int | None:
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    except sqlite.Error:
        return None


def list_backups(db_path: Path, *, with_counts: bool = True, key: str | None = None) -> list[BackupInfo]:
    """Backups of the database at ``db_path``, newest first. Counts are None when a table is absent or the
    file cannot be read (``with_counts=False`` skips opening the files; ``key`` opens encrypted ones)."""
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
                conn = _open_ro(path, key)
                try:
                    members, meetings = _count(conn, "members"), _count(conn, "meetings")
                finally:
                    conn.close()
            except sqlite.Error:
                pass
        found.append(
            BackupInfo(path, parsed[0], parsed[1], path.stat().st_size, members, meetings, parsed[2])
        )
    return newest_first(found)


def daily_backup(db: Database, *, today: date | None = None) -> Path | None:
    """Take the day's backup unless one (of any reason) was already taken today; then rotate.

    Returns the new backup's path, or None when today's backup already existed.
    """
    today = today or date.today()
    found = list_backups(db.path, with_counts=False)
    if found and _effective_dates(found, today)[found[0].path] >= today:
        return None
    path = backup_before(db, "daily")
    rotate(db.path, today=today)
    return path


def backups_to_remove(backups: list[BackupInfo], *, today: date) -> list[BackupInfo]:
    """The backups rotation removes: not taken in the last 7 days that have backups, and not the newest of one of
    the last 8 ISO weeks or of one of the last 12 months that have backups.

    The days, weeks and months are those on which backups were actually taken (ordered by sequence number,
    future dates clamped, see ``_effective_dates``), not calendar spans back from the clock: a clock set a year
    forward, or a long holiday, makes rotation remove no more than one ordinary day would. The newest
    ``KEEP_DAYS`` backups are never removed."""
    ordered = newest_first(backups, now=datetime.combine(today, datetime.max.time()))
    dates = _effective_dates(ordered, today)
    keep: set[Path] = {b.path for b in ordered[:KEEP_DAYS]}
    days: list[date] = []
    newest_week: dict[tuple[int, int], BackupInfo] = {}
    newest_month: dict[tuple[int, int], BackupInfo] = {}
    for b in ordered:
        d = dates[b.path]
        if d not in days:
            days.append(d)
        if len(days) <= KEEP_DAYS:
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
    """ "Back up to…": a verified copy in a chosen folder (a USB stick), named like the automatic ones, with the
    attachment files it refers to that the folder does not hold yet (``attachments/<store id>/`` there: copies on
    the same stick share them)."""
    path = backup(db, Path(folder) / backup_name(db.path, "manual", folder=Path(folder)))
    copy_store_beside(db, path)
    return path


def restore(db: Database, *, backup_path: Path) -> Path:
    """Replace the contents of the open database with a backup. Returns the backup taken of the current state.

    The backup file is checked first (a Branch Desk database, sound, not from a newer version); the current
    state is backed up; then the backup API copies the file into the open connection in one step, and the
    migrations the backup lacks (it may come from an older version) are applied.
    Raises ``StoreError`` (nothing changed) when the backup cannot be used.
    """
    backup_path = Path(backup_path)
    if not backup_path.is_file():
        raise StoreError(f"找不到备份文件「{backup_path}」")
    if not _inspect(backup_path, db.key):
        raise StoreError(f"备份文件「{backup_path.name}」不是支部工作台的数据库，无法恢复")
    if is_encrypted(backup_path) != bool(db.key):
        raise StoreError(
            f"备份文件「{backup_path.name}」{'已' if is_encrypted(backup_path) else '未'}加密，而当前数据库"
            f"{'已' if db.key else '未'}设置密码，不能直接恢复。请先在「数据库密码」中统一设置后再恢复。"
        )
    safety = backup_before(db, "before-restore")
    source = _open_ro(backup_path, db.key)
    try:
        source.backup(db.conn)
    finally:
        source.close()
    # A backup written by an older version lacks the newer tables: bring it up to date like ``store.open`` does.
    from db.migrations import migrations
    from db.store import APPLICATION_ID

    if migrations.pending(db):
        migrations.apply(db)
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    # The attachment files the restored rows refer to: already in this store (an automatic backup), or copied
    # from the store beside the backup file (a copy on a USB stick, or of another computer).
    bring_store_from(db, backup_path)
    return safety


# --- what the restore dialog and the recovery at start need ---------------------------------------------------

REASON_LABELS = {
    "daily": "每日自动备份",
    "exit": "退出时备份",
    "manual": "手动备份",
    "before-migration": "升级前备份",
    "before-restore": "恢复前备份",
    "import": "导入前备份",
    "before-import": "导入前备份",
    "undo-import": "撤销导入前备份",
    "before-rekey": "设置密码前备份",
}

# The tables a secretary recognises, with their Chinese names, in the order the restore dialog shows them.
COMPARED_TABLES = (
    ("members", "党员"),
    ("party_groups", "党小组"),
    ("meetings", "会议"),
    ("dues_payments", "党费缴纳记录"),
    ("projects", "项目"),
    ("findings", "检查问题"),
    ("development_people", "发展对象"),
    ("transfers", "组织关系转接"),
    ("audit_log", "修改记录"),
)


def reason_label(reason: str) -> str:
    """The Chinese name of a backup reason (the reason itself when unknown)."""
    return REASON_LABELS.get(reason, reason)


@dataclass(frozen=True)
class TableCount:
    """How many rows one table holds now and in a backup (None: the table does not exist there)."""

    table: str
    label: str
    now: int | None
    backup: int | None

    @property
    def changes(self) -> bool:
        return self.now != self.backup


def _counts(conn: sqlite.Connection) -> dict[str, int | None]:
    return {table: _count(conn, table) for table, _label in COMPARED_TABLES}


def table_counts(db: Database) -> list[tuple[str, int]]:
    """The rows of the tables a secretary recognises, with their Chinese names (the 交接清单 lists them)."""
    counts = _counts(db.conn)
    return [(label, counts[table] or 0) for table, label in COMPARED_TABLES if counts[table] is not None]


def compare_with_backup(db: Database, *, backup_path: Path) -> list[TableCount]:
    """Row counts of the main tables now and in the backup: what a restore would change. Tables absent from
    both are left out. Raises ``StoreError`` when the backup cannot be read."""
    now = _counts(db.conn)
    try:
        conn = _open_ro(Path(backup_path), db.key)
        try:
            then = _counts(conn)
        finally:
            conn.close()
    except sqlite.Error as exc:
        raise StoreError(f"无法读取备份文件「{Path(backup_path).name}」：{exc}") from exc
    return [
        TableCount(table, label, now[table], then[table])
        for table, label in COMPARED_TABLES
        if now[table] is not None or then[table] is not None
    ]


def last_backup_time(db_path: Path) -> datetime | None:
    """When the newest automatic backup of the database was taken (None: never)."""
    found = list_backups(db_path, with_counts=False)
    return found[0].taken_at if found else None


def exit_backup(db: Database, *, today: date | None = None) -> Path | None:
    """The backup taken when the program closes, then rotation; returns it. Nothing on a read-only database, nor
    when the database still holds exactly what a backup holds (nothing was written since that backup, or since the
    last close: ``db.store.unchanged``): a second copy of the same data would only fill the disk."""
    if db.readonly or db.same_as_backup() is not None:
        return None
    path = backup_before(db, "exit")
    db.mark_same_as(path)
    rotate(db.path, today=today)
    return path


def verify_backup(path: Path, *, key: str | None = None) -> bool:
    """True when ``path`` is a sound Branch Desk database (full ``integrity_check``), opened read-only."""
    try:
        if not _inspect(path, key):
            return False
        conn = _open_ro(Path(path), key)
        try:
            return [row[0] for row in conn.execute("PRAGMA integrity_check")] == ["ok"]
        finally:
            conn.close()
    except (StoreError, sqlite.Error, OSError):
        return False


def latest_good_backup(db_path: Path, *, key: str | None = None) -> BackupInfo | None:
    """The newest backup of ``db_path`` that passes ``verify_backup`` (None: there is none)."""
    for info in list_backups(db_path, key=key):
        if verify_backup(info.path, key=key):
            return info
    return None


def recover_to_new_file(
    damaged_path: Path, *, backup_path: Path | None = None, key: str | None = None
) -> Path:
    """Copy the latest good backup (or ``backup_path``) into a NEW file beside the damaged database and return its
    path: ``<stem>-recovered-YYYYMMDD-HHMMSS.sqlite``. The damaged file is never opened for writing, renamed or
    overwritten. Raises ``StoreError`` when there is no usable backup or the copy cannot be written."""
    damaged_path = Path(damaged_path)
    if backup_path is None:
        info = latest_good_backup(damaged_path, key=key)
        if info is None:
            raise StoreError(
                f"没有找到数据库「{damaged_path.name}」的可用备份（{backup_dir(damaged_path)}）。"
                "请保存损坏文件的副本交给技术人员处理。"
            )
        backup_path = info.path
    elif not verify_backup(Path(backup_path), key=key):
        raise StoreError(
            f"备份文件「{Path(backup_path).name}」已损坏或不是支部工作台的数据库，不能用来恢复。"
        )
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    dest = damaged_path.with_name(f"{damaged_path.stem}-recovered-{stamp}.sqlite")
    n = 1
    while dest.exists():
        n += 1
        dest = damaged_path.with_name(f"{damaged_path.stem}-recovered-{stamp}-{n}.sqlite")
    source = _open_ro(Path(backup_path), key)
    try:
        copy_connection(source, dest, key=key if is_encrypted(Path(backup_path)) else None)
    finally:
        source.close()
    sidecar = recovery_file(damaged_path)
    if is_encrypted(dest) and sidecar.exists():
        shutil.copyfile(sidecar, recovery_file(dest))  # the recovery code keeps working for the new file
    return dest


def save_damaged_copy(damaged_path: Path, *, folder: Path | None = None) -> Path:
    """Copy the damaged database byte for byte (with its ``-wal``/``-journal`` when present) into ``folder``
    (default: beside it) as ``<stem>-damaged-YYYYMMDD-HHMMSS.sqlite``, for experts. The original is only read.
    Returns the copy's path; raises ``StoreError`` when the copy cannot be written (no partial file is left)."""
    damaged_path = Path(damaged_path)
    folder = Path(folder) if folder is not None else damaged_path.parent
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    dest = folder / f"{damaged_path.stem}-damaged-{stamp}.sqlite"
    written: list[Path] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-journal"):
            src = damaged_path.with_name(damaged_path.name + suffix)
            if not src.exists():
                continue
            target = dest.with_name(dest.name + suffix)
            tmp = target.with_name(target.name + ".partial")
            written.append(tmp)
            shutil.copyfile(src, tmp)
            tmp.replace(target)
            written[-1] = target
    except OSError as exc:
        for path in written:
            path.unlink(missing_ok=True)
        raise StoreError(
            f"无法保存损坏文件的副本到「{folder}」：{os_reason(exc)}。请检查磁盘空间和权限。"
        ) from exc
    return dest
