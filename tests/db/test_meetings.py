"""Meetings: planning, attendance, quorum, decisions, locking and amendments, appraisal, heart talks, demo."""

from __future__ import annotations

import random
import shutil
from datetime import date, datetime

import pytest

from db import appraisal, branch, meetings, members, store
from db.errors import NotFound, ValidationError
from db.meetings import AttendanceEntry
from tests.db.meetings_helpers import make_roster

TODAY = date(2026, 11, 20)
DAY = date(2026, 10, 15)


@pytest.fixture
def roster(db):
    branch.save_branch(db, name="综采一队党支部")
    return make_roster(db, full=10, probationary=3, groups=2, committee=5, suspended=1)


def _held(db, kind="branch_assembly", present=None, on=DAY, **kw):
    m = meetings.plan_meeting(db, kind=kind, planned_on=on, topic="研究发展党员", **kw)
    att = meetings.list_attendance(db, meeting_uuid=m.uuid)
    present = len(att) if present is None else present
    entries = [
        AttendanceEntry(
            a.member_uuid, "present" if i < present else "leave", "" if i < present else "下井当班"
        )
        for i, a in enumerate(att)
    ]
    return meetings.hold_meeting(
        db,
        uuid=m.uuid,
        started_at=datetime.combine(on, datetime.min.time()).replace(hour=14),
        attendance=entries,
        today=TODAY,
    )


def _held_with_full_present(db, roster, n_full: int, *, election: bool = False):
    """A branch assembly where exactly ``n_full`` full members are present (probationary all present)."""
    m = meetings.plan_meeting(
        db, kind="branch_assembly", planned_on=DAY, topic="选举" if election else "表决", is_election=election
    )
    entries = []
    full_seen = 0
    for a in meetings.list_attendance(db, meeting_uuid=m.uuid):
        if a.category == "full":
            full_seen += 1
            entries.append(
                AttendanceEntry(a.member_uuid, "present" if full_seen <= n_full else "leave", "外出培训")
            )
        else:
            entries.append(AttendanceEntry(a.member_uuid, "present"))
    return meetings.hold_meeting(
        db, uuid=m.uuid, started_at=datetime(2026, 10, 15, 14, 0), attendance=entries, today=TODAY
    )


def test_plan_fills_expected_in_signin_order(db, roster):
    m = meetings.plan_meeting(db, kind="branch_assembly", planned_on=DAY, topic="学习", planned_time="14:30")
    att = meetings.list_attendance(db, meeting_uuid=m.uuid)
    # 10 full + 3 probationary; the suspended member is not expected
    assert m.expected == 13 and m.present == 0
    assert [a.category for a in att] == ["full"] * 10 + ["probationary"] * 3
    assert roster["suspended"][0] not in {a.member_uuid for a in att}
    order = [x.uuid for x in members.list_members(db)]
    full = [a.member_uuid for a in att if a.category == "full"]
    assert full == [u for u in order if u in set(full)]
    assert (
        m.seq == 1 and meetings.plan_meeting(db, kind="branch_assembly", planned_on=DAY, topic="x").seq == 2
    )


def test_group_and_committee_meetings_expect_their_people(db, roster):
    g = roster["groups"][0]
    gm = meetings.plan_meeting(db, kind="group_meeting", planned_on=DAY, topic="学习", party_group_uuid=g)
    group_members = {m.uuid for m in members.list_members(db, party_group_uuid=g, standing="normal")}
    assert {a.member_uuid for a in meetings.list_attendance(db, meeting_uuid=gm.uuid)} == group_members
    cm = meetings.plan_meeting(db, kind="committee_meeting", planned_on=DAY, topic="研究")
    assert {a.member_uuid for a in meetings.list_attendance(db, meeting_uuid=cm.uuid)} == set(
        roster["committee"]
    )
    with pytest.raises(ValidationError, match="党小组会请选择党小组"):
        meetings.plan_meeting(db, kind="group_meeting", planned_on=DAY, topic="学习")


