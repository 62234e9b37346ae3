"""The data layer and the GUI pass ``mypy --strict`` (DESIGN.md: Style); the configuration is in pyproject.toml."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_db_and_desktop_pass_mypy_strict() -> None:
    # The project's own cache (.mypy_cache, git-ignored) keeps a re-run to a few seconds.
    result = subprocess.run(
        [sys.executable, "-m", "mypy"],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    assert "Success" in result.stdout


def test_mypy_configuration_covers_db_and_desktop() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    assert {"db", "desktop"} <= set(config["files"])
    assert config["strict"] is True
