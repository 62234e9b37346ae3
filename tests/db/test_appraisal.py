"""民主评议党员 rounds (issue 20): from the ballots to the 组织处置, on a real database file."""

from __future__ import annotations

from datetime import date

import pytest

from db import appraisal, meetings, members, transfers
from db.errors import ValidationError
from db.meetings.records import AttendanceEntry
from db.migrations import migrations
from db.transfers import list_events
from tests.db.meetings_helpers import make_roster

TODAY = date(2026, 3, 20)


def _held(db, kind: str, on: date, **extra):
    m = meetings.plan_meeting(
        db, kind=kind, planned_on=on, topic="年度民主评议党员", planned_time="14:00", **extra
    )
    attendance = [
        AttendanceEntry(a.member_uuid, "present") for a in meetings.list_attendance(db, meeting_uuid=m.uuid)
    ]
    from datetime import datetime, time

    meetings.hold_meeting(
        db, uuid=m.uuid, started_at=datetime.combine(on, time(14)), attendance=attendance, today=TODAY
    )
    return meetings.get_meeting(db, uuid=m.uuid)


def _probationary(db, name: str) -> str:
    values = {"name": name, "citizen_id": "", "category": "probationary", "joined_on": date(2025, 6, 1)}
    return members.add_member(db, values=values).uuid


@pytest.fixture
def round_(db):
    roster = make_roster(db, full=9, probationary=0)
    roster["probationary"] = [_probationary(db, "预备甲"), _probationary(db, "预备乙")]
    lost = members.add_member(
        db,
        values={
            "name": "失联甲",
            "citizen_id": "",
            "category": "full",
            "joined_on": date(2010, 1, 1),
            "full_on": date(2011, 1, 1),
            "lost_contact": True,
            "lost_contact_on": date(2024, 1, 1),
        },
    ).uuid
    meeting = _held(db, "appraisal", date(2025, 12, 28), review_year=2025)
    r = appraisal.open_round(db, year=2025, today=TODAY)
    r = appraisal.update_round(
        db,
        uuid=r.uuid,
        steps={"study_on": date(2025, 12, 1), "self_review_on": date(2025, 12, 10)},
        meeting_uuid=meeting.uuid,
        today=TODAY,
    )
    return db, r, roster, lost, meeting


def test_round_lists_who_is_graded_and_who_is_apart(round_):
    db, r, roster, lost, meeting = round_
    assert r.measured_on == meeting.held_on  # the meeting dates the 民主测评
    groups = {p.member_uuid: p.group for p in appraisal.participants(db, round_uuid=r.uuid, today=TODAY)}
    assert {u for u, g in groups.items() if g == "graded"} == set(roster["full"])
    assert {u for u, g in groups.items() if g == "ungraded"} == set(roster["probationary"])
    assert groups[lost] == "lost"
    with pytest.raises(ValidationError, match="已经建立"):
        appraisal.open_round(db, year=2025, today=TODAY)


