"""The training hours (学时) of each member and year: credited from attendance, plus the ledger of entries.

**Credit from attendance is worked out when asked, never stored.** A member present (出席) at a held meeting earns
its ``study_hours`` (NULL: the default of its kind, ``settings.meeting_hours``: 党课 and 主题党日 count, other kinds
only when the meeting records hours, e.g. a 党小组会 held as 集中学习). A corrected attendance or a changed setting
changes the hours at once; nothing can go stale. The ledger ``training_records`` holds what is entered by hand or
imported: external training (党校, 网络培训 …) and the make-up study (补学) of a meeting missed. Entries are archived,
never deleted; every write is one transaction with its audit entries.

The statistics (table 9, 党员培训情况) read ``hours_by_member``, ``target_of`` and ``short_of_target``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from db import audit, edits
from db.errors import NotFound, Problem, ValidationError, date_problems, raise_if
from db.meetings.records import KINDS as MEETING_KINDS
from db.records import STATUSES, from_row
from db.rows import query, query_one
from db.rules import normalize_text
from db.store import Database, now_iso
from db.training import settings
from db.training.records import LedgerEntry, Shortfall, TrainingRecord

MAX_HOURS = 500.0  # one entry (a long full-time course is at most a few hundred hours)

# The hours each held meeting credits, and its date: the meeting's own hours, else its kind's default.
_MEETING_HOURS = """
    SELECT m.id, m.uuid, m.kind, m.topic, substr(COALESCE(m.started_at, m.planned_on), 1, 10) AS held_on,
           m.study_hours
    FROM meetings m
    WHERE m.status = 'held' AND substr(COALESCE(m.started_at, m.planned_on), 1, 4) = ?
"""


def _meeting_hours(db: Database, year: int) -> dict[int, tuple[dict[str, Any], float]]:
    """Held meetings of ``year`` that count as study: meeting id → (row, hours)."""
    defaults: dict[str, float] = {}
    out = {}
    for row in query(db, _MEETING_HOURS, [str(year)]):
        hours = row["study_hours"]
        if hours is None:
            kind = row["kind"]
            hours = defaults.get(kind)
            if hours is None:
                hours = defaults[kind] = settings.meeting_hours(db, kind)
        if hours > 0:
            out[row["id"]] = (row, float(hours))
    return out


def meeting_study_hours(db: Database, *, kind: str, study_hours: float | None) -> float:
    """The hours a meeting counts for: its own, else its kind's default (``settings.meeting_hours``)."""
    return float(study_hours) if study_hours is not None else settings.meeting_hours(db, kind)


def _attendance_credit(db: Database, year: int) -> dict[str, list[tuple[dict[str, Any], float]]]:
    """member uuid → the study meetings of ``year`` they attended (出席), with the hours each credits."""
    meetings = _meeting_hours(db, year)
    if not meetings:
        return {}
    out: dict[str, list[tuple[dict[str, Any], float]]] = {}
    rows = db.execute(
        f"""
        SELECT a.meeting_id, mb.uuid FROM meeting_attendance a JOIN members mb ON mb.id = a.member_id
        WHERE a.state = 'present' AND a.meeting_id IN ({",".join("?" * len(meetings))})
        """,
        list(meetings),
    )
    for meeting_id, member_uuid in rows:
        out.setdefault(member_uuid, []).append(meetings[meeting_id])
    return out


def _record_hours(db: Database, year: int) -> dict[str, float]:
    return {
        r["uuid"]: float(r["hours"])
        for r in query(
            db,
            "SELECT mb.uuid, sum(t.hours) AS hours FROM training_records t JOIN members mb ON mb.id = t.member_id"
            " WHERE t.year = ? AND t.archived_at IS NULL GROUP BY mb.uuid",
            [year],
        )
    }


