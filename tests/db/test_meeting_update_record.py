"""Correcting the record of a held meeting is one db call (``update_record``): all of it or nothing."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from db import branch, meetings
from db.errors import ValidationError
from db.meetings import AttendanceEntry
from tests.db.meetings_helpers import make_roster

TODAY = date(2026, 11, 20)
DAY = date(2026, 10, 15)


def _held(db):  # type: ignore[no-untyped-def]
    branch.save_branch(db, name="综采一队党支部")
    make_roster(db, full=4, probationary=1, groups=1, committee=3, suspended=0)
    m = meetings.plan_meeting(db, kind="branch_assembly", planned_on=DAY, topic="学习")
    att = meetings.list_attendance(db, meeting_uuid=m.uuid)
    entries = [AttendanceEntry(a.member_uuid, "present") for a in att]
    held = meetings.hold_meeting(
        db, uuid=m.uuid, started_at=datetime(2026, 10, 15, 14, 0), attendance=entries, today=TODAY
    )
    return held, att


def _correct(db, m, entries, *, content: str):  # type: ignore[no-untyped-def]
    return meetings.update_record(
        db,
        uuid=m.uuid,
        started_at=datetime(2026, 10, 15, 15, 0),
        ended_at=datetime(2026, 10, 15, 16, 30),
        content=content,
        speaking_points="张三：抓好安全生产",
        attendance=entries,
        today=TODAY,
    )


def test_update_record_changes_minutes_and_attendance_together(db) -> None:  # type: ignore[no-untyped-def]
    m, att = _held(db)
    entries = [AttendanceEntry(a.member_uuid, "present") for a in att]
    entries[0] = AttendanceEntry(att[0].member_uuid, "leave", "下井当班")
    updated = _correct(db, m, entries, content="传达上级会议精神")
    assert updated.started_at == datetime(2026, 10, 15, 15, 0) and updated.content == "传达上级会议精神"
    states = {a.member_uuid: a.state for a in meetings.list_attendance(db, meeting_uuid=m.uuid)}
    assert states[att[0].member_uuid] == "leave"


def test_refused_attendance_leaves_the_minutes_unchanged(db) -> None:  # type: ignore[no-untyped-def]
    m, att = _held(db)
    entries = [AttendanceEntry(a.member_uuid, "present") for a in att]
    entries[0] = AttendanceEntry(att[0].member_uuid, "absent", "")  # absent without a reason: refused
    with pytest.raises(ValidationError):
        _correct(db, m, entries, content="不应保存")
    assert meetings.get_meeting(db, uuid=m.uuid).content == m.content
    assert meetings.get_meeting(db, uuid=m.uuid).started_at == datetime(2026, 10, 15, 14, 0)
