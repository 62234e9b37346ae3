"""Issue 17: backups ordered by a sequence number that survives clock jumps, rollback-journal copies that plain
sqlite3 opens read-only from read-only media, and ``secure_delete`` so deleted personal data leaves the file."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from db import backups, members, store
from tests.faults._helpers import tmpfs


def _stamp(when: datetime) -> str:
    return when.strftime("%Y%m%d-%H%M%S-%f")


@pytest.fixture
def one_backup(db) -> Path:  # type: ignore[no-untyped-def]
    members.add_member(db, values={"name": "张三", "category": "full"})
    return store.backup_before(db, "daily")


def _plant(db_path: Path, source: Path, when: datetime, seq: int | None, reason: str = "daily") -> Path:
    """A real backup file under the name a backup taken at ``when`` (clock time) with ``seq`` gets."""
    folder = store.backup_dir(db_path)
    tail = f"-n{seq:06d}" if seq is not None else ""
    target = folder / f"{db_path.stem}-{_stamp(when)}{tail}-{reason}.sqlite"
    shutil.copyfile(source, target)
    return target


def _restamp(path: Path, when: datetime) -> Path:
    """Rename a backup as if the clock had said ``when`` when it was taken (its sequence number stays)."""
    match = store.BACKUP_NAME_RE.match(path.name)
    assert match is not None
    return path.rename(path.with_name(path.name.replace(match["stamp"], _stamp(when))))


def test_new_backups_carry_a_growing_sequence_number(db, one_backup: Path) -> None:  # type: ignore[no-untyped-def]
    second = store.backup_before(db, "manual")
    listed = backups.list_backups(db.path, with_counts=False)
    assert [b.path for b in listed] == [second, one_backup]
    assert listed[0].seq == listed[1].seq + 1 >= 2


def test_a_clock_set_a_year_forward_removes_no_more_than_an_ordinary_day(db, one_backup: Path) -> None:  # type: ignore[no-untyped-def]
    """Sixty days of use, three backups a day, rotated every day as the program does; then the clock is set a
    year forward, the day's backup is taken and rotation runs. (The reported failure: 56 of 66 deleted.)"""
    start = datetime(2026, 9, 1, 9)
    source = one_backup.rename(db.path.parent / "source.sqlite")
    seq = 0
    for day in range(60):
        for hour in (9, 12, 17):
            seq += 1
            _plant(db.path, source, start + timedelta(days=day, hours=hour - 9), seq)
        backups.rotate(db.path, today=(start + timedelta(days=day)).date())
    before = backups.list_backups(db.path, with_counts=False)
    assert len(before) > 25

    ordinary_day = start + timedelta(days=60)
    extra = _plant(db.path, source, ordinary_day, seq + 1)
    ordinary = backups.backups_to_remove(
        backups.list_backups(db.path, with_counts=False), today=ordinary_day.date()
    )
    extra.unlink()
    assert 0 < len(ordinary) <= 4  # one day's backups leave the week (one may stay as a weekly copy)

    jumped = start + timedelta(days=60 + 365)
    _plant(db.path, source, jumped, seq + 1)
    removed = backups.rotate(db.path, today=jumped.date())
    # At most what an ordinary day removes, plus the oldest weekly and monthly copy when that day begins a new
    # week and a new month: the policy's own surplus, not a year's worth.
    assert len(removed) <= len(ordinary) + 2, (len(removed), len(ordinary))
    after = backups.list_backups(db.path, with_counts=False)
    assert len(after) == len(before) + 1 - len(removed)
    # The backups of the six latest days before the jump all survive.
    kept_days = {b.taken_at.date() for b in after}
    assert {(start + timedelta(days=i)).date() for i in range(54, 60)} <= kept_days