def hours_by_member(db: Database, *, year: int) -> dict[str, float]:
    """Member uuid → 学时 of ``year``: attendance at study meetings plus the ledger's entries (archived ones left
    out), to 0.01. Members with no hours are absent (read as 0)."""
    out = _record_hours(db, year)
    for member_uuid, meetings in _attendance_credit(db, year).items():
        out[member_uuid] = out.get(member_uuid, 0.0) + sum(hours for _row, hours in meetings)
    # Sums of decimal hours in binary floats are off by a hair (ten entries of 3.2 are 31.999999999999996): the
    # total is rounded to the 0.01 学时 nobody enters finer than, so 32 of 32 is met and shows as 32.
    return {member_uuid: round(hours, 2) for member_uuid, hours in out.items()}


def committee_uuids(db: Database, *, year: int) -> set[str]:
    """The members who served on the branch committee (书记 and 支委) at any time in ``year``."""
    rows = db.execute(
        "SELECT DISTINCT m.uuid FROM committee_members c JOIN members m ON m.id = c.member_id"
        " WHERE (c.since IS NULL OR c.since <= ?) AND (c.until IS NULL OR c.until >= ?)",
        [f"{year}-12-31", f"{year}-01-01"],
    )
    return {r[0] for r in rows}


def target_of(db: Database, *, member_uuid: str, year: int) -> float:
    """The member's 学时 target of ``year``: the committee's (default 56) when they served on the committee in that
    year, else the members' (default 32); both are branch settings (``db.training.settings``)."""
    if member_uuid in committee_uuids(db, year=year):
        return float(settings.committee_target(db))
    return float(settings.member_target(db))


def short_of_target(db: Database, *, year: int) -> list[Shortfall]:
    """The active members below their target of ``year``, fewest hours first (then by name)."""
    hours = hours_by_member(db, year=year)
    committee = committee_uuids(db, year=year)
    member_target, committee_target = float(settings.member_target(db)), float(settings.committee_target(db))
    out = []
    for row in query(db, "SELECT uuid, name FROM members WHERE status = 'active'"):
        on_committee = row["uuid"] in committee
        target = committee_target if on_committee else member_target
        got = hours.get(row["uuid"], 0.0)
        if got < target:
            out.append(Shortfall(row["uuid"], row["name"], got, target, on_committee))
    return sorted(out, key=lambda s: (s.hours, s.name))


# --- the ledger ------------------------------------------------------------------------------------------------

_RECORD_SELECT = """
    SELECT t.uuid, mb.uuid AS member_uuid, mb.name AS member_name, t.year, t.on_date AS "on", t.hours, t.kind,
           t.title, t.source, mt.uuid AS meeting_uuid, t.note, t.archived_at IS NOT NULL AS archived,
           t.archived_reason, t.created_at
    FROM training_records t JOIN members mb ON mb.id = t.member_id LEFT JOIN meetings mt ON mt.id = t.meeting_id
"""


def _records(rows: Iterable[dict[str, Any]]) -> list[TrainingRecord]:
    return [from_row(TrainingRecord, r) for r in rows]


def list_records(
    db: Database, *, member_uuid: str | None = None, year: int | None = None, archived: bool = False
) -> list[TrainingRecord]:
    """Stored entries (newest first), of one member and/or year; archived ones only with ``archived=True``."""
    clauses: list[str] = []
    params: list[Any] = []
    if member_uuid is not None:
        clauses.append("mb.uuid = ?")
        params.append(member_uuid)
    if year is not None:
        clauses.append("t.year = ?")
        params.append(year)
    if not archived:
        clauses.append("t.archived_at IS NULL")
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    return _records(query(db, _RECORD_SELECT + where + " ORDER BY t.on_date DESC, t.id DESC", params))