def test_probationary_member_counts_as_probationary_before_full_on(db, roster):
    # a member who became full in 2016 was probationary at a 2016-01 meeting
    m = meetings.plan_meeting(db, kind="branch_assembly", planned_on=date(2016, 1, 10), topic="旧会议")
    cats = {a.category for a in meetings.list_attendance(db, meeting_uuid=m.uuid)}
    assert cats == {
        "probationary"
    }  # everyone joined 2015-06 and became full 2016-06; later joiners not listed


@pytest.mark.parametrize(("present", "met"), [(5, False), (6, True)])
def test_assembly_quorum_more_than_half_of_full_members(db, roster, present, met):
    m = _held_with_full_present(db, roster, present)
    q = meetings.quorum(db, meeting_uuid=m.uuid)
    assert (q.entitled, q.present, q.needed, q.met) == (10, present, 6, met)


@pytest.mark.parametrize(("present", "met"), [(8, False), (9, True)])
def test_election_needs_more_than_four_fifths(db, roster, present, met):
    m = _held_with_full_present(db, roster, present, election=True)
    q = meetings.quorum(db, meeting_uuid=m.uuid)
    assert (q.entitled, q.needed, q.met) == (10, 9, met)


@pytest.mark.parametrize(("present", "met"), [(2, False), (3, True)])
def test_committee_quorum(db, roster, present, met):
    m = _held(db, kind="committee_meeting", present=present)
    q = meetings.quorum(db, meeting_uuid=m.uuid)
    assert (q.entitled, q.present, q.met) == (5, present, met)


def test_counts_derive_from_attendance(db, roster):
    m = _held(db, present=9)
    assert (m.expected, m.present, m.leave, m.absent) == (13, 9, 4, 0)
    assert meetings.attendance_counts(db, meeting_uuid=m.uuid)["leave"] == 4


def test_decision_without_quorum_is_flagged(db, roster):
    low = _held_with_full_present(db, roster, 5)
    d = meetings.add_decision(
        db,
        meeting_uuid=low.uuid,
        subject="接收预备党员",
        votes_for=5,
        votes_against=0,
        votes_abstain=0,
        resolution="通过",
    )
    assert d.quorum_met is False
    ok = _held_with_full_present(db, roster, 6)
    d2 = meetings.add_decision(
        db, meeting_uuid=ok.uuid, subject="接收预备党员", votes_for=6, votes_against=0, votes_abstain=0
    )
    assert d2.quorum_met is True


def test_vote_count_above_present_is_refused(db, roster):
    m = _held_with_full_present(db, roster, 6)
    with pytest.raises(ValidationError, match="超过到会有表决权的党员 6 人"):
        meetings.add_decision(
            db, meeting_uuid=m.uuid, subject="表决", votes_for=6, votes_against=1, votes_abstain=0
        )
    assert meetings.list_decisions(db, meeting_uuid=m.uuid) == []


def test_future_meeting_cannot_be_held(db, roster):
    m = meetings.plan_meeting(db, kind="theme_day", planned_on=date(2026, 12, 15), topic="重温入党誓词")
    with pytest.raises(ValidationError, match="未来的会议不能标记为已召开"):
        meetings.hold_meeting(db, uuid=m.uuid, started_at=datetime(2026, 12, 15, 9, 0), today=TODAY)
    assert meetings.get_meeting(db, uuid=m.uuid).status == "planned"


def test_leave_without_reason_is_refused_and_nothing_saved(db, roster):
    m = meetings.plan_meeting(db, kind="branch_assembly", planned_on=DAY, topic="学习")
    att = meetings.list_attendance(db, meeting_uuid=m.uuid)
    entries = [AttendanceEntry(a.member_uuid, "present") for a in att]
    entries[2] = AttendanceEntry(att[2].member_uuid, "leave", "  ")
    with pytest.raises(ValidationError) as exc:
        meetings.hold_meeting(
            db, uuid=m.uuid, started_at=datetime(2026, 10, 15, 14), attendance=entries, today=TODAY
        )
    assert f"{att[2].name}请假，请填写请假原因" in str(exc.value)
    after = meetings.get_meeting(db, uuid=m.uuid)
    assert after.status == "planned" and after.present == 0


