"""The 民主评议 page: a round created, the tally grid typed with the keyboard only (digits, Tab, Enter; grades 1–4),
refused when a member has more marks than ballots, the ⅓ warning shown, a 组织处置 and a feedback talk recorded
through the dialogs, and both printouts previewed."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from db import appraisal, meetings, transfers
from db import members as members_db
from db.meetings.records import AttendanceEntry
from desktop.context import AppContext
from tests.db.meetings_helpers import make_roster

TODAY = date(2026, 3, 20)


@pytest.fixture
def ctx(db):  # type: ignore[no-untyped-def]
    roster = make_roster(db, full=3, probationary=0, committee=1)
    m = meetings.plan_meeting(
        db,
        kind="appraisal",
        planned_on=date(2025, 12, 28),
        topic="民主评议",
        planned_time="14:00",
        review_year=2025,
    )
    meetings.hold_meeting(
        db,
        uuid=m.uuid,
        started_at=datetime.combine(date(2025, 12, 28), time(14)),
        attendance=[
            AttendanceEntry(a.member_uuid, "present")
            for a in meetings.list_attendance(db, meeting_uuid=m.uuid)
        ],
        today=TODAY,
    )
    context = AppContext(db)
    context.roster = roster  # type: ignore[attr-defined]
    context.meeting = m.uuid  # type: ignore[attr-defined]
    return context


def _page(ctx, qtbot):  # type: ignore[no-untyped-def]
    from desktop.pages.appraisal import Page

    page = Page(ctx, today=TODAY)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    return page


def _type_row(qtbot, grid, counts: str, grade: str) -> None:  # type: ignore[no-untyped-def]
    """Four counts, each typed and confirmed with Enter (the cursor moves on), then the grade digit."""
    for digits in counts.split():
        qtbot.keyClicks(grid, digits)  # typing starts the editor
        editor = grid.focusWidget()
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        QApplication.processEvents()  # the delegate commits and closes the editor queued
    qtbot.keyClick(grid, grade)


def test_tally_grid_typed_with_the_keyboard(ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = _page(ctx, qtbot)
    page.new_round()
    page.dialog.setIntValue(2025)
    page.dialog.accept()
    r = appraisal.round_of_year(ctx.db, year=2025)
    assert r is not None and page.round is not None and page.round.uuid == r.uuid
    page.meeting.setCurrentIndex(page.meeting.findData(ctx.meeting))
    qtbot.mouseClick(page.save_steps_button, Qt.MouseButton.LeftButton)
    assert appraisal.get_round(ctx.db, uuid=r.uuid).measured_on == date(2025, 12, 28)

    grid = page.grid
    assert grid.rowCount() == 3
    page.ballots.setValue(3)
    grid.setFocus()
    grid.setCurrentCell(0, 1)
    _type_row(qtbot, grid, "3 0 0 0", "1")  # 优秀
    assert (grid.currentRow(), grid.currentColumn()) == (1, 6)  # the grade digit moved the cursor down
    grid.setCurrentCell(1, 1)
    _type_row(qtbot, grid, "1 2 0 0", "1")
    grid.setCurrentCell(2, 1)
    _type_row(qtbot, grid, "0 0 1 2", "4")  # 不合格
    assert grid.cell(2, 5).text() == "0"  # 弃权 worked out
    rows = [grid.member_uuid(i) for i in range(3)]
    assert set(rows) == set(ctx.roster["full"])
    assert grid.marks()[rows[2]] == (0, 0, 1, 2)

    # one mark too many: refused, the message names the member
    grid.setCurrentCell(0, 2)
    qtbot.keyClicks(grid, "1")
    qtbot.keyClick(grid.focusWidget(), Qt.Key.Key_Return)
    QApplication.processEvents()
    qtbot.mouseClick(page.save_tally_button, Qt.MouseButton.LeftButton)
    box = page.dialog
    assert isinstance(box, QMessageBox)
    name = grid.cell(0, 0).text()
    assert f"{name} 的四项票数合计 4 张，超过收回的测评票 3 张" in box.text()
    box.close()
    assert appraisal.get_round(ctx.db, uuid=r.uuid).ballots is None  # nothing saved

    grid.setCurrentCell(0, 2)
    qtbot.keyClicks(grid, "0")
    qtbot.keyClick(grid.focusWidget(), Qt.Key.Key_Tab)
    QApplication.processEvents()
    assert grid.cell(0, 2).text() == "0"
    qtbot.mouseClick(page.save_tally_button, Qt.MouseButton.LeftButton)
    people = {p.member_uuid: p for p in appraisal.participants(ctx.db, round_uuid=r.uuid, today=TODAY)}
    full = rows
    assert people[full[0]].marks == (3, 0, 0, 0) and people[full[0]].grade == "excellent"
    assert people[full[2]].grade == "unqualified"
    assert "三分之一" in page.warning.text()  # 2 of 3 优秀: saved, with the warning

    # 组织处置 through its dialog
    from desktop.dialogs.appraisal_action import ActionDialog, FeedbackDialog

    page.open_action()
    dialog = page.dialog
    assert isinstance(dialog, ActionDialog)
    dialog.decided_on.setDate(dialog.decided_on.date().addDays(-10))
    dialog.reason.setText("多次无故不参加组织生活")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    actions = appraisal.list_actions(ctx.db, round_uuid=r.uuid)
    assert [(a.kind, a.member_uuid) for a in actions] == [("rectify", full[2])]
    assert page.action_list.count() == 1

    grid.setCurrentCell(2, 0)
    page.open_feedback()
    dialog = page.dialog
    assert isinstance(dialog, FeedbackDialog)
    dialog.by.setText("支部书记")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert people[full[2]].member_uuid in {
        p.member_uuid for p in appraisal.participants(ctx.db, round_uuid=r.uuid, today=TODAY) if p.feedback_by
    }

    page.ask_voters()
    page.dialog.setIntValue(4)
    page.dialog.accept()
    assert page.dialog.windowTitle()  # the print preview of the ballots
    page.dialog.close()
    page.preview_result()
    page.dialog.close()

    # 劝退 through the dialog: the 支部党员大会 decides, the upper 党组织 approves (党章第九条). Save stays disabled,
    # the reason beside it, until the approval is named; the member leaves the roster on the approval's day.
    assembly = meetings.plan_meeting(
        ctx.db, kind="branch_assembly", planned_on=date(2026, 3, 16), topic="讨论劝退", planned_time="14:00"
    )
    meetings.hold_meeting(
        ctx.db,
        uuid=assembly.uuid,
        started_at=datetime.combine(date(2026, 3, 16), time(14)),
        attendance=[
            AttendanceEntry(a.member_uuid, "present")
            for a in meetings.list_attendance(ctx.db, meeting_uuid=assembly.uuid)
        ],
        today=TODAY,
    )
    page.open_action()
    dialog = page.dialog
    assert isinstance(dialog, ActionDialog)
    assert not dialog.approval.isEnabled()  # 限期改正: no approval asked
    dialog.kind.setCurrentIndex(dialog.kind.findData("persuaded"))
    dialog.meeting.setCurrentIndex(dialog.meeting.findData(assembly.uuid))
    dialog.decided_on.setDate(dialog.decided_on.date().addDays(-1))
    dialog.reason.setText("经教育仍无转变")
    assert dialog.approval.isEnabled() and not dialog.save_button.isEnabled()
    assert "须报上级党组织批准（党章第九条）" in dialog.error.text()
    dialog.approval.setText("矿党委 矿党发〔2026〕7号")
    assert dialog.save_button.isEnabled()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    gone = members_db.get_member(ctx.db, uuid=full[2])
    assert gone.status == "removed" and gone.status_on == date(2026, 3, 19)
    [event] = [e for e in transfers.list_events(ctx.db) if e.member_uuid == full[2]]
    assert event.kind == "persuaded" and "矿党委 矿党发〔2026〕7号批准" in event.decision
