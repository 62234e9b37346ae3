"""Issue 14, yearly meetings and the records start: each rule at its boundary, each test naming the rule it proves.

The rules and the quoted texts are in docs/rules.md; ``test_rules_doc`` checks that every test named there exists.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from db import appraisal, branch, meetings, members, transfers
from db.errors import ValidationError
from db.rules import add_months
from tests.db.meetings_helpers import make_roster


@pytest.fixture
def roster(db):  # type: ignore[no-untyped-def]
    branch.save_branch(db, name="掘进二队党支部")
    return make_roster(db, full=6, probationary=1, groups=2, committee=3)


def _held(db, kind: str, on: date, **kw) -> meetings.Meeting:  # type: ignore[no-untyped-def]
    m = meetings.plan_meeting(db, kind=kind, planned_on=on, topic="议题", **kw)
    return meetings.hold_meeting(
        db, uuid=m.uuid, started_at=datetime.combine(on, datetime.min.time()), today=date(2030, 1, 1)
    )


def _row(rows, kind: str):  # type: ignore[no-untyped-def]
    return next(r for r in rows if r.kind == kind)


def _texts(db, today: date, kind: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.text for r in meetings.meeting_reminders(db, today=today) if r.filters.get("kind") == kind]


@pytest.mark.parametrize(
    ("held_on", "year"), [(date(2026, 1, 1), 2025), (date(2026, 3, 31), 2025), (date(2026, 4, 1), 2026)]
)
def test_yearly_review_defaults_to_previous_year_in_first_quarter(
    db, roster, held_on: date, year: int
) -> None:  # type: ignore[no-untyped-def]
    """Issue 14 / 支部工作条例 (组织生活会 一般每年召开1次): a review held January–March reviews the previous 年度."""
    for kind in ("life_meeting", "appraisal"):
        m = _held(db, kind, held_on)
        assert m.review_year == year and m.reviewed_year == year
    assert _row(meetings.compliance(db, period="year", year=year, heart_talks=False), "life_meeting").ok


def test_review_held_in_january_satisfies_last_year_and_raises_no_alarm(db, roster) -> None:  # type: ignore[no-untyped-def]
    """Issue 14: a "2025年度组织生活会" held on 2026-01-15 satisfies 2025 and raises no "2025年未召开" alarm."""
    _held(db, "life_meeting", date(2026, 1, 15))
    r2025 = _row(meetings.compliance(db, period="year", year=2025, today=date(2026, 2, 1)), "life_meeting")
    assert r2025.ok and r2025.missing == ()
    r2026 = _row(meetings.compliance(db, period="year", year=2026, today=date(2026, 2, 1)), "life_meeting")
    assert r2026.held == 0 and r2026.missing == ()
    assert all("2025" not in t for t in _texts(db, date(2026, 4, 1), "life_meeting"))


@pytest.mark.parametrize(
    ("today", "kind", "text"),
    [
        (date(2026, 1, 1), "meeting_due", "尚未召开2025年度组织生活会，03月31日前应召开"),
        (date(2026, 3, 31), "meeting_due", "尚未召开2025年度组织生活会，03月31日前应召开"),
        (date(2026, 4, 1), "meeting_overdue", "未召开2025年度组织生活会"),
    ],
)
def test_last_years_review_is_due_until_march_then_overdue(
    db, roster, today: date, kind: str, text: str
) -> None:  # type: ignore[no-untyped-def]
    """Issue 14: last year's review may still be held in January–March; the alarm comes on 1 April, by 年度."""
    found = [
        r for r in meetings.meeting_reminders(db, today=today) if r.filters.get("kind") == "life_meeting"
    ]
    assert [(r.kind, r.text) for r in found] == [(kind, text)]
    r2025 = _row(
        meetings.compliance(db, period="year", year=2025, today=today, heart_talks=False), "life_meeting"
    )
    assert (r2025.missing, r2025.due) == (
        (("2025年",), ()) if kind == "meeting_overdue" else ((), ("2025年",))
    )


