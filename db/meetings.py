"""Meetings and organisational life (三会一课, 主题党日, 组织生活会, 民主评议, 谈心谈话): GLOSSARY "Meetings".

A meeting is *planned* first (kind, date, time, place, topic, host, recorder; its expected attendees are filled from
the roster, the party group or the committee, in sign-in order) and then *held* (actual time, content, speaking
points, decisions with votes, per-person attendance). 应到/实到/请假 are always derived from the attendance rows.
A held meeting's minutes can be locked; after that every change is an amendment with a date and a reason, never a
silent edit. Heart-to-heart talks (谈心谈话) have their own table: two or more participants, a topic, a summary.

Bad input is refused with ``ValidationError`` (Chinese reasons, nothing saved): a meeting in the future marked held,
attendance for a member archived before the meeting, a vote count above those present, leave/absent without a
reason, more than 1/3 excellent in an appraisal, grading a probationary member, any edit of locked minutes.

Compliance (``compliance``), heart-talk coverage and reminders live in ``db.compliance`` and are re-exported here.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from db import audit, branch
from db.errors import NotFound, Problem, ValidationError
from db.ids import fresh_uuid
from db.records import CATEGORIES, Member
from db.rules import normalize_text, parse_date
from db.store import Database, now_iso

KINDS: dict[str, str] = {
    "branch_assembly": "支部党员大会",
    "committee_meeting": "支部委员会",
    "group_meeting": "党小组会",
    "party_lecture": "党课",
    "theme_day": "主题党日",
    "life_meeting": "组织生活会",
    "appraisal": "民主评议党员",
}
STATES: dict[str, str] = {
    "expected": "应到",
    "present": "出席",
    "leave": "请假",
    "absent": "缺席",
    "observer": "列席",
}
MEETING_STATUSES: dict[str, str] = {"planned": "计划", "held": "已召开", "cancelled": "已取消"}
GRADES: dict[str, str] = {
    "excellent": "优秀",
    "qualified": "合格",
    "basically_qualified": "基本合格",
    "unqualified": "不合格",
}
# Fields of a meeting that ``update_meeting`` and ``amend_meeting`` accept, with their Chinese labels.
FIELD_LABELS: dict[str, str] = {
    "planned_on": "计划日期",
    "planned_time": "计划时间",
    "place": "地点",
    "topic": "议题",
    "host": "主持人",
    "recorder": "记录人",
    "lecturer": "授课人",
    "content": "会议内容",
    "speaking_points": "发言要点",
    "is_election": "是否选举",
    "started_at": "实际开始时间",
    "ended_at": "实际结束时间",
}


# --- records ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Meeting:
    """A meeting with its derived attendance counts (应到 = expected, 实到 = present, 请假 = leave)."""

    id: int
    uuid: str
    kind: str
    year: int
    seq: int
    party_group_uuid: str | None
    party_group_name: str
    planned_on: date
    planned_time: str
    started_at: datetime | None
    ended_at: datetime | None
    place: str
    topic: str
    host_uuid: str | None
    host_name: str
    recorder_uuid: str | None
    recorder_name: str
    lecturer: str
    content: str
    speaking_points: str
    is_election: bool
    status: str
    cancel_reason: str
    locked_at: str | None
    expected: int
    present: int
    leave: int
    absent: int
    observers: int

    @property
    def kind_name(self) -> str:
        return KINDS[self.kind]

    @property
    def held_on(self) -> date:
        """The date the meeting took place (or is planned for)."""
        return self.started_at.date() if self.started_at else self.planned_on

    @property
    def reference(self) -> str:
        """Stable human reference used by the CLI: ``2026-branch_assembly-3``."""
        return f"{self.year}-{self.kind}-{self.seq}"

    @property
    def number_text(self) -> str:
        return f"{self.year}年第{self.seq}次"

    @property
    def title(self) -> str:
        """``第一党小组 党小组会`` / ``支部党员大会``: the kind, with the party group for group meetings."""
        return f"{self.party_group_name} {self.kind_name}" if self.party_group_name else self.kind_name

    @property
    def locked(self) -> bool:
        return self.locked_at is not None


@dataclass(frozen=True)
class Attendance:
    """One line of a meeting's attendance, in sign-in order. Observers may be non-members (``member_uuid`` None)."""

    uuid: str
    member_uuid: str | None
    name: str
    category: str | None
    party_group_name: str
    state: str
    reason: str
    sort_order: int

    @property
    def is_member(self) -> bool:
        return self.member_uuid is not None


@dataclass(frozen=True)
class AttendanceEntry:
    """Input for ``set_attendance``: a member (by uuid) or a non-member observer (by name)."""

    member_uuid: str | None
    state: str
    reason: str = ""
    observer_name: str = ""


@dataclass(frozen=True)
class Decision:
    uuid: str
    seq: int
    subject: str
    votes_for: int | None
    votes_against: int | None
    votes_abstain: int | None
    resolution: str
    is_election: bool
    quorum_met: bool  # False: the decision was taken without the quorum (flagged everywhere it is shown)


@dataclass(frozen=True)
class Amendment:
    uuid: str
    at: date
    reason: str
    field: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class Quorum:
    """Whether enough people were present. ``applies`` is False for kinds without a quorum rule."""

    applies: bool
    entitled: int  # full members entitled to vote (branch assembly) or committee members
    present: int
    needed: int  # smallest number present that satisfies the rule
    met: bool
    rule: str  # Chinese description of the rule used


@dataclass(frozen=True)
class Grade:
    member_uuid: str
    member_name: str
    grade: str


@dataclass(frozen=True)
class HeartTalk:
    uuid: str
    held_on: date
    place: str
    topic: str
    summary: str
    participant_uuids: tuple[str, ...]
    participant_names: tuple[str, ...]


# --- helpers ----------------------------------------------------------------------------------------------


def _clean(value: object) -> str:
    """Free text as stored: stripped only. (NFKC would turn Chinese full-width punctuation into ASCII.)"""
    return "" if value is None else str(value).strip()


