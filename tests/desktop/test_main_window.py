"""desktop.main_window: navigation over the available pages, first-run page on an empty database."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from db import members as members_db
from desktop.context import AppContext
from desktop.main_window import MainWindow
from desktop.navigation import available_pages
from tests.desktop.menus import menu_bar_menu


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


def test_demo_opens_its_own_database_and_never_touches_the_default_one(qtbot, monkeypatch, tmp_path) -> None:
    """打开演示支部 used to write 40 made-up members into the open (real) database (issue 16): now the demo lives in
    demo.sqlite beside the default database, in its own window labelled 演示."""
    from db import branch, store
    from desktop import databases, main_window

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # the user data folder, here
    default = store.default_db_path()
    assert str(tmp_path) in str(default)
    own = store.open(default, create=True)
    try:
        window = _window(qtbot, own)
        before = default.read_bytes()
        home = window.page("home")
        assert home.is_first_run()
        home.demo_button.click()
        demo_window = main_window.open_windows()[-1]
        assert demo_window is not window and demo_window.ctx.db.path == default.with_name("demo.sqlite")
        assert "演示" in demo_window.windowTitle() and "演示" in demo_window.db_label.text()
        assert demo_window.current_key() == "members"
        assert len(demo_window.page("members").visible_members()) >= 30
        # the secretary's own database: still empty, not a byte written
        assert members_db.list_members(own) == [] and branch.get_branch(own) is None
        assert home.is_first_run() and "演示" not in window.windowTitle()
        assert default.read_bytes() == before
        # opening the demo again raises the same window; the menu offers it too, and it is in the recent list
        assert home.open_demo() is demo_window
        window.demo_action.trigger()
        assert main_window.open_windows() == [demo_window]
        assert databases.recent_databases()[0] == default.with_name("demo.sqlite").resolve()
        demo_window.close()
        qtbot.waitUntil(lambda: main_window.open_windows() == [])
    finally:
        store.close(own)
    # reopened later, the demo is opened as it is (not generated again) and the default is still untouched
    reopened = main_window.open_demo()
    assert "演示" in reopened.windowTitle()
    reopened.close()
    qtbot.waitUntil(lambda: main_window.open_windows() == [])
    own = store.open(default)
    try:
        assert members_db.list_members(own) == []
    finally:
        store.close(own)


def test_file_menu_creates_and_opens_databases_and_remembers_them(qtbot, db, tmp_path) -> None:
    from desktop import main_window

    window = _window(qtbot, db)
    titles = [a.text() for a in menu_bar_menu(window, "文件").actions()]
    assert {"新建数据库(&N)…", "打开数据库(&O)…", "最近打开(&J)", "打开演示支部(&D)"} <= set(titles)
    fresh = main_window.new_database(window, tmp_path / "second.sqlite")
    assert fresh.ctx.db.path == tmp_path / "second.sqlite" and "second.sqlite" in fresh.windowTitle()
    assert main_window.new_database(window, tmp_path / "second.sqlite") is None  # exists: use 打开数据库…
    fresh.close()
    qtbot.waitUntil(lambda: main_window.open_windows() == [])
    again = main_window.open_database(window, tmp_path / "second.sqlite")
    assert again.ctx.db.path == tmp_path / "second.sqlite"
    window.recent_menu.aboutToShow.emit()
    assert str((tmp_path / "second.sqlite").resolve()) in [a.text() for a in window.recent_menu.actions()]
    again.close()
    qtbot.waitUntil(lambda: main_window.open_windows() == [])
    assert main_window.open_database(window, tmp_path / "missing.sqlite") is None


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
