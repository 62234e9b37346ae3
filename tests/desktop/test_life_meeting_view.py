"""The 组织生活会's preparation view, driven through its widgets: from the meeting on the meetings page to the
opinions, the talk pairs (a missing pair highlighted and recorded through the talk form), the 对照检查材料, the
批评与自我批评, the 整改清单 (an item appears on the 检查整改 page; closing it there shows back here) and the report."""

from __future__ import annotations

import shutil
from datetime import date, datetime

import pytest
from PySide6.QtCore import Qt

from db import branch, lifemeeting, meetings, projects
from db.meetings import AttendanceEntry
from desktop.context import AppContext
from desktop.dialogs.life_meeting import MISSING_COLOR
from desktop.operations import projects as projects_ops
from tests.db.meetings_helpers import make_roster
from tests.desktop.test_meetings_page import type_chinese
from tests.desktop.test_printed_tables import page_texts

TODAY = date(2026, 12, 20)


@pytest.fixture
def view(qtbot, db):  # type: ignore[no-untyped-def]
    from desktop.pages.meetings import Page

    branch.save_branch(db, name="综采一队党支部")
    roster = make_roster(db, full=5, probationary=1, committee=3)
    m = meetings.plan_meeting(
        db, kind="life_meeting", planned_on=date(2026, 12, 10), topic="2026年度组织生活会", place="会议室"
    )
    att = meetings.list_attendance(db, meeting_uuid=m.uuid)
    meetings.hold_meeting(
        db,
        uuid=m.uuid,
        started_at=datetime(2026, 12, 10, 14, 0),
        attendance=[AttendanceEntry(a.member_uuid, "present") for a in att],
        today=TODAY,
    )
    ctx = AppContext(db)
    page = Page(ctx, today=TODAY)
    qtbot.addWidget(page)
    page.refresh()
    page.kind.setCurrentIndex(page.kind.findData("life_meeting"))
    assert page.select_meeting(m.uuid)
    assert page.life_button.isEnabled()
    qtbot.mouseClick(page.life_button, Qt.MouseButton.LeftButton)
    dialog = page._dialog
    assert dialog is not None and dialog.isVisible()
    return dialog, m.uuid, roster, ctx