def test_a_full_round_from_ballots_to_organisational_action(round_):
    db, r, roster, _lost, _meeting = round_
    full, prob = roster["full"], roster["probationary"]
    name = members.get_member(db, uuid=full[2]).name
    # more marks than ballots is refused, naming the member; nothing is saved
    with pytest.raises(ValidationError, match=f"{name} 的四项票数合计 11 张，超过收回的测评票 10 张"):
        appraisal.save_tally(db, round_uuid=r.uuid, ballots=10, marks={full[2]: (5, 5, 1, 0)}, today=TODAY)
    # a probationary member is not on the ballot and not graded
    with pytest.raises(ValidationError, match="预备党员，参加评议但不评定等次"):
        appraisal.save_tally(db, round_uuid=r.uuid, ballots=10, marks={prob[0]: (1, 0, 0, 0)}, today=TODAY)
    with pytest.raises(ValidationError, match="预备党员"):
        appraisal.set_grades(db, round_uuid=r.uuid, grades={prob[0]: "qualified"}, today=TODAY)
    marks = {u: (2, 7, 0, 0) for u in full}
    marks[full[-1]] = (0, 2, 1, 6)  # one blank: 弃权
    people = appraisal.save_tally(db, round_uuid=r.uuid, ballots=10, marks=marks, today=TODAY)
    last = next(p for p in people if p.member_uuid == full[-1])
    assert last.marks == (0, 2, 1, 6) and last.abstain(10) == 1
    assert appraisal.get_round(db, uuid=r.uuid).ballots == 10

    # the ⅓ 优秀 guideline warns and does not block: 4 of 9 excellent is saved with a warning
    grades = {u: "qualified" for u in full}
    grades.update({u: "excellent" for u in full[:4]})
    grades[full[-1]] = "unqualified"
    warnings = appraisal.set_grades(db, round_uuid=r.uuid, grades=grades, today=TODAY)
    assert len(warnings) == 1 and "超过评定等次的正式党员 9 人的三分之一" in warnings[0].message
    assert warnings[0].warning
    assert appraisal.set_grades(db, round_uuid=r.uuid, grades={full[3]: "qualified"}, today=TODAY) == []

    # 组织处置: only a 不合格 member; 劝退 needs the 支部党员大会
    with pytest.raises(ValidationError, match="未评定为不合格"):
        appraisal.record_action(
            db,
            round_uuid=r.uuid,
            member_uuid=full[0],
            kind="rectify",
            decided_on=date(2026, 1, 10),
            deadline=date(2027, 1, 10),
            reason="x",
            today=TODAY,
        )
    rectify = appraisal.record_action(
        db,
        round_uuid=r.uuid,
        member_uuid=full[-1],
        kind="rectify",
        decided_on=date(2026, 1, 10),
        deadline=date(2026, 3, 10),
        reason="多次无故不参加组织生活",
        today=TODAY,
    )
    reminders = appraisal.appraisal_reminders(db, today=TODAY)
    assert [x.kind for x in reminders] == ["rectify_overdue"]
    assert "2026-03-10" in reminders[0].text and reminders[0].urgent
    assert appraisal.appraisal_reminders(db, today=date(2026, 3, 10)) == []
    appraisal.close_rectify(
        db, uuid=rectify.uuid, closed_on=date(2026, 3, 15), outcome="not_corrected", today=TODAY
    )
    assert appraisal.appraisal_reminders(db, today=TODAY) == []

    # the same 劝退 of the same member, given more each time
    persuade = {
        "round_uuid": r.uuid,
        "member_uuid": full[-1],
        "kind": "persuaded",
        "decided_on": date(2026, 3, 18),
        "reason": "经教育仍无转变",
        "today": TODAY,
    }
    with pytest.raises(ValidationError, match="须经支部党员大会讨论决定（党章第九条）"):
        appraisal.record_action(db, **persuade)
    assembly = _held(db, "branch_assembly", date(2026, 3, 18))
    # 党章第九条: 劝退 is decided by the 支部党员大会 AND approved by the upper 党组织; before the approval the
    # member stays on the roster, so the action is not recorded on the meeting's word alone.
    with pytest.raises(ValidationError, match="须报上级党组织批准（党章第九条）") as refused:
        appraisal.record_action(db, **persuade, meeting_uuid=assembly.uuid)
    assert [p.field for p in refused.value.problems] == ["approval"]
    assert members.get_member(db, uuid=full[-1]).status == "active"
    persuaded = appraisal.record_action(
        db,
        **persuade
        | {
            "decided_on": date(2026, 3, 19),  # the day the upper 党委 approved
            "meeting_uuid": assembly.uuid,
            "approval": "矿党委 矿党发〔2026〕7号",
        },
    )
    # the standing: a 劝退 event through the standing form's function, the member off the roster from the approval
    events = [e for e in list_events(db) if e.member_uuid == full[-1]]
    assert [e.kind for e in events] == ["persuaded"] and persuaded.event_uuid == events[0].uuid
    assert events[0].decision == f"2026-03-18 {assembly.title}决定、矿党委 矿党发〔2026〕7号批准"
    gone = members.get_member(db, uuid=full[-1])
    assert gone.status == "removed" and gone.status_on == date(2026, 3, 19)

    figures = appraisal.appraisal_figures(db, year=2025)
    assert figures.held == 1
    assert set(figures.took_part) == set(full) | set(prob)  # 失联 not
    assert set(figures.commended) == set(full[:3])
    assert figures.unqualified == (full[-1],)
    assert figures.rectify == (full[-1],) and figures.persuaded == (full[-1],)
    assert figures.action_counts() == {
        "rectify": 1,
        "persuaded": 1,
        "removal_persuaded": 0,
        "removal_lapsed": 0,
    }
    assert figures.concluded == ()
    assert appraisal.appraisal_figures(db, year=2024).held == 0