def _iso(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    return value.isoformat()


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


_SELECT = """
    SELECT m.id, m.uuid, m.kind, m.year, m.seq, g.uuid, COALESCE(g.name, ''), m.planned_on, m.planned_time,
           m.started_at, m.ended_at, m.place, m.topic, h.uuid, COALESCE(h.name, ''), r.uuid, COALESCE(r.name, ''),
           m.lecturer, m.content, m.speaking_points, m.is_election, m.status, m.cancel_reason, m.locked_at,
           (SELECT count(*) FROM meeting_attendance a WHERE a.meeting_id = m.id AND a.state != 'observer'),
           (SELECT count(*) FROM meeting_attendance a WHERE a.meeting_id = m.id AND a.state = 'present'),
           (SELECT count(*) FROM meeting_attendance a WHERE a.meeting_id = m.id AND a.state = 'leave'),
           (SELECT count(*) FROM meeting_attendance a WHERE a.meeting_id = m.id AND a.state = 'absent'),
           (SELECT count(*) FROM meeting_attendance a WHERE a.meeting_id = m.id AND a.state = 'observer')
    FROM meetings m
    LEFT JOIN party_groups g ON g.id = m.party_group_id
    LEFT JOIN members h ON h.id = m.host_id
    LEFT JOIN members r ON r.id = m.recorder_id
"""


def _meeting(row: Sequence[Any]) -> Meeting:
    v = list(row)
    v[7] = parse_date(v[7])
    v[9], v[10] = _dt(v[9]), _dt(v[10])
    v[20] = bool(v[20])
    return Meeting(*v)


def _member_row(db: Database, member_uuid: str) -> tuple[int, str, str | None, str | None]:
    """(id, name, status, status_on) of a member; raises NotFound."""
    row = db.execute(
        "SELECT id, name, status, status_on FROM members WHERE uuid = ?", [member_uuid]
    ).fetchone()
    if row is None:
        raise NotFound(f"找不到该党员（{member_uuid}）")
    return int(row[0]), row[1], row[2], row[3]


def _optional_member_id(db: Database, member_uuid: str | None) -> int | None:
    return _member_row(db, member_uuid)[0] if member_uuid else None


def _meeting_id(db: Database, meeting_uuid: str) -> int:
    row = db.execute("SELECT id FROM meetings WHERE uuid = ?", [meeting_uuid]).fetchone()
    if row is None:
        raise NotFound(f"找不到该会议（{meeting_uuid}）")
    return int(row[0])


def category_on(member: Member, on: date) -> str:
    """The member's category on a date: full once ``full_on`` has passed (a full member without a date is full)."""
    if member.full_on is not None:
        return "full" if member.full_on <= on else "probationary"
    return member.category


def on_roster(member: Member, on: date) -> bool:
    """Was the member on the branch's roster on that date (joined by then, not yet archived)?"""
    if member.joined_on is not None and member.joined_on > on:
        return False
    if member.status != "active":
        return member.status_on is not None and member.status_on >= on
    return True


def _roster_order(db: Database) -> dict[str, int]:
    from db.members import list_members

    return {m.uuid: i for i, m in enumerate(list_members(db, status=None))}


def _refuse_locked(meeting: Meeting) -> None:
    if meeting.locked:
        raise ValidationError(
            [
                Problem(
                    "locked",
                    f"{meeting.title}（{meeting.number_text}）的会议记录已于 {meeting.locked_at} 锁定，不能直接修改；"
                    "如需更正，请以“更正”方式登记日期和原因",
                )
            ]
        )


# --- reading ----------------------------------------------------------------------------------------------


def get_meeting(db: Database, *, uuid: str) -> Meeting:
    """The meeting with this uuid. Raises ``NotFound``."""
    row = db.execute(_SELECT + " WHERE m.uuid = ?", [uuid]).fetchone()
    if row is None:
        raise NotFound(f"找不到该会议（{uuid}）")
    return _meeting(row)


def find_meeting(db: Database, *, ref: str, today: date | None = None) -> Meeting:
    """A meeting by uuid, by reference ``YEAR-KIND-SEQ`` (kind as identifier or Chinese name, e.g.
    ``2026-branch_assembly-3`` or ``2026-支部党员大会-3``), or ``next``: the first planned meeting from today on
    (the sign-in sheet a secretary prints before a meeting). Raises ``NotFound`` naming the reference."""
    ref = normalize_text(ref)
    if ref.lower() == "next":
        row = db.execute(
            _SELECT
            + " WHERE m.status = 'planned' AND m.planned_on >= ? ORDER BY m.planned_on, m.planned_time LIMIT 1",
            [(today or date.today()).isoformat()],
        ).fetchone()
        if row is None:
            raise NotFound(
                "没有计划中的会议。请先在「会议记录」中新建会议，或用会议的 uuid / “年份-类型-序号”指定会议"
            )
        return _meeting(row)
    row = db.execute(_SELECT + " WHERE m.uuid = ?", [ref]).fetchone()
    if row is not None:
        return _meeting(row)
    parts = ref.split("-")
    if len(parts) == 3 and parts[0].isdigit() and parts[2].isdigit():
        kind = parts[1]
        kind = next((k for k, name in KINDS.items() if name == kind), kind)
        row = db.execute(
            _SELECT + " WHERE m.year = ? AND m.kind = ? AND m.seq = ?", [int(parts[0]), kind, int(parts[2])]
        ).fetchone()
        if row is not None:
            return _meeting(row)
    raise NotFound(f"找不到会议「{ref}」。请使用会议的 uuid，或“年份-类型-序号”，如 2026-branch_assembly-3")


def list_meetings(
    db: Database,
    *,
    year: int | None = None,
    kind: str | None = None,
    status: str | None = None,
    since: date | None = None,
    until: date | None = None,
    query: str = "",
) -> list[Meeting]:
    """Meetings, newest first, filtered by year (of the planned date), kind, status, a date range (inclusive, on
    the date held or planned) and a text query (topic, place, kind, host or party group)."""
    where: list[str] = []
    params: list[Any] = []
    if year is not None:
        where.append("m.year = ?")
        params.append(year)
    if kind is not None:
        where.append("m.kind = ?")
        params.append(kind)
    if status is not None:
        where.append("m.status = ?")
        params.append(status)
    held = "substr(COALESCE(m.started_at, m.planned_on), 1, 10)"
    if since is not None:
        where.append(f"{held} >= ?")
        params.append(since.isoformat())
    if until is not None:
        where.append(f"{held} <= ?")
        params.append(until.isoformat())
    sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "")
    sql += f" ORDER BY {held} DESC, m.kind, m.seq DESC"
    meetings = [_meeting(r) for r in db.execute(sql, params).fetchall()]
    q = _clean(query).lower()
    if q:
        meetings = [
            m
            for m in meetings
            if q
            in f"{m.topic} {m.place} {m.kind_name} {m.host_name} {m.party_group_name} {m.number_text}".lower()
        ]
    return meetings


def list_attendance(db: Database, *, meeting_uuid: str) -> list[Attendance]:
    """The attendance of a meeting in sign-in order: members (full before probationary, roster order), then
    observers."""
    mid = _meeting_id(db, meeting_uuid)
    rows = db.execute(
        """
        SELECT a.uuid, mb.uuid, COALESCE(mb.name, a.observer_name), a.category, COALESCE(g.name, ''), a.state,
               a.reason, a.sort_order
        FROM meeting_attendance a
        LEFT JOIN members mb ON mb.id = a.member_id
        LEFT JOIN party_groups g ON g.id = mb.party_group_id
        WHERE a.meeting_id = ?
        """,
        [mid],
    ).fetchall()
    items = [Attendance(*r) for r in rows]
    order = _roster_order(db)

    def key(a: Attendance) -> tuple[int, int, int]:
        if a.member_uuid is None or a.state == "observer":
            return (2, a.sort_order, 0)
        return (0 if a.category == "full" else 1, order.get(a.member_uuid, 10**6), a.sort_order)

    return sorted(items, key=key)