def test_attendance_for_member_archived_before_meeting_is_refused(db, roster):
    gone = roster["full"][9]
    members.archive_member(db, uuid=gone, status="transferred_out", on=date(2026, 9, 1), reason="调往机电队")
    m = meetings.plan_meeting(db, kind="branch_assembly", planned_on=DAY, topic="学习")
    assert gone not in {a.member_uuid for a in meetings.list_attendance(db, meeting_uuid=m.uuid)}
    entries = [
        AttendanceEntry(a.member_uuid, "present") for a in meetings.list_attendance(db, meeting_uuid=m.uuid)
    ]
    with pytest.raises(ValidationError, match="2026-09-01 离开名册"):
        meetings.set_attendance(db, meeting_uuid=m.uuid, entries=[*entries, AttendanceEntry(gone, "present")])
    # a meeting before the transfer still lists them
    early = meetings.plan_meeting(db, kind="branch_assembly", planned_on=date(2026, 8, 20), topic="学习")
    assert gone in {a.member_uuid for a in meetings.list_attendance(db, meeting_uuid=early.uuid)}


def test_observers_are_listed_after_members_and_not_counted(db, roster):
    m = meetings.plan_meeting(
        db, kind="branch_assembly", planned_on=DAY, topic="学习", observers=["积极分子王晓东"]
    )
    att = meetings.list_attendance(db, meeting_uuid=m.uuid)
    assert att[-1].name == "积极分子王晓东" and att[-1].state == "observer" and att[-1].member_uuid is None
    assert m.expected == 13 and m.observers == 1


def test_locked_minutes_refuse_edits_and_take_amendments(db, roster):
    m = _held(db, present=12)
    meetings.lock_minutes(db, uuid=m.uuid, at=datetime(2026, 10, 16, 9, 0))
    entries = [
        AttendanceEntry(a.member_uuid, "present") for a in meetings.list_attendance(db, meeting_uuid=m.uuid)
    ]
    for attempt in (
        lambda: meetings.update_meeting(db, uuid=m.uuid, changes={"topic": "改过的议题"}, today=TODAY),
        lambda: meetings.set_attendance(db, meeting_uuid=m.uuid, entries=entries),
        lambda: meetings.add_decision(db, meeting_uuid=m.uuid, subject="补充表决"),
    ):
        with pytest.raises(ValidationError, match="已于 2026-10-16T09:00:00 锁定"):
            attempt()
    assert meetings.get_meeting(db, uuid=m.uuid).topic == "研究发展党员"
    with pytest.raises(ValidationError, match="请填写更正原因"):
        meetings.amend_meeting(db, uuid=m.uuid, field="place", value="会议室", reason="", on=DAY, today=TODAY)
    a = meetings.amend_meeting(
        db,
        uuid=m.uuid,
        field="place",
        value="调度楼会议室",
        reason="记录笔误",
        on=date(2026, 10, 20),
        today=TODAY,
    )
    assert (a.field, a.old, a.new, a.reason, a.at) == (
        "place",
        "",
        "调度楼会议室",
        "记录笔误",
        date(2026, 10, 20),
    )
    assert meetings.get_meeting(db, uuid=m.uuid).place == "调度楼会议室"
    assert len(meetings.list_amendments(db, meeting_uuid=m.uuid)) == 1