def test_review_year_is_validated(db, roster) -> None:  # type: ignore[no-untyped-def]
    """Issue 14: the 年度 is the year held or the one before; other kinds carry none."""
    m = _held(db, "life_meeting", date(2026, 12, 20), review_year=2026)
    assert m.review_year == 2026
    with pytest.raises(ValidationError, match="年度应为召开当年或上一年"):
        meetings.plan_meeting(
            db, kind="appraisal", planned_on=date(2026, 5, 1), topic="议题", review_year=2024
        )
    with pytest.raises(ValidationError, match="不按年度评议"):
        meetings.plan_meeting(
            db, kind="branch_assembly", planned_on=date(2026, 5, 1), topic="议题", review_year=2026
        )


@pytest.mark.parametrize(
    ("start", "alarm"), [(date(2026, 3, 31), True), (date(2026, 4, 1), True), (date(2026, 4, 2), False)]
)
def test_no_meeting_reminder_before_the_records_start(db, roster, start: date, alarm: bool) -> None:  # type: ignore[no-untyped-def]
    """Issue 14: a branch records the date it started keeping its records here; no reminder for a period before —
    a quarter that began before the records start is not reported as missing its 支部党员大会."""
    branch.set_records_start(db, on=start)
    texts = _texts(db, date(2026, 7, 2), "branch_assembly")
    assert ("2026年第2季度未召开支部党员大会" in texts) is alarm
    q2 = _row(
        meetings.compliance(db, period="quarter", year=2026, number=2, today=date(2026, 7, 2)),
        "branch_assembly",
    )
    assert (q2.missing == ("2026年第2季度",)) is alarm


def _assembly_with(db, on: date, roster, absent: str, state: str = "absent") -> None:  # type: ignore[no-untyped-def]
    """A held 支部党员大会 on ``on``: everyone present except ``absent`` (缺席 or 请假)."""
    m = _held(db, "branch_assembly", on)
    entries = [
        meetings.AttendanceEntry(u, state if u == absent else "present", "不明" if u == absent else "")
        for u in roster["full"]
    ]
    meetings.set_attendance(db, meeting_uuid=m.uuid, entries=entries)


@pytest.mark.parametrize(("today", "reminded"), [(date(2026, 7, 9), False), (date(2026, 7, 10), True)])
def test_six_months_without_organisational_life_is_a_reminder(
    db, roster, today: date, reminded: bool
) -> None:  # type: ignore[no-untyped-def]
    """党章第九条: 党员如果没有正当理由，连续六个月不参加党的组织生活…就被认为是自行脱党 — last present 2026-01-10,
    缺席 since: reminded from 2026-07-10; the text quotes the article."""
    who = roster["full"][5]
    _assembly_with(db, date(2026, 1, 10), roster, absent="")
    for on in (date(2026, 3, 10), date(2026, 6, 10)):
        _assembly_with(db, on, roster, absent=who)
    found = [r for r in meetings.meeting_reminders(db, today=today) if r.kind == "absence_six_months"]
    assert bool(found) is reminded
    if reminded:
        assert (
            found[0].filters == {"member": who}
            and "党章第九条" in found[0].text
            and "2026-01-10" in found[0].text
        )


def test_leave_with_reason_suppresses_the_absence_reminder(db, roster) -> None:  # type: ignore[no-untyped-def]
    """党章第九条 speaks of 没有正当理由: a 请假 (recorded reason) among the missed meetings keeps the reminder away."""
    who = roster["full"][5]
    _assembly_with(db, date(2026, 1, 10), roster, absent="")
    _assembly_with(db, date(2026, 3, 10), roster, absent=who, state="leave")
    _assembly_with(db, date(2026, 6, 10), roster, absent=who)
    assert [
        r for r in meetings.meeting_reminders(db, today=date(2026, 8, 1)) if r.kind == "absence_six_months"
    ] == []