def expected_members(
    db: Database, *, kind: str, on: date, party_group_uuid: str | None = None
) -> list[tuple[Member, str]]:
    """Who is expected at a meeting of ``kind`` on ``on``, in roster order, each with their category that day.

    Committee meetings: the committee serving that day. Group meetings: the group's members. Everything else:
    every member on the roster that day. Members with suspended standing are not expected (they do not take part
    in organisational life); archived members are expected only for meetings before they left.
    """
    from db.branch import list_committee
    from db.members import list_members

    members = [m for m in list_members(db, status=None) if on_roster(m, on) and m.standing == "normal"]
    if kind == "committee_meeting":
        committee = {c.member_uuid for c in list_committee(db, on=on)}
        members = [m for m in members if m.uuid in committee]
    elif kind == "group_meeting":
        members = [m for m in members if m.party_group_uuid == party_group_uuid]
    return [(m, category_on(m, on)) for m in members]


def attendance_counts(db: Database, *, meeting_uuid: str) -> dict[str, int]:
    """应到/实到/请假/缺席/列席 of a meeting: keys expected, present, leave, absent, observers."""
    m = get_meeting(db, uuid=meeting_uuid)
    return {
        "expected": m.expected,
        "present": m.present,
        "leave": m.leave,
        "absent": m.absent,
        "observers": m.observers,
    }


def quorum(db: Database, *, meeting_uuid: str, election: bool | None = None) -> Quorum:
    """The quorum of a meeting (GLOSSARY): a branch assembly needs more than half of the full members entitled
    to vote present (more than 4/5 for an election; probationary members do not vote, members with suspended
    standing do not count); a committee meeting more than half of the committee serving that day. Other kinds
    have no quorum rule (``applies`` False, ``met`` True). ``election`` overrides the meeting's own flag."""
    from db.branch import list_committee
    from db.members import list_members

    m = get_meeting(db, uuid=meeting_uuid)
    election = m.is_election if election is None else election
    on = m.held_on
    present = {
        a.member_uuid
        for a in list_attendance(db, meeting_uuid=meeting_uuid)
        if a.state == "present" and a.member_uuid
    }
    if m.kind == "branch_assembly":
        entitled = {
            x.uuid
            for x in list_members(db, status=None)
            if on_roster(x, on) and x.standing == "normal" and category_on(x, on) == "full"
        }
        rule = (
            "选举须有超过应到会正式党员五分之四的党员到会"
            if election
            else "须有超过半数有表决权的正式党员到会"
        )
    elif m.kind == "committee_meeting":
        entitled = {c.member_uuid for c in list_committee(db, on=on)}
        election = False
        rule = "须有超过半数的支部委员到会"
    else:
        return Quorum(False, 0, len(present), 0, True, "此类会议无法定人数要求")
    count = len(present & entitled)
    n = len(entitled)
    needed = (n * 4) // 5 + 1 if election else n // 2 + 1
    return Quorum(True, n, count, needed, count >= needed and n > 0, rule)


def list_decisions(db: Database, *, meeting_uuid: str) -> list[Decision]:
    """The decisions of a meeting, in order, each flagged when taken without the quorum."""
    mid = _meeting_id(db, meeting_uuid)
    rows = db.execute(
        "SELECT uuid, seq, subject, votes_for, votes_against, votes_abstain, resolution, is_election "
        "FROM meeting_decisions WHERE meeting_id = ? ORDER BY seq",
        [mid],
    ).fetchall()
    out = []
    cache: dict[bool, bool] = {}
    for r in rows:
        election = bool(r[7])
        if election not in cache:
            cache[election] = quorum(db, meeting_uuid=meeting_uuid, election=election or None).met
        out.append(Decision(r[0], r[1], r[2], r[3], r[4], r[5], r[6], election, cache[election]))
    return out


def list_amendments(db: Database, *, meeting_uuid: str) -> list[Amendment]:
    """Corrections of locked minutes, oldest first."""
    mid = _meeting_id(db, meeting_uuid)
    rows = db.execute(
        "SELECT uuid, at, reason, field, old, new FROM meeting_amendments WHERE meeting_id = ? ORDER BY id",
        [mid],
    ).fetchall()
    return [Amendment(r[0], date.fromisoformat(r[1]), r[2], r[3], r[4], r[5]) for r in rows]


def list_grades(db: Database, *, meeting_uuid: str) -> list[Grade]:
    """Appraisal grades of a meeting in roster order."""
    mid = _meeting_id(db, meeting_uuid)
    rows = db.execute(
        "SELECT mb.uuid, mb.name, g.grade FROM appraisal_grades g JOIN members mb ON mb.id = g.member_id "
        "WHERE g.meeting_id = ?",
        [mid],
    ).fetchall()
    order = _roster_order(db)
    return sorted((Grade(*r) for r in rows), key=lambda g: order.get(g.member_uuid, 10**6))


# --- planning and holding ---------------------------------------------------------------------------------


