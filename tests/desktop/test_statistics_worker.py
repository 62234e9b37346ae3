"""The 统计年报 page computes off the GUI thread (issue 19): picking a year shows a busy bar and disables the pickers
until the result signal; a result for an older request is dropped; an error is one Chinese message; a figure clicked
after the result lists its people. The 上级汇总 dialog: pick branch workbooks, see the 校核结果, save the workbook."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from python_calamine import CalamineWorkbook

from db import demo, statistics
from db.statistics import consolidate as c
from desktop import tasks
from desktop.context import AppContext

TODAY = date(2026, 3, 15)


@pytest.fixture
def page(qtbot, db):  # type: ignore[no-untyped-def]
    from desktop.pages.statistics import Page

    demo.generate(db, members=40, seed=1, today=TODAY)
    p = Page(AppContext(db), today=TODAY)
    qtbot.addWidget(p)
    p.resize(1366, 768)
    p.show()
    return p


def _idle(qtbot) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: not tasks._running, timeout=60000)


def test_pick_a_year_wait_for_the_result_click_a_figure(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(page.computed, timeout=60000) as arrived:
        page.year.setValue(2024)
        assert page.is_busy() and page.busy.isVisibleTo(page)
        assert not page.year.isEnabled() and not page.half.isEnabled() and not page.export_button.isEnabled()
        assert "正在计算2024年" in page.balance.text()
    report = arrived.args[0]
    assert report.year == 2024 and page.report is report
    assert not page.is_busy() and page.year.isEnabled() and page.half.isEnabled()
    assert "2024年度" in page.balance.text() and "平衡" in page.balance.text()
    page.tables.setCurrentRow(1)  # 表2: the roster's structure
    rect = page.grid.visualItemRect(page.grid.item(0, 0))
    qtbot.mouseClick(page.grid.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.people.count() == report.balance.actual > 0
    names = {page.people.item(i).text() for i in range(page.people.count())}
    assert names == {report.names[u] for u in report.table("2").cells[0][0].uuids}


def test_a_result_for_an_older_request_is_dropped(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    shown: list[int] = []
    page.computed.connect(lambda report: shown.append(report.year))
    page.year.setValue(2023)  # the picker is disabled now, but a change already queued still asks again
    page.year.setValue(2025)
    _idle(qtbot)
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=60000)
    assert shown == [2025] and page.report is not None and page.report.year == 2025


def test_an_error_is_one_chinese_message(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    page.ctx.db.execute("DROP TABLE statistics_reports")
    with qtbot.waitSignal(page.compute_failed, timeout=60000) as failed:
        page.refresh()
    message = failed.args[0]
    assert message.startswith("无法计算2025年的统计：") and "Traceback" not in message
    assert page.balance.text() == message and page.error_box.text() == message
    assert page.year.isEnabled() and not page.is_busy()
    page.error_box.close()


def test_consolidation_dialog_checks_then_saves(qtbot, page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(page.computed, timeout=60000):
        page.refresh()
    report = page.report
    a = statistics.write_report(
        report, tmp_path / "a.xlsx", branch="一区党支部", exported_at=datetime(2026, 1, 5)
    )
    b = statistics.write_report(
        report, tmp_path / "b.xlsx", branch="二区党支部", exported_at=datetime(2026, 1, 5)
    )
    book = openpyxl.load_workbook(b)
    book["表2 党员基本情况"]["B3"] = 1
    book.save(b)
    dialog = page.open_consolidation()
    qtbot.addWidget(dialog)
    assert not dialog.save_button.isEnabled()
    with qtbot.waitSignal(dialog.check_files([a, b]).finished, timeout=60000):
        pass
    assert dialog.branches.rowCount() == 2 and dialog.branches.item(1, 2).text() == c.NOT_SUMMED
    rows = [
        [dialog.findings.item(r, col).text() for col in range(dialog.findings.columnCount())]
        for r in range(dialog.findings.rowCount())
    ]
    assert ["b.xlsx", "二区党支部", "表2 党员基本情况", "B3", c.CHANGED] in [r[:5] for r in rows]
    assert "可汇总 1 个支部，未汇总 1 个" in dialog.summary.text() and dialog.save_button.isEnabled()
    out = tmp_path / "汇总.xlsx"
    with qtbot.waitSignal(dialog.save_to(out).finished, timeout=60000):
        pass
    sheet = CalamineWorkbook.from_path(str(out)).get_sheet_by_name(c.FINDINGS_SHEET).to_python()
    assert [r[:4] for r in sheet[2:]] == [r[:4] for r in rows]
    assert "已保存汇总工作簿" in dialog.summary.text()
    dialog.close()


def test_the_statistics_screenshots_show_figures_and_leave_no_thread_running(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    """The 表2补 and 表43 shots build the page in a dialog that is not shown yet: they wait for the background
    computation (a busy page is busy before it is visible), so the shot has the figures and no worker thread is left
    running when the screenshots command exits (a running QThread aborted the frozen program)."""
    from desktop.pages.statistics import Page
    from desktop.screenshots import statistics_dues_shot, statistics_lost_shot

    demo.generate(db, members=40, seed=1, today=TODAY)
    ctx = AppContext(db)
    for shot in (statistics_dues_shot, statistics_lost_shot):
        dialog = shot(ctx, None)
        qtbot.addWidget(dialog)
        page = dialog.findChild(Page)
        assert page is not None and page.report is not None and not page.is_busy()
        assert page.tables.currentItem().text().startswith(("表2补", "表43"))
    _idle(qtbot)