def test_steps_in_order_and_not_in_the_future(round_):
    db, r, *_ = round_
    with pytest.raises(ValidationError, match="个人自评日期（2025-11-01）不能早于学习"):
        appraisal.update_round(db, uuid=r.uuid, steps={"self_review_on": date(2025, 11, 1)}, today=TODAY)
    with pytest.raises(ValidationError, match="反馈日期不能晚于今天"):
        appraisal.update_round(db, uuid=r.uuid, steps={"feedback_on": date(2026, 4, 1)}, today=TODAY)


def test_monthly_sheet_lists_the_results_of_the_month_decided(round_):
    db, r, roster, _lost, _meeting = round_
    appraisal.save_tally(
        db, round_uuid=r.uuid, ballots=11, marks={u: (1, 10, 0, 0) for u in roster["full"]}, today=TODAY
    )
    appraisal.set_grades(db, round_uuid=r.uuid, grades={u: "qualified" for u in roster["full"]}, today=TODAY)
    appraisal.update_round(db, uuid=r.uuid, steps={"decided_on": date(2026, 1, 5)}, today=TODAY)
    rows = appraisal.monthly_appraisal_rows(db, month="2026-01")
    assert len(rows) == 11 and {row["grade"] for row in rows if row["group"] == "graded"} == {"qualified"}
    assert appraisal.monthly_appraisal_rows(db, month="2025-12") == []
    assert appraisal.monthly_appraisal_figures(db, month="2026-01")["民主评议参评人数"] == 11


def test_grades_typed_at_meetings_become_the_round_of_their_year(tmp_path):
    """Migration 0020 keeps the grades typed in at a 民主评议党员 meeting: the 年度's round takes them."""
    from db import store

    path = tmp_path / "old.db"
    database = store.open(path)
    roster = make_roster(database, full=4, probationary=1)
    m = _held(database, "appraisal", date(2025, 12, 28), review_year=2025)
    for i, u in enumerate(
        roster["full"]
    ):  # the rows the old 评议等次 form wrote (records are kept, never deleted)
        database.execute(
            "INSERT INTO appraisal_grades (uuid, meeting_id, member_id, grade, created_at, updated_at) SELECT ?, "
            "mt.id, mb.id, 'qualified', '2025-12-28T15:00:00', '2025-12-28T15:00:00' FROM meetings mt, members mb "
            "WHERE mt.uuid = ? AND mb.uuid = ?",
            [f"old-grade-{i}", m.uuid, u],
        )
    # run the step again on a copy of the tables as they were: drop what it made and apply it anew
    database.execute("DROP TABLE appraisal_actions")
    database.execute("DROP TABLE appraisal_entries")
    database.execute("DROP TABLE appraisal_rounds")
    database.execute("DELETE FROM _sqlite_migrations WHERE name = '0020_appraisal_rounds'")
    assert "0020_appraisal_rounds" in [p.name for p in migrations.pending(database)]
    migrations.apply(database)
    r = appraisal.round_of_year(database, year=2025)
    assert r is not None and r.meeting_uuid == m.uuid and r.measured_on == date(2025, 12, 28)
    graded = {p.member_uuid: p.grade for p in appraisal.participants(database, round_uuid=r.uuid)}
    assert all(graded[u] == "qualified" for u in roster["full"])
    store.close(database)


