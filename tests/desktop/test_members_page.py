"""The roster page, its model and the member dialog, driven through qtbot like a secretary would."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from db import members as members_db
from db import transfers
from db.rules import make_citizen_id
from desktop.context import AppContext
from desktop.dialogs.archive_dialog import ArchiveDialog
from desktop.dialogs.member_dialog import MemberDialog
from desktop.models.members import COLUMN_KEYS, MembersModel
from desktop.pages.members import Page

CID_ZHANG = make_citizen_id("110105", date(1985, 3, 7), 123)  # male
CID_LI = make_citizen_id("140202", date(1990, 6, 1), 242)  # female


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path):  # type: ignore[no-untyped-def]
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    yield


def _page(qtbot, db) -> Page:  # type: ignore[no-untyped-def]
    page = Page(AppContext(db))
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    qtbot.waitExposed(page)
    _activate(qtbot, page)
    return page


def _activate(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Shortcuts (Ctrl+N, Ctrl+S, …) only reach the active window, as on a desktop."""
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def _type_chinese(qtbot, widget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Chinese arrives through the input method, not key codes (QTest cannot type non-ASCII keys)."""
    from PySide6.QtGui import QInputMethodEvent

    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def _seed(db) -> None:  # type: ignore[no-untyped-def]
    members_db.add_member(
        db,
        values={
            "name": "张三",
            "category": "full",
            "citizen_id": CID_ZHANG,
            "mobile": "13812345678",
            "joined_on": date(2010, 7, 1),
            "full_on": date(2011, 7, 1),
        },
    )
    members_db.add_member(
        db, values={"name": "李四", "category": "probationary", "citizen_id": CID_LI, "mobile": "13900001111"}
    )
    members_db.add_member(db, values={"name": "王五", "category": "full"})


def test_add_member_with_the_keyboard(qtbot, db) -> None:
    page = _page(qtbot, db)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = page.dialog
    assert isinstance(dialog, MemberDialog)
    assert not dialog.save_button.isEnabled()  # no name yet
    _type_chinese(qtbot, dialog.name, "张三")
    qtbot.keyClicks(dialog.citizen_id, CID_ZHANG)
    # a valid ID fills birth date and gender
    assert dialog.birth_date.date() == date(1985, 3, 7)
    assert dialog.gender.currentData() == "male"
    qtbot.keyClicks(dialog.mobile, "138 1234 5678")
    qtbot.keyClick(dialog.category, Qt.Key.Key_Down)  # 正式党员 → 预备党员
    assert dialog.category.currentData() == "probationary"
    # a 预备党员 needs the date of joining (issue 16: it used to save without one)
    assert "加入党组织日期" in dialog.message("joined_on") and not dialog.save_button.isEnabled()
    dialog.joined_on.set_date(date(2024, 7, 1))
    assert dialog.save_button.isEnabled(), [p.message for p in dialog.current_problems]
    _activate(qtbot, dialog)
    with qtbot.waitSignal(dialog.saved):
        qtbot.keyClick(dialog.mobile, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    [member] = members_db.list_members(db)
    assert (member.name, member.citizen_id, member.mobile, member.category, member.birth_date) == (
        "张三",
        CID_ZHANG,
        "13812345678",
        "probationary",
        date(1985, 3, 7),
    )
    assert [m.name for m in page.visible_members()] == ["张三"]
    # masked in the table unless revealed
    col = COLUMN_KEYS.index("citizen_id")
    assert page.proxy.index(0, col).data() == "110105********" + CID_ZHANG[-4:]
    page.reveal.setChecked(True)
    assert page.proxy.index(0, col).data() == CID_ZHANG


def test_bad_check_digit_is_explained_and_save_disabled(qtbot, db) -> None:
    page = _page(qtbot, db)
    page.new_member()
    dialog = page.dialog
    _type_chinese(qtbot, dialog.name, "张三")
    # a 正式党员 needs both dates (issue 16: it used to save without them)
    assert not dialog.save_button.isEnabled()
    dialog.joined_on.set_date(date(2010, 7, 1))
    dialog.full_on.set_date(date(2011, 7, 1))
    assert dialog.save_button.isEnabled()
    wrong = CID_ZHANG[:-1] + ("0" if CID_ZHANG[-1] != "0" else "1")
    qtbot.keyClicks(dialog.citizen_id, wrong)
    assert "校验位" in dialog.message("citizen_id")
    assert dialog.messages["citizen_id"].isVisible()
    assert not dialog.save_button.isEnabled()
    assert dialog.save() is False
    assert members_db.list_members(db) == []
    dialog.citizen_id.clear()
    qtbot.keyClicks(dialog.citizen_id, CID_ZHANG)
    assert dialog.message("citizen_id") == ""
    assert dialog.save_button.isEnabled()


def test_duplicate_id_names_the_member(qtbot, db) -> None:
    _seed(db)
    page = _page(qtbot, db)
    page.new_member()
    dialog = page.dialog
    _type_chinese(qtbot, dialog.name, "赵六")
    qtbot.keyClicks(dialog.citizen_id, CID_ZHANG)
    assert "张三" in dialog.message("citizen_id")
    assert not dialog.save_button.isEnabled()


def test_search_by_pinyin_initials_and_digits(qtbot, db) -> None:
    _seed(db)
    page = _page(qtbot, db)
    assert len(page.visible_members()) == 3
    qtbot.keyClick(page.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.search.hasFocus()
    qtbot.keyClicks(page.search, "zs")
    assert [m.name for m in page.visible_members()] == ["张三"]
    page.search.clear()
    qtbot.keyClicks(page.search, "1111")
    assert [m.name for m in page.visible_members()] == ["李四"]
    page.search.clear()
    assert len(page.visible_members()) == 3


def test_filters_by_category(qtbot, db) -> None:
    _seed(db)
    page = _page(qtbot, db)
    page.category.setCurrentIndex(page.category.findData("probationary"))
    assert [m.name for m in page.visible_members()] == ["李四"]


def test_archive_moves_member_out_of_active_view_and_back(qtbot, db) -> None:
    _seed(db)
    zhang = members_db.list_members(db, query="张三")[0]
    # away as a 流动党员: leaving the roster ends the 外出 period too
    transfers.start_mobile(
        db, member_uuid=zhang.uuid, province="山西省", reason="外派", started_on=date(2025, 6, 1)
    )
    page = _page(qtbot, db)
    page.select_member(zhang.uuid)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    dialog = page.dialog
    assert isinstance(dialog, ArchiveDialog)
    assert not dialog.ok_button.isEnabled()  # a reason is required
    _type_chinese(qtbot, dialog.reason, "组织关系转至机关第二党支部")
    with qtbot.waitSignal(dialog.saved):
        dialog.ok_button.click()
    assert "张三" not in [m.name for m in page.visible_members()]
    assert members_db.get_member(db, uuid=zhang.uuid).status == "transferred_out"
    (period,) = transfers.list_mobile_periods(db, member_uuid=zhang.uuid)
    assert period.ended_on == date.today() and period.end_reason == "已转出：组织关系转至机关第二党支部"
    page.status.setCurrentIndex(page.status.findData("archived"))
    assert [m.name for m in page.visible_members()] == ["张三"]
    # restore from the archived view
    page.select_member(zhang.uuid)
    page.archive_current()
    restore = page.dialog
    assert isinstance(restore, ArchiveDialog) and restore.restoring
    _type_chinese(qtbot, restore.reason, "误操作")
    restore.save()
    assert members_db.get_member(db, uuid=zhang.uuid).status == "active"
    history = MemberDialog(page.ctx, members_db.get_member(db, uuid=zhang.uuid))
    qtbot.addWidget(history)
    cells = [history.history.item(r, 4).text() for r in range(history.history.rowCount())]
    assert any(c.startswith("已转出：组织关系转至") for c in cells), cells


def test_edit_records_history(qtbot, db) -> None:
    _seed(db)
    page = _page(qtbot, db)
    zhang = members_db.list_members(db, query="张三")[0]
    page.select_member(zhang.uuid)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    dialog = page.dialog
    assert isinstance(dialog, MemberDialog) and dialog.member.uuid == zhang.uuid
    # numbers open masked (issue 16); 显示号码 shows them for editing
    assert dialog.mobile.text() == "138****5678" and dialog.mobile.isReadOnly()
    assert dialog.reveal()
    dialog.mobile.clear()
    qtbot.keyClicks(dialog.mobile, "13700002222")
    assert dialog.save()
    again = MemberDialog(page.ctx, members_db.get_member(db, uuid=zhang.uuid))
    qtbot.addWidget(again)
    cells = [again.history.item(r, c).text() for r in range(again.history.rowCount()) for c in range(5)]
    assert any("手机号" in c for c in cells)
    assert "137****2222" in cells and "138****5678" in cells
    assert "13700002222" not in cells


def test_export_current_view(qtbot, db, tmp_path) -> None:
    from python_calamine import CalamineWorkbook

    _seed(db)
    page = _page(qtbot, db)
    qtbot.keyClicks(page.search, "zs")
    task = page.export_xlsx(tmp_path / "out.xlsx")
    with qtbot.waitSignal(task.finished, timeout=10000):
        pass
    rows = CalamineWorkbook.from_path(str(tmp_path / "out.xlsx")).get_sheet_by_index(0).to_python()
    assert [r[1] for r in rows[1:]] == ["张三"]


def test_model_passes_qtmodeltester(qtmodeltester, db) -> None:
    _seed(db)
    model = MembersModel()
    model.set_members(members_db.list_members(db))
    qtmodeltester.check(model)
    model.set_reveal(True)
    qtmodeltester.check(model)


def test_print_preview_opens_on_ctrl_p(qtbot, db) -> None:
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    _seed(db)
    page = _page(qtbot, db)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(page.dialog, QPrintPreviewDialog)
    page.dialog.close()


def test_column_widths_are_remembered(qtbot, db) -> None:
    page = _page(qtbot, db)
    page.table.horizontalHeader().resizeSection(0, 211)
    page._save_columns()
    again = _page(qtbot, db)
    assert again.table.horizontalHeader().sectionSize(0) == 211
