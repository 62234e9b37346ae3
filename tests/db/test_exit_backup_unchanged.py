"""The backup on exit is not taken again when the database still holds exactly what a backup holds (issue 22), and
is taken whenever anything may have been written: by this run, by another connection, by a run killed before its
close, or by a file copied over the database."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from db import backups, branch, store
from db.store import unchanged

ROOT = Path(__file__).resolve().parents[2]


def _exit_backups(path: Path) -> list[Path]:
    return sorted(store.backup_dir(path).glob(f"{path.stem}-*-exit.sqlite"))


def _run_and_close(path: Path, write: bool = False) -> Path | None:
    """One run of the program as the window does it: open, (write), backup on exit, close."""
    db = store.open(path)
    if write:
        branch.save_branch(db, name=f"第{time.monotonic_ns()}党支部")
    taken = backups.exit_backup(db, today=date.today())
    store.close(db)
    return taken


def test_a_run_that_writes_nothing_takes_no_second_exit_backup(tmp_path: Path) -> None:
    path = tmp_path / "branch.sqlite"
    first = _run_and_close(path, write=True)
    assert first is not None and _exit_backups(path) == [first]
    assert unchanged.mark_path(path).exists()
    for _ in range(3):
        assert _run_and_close(path) is None
    assert _exit_backups(path) == [first]
    # and the data is what the kept backup holds
    db = store.open(path)
    assert not any(c.changes for c in backups.compare_with_backup(db, backup_path=first))
    store.close(db)


def test_a_run_that_writes_takes_its_exit_backup(tmp_path: Path) -> None:
    path = tmp_path / "branch.sqlite"
    _run_and_close(path, write=True)
    assert _run_and_close(path) is None
    second = _run_and_close(path, write=True)
    assert second is not None and len(_exit_backups(path)) == 2


def test_a_write_through_another_connection_counts(tmp_path: Path) -> None:
    path = tmp_path / "branch.sqlite"
    _run_and_close(path, write=True)
    db = store.open(path)
    assert db.same_as_backup() is not None
    other = store.open_again(db)  # as a background task does
    branch.save_branch(other, name="另一个连接写入的支部")
    store.close(other)
    assert db.same_as_backup() is None
    assert backups.exit_backup(db, today=date.today()) is not None
    store.close(db)


def test_a_run_killed_before_its_close_leaves_its_write_to_be_backed_up(tmp_path: Path) -> None:
    path = tmp_path / "branch.sqlite"
    _run_and_close(path, write=True)
    code = (
        "import sys, os, signal\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from db import branch, store\n"
        f"db = store.open({str(path)!r})\n"
        "branch.save_branch(db, name='断电前写入的支部')\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], check=False, timeout=60)
    assert done.returncode == -signal.SIGKILL
    taken = _run_and_close(path)
    assert taken is not None
    db = store.open(path)
    assert branch.get_branch(db).name == "断电前写入的支部"  # type: ignore[union-attr]
    store.close(db)


def test_a_file_copied_over_the_database_is_backed_up(tmp_path: Path) -> None:
    path = tmp_path / "branch.sqlite"
    _run_and_close(path, write=True)
    other = tmp_path / "other" / "branch.sqlite"
    other.parent.mkdir()
    _run_and_close(other, write=True)
    shutil.copyfile(other, path)  # another version of the file, put in its place by hand
    assert _run_and_close(path) is not None


def test_a_touched_file_or_a_damaged_or_missing_mark_means_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "branch.sqlite"
    _run_and_close(path, write=True)
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert _run_and_close(path) is not None
    unchanged.mark_path(path).write_text("{not json", encoding="utf-8")
    assert _run_and_close(path) is not None
    unchanged.mark_path(path).unlink()
    assert _run_and_close(path) is not None
    # the backup the mark names was removed (by hand): taken again
    assert _run_and_close(path) is None
    for p in _exit_backups(path):
        p.unlink()
    assert _run_and_close(path) is not None


def test_a_restore_during_the_run_is_backed_up_on_exit(tmp_path: Path) -> None:
    path = tmp_path / "branch.sqlite"
    older = _run_and_close(path, write=True)
    assert older is not None
    _run_and_close(path, write=True)
    db = store.open(path)
    assert db.same_as_backup() is not None
    backups.restore(db, backup_path=older)  # the backup API moves the schema cookie the counters include
    assert db.same_as_backup() is None
    assert backups.exit_backup(db, today=date.today()) is not None
    store.close(db)


def test_a_background_connection_that_only_reads_does_not_count_as_a_write(tmp_path: Path) -> None:
    """The day's backup runs on a second connection (``open_again``) while the window's stays open; that it opened
    and closed must not make the exit look changed."""
    path = tmp_path / "branch.sqlite"
    _run_and_close(path, write=True)
    db = store.open(path)
    other = store.open_again(db)
    assert branch.get_branch(other) is not None
    store.close(other)
    assert db.same_as_backup() is not None
    assert backups.exit_backup(db, today=date.today()) is None
    store.close(db)
