"""Automatic backups: rotation rules, listing with counts, daily once, restore with a safety copy."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from db import backups, branch, members, store
from db.errors import StoreError
from db.rules import make_citizen_id


def _info(path: Path, when: datetime) -> backups.BackupInfo:
    return backups.BackupInfo(path, when, "daily", 0, None, None)


def test_rotation_keeps_last_week_then_weekly_then_monthly():
    today = date(2026, 11, 21)
    # one backup a day for 500 days
    infos = [_info(Path(f"b{i}"), datetime(2026, 11, 21, 8) - timedelta(days=i)) for i in range(500)]
    removed = {b.path for b in backups.backups_to_remove(infos, today=today)}
    kept = [b for b in infos if b.path not in removed]
    kept_dates = sorted({b.taken_at.date() for b in kept}, reverse=True)
    # all of the last 7 days
    assert all(today - timedelta(days=i) in kept_dates for i in range(7))
    # newest of each of the last 8 ISO weeks
    weeks = {d.isocalendar()[:2] for d in kept_dates}
    assert len({(today - timedelta(weeks=w)).isocalendar()[:2] for w in range(8)} - weeks) == 0
    # newest of each of the last 12 months, and nothing older than that
    months = {(d.year, d.month) for d in kept_dates}
    assert (2025, 12) in months and (2025, 11) not in months
    assert min(kept_dates) >= date(2025, 12, 1)
    assert len(kept) < 7 + 8 + 12 + 1


def test_rotation_keeps_every_backup_of_the_last_seven_days():
    today = date(2026, 11, 21)
    infos = [_info(Path(f"b{i}"), datetime(2026, 11, 20, 8, i)) for i in range(5)]
    assert backups.backups_to_remove(infos, today=today) == []


def _add_one(db) -> None:  # type: ignore[no-untyped-def]
    members.add_member(
        db,
        values={
            "name": "王强",
            "category": "full",
            "citizen_id": make_citizen_id("140202", date(1985, 3, 4), 11),
        },
    )


def test_daily_backup_once_a_day_and_listed_with_counts(db):
    branch.save_branch(db, name="测试支部")
    _add_one(db)
    first = backups.daily_backup(db, today=date.today())
    assert first is not None and first.exists()
    assert backups.daily_backup(db, today=date.today()) is None
    listed = backups.list_backups(db.path)
    assert listed[0].path == first and listed[0].members == 1 and listed[0].reason == "daily"


def test_restore_brings_back_old_state_and_keeps_a_safety_copy(db):
    branch.save_branch(db, name="测试支部")
    saved = backups.backup_to(db, folder=db.path.parent / "usb")
    _add_one(db)
    assert members.count_members(db)["active"] == 1
    safety = backups.restore(db, backup_path=saved)
    assert members.count_members(db)["active"] == 0
    assert branch.get_branch(db).name == "测试支部"
    # the state before the restore is kept and holds the member
    assert [b.members for b in backups.list_backups(db.path) if b.path == safety] == [1]
    # the restored database is still sound and writable
    assert store.integrity_check(db, full=True) == ["ok"]
    _add_one(db)


def test_restore_refuses_a_foreign_file_and_changes_nothing(db, tmp_path):
    _add_one(db)
    foreign = tmp_path / "x.sqlite"
    foreign.write_text("not a database")
    with pytest.raises(StoreError):
        backups.restore(db, backup_path=foreign)
    assert members.count_members(db)["active"] == 1


def test_restoring_a_backup_from_an_older_version_brings_its_schema_up_to_date(db, tmp_path):
    import sqlite_utils

    from db.migrations import migrations

    old_path = tmp_path / "old-20250101-080000-000000-manual.sqlite"
    old = sqlite_utils.Database(old_path)
    migrations.apply(old, stop_before=store.known_migrations()[-1])
    old.execute(f"PRAGMA application_id = {store.APPLICATION_ID}")
    old.close()
    _add_one(db)
    backups.restore(db, backup_path=old_path)
    applied = [r[0] for r in db.execute("SELECT name FROM _sqlite_migrations")]
    assert set(applied) == set(store.known_migrations())
    assert members.count_members(db)["active"] == 0
    _add_one(db)  # writable, with every table of this version


def test_compare_and_reason_labels(db):
    _add_one(db)
    saved = store.backup_before(db, "import")
    _add_one_more = make_citizen_id("140202", date(1990, 1, 1), 13)
    members.add_member(db, values={"name": "李四", "category": "full", "citizen_id": _add_one_more})
    counts = {c.table: c for c in backups.compare_with_backup(db, backup_path=saved)}
    assert (counts["members"].now, counts["members"].backup) == (2, 1) and counts["members"].changes
    assert not counts["party_groups"].changes
    assert backups.reason_label("import") == "导入前备份"
    assert backups.last_backup_time(db.path) is not None