@pytest.mark.parametrize(("today", "reminded"), [(date(2026, 8, 9), False), (date(2026, 8, 10), True)])
def test_a_leave_covers_its_own_meeting_not_the_months_after(db, roster, today: date, reminded: bool) -> None:  # type: ignore[no-untyped-def]
    """党章第九条 (没有正当理由，连续六个月): a 请假 in February is the reason for February's meeting; absent with no
    reason at every meeting after it, the member is six months without organisational life on 08-10 (six months
    after the leave), not never (one 请假 kept the reminder away for good)."""
    who = roster["full"][5]
    _assembly_with(db, date(2026, 1, 10), roster, absent="")
    _assembly_with(db, date(2026, 2, 10), roster, absent=who, state="leave")
    for on in (date(2026, 3, 10), date(2026, 5, 10), date(2026, 7, 10)):
        _assembly_with(db, on, roster, absent=who)
    found = [r for r in meetings.meeting_reminders(db, today=today) if r.kind == "absence_six_months"]
    assert bool(found) == reminded
    if reminded:
        assert "自 2026-02-10 以来" in found[0].text and "缺席 3 次" in found[0].text


@pytest.mark.parametrize(
    ("returned", "today", "reminded"),
    [
        (None, date(2026, 8, 1), False),
        (date(2026, 7, 1), date(2026, 12, 31), False),
        (date(2026, 7, 1), date(2027, 1, 1), True),
    ],
)
def test_misses_while_away_as_a_mobile_member_are_not_without_reason(
    db, roster, returned: date | None, today: date, reminded: bool
) -> None:  # type: ignore[no-untyped-def]
    """党章第九条 (没有正当理由): a 流动党员 takes part in organisational life where they went (中组部《流动党员活动证》:
    “外出所在地党组织应安排持有《流动党员活动证》的外来党员参加党的组织生活”), so missing the home branch's meetings
    while away is no six months without organisational life. Away from 2026-01-20: no reminder while away; back on
    2026-07-01 and absent since, the six months count from the return: reminded from 2027-01-01, not before."""
    who = roster["full"][5]
    _assembly_with(db, date(2026, 1, 10), roster, absent="")
    period = transfers.start_mobile(
        db,
        member_uuid=who,
        province="广东省",
        city="深圳市",
        reason="外出务工",
        started_on=date(2026, 1, 20),
        today=date(2026, 1, 20),
    )
    if returned is not None:
        transfers.end_mobile(db, uuid=period.uuid, ended_on=returned, today=returned)
    for on in (date(2026, 3, 10), date(2026, 6, 10), date(2026, 9, 10), date(2026, 12, 10)):
        _assembly_with(db, on, roster, absent=who)
    found = [r for r in meetings.meeting_reminders(db, today=today) if r.kind == "absence_six_months"]
    assert bool(found) is reminded
    if reminded:
        assert "2026-07-01" in found[0].text


def test_a_suspended_member_gets_no_absence_reminder(db, roster) -> None:  # type: ignore[no-untyped-def]
    """教管条例第二十四条: a member whose 党籍 is suspended (停止党籍) is not expected at meetings; the 缺席 recorded
    before the suspension do not make a 党章第九条 reminder afterwards."""
    who = roster["full"][5]
    _assembly_with(db, date(2026, 1, 10), roster, absent="")
    for on in (date(2026, 3, 10), date(2026, 6, 10)):
        _assembly_with(db, on, roster, absent=who)
    transfers.record_event(
        db,
        member_uuid=who,
        kind="suspended",
        happened_on=date(2026, 6, 20),
        reason="依据",
        today=date(2026, 6, 20),
    )
    assert [
        r for r in meetings.meeting_reminders(db, today=date(2026, 8, 1)) if r.kind == "absence_six_months"
    ] == []


def _absences(db, today: date) -> list[meetings.Reminder]:  # type: ignore[no-untyped-def]
    return [r for r in meetings.meeting_reminders(db, today=today) if r.kind == "absence_six_months"]


def test_only_meetings_held_by_the_day_count_for_the_six_months(db, roster) -> None:  # type: ignore[no-untyped-def]
    """党章第九条 (连续六个月不参加党的组织生活) is judged on the day asked: a meeting dated after it is not yet
    organisational life missed or attended. Present 2025-12-01, then no meeting until one on 2026-08-01 where the
    member is 缺席: on 2026-06-05 no meeting had been missed (before, the August 缺席 made a “缺席 1 次” alarm).
    Present 2026-01-10, 缺席 03-10 and 06-10, present 08-01: on 07-10 the six months are reached (before, the August
    attendance hid them)."""
    who = roster["full"][5]
    _assembly_with(db, date(2025, 12, 1), roster, absent="")
    _assembly_with(db, date(2026, 8, 1), roster, absent=who)
    assert _absences(db, date(2026, 6, 5)) == []
    assert [r.since for r in _absences(db, date(2026, 8, 1))] == [date(2026, 6, 1)]