def test_a_future_dated_copy_is_not_the_newest_for_recovery(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    members.add_member(db, values={"name": "张三", "category": "full"})
    # The clock was set a year forward: a backup stamped in the future …
    future = store.backup_before(db, "daily")
    _restamp(future, datetime.now() + timedelta(days=365))
    # … then set back; more work and a later backup, stamped today.
    members.add_member(db, values={"name": "李四", "category": "full"})
    later = store.backup_before(db, "exit")
    listed = backups.list_backups(db.path)
    assert listed[0].path == later and listed[0].taken_at < listed[1].taken_at
    assert backups.latest_good_backup(db.path).path == later  # type: ignore[union-attr]
    assert backups.last_backup_time(db.path) == listed[0].taken_at
    # A copy of an older version (no sequence number) stamped in the future ranks below every numbered one.
    legacy = _plant(db.path, later, datetime.now() + timedelta(days=400), None)
    assert backups.latest_good_backup(db.path).path == later  # type: ignore[union-attr]
    assert backups.list_backups(db.path, with_counts=False)[-1].path == legacy
    # Rotation does not keep the future-dated copy as "this week's newest" forever: it ages with its successors.
    assert (
        backups.backups_to_remove(backups.list_backups(db.path, with_counts=False), today=date.today()) == []
    )


def test_a_backup_is_a_rollback_journal_file(db, one_backup: Path) -> None:  # type: ignore[no-untyped-def]
    header = one_backup.read_bytes()[:20]
    assert header[18] == 1 and header[19] == 1  # file format read/write versions: 1 = legacy journal, 2 = WAL
    manual = backups.backup_to(db, folder=db.path.parent / "usb")
    assert manual.read_bytes()[18:20] == b"\x01\x01"


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder nothing can be written to: a read-only tmpfs when root (chmod does not stop root), else chmod."""
    folder = tmp_path / "medium"
    folder.mkdir()
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        with tmpfs(folder, "16m"):
            yield folder
        return
    yield folder
    folder.chmod(0o755)


def _make_read_only(folder: Path) -> None:
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
    else:
        for p in folder.iterdir():
            p.chmod(0o444)
        folder.chmod(0o555)


def test_plain_sqlite3_opens_a_backup_read_only_from_read_only_media(
    db,
    one_backup: Path,
    read_only_folder: Path,  # type: ignore[no-untyped-def]
) -> None:
    copy = read_only_folder / one_backup.name
    shutil.copyfile(one_backup, copy)
    _make_read_only(read_only_folder)
    conn = sqlite3.connect(f"{copy.as_uri()}?mode=ro", uri=True)  # the standard library, not SQLCipher
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT name FROM members").fetchall() == [("张三",)]
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        conn.close()
    assert sorted(p.name for p in read_only_folder.iterdir()) == [copy.name]
    # The program itself opens it there read-only, and can check and back it up elsewhere.
    opened = store.open(copy)
    try:
        assert opened.readonly and store.integrity_check(opened, full=True) == ["ok"]
        out = store.backup(opened, read_only_folder.parent / "elsewhere.sqlite")
    finally:
        store.close(opened)
    assert backups.verify_backup(out)


def test_deleted_personal_data_does_not_stay_in_the_file(db) -> None:  # type: ignore[no-untyped-def]
    marker = "身份证号140402198001011234住址秘密"
    db.execute("CREATE TABLE scratch (note TEXT)")
    with db.atomic():
        for i in range(50):
            db.execute("INSERT INTO scratch (note) VALUES (?)", [f"{marker}{i:03d}" + "填充" * 40])
    assert db.execute("PRAGMA secure_delete").fetchone()[0] == 1
    store.close(db)
    assert marker.encode() in db.path.read_bytes()
    again = store.open(db.path)
    try:
        again.execute("DELETE FROM scratch")
        store.backup_before(again, "manual")
    finally:
        store.close(again)
    files = [db.path, *store.backup_dir(db.path).iterdir()]
    files += [p for p in db.path.parent.iterdir() if p.name.startswith(db.path.name + "-")]
    for path in files:
        assert marker.encode() not in path.read_bytes(), path


def test_a_password_change_cut_off_before_the_backups_is_finished_at_the_next_start(db) -> None:  # type: ignore[no-untyped-def]
    """Killed after the database was re-encrypted but before its backups were: the next start encrypts the plain
    backups left beside it, so no plaintext copy stays readable without the password."""
    from db.store.password import rekey_file

    members.add_member(db, values={"name": "张三", "category": "full"})
    store.backup_before(db, "daily")
    store.backup_before(db, "manual")
    path = db.path
    store.close(db)
    rekey_file(path, None, "新密码secret2")  # what change_password did before it was killed
    assert all(not store.is_encrypted(b.path) for b in backups.list_backups(path, with_counts=False))
    store.close(store.open(path, key="新密码secret2"))
    listed = backups.list_backups(path, key="新密码secret2")
    assert len(listed) == 2
    assert all(store.is_encrypted(b.path) and b.members == 1 for b in listed)
