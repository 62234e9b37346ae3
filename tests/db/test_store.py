"""The store: creation and migration, refusal of foreign/damaged/newer/locked files without touching them, backups."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from db import members, store
from db.errors import DatabaseCorrupt, DatabaseLocked, DatabaseTooNew, NotBranchDeskDatabase, StoreError
from db.rules import make_citizen_id


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_open_creates_and_migrates_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "new.sqlite"
    db = store.open(path)
    try:
        applied = [r[0] for r in db.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
        assert applied == store.known_migrations()
        assert db.execute("PRAGMA application_id").fetchone()[0] == store.APPLICATION_ID
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert {"branch", "members", "party_groups", "committee_members", "audit_log"} <= set(
            db.table_names()
        )
        assert store.integrity_check(db) == ["ok"]
    finally:
        store.close(db)
    # No backup is taken of a brand-new file (there is nothing to lose).
    assert not store.backup_dir(path).exists()


def test_open_twice_in_one_process(db_path: Path) -> None:
    first = store.open(db_path)
    second = store.open(db_path)
    try:
        assert second.execute("SELECT count(*) FROM members").fetchone()[0] == 0
    finally:
        store.close(second)
        store.close(first)
    # After both are closed, the file opens again normally.
    store.close(store.open(db_path))


def test_missing_file_without_create(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="找不到"):
        store.open(tmp_path / "none.sqlite", create=False)
    assert not (tmp_path / "none.sqlite").exists()


def _assert_refused(path: Path, error: type[StoreError]) -> StoreError:
    before = _sha(path)
    siblings = set(path.parent.iterdir())
    with pytest.raises(error) as info:
        store.open(path)
    assert _has_chinese(info.value.message)
    assert _sha(path) == before
    # Nothing was left beside the refused file: no backup, no lock, no -wal/-shm of the read-only look (a WAL
    # database looked at read-only gets both, and the look removes them when it refuses the file).
    assert set(path.parent.iterdir()) == siblings
    return info.value


def test_text_file_refused_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("这不是数据库\n" * 100, encoding="utf-8")
    error = _assert_refused(path, NotBranchDeskDatabase)
    assert "不是支部工作台的数据库" in error.message


def test_foreign_sqlite_database_refused_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO customers (name) VALUES ('x')")
    conn.commit()
    conn.close()
    _assert_refused(path, NotBranchDeskDatabase)


def _foreign_wal_database(path: Path) -> None:
    """Another program's database in WAL mode, closed (nothing beside it)."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO customers (name) VALUES ('x')")
    conn.commit()
    conn.close()


