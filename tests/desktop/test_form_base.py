"""The one form base of the data-entry dialogs and the operations behind them, driven like a secretary would:
the reason beside the field, Save only when valid, no silent loss of typing, and a saved action refreshing the page
that lists the data (real widgets, real database in tmp_path)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from db import members as members_db
from db.errors import BranchDeskError
from desktop.changes import Change
from desktop.context import AppContext
from desktop.dialogs.meeting_plan import MeetingPlanDialog
from desktop.operations import OperationFailed, perform
from desktop.operations import members as members_ops


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path):  # type: ignore[no-untyped-def]
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    yield


def _type_chinese(widget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type Chinese as an input method commits it (QTest.keyClicks only handles ASCII)."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def _shown_plan_dialog(qtbot, db) -> MeetingPlanDialog:  # type: ignore[no-untyped-def]
    dialog = MeetingPlanDialog(AppContext(db), on=date(2025, 5, 20))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    dialog.topic.setFocus()
    return dialog


def test_save_is_disabled_with_the_reason_beside_the_field_until_fixed(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    dialog = _shown_plan_dialog(qtbot, db)
    reason = dialog.reasons["topic"]
    assert not dialog.save_button.isEnabled()
    assert reason.text() == "请填写议题"
    # Beside the field: the reason label sits in the same form row as the topic edit, to its right.
    assert reason.parentWidget() is dialog.topic.parentWidget()
    assert reason.geometry().left() >= dialog.topic.geometry().right()

    _type_chinese(dialog.topic, "学习煤矿安全规程")
    assert dialog.save_button.isEnabled() and reason.text() == ""
    dialog.topic.clear()  # invalid again while typing
    assert not dialog.save_button.isEnabled() and reason.text() == "请填写议题"


def test_escape_on_a_changed_form_asks_and_keeps_the_data_on_no(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    dialog = _shown_plan_dialog(qtbot, db)
    _type_chinese(dialog.topic, "学习传达上级党委会议精神")
    qtbot.keyClick(dialog.topic, Qt.Key.Key_Escape)
    box = dialog.discard_box
    assert box is not None and box.isVisible()
    assert box.text() == "放弃未保存的修改？"
    # 继续编辑: the dialog stays, with what was typed.
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    assert dialog.discard_box is None and not box.isVisible()
    assert dialog.isVisible() and dialog.topic.text() == "学习传达上级党委会议精神"

    # 取消 asks too; 放弃修改 closes without saving.
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    box = dialog.discard_box
    assert box is not None and box.isVisible()
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Discard), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and dialog.result() == dialog.DialogCode.Rejected


def test_escape_on_an_unchanged_form_closes_at_once(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    dialog = _shown_plan_dialog(qtbot, db)
    qtbot.keyClick(dialog.topic, Qt.Key.Key_Escape)
    assert dialog.discard_box is None
    assert not dialog.isVisible()

    # Typing and undoing it leaves the form as it was: it closes without asking too.
    dialog = _shown_plan_dialog(qtbot, db)
    _type_chinese(dialog.topic, "议题")
    dialog.topic.clear()
    dialog.close()
    assert dialog.discard_box is None and not dialog.isVisible()


def test_an_operation_notifies_its_typed_change_and_the_members_page_refreshes(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    from desktop.pages.members import Page

    ctx = AppContext(db)
    page = Page(ctx)
    qtbot.addWidget(page)
    assert page.model.rowCount() == 0
    changes: list[object] = []
    ctx.changed.connect(changes.append)

    member = members_ops.add_member(ctx, values={"name": "王五", "category": "full"})

    assert changes == [Change.MEMBERS] and isinstance(changes[0], Change)
    assert page.model.rowCount() == 1  # the page listed the new member without being told anything else
    assert members_db.get_member(db, uuid=member.uuid).name == "王五"


def test_an_operation_error_is_one_chinese_message_and_notifies_nothing(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    ctx = AppContext(db)
    changes: list[object] = []
    ctx.changed.connect(changes.append)

    # Refused by the data layer: its own message, nothing announced.
    with pytest.raises(BranchDeskError) as refused:
        members_ops.add_member(ctx, values={"name": "", "category": "full"})
    assert refused.value.message and "Traceback" not in refused.value.message

    # Anything unexpected: one generic Chinese sentence, never the exception's text.
    def broken(_db, **_values):  # type: ignore[no-untyped-def]
        raise RuntimeError("internal detail")

    with pytest.raises(OperationFailed) as failed:
        perform(ctx, (Change.MEMBERS,), broken)
    assert "意外错误" in failed.value.message and "internal detail" not in failed.value.message
    assert changes == []