def test_a_later_attendance_does_not_hide_the_six_months_before_it(db, roster) -> None:  # type: ignore[no-untyped-def]
    """党章第九条, judged on the day asked (see above): an attendance after that day does not count on it."""
    who = roster["full"][5]
    _assembly_with(db, date(2026, 1, 10), roster, absent="")
    for on in (date(2026, 3, 10), date(2026, 6, 10)):
        _assembly_with(db, on, roster, absent=who)
    _assembly_with(db, date(2026, 8, 1), roster, absent="")
    assert [r.since for r in _absences(db, date(2026, 7, 10))] == [date(2026, 7, 10)]
    assert _absences(db, date(2026, 8, 1)) == []


def test_an_unrecorded_attendance_is_not_six_months_established(db, roster) -> None:  # type: ignore[no-untyped-def]
    """党章第九条 (连续六个月不参加党的组织生活): a meeting held whose attendance is not recorded yet (应到 only) does not
    show the member missed it. Present 2026-01-10, 缺席 02-10, the 05-10 meeting's attendance not recorded: no
    自行脱党 alarm on 07-10 (before: “自 2026-01-10 以来…缺席 1 次”), the 未登记出席情况 reminder asks for it; once
    recorded 缺席 the alarm stands on the same day."""
    who = roster["full"][5]
    _assembly_with(db, date(2026, 1, 10), roster, absent="")
    _assembly_with(db, date(2026, 2, 10), roster, absent=who)
    may = _held(db, "branch_assembly", date(2026, 5, 10))
    today = date(2026, 7, 10)
    assert _absences(db, today) == []
    assert any(
        r.kind == "attendance_incomplete" and r.filters == {"meeting": may.uuid}
        for r in meetings.meeting_reminders(db, today=today)
    )
    entries = [
        meetings.AttendanceEntry(u, "absent" if u == who else "present", "不明" if u == who else "")
        for u in roster["full"]
    ]
    meetings.set_attendance(db, meeting_uuid=may.uuid, entries=entries)
    assert [r.filters for r in _absences(db, today)] == [{"member": who}]


def _back(db, who: str, how: str, roster) -> date:  # type: ignore[no-untyped-def]
    """Take the member away on 2026-04-01 (转出, 停止党籍 or 失联) and bring them back; the day they are back."""
    if how == "transfer":
        m = members.get_member(db, uuid=who)
        t = transfers.transfer_out(
            db,
            member_uuid=who,
            addressee="燕子山矿党委",
            to_unit="燕子山矿党委",
            issued_on=date(2026, 4, 1),
            today=date(2026, 4, 1),
        )
        transfers.record_receipt(db, uuid=t.uuid, returned_on=date(2026, 4, 10), today=date(2026, 4, 10))
        back = date(2027, 3, 1)
        transfers.transfer_in(
            db,
            values={"name": m.name, "citizen_id": m.citizen_id, "category": "full"},
            from_unit="燕子山矿党委",
            letter_serial="2027-001",
            arrived_on=back,
            scope="within",
            today=back,
        )
        return back
    away, back_kind, back = {
        "suspension": ("suspended", "reinstated", date(2027, 3, 1)),
        "lost_contact": ("lost_contact", "contact_restored", date(2026, 12, 1)),
    }[how]
    transfers.record_event(
        db, member_uuid=who, kind=away, happened_on=date(2026, 4, 1), reason="依据", today=date(2026, 4, 1)
    )
    transfers.record_event(db, member_uuid=who, kind=back_kind, happened_on=back, reason="依据", today=back)
    return back


