"""The same classes of fault on the commands the issue did not list (issue 17): a read-only medium under
``import --apply``, ``template``, ``consolidate``, ``print``; a full disk under ``print``, ``template`` and
``screenshots``. Each says what happened in one Chinese line on stderr (the system's reason in Chinese too), with
no traceback and no Qt warning, and leaves nothing half-written."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults._helpers import cli, one_chinese_line, tmpfs


@pytest.fixture(scope="module")
def branch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo branch and its monthly workbook, on the ordinary disk."""
    folder = tmp_path_factory.mktemp("branch")
    assert cli("demo", "--db", str(folder / "b.sqlite"), "--members", "40", cwd=folder).returncode == 0
    month = ["--month", "2026-04", "--out", str(folder / "m.xlsx")]
    assert cli("export", "--db", str(folder / "b.sqlite"), *month, cwd=folder).returncode == 0
    return folder


@pytest.fixture
def read_only(tmp_path: Path, branch: Path) -> Iterator[Path]:
    """A medium holding a copy of the branch, remounted read-only."""
    with tmpfs(tmp_path / "ro", "16m") as folder:
        assert cli("demo", "--db", str(folder / "b.sqlite"), "--members", "15", cwd=tmp_path).returncode == 0
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        yield folder


@pytest.mark.parametrize("command", ["import --apply", "template", "consolidate", "print", "print to it"])
def test_a_read_only_medium(tmp_path: Path, branch: Path, read_only: Path, command: str) -> None:
    before = sorted(p.name for p in read_only.iterdir())
    db = ["--db", str(read_only / "b.sqlite")]
    args = {
        "import --apply": ["import", str(branch / "m.xlsx"), "--apply", *db],
        "template": ["template", "--out", str(read_only / "t.xlsx")],
        "consolidate": ["consolidate", str(branch / "m.xlsx"), "--out", str(read_only / "c.xlsx")],
        "print": ["print", "roster", "--out", str(read_only / "r.pdf"), "--db", str(branch / "b.sqlite")],
        "print to it": ["print", "roster", "--out", str(read_only / "r.pdf"), *db],
    }[command]
    line = one_chinese_line(cli(*args, cwd=tmp_path))
    assert "只读" in line, line
    assert "Read-only" not in line and "QPainter" not in line, line
    assert sorted(p.name for p in read_only.iterdir()) == before


@pytest.fixture
def tiny(tmp_path: Path) -> Iterator[Path]:
    with tmpfs(tmp_path / "tiny", "64k") as folder:
        yield folder


@pytest.mark.parametrize("command", ["print", "template", "screenshots"])
def test_a_full_disk(tmp_path: Path, branch: Path, tiny: Path, command: str) -> None:
    db = ["--db", str(branch / "b.sqlite")]
    args = {
        "print": ["print", "roster", "--out", str(tiny / "r.pdf"), *db],
        "template": ["template", "--out", str(tiny / "t.xlsx")],
        "screenshots": ["screenshots", "--out", str(tiny / "shots"), *db],
    }[command]
    (tiny / "filler").write_bytes(b"\0" * (60 * 1024 if command != "template" else 56 * 1024))
    result = cli(*args, cwd=tmp_path)
    if command == "screenshots":  # a developer's command: Qt's own image writer may add its line first
        assert result.returncode != 0 and "Traceback" not in result.stderr, result.stderr
        line = result.stderr.strip().splitlines()[-1]
    else:
        line = one_chinese_line(result)
    assert "磁盘空间已满" in line and str(tiny) in line, line
    assert [p for p in tiny.rglob("*") if p.name.endswith(".partial")] == []
