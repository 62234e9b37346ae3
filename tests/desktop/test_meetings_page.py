"""The meetings page, its models, the attendance keyboard and the meeting dialogs."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialogButtonBox

from db import appraisal, branch, meetings
from db.meetings import AttendanceEntry
from desktop.context import AppContext
from desktop.models.meetings import (
    AttendanceModel,
    ComplianceModel,
    HeartTalksModel,
    MeetingsModel,
)
from tests.db.meetings_helpers import make_roster

TODAY = date(2026, 11, 20)


def type_chinese(widget, text: str) -> None:
    """Type Chinese as an input method commits it (QTest.keyClicks only handles ASCII)."""
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


@pytest.fixture
def roster(db):
    branch.save_branch(db, name="综采一队党支部")
    return make_roster(db, full=44, probationary=6, groups=3, committee=5)


@pytest.fixture
def page(qtbot, db, roster):
    from desktop.pages.meetings import Page

    ctx = AppContext(db)
    p = Page(ctx, today=TODAY)
    qtbot.addWidget(p)
    p.resize(1366, 768)
    p.refresh()
    return p


def _plan(db, **kw):
    return meetings.plan_meeting(
        db,
        kind="branch_assembly",
        planned_on=date(2026, 11, 10),
        topic="学习传达会议精神",
        planned_time="14:30",
        place="矿党员活动室",
        **kw,
    )


def test_models_pass_the_model_tester(qtmodeltester, db, roster):
    m = _plan(db, observers=["王晓东"])
    model = MeetingsModel()
    model.set_meetings(meetings.list_meetings(db))
    qtmodeltester.check(model)
    att = AttendanceModel()
    att.set_attendance(meetings.list_attendance(db, meeting_uuid=m.uuid))
    qtmodeltester.check(att)
    assert att.counts() == {"expected": 50, "present": 50, "leave": 0, "absent": 0, "observers": 1}
    comp = ComplianceModel()
    comp.set_rows(meetings.compliance(db, period="year", year=2026, today=TODAY))
    qtmodeltester.check(comp)
    talks = HeartTalksModel()
    meetings.record_heart_talk(
        db, held_on=date(2026, 3, 1), participant_uuids=roster["committee"][:2], topic="谈心", today=TODAY
    )
    talks.set_talks(meetings.list_heart_talks(db))
    qtmodeltester.check(talks)


def test_fifty_attendees_marked_with_the_keyboard(qtbot, page, db):
    m = _plan(db)
    page.refresh()
    assert page.select_meeting(m.uuid)
    dialog = page.record_meeting()
    qtbot.addWidget(dialog)
    view = dialog.attendance.view
    model = view.attendance_model()
    assert model.rowCount() == 50 and model.counts()["present"] == 50  # everyone present by default
    view.setFocus()
    expected_states = []
    for row in range(50):
        assert view.current_row() == row
        if row % 10 == 3:
            qtbot.keyClick(view, Qt.Key.Key_L)
            editor = view.focusWidget()
            assert editor is not view  # the reason is typed in place
            type_chinese(editor, "下井当班")
            qtbot.keyClick(editor, Qt.Key.Key_Return)
            # the delegate commits and closes the editor through a queued call
            qtbot.waitUntil(lambda r=row: view.current_row() == r + 1 or r == 49)
            expected_states.append("leave")
        elif row == 47:
            qtbot.keyClick(view, Qt.Key.Key_A)
            type_chinese(view.focusWidget(), "未请假")
            qtbot.keyClick(view.focusWidget(), Qt.Key.Key_Return)
            qtbot.waitUntil(lambda: view.current_row() == 48)
            expected_states.append("absent")
        else:
            qtbot.keyClick(view, Qt.Key.Key_P)
            expected_states.append("present")
    assert [model.state(r) for r in range(50)] == expected_states
    assert "请假 5 人" in dialog.attendance.counts_label.text()
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert save.isEnabled()
    save.click()
    stored = meetings.get_meeting(db, uuid=m.uuid)
    assert (stored.status, stored.present, stored.leave, stored.absent) == ("held", 44, 5, 1)
    leave = [a for a in meetings.list_attendance(db, meeting_uuid=m.uuid) if a.state == "leave"]
    assert {a.reason for a in leave} == {"下井当班"}


def test_leave_without_reason_keeps_save_disabled(qtbot, page, db):
    m = _plan(db)
    page.refresh()
    page.select_meeting(m.uuid)
    dialog = page.record_meeting()
    qtbot.addWidget(dialog)
    view = dialog.attendance.view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_L)
    qtbot.keyClick(view.focusWidget(), Qt.Key.Key_Escape)  # no reason typed
    qtbot.waitUntil(lambda: view.state() != view.State.EditingState)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert not save.isEnabled()
    assert "请填写原因" in dialog.attendance.problem_label.text()
    assert meetings.get_meeting(db, uuid=m.uuid).status == "planned"


def test_plan_dialog_validates_as_you_type(qtbot, page, db):
    dialog = page.new_meeting()
    qtbot.addWidget(dialog)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert not save.isEnabled() and dialog.errors["topic"].text() == "请填写议题"
    dialog.kind.setCurrentIndex(dialog.kind.findData("group_meeting"))
    assert "党小组会请选择党小组" in dialog.errors["party_group"].text()
    dialog.group.setCurrentIndex(1)
    type_chinese(dialog.topic, "学习煤矿安全规程")
    assert save.isEnabled()
    save.click()
    created = meetings.list_meetings(db, kind="group_meeting")
    assert len(created) == 1 and created[0].topic == "学习煤矿安全规程"
    assert page.selected_meeting().uuid == created[0].uuid
    assert page.model.rowCount() == 1


def test_locked_meeting_actions_and_detail(qtbot, page, db):
    m = _plan(db)
    att = meetings.list_attendance(db, meeting_uuid=m.uuid)
    entries = [AttendanceEntry(a.member_uuid, "present") for a in att[:20]]
    entries += [AttendanceEntry(a.member_uuid, "leave", "外出培训") for a in att[20:]]
    meetings.hold_meeting(
        db, uuid=m.uuid, started_at=datetime(2026, 11, 10, 14, 30), attendance=entries, today=TODAY
    )
    meetings.add_decision(
        db, meeting_uuid=m.uuid, subject="接收预备党员", votes_for=20, votes_against=0, votes_abstain=0
    )
    page.refresh()
    page.select_meeting(m.uuid)
    html = page.detail.toPlainText()
    assert "外出培训" in html and "未达法定人数" in html and "不符合" in html
    assert page.lock_button.isEnabled() and not page.amend_button.isEnabled()
    page.lock_button.click()
    assert meetings.get_meeting(db, uuid=m.uuid).locked
    assert not page.record_button.isEnabled() and not page.decision_button.isEnabled()
    assert page.amend_button.isEnabled()
    dialog = page.amend_meeting()
    qtbot.addWidget(dialog)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    dialog.field.setCurrentIndex(dialog.field.findData("place"))
    dialog.value.setPlainText("调度楼会议室")
    assert not save.isEnabled()
    type_chinese(dialog.reason, "记录笔误")
    save.click()
    assert meetings.get_meeting(db, uuid=m.uuid).place == "调度楼会议室"
    assert "记录笔误" in page.detail.toPlainText()


def test_print_preview_and_pdf(qtbot, page, db, tmp_path):
    m = _plan(db)
    page.refresh()
    page.select_meeting(m.uuid)
    preview = page.preview_signin("planned")
    qtbot.addWidget(preview)
    assert preview.isVisible()
    preview.close()
    assert page.export_pdf("signin", tmp_path / "s.pdf", "blank") >= 1
    assert page.export_pdf("minutes", tmp_path / "m.pdf") == 1
    assert (tmp_path / "s.pdf").stat().st_size > 1000


def test_compliance_tab_and_reminders(qtbot, page, db):
    meetings.hold_meeting(db, uuid=_plan(db).uuid, started_at=datetime(2026, 11, 10, 14, 30), today=TODAY)
    page.refresh()
    page.apply_filters({"tab": "compliance"})
    assert page.tabs.currentIndex() == 1
    kinds = [
        page.compliance_model.data(page.compliance_model.index(r, 0))
        for r in range(page.compliance_model.rowCount())
    ]
    assert "支部党员大会" in kinds and "谈心谈话" in kinds
    texts = [page.reminders.item(i).text() for i in range(page.reminders.count())]
    assert any("2026年第3季度未召开支部党员大会" in t for t in texts)


def _held_appraisal(db):
    m = meetings.plan_meeting(db, kind="appraisal", planned_on=date(2026, 11, 10), topic="年度民主评议党员")
    entries = [
        AttendanceEntry(a.member_uuid, "present") for a in meetings.list_attendance(db, meeting_uuid=m.uuid)
    ]
    return meetings.hold_meeting(
        db, uuid=m.uuid, started_at=datetime(2026, 11, 10, 9, 0), attendance=entries, today=TODAY
    )


def test_appraisal_button_opens_the_years_round_where_the_grades_are_entered(qtbot, page, db):
    """One way to grade: the meeting's 民主评议 button opens (and the first time creates and links) its 年度's round
    on the 民主评议 page; the meeting shows the round's 支部评定, and a second click opens the same round."""
    from desktop.pages.appraisal import Page as AppraisalPage
    from desktop.printing.minutes import minutes_paragraphs

    m = _held_appraisal(db)
    page.refresh()
    page.select_meeting(m.uuid)
    assert page.grades_button.text() == "民主评议" and page.grades_button.isEnabled()
    asked: list[tuple[str, dict]] = []
    page.ctx.navigate_requested.connect(lambda key, filters: asked.append((key, filters)))
    uuid = page.open_appraisal()
    r = appraisal.round_of_year(db, year=2026)
    assert (
        r is not None and uuid == r.uuid and r.meeting_uuid == m.uuid and r.measured_on == date(2026, 11, 10)
    )
    assert asked == [("appraisal", {"round": r.uuid})]

    target = AppraisalPage(page.ctx, today=TODAY)
    qtbot.addWidget(target)
    target.apply_filters(asked[0][1])
    assert target.round is not None and target.round.uuid == r.uuid
    assert target.meeting.currentData() == m.uuid
    full = [
        p.member_uuid
        for p in appraisal.participants(db, round_uuid=r.uuid, today=TODAY)
        if p.group == "graded"
    ]
    grades = {u: "qualified" for u in full}
    grades[full[0]] = "excellent"
    appraisal.set_grades(db, round_uuid=r.uuid, grades=grades, today=TODAY)
    page.select_meeting(m.uuid)
    page._selection_changed()
    assert "评议结果：优秀 1 人，合格 43 人" in page.detail.toPlainText()
    _heading, printed = minutes_paragraphs(
        db, meeting_uuid=m.uuid
    )  # the minutes print the round's grades too
    labels = {p.label: p.text for p in printed}
    best = next(
        p.name for p in appraisal.participants(db, round_uuid=r.uuid, today=TODAY) if p.member_uuid == full[0]
    )
    assert labels["评议优秀"] == f"1 人：{best}" and labels["评议合格"].startswith("43 人：")
    assert page.open_appraisal() == r.uuid and len(appraisal.list_rounds(db)) == 1