@pytest.mark.parametrize("how", ["transfer", "suspension", "lost_contact"])
def test_six_months_count_again_from_the_day_the_member_is_back(db, roster, how: str) -> None:  # type: ignore[no-untyped-def]
    """党章第九条 (连续六个月): a member transferred out and back in, reinstated after 停止党籍 (教管条例第二十四条) or
    found again after 失联 was not expected at this branch's meetings meanwhile; the 缺席 before are no six months
    without organisational life on the day they are back (before, the alarm came the next day, “自 2026-01-10
    以来”). Absent at every meeting after it, the six months count from the day they are back."""
    who = roster["full"][5]
    _assembly_with(db, date(2026, 1, 10), roster, absent="")
    _assembly_with(db, date(2026, 3, 10), roster, absent=who)
    back = _back(db, who, how, roster)
    assert _absences(db, back + timedelta(days=1)) == []
    after = add_months(back, 1)
    _assembly_with(db, after, roster, absent=who)
    assert _absences(db, add_months(back, 6) - timedelta(days=1)) == []
    found = _absences(db, add_months(back, 6))
    assert [r.filters for r in found] == [{"member": who}]
    assert f"自 {back} 以来" in found[0].text and "缺席 1 次" in found[0].text


@pytest.mark.parametrize(("state", "warned"), [("present", False), ("leave", True), ("absent", True)])
def test_host_recorder_or_lecturer_absent_is_a_warning(db, roster, state: str, warned: bool) -> None:  # type: ignore[no-untyped-def]
    """Issue 14 (the minutes would contradict themselves): a meeting whose 主持人, 记录人 or 授课人 is marked 请假 or 缺席
    is a warning on the meeting and among the reminders; present, nothing."""
    host, recorder, lecturer = roster["full"][:3]
    lecturer_name = next(
        m.name
        for m, _ in meetings.expected_members(db, kind="party_lecture", on=date(2026, 5, 1))
        if m.uuid == lecturer
    )
    m = _held(
        db, "party_lecture", date(2026, 5, 1), host_uuid=host, recorder_uuid=recorder, lecturer=lecturer_name
    )
    for who in (host, recorder, lecturer):
        entries = [
            meetings.AttendanceEntry(u, state if u == who else "present", "下井当班" if u == who else "")
            for u in roster["full"] + roster["probationary"]
        ]
        meetings.set_attendance(db, meeting_uuid=m.uuid, entries=entries)
        found = meetings.role_warnings(db, meeting_uuid=m.uuid)
        assert bool(found) is warned
        reminded = [
            r
            for r in meetings.meeting_reminders(db, today=date(2026, 5, 20))
            if r.kind == "meeting_role_absent"
        ]
        assert bool(reminded) is warned
        if warned:
            assert (
                found[0].warning
                and found[0].field == {host: "host", recorder: "recorder", lecturer: "lecturer"}[who]
            )


@pytest.mark.parametrize(("second_excellent", "warned"), [(0, False), (1, True)])
def test_excellent_cap_counts_the_year_and_only_warns(
    db, roster, second_excellent: int, warned: bool
) -> None:  # type: ignore[no-untyped-def]
    """民主评议党员: 评定为“优秀”的比例一般不超过党员总数的三分之一 (共产党员网; 党员总数 = the full members) — two
    appraisal meetings of the 2025 年度 open the one round of the 年度, graded 3 members at a time: 2 优秀 of 6 is
    within a third (though 2 of 3 after the first entry warns), 3 of 6 is above it — a warning (“一般”), saved all
    the same, and the appraisal part's reminder opening the round."""
    full = roster["full"]
    first = _held(db, "appraisal", date(2026, 1, 10))
    second = _held(db, "appraisal", date(2026, 2, 10))
    r = appraisal.round_for_meeting(db, meeting_uuid=first.uuid, today=date(2026, 3, 1))
    assert appraisal.round_for_meeting(db, meeting_uuid=second.uuid, today=date(2026, 3, 1)).uuid == r.uuid
    first_grades: dict[str, str | None] = {full[0]: "excellent", full[1]: "excellent", full[2]: "qualified"}
    assert appraisal.set_grades(db, round_uuid=r.uuid, grades=first_grades, today=date(2026, 3, 1))
    grades: dict[str, str | None] = {u: "qualified" for u in full[3:]}
    if second_excellent:
        grades[full[3]] = "excellent"
    warnings = appraisal.set_grades(db, round_uuid=r.uuid, grades=grades, today=date(2026, 3, 1))
    assert len(appraisal.meeting_grades(db, meeting_uuid=first.uuid)) == 6
    assert bool(warnings) is warned
    reminded = [
        x
        for x in appraisal.appraisal_reminders(db, today=date(2026, 3, 1))
        if x.kind == "appraisal_excellent_cap"
    ]
    assert bool(reminded) is warned
    if warned:
        assert warnings[0].warning and "2025年度评定为优秀 3 人" in warnings[0].message
        assert reminded[0].filters == {"round": r.uuid} and reminded[0].page == "appraisal"