def test_corrected_rectify_concludes_and_lapsed_removal_is_a_standing_event(round_):
    db, r, roster, _lost, _meeting = round_
    full = roster["full"]
    appraisal.set_grades(
        db, round_uuid=r.uuid, grades={full[0]: "unqualified", full[1]: "unqualified"}, today=TODAY
    )
    rectify = appraisal.record_action(
        db,
        round_uuid=r.uuid,
        member_uuid=full[0],
        kind="rectify",
        decided_on=date(2026, 1, 10),
        deadline=date(2026, 2, 10),
        reason="限期改正",
        today=TODAY,
    )
    with pytest.raises(ValidationError, match="请选择改正结果"):
        appraisal.close_rectify(db, uuid=rectify.uuid, closed_on=date(2026, 2, 11), outcome="x", today=TODAY)
    appraisal.close_rectify(
        db, uuid=rectify.uuid, closed_on=date(2026, 2, 11), outcome="corrected", today=TODAY
    )
    assembly = _held(db, "branch_assembly", date(2026, 2, 20))
    appraisal.record_action(
        db,
        round_uuid=r.uuid,
        member_uuid=full[1],
        kind="removal_lapsed",
        decided_on=date(2026, 2, 20),
        reason="连续六个月不参加组织生活",
        meeting_uuid=assembly.uuid,
        approval="矿党委 矿党发〔2026〕2号",
        today=TODAY,
    )
    assert [e.kind for e in list_events(db) if e.member_uuid == full[1]] == ["removal_lapsed"]
    figures = appraisal.appraisal_figures(db, year=2025)
    assert figures.concluded == (full[0],) and figures.removal_lapsed == (full[1],)
    # the members who left stay in the round they were appraised in
    assert {full[0], full[1]} <= set(figures.took_part)
    # the monthly sheet carries the 组织处置 in the month decided
    rows = appraisal.monthly_appraisal_rows(db, month="2026-02")
    assert {row["name"] for row in rows} == {members.get_member(db, uuid=u).name for u in full[:2]}
    assert any("自行脱党除名" in row["action"] for row in rows)


def test_feedback_reminder_until_the_feedback_is_recorded(round_):
    db, r, roster, _lost, _meeting = round_
    appraisal.update_round(db, uuid=r.uuid, steps={"decided_on": date(2026, 1, 5)}, today=TODAY)
    assert [x.kind for x in appraisal.appraisal_reminders(db, today=date(2026, 2, 10))] == [
        "appraisal_feedback"
    ]
    with pytest.raises(ValidationError, match="请填写反馈谈话人"):
        appraisal.record_feedback(
            db, round_uuid=r.uuid, member_uuid=roster["full"][0], on=date(2026, 1, 8), by=" ", today=TODAY
        )
    p = appraisal.record_feedback(
        db, round_uuid=r.uuid, member_uuid=roster["full"][0], on=date(2026, 1, 8), by="支部书记", today=TODAY
    )
    assert p.feedback_on == date(2026, 1, 8) and p.feedback_by == "支部书记"
    appraisal.update_round(
        db, uuid=r.uuid, steps={"reported_on": date(2026, 1, 8), "feedback_on": date(2026, 1, 9)}, today=TODAY
    )
    assert appraisal.appraisal_reminders(db, today=date(2026, 2, 10)) == []


def test_the_standing_is_read_as_it_stood_on_the_day_of_the_measurement(round_):
    """docs/rules.md (Who is graded): 停止党籍 is judged “on the day of the 民主测评”. The round read the current
    standing: a member suspended after the 2025 测评 (2026-02-01) was moved out of the graded of 2025, his grade
    could no longer be corrected and table 8 lost him from 参加评议; one suspended during 2025 and reinstated
    before the round was read was listed among the graded."""
    db, r, roster, _lost, _meeting = round_
    later, earlier = roster["full"][0], roster["full"][1]
    appraisal.set_grades(db, round_uuid=r.uuid, grades={later: "excellent"}, today=TODAY)
    for member, kind, on, reason in (
        (later, "suspended", date(2026, 2, 1), "失联满6个月"),
        (earlier, "suspended", date(2025, 6, 1), "失联满6个月"),
        (earlier, "reinstated", date(2026, 3, 1), "取得联系"),
    ):
        transfers.record_event(db, member_uuid=member, kind=kind, happened_on=on, reason=reason, today=TODAY)
    groups = {p.member_uuid: p.group for p in appraisal.participants(db, round_uuid=r.uuid, today=TODAY)}
    assert groups[later] == "graded" and groups[earlier] == "suspended"
    appraisal.set_grades(db, round_uuid=r.uuid, grades={later: "qualified"}, today=TODAY)
    with pytest.raises(ValidationError, match="停止党籍"):
        appraisal.set_grades(db, round_uuid=r.uuid, grades={earlier: "qualified"}, today=TODAY)
    figures = appraisal.appraisal_figures(db, year=2025)
    assert later in figures.took_part and earlier not in figures.took_part
