"""Every part's page is in the window's navigation, by the key the part names in ``db.parts``; every page can be
built from its module; the window starts without importing the other pages (issue 22)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from db import parts
from desktop.context import AppContext
from desktop.navigation import PAGES, available_pages, page_class
from desktop.pages import BasePage

ROOT = Path(__file__).resolve().parents[2]


def test_every_part_has_its_page_in_the_navigation() -> None:
    keys = [info.key for info, _cls in available_pages()]
    assert len(keys) == len(set(keys))
    assert {part.page for part in parts.PARTS} <= set(keys)
    assert keys[0] == "home"


@pytest.mark.parametrize("key", [info.key for info in PAGES])
def test_every_registered_page_is_built_from_its_own_module(qtbot, db, key: str) -> None:  # type: ignore[no-untyped-def]
    """A page module renamed or a ``Page`` class lost fails here, not when the secretary first clicks the page."""
    cls = page_class(key)
    assert issubclass(cls, BasePage)
    assert cls.__module__ == f"desktop.pages.{key}"
    page = cls(AppContext(db))
    qtbot.addWidget(page)
    page.refresh()


def test_a_key_that_is_no_page_is_refused() -> None:
    with pytest.raises(KeyError):
        page_class("nothing")


# A branch with a member, so the home page shows its dashboard and gathers the reminders.
_BRANCH = """
import sys
from pathlib import Path
from db import members, store
db = store.open(Path(sys.argv[1]), create=True)
members.add_member(db, values={"name": "张三", "category": "probationary"})
store.close(db)
"""
# The start path of ``desktop.app.run`` on that database, quitting once the first page has painted; then the
# modules the process imported.
_START = """
import os, sys
from pathlib import Path
os.environ["BRANCHDESK_QUIT_AFTER_MS"] = "0"
from desktop import app
assert app.run(db_path=Path(sys.argv[1]), explicit_db=True) == 0
print("\\n".join(sorted(sys.modules)))
"""

# What the first window (the home page and its reminders) does not need: the other pages, and the libraries of the
# printouts, workbooks, Word forms, PDF pages and the statistics, imported when first used.
NOT_AT_START = (
    *(f"desktop.pages.{info.key}" for info in PAGES if info.key != "home"),
    "desktop.printing",
    "desktop.word",
    "db.statistics",
    "openpyxl",
    "xlsxwriter",
    "docxtpl",
    "docx",
    "lxml",
    "pypdf",
    "pypdfium2",
    "segno",
    "zxingcpp",
    "PySide6.QtPrintSupport",
)


def test_the_window_starts_on_the_home_page_without_importing_what_it_does_not_show(tmp_path: Path) -> None:
    home = {
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path / "d"),
        "XDG_CONFIG_HOME": str(tmp_path / "c"),
    }
    env = {**os.environ, **home, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    run = {"env": env, "cwd": ROOT, "capture_output": True, "text": True, "timeout": 120}
    for script in (_BRANCH, _START):
        result = subprocess.run(
            [sys.executable, "-c", script, str(tmp_path / "db.sqlite")], check=False, **run
        )
        assert result.returncode == 0, result.stderr
    modules = set(result.stdout.split())
    assert {"desktop.pages.home", "db.reminders"} <= modules  # the home page and the reminders it gathers
    assert sorted(m for m in modules if m.startswith(NOT_AT_START)) == []
