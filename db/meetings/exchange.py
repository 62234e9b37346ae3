"""The meetings' sheets of the HQ monthly workbook: which rows and headline figures they hold.

The columns are declared in ``db.workbook.format`` (sheets 会议记录 and 参会情况, which name the functions here as
``"db.meetings:monthly_meeting_rows"`` etc.); writing the file is ``db.workbook.export``'s job. Meetings have no
.xlsx writer of their own.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from db.meetings.queries import list_attendance, list_decisions, list_meetings, quorum
from db.meetings.records import Meeting, meeting_when
from db.meetings.reminders import compliance
from db.store import Database


def month_range(month: str | date) -> tuple[date, date]:
    """First and last day of a month given as ``"YYYY-MM"`` or as any date in it."""
    if isinstance(month, date):
        first = month.replace(day=1)
    else:
        first = date.fromisoformat(f"{month}-01")
    nxt = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return first, nxt - timedelta(days=1)


def _quorum_text(db: Database, m: Meeting) -> str:
    q = quorum(db, meeting_uuid=m.uuid)
    if not q.applies:
        return "不适用"
    return f"{'符合' if q.met else '不符合'}（应到{q.entitled}，到会{q.present}，需{q.needed}）"


def monthly_meeting_rows(db: Database, *, month: str | date) -> list[dict[str, Any]]:
    """The month's held meetings for the monthly workbook sheet 会议记录 (``month`` ``"YYYY-MM"``), oldest first,
    one dict per meeting keyed by the column fields of ``db.workbook.format`` (kind as its code, dates as
    ``date``, counts as ``int``, ``locked`` as ``bool``)."""
    first, last = month_range(month)
    out = []
    for m in reversed(list_meetings(db, status="held", since=first, until=last)):
        decisions = list_decisions(db, meeting_uuid=m.uuid)
        att = list_attendance(db, meeting_uuid=m.uuid)
        out.append(
            {
                "uuid": m.uuid,
                "kind": m.kind,
                "number": m.number_text,
                "party_group": m.party_group_name,
                "held_on": m.held_on,
                "time": meeting_when(m),
                "place": m.place,
                "topic": m.topic,
                "host": m.host_name,
                "recorder": m.recorder_name,
                "lecturer": m.lecturer,
                "expected": m.expected,
                "present": m.present,
                "leave": m.leave,
                "absent": m.absent,
                "leave_people": "、".join(f"{a.name}（{a.reason}）" for a in att if a.state == "leave"),
                "absent_people": "、".join(f"{a.name}（{a.reason}）" for a in att if a.state == "absent"),
                "quorum": _quorum_text(db, m),
                "content": m.content,
                "decisions": "；".join(
                    d.subject
                    + (
                        f"（赞成{d.votes_for} 反对{d.votes_against} 弃权{d.votes_abstain}）"
                        if d.votes_for is not None
                        else ""
                    )
                    + (f"：{d.resolution}" if d.resolution else "")
                    + d.short_flags
                    for d in decisions
                ),
                "locked": m.locked,
            }
        )
    return out


def monthly_attendance_rows(db: Database, *, month: str | date) -> list[dict[str, Any]]:
    """One dict per person per held meeting of the month for the sheet 参会情况, keyed by column fields
    (``state`` as its code, ``category`` as its code or None for non-member observers)."""
    first, last = month_range(month)
    out = []
    for m in reversed(list_meetings(db, status="held", since=first, until=last)):
        for a in list_attendance(db, meeting_uuid=m.uuid):
            out.append(
                {
                    "meeting_uuid": m.uuid,
                    "held_on": m.held_on,
                    "kind": m.kind,
                    "party_group_meeting": m.party_group_name,
                    "name": a.name,
                    "category": a.category,
                    "party_group": a.party_group_name,
                    "state": a.state,
                    "reason": a.reason,
                }
            )
    return out


def monthly_meeting_figures(db: Database, *, month: str | date) -> dict[str, int]:
    """Headline numbers for HQ consolidation: meetings due by the end of the month (每个频次窗口在本月结束的),
    how many of those were held, meetings held in the month, people on leave."""
    first, last = month_range(month)
    # Heart talks are not counted here: ``heart_talks=False`` skips their coverage, which checks every pair of
    # people (the costly part of an export of a large branch).
    rows = compliance(db, period="month", year=first.year, number=first.month, heart_talks=False)
    due = [w for r in rows for w in r.windows if w.last <= last]
    held = list_meetings(db, status="held", since=first, until=last)
    return {
        "应开会议": len(due),
        "按期召开": sum(1 for w in due if w.held),
        "本月召开会议": len(held),
        "请假人次": sum(m.leave for m in held),
    }
