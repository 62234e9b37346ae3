"""At 1366×768 the wide tables show every column without scrolling sideways (issue 16: 党员名册, 项目, 组织关系 →
已转出/减员, 党费 → 统计报表 and 发展党员 hid their last columns)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QTableView

from db import demo, store
from desktop.context import AppContext
from desktop.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("isolated_settings")


@pytest.fixture(scope="module")
def _demo_file(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    database = store.open(path)
    demo.generate(database, members=40, seed=1, today=date(2026, 11, 15))
    store.close(database)
    return path


def _no_sideways_scroll(view: QTableView) -> bool:
    for _ in range(3):
        QApplication.processEvents()
    return view.horizontalScrollBar().maximum() == 0


def test_wide_tables_fit_1366(qtbot, _demo_file, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "branch.sqlite"
    shutil.copy(_demo_file, path)
    database = store.open(path)
    try:
        window = MainWindow(AppContext(database))
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        qtbot.waitExposed(window)
        development = window.show_page("development")
        assert _no_sideways_scroll(development.table)
        members = window.show_page("members")
        assert _no_sideways_scroll(members.table)
        projects = window.show_page("projects")
        assert _no_sideways_scroll(projects.projects_table)
        projects.tabs.setCurrentIndex(1)
        assert _no_sideways_scroll(projects.findings_table)
        transfers = window.show_page("transfers")
        assert _no_sideways_scroll(transfers.transfers_view)
        transfers.tabs.setCurrentIndex(3)
        assert _no_sideways_scroll(transfers.archived_view)
        dues = window.show_page("dues")
        dues.tabs.setCurrentIndex(3)
        for index, view in enumerate((dues.totals_view, dues.publication_view, dues.statement_view)):
            dues.report_details.setCurrentIndex(index)
            assert _no_sideways_scroll(view), index
        # a development file's steps keep 状态 in sight
        from desktop.dialogs.development_person import screenshot_dialog

        person = screenshot_dialog(window.ctx, window)  # at the size it opens with
        person.show()
        person.tabs.setCurrentIndex(1)
        assert _no_sideways_scroll(person.steps)
        person.hide()
    finally:
        store.close(database)
