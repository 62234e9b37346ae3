"""The 统计年报 page driven as a user would: pick the year, click a figure, see the people, jump to one; a broken
balance listed with its person; export; mark final."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from db import demo, members
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
    _refresh(qtbot, p)
    return p


def _refresh(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    """The page computes in the background: wait for the report to be shown."""
    with qtbot.waitSignal(page.computed, timeout=60000):
        page.refresh()


def _click(qtbot, page, row: int, column: int) -> None:  # type: ignore[no-untyped-def]
    rect = page.grid.visualItemRect(page.grid.item(row, column))
    qtbot.mouseClick(page.grid.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_click_a_figure_to_see_the_people_and_jump_to_one(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    assert page.year.value() == 2025 and "平衡" in page.balance.text()
    assert page.tables.item(0).text() == "表1 党员数量变化情况"
    headers = [
        page.grid.horizontalHeaderItem(c).text().replace("\n", "") for c in range(page.grid.columnCount())
    ]
    column = headers.index("死亡")
    assert page.grid.item(0, column).text() == "2"
    page.grid.scrollToItem(page.grid.item(0, column))
    _click(qtbot, page, 0, column)
    assert page.people.count() == 2 and "死亡：2 人" in page.people_title.text()
    name = page.people.item(0).text()
    dead = [m for m in members.list_members(page.ctx.db, status=None) if m.name == name]
    assert dead and dead[0].status == "removed" and "去世" in dead[0].status_reason
    asked: list[tuple[str, dict]] = []
    page.ctx.navigate_requested.connect(lambda key, filters: asked.append((key, filters)))
    page.people.setCurrentRow(0)
    qtbot.mouseClick(page.open_member, Qt.MouseButton.LeftButton)
    assert asked == [("members", {"query": name, "status": None})]
    # another table: the structure of the roster, its total equals the balance's 实有数
    page.tables.setCurrentRow(1)
    _click(qtbot, page, 0, 0)
    assert page.people.count() == page.report.balance.actual


def test_a_difference_is_listed_with_its_person_and_final_needs_an_explanation(
    qtbot, page, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from desktop.qt import QInputDialog

    someone = next(m for m in members.list_members(page.ctx.db) if m.joined_on and m.joined_on.year < 2020)
    members.archive_member(
        page.ctx.db, uuid=someone.uuid, status="removed", on=date(2025, 9, 1), reason="名册整理"
    )
    _refresh(qtbot, page)
    assert "不平衡，差 -1 人" in page.balance.text()
    texts = [page.differences.item(i).text() for i in range(page.differences.count())]
    assert any(t.startswith(f"差异：{someone.name}：") and "已减员" in t for t in texts)
    assert page.export_to(tmp_path / "r.xlsx")
    notes = {r[0].value: r[1].value for r in openpyxl.load_workbook(tmp_path / "r.xlsx")["说明"].iter_rows()}
    assert notes["平衡校核"] == "不平衡"
    monkeypatch.setattr(
        QInputDialog, "getMultiLineText", lambda *a, **k: ("名册整理时误减，已报上级核实", True)
    )
    with qtbot.waitSignal(page.computed, timeout=60000):
        qtbot.mouseClick(page.final_button, Qt.MouseButton.LeftButton)
    assert "已定稿" in page.balance.text() and not page.final_button.isEnabled()


def test_the_reason_given_in_the_dialog_closes_the_balance(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    from desktop.dialogs.statistics_change_dialog import ChangeReasonDialog

    someone = next(m for m in members.list_members(page.ctx.db) if m.joined_on and m.joined_on.year < 2020)
    members.archive_member(
        page.ctx.db, uuid=someone.uuid, status="removed", on=date(2025, 9, 1), reason="去世"
    )
    _refresh(qtbot, page)
    assert not page.report.balance.closes
    dialog = ChangeReasonDialog(page.ctx, page, member_uuid=someone.uuid, on=date(2025, 9, 1), today=TODAY)
    qtbot.addWidget(dialog)
    assert not dialog.save_button.isEnabled()  # no basis yet
    assert dialog.findChild(QLabel, "note_reason").text() == "请填写依据（如：上级党委批复文号）"
    dialog.reason.setCurrentIndex(dialog.reason.findData("left_party"))
    assert dialog.detail.isEnabled() and dialog.detail.findText("开除党籍") > 0
    dialog.reason.setCurrentIndex(dialog.reason.findData("deceased"))
    assert not dialog.detail.isEnabled()
    dialog.note.setText("家属告知，社区出具证明")
    assert dialog.save_button.isEnabled()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    _refresh(qtbot, page)
    assert page.report.balance.closes and "平衡" in page.balance.text()


def test_an_export_that_cannot_be_written_says_why_in_chinese(
    qtbot, page, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """A folder that is gone (the USB stick pulled out): the message names the file chosen and the reason in
    Chinese (it showed the system's English "No such file or directory")."""
    from desktop.qt import QMessageBox

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *a: shown.append(text))
    out = tmp_path / "U盘" / "年报.xlsx"
    assert not page.export_to(out)
    assert len(shown) == 1 and f"「{out}」" in shown[0] and "文件夹不存在" in shown[0], shown
    assert not list(tmp_path.rglob("*.xlsx*"))


def test_the_year_picker_stops_at_the_current_year(page) -> None:  # type: ignore[no-untyped-def]
    """A year not begun computed today's roster as its figures and offered to save and mark it final."""
    page.year.setValue(TODAY.year + 3)
    assert page.year.value() == TODAY.year
