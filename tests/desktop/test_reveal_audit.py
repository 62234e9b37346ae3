"""The roster's 显示证件号码: recorded in the audit log before anything is shown; refused where it cannot be."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QSettings

from db import audit, store
from db import members as members_db
from db.rules import make_citizen_id
from desktop.context import AppContext
from desktop.models.members import COLUMN_KEYS
from desktop.pages.members import Page

CID = make_citizen_id("110105", date(1985, 3, 7), 123)


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path):  # type: ignore[no-untyped-def]
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    yield


def _shown_id(page: Page) -> str:
    return str(page.proxy.index(0, COLUMN_KEYS.index("citizen_id")).data())


def test_reveal_is_recorded_with_the_number_of_people(qtbot, db) -> None:
    members_db.add_member(db, values={"name": "张三", "category": "full", "citizen_id": CID})
    page = Page(AppContext(db))
    qtbot.addWidget(page)
    assert _shown_id(page) != CID
    assert audit.list_entries(db, action="reveal") == []
    page.reveal.setChecked(True)
    assert _shown_id(page) == CID
    entries = audit.list_entries(db, action="reveal")
    assert len(entries) == 1 and entries[0].new == "党员名册：1 人"
    page.reveal.setChecked(False)  # hiding again is not an event
    assert len(audit.list_entries(db, action="reveal")) == 1


def test_reveal_refused_on_a_read_only_database(qtbot, db_path) -> None:
    database = store.open(db_path)
    members_db.add_member(database, values={"name": "张三", "category": "full", "citizen_id": CID})
    store.close(database)
    database = store.open(db_path, readonly=True)
    try:
        page = Page(AppContext(database))
        qtbot.addWidget(page)
        page.reveal.setChecked(True)
        assert not page.reveal.isChecked()
        assert _shown_id(page) != CID
        assert "只读" in page.reveal_refused.text()
        page.reveal_refused.close()
    finally:
        store.close(database)
