"""The GUI never makes or writes a database behind the secretary's back (issue 17): a missing file is created only
after asking (新建?) — except on the very first start — and a zero-byte or damaged file opened from the 文件 menu
leads to the recovery dialog and is never written. Real modal boxes, answered by clicking their buttons."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from db import store
from desktop import app, databases, main_window
from tests.faults._helpers import ROOT


def _answer(act: Callable[[QWidget], None], seen: list[str]) -> None:
    """Act on the next modal window when it shows (polling the event loop the modal runs)."""

    def poll() -> None:
        modal = QApplication.activeModalWidget()
        if modal is None:
            QTimer.singleShot(20, poll)
            return
        seen.append(type(modal).__name__ + ":" + (modal.text() if isinstance(modal, QMessageBox) else ""))
        act(modal)

    QTimer.singleShot(0, poll)


def _click(label: str) -> Callable[[QWidget], None]:
    def click(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        next(b for b in box.buttons() if b.text() == label).click()

    return click


def test_a_missing_database_is_not_created_when_the_secretary_says_no(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRANCHDESK_QUIT_AFTER_MS", "50")  # were the window shown without asking: no hang
    path = tmp_path / "usb" / "branch.sqlite"  # the stick is not plugged in
    seen: list[str] = []
    _answer(_click("不新建"), seen)
    assert app.run(db_path=path, explicit_db=True) == 1
    assert len(seen) == 1 and "找不到数据库文件" in seen[0] and str(path) in seen[0], seen
    assert not path.exists() and not path.parent.exists()


_SAYS_YES = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from desktop import app

app.create_application()
def poll():
    box = QApplication.activeModalWidget()
    if box is None:
        QTimer.singleShot(20, poll)
        return
    print("asked:", box.text().splitlines()[0], flush=True)
    next(b for b in box.buttons() if b.text() == "新建空数据库").click()
QTimer.singleShot(0, poll)
sys.exit(app.run(db_path=Path(sys.argv[1]), explicit_db=True))
"""


def test_a_missing_database_is_created_when_the_secretary_says_so(tmp_path: Path) -> None:
    # In a process of its own: the program runs its window, then quits (BRANCHDESK_QUIT_AFTER_MS).
    path = tmp_path / "branch.sqlite"
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "BRANCHDESK_QUIT_AFTER_MS": "50",
        "HOME": str(tmp_path),
    }
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    done = subprocess.run(
        [sys.executable, "-c", _SAYS_YES, str(path)],
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "asked: 找不到数据库文件" in done.stdout, done.stdout
    db = store.open(path)
    try:
        assert store.integrity_check(db) == ["ok"]
    finally:
        store.close(db)


def test_the_default_database_gone_from_a_used_data_folder_is_asked_about(tmp_path: Path) -> None:
    path = tmp_path / "branchdesk.sqlite"
    assert not databases.must_ask_to_create(path, explicit=False)  # the very first start: created silently
    store.backup_dir(path).mkdir(
        parents=True
    )  # the program ran here before: the file's absence means something
    assert databases.must_ask_to_create(path, explicit=False)
    assert databases.must_ask_to_create(path, explicit=True)


@pytest.mark.parametrize("shape", ["zero bytes", "random bytes"])
def test_opening_an_empty_or_damaged_file_from_the_menu_leads_to_recovery(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, shape: str
) -> None:
    path = tmp_path / "branch.sqlite"
    path.write_bytes(b"" if shape == "zero bytes" else b"SQLite format 3\x00" + bytes(range(256)) * 64)
    before = path.read_bytes()
    seen: list[str] = []
    _answer(lambda dialog: dialog.reject() if isinstance(dialog, QDialog) else None, seen)
    assert main_window.open_window(path, create=False) is None
    assert seen and seen[0].startswith("RecoveryDialog"), seen
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["branch.sqlite"]  # no lock, no -wal, no new file