def _validate_fields(db: Database, kind: str, values: Mapping[str, Any]) -> list[Problem]:
    problems = []
    if kind not in KINDS:
        problems.append(Problem("kind", f"未知的会议类型：{kind}"))
    if kind == "group_meeting" and not values.get("party_group"):
        problems.append(Problem("party_group", "党小组会请选择党小组"))
    if not values.get("planned_on"):
        problems.append(Problem("planned_on", "请填写会议日期"))
    if not _clean(values.get("topic")):
        problems.append(Problem("topic", "请填写议题"))
    t = _clean(values.get("planned_time"))
    if t:
        try:
            time.fromisoformat(t)
        except ValueError:
            problems.append(Problem("planned_time", f"时间格式应为 时:分（如 14:30），当前为「{t}」"))
    started, ended = values.get("started_at"), values.get("ended_at")
    if started and ended and ended < started:
        problems.append(Problem("ended_at", "结束时间不能早于开始时间"))
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
) -> Meeting:
    """Plan a meeting and fill its expected attendees.

    The sequence number is the next one for the kind in the year of ``planned_on``. ``expected`` (member uuids)
    overrides the default attendees of ``expected_members``; ``observers`` are names of non-members invited to
    attend (列席, e.g. activists). Raises ``ValidationError`` (nothing saved) or ``NotFound``.
    """
    values = {
        "planned_on": planned_on,
        "topic": topic,
        "planned_time": planned_time,
        "party_group": party_group_uuid,
    }
    problems = _validate_fields(db, kind, values)
    if problems:
        raise ValidationError(problems)
    with db.atomic():
        group_id = None
        if kind == "group_meeting":
            group_id = branch.party_group_id(db, uuid=party_group_uuid)
        year = planned_on.year
        seq = db.execute(
            "SELECT COALESCE(max(seq), 0) + 1 FROM meetings WHERE kind = ? AND year = ?", [kind, year]
        ).fetchone()[0]
        new_uuid = meeting_uuid or fresh_uuid()
        now = now_iso()
        db.execute(
            """
            INSERT INTO meetings (uuid, kind, year, seq, party_group_id, planned_on, planned_time, place, topic,
                                  host_id, recorder_id, lecturer, is_election, status, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'planned', ?, ?)
            """,
            [
                new_uuid,
                kind,
                year,
                seq,
                group_id,
                planned_on.isoformat(),
                _clean(planned_time),
                _clean(place),
                _clean(topic),
                _optional_member_id(db, host_uuid),
                _optional_member_id(db, recorder_uuid),
                _clean(lecturer),
                int(is_election),
                now,
                now,
            ],
        )
        mid = int(db.execute("SELECT id FROM meetings WHERE uuid = ?", [new_uuid]).fetchone()[0])
        defaults = expected_members(db, kind=kind, on=planned_on, party_group_uuid=party_group_uuid)
        if expected is not None:
            from db.members import get_member

            wanted = list(dict.fromkeys(expected))
            by_uuid = {m.uuid: (m, c) for m, c in defaults}
            chosen = []
            for u in wanted:
                if u in by_uuid:
                    chosen.append(by_uuid[u])
                else:
                    m = get_member(db, uuid=u)
                    _check_on_roster(m, planned_on)
                    chosen.append((m, category_on(m, planned_on)))
            defaults = chosen
        rows: list[tuple[Any, ...]] = [
            (fresh_uuid(), mid, m.id, "", c, "expected", "", i, now, now) for i, (m, c) in enumerate(defaults)
        ]
        rows += [
            (fresh_uuid(), mid, None, _clean(name), None, "observer", "", 1000 + i, now, now)
            for i, name in enumerate(observers)
            if _clean(name)
        ]
        db.conn.executemany(
            "INSERT INTO meeting_attendance (uuid, meeting_id, member_id, observer_name, category, state, reason, "
            "sort_order, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        audit.record(db, entity="meeting", entity_uuid=new_uuid, action="create", field="kind", new=kind)
    return get_meeting(db, uuid=new_uuid)


def _check_on_roster(member: Member, on: date, what: str = "会议") -> None:
    if member.status != "active" and member.status_on is not None and member.status_on < on:
        raise ValidationError(
            [
                Problem(
                    "attendance",
                    f"{member.name} 已于 {member.status_on:%Y-%m-%d} 离开名册（{member.status_reason or member.status}），"
                    f"不能登记参加 {on:%Y-%m-%d} 的{what}",
                )
            ]
        )
    if member.joined_on is not None and member.joined_on > on:
        raise ValidationError(
            [
                Problem(
                    "attendance",
                    f"{member.name} 于 {member.joined_on:%Y-%m-%d} 才加入党组织，不能登记参加 {on:%Y-%m-%d} 的{what}",
                )
            ]
        )


def _column(db: Database, key: str, value: Any) -> tuple[str, Any]:
    if key in ("host", "recorder"):
        return f"{key}_id", _optional_member_id(db, value)
    if key == "is_election":
        return key, int(bool(value))
    if isinstance(value, (date, datetime)):
        return key, _iso(value)
    return key, _clean(value) if isinstance(value, str) else value


def _stored_text(m: Meeting, key: str) -> str | None:
    value = {"host": m.host_name, "recorder": m.recorder_name}.get(key, getattr(m, key, None))
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (date, datetime)):
        return _iso(value)
    return value


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
        _refuse_locked(old)
        merged = {
            "planned_on": old.planned_on,
            "topic": old.topic,
            "planned_time": old.planned_time,
            "party_group": old.party_group_uuid,
            "started_at": old.started_at,
            "ended_at": old.ended_at,
            **changes,
        }
        problems = _validate_fields(db, old.kind, merged)
        started = merged.get("started_at")
        if old.status == "held" and started and started.date() > today:
            problems.append(
                Problem("started_at", f"会议开始时间 {started:%Y-%m-%d} 晚于今天，不能标记为已召开")
            )
        if problems:
            raise ValidationError(problems)
        _write_changes(db, old, changes)
    return get_meeting(db, uuid=uuid)


def _write_changes(db: Database, old: Meeting, changes: Mapping[str, Any], source: str = "local") -> None:
    cols = dict(_column(db, k, v) for k, v in changes.items())
    cols["updated_at"] = now_iso()
    db.execute(
        f"UPDATE meetings SET {', '.join(f'{c} = ?' for c in cols)} WHERE uuid = ?",
        [*cols.values(), old.uuid],
    )
    for key, value in changes.items():
        before = _stored_text(old, key)
        after = value if key not in ("host", "recorder") else (_member_row(db, value)[1] if value else None)
        after = _iso(after) if isinstance(after, (date, datetime)) else after
        if before != after:
            audit.record(
                db,
                entity="meeting",
                entity_uuid=old.uuid,
                action="update",
                field=key,
                old=before,
                new=after,
                source=source,
            )


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
        _refuse_locked(old)
        if old.status == "cancelled":
            problems.append(Problem("status", f"该会议已取消（{old.cancel_reason}），不能再标记为已召开"))
        if problems:
            raise ValidationError(problems)
        db.execute(
            "UPDATE meetings SET status = 'held', started_at = ?, ended_at = ?, content = ?, speaking_points = ?, "
            "updated_at = ? WHERE uuid = ?",
            [_iso(started_at), _iso(ended_at), _clean(content), _clean(speaking_points), now_iso(), uuid],
        )
        audit.record(
            db,
            entity="meeting",
            entity_uuid=uuid,
            action="update",
            field="status",
            old=old.status,
            new="held",
        )
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
    reason = _clean(reason)
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
        audit.record(
            db,
            entity="meeting",
            entity_uuid=uuid,
            action="archive",
            field="status",
            old=old.status,
            new=f"cancelled：{reason}",
        )
    return get_meeting(db, uuid=uuid)


def validate_attendance(
    db: Database, *, meeting_uuid: str, entries: Sequence[AttendanceEntry]
) -> list[Problem]:
    """Problems of an attendance list: unknown state, leave/absent without a reason, a member archived before the
    meeting (or joined after it), the same member twice, an observer without a name."""
    from db.members import get_member

    m = get_meeting(db, uuid=meeting_uuid)
    problems: list[Problem] = []
    seen: set[str] = set()
    for e in entries:
        if e.state not in STATES:
            problems.append(Problem("state", f"未知的出席状态：{e.state}"))
            continue
        if e.member_uuid is None:
            if e.state != "observer" or not _clean(e.observer_name):
                problems.append(Problem("observer_name", "非党员列席人员请填写姓名，状态为“列席”"))
            continue
        member = get_member(db, uuid=e.member_uuid)
        if e.member_uuid in seen:
            problems.append(Problem("attendance", f"{member.name} 在出席名单中重复出现"))
        seen.add(e.member_uuid)
        if e.state in ("leave", "absent") and not _clean(e.reason):
            problems.append(Problem("reason", f"{member.name}{STATES[e.state]}，请填写{STATES[e.state]}原因"))
        try:
            _check_on_roster(member, m.held_on)
        except ValidationError as exc:
            problems.extend(exc.problems)
    return problems


