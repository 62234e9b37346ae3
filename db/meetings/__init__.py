"""Meetings and organisational life (三会一课, 主题党日, 组织生活会, 民主评议, 谈心谈话): GLOSSARY "Meetings".

A meeting is *planned* first (kind, date, time, place, topic, host, recorder; its expected attendees are filled from
the roster, the party group or the committee, in sign-in order) and then *held* (actual time, content, speaking
points, decisions with votes, per-person attendance). 应到/实到/请假 are always derived from the attendance rows.
A held meeting's minutes can be locked; after that every change is an amendment with a date and a reason, never a
silent edit. Heart-to-heart talks (谈心谈话) have their own table: two or more participants, a topic, a summary.

Bad input is refused with ``ValidationError`` (Chinese reasons, nothing saved): a meeting in the future marked held,
attendance for a member archived before the meeting, a vote count above those present, leave/absent without a
reason, any edit of locked minutes. The grades of a 民主评议党员 are the appraisal part's (``db.appraisal``: the round
of the 年度 the meeting reviews); this package writes none.

The package, one job per module (imports only point down this list):

- ``records``   the vocabulary (kinds, states, grades, frequencies, labels) and the frozen records;
- ``reminders`` compliance (required vs held), heart-talk coverage and reminders; uses only ``records``;
- ``queries``   reading meetings, attendance, quorum, decisions, heart talks;
- ``minutes``   attendance, decisions, heart talks (writing);
- ``service``   planning, holding, changing, cancelling, locking and amending meetings;
- ``printing``  the content of the sign-in sheet;
- ``exchange``  the rows and figures of the HQ monthly workbook sheets;
- ``demo``      the demo generator.

Everything public is re-exported here, so ``from db import meetings`` and the ``"db.meetings:<name>"`` lookups of
``db.workbook.format`` and ``db.demo`` keep working.
"""

from __future__ import annotations

from db.meetings.demo import demo_meetings
from db.meetings.exchange import (
    monthly_attendance_rows,
    monthly_meeting_figures,
    monthly_meeting_rows,
)
from db.meetings.minutes import (
    add_decision,
    record_heart_talk,
    set_attendance,
    validate_attendance,
    voters_present,
)
from db.meetings.printing import attendance_frozen, branch_name, sheet_attendance, signin_sheet
from db.meetings.queries import (
    attendance_counts,
    attendance_of,
    attended_role_warnings,
    expected_members,
    find_meeting,
    get_meeting,
    list_amendments,
    list_attendance,
    list_decisions,
    list_heart_talks,
    list_meetings,
    quorum,
    role_warnings,
)
from db.meetings.records import (
    FIELD_LABELS,
    FREQUENCIES,
    FREQUENCY_NAMES,
    GRADES,
    KINDS,
    MEETING_STATUSES,
    PERIOD_NAMES,
    STATES,
    Amendment,
    Attendance,
    AttendanceEntry,
    ComplianceRow,
    Decision,
    Grade,
    HeartTalk,
    HeartTalkGap,
    Meeting,
    Quorum,
    Reminder,
    SigninRow,
    SigninSheet,
    Window,
    category_on,
    meeting_title,
    meeting_when,
    on_roster,
)
from db.meetings.reminders import compliance, heart_talk_coverage, meeting_reminders
from db.meetings.service import (
    amend_meeting,
    cancel_meeting,
    hold_meeting,
    lock_minutes,
    plan_meeting,
    update_meeting,
    update_record,
    validate_meeting,
)

__all__ = [
    "FIELD_LABELS",
    "FREQUENCIES",
    "FREQUENCY_NAMES",
    "GRADES",
    "KINDS",
    "MEETING_STATUSES",
    "PERIOD_NAMES",
    "STATES",
    "Amendment",
    "Attendance",
    "AttendanceEntry",
    "ComplianceRow",
    "Decision",
    "Grade",
    "HeartTalk",
    "HeartTalkGap",
    "Meeting",
    "Quorum",
    "Reminder",
    "SigninRow",
    "SigninSheet",
    "Window",
    "add_decision",
    "amend_meeting",
    "attendance_counts",
    "attendance_frozen",
    "attendance_of",
    "attended_role_warnings",
    "branch_name",
    "cancel_meeting",
    "category_on",
    "compliance",
    "demo_meetings",
    "expected_members",
    "find_meeting",
    "get_meeting",
    "heart_talk_coverage",
    "hold_meeting",
    "list_amendments",
    "list_attendance",
    "list_decisions",
    "list_heart_talks",
    "list_meetings",
    "lock_minutes",
    "meeting_reminders",
    "meeting_title",
    "meeting_when",
    "monthly_attendance_rows",
    "monthly_meeting_figures",
    "monthly_meeting_rows",
    "on_roster",
    "plan_meeting",
    "quorum",
    "record_heart_talk",
    "role_warnings",
    "set_attendance",
    "sheet_attendance",
    "signin_sheet",
    "update_meeting",
    "update_record",
    "validate_attendance",
    "validate_meeting",
    "voters_present",
]