def test_decision_dialog_refuses_too_many_votes_and_flags_quorum(qtbot, page, db):
    m = _plan(db)
    att = meetings.list_attendance(db, meeting_uuid=m.uuid)
    entries = [
        AttendanceEntry(a.member_uuid, "present" if i < 10 else "leave", "" if i < 10 else "病假")
        for i, a in enumerate(att)
    ]
    meetings.hold_meeting(
        db, uuid=m.uuid, started_at=datetime(2026, 11, 10, 14, 30), attendance=entries, today=TODAY
    )
    page.refresh()
    page.select_meeting(m.uuid)
    dialog = page.add_decision()
    qtbot.addWidget(dialog)
    assert "不符合" in dialog.quorum_label.text()  # 10 of 44 full members present
    type_chinese(dialog.subject, "接收预备党员")
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert save.isEnabled() and dialog.votes[0].value() == 10
    dialog.votes[1].setValue(1)
    assert not save.isEnabled() and "超过到会可表决人数 10 人" in dialog.vote_error.text()
    dialog.votes[0].setValue(9)
    save.click()
    (d,) = meetings.list_decisions(db, meeting_uuid=m.uuid)
    assert (d.votes_for, d.votes_against, d.quorum_met) == (9, 1, False)


def test_resaving_attendance_keeps_row_identity(db, roster):
    m = _plan(db)
    before = {a.member_uuid: a.uuid for a in meetings.list_attendance(db, meeting_uuid=m.uuid)}
    entries = [AttendanceEntry(u, "present") for u in before]
    entries[0] = AttendanceEntry(entries[0].member_uuid, "leave", "病假")
    meetings.set_attendance(db, meeting_uuid=m.uuid, entries=entries[:-1])  # the last one taken off the list
    after = {a.member_uuid: a.uuid for a in meetings.list_attendance(db, meeting_uuid=m.uuid)}
    assert len(after) == 49 and all(before[u] == after[u] for u in after)