def test_preparation_view_end_to_end(qtbot, view, tmp_path) -> None:  # type: ignore[no-untyped-def]
    dialog, uuid, roster, ctx = view
    db = ctx.db

    # 征求意见: an empty text is refused in Chinese, then an opinion of the masses is added
    dialog.opinion_source.setCurrentIndex(dialog.opinion_source.findData("masses"))
    assert dialog.opinion_from.isVisibleTo(dialog) and not dialog.opinion_member.isVisibleTo(dialog)
    qtbot.mouseClick(dialog.add_opinion_button, Qt.MouseButton.LeftButton)
    assert "请填写意见内容" in dialog.opinion_error.text()
    type_chinese(dialog.opinion_from, "综采队职工")
    type_chinese(dialog.opinion_text, "党员多下现场")
    qtbot.mouseClick(dialog.add_opinion_button, Qt.MouseButton.LeftButton)
    assert dialog.opinion_error.text() == ""
    assert dialog.opinions.rowCount() == 1 and dialog.opinions.item(0, 3).text() == "党员多下现场"
    dialog.opinions.selectRow(0)
    qtbot.mouseClick(dialog.archive_opinion_button, Qt.MouseButton.LeftButton)
    assert dialog.opinions.rowCount() == 0 and lifemeeting.list_opinions(db, meeting_uuid=uuid) == []

    # 谈心谈话: every pair missing and highlighted; record the first one through the talk form
    dialog.tabs.setCurrentIndex(1)
    rows = dialog.talks.rowCount()
    assert rows == 2 + 1 + 3  # 书记与支委 2, 支委之间 1, 书记与党员 3
    assert dialog.talks.item(0, 0).background().color() == MISSING_COLOR
    dialog.talks.selectRow(0)
    qtbot.mouseClick(dialog.record_talk_button, Qt.MouseButton.LeftButton)
    talk = dialog._dialog
    assert sorted(talk.chosen()) == sorted(roster["committee"][:2])
    assert talk.save_button.isEnabled()
    qtbot.mouseClick(talk.save_button, Qt.MouseButton.LeftButton)
    done = dialog.talks.rowCount() - 1  # the missing pairs come first, the pair just recorded last
    assert dialog.talks.item(done, 3).text() == "2026-12-10"
    assert dialog.talks.item(done, 0).background().color() != MISSING_COLOR
    assert dialog.talks.item(0, 0).background().color() == MISSING_COLOR
    assert "已谈 1 对" in dialog.talks_summary.text()

    # 对照检查材料: nothing selected is refused; the selected member's material is registered
    dialog.tabs.setCurrentIndex(2)
    qtbot.mouseClick(dialog.material_button, Qt.MouseButton.LeftButton)
    assert "请先在列表中选择" in dialog.material_error.text()
    dialog.materials.selectRow(0)
    qtbot.mouseClick(dialog.material_button, Qt.MouseButton.LeftButton)
    assert dialog.materials.item(0, 1).text() == "2026-12-10"  # the date starts at the meeting's day
    assert dialog.materials.item(0, 0).background().color() != MISSING_COLOR
    assert dialog.materials.item(1, 0).background().color() == MISSING_COLOR  # not handed in
    dialog.materials.selectRow(0)
    assert (
        dialog.material_files.owner is not None
        and dialog.material_files.owner[0] == lifemeeting.MATERIAL_KIND
    )

    # 批评与自我批评
    dialog.tabs.setCurrentIndex(3)
    dialog.criticism.selectRow(1)
    type_chinese(dialog.self_criticism, "学习不系统")
    type_chinese(dialog.received_criticism, "下现场少")
    qtbot.mouseClick(dialog.criticism_button, Qt.MouseButton.LeftButton)
    assert (dialog.criticism.item(1, 1).text(), dialog.criticism.item(1, 2).text()) == (
        "学习不系统",
        "下现场少",
    )

    # 整改清单 → a finding on the 检查整改 page with the meeting as source; closing it there shows here
    dialog.tabs.setCurrentIndex(4)
    type_chinese(dialog.item_problem, "学习联系实际不够")
    type_chinese(dialog.item_measure, "每次学习结合实际问题")
    qtbot.mouseClick(dialog.add_item_button, Qt.MouseButton.LeftButton)
    assert dialog.item_error.text() == ""
    found = projects.list_findings(db)
    assert len(found) == 1 and found[0].source == "2026年度组织生活会" and found[0].meeting_uuid == uuid
    assert dialog.items.item(0, 4).text() == "待整改"
    projects_ops.close_finding(
        ctx, uuid=found[0].uuid, closed_on=TODAY, rectified_on=date(2026, 12, 15), today=TODAY
    )
    assert dialog.items.item(0, 4).text() == "已销号"
    assert "已销号 1 项" in dialog.summary.text()

    # the report: preview opens; the PDF says the counts
    qtbot.mouseClick(dialog.print_report_button, Qt.MouseButton.LeftButton)
    assert dialog._dialog is not None and dialog._dialog.isVisible()
    dialog._dialog.close()
    if shutil.which("pdftotext"):
        pdf = tmp_path / "report.pdf"
        assert dialog.export_pdf(pdf) == 1
        (text,) = page_texts(pdf)  # whitespace removed, full-width punctuation folded
        assert "2026年度组织生活会情况报告" in text
        assert "应谈6对,已谈1对" in text
        assert "共1项(待整改0项,已整改0项,已销号1项)" in text


def test_the_button_is_only_for_a_life_meeting(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    from desktop.pages.meetings import Page

    make_roster(db, full=3, probationary=0, committee=2)
    m = meetings.plan_meeting(db, kind="branch_assembly", planned_on=date(2026, 12, 10), topic="党员大会")
    page = Page(AppContext(db), today=TODAY)
    qtbot.addWidget(page)
    page.refresh()
    assert page.select_meeting(m.uuid)
    assert not page.life_button.isEnabled() and page.open_life_meeting() is None
