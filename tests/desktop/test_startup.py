"""The real program starts on a fresh data folder, creates the default database and quits cleanly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_gui_starts_on_a_fresh_data_folder_and_reports_its_budget(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "QT_QPA_PLATFORM": "offscreen",
        "BRANCHDESK_QUIT_AFTER_MS": "100",
    }
    result = subprocess.run(
        [sys.executable, "-m", "desktop"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    budget = next(line for line in result.stderr.splitlines() if line.startswith("startup "))
    assert {part.split("=")[0] for part in budget.split()[1:]} == {"imports", "db_open", "window", "total"}
    data = tmp_path / "data" / "BranchDesk"
    assert (data / "branchdesk.sqlite").stat().st_size > 0
    reasons = sorted(p.name.rsplit("-", 1)[1] for p in (data / "backups").glob("*.sqlite"))
    assert reasons == ["daily.sqlite", "exit.sqlite"]


def test_portable_marker_keeps_database_backups_and_log_beside_the_program(tmp_path: Path) -> None:
    program = tmp_path / "usb" / "branchdesk"
    program.mkdir(parents=True)
    launcher = program / "launcher.py"
    launcher.write_text("import sys\nfrom desktop.__main__ import main\nsys.exit(main())\n")
    (program / "portable").write_text("")
    home = tmp_path / "home"
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "QT_QPA_PLATFORM": "offscreen",
        "BRANCHDESK_QUIT_AFTER_MS": "100",
        "PYTHONPATH": str(ROOT),
    }
    result = subprocess.run(
        [sys.executable, str(launcher)],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    data = program / "data"
    assert (data / "branchdesk.sqlite").exists() and (data / "logs" / "branchdesk.log").exists()
    assert list((data / "backups").glob("*.sqlite"))
    assert not (home / "data").exists() and not (home / "config").exists()  # nothing left on the laptop
