"""Fault injection with real files and real processes: SIGKILL in the middle of a write transaction, a backup, an
export and an import; a full disk (a tiny tmpfs) during a backup and an export; a read-only file; a corrupted page.

A child process does the work and, at a chosen point, tells the parent through its stdout and then waits on its
stdin; the parent SIGKILLs it there, so the kill lands exactly in the middle (no timing). The number of cases is
printed at the end of the run by ``tests/conftest.py``.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from db import backups, members, store
from db.errors import BranchDeskError, DatabaseCorrupt, StoreError
from tests.faults._helpers import kill_when_told, tmpfs

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and tmpfs are POSIX")

ROOT = Path(__file__).resolve().parents[2]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _kill_at_signal(code: str, *args: str, expect: str = "half") -> None:
    """Run ``code`` in a child; when it prints ``expect`` it is SIGKILLed (it blocks on stdin until then)."""
    said, err = kill_when_told(["-c", textwrap.dedent(code), *args])
    if said != expect:
        pytest.fail(f"child did not reach the kill point (said {said!r}): {err}")


def _fill(path: Path, n: int) -> None:
    db = store.open(path)
    try:
        with db.atomic():
            for i in range(n):
                members.add_member(
                    db, values={"name": f"测试{i}", "category": "full", "address": "矿区路" * 30}
                )
    finally:
        store.close(db)


def _count_and_check(path: Path) -> int:
    db = store.open(path)
    try:
        assert store.integrity_check(db, full=True) == ["ok"]
        return int(db.execute("SELECT count(*) FROM members").fetchone()[0])
    finally:
        store.close(db)


# --- a big write transaction ------------------------------------------------------------------------------

_BIG_WRITE = """
    import sys
    from pathlib import Path
    from db import members, store
    path, when = Path(sys.argv[1]), sys.argv[2]
    db = store.open(path)
    db.execute("PRAGMA cache_size = 20")  # a tiny cache: uncommitted pages spill into the WAL file
    with db.atomic():
        for i in range(5000):
            members.add_member(db, values={"name": f"党员{i}", "category": "full", "address": "矿区路" * 10})
            if i == 2500 and when == "middle":
                wal = path.with_name(path.name + "-wal")
                print("half" if wal.stat().st_size > 0 else "nothing-spilled", flush=True)
                sys.stdin.readline()
    if when == "after":
        print("half", flush=True)
        sys.stdin.readline()
"""


@pytest.mark.parametrize(("when", "expected"), [("middle", 0), ("after", 5000)])
def test_kill_during_a_big_write_transaction_leaves_all_or_none(
    db_path: Path, when: str, expected: int
) -> None:
    _kill_at_signal(_BIG_WRITE, str(db_path), when)
    assert _count_and_check(db_path) == expected
    # The audit log agrees with the roster: no half of a transaction anywhere.
    db = store.open(db_path)
    try:
        created = db.execute("SELECT count(*) FROM audit_log WHERE entity = 'member' AND action = 'create'")
        assert created.fetchone()[0] == expected
    finally:
        store.close(db)


# --- a backup -----------------------------------------------------------------------------------------------

_BACKUP = """
    import sys
    from db import store
    db = store.open(sys.argv[1])
    said = []
    def progress(done, total):
        if done < total and not said:
            said.append(1)
            print("half", flush=True)
            sys.stdin.readline()
    store.backup(db, sys.argv[2], progress=progress)
    print("finished", flush=True)
"""


def test_kill_during_backup_leaves_no_file_under_the_final_name(tmp_path: Path) -> None:
    source = tmp_path / "branch.sqlite"
    _fill(source, 2000)
    dest = tmp_path / "copies" / "b.sqlite"
    _kill_at_signal(_BACKUP, str(source), str(dest))
    assert not dest.exists()
    partial = dest.with_name(dest.name + ".partial")
    assert partial.exists()  # the kill landed mid-copy (the child said so between two steps)
    assert _count_and_check(source) == 2000
    # The next backup over the leftover works and is complete.
    db = store.open(source)
    try:
        store.backup(db, dest)
    finally:
        store.close(db)
    assert dest.exists() and not partial.exists() and backups.verify_backup(dest)


# --- a full disk ---------------------------------------------------------------------------------------------


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 200 KB tmpfs (needs root and mount permission; skipped with the reason otherwise)."""
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    with tmpfs(mount_point, "200k"):
        yield mount_point


