"""Issue 17, the command line and the file system: an encrypted database for every sub-command (password from the
environment or asked without echo), read-only media, a full disk (one Chinese line, never a traceback), and our
own half-written files swept at the next start or the next run of the command. Real processes, real mounts."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from db import backups, members, store
from tests.faults._helpers import ROOT, cli, one_chinese_line, roster_workbook, tmpfs

KEY = "煤矿secret1"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="mounts, flock and ptys are POSIX")


def _encrypted(tmp_path: Path, n: int = 20) -> Path:
    path = tmp_path / "secret.sqlite"
    db = store.open(path, key=KEY)
    try:
        for i in range(n):
            members.add_member(db, values={"name": f"党员{i}", "category": "full"})
    finally:
        store.close(db)
    return path


# --- an encrypted database from the command line ----------------------------------------------------------------


def test_every_sub_command_opens_an_encrypted_database_with_the_password_from_the_environment(
    tmp_path: Path,
) -> None:
    path = _encrypted(tmp_path)
    env = {"BRANCHDESK_DB_PASSWORD": KEY}
    check = cli("check", "--db", str(path), "--json", cwd=tmp_path, env=env)
    assert check.returncode == 0, check.stderr
    assert '"ok": true' in check.stdout
    backup = cli("backup", "--db", str(path), cwd=tmp_path, env=env)
    assert backup.returncode == 0, backup.stderr
    export = cli(
        "export",
        "--db",
        str(path),
        "--month",
        "2026-04",
        "--out",
        str(tmp_path / "m.xlsx"),
        cwd=tmp_path,
        env=env,
    )
    assert export.returncode == 0, export.stderr
    imported = cli("import", str(tmp_path / "m.xlsx"), "--db", str(path), cwd=tmp_path, env=env)
    assert imported.returncode == 0, imported.stderr
    for result in (check, backup, export, imported):
        assert KEY not in result.stdout + result.stderr  # never printed
    assert all(store.is_encrypted(b.path) for b in backups.list_backups(path, with_counts=False))


def test_without_a_password_or_with_a_wrong_oneone_chinese_line(tmp_path: Path) -> None:
    path = _encrypted(tmp_path)
    missing = one_chinese_line(cli("check", "--db", str(path), cwd=tmp_path))
    assert "BRANCHDESK_DB_PASSWORD" in missing and "密码" in missing
    wrong = one_chinese_line(
        cli("check", "--db", str(path), cwd=tmp_path, env={"BRANCHDESK_DB_PASSWORD": "typo-typo"})
    )
    assert "密码不正确" in wrong and "typo-typo" not in wrong


def test_on_a_terminal_the_password_is_asked_without_echo(tmp_path: Path) -> None:
    import pty
    import select

    path = _encrypted(tmp_path)
    pid, fd = pty.fork()
    if pid == 0:  # the child: the CLI with the pseudo-terminal as its terminal
        os.environ.pop("BRANCHDESK_DB_PASSWORD", None)
        os.environ["PYTHONPATH"] = str(ROOT)
        os.chdir(ROOT)
        os.execv(sys.executable, [sys.executable, "-m", "desktop", "check", "--db", str(path)])
    seen = b""

    def read_until(marker: bytes, timeout: float = 60) -> None:
        nonlocal seen
        import time

        end = time.monotonic() + timeout
        while marker not in seen and time.monotonic() < end:
            ready, _w, _x = select.select([fd], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(fd, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                seen += chunk

    read_until("密码：".encode())
    assert "密码".encode() in seen, seen
    os.write(fd, KEY.encode() + b"\n")
    read_until("完整性检查".encode())
    read_until(b"\xe7\xbb\x84", timeout=10)  # the rest of the report
    _pid, status = os.waitpid(pid, 0)
    os.close(fd)
    assert os.WEXITSTATUS(status) == 0, seen.decode(errors="replace")
    assert "完整性检查：通过".encode() in seen
    assert KEY.encode() not in seen  # not echoed


# --- read-only media, a full disk ---------------------------------------------------------------------------------


@pytest.fixture
def medium(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "medium"
    folder.mkdir()
    with tmpfs(folder, "16m"):
        yield folder


@pytest.fixture
def tiny_disk(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Path]:
    """A tmpfs of a few hundred KB (more for the import, whose empty database must fit first)."""
    folder = tmp_path / "tiny"
    folder.mkdir()
    with tmpfs(folder, {"import": "900k"}.get(getattr(request, "param", ""), "300k")):
        yield folder


def test_check_and_backup_out_work_from_a_read_only_medium(tmp_path: Path, medium: Path) -> None:
    path = medium / "branch.sqlite"
    assert cli("demo", "--db", str(path), "--members", "15", cwd=tmp_path).returncode == 0
    subprocess.run(["mount", "-o", "remount,ro", str(medium)], check=True)
    before = sorted(p.name for p in medium.iterdir())
    check = cli("check", "--db", str(path), cwd=tmp_path)
    assert check.returncode == 0, check.stderr
    assert "完整性检查：通过" in check.stdout
    out = tmp_path / "copy.sqlite"
    backup = cli("backup", "--db", str(path), "--out", str(out), cwd=tmp_path)
    assert backup.returncode == 0, backup.stderr
    assert backups.verify_backup(out)
    # Exporting from the read-only database writes the workbook to a writable folder and says it was not recorded.
    export = cli(
        "export", "--db", str(path), "--month", "2026-04", "--out", str(tmp_path / "m.xlsx"), cwd=tmp_path
    )
    assert export.returncode == 0, export.stderr
    assert export.stderr == ""
    assert "已导出" in export.stdout and "数据库是只读的" in export.stdout, export.stdout
    assert zipfile.is_zipfile(tmp_path / "m.xlsx")
    # The default backup goes beside the database: refused in one Chinese line, nothing written.
    one_chinese_line(cli("backup", "--db", str(path), cwd=tmp_path))
    assert sorted(p.name for p in medium.iterdir()) == before


@pytest.mark.parametrize(
    ("command", "tiny_disk"), [(c, c) for c in ("demo", "backup", "export", "import")], indirect=["tiny_disk"]
)
def test_a_full_disk_gives_one_chinese_line_naming_the_disk(
    tmp_path: Path, tiny_disk: Path, command: str
) -> None:
    source = tmp_path / "branch.sqlite"
    assert cli("demo", "--db", str(source), "--members", "120", cwd=tmp_path).returncode == 0
    if command == "demo":
        result = cli("demo", "--db", str(tiny_disk / "new.sqlite"), "--members", "400", cwd=tmp_path)
    elif command == "backup":
        result = cli("backup", "--db", str(source), "--out", str(tiny_disk / "b.sqlite"), cwd=tmp_path)
    elif command == "export":
        db = store.open(source)
        try:
            from db.workbook import sample

            sample.fill_roster(db, members=2500, seed=4)
        finally:
            store.close(db)
        result = cli(
            "export",
            "--db",
            str(source),
            "--month",
            "2026-04",
            "--out",
            str(tiny_disk / "m.xlsx"),
            cwd=tmp_path,
        )
    else:
        roster_workbook(tmp_path, 3000, seed=4)
        target = tiny_disk / "target.sqlite"
        store.close(store.open(target))
        result = cli("import", str(tmp_path / "roster.xlsx"), "--apply", "--db", str(target), cwd=tmp_path)
    line = one_chinese_line(result)
    assert "磁盘空间已满" in line or "空间不足" in line, line
    assert str(tiny_disk) in line, line
    leftovers = [p.name for p in tiny_disk.iterdir() if p.name.endswith(".partial")]
    assert leftovers == []


# --- our own half-written files -------------------------------------------------------------------------------------


def test_the_next_start_sweeps_our_leftovers_but_not_a_file_being_written(db_path: Path) -> None:
    from db.store.leftovers import hold

    folder = store.backup_dir(db_path)
    folder.mkdir()
    planted = [
        folder / "branch-20261130-101010-000001-n000003-daily.sqlite.partial",
        db_path.with_name(db_path.name + ".rekey.partial"),
        db_path.with_name(f".{db_path.name}.new.partial"),
        db_path.with_name(db_path.name + ".recovery.partial"),
        db_path.with_name("branch-recovered-20261130-101010.sqlite.partial"),
        db_path.with_name(".monthly.xlsx.0a1b2c3d.partial"),
        db_path.with_name(".monthly.xlsx.0a1b2c3d.partial.enc"),
    ]
    for p in planted:
        p.write_bytes(b"half")
    old_unmarked = db_path.with_name(db_path.name + ".recovery.partial")
    os.utime(old_unmarked, (time.time() - 120, time.time() - 120))  # untouched for two minutes: abandoned
    # A writer that does not mark its temporary file, busy right now: left alone until it is a minute old.
    fresh_unmarked = db_path.with_name(".members.xlsx.partial")
    fresh_unmarked.write_bytes(b"being written")
    busy = db_path.with_name(".report.pdf.partial")
    foreign = db_path.with_name("notes.partial.txt")
    foreign.write_text("not ours")
    with hold(busy):
        store.close(store.open(db_path))
        assert busy.exists()  # another process is still writing it
    assert [p for p in planted if p.exists()] == []
    assert foreign.exists() and fresh_unmarked.exists()
    assert sorted(store.leftovers_of(db_path)) == sorted([busy, fresh_unmarked])


def test_a_second_connection_of_the_running_program_sweeps_nothing(db_path: Path) -> None:
    first = store.open(db_path)
    try:
        leftover = db_path.with_name(db_path.name + ".rekey.partial")
        leftover.write_bytes(b"half")
        store.close(store.open_again(first))
        assert leftover.exists()
    finally:
        store.close(first)


def test_a_read_only_open_sweeps_nothing(db_path: Path) -> None:
    leftover = db_path.with_name(db_path.name + ".rekey.partial")
    leftover.write_bytes(b"half")
    store.close(store.open(db_path, readonly=True))
    assert leftover.exists()


def test_the_next_export_and_pdf_sweep_the_leftovers_of_a_killed_one(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from db.workbook import export

    out = tmp_path / "out"
    out.mkdir()
    killed = [
        out / ".monthly.xlsx.deadbeef.partial",
        out / ".monthly.xlsx.deadbeef.partial.enc",
        out / ".s.pdf.text.partial",
    ]
    killed.append(out / "dues.xlsx.partial")  # a writer that does not mark its file: swept once a minute old
    for p in killed:
        p.write_bytes(b"PK half a workbook")
    os.utime(killed[-1], (time.time() - 120, time.time() - 120))
    export.export_monthly(db, month="2026-04", path=out / "monthly.xlsx")
    assert sorted(p.name for p in out.iterdir()) == ["monthly.xlsx"]
