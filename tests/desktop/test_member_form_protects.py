"""The member form protects the secretary (issue 16): it asks for what the category needs, the saved member is
shown and selected in the roster, numbers open masked and revealing them is audited, and Ctrl+N in 党小组 keeps
what was typed."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QMainWindow

from db import audit, branch
from db import members as members_db
from db.rules import make_citizen_id
from desktop.context import AppContext
from desktop.dialogs.member_dialog import MemberDialog
from desktop.pages.members import Page

CID = make_citizen_id("110105", date(1985, 3, 7), 123)


pytestmark = pytest.mark.usefixtures("isolated_settings")


def _type_chinese(widget, text: str) -> None:  # type: ignore[no-untyped-def]
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def _roster(qtbot, db) -> tuple[QMainWindow, Page]:  # type: ignore[no-untyped-def]
    window = QMainWindow()
    page = Page(AppContext(db))
    window.setCentralWidget(page)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    return window, page


def test_a_full_member_needs_both_dates_and_a_group_chosen_on_purpose(qtbot, db) -> None:
    branch.save_party_group(db, name="第一党小组")
    dialog = MemberDialog(AppContext(db), None, today=date(2025, 6, 30))
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.reveal_button.isVisible()  # nothing is masked in a new form
    _type_chinese(dialog.name, "张三")
    assert dialog.category.currentData() == "full"
    assert "加入党组织日期" in dialog.message("joined_on")
    assert "\n" not in dialog.message("joined_on")  # said once, not again as an "incomplete record" warning
    assert "转为正式党员日期" in dialog.message("full_on")
    assert "未分组" in dialog.message("party_group")
    assert not dialog.save_button.isEnabled()
    dialog.joined_on.set_date(date(2010, 7, 1))
    dialog.full_on.set_date(date(2011, 7, 1))
    assert dialog.message("joined_on") == dialog.message("full_on") == ""
    assert not dialog.save_button.isEnabled()  # the group is still 请选择
    dialog.party_group.setCurrentIndex(dialog.party_group.findText("（未分组）"))
    assert dialog.message("party_group") == "" and dialog.save_button.isEnabled()
    assert dialog.save()
    [saved] = members_db.list_members(db)
    assert saved.party_group_uuid is None and saved.full_on == date(2011, 7, 1)


def test_a_probationary_member_needs_the_joining_date_but_no_full_date(qtbot, db) -> None:
    dialog = MemberDialog(AppContext(db), None, today=date(2025, 6, 30))
    qtbot.addWidget(dialog)
    _type_chinese(dialog.name, "李四")
    dialog.category.setCurrentIndex(dialog.category.findData("probationary"))
    assert "加入党组织日期" in dialog.message("joined_on") and dialog.message("full_on") == ""
    assert not dialog.save_button.isEnabled()
    dialog.joined_on.set_date(date(2025, 1, 1))
    assert dialog.save_button.isEnabled()


def test_the_saved_member_is_shown_and_selected_even_behind_a_filter(qtbot, db) -> None:
    members_db.add_member(
        db, values={"name": "王五", "category": "probationary", "joined_on": date(2025, 1, 1)}
    )
    window, page = _roster(qtbot, db)
    page.category.setCurrentIndex(page.category.findData("probationary"))
    page.search.setText("ww")
    assert [m.name for m in page.visible_members()] == ["王五"]
    page.new_member()
    dialog = page.dialog
    assert isinstance(dialog, MemberDialog)
    _type_chinese(dialog.name, "张三")
    dialog.category.setCurrentIndex(dialog.category.findData("full"))
    dialog.joined_on.set_date(date(2010, 7, 1))
    dialog.full_on.set_date(date(2011, 7, 1))
    assert dialog.save()
    # the filters would hide 张三: they are cleared and he is the selected row
    assert page.search.text() == "" and page.category.currentData() is None
    assert {m.name for m in page.visible_members()} == {"张三", "王五"}
    current = page.current_member()
    assert current is not None and current.name == "张三"
    assert window.statusBar().currentMessage() == "已保存党员 张三"

    # an edit that keeps the member in view leaves the filters as they are
    page.category.setCurrentIndex(page.category.findData("full"))
    page.select_member(current.uuid)
    page.open_current()
    edit = page.dialog
    assert isinstance(edit, MemberDialog)
    edit.job.setText("采煤工")
    assert edit.save()
    assert page.category.currentData() == "full"
    assert page.current_member().job == "采煤工"  # type: ignore[union-attr]
    assert window.statusBar().currentMessage() == "已保存党员 张三"


def test_opening_a_member_masks_the_numbers_until_revealed_and_revealing_is_audited(qtbot, db) -> None:
    zhang = members_db.add_member(
        db,
        values={
            "name": "张三",
            "category": "full",
            "citizen_id": CID,
            "mobile": "13812345678",
            "joined_on": date(2010, 7, 1),
            "full_on": date(2011, 7, 1),
        },
    )
    _window, page = _roster(qtbot, db)
    page.select_member(zhang.uuid)
    page.open_current()
    dialog = page.dialog
    assert isinstance(dialog, MemberDialog)
    assert dialog.citizen_id.text() == "110105********" + CID[-4:]
    assert dialog.mobile.text() == "138****5678"
    assert dialog.citizen_id.isReadOnly() and dialog.reveal_button.isVisible()
    assert audit.list_entries(db, action="reveal") == []
    # saving while masked keeps the real numbers
    dialog.job.setText("采煤工")
    assert dialog.save()
    kept = members_db.get_member(db, uuid=zhang.uuid)
    assert (kept.citizen_id, kept.mobile, kept.job) == (CID, "13812345678", "采煤工")

    page.open_current()
    dialog = page.dialog
    qtbot.mouseClick(dialog.reveal_button, Qt.MouseButton.LeftButton)
    assert dialog.citizen_id.text() == CID and not dialog.citizen_id.isReadOnly()
    assert not dialog.reveal_button.isVisible()
    assert not dialog.is_changed()  # revealing is not an edit: Esc closes without asking
    [entry] = audit.list_entries(db, action="reveal")
    assert entry.new == "党员信息：1 人"
    dialog.reject()

    # revealed in the list (audited there): the member opens revealed
    page.reveal.setChecked(True)
    page.open_current()
    assert page.dialog.citizen_id.text() == CID  # type: ignore[union-attr]
    assert len(audit.list_entries(db, action="reveal")) == 2


def test_ctrl_n_in_party_groups_keeps_the_typed_name(qtbot, db) -> None:
    from desktop.pages.settings import Page as SettingsPage

    page = SettingsPage(AppContext(db))
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    _type_chinese(page.group_name_edit, "采煤一队")
    page.new_group()
    assert page.group_name_edit.text() == "采煤一队"
    page.add_group()
    assert [g.name for g in branch.list_party_groups(db)] == ["采煤一队"]
    # with the saved group selected, Ctrl+N starts an empty name
    page.new_group()
    assert page.group_name_edit.text() == ""
