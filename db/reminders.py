"""Reminders from every part of the branch's work, gathered into one sorted list (the home page and ``check``).

Each part of the work contributes a function ``<part>_reminders(db, *, today)`` returning frozen records with at
least ``kind``, ``text`` (Chinese), ``since`` (date), ``page`` and ``filters``. ``gather(db, today=...)`` calls every
part's reminders function listed in ``db.parts.PARTS``, converts the records into one common ``Reminder`` and
adds what belongs to no single part: the committee term ending within 3 months (or its approved postponement),
the committee's make-up and the branch-size warnings.

Contract: every part is named by a real function reference (a renamed function fails at import time, it never
silently drops a part's reminders); an exception raised inside a part propagates (a broken reminder must not silently hide what is due). Sorted urgent first, then oldest first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from db import parts
from db.elections import committee_warnings, current_postponement
from db.rules import add_months
from db.store import Database

SEVERITIES = {"urgent": "紧急", "normal": "一般"}
TERM_WARNING_MONTHS = 3

# Kinds that say something is already late: shown as urgent.
URGENT_KINDS = frozenset(
    {
        "meeting_overdue",
        "meeting_unrecorded",
        "attendance_incomplete",
        "dues_urgent",
        "finding_overdue",
        "project_overdue",
        "receipt_overdue",
        "mobile_long_absence",
        "term_ended",
    }
)


@dataclass(frozen=True)
class Reminder:
    """One thing to act on. ``what``: Chinese sentence (what, who, since when); ``who``: the person or body
    concerned (may be empty when the sentence says it); ``page``/``filters``: where to act
    (``ctx.navigate(page, dict(filters))``)."""

    severity: str  # urgent / normal
    kind: str
    what: str
    who: str
    since: date
    page: str
    filters: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @property
    def severity_name(self) -> str:
        return SEVERITIES[self.severity]

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form (used by ``branchdesk check --json``)."""
        return {
            "severity": self.severity,
            "kind": self.kind,
            "what": self.what,
            "who": self.who,
            "since": self.since.isoformat(),
            "page": self.page,
            "filters": dict(self.filters),
        }

    def line(self) -> str:
        """One printable line: ``[紧急] 2026-10-01 起：…``."""
        return f"[{self.severity_name}] {self.since.isoformat()} 起：{self.what}"


def _severity(record: Any, today: date) -> str:
    if getattr(record, "urgent", False) or record.kind in URGENT_KINDS:
        return "urgent"
    due = getattr(record, "due", None)  # development steps: late once their due day has passed
    if isinstance(due, date) and due < today:
        return "urgent"
    return "normal"


def _who(db: Database, record: Any) -> str:
    """The name of the person the record is about, when the part tells us who (else the text names them)."""
    member_uuid = getattr(record, "member_uuid", "") or (record.filters or {}).get("member", "")
    if member_uuid:
        row = db.execute("SELECT name FROM members WHERE uuid = ?", [member_uuid]).fetchone()
        if row:
            return str(row[0])
    person_uuid = getattr(record, "person_uuid", "") or ""
    if person_uuid:
        row = db.execute("SELECT name FROM development_people WHERE uuid = ?", [person_uuid]).fetchone()
        if row:
            return str(row[0])
    return ""


def term_reminders(db: Database, *, today: date) -> list[Reminder]:
    """The committee term (换届): from 3 months before ``term_end`` (that day included) a normal reminder,
    from the day after ``term_end`` an urgent one. An approved postponement (选举工作条例第三条) moves the deadline:
    until the new deadline a normal reminder naming the approval, from the day after it the urgent one."""
    from db.branch import get_branch

    branch = get_branch(db)
    if branch is None or branch.term_end is None:
        return []
    end = branch.term_end
    postponed = current_postponement(db)
    if postponed is not None and today > end:
        if today <= postponed.new_deadline:
            return [
                Reminder(
                    "normal",
                    "term_postponed",
                    f"支部委员会任期已于 {end.isoformat()} 届满，经{postponed.approved_by}于 "
                    f"{postponed.approved_on.isoformat()} 批准延期换届，应于 {postponed.new_deadline.isoformat()} "
                    "前召开支部党员大会进行换届选举",
                    "支部委员会",
                    end,
                    "elections",
                    {},
                )
            ]
        return [
            Reminder(
                "urgent",
                "term_ended",
                f"支部委员会任期已于 {end.isoformat()} 届满，经批准延期的换届期限 {postponed.new_deadline.isoformat()} "
                "也已过，请尽快按程序召开支部党员大会进行换届选举",
                "支部委员会",
                postponed.new_deadline,
                "elections",
                {},
            )
        ]
    start = add_months(end, -TERM_WARNING_MONTHS)
    if today < start:
        return []
    if today > end:
        return [
            Reminder(
                "urgent",
                "term_ended",
                f"支部委员会任期已于 {end.isoformat()} 届满，请尽快按程序召开支部党员大会进行换届选举"
                "（如需延期换届，应报上级党组织批准，并在“支部委员会”中登记）",
                "支部委员会",
                end,
                "elections",
                {},
            )
        ]
    days = (end - today).days
    return [
        Reminder(
            "normal",
            "term_ending",
            f"支部委员会任期将于 {end.isoformat()} 届满（还有 {days} 天），请提前向上级党委请示换届",
            "支部委员会",
            start,
            "elections",
            {},
        )
    ]


def committee_reminders(db: Database, *, today: date) -> list[Reminder]:
    """The committee's make-up (``db.elections.committee_warnings``) as normal reminders."""
    return [
        Reminder("normal", "committee_makeup", text, "支部委员会", today, "settings", {"tab": "committee"})
        for text in committee_warnings(db, today=today)
    ]


def size_reminders(db: Database, *, today: date) -> list[Reminder]:
    """The branch-size rules of 支部工作条例 as normal reminders (warnings, never blocks); none before the branch
    is set up."""
    from db.branch import get_branch
    from db.members import branch_size_warnings

    if get_branch(db) is None:
        return []
    return [
        Reminder("normal", "branch_size", text, "党支部", today, "members", {"status": "active"})
        for text in branch_size_warnings(db)
    ]


def gather(db: Database, *, today: date) -> list[Reminder]:
    """Every reminder on ``today``: each existing part's, the term and the branch size; urgent first, then by
    ``since`` (oldest first), then text. Exceptions inside a part propagate."""
    out: list[Reminder] = []
    for part in parts.PARTS:
        if part.reminders is None:
            continue
        for record in part.reminders(db, today=today):
            out.append(
                Reminder(
                    severity=_severity(record, today),
                    kind=record.kind,
                    what=record.text,
                    who=_who(db, record),
                    since=record.since,
                    page=record.page,
                    filters=dict(record.filters or {}),
                )
            )
    out += term_reminders(db, today=today)
    out += committee_reminders(db, today=today)
    out += size_reminders(db, today=today)
    out.sort(key=lambda r: (r.severity != "urgent", r.since, r.kind, r.what))
    return out


def counts(reminders: list[Reminder]) -> dict[str, int]:
    """``{"urgent": n, "normal": m}`` for a list of reminders."""
    result = dict.fromkeys(SEVERITIES, 0)
    for r in reminders:
        result[r.severity] += 1
    return result