def set_attendance(
    db: Database, *, meeting_uuid: str, entries: Sequence[AttendanceEntry]
) -> list[Attendance]:
    """Replace a meeting's attendance with ``entries`` (the complete list) in one transaction.

    A member's category is taken on the meeting date. Refused (nothing saved) with ``ValidationError`` for the
    problems of ``validate_attendance`` or when the minutes are locked; changes are written to the audit log.
    """
    from db.members import get_member

    with db.atomic():
        m = get_meeting(db, uuid=meeting_uuid)
        _refuse_locked(m)
        problems = validate_attendance(db, meeting_uuid=meeting_uuid, entries=entries)
        if problems:
            raise ValidationError(problems)
        before = {
            (a.member_uuid or a.name): (a.state, a.reason)
            for a in list_attendance(db, meeting_uuid=meeting_uuid)
        }
        mid = m.id
        now = now_iso()
        # Rows are updated in place (their uuids stay); only people taken off the list lose their row.
        existing: dict[tuple[str, Any], int] = {}
        for row_id, member_id, observer_name in db.execute(
            "SELECT id, member_id, observer_name FROM meeting_attendance WHERE meeting_id = ?", [mid]
        ).fetchall():
            existing[("m", member_id) if member_id is not None else ("o", observer_name)] = int(row_id)
        kept: set[int] = set()
        for i, e in enumerate(entries):
            if e.member_uuid is None:
                key: tuple[str, Any] = ("o", _clean(e.observer_name))
                values: tuple[Any, ...] = (None, _clean(e.observer_name), None, "observer", "")
            else:
                member = get_member(db, uuid=e.member_uuid)
                reason = _clean(e.reason) if e.state in ("leave", "absent", "observer") else ""
                key = ("m", member.id)
                values = (member.id, "", category_on(member, m.held_on), e.state, reason)
            if key in existing and existing[key] not in kept:
                kept.add(existing[key])
                db.execute(
                    "UPDATE meeting_attendance SET category = ?, state = ?, reason = ?, sort_order = ?, updated_at = ? "
                    "WHERE id = ?",
                    [values[2], values[3], values[4], i, now, existing[key]],
                )
            else:
                db.execute(
                    "INSERT INTO meeting_attendance (uuid, meeting_id, member_id, observer_name, category, state, "
                    "reason, sort_order, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [fresh_uuid(), mid, *values, i, now, now],
                )
        for row_id in set(existing.values()) - kept:
            db.execute(
                "DELETE FROM meeting_attendance WHERE id = ?", [row_id]
            )  # taken off the list; audited below
        after = {(e.member_uuid or _clean(e.observer_name)): (e.state, _clean(e.reason)) for e in entries}
        for who in before.keys() | after.keys():
            if before.get(who) != after.get(who):
                audit.record(
                    db,
                    entity="meeting",
                    entity_uuid=meeting_uuid,
                    action="update",
                    field=f"attendance:{who}",
                    old="：".join(before[who]) if who in before else None,
                    new="：".join(after[who]) if who in after else None,
                )
    return list_attendance(db, meeting_uuid=meeting_uuid)


def _voters_present(db: Database, m: Meeting) -> int:
    """How many present people may vote: full members at a branch assembly, every member present otherwise."""
    att = list_attendance(db, meeting_uuid=m.uuid)
    if m.kind == "branch_assembly":
        return sum(1 for a in att if a.state == "present" and a.category == "full")
    return sum(1 for a in att if a.state == "present" and a.member_uuid)


def add_decision(
    db: Database,
    *,
    meeting_uuid: str,
    subject: str,
    resolution: str = "",
    votes_for: int | None = None,
    votes_against: int | None = None,
    votes_abstain: int | None = None,
    is_election: bool = False,
) -> Decision:
    """Add a decision (议题 + 决议) with its votes to a held meeting.

    Votes are all given or all omitted (no vote taken); their total may not exceed the voters present (full
    members present at a branch assembly). A decision taken without quorum is saved and flagged
    (``Decision.quorum_met``). Refused for locked minutes, a meeting not held, negative or excessive votes.
    """
    subject = _clean(subject)
    problems = []
    if not subject:
        problems.append(Problem("subject", "请填写表决事项"))
    votes = (votes_for, votes_against, votes_abstain)
    if any(v is not None for v in votes) and any(v is None for v in votes):
        problems.append(Problem("votes", "赞成、反对、弃权票数请填写完整（未表决则都不填）"))
    if any(v is not None and v < 0 for v in votes):
        problems.append(Problem("votes", "票数不能为负数"))
    with db.atomic():
        m = get_meeting(db, uuid=meeting_uuid)
        _refuse_locked(m)
        if m.status != "held":
            problems.append(Problem("status", "会议尚未召开，不能登记表决结果"))
        if all(v is not None for v in votes):
            total = sum(v for v in votes if v is not None)
            voters = _voters_present(db, m)
            if total > voters:
                who = "到会正式党员" if m.kind == "branch_assembly" else "到会人数"
                problems.append(Problem("votes", f"赞成、反对、弃权合计 {total} 票，超过{who} {voters} 人"))
        if problems:
            raise ValidationError(problems)
        seq = db.execute(
            "SELECT COALESCE(max(seq), 0) + 1 FROM meeting_decisions WHERE meeting_id = ?", [m.id]
        ).fetchone()[0]
        d_uuid = fresh_uuid()
        now = now_iso()
        db.execute(
            "INSERT INTO meeting_decisions (uuid, meeting_id, seq, subject, votes_for, votes_against, votes_abstain,"
            " resolution, is_election, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                d_uuid,
                m.id,
                seq,
                subject,
                votes_for,
                votes_against,
                votes_abstain,
                _clean(resolution),
                int(is_election),
                now,
                now,
            ],
        )
        audit.record(
            db, entity="meeting", entity_uuid=meeting_uuid, action="create", field="decision", new=subject
        )
    return next(d for d in list_decisions(db, meeting_uuid=meeting_uuid) if d.uuid == d_uuid)


