"""The demo branch's 民主评议党员: last 年度's round, finished — its steps dated, the 民主测评 at a 民主评议党员 meeting
(the one of that 年度, or one held in January for it), the tally of the ballots, the branch's grades (one 不合格)
and a 限期改正 of that member with a year's deadline, the feedback to everyone recorded."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from random import Random

from db.appraisal.actions import record_action
from db.appraisal.records import GRADE_KEYS
from db.appraisal.service import (
    open_round,
    participants,
    record_feedback,
    save_tally,
    set_grades,
    update_round,
)
from db.branch import list_committee
from db.meetings import get_meeting, hold_meeting, list_attendance, list_meetings, plan_meeting
from db.meetings.records import AttendanceEntry, Meeting
from db.rules import add_years
from db.store import Database


def _meeting(db: Database, year: int, on: date, today: date) -> Meeting | None:
    """The 民主评议党员 meeting of 年度 ``year``: the demo's own, else one held on ``on`` with everyone present."""
    found = [m for m in list_meetings(db, kind="appraisal", status="held") if m.reviewed_year == year]
    if found:
        return max(found, key=lambda m: m.held_on)
    if on >= today:
        return None
    m = plan_meeting(
        db,
        kind="appraisal",
        planned_on=on,
        topic=f"{year}年度民主评议党员",
        planned_time="14:00",
        place="党员活动室",
        review_year=year,
    )
    entries = [AttendanceEntry(a.member_uuid, "present") for a in list_attendance(db, meeting_uuid=m.uuid)]
    start = datetime.combine(on, time(14, 0))
    hold_meeting(
        db,
        uuid=m.uuid,
        started_at=start,
        ended_at=start + timedelta(hours=2),
        content="书记作述职报告；党员个人自评、党员互评，发放民主测评表进行无记名测评，当场收回并计票。",
        attendance=entries,
        today=today,
    )
    return get_meeting(db, uuid=m.uuid)


def demo_appraisal(db: Database, *, rng: Random, today: date) -> None:
    year = today.year - 1
    meeting = _meeting(db, year, date(today.year, 1, 20), today)
    if meeting is None:
        return
    measured = meeting.held_on
    r = open_round(db, year=year, today=today)
    steps = {
        "study_on": date(year, 12, 1),
        "self_review_on": date(year, 12, 10),
        "mutual_review_on": date(year, 12, 15),
        "measured_on": measured,
    }
    r = update_round(
        db,
        uuid=r.uuid,
        steps={k: min(d, measured) for k, d in steps.items()},
        meeting_uuid=meeting.uuid,
        today=today,
    )
    graded = [p for p in participants(db, round_uuid=r.uuid, today=today) if p.graded]
    if not graded:
        return
    voters = meeting.present
    excellent = {p.member_uuid for p in graded[: max(1, len(graded) // 4)]}
    failing = graded[-1].member_uuid
    marks: dict[str, tuple[int, int, int, int]] = {}
    grades: dict[str, str | None] = {}
    for p in graded:
        blank = rng.randrange(2)
        left = voters - blank
        if p.member_uuid == failing:
            bad = left * 2 // 3
            counts = [0, left - bad - 1, 1, bad]
            grades[p.member_uuid] = "unqualified"
        elif p.member_uuid in excellent:
            top = left * 3 // 4
            counts = [top, left - top, 0, 0]
            grades[p.member_uuid] = "excellent"
        else:
            top = rng.randrange(left // 4 + 1)
            counts = [top, left - top, 0, 0]
            grades[p.member_uuid] = "qualified"
        marks[p.member_uuid] = (counts[0], counts[1], counts[2], counts[3])
    assert len(GRADE_KEYS) == 4
    save_tally(db, round_uuid=r.uuid, ballots=voters, marks=marks, today=today)
    decided = min(measured + timedelta(days=7), today)
    set_grades(db, round_uuid=r.uuid, grades=grades, today=today)
    committee = list_committee(db, on=today)
    secretary = next((c.member_name for c in committee), "支部书记")
    feedback = min(decided + timedelta(days=5), today)
    for p in participants(db, round_uuid=r.uuid, today=today):
        if p.group in ("graded", "ungraded"):
            record_feedback(
                db, round_uuid=r.uuid, member_uuid=p.member_uuid, on=feedback, by=secretary, today=today
            )
    update_round(
        db,
        uuid=r.uuid,
        today=today,
        steps={
            "decided_on": decided,
            "reported_on": min(decided + timedelta(days=3), today),
            "feedback_on": feedback,
        },
    )
    assemblies = [
        m for m in list_meetings(db, kind="branch_assembly", status="held") if decided <= m.held_on < today
    ]
    assembly = min(assemblies, key=lambda m: m.held_on) if assemblies else None
    on = assembly.held_on if assembly else decided
    record_action(
        db,
        round_uuid=r.uuid,
        member_uuid=failing,
        kind="rectify",
        decided_on=on,
        deadline=add_years(on, 1),
        reason="理想信念淡薄，全年多次无故不参加组织生活，经支部党员大会讨论限期一年改正",
        meeting_uuid=assembly.uuid if assembly else None,
        today=today,
    )