def member_ledger(db: Database, *, member_uuid: str, year: int) -> list[LedgerEntry]:
    """A member's 学时 of ``year`` line by line, in date order: each study meeting attended and each entry."""
    entries = [
        LedgerEntry(
            date.fromisoformat(row["held_on"]),
            hours,
            "attendance",
            row["topic"] or _kind_label(row["kind"]),
            _kind_label(row["kind"]),
            meeting_uuid=row["uuid"],
        )
        for row, hours in _attendance_credit(db, year).get(member_uuid, [])
    ]
    entries += [
        LedgerEntry(r.on, r.hours, r.kind, r.title, r.source, r.meeting_uuid, r.uuid)
        for r in list_records(db, member_uuid=member_uuid, year=year)
    ]
    return sorted(entries, key=lambda e: (e.on, e.kind, e.title))


def _kind_label(kind: str) -> str:
    return MEETING_KINDS.get(kind, kind)


# --- writing ---------------------------------------------------------------------------------------------------


def validate_training(db: Database, *, values: dict[str, Any], today: date | None = None) -> list[Problem]:
    """Problems of a new entry (``member``, ``on``, ``hours``, ``title``, ``kind``, ``meeting``), each naming its
    field: the member on the roster, a date not in the future, hours above 0 and at most 500, a title; 补学 names
    a held meeting the member missed, is dated on or after it and is entered once (``_make_up_problems``)."""
    today = today or date.today()
    problems = []
    member = (
        query_one(db, "SELECT id, status, status_on FROM members WHERE uuid = ?", [values["member"]])
        if values.get("member")
        else None
    )
    if member is None:
        problems.append(Problem("member", "请选择党员"))
    on = values.get("on")
    if not isinstance(on, date):
        problems.append(Problem("on", "请填写培训日期"))
    elif future := date_problems("on", "培训日期", on, today=today):
        problems += future
    elif member is not None and (left := after_leaving(member["status"], member["status_on"], on)):
        problems.append(Problem("on", left))
    hours = values.get("hours")
    if not isinstance(hours, (int, float)) or isinstance(hours, bool) or not 0 < hours <= MAX_HOURS:
        problems.append(Problem("hours", f"学时应为大于 0、不超过 {MAX_HOURS:g} 的数（可有小数，如 2.5）"))
    if not normalize_text(values.get("title") or ""):
        problems.append(Problem("title", "请填写培训名称或内容"))
    kind = values.get("kind", "external")
    if kind not in ("external", "meeting"):
        problems.append(Problem("kind", f"学时类别无效：{kind}"))
    elif kind == "meeting" and not values.get("meeting"):
        problems.append(Problem("meeting", "补学请选择所补的会议"))
    elif kind == "meeting":
        problems += _make_up_problems(db, values, member_id=member["id"] if member is not None else None)
    return problems


def after_leaving(status: str, status_on: str | None, on: date) -> str:
    """Why an entry dated ``on`` is not this branch's: the member left the roster (转出, 减员) before it; ``''``
    while on the roster or for study before they left (it stays in the year they were here)."""
    if status == "active" or not status_on or on.isoformat() <= status_on:
        return ""
    left = STATUSES.get(status, "已离开本支部").removeprefix("已")  # 已转出 → 转出
    return f"该党员已于 {status_on} {left}，之后的培训不计入本支部学时"


def _make_up_problems(db: Database, values: dict[str, Any], *, member_id: int | None) -> list[Problem]:
    """A 补学 makes up a held meeting the member missed, once, on or after its day: a member present (出席) was
    credited by the attendance already, and a second 补学 of the same meeting would count it twice."""
    meeting = query_one(
        db,
        "SELECT id, status, substr(COALESCE(started_at, planned_on), 1, 10) AS held_on FROM meetings WHERE uuid = ?",
        [values["meeting"]],
    )
    if meeting is None:
        return [Problem("meeting", "找不到所补的会议")]
    if meeting["status"] != "held":
        return [Problem("meeting", "所补的会议尚未召开，不能补学")]
    problems = []
    on = values.get("on")
    if isinstance(on, date) and on.isoformat() < meeting["held_on"]:
        problems.append(Problem("on", f"补学日期不能早于所补会议的召开日期（{meeting['held_on']}）"))
    if member_id is None:
        return problems
    present = query_one(
        db,
        "SELECT 1 FROM meeting_attendance WHERE meeting_id = ? AND member_id = ? AND state = 'present'",
        [meeting["id"], member_id],
    )
    if present is not None:
        problems.append(Problem("meeting", "该党员出席了这次会议，学时已按出席计入，不需要补学"))
    again = query_one(
        db,
        "SELECT on_date FROM training_records WHERE kind = 'meeting' AND meeting_id = ? AND member_id = ?"
        " AND archived_at IS NULL",
        [meeting["id"], member_id],
    )
    if again is not None:
        problems.append(
            Problem("meeting", f"该党员已于 {again['on_date']} 补学过这次会议，同一次会议只计一次学时")
        )
    return problems