def _assembly_present(db, roster, on: date, n_present: int) -> meetings.Meeting:  # type: ignore[no-untyped-def]
    """A held 支部党员大会 on ``on`` where the first ``n_present`` full members are present, the rest 请假."""
    m = _held(db, "branch_assembly", on)
    entries = [
        meetings.AttendanceEntry(
            u, "present" if i < n_present else "leave", "" if i < n_present else "外出培训"
        )
        for i, u in enumerate(roster["full"])
    ]
    meetings.set_attendance(db, meeting_uuid=m.uuid, entries=entries)
    return m


@pytest.mark.parametrize(
    ("votes", "passed"),
    [((5, 0, 5), False), ((5, 1, 0), False), ((6, 0, 4), True), ((6, 4, 0), True), ((4, 0, 0), False)],
)
def test_assembly_decision_passes_only_with_more_than_half_of_entitled(
    db, roster10, votes: tuple[int, int, int], passed: bool
) -> None:  # type: ignore[no-untyped-def]
    """支部工作条例第十一条: “赞成人数超过应到会有表决权的党员的半数为通过” — of 10 full members, 5 in favour is not
    passed (whatever the abstentions), 6 is; the decision says so, and its flag is shown with the minutes."""
    m = _assembly_present(db, roster10, date(2026, 5, 10), 10)
    d = meetings.add_decision(
        db,
        meeting_uuid=m.uuid,
        subject="表彰优秀党员",
        votes_for=votes[0],
        votes_against=votes[1],
        votes_abstain=votes[2],
        resolution="通过",
    )
    assert d.quorum_met and d.passed is passed
    assert ("未获通过" in d.flags) is not passed
    assert meetings.add_decision(db, meeting_uuid=m.uuid, subject="学习安排").passed is None  # no vote taken


@pytest.mark.parametrize(("present", "met"), [(5, False), (6, True)])
def test_assembly_quorum_counts_the_standing_of_the_meeting_day(
    db, roster10, present: int, met: bool
) -> None:  # type: ignore[no-untyped-def]
    """细则第二十条 / 支部工作条例第十一条 with 党章第七条 (who votes): 应到 is the roster of the meeting's day. A member
    suspended (停止党籍) after the meeting still counted on it: 10 entitled, 5 present is not quorate."""
    m = _assembly_present(db, roster10, date(2026, 5, 10), present)
    transfers.record_event(
        db,
        member_uuid=roster10["full"][9],
        kind="suspended",
        happened_on=date(2026, 6, 1),
        reason="依据",
        today=date(2026, 6, 1),
    )
    q = meetings.quorum(db, meeting_uuid=m.uuid)
    assert (q.entitled, q.present, q.met) == (10, present, met)


@pytest.fixture
def roster10(db):  # type: ignore[no-untyped-def]
    branch.save_branch(db, name="掘进二队党支部")
    return make_roster(db, full=10, probationary=1, groups=2, committee=3)