def test_appraisal_meeting_grades_through_its_years_round(db, roster):
    """A 民主评议党员 meeting has no grades of its own: it opens its 年度's round (created and linked the first time)
    and shows the round's 支部评定; the round refuses a 预备党员 and warns above a third 优秀."""
    m = _held(db, kind="appraisal")
    with pytest.raises(ValidationError, match="请选择召开民主测评的民主评议党员会议"):
        appraisal.round_for_meeting(db, meeting_uuid=_held(db).uuid, today=TODAY)
    assert appraisal.meeting_grades(db, meeting_uuid=m.uuid) == []
    r = appraisal.round_for_meeting(db, meeting_uuid=m.uuid, today=TODAY)
    assert (r.year, r.meeting_uuid) == (2026, m.uuid)
    assert appraisal.round_for_meeting(db, meeting_uuid=m.uuid, today=TODAY).uuid == r.uuid
    full = roster["full"]
    too_many = {u: ("excellent" if i < 4 else "qualified") for i, u in enumerate(full)}  # 4 of 10 > 1/3
    (warning,) = appraisal.set_grades(db, round_uuid=r.uuid, grades=too_many, today=TODAY)  # a warning only
    assert warning.warning and "超过评定等次的正式党员 10 人的三分之一" in warning.message
    with pytest.raises(ValidationError, match="是预备党员，参加评议但不评定等次"):
        appraisal.set_grades(
            db, round_uuid=r.uuid, grades={roster["probationary"][0]: "qualified"}, today=TODAY
        )
    ok = {u: ("excellent" if i < 3 else "qualified") for i, u in enumerate(full)}
    assert appraisal.set_grades(db, round_uuid=r.uuid, grades=ok, today=TODAY) == []
    grades = appraisal.meeting_grades(db, meeting_uuid=m.uuid)
    assert {g.member_uuid for g in grades} == set(full) and sum(g.grade == "excellent" for g in grades) == 3


def test_heart_talks_need_two_people(db, roster):
    a, b = roster["committee"][:2]
    with pytest.raises(ValidationError, match="至少需要两名参与人"):
        meetings.record_heart_talk(db, held_on=DAY, participant_uuids=[a, a], topic="谈心", today=TODAY)
    t = meetings.record_heart_talk(
        db, held_on=DAY, participant_uuids=[a, b], topic="交流思想，谈工作。", today=TODAY
    )
    assert (
        set(t.participant_uuids) == {a, b} and t.topic == "交流思想，谈工作。"
    )  # full-width punctuation kept


def test_find_meeting_by_reference(db, roster):
    m = meetings.plan_meeting(db, kind="party_lecture", planned_on=DAY, topic="党课", lecturer="李书记")
    assert meetings.find_meeting(db, ref=m.uuid).uuid == m.uuid
    assert meetings.find_meeting(db, ref="2026-party_lecture-1").uuid == m.uuid
    assert meetings.find_meeting(db, ref="2026-党课-1").uuid == m.uuid
    with pytest.raises(NotFound, match="2026-党课-9"):
        meetings.find_meeting(db, ref="2026-党课-9")


def test_signin_sheet_variants(db, roster):
    m = _held(db, present=11)
    planned = meetings.signin_sheet(db, meeting_uuid=m.uuid, variant="planned")
    assert planned.title == "综采一队党支部 支部党员大会签到表"
    assert [b[0] for b in planned.blocks] == ["正式党员（10 人）", "预备党员（3 人）", "其他到会人员"]
    assert planned.expected == 13 and planned.present is None
    filled = meetings.signin_sheet(db, meeting_uuid=m.uuid, variant="filled")
    assert (filled.present, filled.leave) == (11, 2)
    assert filled.blocks[1][1][-1].note == "请假：下井当班"
    blank = meetings.signin_sheet(db, meeting_uuid=m.uuid, variant="blank")
    assert all(r.name == "" for _, rows in blank.blocks for r in rows)