def set_grades(db: Database, *, meeting_uuid: str, grades: Mapping[str, str]) -> list[Grade]:
    """Record the grades of an appraisal (民主评议党员): member uuid → grade.

    Only full members are graded (probationary members take part ungraded); at most one third may be
    excellent. Replaces earlier grades of the meeting. Refused with ``ValidationError`` otherwise.
    """
    from db.members import get_member

    with db.atomic():
        m = get_meeting(db, uuid=meeting_uuid)
        _refuse_locked(m)
        problems = []
        if m.kind != "appraisal":
            problems.append(Problem("kind", "只有民主评议党员会议可以登记评议等次"))
        members = []
        for u, grade in grades.items():
            member = get_member(db, uuid=u)
            members.append(member)
            if grade not in GRADES:
                problems.append(Problem("grade", f"{member.name} 的评议等次无效：{grade}"))
            if category_on(member, m.held_on) != "full":
                problems.append(Problem("grade", f"{member.name} 是预备党员，参加评议但不评定等次"))
        excellent = sum(1 for g in grades.values() if g == "excellent")
        if grades and excellent * 3 > len(grades):
            problems.append(
                Problem("grade", f"评为优秀 {excellent} 人，超过参评正式党员 {len(grades)} 人的三分之一")
            )
        if problems:
            raise ValidationError(problems)
        db.execute("DELETE FROM appraisal_grades WHERE meeting_id = ?", [m.id])
        now = now_iso()
        db.conn.executemany(
            "INSERT INTO appraisal_grades (uuid, meeting_id, member_id, grade, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(fresh_uuid(), m.id, member.id, grades[member.uuid], now, now) for member in members],
        )
        audit.record(
            db,
            entity="meeting",
            entity_uuid=meeting_uuid,
            action="update",
            field="grades",
            new=f"{len(grades)} 人，优秀 {excellent} 人",
        )
    return list_grades(db, meeting_uuid=meeting_uuid)


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
        audit.record(db, entity="meeting", entity_uuid=uuid, action="update", field="locked_at", new=stamp)
    return get_meeting(db, uuid=uuid)


def amend_meeting(
    db: Database, *, uuid: str, field: str, value: Any, reason: str, on: date, today: date | None = None
) -> Amendment:
    """Correct one field of locked minutes: the change is applied and kept as an amendment (date, reason, old and
    new value), shown with the minutes and printed. Refused without a reason, for an unknown field, or when the
    minutes are not locked (then edit them directly)."""
    reason = _clean(reason)
    today = today or date.today()
    problems = []
    if field not in FIELD_LABELS:
        problems.append(Problem("field", f"不能更正的字段：{field}"))
    if not reason:
        problems.append(Problem("reason", "请填写更正原因"))
    if on > today:
        problems.append(Problem("at", "更正日期不能晚于今天"))
    with db.atomic():
        old = get_meeting(db, uuid=uuid)
        if not old.locked:
            problems.append(Problem("locked", "会议记录尚未锁定，请直接修改"))
        if problems:
            raise ValidationError(problems)
        merged = {
            "planned_on": old.planned_on,
            "topic": old.topic,
            "planned_time": old.planned_time,
            "party_group": old.party_group_uuid,
            "started_at": old.started_at,
            "ended_at": old.ended_at,
            field: value,
        }
        field_problems = _validate_fields(db, old.kind, merged)
        if field_problems:
            raise ValidationError(field_problems)
        before = _stored_text(old, field)
        _write_changes(db, old, {field: value})
        new_text = _stored_text(get_meeting(db, uuid=uuid), field)
        a_uuid = fresh_uuid()
        now = now_iso()
        db.execute(
            "INSERT INTO meeting_amendments (uuid, meeting_id, at, reason, field, old, new, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [a_uuid, old.id, on.isoformat(), reason, field, before, new_text, now, now],
        )
    return next(a for a in list_amendments(db, meeting_uuid=uuid) if a.uuid == a_uuid)


# --- heart-to-heart talks ---------------------------------------------------------------------------------


def record_heart_talk(
    db: Database,
    *,
    held_on: date,
    participant_uuids: Sequence[str],
    topic: str,
    summary: str = "",
    place: str = "",
    today: date | None = None,
) -> HeartTalk:
    """Record a heart-to-heart talk (谈心谈话) between two or more members. Refused with ``ValidationError`` for
    fewer than two distinct participants, no topic, a date in the future or a participant not on the roster."""
    from db.members import get_member

    today = today or date.today()
    people = list(dict.fromkeys(participant_uuids))
    problems = []
    if len(people) < 2:
        problems.append(Problem("participants", "谈心谈话至少需要两名参与人"))
    if not _clean(topic):
        problems.append(Problem("topic", "请填写谈话主题"))
    if held_on > today:
        problems.append(Problem("held_on", "谈话日期不能晚于今天"))
    members = [get_member(db, uuid=u) for u in people]
    for member in members:
        try:
            _check_on_roster(member, held_on, "谈心谈话")
        except ValidationError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ValidationError(problems)
    with db.atomic():
        t_uuid = fresh_uuid()
        now = now_iso()
        db.execute(
            "INSERT INTO heart_talks (uuid, held_on, place, topic, summary, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [t_uuid, held_on.isoformat(), _clean(place), _clean(topic), _clean(summary), now, now],
        )
        tid = db.execute("SELECT id FROM heart_talks WHERE uuid = ?", [t_uuid]).fetchone()[0]
        db.conn.executemany(
            "INSERT INTO heart_talk_participants (heart_talk_id, member_id) VALUES (?, ?)",
            [(tid, m.id) for m in members],
        )
        audit.record(
            db,
            entity="heart_talk",
            entity_uuid=t_uuid,
            action="create",
            field="participants",
            new="、".join(m.name for m in members),
        )
    return next(t for t in list_heart_talks(db, year=held_on.year) if t.uuid == t_uuid)


def list_heart_talks(db: Database, *, year: int | None = None) -> list[HeartTalk]:
    """Heart-to-heart talks, newest first, optionally of one year."""
    where = "WHERE substr(t.held_on, 1, 4) = ?" if year is not None else ""
    rows = db.execute(
        f"""
        SELECT t.id, t.uuid, t.held_on, t.place, t.topic, t.summary FROM heart_talks t {where}
        ORDER BY t.held_on DESC, t.id DESC
        """,
        [str(year)] if year is not None else [],
    ).fetchall()
    people: dict[int, list[tuple[str, str]]] = {}
    for tid, muuid, name in db.execute(
        "SELECT p.heart_talk_id, m.uuid, m.name FROM heart_talk_participants p JOIN members m ON m.id = p.member_id "
        "ORDER BY p.heart_talk_id, m.id"
    ):
        people.setdefault(tid, []).append((muuid, name))
    return [
        HeartTalk(
            r[1],
            date.fromisoformat(r[2]),
            r[3],
            r[4],
            r[5],
            tuple(u for u, _ in people.get(r[0], [])),
            tuple(n for _, n in people.get(r[0], [])),
        )
        for r in rows
    ]


# --- printing data (the layout itself is in desktop/printing) ---------------------------------------------


@dataclass(frozen=True)
class SigninRow:
    number: int | None  # 序号; None for a blank row
    name: str
    category: str  # 正式 / 预备 / 列席 / ''
    party_group: str
    note: str  # 备注