def test_foreign_wal_database_refused_with_nothing_beside_it(tmp_path: Path) -> None:
    """A read-only look at a WAL-mode file creates its -wal and -shm."""
    path = tmp_path / "other.sqlite"
    _foreign_wal_database(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.sqlite"]
    _assert_refused(path, NotBranchDeskDatabase)


def test_side_files_already_there_are_left_as_they_were(tmp_path: Path) -> None:
    """A -wal that was beside the file before the look (another program's journal, a crash's) is not ours to
    remove, even when the file is refused."""
    path = tmp_path / "other.sqlite"
    _foreign_wal_database(path)
    wal = tmp_path / "other.sqlite-wal"
    wal.write_bytes(b"")
    with pytest.raises(NotBranchDeskDatabase):
        store.open(path)
    assert wal.exists()


def _filled_db(path: Path, n: int = 300) -> None:
    """A real Branch Desk database spanning many pages."""
    db = store.open(path)
    from datetime import date

    with db.atomic():
        for i in range(n):
            members.add_member(
                db,
                values={
                    "name": f"测试{i}",
                    "category": "full",
                    "citizen_id": make_citizen_id("140402", date(1980, 1, 1), i),
                    "joined_on": date(2005, 1, 1),
                    "full_on": date(2006, 1, 1),
                    "address": "矿区路" * 20,
                },
            )
    store.close(db)


def test_corrupted_database_refused_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "broken.sqlite"
    _filled_db(path)
    size = path.stat().st_size
    page_size = 4096
    assert size > 8 * page_size
    with open(path, "r+b") as f:
        # Overwrite two pages in the middle with garbage (b-tree pages of the roster).
        f.seek((size // page_size // 2) * page_size)
        f.write(bytes(range(256)) * (2 * page_size // 256))
    _assert_refused(path, DatabaseCorrupt)


def test_truncated_database_refused_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "cut.sqlite"
    _filled_db(path)
    with open(path, "r+b") as f:
        f.truncate(path.stat().st_size // 2)
    _assert_refused(path, DatabaseCorrupt)


def test_newer_database_refused_unchanged(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('branchdesk', '9999_future', '2099-01-01')"
    )
    conn.commit()
    conn.close()
    error = _assert_refused(db_path, DatabaseTooNew)
    assert "更新版本" in error.message


def test_database_locked_by_another_process(db_path: Path) -> None:
    code = (
        "import sys, time; from db import store; db = store.open(sys.argv[1]); print('ready', flush=True); "
        "sys.stdin.readline()"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code, str(db_path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
        before = _sha(db_path)
        with pytest.raises(DatabaseLocked) as info:
            store.open(db_path)
        assert "另一个" in info.value.message
        assert _sha(db_path) == before
    finally:
        assert child.stdin is not None
        child.stdin.write("\n")
        child.stdin.close()
        child.wait(timeout=30)
    # Once the other copy has exited, the database opens.
    store.close(store.open(db_path))


def test_backup_before_migration(tmp_path: Path) -> None:
    # A file written by an older version: every migration but the last one applied.
    import sqlite_utils

    from db.migrations import migrations

    db_path = tmp_path / "old.sqlite"
    last = store.known_migrations()[-1]
    old = sqlite_utils.Database(db_path)
    migrations.apply(old, stop_before=last)
    old.execute(f"PRAGMA application_id = {store.APPLICATION_ID}")
    old.close()
    db = store.open(db_path)
    try:
        backups = list(store.backup_dir(db_path).glob("*before-migration.sqlite"))
        assert len(backups) == 1
        check = sqlite3.connect(backups[0])
        names = [r[0] for r in check.execute("SELECT name FROM _sqlite_migrations")]
        check.close()
        assert last not in names
        assert last in [r[0] for r in db.execute("SELECT name FROM _sqlite_migrations")]
    finally:
        store.close(db)


def test_backup_is_sound_and_complete(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    members.add_member(db, values={"name": "张三", "category": "probationary", "joined_on": date(2024, 1, 1)})
    out = store.backup(db, tmp_path / "copies" / "b.sqlite")
    assert out.exists() and not out.with_name(out.name + ".partial").exists()
    copy = store.open(out)
    try:
        assert store.integrity_check(copy, full=True) == ["ok"]
        assert [m.name for m in members.list_members(copy)] == ["张三"]
    finally:
        store.close(copy)
    auto = store.backup_before(db, "manual")
    assert auto.parent == store.backup_dir(db.path) and auto.name.endswith("-manual.sqlite")


def test_backup_to_unwritable_place_raises_store_error(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    with pytest.raises((StoreError, OSError)):
        store.backup(db, blocker / "b.sqlite")


@pytest.mark.skipif(
    os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root can write read-only files"
)
def test_readonly_file_opens_readonly(db_path: Path) -> None:
    os.chmod(db_path, 0o444)
    try:
        before = _sha(db_path)
        db = store.open(db_path)
        try:
            assert db.readonly
            assert db.execute("SELECT count(*) FROM members").fetchone()[0] == 0
        finally:
            store.close(db)
        assert _sha(db_path) == before
    finally:
        os.chmod(db_path, 0o644)


def test_explicit_readonly_open_writes_nothing(db_path: Path) -> None:
    before = _sha(db_path)
    db = store.open(db_path, readonly=True)
    try:
        assert db.readonly
        with pytest.raises(StoreError, match="只读"):
            db.execute("INSERT INTO settings (key, value, updated_at) VALUES ('a', '1', 'x')")
    finally:
        store.close(db)
    assert _sha(db_path) == before