def test_monthly_rows(db, roster):
    m = _held(db, present=12)
    rows = meetings.monthly_meeting_rows(db, month="2026-10")
    assert [r["uuid"] for r in rows] == [m.uuid]
    r = rows[0]
    assert (r["kind"], r["held_on"], r["expected"], r["present"], r["leave"]) == (
        "branch_assembly",
        DAY,
        13,
        12,
        1,
    )
    assert "下井当班" in r["leave_people"] and r["quorum"].startswith("符合")
    att = meetings.monthly_attendance_rows(db, month="2026-10")
    assert len(att) == 13 and {a["state"] for a in att} == {"present", "leave"}
    assert meetings.monthly_meeting_rows(db, month="2026-11") == []
    figures = meetings.monthly_meeting_figures(db, month="2026-10")
    # October: committee, theme day, 2 group meetings due (none held); the quarter's assembly is due in December
    assert figures == {"应开会议": 4, "按期召开": 0, "本月召开会议": 1, "请假人次": 1}
    # December adds the quarter (assembly, lecture) and the year (life meeting, appraisal)
    assert meetings.monthly_meeting_figures(db, month="2026-12")["应开会议"] == 8


def _demo_summary(path):
    db = store.open(path)
    try:
        branch.save_branch(db, name="演示党支部")
        make_roster(db, full=20, probationary=4, groups=3, committee=5)
        with db.atomic():
            meetings.demo_meetings(db, rng=random.Random(7), today=TODAY)
        ms = meetings.list_meetings(db)
        return [(m.kind, m.held_on, m.status, m.present, m.leave, m.locked) for m in ms], db
    finally:
        pass


def test_demo_is_deterministic_and_realistic(db_path, tmp_path):
    other = tmp_path / "other.sqlite"
    shutil.copy(db_path, other)
    first, db1 = _demo_summary(db_path)
    second, db2 = _demo_summary(other)
    try:
        assert first == second
        kinds = {k for k, *_ in first}
        assert kinds == set(meetings.KINDS)
        assert any(leave for *_, leave, _l in first)
        assert meetings.list_heart_talks(db1, year=2026)
        rows = meetings.compliance(db1, period="year", year=2026, today=TODAY)
        assert next(r for r in rows if r.kind == "branch_assembly").missing == ("2026年第3季度",)
    finally:
        store.close(db1)
        store.close(db2)


def test_next_finds_the_first_planned_meeting_from_today(db) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from db import demo, meetings
    from db.errors import NotFound

    demo.generate(db, members=20, seed=3, today=date(2026, 11, 20))
    upcoming = meetings.find_meeting(db, ref="next", today=date(2026, 11, 20))
    planned = [m for m in meetings.list_meetings(db) if m.status == "planned"]
    # The demo keeps a meeting that falls on today planned (its sign-in sheet is printed now) and puts next
    # month's theme day on the calendar (setting, default the 15th): "next" is the earliest from today on.
    assert any(m.kind == "theme_day" and m.planned_on == date(2026, 12, 15) for m in planned)
    assert upcoming.status == "planned"
    assert upcoming.planned_on == min(m.planned_on for m in planned if m.planned_on >= date(2026, 11, 20))
    with pytest.raises(NotFound, match="没有计划中的会议"):
        meetings.find_meeting(db, ref="next", today=date(2027, 1, 1))