@dataclass(frozen=True)
class SigninSheet:
    """Everything a sign-in sheet (签到表) prints; ``blocks`` are (heading, rows) in order."""

    title: str
    meeting: str
    when: str
    place: str
    host: str
    recorder: str
    blocks: tuple[tuple[str, tuple[SigninRow, ...]], ...]
    expected: int | None  # None: leave the blank to fill by hand
    present: int | None
    leave: int | None


def branch_name(db: Database) -> str:
    from db.branch import get_branch

    b = get_branch(db)
    return b.name if b else "××党支部"


def meeting_when(m: Meeting) -> str:
    """Date and time for printouts: the actual time of a held meeting, else the planned one."""
    weekday = "一二三四五六日"[m.held_on.weekday()]
    if m.started_at:
        end = f"—{m.ended_at:%H:%M}" if m.ended_at else ""
        return f"{m.started_at:%Y年%m月%d日}（星期{weekday}）{m.started_at:%H:%M}{end}"
    return f"{m.planned_on:%Y年%m月%d日}（星期{weekday}）{m.planned_time}".strip()


def signin_sheet(
    db: Database, *, meeting_uuid: str, variant: str = "planned", walk_in_rows: int = 3
) -> SigninSheet:
    """The content of a meeting's sign-in sheet.

    ``planned``: names pre-printed in sign-in order (full members, then probationary, then invited observers),
    signatures blank, 应到 filled; ``blank``: no names, as many blank rows as expected attendees plus the walk-in
    rows; ``filled``: attendance state and reason in 备注 and every count filled. Every variant ends with
    ``walk_in_rows`` blank rows for people who come without being listed.
    """
    if variant not in ("planned", "blank", "filled"):
        raise ValueError(variant)
    m = get_meeting(db, uuid=meeting_uuid)
    att = list_attendance(db, meeting_uuid=meeting_uuid)
    title = f"{branch_name(db)} {m.title}签到表"
    blank = SigninRow(None, "", "", "", "")
    blocks: list[tuple[str, tuple[SigninRow, ...]]] = []
    if variant == "blank":
        rows = tuple(SigninRow(i + 1, "", "", "", "") for i in range(max(m.expected, 10) + walk_in_rows))
        blocks.append(("", rows))
        expected = present = leave = None
    else:
        n = 0
        for cat, heading in (("full", "正式党员"), ("probationary", "预备党员")):
            part = [a for a in att if a.member_uuid and a.state != "observer" and a.category == cat]
            if not part:
                continue
            rows_list = []
            for a in part:
                n += 1
                note = ""
                if variant == "filled" and a.state != "expected":
                    note = STATES[a.state] + (f"：{a.reason}" if a.reason else "")
                elif a.state == "leave":
                    note = f"请假：{a.reason}"
                rows_list.append(SigninRow(n, a.name, CATEGORIES[cat][:2], a.party_group_name, note))
            blocks.append((f"{heading}（{len(part)} 人）", tuple(rows_list)))
        observers = [a for a in att if a.state == "observer"]
        if observers:
            rows_list = []
            for a in observers:
                n += 1
                rows_list.append(SigninRow(n, a.name, "列席", a.party_group_name, a.reason))
            blocks.append((f"列席人员（{len(observers)} 人）", tuple(rows_list)))
        blocks.append(("其他到会人员", tuple(blank for _ in range(walk_in_rows))))
        expected = m.expected
        present = m.present if variant == "filled" else None
        leave = m.leave if variant == "filled" else None
    return SigninSheet(
        title=title,
        meeting=f"{m.title}（{m.number_text}）" + (f"：{m.topic}" if m.topic else ""),
        when=meeting_when(m),
        place=m.place,
        host=m.host_name,
        recorder=m.recorder_name,
        blocks=tuple(blocks),
        expected=expected,
        present=present,
        leave=leave,
    )


# --- monthly workbook rows --------------------------------------------------------------------------------


def _month_range(month: str | date) -> tuple[date, date]:
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
    first, last = _month_range(month)
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
                    + ("【未达法定人数】" if not d.quorum_met else "")
                    for d in decisions
                ),
                "locked": m.locked,
            }
        )
    return out


def monthly_attendance_rows(db: Database, *, month: str | date) -> list[dict[str, Any]]:
    """One dict per person per held meeting of the month for the sheet 参会情况, keyed by column fields
    (``state`` as its code, ``category`` as its code or None for non-member observers)."""
    first, last = _month_range(month)
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
    from db.compliance import compliance as _compliance

    first, last = _month_range(month)
    rows = [
        r
        for r in _compliance(db, period="month", year=first.year, number=first.month)
        if r.kind != "heart_talk"
    ]
    due = [w for r in rows for w in r.windows if w.last <= last]
    held = list_meetings(db, status="held", since=first, until=last)
    return {
        "应开会议": len(due),
        "按期召开": sum(1 for w in due if w.held),
        "本月召开会议": len(held),
        "请假人次": sum(m.leave for m in held),
    }


# --- demo ---------------------------------------------------------------------------------------------------

_DEMO_TOPICS = {
    "branch_assembly": [
        "学习传达上级党委会议精神",
        "讨论发展党员事宜",
        "审议支部年度工作计划",
        "通报党费收缴情况",
        "研究安全生产重点工作",
    ],
    "committee_meeting": [
        "研究本月党建重点工作",
        "部署安全生产大检查",
        "研究党员示范岗设置",
        "讨论困难党员帮扶",
        "研究入党积极分子培养",
    ],
    "group_meeting": ["学习《中国共产党章程》", "交流岗位安全心得", "学习煤矿安全规程", "讨论班组技术革新"],
    "party_lecture": [
        "弘扬煤矿精神 争做先锋党员",
        "学习党的二十大精神",
        "以案为鉴 廉洁从业",
        "安全生产与党员责任",
    ],
    "theme_day": ["重温入党誓词", "安全隐患排查志愿服务", "参观红色教育基地", "走访慰问退休老党员"],
    "life_meeting": ["年度组织生活会：对照检查 批评与自我批评"],
    "appraisal": ["年度民主评议党员"],
}
_DEMO_REASONS = ["下井当班", "病假", "外出培训", "事假", "年休假", "家中有事", "出差"]
_DEMO_PLACES = ["矿党员活动室", "综采队会议室", "调度楼三楼会议室", "掘进队学习室"]


