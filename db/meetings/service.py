"""Planning, holding, changing, cancelling and locking meetings, and amending locked minutes.

Every write is one transaction (``Database.atomic``) and is refused with ``ValidationError`` (Chinese reasons,
nothing saved) when the input is bad. Attendance, decisions and heart talks are in ``minutes``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from typing import Any

from db import audit, branch, edits, rows
from db.errors import Problem, ValidationError, date_problems
from db.ids import fresh_uuid
from db.meetings.minutes import check_on_roster, refuse_locked, set_attendance
from db.meetings.queries import (
    clean,
    expected_members,
    get_meeting,
    list_amendments,
    meeting_id,
    member_ref,
)
from db.meetings.records import (
    FIELD_LABELS,
    KINDS,
    MEETING_STATUSES,
    YEARLY_REVIEW_KINDS,
    Amendment,
    AttendanceEntry,
    Meeting,
    category_on,
    default_review_year,
)
from db.members import get_member
from db.store import Database, now_iso


def _iso(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    return value.isoformat()


def _optional_member_id(db: Database, member_uuid: str | None) -> int | None:
    return int(member_ref(db, member_uuid)["id"]) if member_uuid else None


def _validate_fields(db: Database, kind: str, values: Mapping[str, Any]) -> list[Problem]:
    problems = []
    if kind not in KINDS:
        problems.append(Problem("kind", f"未知的会议类型：{kind}"))
    if kind == "group_meeting" and not values.get("party_group"):
        problems.append(Problem("party_group", "党小组会请选择党小组"))
    if not values.get("planned_on"):
        problems.append(Problem("planned_on", "请填写会议日期"))
    if not clean(values.get("topic")):
        problems.append(Problem("topic", "请填写议题"))
    t = clean(values.get("planned_time"))
    if t:
        try:
            time.fromisoformat(t)
        except ValueError:
            problems.append(Problem("planned_time", f"时间格式应为 时:分（如 14:30），当前为「{t}」"))
    started, ended = values.get("started_at"), values.get("ended_at")
    if started and ended and ended < started:
        problems.append(Problem("ended_at", "结束时间不能早于开始时间"))
    hours = values.get("study_hours")
    if hours is not None and (
        isinstance(hours, bool) or not isinstance(hours, (int, float)) or not 0 <= hours <= 24
    ):
        problems.append(Problem("study_hours", "学时应为 0 到 24 之间的数（0 表示不计学时）"))
    review = values.get("review_year")
    if review is not None:
        on = started.date() if isinstance(started, datetime) else values.get("planned_on")
        if kind not in YEARLY_REVIEW_KINDS:
            problems.append(Problem("review_year", f"{KINDS.get(kind, kind)}不按年度评议，不填写年度"))
        elif not isinstance(review, int) or (isinstance(on, date) and not on.year - 1 <= review <= on.year):
            problems.append(
                Problem(
                    "review_year",
                    f"{KINDS[kind]}的年度应为召开当年或上一年（如 {on.year - 1 if isinstance(on, date) else ''}"
                    "年度的会议在次年一季度召开）",
                )
            )
    return problems


def validate_meeting(db: Database, *, kind: str, values: Mapping[str, Any]) -> list[Problem]:
    """Problems of a meeting form (kind, planned_on, planned_time, topic, party_group, started_at, ended_at); the
    planning dialog calls this as the user types."""
    return _validate_fields(db, kind, values)


def plan_meeting(
    db: Database,
    *,
    kind: str,
    planned_on: date,
    topic: str,
    planned_time: str = "",
    place: str = "",
    host_uuid: str | None = None,
    recorder_uuid: str | None = None,
    lecturer: str = "",
    party_group_uuid: str | None = None,
    is_election: bool = False,
    expected: Sequence[str] | None = None,
    observers: Sequence[str] = (),
    meeting_uuid: str | None = None,
    review_year: int | None = None,
    study_hours: float | None = None,
) -> Meeting:
    """Plan a meeting and fill its expected attendees.

    A 组织生活会 or 民主评议党员 carries the 年度 it reviews (``review_year``; default: the previous year when held in
    January–March, else the year held), and counts for that year in compliance and reminders.

    The sequence number is the next one for the kind in the year of ``planned_on``. ``expected`` (member uuids)
    overrides the default attendees of ``expected_members``; ``observers`` are names of non-members invited to
    attend (列席, e.g. activists). Raises ``ValidationError`` (nothing saved) or ``NotFound``.
    """
    if kind in YEARLY_REVIEW_KINDS and review_year is None:
        review_year = default_review_year(planned_on)
    values = {
        "planned_on": planned_on,
        "topic": topic,
        "planned_time": planned_time,
        "party_group": party_group_uuid,
        "review_year": review_year,
        "study_hours": study_hours,
    }
    problems = _validate_fields(db, kind, values)
    if problems:
        raise ValidationError(problems)
    with db.atomic():
        group_id = None
        if kind == "group_meeting":
            group_id = branch.party_group_id(db, uuid=party_group_uuid)
        year = planned_on.year
        seq = rows.query(
            db,
            "SELECT COALESCE(max(seq), 0) + 1 AS seq FROM meetings WHERE kind = ? AND year = ?",
            [kind, year],
        )[0]["seq"]
        meeting = {
            "kind": kind,
            "year": year,
            "seq": seq,
            "party_group_id": group_id,
            "planned_on": planned_on.isoformat(),
            "planned_time": clean(planned_time),
            "place": clean(place),
            "topic": clean(topic),
            "host_id": _optional_member_id(db, host_uuid),
            "recorder_id": _optional_member_id(db, recorder_uuid),
            "lecturer": clean(lecturer),
            "is_election": int(is_election),
            "status": "planned",
            "review_year": review_year,
            "study_hours": None if study_hours is None else float(study_hours),
        }
        new_uuid = edits.insert_row(db, "meetings", meeting, uuid=meeting_uuid)
        now = now_iso()
        mid = meeting_id(db, new_uuid)
        defaults = expected_members(db, kind=kind, on=planned_on, party_group_uuid=party_group_uuid)
        if expected is not None:
            wanted = list(dict.fromkeys(expected))
            by_uuid = {m.uuid: (m, c) for m, c in defaults}
            chosen = []
            for u in wanted:
                if u in by_uuid:
                    chosen.append(by_uuid[u])
                else:
                    m = get_member(db, uuid=u)
                    check_on_roster(m, planned_on)
                    chosen.append((m, category_on(m, planned_on)))
            defaults = chosen
        attendance: list[tuple[Any, ...]] = [
            (fresh_uuid(), mid, m.id, "", c, "expected", "", i, now, now) for i, (m, c) in enumerate(defaults)
        ]
        attendance += [
            (fresh_uuid(), mid, None, clean(name), None, "observer", "", 1000 + i, now, now)
            for i, name in enumerate(observers)
            if clean(name)
        ]
        db.conn.executemany(
            "INSERT INTO meeting_attendance (uuid, meeting_id, member_id, observer_name, category, state, reason, "
            "sort_order, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            attendance,
        )
        audit.Trail(db, "meeting", new_uuid).create("kind", new=kind)
    return get_meeting(db, uuid=new_uuid)


def _column(db: Database, key: str, value: Any) -> tuple[str, Any]:
    if key in ("host", "recorder"):
        return f"{key}_id", _optional_member_id(db, value)
    if key == "is_election":
        return key, int(bool(value))
    if isinstance(value, (date, datetime)):
        return key, _iso(value)
    return key, clean(value) if isinstance(value, str) else value


def _stored_text(m: Meeting, key: str) -> str | None:
    value = {"host": m.host_name, "recorder": m.recorder_name}.get(key, getattr(m, key, None))
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (date, datetime)):
        return _iso(value)
    return value


def _with_changes(old: Meeting, changes: Mapping[str, Any]) -> dict[str, Any]:
    """The validated fields of a meeting (as ``_validate_fields`` takes them) with ``changes`` applied."""
    return {
        "planned_on": old.planned_on,
        "topic": old.topic,
        "planned_time": old.planned_time,
        "party_group": old.party_group_uuid,
        "started_at": old.started_at,
        "ended_at": old.ended_at,
        "review_year": old.review_year,
        "study_hours": old.study_hours,
        **changes,
    }


def update_meeting(
    db: Database, *, uuid: str, changes: Mapping[str, Any], today: date | None = None
) -> Meeting:
    """Change fields of a meeting (keys of ``FIELD_LABELS``; ``host``/``recorder`` as member uuids).

    Refused with ``ValidationError`` when the minutes are locked (use ``amend_meeting``), when a field is invalid,
    or when a held meeting would start in the future. Changing the planned date keeps the sequence number.
    """
    unknown = set(changes) - set(FIELD_LABELS)
    if unknown:
        raise KeyError(f"unknown meeting fields: {sorted(unknown)}")
    today = today or date.today()
    with db.atomic():
        old = get_meeting(db, uuid=uuid)
        refuse_locked(old)
        problems = _changed_problems(db, old, changes, today)
        if problems:
            raise ValidationError(problems)
        _write_changes(db, old, changes)
    return get_meeting(db, uuid=uuid)


def _changed_problems(db: Database, old: Meeting, changes: Mapping[str, Any], today: date) -> list[Problem]:
    """The problems of a meeting with ``changes`` applied, edited directly or amended after locking: its fields
    (``_validate_fields``), and a held meeting may not start after today."""
    merged = _with_changes(old, changes)
    problems = _validate_fields(db, old.kind, merged)
    started = merged.get("started_at")
    if old.status == "held" and started and started.date() > today:
        problems.append(Problem("started_at", f"会议开始时间 {started:%Y-%m-%d} 晚于今天，不能标记为已召开"))
    return problems


def _write_changes(db: Database, old: Meeting, changes: Mapping[str, Any], source: str = "local") -> None:
    edits.update_row(
        db,
        table="meetings",
        entity="meeting",
        uuid=old.uuid,
        columns=dict(_column(db, k, v) for k, v in changes.items()),
        changes=(c for c in (_audited(db, old, k, v) for k, v in changes.items()) if c[1] != c[2]),
        source=source,
    )


def _audited(db: Database, old: Meeting, key: str, value: Any) -> tuple[str, Any, Any]:
    """A field of ``changes`` as the audit log shows it: (field, stored text before, text after; people by name)."""
    after = value if key not in ("host", "recorder") else (member_ref(db, value)["name"] if value else None)
    return key, _stored_text(old, key), _iso(after) if isinstance(after, (date, datetime)) else after


def hold_meeting(
    db: Database,
    *,
    uuid: str,
    started_at: datetime,
    ended_at: datetime | None = None,
    content: str = "",
    speaking_points: str = "",
    attendance: Sequence[AttendanceEntry] | None = None,
    today: date | None = None,
) -> Meeting:
    """Record that a planned meeting was held: actual time, content, speaking points and (optionally) the whole
    attendance in one transaction. Refused when ``started_at`` is after ``today``, the meeting was cancelled or
    the minutes are locked; attendance is validated as by ``set_attendance``."""
    today = today or date.today()
    problems = []
    if started_at.date() > today:
        problems.append(
            Problem("started_at", f"会议日期 {started_at:%Y-%m-%d} 在今天之后，未来的会议不能标记为已召开")
        )
    if ended_at is not None and ended_at < started_at:
        problems.append(Problem("ended_at", "结束时间不能早于开始时间"))
    with db.atomic():
        old = get_meeting(db, uuid=uuid)
        refuse_locked(old)
        if old.status == "cancelled":
            problems.append(Problem("status", f"该会议已取消（{old.cancel_reason}），不能再标记为已召开"))
        if problems:
            raise ValidationError(problems)
        db.execute(
            "UPDATE meetings SET status = 'held', started_at = ?, ended_at = ?, content = ?, speaking_points = ?, "
            "updated_at = ? WHERE uuid = ?",
            [_iso(started_at), _iso(ended_at), clean(content), clean(speaking_points), now_iso(), uuid],
        )
        audit.Trail(db, "meeting", uuid).status(old.status, "held")
        if attendance is not None:
            set_attendance(db, meeting_uuid=uuid, entries=attendance)
    return get_meeting(db, uuid=uuid)


def update_record(
    db: Database,
    *,
    uuid: str,
    started_at: datetime,
    ended_at: datetime,
    content: str,
    speaking_points: str,
    attendance: Sequence[AttendanceEntry],
    today: date | None = None,
) -> Meeting:
    """Correct the record of a held, unlocked meeting: time, content, speaking points and the whole attendance in
    one transaction (``update_meeting`` then ``set_attendance``; either refusing leaves nothing changed)."""
    with db.atomic():
        update_meeting(
            db,
            uuid=uuid,
            today=today,
            changes={
                "started_at": started_at,
                "ended_at": ended_at,
                "content": content,
                "speaking_points": speaking_points,
            },
        )
        set_attendance(db, meeting_uuid=uuid, entries=attendance)
    return get_meeting(db, uuid=uuid)


def cancel_meeting(db: Database, *, uuid: str, reason: str) -> Meeting:
    """Cancel a planned meeting with a reason (kept in the record; it no longer counts for compliance)."""
    reason = clean(reason)
    if not reason:
        raise ValidationError([Problem("cancel_reason", "请填写取消原因")])
    with db.atomic():
        old = get_meeting(db, uuid=uuid)
        if old.status != "planned":
            raise ValidationError(
                [Problem("status", f"只有计划中的会议可以取消（当前：{MEETING_STATUSES[old.status]}）")]
            )
        db.execute(
            "UPDATE meetings SET status = 'cancelled', cancel_reason = ?, updated_at = ? WHERE uuid = ?",
            [reason, now_iso(), uuid],
        )
        audit.Trail(db, "meeting", uuid).status(old.status, f"cancelled：{reason}", action="archive")
    return get_meeting(db, uuid=uuid)


# --- locking and amendments -------------------------------------------------------------------------------


def lock_minutes(db: Database, *, uuid: str, at: datetime | None = None) -> Meeting:
    """Lock the minutes of a held meeting: from now on only ``amend_meeting`` changes them."""
    with db.atomic():
        m = get_meeting(db, uuid=uuid)
        if m.status != "held":
            raise ValidationError([Problem("status", "只有已召开的会议可以锁定会议记录")])
        if m.locked:
            return m
        stamp = (at or datetime.now()).isoformat(timespec="seconds")
        db.execute(
            "UPDATE meetings SET locked_at = ?, updated_at = ? WHERE uuid = ?", [stamp, now_iso(), uuid]
        )
        audit.Trail(db, "meeting", uuid).update("locked_at", new=stamp)
    return get_meeting(db, uuid=uuid)


def amend_meeting(
    db: Database, *, uuid: str, field: str, value: Any, reason: str, on: date, today: date | None = None
) -> Amendment:
    """Correct one field of locked minutes: the change is applied and kept as an amendment (date, reason, old and
    new value), shown with the minutes and printed. Refused without a reason, for an unknown field, or when the
    minutes are not locked (then edit them directly)."""
    reason = clean(reason)
    today = today or date.today()
    problems = []
    if field not in FIELD_LABELS:
        problems.append(Problem("field", f"不能更正的字段：{field}"))
    if not reason:
        problems.append(Problem("reason", "请填写更正原因"))
    problems += date_problems("at", "更正日期", on, today=today)
    with db.atomic():
        old = get_meeting(db, uuid=uuid)
        if not old.locked:
            problems.append(Problem("locked", "会议记录尚未锁定，请直接修改"))
        if problems:
            raise ValidationError(problems)
        # the same rules as a direct edit: an amendment may not make the record what an edit may not
        field_problems = _changed_problems(db, old, {field: value}, today)
        if field_problems:
            raise ValidationError(field_problems)
        before = _stored_text(old, field)
        _write_changes(db, old, {field: value})
        new_text = _stored_text(get_meeting(db, uuid=uuid), field)
        amendment = {
            "meeting_id": old.id,
            "at": on.isoformat(),
            "reason": reason,
            "field": field,
            "old": before,
            "new": new_text,
        }
        a_uuid = edits.insert_row(db, "meeting_amendments", amendment)
    return next(a for a in list_amendments(db, meeting_uuid=uuid) if a.uuid == a_uuid)