def test_signin_list_follows_the_roster_until_attendance_is_recorded(db, roster):
    import time
    from datetime import timedelta

    today = date.today()
    m = meetings.plan_meeting(
        db,
        kind="branch_assembly",
        planned_on=today + timedelta(days=10),
        topic="学习",
        observers=["积极分子王晓东"],
    )
    leaving = roster["full"][-1]
    left_name = members.get_member(db, uuid=leaving).name
    time.sleep(1.1)  # created_at has seconds precision: the new member is added after the meeting was planned
    members.archive_member(
        db, uuid=leaving, status="transferred_out", on=today - timedelta(days=1), reason="调动"
    )
    newcomer = members.add_member(
        db,
        values={
            "name": "新来的",
            "category": "full",
            "joined_on": date(2010, 1, 1),
            "full_on": date(2011, 1, 1),
        },
    )

    def names(variant: str = "planned") -> list[str]:
        sheet = meetings.signin_sheet(db, meeting_uuid=m.uuid, variant=variant)
        return [r.name for _, rows in sheet.blocks for r in rows if r.name]

    planned = names()
    assert "新来的" in planned and left_name not in planned and planned[-1] == "积极分子王晓东"
    sheet = meetings.signin_sheet(db, meeting_uuid=m.uuid)
    assert (
        sheet.expected == 13
    )  # 10 full - 1 transferred out + 1 new + 3 probationary; the suspended not expected
    assert [h for h, _ in sheet.blocks][-2:] == ["列席人员（1 人）", "其他到会人员"]
    # once attendance is recorded the list is what was recorded: later roster changes no longer move it
    att = meetings.sheet_attendance(db, meetings.get_meeting(db, uuid=m.uuid))  # what the record dialog shows
    meetings.set_attendance(
        db,
        meeting_uuid=m.uuid,
        entries=[
            AttendanceEntry(a.member_uuid, "leave", "出差")
            if a.member_uuid
            else AttendanceEntry(None, "observer", observer_name=a.name)
            for a in att
        ],
    )
    frozen = names()
    assert frozen == planned
    members.add_member(
        db,
        values={
            "name": "再来的",
            "category": "full",
            "joined_on": date(2010, 1, 1),
            "full_on": date(2011, 1, 1),
        },
    )
    assert "再来的" not in names()
    assert newcomer.uuid in {a.member_uuid for a in meetings.list_attendance(db, meeting_uuid=m.uuid)}


def test_signin_counts_and_kind_lines(db, roster):
    m = _held(db, present=9)  # 13 expected: 9 present, 4 on leave
    att = meetings.list_attendance(db, meeting_uuid=m.uuid)
    entries = [
        AttendanceEntry(a.member_uuid, "present" if i < 9 else "absent" if i == 12 else "leave", "下井当班")
        for i, a in enumerate(att)
    ]
    meetings.set_attendance(db, meeting_uuid=m.uuid, entries=entries)
    filled = meetings.signin_sheet(db, meeting_uuid=m.uuid, variant="filled")
    assert (filled.expected, filled.present, filled.leave, filled.absent) == (13, 9, 3, 1)
    assert filled.expected == filled.present + filled.leave + filled.absent
    lecture = meetings.plan_meeting(
        db, kind="party_lecture", planned_on=DAY, topic="党章第三章", lecturer="王书记"
    )
    assert meetings.signin_sheet(db, meeting_uuid=lecture.uuid).details == (
        ("授课人", "王书记"),
        ("党课题目", "党章第三章"),
    )
    day = meetings.plan_meeting(db, kind="theme_day", planned_on=DAY, topic="走进革命纪念馆")
    assert meetings.signin_sheet(db, meeting_uuid=day.uuid).details == (("活动主题", "走进革命纪念馆"),)


def test_attendance_of_many_meetings_reads_as_each_one_does(db) -> None:  # type: ignore[no-untyped-def]
    """The home page reads a year of meetings' attendance in one query (``attendance_of``): each meeting's list, its
    sign-in order (observers last) and its role warnings are what the one-meeting readers give."""
    from db import demo

    demo.generate(db, members=40, seed=1, today=date(2026, 11, 15))
    held = meetings.list_meetings(db, status="held")
    assert len(held) > 20
    together = meetings.attendance_of(db, [m.uuid for m in held])
    assert any(
        any(a.member_uuid is None for a in att) for att in together.values()
    )  # observers are there too
    for m in held:
        assert together[m.uuid] == meetings.list_attendance(db, meeting_uuid=m.uuid)
        assert meetings.attended_role_warnings(m, together[m.uuid]) == meetings.role_warnings(
            db, meeting_uuid=m.uuid
        )
