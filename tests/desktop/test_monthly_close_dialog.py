"""The monthly close is hard to get wrong (issue 16): it opens on the month that is due with a year-and-month
picker, each ✗ names who is behind it and 去处理 lands on the exact tab filtered to them and comes back, and an
overridden ✗ asks for a reason recorded with the submission."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QCalendarWidget, QDateEdit, QPushButton

from db import dues, members, monthly_close
from db.rules import yuan_to_fen
from desktop.context import AppContext
from desktop.main_window import MainWindow

TODAY = date(2026, 11, 15)


pytestmark = pytest.mark.usefixtures("isolated_settings")


def _member(db, name: str, base: str | None):  # type: ignore[no-untyped-def]
    m = members.add_member(
        db,
        values={"name": name, "category": "full", "joined_on": date(2010, 7, 1), "full_on": date(2011, 7, 1)},
    )
    if base is not None:
        dues.set_basis(
            db,
            member_uuid=m.uuid,
            from_month=date(2026, 1, 1),
            category="employed",
            base_fen=yuan_to_fen(base),
        )
    return m


def _close(qtbot, db):  # type: ignore[no-untyped-def]
    window = MainWindow(AppContext(db))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    home = window.page("home")
    home.pin_today(TODAY)
    return window, home.open_monthly_close()


def test_the_close_opens_on_the_due_month_with_a_year_and_month_picker(qtbot, db, tmp_path) -> None:
    _member(db, "张三", "5000")
    book = tmp_path / "book.xlsx"
    book.write_bytes(b"workbook")
    monthly_close.mark_submitted(db, month="2026-08", path=book, override_reason="试报", today=TODAY)
    _window, dialog = _close(qtbot, db)
    assert dialog.month() == "2026-09"  # the earliest month not yet submitted, not the month just ended
    assert "应报送" in dialog.due_label.text()
    assert dialog.findChildren(QDateEdit) == [] and dialog.findChildren(QCalendarWidget) == []
    assert (dialog.year_edit.value(), dialog.month_combo.currentText()) == (2026, "9 月")
    dialog.month_combo.setCurrentIndex(9)  # October
    assert dialog.month() == "2026-10" and "应报送的月份是 2026 年 9 月" in dialog.due_label.text()
    dialog.reject()


def test_go_to_fix_lands_on_the_bases_filtered_to_those_without_one_and_comes_back(qtbot, db) -> None:
    _member(db, "张三", "5000")
    wang = _member(db, "王五", None)
    window, dialog = _close(qtbot, db)
    assert dialog.month() == "2026-10"
    check = dialog.findChild(type(dialog.status), "check_dues")
    assert dialog.findChild(type(dialog.status), "mark_dues").text() == "✗"
    assert "王五" in check.text() and "未核定党费缴纳基数" in check.text()
    go = dialog.checks_frame.findChild(QPushButton, "go_dues")
    assert go is not None and go.text() == "去处理"
    go.click()
    assert not dialog.isVisible()
    page = window.page("dues")
    assert window.current_key() == "dues"
    assert page.tabs.currentIndex() == 1  # 缴纳基数
    shown = [page.bases_proxy.index(r, 0).data() for r in range(page.bases_proxy.rowCount())]
    assert shown == ["王五"] and page.show_all_button.isVisible()
    # fix it there, then come back: the close is shown again and checked again
    dues.set_basis(
        db,
        member_uuid=wang.uuid,
        from_month=date(2026, 1, 1),
        category="employed",
        base_fen=yuan_to_fen("3000"),
    )
    back = window.findChild(QPushButton, "back_to_close")
    assert back is not None and back.isVisible()
    back.click()
    assert dialog.isVisible() and not back.isVisible()
    assert "未核定" not in dialog.findChild(type(dialog.status), "check_dues").text()
    # 显示全部 on the page lifts the filter
    page.show_all_button.click()
    assert page.bases_proxy.rowCount() == 2
    dialog.reject()


def test_an_overridden_cross_asks_for_the_reason_which_is_recorded(qtbot, db, tmp_path) -> None:
    _member(db, "王五", None)
    _window, dialog = _close(qtbot, db)
    dialog.folder_edit.setText(str(tmp_path / "out"))
    assert not dialog.all_ok()
    assert dialog.override.isVisible() and not dialog.submit_button.isEnabled()
    dialog.override.setChecked(True)
    assert not dialog.submit_button.isEnabled()  # the reason is still missing
    dialog.reason.setText("王五基数待人事部门核定")
    assert dialog.submit_button.isEnabled()
    dialog.submit()
    with qtbot.waitSignal(dialog.submitted, timeout=20000) as blocker:
        pass
    assert blocker.args[0].override_reason == "王五基数待人事部门核定"
    assert "应报送的月份是 2026 年 11 月" in dialog.due_label.text()  # October is done: November is next
    dialog.reject()


def test_go_to_fix_shows_only_the_incomplete_meetings(qtbot, db) -> None:
    from db import demo
    from desktop.models.meetings import RECORD_ROLE

    demo.generate(db, members=12, seed=1, today=TODAY)
    window, dialog = _close(qtbot, db)
    dialog.set_month("2026-11")  # the theme day of 15 November is planned, not recorded
    go = dialog.checks_frame.findChild(QPushButton, "go_meetings")
    assert go is not None
    go.click()
    page = window.page("meetings")
    assert window.current_key() == "meetings" and page.tabs.currentIndex() == 0
    shown = [page.proxy.index(r, 0).data(RECORD_ROLE) for r in range(page.proxy.rowCount())]
    assert shown and all(m.status == "planned" or not m.content.strip() for m in shown)
    assert page.show_all_button.isVisible() and "月度报送" in page.only_label.text()
    page.show_all_button.click()
    assert page.proxy.rowCount() > len(shown)
    window.findChild(QPushButton, "back_to_close").click()
    assert dialog.isVisible() and dialog.month() == "2026-11"
    dialog.reject()


def test_go_to_fix_shows_only_the_projects_without_progress(qtbot, db) -> None:
    from db import demo, projects
    from desktop.models.projects import RECORD_ROLE

    demo.generate(db, members=12, seed=1, today=TODAY)
    month = "2026-10"
    named = monthly_close.check_projects(db, month=month).items
    ongoing = [p for p in projects.list_projects(db, status="ongoing") if p.start_on < date(2026, 10, 1)]
    assert len(ongoing) >= 2 and len(named) == len(ongoing)
    # one of them gets its October progress: the check then names all but that one
    projects.add_progress(
        db, project_uuid=ongoing[0].uuid, on=date(2026, 10, 20), note="完成月度巡检", today=TODAY
    )
    stale = {p.uuid for p in ongoing[1:]}
    window, dialog = _close(qtbot, db)
    dialog.set_month(month)
    go = dialog.checks_frame.findChild(QPushButton, "go_projects")
    assert go is not None
    go.click()
    page = window.page("projects")
    assert window.current_key() == "projects"
    shown = {
        page.projects_proxy.index(r, 0).data(RECORD_ROLE).uuid for r in range(page.projects_proxy.rowCount())
    }
    assert shown == stale
    assert page.only_bar.isVisible() and "月度报送" in page.only_bar.label.text()
    page.only_bar.button.click()
    assert not page.only_bar.isVisible() and page.projects_proxy.rowCount() > len(stale)
    window.findChild(QPushButton, "back_to_close").click()
    assert dialog.isVisible() and dialog.month() == month
    dialog.reject()