def demo_meetings(db: Database, *, rng: random.Random, today: date) -> None:
    """A year of realistic meetings ending at ``today``: every kind at its frequency, with attendance (some on
    leave with reasons), minutes, votes at branch assemblies, an appraisal, heart talks; the most recent
    complete quarter has no branch assembly, so compliance has something to report. Deterministic for
    ``rng``/``today``."""
    from db.branch import list_committee, list_party_groups
    from db.members import list_members

    members = list_members(db)
    if not members:
        return
    groups = list_party_groups(db)
    committee = list_committee(db, on=today)
    secretary = committee[0].member_uuid if committee else members[0].uuid
    recorder = committee[1].member_uuid if len(committee) > 1 else members[-1].uuid
    start = date(today.year - 1, today.month, 1) + timedelta(days=31)
    start = start.replace(day=1)
    # the last complete quarter before today's quarter has no branch assembly
    q_index = (today.month - 1) // 3
    skip_q = (today.year, q_index - 1) if q_index > 0 else (today.year - 1, 3)

    def hold(kind: str, on: date, *, group: str | None = None, topic: str | None = None) -> None:
        if on > today:
            return
        m = plan_meeting(
            db,
            kind=kind,
            planned_on=on,
            topic=topic or rng.choice(_DEMO_TOPICS[kind]),
            planned_time=rng.choice(["08:30", "14:00", "16:30", "19:00"]),
            place=rng.choice(_DEMO_PLACES),
            host_uuid=secretary,
            recorder_uuid=recorder,
            party_group_uuid=group,
            lecturer=(rng.choice(members).name if kind == "party_lecture" else ""),
            is_election=False,
        )
        if on == today:
            return  # today's meeting stays planned: its sign-in sheet is printed now
        entries = []
        for a in list_attendance(db, meeting_uuid=m.uuid):
            roll = rng.random()
            if roll < 0.10:
                entries.append(AttendanceEntry(a.member_uuid, "leave", rng.choice(_DEMO_REASONS)))
            elif roll < 0.12:
                entries.append(AttendanceEntry(a.member_uuid, "absent", "未请假，已谈话提醒"))
            else:
                entries.append(AttendanceEntry(a.member_uuid, "present"))
        if kind in ("branch_assembly", "theme_day") and rng.random() < 0.5:
            entries.append(
                AttendanceEntry(None, "observer", observer_name=rng.choice(["王晓东", "刘佳", "陈磊"]))
            )
        hh, mm = map(int, m.planned_time.split(":"))
        started = datetime.combine(on, time(hh, mm))
        hold_meeting(
            db,
            uuid=m.uuid,
            started_at=started,
            ended_at=started + timedelta(minutes=rng.choice([60, 90, 120])),
            content=f"{m.topic}。与会党员结合岗位实际进行了学习讨论。",
            speaking_points="书记作主题发言；党员逐一发言，结合安全生产谈认识和打算。",
            attendance=entries,
            today=today,
        )
        if kind == "branch_assembly":
            voters = _voters_present(db, get_meeting(db, uuid=m.uuid))
            against = rng.choice([0, 0, 1])
            add_decision(
                db,
                meeting_uuid=m.uuid,
                subject=m.topic,
                votes_for=voters - against,
                votes_against=against,
                votes_abstain=0,
                resolution="会议表决通过。",
            )
        if kind == "appraisal":
            full = [
                a.member_uuid
                for a in list_attendance(db, meeting_uuid=m.uuid)
                if a.category == "full" and a.member_uuid
            ]
            grades = {u: "qualified" for u in full}
            for u in full[: len(full) // 4]:
                grades[u] = "excellent"
            if len(full) > 8:
                grades[full[-1]] = "basically_qualified"
            set_grades(db, meeting_uuid=m.uuid, grades=grades)
        if on < today - timedelta(days=14):
            lock_minutes(db, uuid=m.uuid, at=datetime.combine(on + timedelta(days=3), time(9, 0)))

    month = start
    theme_day = int(_setting(db, "theme_day_of_month", 15))
    while month <= today:
        last_day = (_month_range(month)[1]).day
        q = (month.month - 1) // 3
        hold("committee_meeting", month.replace(day=min(5 + rng.randrange(3), last_day)))
        hold("theme_day", month.replace(day=min(theme_day, last_day)))
        for g in groups:
            hold("group_meeting", month.replace(day=min(18 + rng.randrange(6), last_day)), group=g.uuid)
        if month.month % 3 == 2 and (month.year, q) != skip_q:
            hold("branch_assembly", month.replace(day=min(20 + rng.randrange(5), last_day)))
        if month.month % 3 == 1:
            hold("party_lecture", month.replace(day=min(25, last_day)))
        if month.month == 12:
            hold("life_meeting", month.replace(day=min(26, last_day)), topic=_DEMO_TOPICS["life_meeting"][0])
            hold("appraisal", month.replace(day=min(28, last_day)), topic=_DEMO_TOPICS["appraisal"][0])
        month = (month + timedelta(days=32)).replace(day=1)

    # the next theme day is already on the calendar, so its sign-in sheet can be printed before it
    upcoming = today.replace(day=min(theme_day, _month_range(today)[1].day))
    if upcoming <= today:
        following = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
        upcoming = following.replace(day=min(theme_day, _month_range(following)[1].day))
    plan_meeting(
        db,
        kind="theme_day",
        planned_on=upcoming,
        topic=rng.choice(_DEMO_TOPICS["theme_day"]),
        planned_time="14:00",
        place=rng.choice(_DEMO_PLACES),
        host_uuid=secretary,
        recorder_uuid=recorder,
    )

    # heart talks: the secretary with most committee members and some members; a few pairs left out
    talk_year_start = date(today.year, 1, 1)
    span = max((today - talk_year_start).days, 1)
    others = [c.member_uuid for c in committee if c.member_uuid != secretary]
    for u in others[:-1]:
        record_heart_talk(
            db,
            held_on=talk_year_start + timedelta(days=rng.randrange(span)),
            participant_uuids=[secretary, u],
            topic="交流思想、工作情况",
            summary="相互谈心，提出意见建议。",
            today=today,
        )
    for member in rng.sample(members, k=min(len(members), max(2, len(members) // 2))):
        if member.uuid == secretary:
            continue
        begin = max(talk_year_start, member.joined_on or talk_year_start)
        record_heart_talk(
            db,
            held_on=begin + timedelta(days=rng.randrange(max((today - begin).days, 1))),
            participant_uuids=[secretary, member.uuid],
            topic="了解思想动态和家庭困难",
            summary="谈心谈话，了解工作生活情况。",
            today=today,
        )


def _setting(db: Database, key: str, default: Any) -> Any:
    from db.branch import get_setting

    return get_setting(db, key=key, default=default)


# Compliance, heart-talk coverage and reminders (kept in their own module; re-exported for one import site).
from db.compliance import (
    ComplianceRow,
    HeartTalkGap,
    Reminder,
    compliance,
    heart_talk_coverage,
    meeting_reminders,
)

__all__ = [
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
    "add_decision",
    "amend_meeting",
    "attendance_counts",
    "cancel_meeting",
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
    "list_grades",
    "list_heart_talks",
    "list_meetings",
    "lock_minutes",
    "meeting_reminders",
    "monthly_attendance_rows",
    "monthly_meeting_figures",
    "monthly_meeting_rows",
    "plan_meeting",
    "quorum",
    "record_heart_talk",
    "set_attendance",
    "set_grades",
    "signin_sheet",
    "update_meeting",
    "validate_attendance",
    "validate_meeting",
]
