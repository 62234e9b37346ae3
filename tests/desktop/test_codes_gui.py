"""Coded member data and 学时 in the GUI (issue 19), driven with qtbot offscreen: the completeness list opened from
the home page's reminder, the member form's dropdowns, the 学时 column, ledger and entry form, and the meeting
form's 学时."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from db import audit, branch, completeness, meetings, reminders, training
from db import members as members_db
from desktop.context import AppContext
from desktop.dialogs.completeness_dialog import COLUMNS, CompletenessDialog
from desktop.dialogs.meeting_plan import MeetingPlanDialog
from desktop.dialogs.member_dialog import MemberDialog
from desktop.dialogs.training_dialog import TrainingEntryDialog, TrainingLedgerDialog
from desktop.models.members import COLUMN_KEYS
from desktop.pages.members import Page
from desktop.widgets.codes import CodeCombo

pytestmark = pytest.mark.usefixtures("isolated_settings")


def _add(db, name: str, **values):  # type: ignore[no-untyped-def]
    return members_db.add_member(db, values={"name": name, "category": "full", **values})


def _page(qtbot, db) -> Page:  # type: ignore[no-untyped-def]
    page = Page(AppContext(db))
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    qtbot.waitExposed(page)
    return page


def _choose(qtbot, dialog: CompletenessDialog, row: int, key: str, value: object) -> None:  # type: ignore[no-untyped-def]
    """Click a code cell (its dropdown opens at once) and pick ``value`` as the secretary would."""
    table = dialog.table
    index = table.model().index(row, COLUMNS.index(key))
    rect = table.visualRect(index)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    def editor() -> CodeCombo | None:
        found = [
            c for c in table.viewport().findChildren(CodeCombo) if c.isVisible() and c.findData(value) >= 0
        ]
        return found[0] if len(found) == 1 else None

    qtbot.waitUntil(lambda: editor() is not None)
    combo = editor()
    assert combo is not None
    i = combo.findData(value)
    combo.setCurrentIndex(i)
    combo.activated.emit(i)  # the user's pick in the popup


def test_the_completeness_list_opens_from_the_reminder_and_saves_each_pick(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    _add(db, "甲", education="本科", job="退休", front_line=False)
    yi = _add(db, "乙", education="大学", job="班组长")
    bing = _add(db, "丙", education="大专", job="采煤工")
    (r,) = [r for r in reminders.gather(db, today=date(2026, 5, 1)) if r.kind == "codes_incomplete"]
    page = _page(qtbot, db)
    assert page.codes_button.text() == "统计信息补全（2）"
    page.apply_filters(dict(r.filters))  # what a click on the home page's reminder does
    dialog = page.dialog
    assert isinstance(dialog, CompletenessDialog) and dialog.isVisible()
    qtbot.waitExposed(dialog)
    names = [dialog.model.member(i).name for i in range(dialog.model.rowCount())]
    assert sorted(names) == ["丙", "乙"] and dialog.count_label.text() == "还有 2 人未填全"
    row = names.index("乙")
    state = dialog.model.index(row, COLUMNS.index("state"))
    assert state.data() == "缺：学历分类、工作岗位代码、生产工作第一线"
    # a missing cell is marked
    assert (
        dialog.model.index(row, COLUMNS.index("post_code")).data(Qt.ItemDataRole.BackgroundRole) is not None
    )

    _choose(qtbot, dialog, row, "post_code", "016")
    qtbot.waitUntil(lambda: members_db.get_member(db, uuid=yi.uuid).post_code == "016")
    assert state.data() == "缺：学历分类、生产工作第一线"
    _choose(qtbot, dialog, row, "education_class", "bachelor")
    _choose(qtbot, dialog, row, "front_line", True)
    qtbot.waitUntil(lambda: state.data() == "已补全")
    saved = members_db.get_member(db, uuid=yi.uuid)
    assert (saved.post_code, saved.education_class, saved.front_line) == ("016", "bachelor", True)
    # each pick was its own audited change
    assert [e.field for e in audit.history(db, entity_uuid=yi.uuid) if e.action == "update"] == [
        "post_code",
        "education_class",
        "front_line",
    ]
    assert dialog.count_label.text() == "还有 1 人未填全"
    assert completeness.count_incomplete(db) == 1 and bing.uuid in {
        i.member.uuid for i in completeness.incomplete_members(db)
    }
    dialog.close()
    QApplication.processEvents()
    assert page.codes_button.text() == "统计信息补全（1）"


def test_the_completeness_list_asks_the_situation_of_a_member_out_of_contact(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    coded = {"post_code": "016", "education_class": "bachelor", "front_line": False}
    lost = _add(db, "戊", lost_contact=True, lost_contact_on=date(2025, 3, 1), **coded)
    _add(db, "庚", education="大学", job="班组长")  # in contact, codes missing
    page = _page(qtbot, db)
    page.apply_filters({"view": "codes"})
    dialog = page.dialog
    assert isinstance(dialog, CompletenessDialog)
    qtbot.waitExposed(dialog)
    names = [dialog.model.member(i).name for i in range(dialog.model.rowCount())]
    assert sorted(names) == ["庚", "戊"]
    row, other = names.index("戊"), names.index("庚")
    situation = COLUMNS.index("lost_contact_situation")
    state = dialog.model.index(row, COLUMNS.index("state"))
    assert state.data() == "缺：失联情形"
    assert dialog.model.index(row, situation).data(Qt.ItemDataRole.BackgroundRole) is not None
    # a member in contact has no situation to give: the cell is neither marked nor editable
    assert dialog.model.index(other, situation).data(Qt.ItemDataRole.BackgroundRole) is None
    assert not dialog.model.flags(dialog.model.index(other, situation)) & Qt.ItemFlag.ItemIsEditable

    _choose(qtbot, dialog, row, "lost_contact_situation", "abroad")
    qtbot.waitUntil(lambda: members_db.get_member(db, uuid=lost.uuid).lost_contact_situation == "abroad")
    qtbot.waitUntil(lambda: state.data() == "已补全")
    assert dialog.model.index(row, situation).data() == "出国（境）"
    assert dialog.count_label.text() == "还有 1 人未填全"
    assert [e.field for e in audit.history(db, entity_uuid=lost.uuid) if e.action == "update"] == [
        "lost_contact_situation"
    ]
    dialog.close()


def test_the_member_form_codes_follow_the_text_and_save(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    dialog = MemberDialog(AppContext(db), None, today=date(2026, 6, 30))
    qtbot.addWidget(dialog)
    dialog.name.setText("张三")
    dialog.category.setCurrentIndex(dialog.category.findData("probationary"))
    dialog.joined_on.set_date(date(2026, 3, 1))
    dialog.education.setCurrentText("硕士研究生")
    assert dialog.education_class.value() == "graduate"  # follows the text
    dialog.education_class.setCurrentIndex(dialog.education_class.findData("bachelor"))
    dialog.education_class.activated.emit(dialog.education_class.currentIndex())  # chosen by hand
    dialog.education.setCurrentText("博士")
    assert dialog.education_class.value() == "bachelor"  # a hand-picked class stays
    dialog.post_code.set_value("015")
    dialog.tech_title.set_value("intermediate")
    dialog.front_line.set_value(False)
    # the 工作岗位 dropdown's group headings cannot be chosen
    heading = dialog.post_code.findData("group:01")
    assert heading >= 0 and not dialog.post_code.model().item(heading).isEnabled()
    assert dialog.save()
    m = members_db.list_members(db)[0]
    assert (m.education_class, m.post_code, m.tech_title, m.front_line) == (
        "bachelor",
        "015",
        "intermediate",
        False,
    )


def test_hours_column_ledger_and_entry_form(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    today = date.today()
    a = _add(db, "甲", joined_on=date(2015, 6, 1), full_on=date(2016, 6, 1))
    b = _add(db, "乙", joined_on=date(2015, 6, 1), full_on=date(2016, 6, 1))
    training.add_training(db, member_uuid=a.uuid, on=date(today.year, 1, 1), hours=40, title="党校轮训")
    page = _page(qtbot, db)
    col = COLUMN_KEYS.index("hours")
    rows = {page.model.member(r).name: r for r in range(page.model.rowCount())}
    assert (
        page.model.index(rows["甲"], col).data() == "40" and page.model.index(rows["乙"], col).data() == "0"
    )
    assert page.model.index(rows["乙"], col).data(Qt.ItemDataRole.ToolTipRole) == "本年 0 学时，目标 32 学时"
    page.apply_filters({"training_short": today.year})  # the reminder's link: only those below target
    assert [m.name for m in page.visible_members()] == ["乙"] and "本年学时未达标" in page.count_label.text()

    page.select_member(b.uuid)
    ledger = page.open_training()
    assert isinstance(ledger, TrainingLedgerDialog)
    qtbot.waitExposed(ledger)
    assert ledger.summary.text() == "合计 0 学时，目标 32 学时，还差 32 学时"
    entry = ledger.add_entry()
    assert isinstance(entry, TrainingEntryDialog)
    assert not entry.save_button.isEnabled()  # no title, no hours yet
    entry.days.setValue(4)  # 4 days of full-time training × 8
    entry.title.setText("集团公司党校党员轮训")
    entry.source.setText("集团公司党校")
    assert entry.hours.value() == 32 and entry.save_button.isEnabled()
    assert entry.save() is not None
    qtbot.waitUntil(lambda: ledger.table.rowCount() == 1)
    assert ledger.summary.text() == "合计 32 学时，目标 32 学时，已达标"
    ledger.table.selectRow(0)
    assert ledger.void_selected(reason="重复登记")
    assert ledger.table.rowCount() == 0 and training.hours_by_member(db, year=today.year).get(b.uuid) is None
    # the page followed the change: 乙 is short again
    assert page.model.index(page.model.row_of(b.uuid), col).data() == "0"


def test_the_meeting_form_records_its_hours(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    branch.save_branch(db, name="综采一队党支部")
    _add(db, "甲", joined_on=date(2015, 6, 1), full_on=date(2016, 6, 1))
    dialog = MeetingPlanDialog(AppContext(db), kind="party_lecture", on=date(2026, 5, 10))
    qtbot.addWidget(dialog)
    assert dialog.study_hours.value() == 4  # 党课's default
    dialog.kind.setCurrentIndex(dialog.kind.findData("theme_day"))
    assert dialog.study_hours.value() == 2  # follows the kind until set by hand
    dialog.topic.setText("学习党的二十大精神")
    assert dialog.save() is not None
    (m,) = meetings.list_meetings(db)
    assert m.study_hours is None  # the kind's default: it follows the setting
    edit = MeetingPlanDialog(AppContext(db), meeting_uuid=m.uuid)
    qtbot.addWidget(edit)
    edit.study_hours.setValue(3)
    assert edit.save() is not None
    assert meetings.get_meeting(db, uuid=m.uuid).study_hours == 3


def test_the_home_page_figure_opens_the_completeness_list(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    from desktop.main_window import MainWindow

    branch.save_branch(db, name="综采一队党支部")
    _add(db, "乙", education="大学", job="班组长")
    window = MainWindow(AppContext(db))
    qtbot.addWidget(window)
    window.show()
    home = window.show_page("home")
    assert home.tiles["codes_incomplete"].value == 1
    home.tile_buttons["codes_incomplete"].click()
    roster = window.page("members")
    qtbot.waitUntil(lambda: isinstance(roster.dialog, CompletenessDialog) and roster.dialog.isVisible())
    assert roster.dialog.model.rowCount() == 1


def test_the_development_form_carries_the_codes_to_the_record(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    from db import development as dev_db
    from desktop.dialogs.development_person import PersonDialog

    dialog = PersonDialog(AppContext(db), None, today=date(2025, 6, 30))
    qtbot.addWidget(dialog)
    dialog.name.setText("孙小明")
    dialog.applied_on.setDate(date(2025, 1, 9))
    dialog.education.setCurrentText("大专")
    assert dialog.education_class.value() == "junior_college"
    dialog.post_code.set_value("016")
    dialog.front_line.set_value(True)
    dialog.league_recommended.setChecked(True)
    assert dialog.save_button.isEnabled()
    assert dialog.save() is not None
    (person,) = dev_db.list_people(db)
    assert (person.education_class, person.post_code, person.front_line, person.league_recommended) == (
        "junior_college",
        "016",
        True,
        True,
    )


def test_a_training_list_is_previewed_then_imported(qtbot, db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import Workbook

    from desktop.dialogs.training_dialog import TrainingImportDialog, open_training_import

    a = _add(db, "甲", joined_on=date(2015, 6, 1), full_on=date(2016, 6, 1))
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "培训日期", "学时", "培训内容", "举办单位"])
    ws.append(["甲", date(2025, 5, 6), 8, "党员轮训", "集团公司党校"])
    ws.append(["无此人", date(2025, 5, 6), 8, "党员轮训", ""])
    ws.append(["合计", None, 16, None, None])
    wb.save(tmp_path / "学时.xlsx")
    page = _page(qtbot, db)
    dialog = open_training_import(page, page.ctx, tmp_path / "学时.xlsx")
    assert isinstance(dialog, TrainingImportDialog)
    qtbot.waitExposed(dialog)
    assert dialog.table.rowCount() == 3 and dialog.table.item(1, 5).text() == "有错误"
    assert dialog.table.item(2, 5).text() == "忽略"
    summary = dialog.findChild(QLabel, "summary").text()
    assert "可导入 1 条" in summary and "有错误 1 条" in summary and "忽略 1 行" in summary
    assert "在册党员中没有「无此人」" in dialog.table.item(1, 6).text()
    assert dialog.apply_button.text() == "导入 1 条"
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert dialog.applied == 1
    assert training.hours_by_member(db, year=2025) == {a.uuid: 8.0}
