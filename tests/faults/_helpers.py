"""What the issue-17 fault tests share: real tmpfs mounts, a roster workbook, the CLI as the user runs it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from db import store

ROOT = Path(__file__).resolve().parents[2]


def fill_disk(folder: Path, *, spare: int = 0) -> Path:
    """Take every free byte of the disk holding ``folder`` but ``spare``; returns the filler file."""
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as f:
        for size in (1 << 20, 4096, 1):
            try:
                while True:
                    f.write(b"\0" * size)
            except OSError:
                pass
    if spare:
        os.truncate(filler, max(0, filler.stat().st_size - spare))
    return filler


@contextmanager
def tmpfs(folder: Path, size: str) -> Iterator[Path]:
    """A tmpfs of ``size`` mounted on ``folder`` (made if missing) for the block (needs root; the test is skipped
    otherwise)."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root (CI runs as root)")
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"mount not permitted here: {done.stderr.strip()}")
    try:
        yield folder
    finally:
        if subprocess.run(["umount", str(folder)], check=False, capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(folder)], check=False)  # a descriptor still open: detach


@contextmanager
def read_only_bind(folder: Path) -> Iterator[Path]:
    """``folder`` bound read-only onto itself for the block: a read-only folder even for root (needs root)."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("a read-only bind mount needs root (CI runs as root)")
    if subprocess.run(
        ["mount", "--bind", str(folder), str(folder)], capture_output=True, check=False
    ).returncode:
        pytest.skip("mount not permitted here")
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(folder)], check=True, capture_output=True)
        yield folder
    finally:
        if subprocess.run(["umount", str(folder)], check=False, capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(folder)], check=False)


def roster_workbook(folder: Path, members: int, *, seed: int) -> Path:
    """``folder/roster.xlsx``: a monthly workbook of ``members`` sample members, from a scratch database that is
    removed again."""
    from db.workbook import export, sample

    origin = folder / "origin.sqlite"
    db = store.open(origin)
    try:
        sample.fill_roster(db, members=members, seed=seed)
        export.export_monthly(db, month="2026-04", path=folder / "roster.xlsx")
    finally:
        store.close(db)
    for suffix in ("", "-wal", "-shm", ".lock"):
        origin.with_name(origin.name + suffix).unlink(missing_ok=True)
    return folder / "roster.xlsx"


def cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m desktop ARGS`` without a terminal, with neither a database password nor debug set."""
    clean = {k: v for k, v in os.environ.items() if k not in ("BRANCHDESK_DB_PASSWORD", "BRANCHDESK_DEBUG")}
    return subprocess.run(
        [sys.executable, "-m", "desktop", *args],
        cwd=cwd,
        env={**clean, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT), **(env or {})},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def one_chinese_line(result: subprocess.CompletedProcess[str]) -> str:
    """The command failed with exactly one Chinese ``错误：`` line on stderr and no traceback."""
    assert result.returncode != 0
    assert "Traceback" not in result.stderr and "程序内部错误" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("错误：")
    return lines[0]


def kill_when_told(argv: list[str]) -> tuple[str, str]:
    """Run ``python ARGV`` from the repository; read the first line it prints, then SIGKILL it (it blocks on stdin
    after saying where it is). Returns that line and its stderr."""
    child = subprocess.Popen(
        [sys.executable, *argv],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert child.stdout is not None
        said = child.stdout.readline().strip()
    finally:
        os.kill(child.pid, signal.SIGKILL)
        _out, err = child.communicate(timeout=60)
    assert child.returncode == -signal.SIGKILL
    return said, err
