"""A full disk during a GUI write (issue 17): saving a record, applying an import, exporting, backing up — on a
real tmpfs filled to the last byte — gives one Chinese line that says the disk is full, which disk, and what to
do; never a traceback, never "程序内部错误（OperationalError…）". Nothing half-written stays behind."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

from db import members, store
from db.workbook import sample
from desktop import tasks
from desktop.context import AppContext
from desktop.dialogs.member_dialog import MemberDialog
from desktop.main_window import MainWindow
from desktop.pages.exchange import Page
from tests.faults._helpers import fill_disk, roster_workbook, tmpfs

CID = "110105198503070019"


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    with tmpfs(tmp_path / "disk", "4m") as folder:
        yield folder


@pytest.fixture
def full_db(disk: Path) -> Iterator[Any]:
    """A database of 30 members on a small disk, reopened (its WAL empty) after the disk was filled."""
    path = disk / "branch.sqlite"
    db = store.open(path)
    sample.fill_roster(db, members=30, seed=2)
    store.close(db)
    db = store.open(path)
    fill_disk(disk)
    yield db
    (disk / "filler").unlink()
    store.close(db)


def _said_full(text: str, where: Path) -> None:
    assert "磁盘空间已满" in text and str(where) in text, text
    assert "程序内部错误" not in text and "Error" not in text and "Traceback" not in text, text


def _error_box_text() -> str:
    boxes = list(tasks._open_boxes)
    assert len(boxes) == 1, [b.text() for b in boxes]
    text = boxes[0].text()
    boxes[0].close()
    return text


def test_saving_a_member_on_a_full_disk(qtbot, full_db, disk: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = MemberDialog(AppContext(full_db))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name.setFocus()
    event = QInputMethodEvent()
    event.setCommitString("张三")
    QApplication.sendEvent(dialog.name, event)
    dialog.citizen_id.setText(CID)
    dialog.category.setCurrentIndex(dialog.category.findData("probationary"))
    dialog.joined_on.set_date(date(2024, 7, 1))
    dialog.party_group.setCurrentIndex(dialog.party_group.findText("（未分组）"))
    assert dialog.check(), [p.message for p in dialog.current_problems]
    assert not dialog.save()  # not saved …
    _said_full(dialog.error.text(), disk)  # … and the reason beside the form, in one Chinese line
    assert dialog.isVisible()  # the form keeps what was typed
    assert len(members.list_members(full_db)) == 30


def test_applying_an_import_on_a_full_disk(qtbot, full_db, disk: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    workbook = roster_workbook(tmp_path, 200, seed=7)
    page = Page(AppContext(full_db))
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.preview_file(workbook).finished, timeout=30000):
        pass
    task = page.apply_preview()
    assert task is not None
    with qtbot.waitSignal(task.failed, timeout=30000):
        pass
    _said_full(page.import_status.text(), disk)
    assert len(members.list_members(full_db)) == 30  # all or nothing


def test_exporting_to_a_full_disk(qtbot, db, disk: Path) -> None:  # type: ignore[no-untyped-def]
    sample.fill_roster(db, members=300, seed=2)
    fill_disk(disk)
    page = Page(AppContext(db))
    qtbot.addWidget(page)
    page.show()
    page.month_edit.setDate(QDate(2026, 4, 1))
    task = page.export_to(disk / "月报.xlsx")
    with qtbot.waitSignal(task.failed, timeout=30000):
        pass
    _said_full(_error_box_text(), disk)
    assert sorted(p.name for p in disk.iterdir()) == ["filler"]  # no partial file, no workbook
    assert db.execute("SELECT count(*) FROM exchange_batches").fetchone()[0] == 0


def test_exporting_when_the_database_disk_is_full(qtbot, full_db, disk: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = Page(AppContext(full_db))
    qtbot.addWidget(page)
    page.show()
    page.month_edit.setDate(QDate(2026, 4, 1))
    out = tmp_path / "月报.xlsx"
    task = page.export_to(out)  # the workbook can be written, its record cannot
    with qtbot.waitSignal(task.failed, timeout=30000):
        pass
    _said_full(_error_box_text(), disk)
    assert not out.exists()  # the record and the file agree: neither
    assert full_db.execute("SELECT count(*) FROM exchange_batches").fetchone()[0] == 0


def test_backing_up_to_a_full_disk(qtbot, db, disk: Path) -> None:  # type: ignore[no-untyped-def]
    sample.fill_roster(db, members=300, seed=2)
    fill_disk(disk)
    window = MainWindow(AppContext(db))
    qtbot.addWidget(window)
    task = window.backup_to_folder(disk)
    with qtbot.waitSignal(task.failed, timeout=30000):
        pass
    text = _error_box_text()
    assert "磁盘空间已满" in text and str(disk) in text and "程序内部错误" not in text, text
    assert sorted(p.name for p in disk.iterdir()) == ["filler"]