def test_full_disk_during_backup_gives_a_chinese_message_and_no_file(tmp_path: Path, tiny_disk: Path) -> None:
    source = tmp_path / "branch.sqlite"
    _fill(source, 600)
    assert source.stat().st_size > 200 * 1024
    db = store.open(source)
    try:
        dest = tiny_disk / "b.sqlite"
        with pytest.raises(StoreError) as info:
            store.backup(db, dest)
        assert "磁盘空间已满" in info.value.message
        assert list(tiny_disk.iterdir()) == []  # neither the final name nor a .partial
        with pytest.raises(StoreError):
            backups.backup_to(db, folder=tiny_disk)
        assert list(tiny_disk.iterdir()) == []
        assert store.integrity_check(db, full=True) == ["ok"]
    finally:
        store.close(db)


# export.py leaves xlsxwriter's ZipFile to the garbage collector after a failed write; its __del__ then fails
# again on the full disk ("Exception ignored"), which is harmless but reported by pytest: collected here.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_full_disk_during_export_gives_a_chinese_message_and_no_file(db, tiny_disk: Path) -> None:  # type: ignore[no-untyped-def]
    import gc

    from db.workbook import export, sample

    sample.fill_roster(db, members=3000, seed=3)
    before = db.execute("SELECT count(*) FROM exchange_batches").fetchone()[0]
    target = tiny_disk / "monthly.xlsx"
    with pytest.raises(BranchDeskError) as info:
        export.export_monthly(db, month="2026-04", path=target)
    assert _has_chinese(info.value.message)
    del info  # its traceback holds the writer (and an open descriptor on the tiny disk)
    gc.collect()
    assert not target.exists()
    assert list(tiny_disk.iterdir()) == []
    assert db.execute("SELECT count(*) FROM exchange_batches").fetchone()[0] == before


# --- export and import ---------------------------------------------------------------------------------------

_EXPORT = """
    import sys
    from db import store
    from db.workbook import export
    db = store.open(sys.argv[1])
    def progress(done, total, text):
        print("half", flush=True)
        sys.stdin.readline()
    export.export_monthly(db, month="2026-04", path=sys.argv[2], progress=progress)
    print("finished", flush=True)
"""


def test_kill_during_export_leaves_no_file_under_the_final_name(db_path: Path, tmp_path: Path) -> None:
    from db.workbook import sample

    db = store.open(db_path)
    try:
        sample.fill_roster(db, members=1200, seed=5)
        batches = db.execute("SELECT count(*) FROM exchange_batches").fetchone()[0]
    finally:
        store.close(db)
    out = tmp_path / "out" / "monthly.xlsx"
    out.parent.mkdir()
    _kill_at_signal(_EXPORT, str(db_path), str(out))
    assert not out.exists()
    assert _count_and_check(db_path) == 1200
    db = store.open(db_path)
    try:
        assert db.execute("SELECT count(*) FROM exchange_batches").fetchone()[0] == batches
    finally:
        store.close(db)


_IMPORT = """
    import sys
    from db import store
    from db.workbook import merge
    db = store.open(sys.argv[1])
    preview = merge.preview_import(db, path=sys.argv[2])
    def progress(done, total, text):
        if done >= 400 and done < total:
            print("half", flush=True)
            sys.stdin.readline()
    merge.apply_import(db, preview=preview, progress=progress)
    print("finished", flush=True)
"""