def test_reminder_filters_navigate(qtbot, page, db):
    m = _plan(db)
    page.refresh()
    page.apply_filters({"meeting": m.uuid})
    assert page.tabs.currentIndex() == 0 and page.selected_meeting().uuid == m.uuid
    group = branch.list_party_groups(db)[1]
    page.apply_filters({"kind": "group_meeting", "party_group": group.uuid})
    assert page.kind.currentData() == "group_meeting" and page.search.text() == group.name


def test_signin_sheet_follows_the_roster_until_the_meeting_is_recorded(qtbot, page, db, tmp_path):
    """Issue 16: members added after planning appear and members transferred out drop from the sheet printed
    from the page; the record dialog starts from the same list; once recorded, the sheet no longer moves."""
    import time
    from datetime import timedelta

    from db import members
    from tests.desktop.test_printed_tables import page_texts

    today = date.today()
    page.pin_today(today + timedelta(days=20))
    m = meetings.plan_meeting(db, kind="branch_assembly", planned_on=today + timedelta(days=10), topic="学习")
    leaving = meetings.list_attendance(db, meeting_uuid=m.uuid)[0]
    time.sleep(1.1)  # created_at has seconds precision: the newcomer joins after the meeting was planned
    members.archive_member(
        db,
        uuid=leaving.member_uuid,
        status="transferred_out",
        on=today - timedelta(days=1),
        reason="工作调动",
    )
    full = {"category": "full", "joined_on": date(2010, 1, 1), "full_on": date(2011, 1, 1)}
    members.add_member(db, values={"name": "新来甲", **full})
    page.refresh()
    assert page.select_meeting(m.uuid)
    page.export_pdf("signin", tmp_path / "before.pdf")
    text = "".join(page_texts(tmp_path / "before.pdf"))
    assert "新来甲" in text and leaving.name not in text and "应到50人" in text
    dialog = page.record_meeting()
    qtbot.addWidget(dialog)
    listed = {e.member_uuid for e in dialog.attendance.entries()}
    assert leaving.member_uuid not in listed and len(listed) == 50
    dialog.save()  # everyone present
    assert meetings.get_meeting(db, uuid=m.uuid).status == "held"
    members.add_member(db, values={"name": "后来乙", **full})
    page.export_pdf("signin", tmp_path / "after.pdf", "filled")
    text = "".join(page_texts(tmp_path / "after.pdf"))
    assert "新来甲" in text and "后来乙" not in text
    assert "应到50人实到50人请假0人" in text and "缺席0人" in text


