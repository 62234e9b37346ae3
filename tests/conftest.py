"""Shared fixtures: a fresh, migrated database per test (copied from one migrated template per session); and the
fault figures printed at the end of every run: the fault-injection cases (``tests/db/test_fault_injection.py`` and
``tests/faults/``) and the kill battery's cases run, passed and records lost (issue 17)."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The user's data folder (default database, backups, the log) is a temporary one for the whole run, inherited by the
# processes the tests start: a developer who runs the suite on the machine they use the program on finds their own
# folder untouched. A test that needs a data folder of its own still sets XDG_DATA_HOME itself.
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="branchdesk-test-data-")
atexit.register(shutil.rmtree, os.environ["XDG_DATA_HOME"], True)


@pytest.fixture(scope="session")
def _template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from db import store

    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    db = store.open(path)
    store.close(db)
    return path


@pytest.fixture
def db_path(tmp_path: Path, _template_db: Path) -> Path:
    """Path of a fresh migrated database file (not opened)."""
    path = tmp_path / "branch.sqlite"
    shutil.copy(_template_db, path)
    return path


@pytest.fixture
def db(db_path: Path):  # type: ignore[no-untyped-def]
    """A fresh migrated database, opened; closed after the test."""
    from db import store

    database = store.open(db_path)
    yield database
    store.close(database)


_fault_cases: dict[str, int] = {}
_battery = {"cases": 0, "passed": 0, "lost": 0}


def pytest_runtest_logreport(report: Any) -> None:
    if "test_fault_injection" not in report.nodeid and "tests/faults/" not in report.nodeid:
        return
    # One outcome per case: the call's, or the setup's when it was skipped or failed there.
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        _fault_cases[report.outcome] = _fault_cases.get(report.outcome, 0) + 1
    if report.when == "call":
        for name, value in getattr(report, "user_properties", []):
            if name == "kill_battery":
                for key, n in json.loads(value).items():
                    _battery[key] += int(n)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    total = sum(_fault_cases.values())
    if total:
        detail = ", ".join(f"{n} {outcome}" for outcome, n in sorted(_fault_cases.items()))
        terminalreporter.write_line(f"fault-injection cases: {total} ({detail})")
    if _battery["cases"]:
        terminalreporter.write_line(
            f"kill battery: {_battery['cases']} cases run, {_battery['passed']} passed, "
            f"{_battery['lost']} records lost"
        )
