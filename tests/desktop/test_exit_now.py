"""The real program ends without the interpreter's slow teardown (issue 22), yet does everything a normal exit does:
its exit code, the log flushed, the settings saved, the database closed and its backup mark left, atexit run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from db import store
from db.store import unchanged

ROOT = Path(__file__).resolve().parents[2]

PROGRAM = """
import atexit, sys
sys.path.insert(0, {root!r})
atexit.register(lambda: open({marker!r}, "w", encoding="utf-8").write("atexit ran"))
from desktop.cli import main
sys.exit(main(["--db", {db!r}]))
"""


def _run(tmp_path: Path, db: Path) -> subprocess.CompletedProcess[str]:
    marker = tmp_path / "atexit.txt"
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "BRANCHDESK_QUIT_AFTER_MS": "0",
        "HOME": str(tmp_path / "home"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    code = PROGRAM.format(root=str(ROOT), marker=str(marker), db=str(db))
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_the_window_closes_with_everything_a_normal_exit_does(tmp_path: Path) -> None:
    db_path = tmp_path / "branch.sqlite"
    store.close(store.open(db_path))
    done = _run(tmp_path, db_path)
    assert done.returncode == 0, done.stderr
    assert "startup" in done.stderr
    assert (tmp_path / "atexit.txt").read_text(encoding="utf-8") == "atexit ran"
    logs = list((tmp_path / "data").rglob("branchdesk.log"))
    assert logs and "started on" in logs[0].read_text(encoding="utf-8")
    settings = list((tmp_path / "config").rglob("*.conf"))
    assert settings and "recent_databases" in settings[0].read_text(encoding="utf-8")
    # the database was closed cleanly: no write-ahead log left, and its backup mark written at close
    assert not (tmp_path / "branch.sqlite-wal").exists()
    assert unchanged.recalled(db_path) is not None