def _last_column_in_sight(table) -> bool:  # type: ignore[no-untyped-def]
    header = table.horizontalHeader()
    last = table.model().columnCount() - 1
    fits = header.sectionViewportPosition(last) + header.sectionSize(last) <= table.viewport().width()
    return fits and header.sectionSize(last) >= header.fontMetrics().horizontalAdvance("未全覆盖")


def test_status_and_verdict_columns_stay_visible_at_1366_by_768(qtbot, page, db):
    """Issue 16: the 结论 column of 合规检查 was pushed off the right edge by the long list of talks due (and the
    会议 list's 状态 by long topics)."""
    meetings.plan_meeting(
        db,
        kind="branch_assembly",
        planned_on=date(2026, 11, 10),
        topic="深入学习贯彻党的二十届三中全会精神暨安全生产专题学习交流研讨",
        place="综采一队调度楼三楼大会议室",
    )
    page.resize(1366 - 150, 768 - 60)  # the main window at 1366×768 less the navigation and the menus
    page.show()
    qtbot.waitExposed(page)
    page.refresh()
    assert _last_column_in_sight(page.table)
    page.apply_filters({"tab": "compliance"})
    model = page.compliance_table.model()
    assert any(len(model.index(r, 7).data() or "") > 20 for r in range(model.rowCount()))  # a long 待开 cell
    assert _last_column_in_sight(page.compliance_table)


