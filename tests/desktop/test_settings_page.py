"""The branch profile page, driven with the keyboard on an empty database."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt

from db import branch, members
from db.rules import make_citizen_id
from desktop.context import AppContext
from desktop.models.branch import CommitteeModel, PartyGroupsModel
from desktop.pages.settings import Page

TODAY = date(2025, 6, 30)


@pytest.fixture
def page(db, qtbot, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(Page, "today", lambda self: TODAY)
    ctx = AppContext(db)
    widget = Page(ctx)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    return widget


def _type(qtbot, widget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type like a user: ASCII as key presses, Chinese as an input-method commit (as a pinyin IME delivers it).

    QTest.keyClicks aborts the process on non-ASCII characters (Qt testlib asserts in qasciikey.cpp).
    """
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    for run in re.findall(r"[\x00-\x7f]+|[^\x00-\x7f]+", text):
        if run.isascii():
            qtbot.keyClicks(widget, run)
        else:
            event = QInputMethodEvent("", [])
            event.setCommitString(run)
            QApplication.sendEvent(widget, event)


def _type_date(qtbot, edit, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type a date as after tabbing into the field: the year section is selected and each full section moves on
    to the next, so the digits alone are typed (2023-09-01 → 20230901)."""
    from PySide6.QtWidgets import QDateTimeEdit

    edit.setFocus()
    edit.setSelectedSection(QDateTimeEdit.Section.YearSection)
    qtbot.keyClicks(edit, text.replace("-", ""))


def _add_member(db, name: str, seq: int):  # type: ignore[no-untyped-def]
    return members.add_member(
        db,
        values={
            "name": name,
            "category": "full",
            "citizen_id": make_citizen_id("140402", date(1980, 1, 1), seq),
            "joined_on": date(2005, 1, 1),
            "full_on": date(2006, 1, 1),
        },
    )


def test_set_up_branch_with_keyboard(page, db, qtbot) -> None:  # type: ignore[no-untyped-def]
    assert not page.save_button.isEnabled()
    assert page.name_error.text() == "请填写支部名称"
    page.name_edit.setFocus()
    _type(qtbot, page.name_edit, "红岭煤矿综采一区党支部")
    assert page.save_button.isEnabled() and page.name_error.text() == ""
    qtbot.keyClick(page.name_edit, Qt.Key.Key_Tab)
    qtbot.keyClicks(page.code_edit, "A0101")
    qtbot.keyClick(page.code_edit, Qt.Key.Key_Tab)
    _type(qtbot, page.parent_edit, "晋北煤业公司党委")
    assert not page.term_start_edit.isEnabled()
    qtbot.keyClick(page.parent_edit, Qt.Key.Key_Tab)
    assert page.term_check.hasFocus()
    qtbot.keyClick(page.term_check, Qt.Key.Key_Space)
    assert page.term_check.isChecked() and page.term_start_edit.isEnabled()
    assert page.term_end_edit.date() == QDate(2028, 6, 30)  # today + the default term of 3 years
    _type_date(qtbot, page.term_start_edit, "2023-09-01")
    _type_date(qtbot, page.term_end_edit, "2022-09-01")
    assert page.term_start_edit.date() == QDate(2023, 9, 1)
    assert "晚于" in page.term_error.text() and not page.save_button.isEnabled()
    _type_date(qtbot, page.term_end_edit, "2025-09-01")
    assert page.term_error.text() == "" and page.save_button.isEnabled()
    assert "届满" in page.term_warning.text() and "63 天" in page.term_warning.text()
    with qtbot.waitSignal(page.ctx.changed, timeout=1000) as signal:
        qtbot.keyClick(page.parent_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert signal.args == ["branch"]
    saved = branch.get_branch(db)
    assert saved is not None
    assert (saved.name, saved.code, saved.parent_org, saved.term_start, saved.term_end) == (
        "红岭煤矿综采一区党支部",
        "A0101",
        "晋北煤业公司党委",
        date(2023, 9, 1),
        date(2025, 9, 1),
    )
    assert page.profile_status.text() == "已保存"
    # a branch setting itself up starts its records today: no reminder about the time before it (issue 16)
    assert branch.records_start(db) == TODAY


def test_term_warning_only_within_three_months(page, qtbot) -> None:  # type: ignore[no-untyped-def]
    page.term_check.setChecked(True)
    page.term_end_edit.setDate(QDate(2026, 6, 30))
    assert page.term_warning.text() == ""
    page.term_end_edit.setDate(QDate(2025, 9, 30))
    assert "92 天" in page.term_warning.text()
    page.term_end_edit.setDate(QDate(2025, 6, 1))
    assert "已于 2025-06-01 届满" in page.term_warning.text()


def test_add_party_group_and_appoint_secretary(page, db, qtbot) -> None:  # type: ignore[no-untyped-def]
    branch.save_branch(db, name="红岭煤矿综采一区党支部")
    zhang = _add_member(db, "张三", 1)
    _add_member(db, "李四", 3)
    page.ctx.notify("members")

    assert not page.add_group_button.isEnabled()
    qtbot.keyClick(page, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert page.group_name_edit.hasFocus()
    _type(qtbot, page.group_name_edit, "采煤一队")
    assert page.add_group_button.isEnabled()
    qtbot.keyClick(page.group_name_edit, Qt.Key.Key_Return)
    groups = branch.list_party_groups(db)
    assert [g.name for g in groups] == ["采煤一队"]
    assert page.groups_model.rowCount() == 1
    # The same name again is refused beside the field, with the button disabled.
    page.new_group()
    _type(qtbot, page.group_name_edit, "采煤一队")
    assert "已有名为「采煤一队」" in page.group_error.text() and not page.add_group_button.isEnabled()

    # Rename the group and choose its leader from the active members.
    page.groups_view.selectRow(0)
    page.group_name_edit.selectAll()
    _type(qtbot, page.group_name_edit, "综采一队")
    page.leader_combo.setFocus()
    page.leader_combo.lineEdit().selectAll()
    _type(qtbot, page.leader_combo.lineEdit(), "张三")
    assert page.rename_group_button.isEnabled()
    qtbot.mouseClick(page.rename_group_button, Qt.MouseButton.LeftButton)
    group = branch.list_party_groups(db)[0]
    assert (group.name, group.leader_uuid) == ("综采一队", zhang.uuid)

    # Appoint 张三 secretary.
    assert not page.appoint_button.isEnabled()
    page.member_combo.setFocus()
    _type(qtbot, page.member_combo.lineEdit(), "王")
    assert "请从列表中选择" in page.member_error.text() and not page.appoint_button.isEnabled()
    page.member_combo.lineEdit().selectAll()
    _type(qtbot, page.member_combo.lineEdit(), "张三")
    assert page.member_error.text() == "" and page.appoint_button.isEnabled()
    assert page.role_combo.currentData() == "secretary"
    page.since_edit.setDate(QDate(2023, 9, 1))
    with qtbot.waitSignal(page.ctx.changed, timeout=1000):
        qtbot.keyClick(page.appoint_button, Qt.Key.Key_Space)
    committee = branch.list_committee(db, on=TODAY)
    assert [(c.member_name, c.role, c.since) for c in committee] == [("张三", "secretary", date(2023, 9, 1))]
    assert page.committee_model.rowCount() == 1

    # End the service: kept in the record with its end date.
    page.committee_view.selectRow(0)
    page.until_edit.setDate(QDate(2025, 6, 1))
    qtbot.mouseClick(page.end_service_button, Qt.MouseButton.LeftButton)
    assert branch.list_committee(db, on=TODAY) == []
    assert branch.list_committee(db, on=date(2025, 6, 1))[0].until == date(2025, 6, 1)


def test_models_pass_the_model_tester(db, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    member = _add_member(db, "张三", 1)
    group = branch.save_party_group(db, name="机电队", leader_uuid=member.uuid)
    groups = PartyGroupsModel()
    groups.set_rows([group])
    qtmodeltester.check(groups)
    assert groups.data(groups.index(0, 1)) == "张三"
    branch.appoint_committee_member(db, member_uuid=member.uuid, role="secretary", since=date(2024, 1, 1))
    committee = CommitteeModel()
    committee.set_rows(branch.list_committee(db, on=TODAY))
    qtmodeltester.check(committee)
    assert committee.data(committee.index(0, 0)) == "书记"


def test_render_demo_branch(db, qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from db import demo

    demo.generate(db, members=40, seed=1, today=TODAY)
    monkeypatch.setattr(Page, "today", lambda self: date(2026, 7, 1))
    widget = Page(AppContext(db))
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    assert widget.groups_model.rowCount() == 5
    assert widget.name_edit.text().endswith("党支部") and "届满" in widget.term_warning.text()
    out = tmp_path / "settings.png"
    assert widget.grab().save(str(out))
    assert out.stat().st_size > 10_000


def test_readonly_database_offers_no_write(db_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    from db import store

    database = store.open(db_path, readonly=True)
    try:
        widget = Page(AppContext(database))
        qtbot.addWidget(widget)
        widget.name_edit.setText("某支部")
        widget._validate_profile()
        widget.group_name_edit.setText("机电队")
        assert not widget.save_button.isEnabled() and not widget.add_group_button.isEnabled()
    finally:
        store.close(database)


def test_hidden_page_refreshes_when_shown(db, qtbot) -> None:  # type: ignore[no-untyped-def]
    ctx = AppContext(db)
    widget = Page(ctx)
    qtbot.addWidget(widget)
    branch.save_party_group(db, name="通风队")
    ctx.notify("branch")
    assert widget.groups_model.rowCount() == 0  # hidden: the reload waits
    widget.show()
    qtbot.waitExposed(widget)
    assert widget.groups_model.rowCount() == 1
    branch.save_party_group(db, name="运输队")
    ctx.notify("branch")
    assert widget.groups_model.rowCount() == 2  # visible: at once


def test_the_term_reminder_link_puts_the_cursor_on_the_term(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from desktop.context import AppContext
    from desktop.pages.settings import Page

    branch.save_branch(db, name="测试党支部", term_start=date(2024, 1, 1), term_end=date(2027, 1, 1))
    page = Page(AppContext(db))
    qtbot.addWidget(page)
    page.show()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    page.refresh()
    page.apply_filters({"tab": "committee"})
    assert page.term_end_edit.hasFocus()


def test_record_an_approved_postponement(page, db, qtbot) -> None:  # type: ignore[no-untyped-def]
    """选举工作条例第三条: the term ended 2025-05-31; the approval (body, day, new deadline at most a year on) is recorded
    from the page and the term line names it instead of the alarm."""
    branch.save_branch(
        db,
        name="综采一区党支部",
        parent_org="某矿党委",
        term_start=date(2022, 5, 31),
        term_end=date(2025, 5, 31),
    )
    page.refresh()
    assert "请尽快组织换届选举" in page.term_warning.text()
    dialog = page.postpone_election()  # deletes itself on close
    assert not dialog.save_button.isEnabled()  # the approving body is missing
    dialog.approved_by.setText("某矿党委")
    dialog.approved_on.setDate(QDate(2025, 5, 20))
    dialog.new_deadline.setDate(QDate(2026, 6, 1))  # more than a year after the term end
    assert not dialog.save_button.isEnabled()
    assert "不超过1年" in dialog.findChild(type(dialog.error), "new_deadline_reason").text()
    dialog.new_deadline.setDate(QDate(2025, 11, 30))
    with qtbot.waitSignal(dialog.saved):
        dialog.save()
    assert "经某矿党委于 2025-05-20 批准延期换届，应于 2025-11-30 前完成换届选举" in page.term_warning.text()
