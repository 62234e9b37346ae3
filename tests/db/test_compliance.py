"""Compliance of organisational life across month, quarter and year ends; heart-talk coverage; reminders."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from db import branch, meetings
from db.compliance import period_range
from tests.db.meetings_helpers import make_roster


@pytest.fixture
def roster(db):
    branch.save_branch(db, name="掘进二队党支部")
    return make_roster(db, full=6, probationary=1, groups=2, committee=3)


def held(db, kind, on, **kw):
    m = meetings.plan_meeting(db, kind=kind, planned_on=on, topic="议题", **kw)
    return meetings.hold_meeting(
        db, uuid=m.uuid, started_at=datetime.combine(on, datetime.min.time()), today=date(2030, 1, 1)
    )


def row(rows, kind, group=None):
    return next(r for r in rows if r.kind == kind and (group is None or r.party_group_uuid == group))


def test_period_ranges():
    assert period_range("quarter", 2026, 4) == (date(2026, 10, 1), date(2026, 12, 31))
    assert period_range("month", 2024, 2) == (date(2024, 2, 1), date(2024, 2, 29))
    assert period_range("year", 2026, 1) == (date(2026, 1, 1), date(2026, 12, 31))
    with pytest.raises(ValueError):
        period_range("quarter", 2026, 5)


def test_assembly_on_quarter_end_counts_for_that_quarter_only(db, roster):
    held(db, "branch_assembly", date(2026, 3, 31))
    q1 = row(meetings.compliance(db, period="quarter", year=2026, number=1), "branch_assembly")
    q2 = row(meetings.compliance(db, period="quarter", year=2026, number=2), "branch_assembly")
    assert (q1.required, q1.held, q1.ok) == (1, 1, True)
    assert (q2.required, q2.held, q2.missing) == (1, 0, ("2026年第2季度",))
    # a month view is judged on the enclosing quarter
    march = row(meetings.compliance(db, period="month", year=2026, number=3), "branch_assembly")
    april = row(meetings.compliance(db, period="month", year=2026, number=4), "branch_assembly")
    assert march.ok and not april.ok


def test_year_end_meeting_belongs_to_its_year(db, roster):
    held(db, "life_meeting", date(2025, 12, 31))
    assert row(meetings.compliance(db, period="year", year=2025), "life_meeting").ok
    r2026 = row(meetings.compliance(db, period="year", year=2026), "life_meeting")
    assert (r2026.held, r2026.missing) == (0, ("2026年",))


def test_year_view_counts_monthly_windows(db, roster):
    for month in (1, 2, 2, 5, 12):
        held(db, "committee_meeting", date(2026, month, 10))
    r = row(meetings.compliance(db, period="year", year=2026), "committee_meeting")
    assert (r.required, r.satisfied, r.held) == (12, 4, 5)
    assert "2026年3月" in r.missing and "2026年12月" not in r.missing and len(r.missing) == 8


def test_today_makes_running_windows_due_not_missing(db, roster):
    held(db, "committee_meeting", date(2026, 1, 10))
    r = row(meetings.compliance(db, period="year", year=2026, today=date(2026, 3, 15)), "committee_meeting")
    assert (r.required, r.missing, r.due) == (3, ("2026年2月",), ("2026年3月",))


def test_group_meetings_are_per_group(db, roster):
    g1, g2 = roster["groups"]
    held(db, "group_meeting", date(2026, 4, 3), party_group_uuid=g1)
    rows = meetings.compliance(db, period="month", year=2026, number=4)
    assert row(rows, "group_meeting", g1).ok and not row(rows, "group_meeting", g2).ok


def test_party_lecture_frequency_is_a_setting(db, roster):
    held(db, "party_lecture", date(2026, 2, 3), lecturer="书记")
    assert row(meetings.compliance(db, period="quarter", year=2026, number=1), "party_lecture").ok
    branch.set_setting(db, key="party_lecture_frequency", value="month")
    r = row(meetings.compliance(db, period="quarter", year=2026, number=1), "party_lecture")
    assert (r.required, r.satisfied, r.frequency_name) == (3, 1, "每月")


def test_cancelled_and_planned_meetings_do_not_count(db, roster):
    m = meetings.plan_meeting(db, kind="theme_day", planned_on=date(2026, 5, 15), topic="主题党日")
    meetings.cancel_meeting(db, uuid=m.uuid, reason="矿井停产检修")
    meetings.plan_meeting(db, kind="theme_day", planned_on=date(2026, 5, 20), topic="主题党日")
    assert not row(meetings.compliance(db, period="month", year=2026, number=5), "theme_day").ok


def test_heart_talk_coverage(db, roster):
    c1, c2, c3 = roster["committee"]
    others = [u for u in roster["full"] + roster["probationary"] if u not in roster["committee"]]
    meetings.record_heart_talk(
        db,
        held_on=date(2026, 3, 1),
        participant_uuids=[c1, c2, c3],
        topic="支委谈心",
        today=date(2026, 12, 31),
    )
    meetings.record_heart_talk(
        db,
        held_on=date(2025, 3, 1),
        participant_uuids=[c1, others[0]],
        topic="去年",
        today=date(2026, 12, 31),
    )
    meetings.record_heart_talk(
        db,
        held_on=date(2026, 5, 1),
        participant_uuids=[c2, others[1]],
        topic="谈心",
        today=date(2026, 12, 31),
    )
    gaps = meetings.heart_talk_coverage(db, year=2026)
    assert all(g.kind == "committee_member" for g in gaps)  # the three-way talk covers every committee pair
    assert {g.a_uuid for g in gaps} == set(others) - {others[1]}
    r = row(meetings.compliance(db, period="year", year=2026), "heart_talk")
    assert (r.required, r.satisfied) == (3 + len(others), 3 + 1)


def test_reminders_due_and_overdue(db, roster):
    today = date(2026, 11, 20)
    for month in range(1, 12):
        held(db, "committee_meeting", date(2026, month, 3))
    held(db, "branch_assembly", date(2026, 5, 10))  # Q2 only: Q3 overdue, Q4 due (ends 12-31, not this month)
    meetings.plan_meeting(db, kind="theme_day", planned_on=date(2026, 11, 15), topic="主题党日")
    rem = meetings.meeting_reminders(db, today=today)
    texts = [r.text for r in rem]
    assert "2026年第3季度未召开支部党员大会" in texts
    assert not any("支部委员会" in r.text for r in rem if r.kind in ("meeting_due", "meeting_overdue"))
    # held without recording who attended: the record is incomplete
    assert any(r.kind == "attendance_incomplete" and "支部委员会" in r.text for r in rem)
    assert not any(t.startswith("本季度尚未召开支部党员大会") for t in texts)
    overdue = next(r for r in rem if r.text == "2026年第3季度未召开支部党员大会")
    assert overdue.since == date(2026, 10, 1) and overdue.page == "meetings"
    assert overdue.filters == {"kind": "branch_assembly"}
    unrecorded = next(r for r in rem if r.kind == "meeting_unrecorded")
    assert unrecorded.since == date(2026, 11, 15)
    assert any(r.kind == "meeting_due" and "主题党日（每月 15 日）" in r.text for r in rem)
    # in December the quarter's assembly becomes due this month
    dec = meetings.meeting_reminders(db, today=date(2026, 12, 2))
    assert any(r.text.startswith("本季度尚未召开支部党员大会") for r in dec)