def test_only_members_with_a_vote_are_counted_as_voters_present(db, roster10) -> None:  # type: ignore[no-untyped-def]
    """选举工作条例第五条: “受留党察看处分的党员在留党察看期间没有表决权、选举权和被选举权;预备党员没有表决权” — of
    the 10 full members present one is under 留党察看, so 9 votes at most: 6/4/0 is refused, naming who may vote,
    6/3/0 is taken. At a 党小组会 the 预备党员 present add no vote either."""
    watched = roster10["full"][9]
    transfers.record_event(
        db,
        member_uuid=watched,
        kind="probation_watch",
        happened_on=date(2026, 1, 10),
        ends_on=date(2027, 1, 9),
        reason="违反工作纪律",
        today=date(2026, 1, 10),
    )
    m = _assembly_present(db, roster10, date(2026, 5, 10), 10)
    assert meetings.voters_present(db, m) == 9
    with pytest.raises(ValidationError, match="超过到会有表决权的党员 9 人") as exc:
        meetings.add_decision(
            db, meeting_uuid=m.uuid, subject="表彰", votes_for=6, votes_against=4, votes_abstain=0
        )
    assert "留党察看" in str(exc.value) and meetings.list_decisions(db, meeting_uuid=m.uuid) == []
    d = meetings.add_decision(
        db, meeting_uuid=m.uuid, subject="表彰", votes_for=6, votes_against=3, votes_abstain=0
    )
    assert d.passed is True
    group = _held(db, "group_meeting", date(2026, 5, 12), party_group_uuid=roster10["groups"][0])
    att = meetings.list_attendance(db, meeting_uuid=group.uuid)
    meetings.set_attendance(
        db, meeting_uuid=group.uuid, entries=[meetings.AttendanceEntry(a.member_uuid, "present") for a in att]
    )
    full_present = sum(1 for a in att if a.category == "full" and a.member_uuid != watched)
    assert len(att) > full_present  # the group has a 预备党员 (and the member under 留党察看)
    assert meetings.voters_present(db, meetings.get_meeting(db, uuid=group.uuid)) == full_present


def test_an_amendment_cannot_move_a_held_meeting_into_the_future(db, roster10) -> None:  # type: ignore[no-untyped-def]
    """An amendment of locked minutes is refused what a direct edit of unlocked minutes is refused: a held meeting
    whose 实际开始时间 lies after today (“未来的会议不能标记为已召开”). Nothing is changed, no amendment is kept; the
    day itself is accepted."""
    today = date(2026, 5, 20)
    m = _assembly_present(db, roster10, date(2026, 5, 10), 10)
    meetings.lock_minutes(db, uuid=m.uuid, at=datetime(2026, 5, 11, 9, 0))
    with pytest.raises(ValidationError, match="晚于今天"):
        meetings.amend_meeting(
            db,
            uuid=m.uuid,
            field="started_at",
            value=datetime(2026, 5, 21, 9, 0),
            reason="记录笔误",
            on=today,
            today=today,
        )
    assert meetings.get_meeting(db, uuid=m.uuid).started_at == datetime(2026, 5, 10)
    assert meetings.list_amendments(db, meeting_uuid=m.uuid) == []
    a = meetings.amend_meeting(
        db,
        uuid=m.uuid,
        field="started_at",
        value=datetime(2026, 5, 20, 9, 0),
        reason="笔误",
        on=today,
        today=today,
    )
    assert (a.old, a.new) == ("2026-05-10T00:00", "2026-05-20T09:00")


def test_attendance_cannot_leave_fewer_voters_than_the_votes_recorded(db, roster10) -> None:  # type: ignore[no-untyped-def]
    """支部工作条例第十一条 counts 赞成 among the members present: a decision's 赞成+反对+弃权 may not exceed the voters
    present (``add_decision``), and changing the attendance afterwards may not make it so either. 10 present voted
    6/4/0; marking 4 of them 请假 is refused, nothing changed; marking the attendance so that 10 stay is accepted."""
    m = _assembly_present(db, roster10, date(2026, 5, 10), 10)
    meetings.add_decision(
        db, meeting_uuid=m.uuid, subject="表彰", votes_for=6, votes_against=4, votes_abstain=0
    )
    fewer = [
        meetings.AttendanceEntry(u, "present" if i < 6 else "leave", "" if i < 6 else "外出培训")
        for i, u in enumerate(roster10["full"])
    ]
    with pytest.raises(ValidationError, match="「表彰」.*合计 10 票.*6 人"):
        meetings.set_attendance(db, meeting_uuid=m.uuid, entries=fewer)
    assert meetings.get_meeting(db, uuid=m.uuid).present == 10
    same = [meetings.AttendanceEntry(u, "present") for u in roster10["full"]]
    meetings.set_attendance(
        db,
        meeting_uuid=m.uuid,
        entries=[*same, meetings.AttendanceEntry(roster10["probationary"][0], "leave", "病假")],
    )
    assert meetings.get_meeting(db, uuid=m.uuid).leave == 1