def test_kill_during_import_apply_leaves_all_or_none(tmp_path: Path) -> None:
    from db.workbook import export, sample

    origin = store.open(tmp_path / "origin.sqlite")
    try:
        sample.fill_roster(origin, members=1000, seed=9)
        export.export_monthly(origin, month="2026-04", path=tmp_path / "roster.xlsx")
    finally:
        store.close(origin)
    target = tmp_path / "target.sqlite"
    store.close(store.open(target))
    _kill_at_signal(_IMPORT, str(target), str(tmp_path / "roster.xlsx"))
    assert _count_and_check(target) == 0
    db = store.open(target)
    try:
        assert db.execute("SELECT count(*) FROM exchange_batches").fetchone()[0] == 0
        assert db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == 0
    finally:
        store.close(db)
    # The backup taken before the import is there and sound.
    assert [b.reason for b in backups.list_backups(target)] == ["import"]


# --- read-only and damaged files ------------------------------------------------------------------------------


def test_read_only_open_refuses_writes_with_a_chinese_message(db_path: Path) -> None:
    _fill(db_path, 3)
    before = _sha(db_path)
    db = store.open(db_path, readonly=True)
    try:
        assert db.readonly
        with pytest.raises(store.ReadOnlyDatabase) as info:
            members.add_member(db, values={"name": "李四", "category": "full"})
        assert "只读" in info.value.message
        assert len(members.list_members(db)) == 3  # reading still works after the refusal
    finally:
        store.close(db)
    assert _sha(db_path) == before


def test_file_on_a_read_only_filesystem_opens_read_only(tmp_path: Path) -> None:
    mount_point = tmp_path / "ro"
    mount_point.mkdir()
    with tmpfs(mount_point, "8m"):
        path = mount_point / "branch.sqlite"
        _fill(path, 5)
        subprocess.run(["mount", "-o", "remount,ro", str(mount_point)], check=True)
        before = _sha(path)
        db = store.open(path)
        try:
            assert db.readonly
            assert len(members.list_members(db)) == 5
            with pytest.raises(store.ReadOnlyDatabase):
                members.add_member(db, values={"name": "李四", "category": "full"})
        finally:
            store.close(db)
        assert _sha(path) == before


def test_corrupted_page_is_refused_and_the_file_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "broken.sqlite"
    _fill(path, 300)
    size = path.stat().st_size
    with open(path, "r+b") as f:
        f.seek((size // 4096 // 2) * 4096)
        f.write(b"\xde\xad\xbe\xef" * 1024)  # one whole page of garbage in the middle of the roster
    before = _sha(path)
    names = {p.name for p in tmp_path.iterdir()}
    with pytest.raises(DatabaseCorrupt) as info:
        store.open(path)
    assert _has_chinese(info.value.message)
    assert _sha(path) == before
    # Without any backup the recovery says so in Chinese, and still writes nothing.
    with pytest.raises(StoreError) as no_backup:
        backups.recover_to_new_file(path)
    assert "没有找到" in no_backup.value.message
    assert _sha(path) == before
    assert {p.name for p in tmp_path.iterdir()} - names <= {"broken.sqlite-wal", "broken.sqlite-shm"}


# --- setting a password -----------------------------------------------------------------------------------------

_REKEY = """
    import os, sys
    from db import store
    real_replace = os.replace
    def replace(src, dst):
        if str(src).endswith(".rekey.partial"):
            print("half", flush=True)  # the encrypted copy is written; the rename has not happened
            sys.stdin.readline()
        return real_replace(src, dst)
    os.replace = replace
    db = store.open(sys.argv[1])
    store.change_password(db, new_key="secret12")
    print("finished", flush=True)
"""


def test_kill_while_setting_a_password_leaves_the_old_file_whole(tmp_path: Path) -> None:
    path = tmp_path / "branch.sqlite"
    _fill(path, 300)
    _kill_at_signal(_REKEY, str(path))
    assert not store.is_encrypted(path)
    assert path.with_name(path.name + ".rekey.partial").exists()  # the kill left the encrypted copy…
    assert _count_and_check(path) == 300
    assert not path.with_name(path.name + ".rekey.partial").exists()  # …which the next start swept (issue 17)
    # Trying again succeeds over the leftover.
    db = store.open(path)
    db, code = store.change_password(db, new_key="secret12")
    try:
        assert code and members.count_members(db)["active"] == 300
    finally:
        store.close(db)
    assert store.is_encrypted(path) and not path.with_name(path.name + ".rekey.partial").exists()
