"""desktop.main_window: navigation over the available pages, first-run page on an empty database."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from db import members as members_db
from desktop.context import AppContext
from desktop.main_window import MainWindow
from desktop.navigation import available_pages


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path):  # type: ignore[no-untyped-def]
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    yield


def _window(qtbot, db) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(AppContext(db))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    return window


def test_every_available_page_is_in_the_navigation(qtbot, db) -> None:
    window = _window(qtbot, db)
    keys = [info.key for info, _cls in available_pages()]
    assert window.page_keys() == keys
    assert {"home", "members"} <= set(keys)
    assert window.nav.count() == len(keys)
    for row, key in enumerate(keys):
        window.nav.setCurrentRow(row)
        assert window.stack.currentWidget() is window.page(key)
        assert window.current_key() == key


def test_empty_database_shows_the_first_run_choice(qtbot, db) -> None:
    window = _window(qtbot, db)
    home = window.page("home")
    assert window.current_key() == "home"
    assert home.is_first_run()
    assert home.setup_button.isVisible() and home.demo_button.isVisible()
    assert "设置我的支部" in home.setup_button.text()
    assert "打开演示支部" in home.demo_button.text()


def test_overview_after_members_and_navigation_with_filters(qtbot, db) -> None:
    members_db.add_member(db, values={"name": "张三", "category": "probationary"})
    window = _window(qtbot, db)
    home = window.page("home")
    assert not home.is_first_run()
    assert home.count_buttons["probationary"].text().startswith("1")
    assert home.warnings_frame.isVisibleTo(home)  # fewer than 3 full members
    home.count_buttons["probationary"].click()
    assert window.current_key() == "members"
    roster = window.page("members")
    assert roster.category.currentData() == "probationary"
    assert [m.name for m in roster.visible_members()] == ["张三"]


def test_status_bar_names_the_database(qtbot, db) -> None:
    window = _window(qtbot, db)
    assert str(db.path) in window.db_label.text()
    assert not window.readonly_banner.isVisibleTo(window)


def test_demo_button_fills_the_branch_and_opens_the_roster(qtbot, db) -> None:
    window = _window(qtbot, db)
    home = window.page("home")
    home.demo_button.click()
    assert window.current_key() == "members"
    assert len(window.page("members").visible_members()) >= 30
    assert not home.is_first_run()


def test_read_only_database_shows_the_banner(qtbot, db_path) -> None:
    from db import store

    database = store.open(db_path, readonly=True)
    try:
        window = _window(qtbot, database)
        assert window.readonly_banner.isVisibleTo(window)
        assert "只读" in window.readonly_banner.text()
        roster = window.page("members")
        assert not roster.new_button.isEnabled()
    finally:
        store.close(database)
