"""Style in CI: the whole tree is ``ruff format``-ted and passes ``ruff check`` (the ``test`` extra installs ruff).

On failure the message is ruff's own output: run ``ruff format .`` / ``ruff check .`` at the repository root and
fix what it lists (a ``# noqa: CODE - reason`` only where the code is right as it stands)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _ruff(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args, "--no-cache", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.mark.parametrize("command", [("format", "--check"), ("check",)], ids=["format", "check"])
def test_the_tree_is_ruff_clean(command: tuple[str, ...]) -> None:
    result = _ruff(*command)
    if result.returncode != 0:
        pytest.fail(
            f"ruff {' '.join(command)} found problems:\n{result.stdout}{result.stderr}", pytrace=False
        )