def add_training(
    db: Database,
    *,
    member_uuid: str,
    on: date,
    hours: float,
    title: str,
    source: str = "",
    kind: str = "external",
    meeting_uuid: str | None = None,
    note: str = "",
    today: date | None = None,
    origin: str = "local",
    batch: str | None = None,
) -> TrainingRecord:
    """Enter external training (or the 补学 of ``meeting_uuid``) for a member. Raises ``ValidationError``."""
    values = {
        "member": member_uuid,
        "on": on,
        "hours": hours,
        "title": title,
        "kind": kind,
        "meeting": meeting_uuid,
    }
    raise_if(validate_training(db, values=values, today=today))
    with db.atomic():
        new_uuid = _insert(db, values, source=source, note=note, batch=batch)
        trail = audit.Trail(db, "training_record", new_uuid, source=origin, batch=batch)
        trail.create("hours", new=f"{hours:g}")
    return get_record(db, uuid=new_uuid)


def _insert(db: Database, values: dict[str, Any], *, source: str, note: str, batch: str | None) -> str:
    """The row of a validated entry (inside the caller's transaction)."""
    meeting_id = None
    if values.get("meeting"):
        row = query_one(db, "SELECT id FROM meetings WHERE uuid = ?", [values["meeting"]])
        if row is None:
            raise ValidationError([Problem("meeting", "找不到所补的会议")])
        meeting_id = row["id"]
    member = query_one(db, "SELECT id FROM members WHERE uuid = ?", [values["member"]])
    assert member is not None  # validated
    on: date = values["on"]
    return edits.insert_row(
        db,
        "training_records",
        {
            "member_id": member["id"],
            "year": on.year,
            "on_date": on.isoformat(),
            "hours": float(values["hours"]),
            "kind": values.get("kind") or "external",
            "title": normalize_text(values["title"]),
            "source": normalize_text(source),
            "meeting_id": meeting_id,
            "note": normalize_text(note),
            "batch": batch,
        },
    )


def get_record(db: Database, *, uuid: str) -> TrainingRecord:
    """The stored entry with this id (archived too). Raises ``NotFound``."""
    found = _records(query(db, _RECORD_SELECT + " WHERE t.uuid = ?", [uuid]))
    if not found:
        raise NotFound(f"找不到该学时记录（{uuid}）")
    return found[0]


def archive_training(db: Database, *, uuid: str, reason: str, source: str = "local") -> TrainingRecord:
    """Take an entry out of the hours (entered by mistake, counted twice …); the row stays with the reason."""
    reason = normalize_text(reason)
    if not reason:
        raise ValidationError([Problem("reason", "请填写作废原因（如：重复登记、录入错误）")])
    with db.atomic():
        record = get_record(db, uuid=uuid)
        if record.archived:
            raise ValidationError([Problem("reason", "该学时记录已作废")])
        db.execute(
            "UPDATE training_records SET archived_at = ?, archived_reason = ?, updated_at = ? WHERE uuid = ?",
            [now_iso(), reason, now_iso(), uuid],
        )
        audit.Trail(db, "training_record", uuid, source=source).add("archive", "archived_reason", new=reason)
    return get_record(db, uuid=uuid)