def test_record_form_warns_when_the_host_is_on_leave(qtbot, page, db, roster):
    """Issue 14: marking the 主持人 请假 in the record form shows a warning beside Save (saving stays possible); the
    saved meeting's detail repeats it."""
    host = roster["committee"][0]
    m = _plan(db, host_uuid=host)
    page.refresh()
    assert page.select_meeting(m.uuid)
    dialog = page.record_meeting()
    qtbot.addWidget(dialog)
    model = dialog.attendance.view.attendance_model()
    row = next(r for r, e in enumerate(model.entries()) if e.member_uuid == host)
    model.set_state(row, "leave")
    model.setData(model.index(row, 5), "下井当班")
    assert dialog.check() and "主持人" in dialog.error.text() and "请假" in dialog.error.text()
    dialog.save()
    page.refresh()
    assert page.select_meeting(m.uuid)
    assert "主持人" in page.detail.toPlainText() and "与会议记录矛盾" in page.detail.toPlainText()


def test_plan_dialog_review_year_defaults_and_shows_in_list_and_minutes(qtbot, page, db):
    """Issue 14 (支部工作条例第十七条, 组织生活会 for a year, often held January–March): the dialog's 年度 defaults
    to last year for a review held 2026-03-31 and to the year held on 2026-04-01, is editable, is offered only
    for 组织生活会 / 民主评议党员, and the list and the minutes' title carry it."""
    from desktop.dialogs.meeting_plan import MeetingPlanDialog
    from desktop.printing.minutes import minutes_paragraphs

    dialog = MeetingPlanDialog(page.ctx, kind="life_meeting", on=date(2026, 3, 31), parent=page)
    qtbot.addWidget(dialog)
    assert dialog.review_year.value() == 2025
    dialog.date.setDate(QDate(2026, 4, 1))
    assert dialog.review_year.value() == 2026
    dialog.date.setDate(QDate(2026, 1, 15))
    assert dialog.values()["review_year"] == 2025
    dialog.kind.setCurrentIndex(dialog.kind.findData("branch_assembly"))
    assert dialog.values()["review_year"] is None
    dialog.kind.setCurrentIndex(dialog.kind.findData("life_meeting"))
    type_chinese(dialog.topic, "2025年度组织生活会")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    m = meetings.list_meetings(db, kind="life_meeting")[0]
    assert (m.review_year, m.title) == (2025, "2025年度组织生活会")
    page.refresh()
    row = next(r for r in range(page.model.rowCount()) if page.model.meeting(r).uuid == m.uuid)
    assert page.model.data(page.model.index(row, 1)) == "2025年度组织生活会"
    # Editable: a review held in January may be recorded for the year held (the secretary decides).
    edit = MeetingPlanDialog(page.ctx, meeting_uuid=m.uuid, parent=page)
    qtbot.addWidget(edit)
    assert edit.review_year.value() == 2025
    edit.review_year.setValue(2026)
    edit.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    m = meetings.get_meeting(db, uuid=m.uuid)
    assert m.review_year == 2026 and "2026年度组织生活会" in minutes_paragraphs(db, meeting_uuid=m.uuid)[0]


def test_group_meeting_title_is_not_doubled(db, roster):
    """Issue 14 (words): a group named 第1党小组 holds a 第1党小组会, never a 第1党小组党小组会."""
    m = meetings.plan_meeting(
        db,
        kind="group_meeting",
        planned_on=date(2026, 11, 10),
        topic="学习",
        party_group_uuid=roster["groups"][0],
    )
    assert m.title == "第1党小组会"
    assert meetings.meeting_title("group_meeting", "采煤班") == "采煤班 党小组会"
