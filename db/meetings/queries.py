"""Reading meetings: one meeting, lists, attendance in sign-in order, expected attendees, the quorum, decisions,
amendments and heart-to-heart talks. Rows become records by column name (``db.rows``)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from db import rows
from db.branch import list_committee
from db.errors import NotFound, Problem
from db.meetings.records import (
    KINDS,
    Amendment,
    Attendance,
    Decision,
    HeartTalk,
    Meeting,
    Quorum,
    category_on,
    lost_on,
    on_roster,
    role_conflicts,
)
from db.members import list_members, roster_uuids
from db.records import Member, from_row
from db.rules import normalize_text, parse_date
from db.standing import suspended_on, under_watch
from db.store import Database

# Columns aliased to the field names of ``Meeting``, so a row maps onto the record by name.
_SELECT = """
    SELECT m.id, m.uuid, m.kind, m.year, m.seq, g.uuid AS party_group_uuid,
           COALESCE(g.name, '') AS party_group_name, m.planned_on, m.planned_time, m.started_at, m.ended_at,
           m.place, m.topic, h.uuid AS host_uuid, COALESCE(h.name, '') AS host_name, r.uuid AS recorder_uuid,
           COALESCE(r.name, '') AS recorder_name, m.lecturer, m.content, m.speaking_points, m.is_election,
           m.status, m.cancel_reason, m.locked_at, m.review_year, m.study_hours,
           (SELECT count(*) FROM meeting_attendance a WHERE a.meeting_id = m.id AND a.state != 'observer')
               AS expected,
           (SELECT count(*) FROM meeting_attendance a WHERE a.meeting_id = m.id AND a.state = 'present') AS present,
           (SELECT count(*) FROM meeting_attendance a WHERE a.meeting_id = m.id AND a.state = 'leave') AS leave,
           (SELECT count(*) FROM meeting_attendance a WHERE a.meeting_id = m.id AND a.state = 'absent') AS absent,
           (SELECT count(*) FROM meeting_attendance a WHERE a.meeting_id = m.id AND a.state = 'observer')
               AS observers
    FROM meetings m
    LEFT JOIN party_groups g ON g.id = m.party_group_id
    LEFT JOIN members h ON h.id = m.host_id
    LEFT JOIN members r ON r.id = m.recorder_id
"""


def clean(value: object) -> str:
    """Free text as stored: stripped only. (NFKC would turn Chinese full-width punctuation into ASCII.)"""
    return "" if value is None else str(value).strip()


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _meeting(row: dict[str, Any]) -> Meeting:
    return Meeting(
        **{
            **row,
            "planned_on": parse_date(row["planned_on"]),
            "started_at": _dt(row["started_at"]),
            "ended_at": _dt(row["ended_at"]),
            "is_election": bool(row["is_election"]),
        }
    )


def member_ref(db: Database, member_uuid: str) -> dict[str, Any]:
    """``id``, ``name``, ``status`` and ``status_on`` of a member; raises NotFound."""
    row = rows.query_one(db, "SELECT id, name, status, status_on FROM members WHERE uuid = ?", [member_uuid])
    if row is None:
        raise NotFound(f"找不到该党员（{member_uuid}）")
    return row


def meeting_id(db: Database, meeting_uuid: str) -> int:
    row = rows.query_one(db, "SELECT id FROM meetings WHERE uuid = ?", [meeting_uuid])
    if row is None:
        raise NotFound(f"找不到该会议（{meeting_uuid}）")
    return int(row["id"])


def roster_order(db: Database) -> dict[str, int]:
    return {uuid: i for i, uuid in enumerate(roster_uuids(db))}


# --- meetings ---------------------------------------------------------------------------------------------


def get_meeting(db: Database, *, uuid: str) -> Meeting:
    """The meeting with this uuid. Raises ``NotFound``."""
    row = rows.query_one(db, _SELECT + " WHERE m.uuid = ?", [uuid])
    if row is None:
        raise NotFound(f"找不到该会议（{uuid}）")
    return _meeting(row)


def find_meeting(db: Database, *, ref: str, today: date | None = None) -> Meeting:
    """A meeting by uuid, by reference ``YEAR-KIND-SEQ`` (kind as identifier or Chinese name, e.g.
    ``2026-branch_assembly-3`` or ``2026-支部党员大会-3``), or ``next``: the first planned meeting from today on
    (the sign-in sheet a secretary prints before a meeting). Raises ``NotFound`` naming the reference."""
    ref = normalize_text(ref)
    if ref.lower() == "next":
        row = rows.query_one(
            db,
            _SELECT
            + " WHERE m.status = 'planned' AND m.planned_on >= ? ORDER BY m.planned_on, m.planned_time LIMIT 1",
            [(today or date.today()).isoformat()],
        )
        if row is None:
            raise NotFound(
                "没有计划中的会议。请先在「会议记录」中新建会议，或用会议的 uuid / “年份-类型-序号”指定会议"
            )
        return _meeting(row)
    row = rows.query_one(db, _SELECT + " WHERE m.uuid = ?", [ref])
    if row is not None:
        return _meeting(row)
    parts = ref.split("-")
    if len(parts) == 3 and parts[0].isdigit() and parts[2].isdigit():
        kind = parts[1]
        kind = next((k for k, name in KINDS.items() if name == kind), kind)
        row = rows.query_one(
            db,
            _SELECT + " WHERE m.year = ? AND m.kind = ? AND m.seq = ?",
            [int(parts[0]), kind, int(parts[2])],
        )
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
    held = "substr(COALESCE(m.started_at, m.planned_on), 1, 10)"
    clause, params = rows.where(
        {
            "m.year = ?": year,
            "m.kind = ?": kind,
            "m.status = ?": status,
            f"{held} >= ?": since,
            f"{held} <= ?": until,
        }
    )
    sql = _SELECT + clause + f" ORDER BY {held} DESC, m.kind, m.seq DESC"
    meetings = [_meeting(r) for r in rows.query(db, sql, params)]
    q = clean(query).lower()
    if q:
        meetings = [
            m
            for m in meetings
            if q
            in f"{m.topic} {m.place} {m.kind_name} {m.host_name} {m.party_group_name} {m.number_text}".lower()
        ]
    return meetings


# --- attendance and quorum --------------------------------------------------------------------------------


def _meeting_rows(db: Database, meeting_uuid: str, sql: str) -> list[dict[str, Any]]:
    """The rows of ``sql`` about one meeting, by column name: its one ``?`` is the id of the meeting
    ``meeting_uuid``. Raises ``NotFound``."""
    return rows.query(db, sql, [meeting_id(db, meeting_uuid)])


_ATTENDANCE = """
    SELECT a.uuid, mb.uuid AS member_uuid, COALESCE(mb.name, a.observer_name) AS name, a.category,
           COALESCE(g.name, '') AS party_group_name, a.state, a.reason, a.sort_order
    FROM meeting_attendance a
    LEFT JOIN members mb ON mb.id = a.member_id
    LEFT JOIN party_groups g ON g.id = mb.party_group_id
"""


def list_attendance(db: Database, *, meeting_uuid: str) -> list[Attendance]:
    """The attendance of a meeting in sign-in order: members (full before probationary, roster order), then
    observers."""
    attendance = _meeting_rows(db, meeting_uuid, _ATTENDANCE + " WHERE a.meeting_id = ?")
    return sign_in_order(db, [Attendance(**a) for a in attendance])


def attendance_of(db: Database, meeting_uuids: list[str]) -> dict[str, list[Attendance]]:
    """``list_attendance`` of many meetings at once (uuid → its attendance in sign-in order), in one query and one
    read of the roster order instead of three queries a meeting (the home page's year of meetings)."""
    found: dict[str, list[Attendance]] = {u: [] for u in meeting_uuids}
    sql = _ATTENDANCE.replace("SELECT ", "SELECT m.uuid AS meeting_uuid, ", 1)
    sql += " JOIN meetings m ON m.id = a.meeting_id WHERE m.uuid IN ({})"
    for a in rows.rows_of(db, sql, meeting_uuids):
        found[a.pop("meeting_uuid")].append(Attendance(**a))
    order = roster_order(db)
    return {u: sign_in_order(db, items, order=order) for u, items in found.items()}


def sign_in_order(
    db: Database, items: list[Attendance], *, order: Mapping[str, int] | None = None
) -> list[Attendance]:
    """Attendance in sign-in order: full members, then probationary (each in roster order, ``roster_order`` unless
    given), then observers."""
    if order is None:
        order = roster_order(db)

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
    in organisational life), nor members lost (失联) since on or before that day (issue 14: a lost member cannot be
    reached; the absence reminders leave them out too); archived members are expected only for meetings before
    they left. A member 转出中 stays on the roster, so is expected.
    """
    members = [
        m
        for m in list_members(db, status=None)
        if on_roster(m, on) and m.standing == "normal" and not lost_on(m, on)
    ]
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


def voting_members(db: Database, m: Meeting) -> set[str]:
    """The uuids of who may vote at the meeting ``m``, on its day: at a 支部委员会会议 the committee serving that day;
    else the full members on the roster that day, neither under 留党察看 nor with 停止党籍 as it stood that day.
    选举工作条例第五条: “受留党察看处分的党员在留党察看期间没有表决权、选举权和被选举权;预备党员没有表决权、选举权和
    被选举权”."""
    on = m.held_on
    if m.kind == "committee_meeting":
        return {c.member_uuid for c in list_committee(db, on=on)}
    left_out = under_watch(db, on=on) | suspended_on(db, on=on)
    return {
        x.uuid
        for x in list_members(db, status=None)
        if on_roster(x, on) and category_on(x, on) == "full" and x.uuid not in left_out
    }


def quorum(db: Database, *, meeting_uuid: str, election: bool | None = None) -> Quorum:
    """The quorum of a meeting (GLOSSARY): a branch assembly needs more than half of the full members entitled
    to vote present (more than 4/5 for an election; probationary members do not vote, members with suspended
    standing do not count); a committee meeting more than half of the committee serving that day. Other kinds
    have no quorum rule (``applies`` False, ``met`` True). ``election`` overrides the meeting's own flag."""
    m = get_meeting(db, uuid=meeting_uuid)
    election = m.is_election if election is None else election
    present = {
        a.member_uuid
        for a in list_attendance(db, meeting_uuid=meeting_uuid)
        if a.state == "present" and a.member_uuid
    }
    if m.kind == "branch_assembly":
        rule = (
            "选举须有超过应到会正式党员五分之四的党员到会"
            if election
            else "须有超过半数有表决权的正式党员到会"
        )
    elif m.kind == "committee_meeting":
        election = False
        rule = "须有超过半数的支部委员到会"
    else:
        return Quorum(False, 0, len(present), 0, True, "此类会议无法定人数要求")
    entitled = voting_members(db, m)
    count = len(present & entitled)
    n = len(entitled)
    needed = (n * 4) // 5 + 1 if election else n // 2 + 1
    return Quorum(True, n, count, needed, count >= needed and n > 0, rule)


def list_decisions(db: Database, *, meeting_uuid: str) -> list[Decision]:
    """The decisions of a meeting, in order, each flagged when taken without the quorum; a vote of a 支部党员大会
    (not an election) says whether it passed: more than half of 应到 in favour (支部工作条例第十一条)."""
    decisions = _meeting_rows(
        db,
        meeting_uuid,
        "SELECT uuid, seq, subject, votes_for, votes_against, votes_abstain, resolution, is_election "
        "FROM meeting_decisions WHERE meeting_id = ? ORDER BY seq",
    )
    assembly = bool(decisions) and get_meeting(db, uuid=meeting_uuid).kind == "branch_assembly"
    out = []
    cache: dict[bool, Quorum] = {}
    for d in decisions:
        election = bool(d["is_election"])
        if election not in cache:
            cache[election] = quorum(db, meeting_uuid=meeting_uuid, election=election or None)
        q = cache[election]
        # 支部工作条例第十一条: “赞成人数超过应到会有表决权的党员的半数为通过” (an election is counted per candidate)
        judged = assembly and not election and d["votes_for"] is not None
        passed = bool(d["votes_for"] > q.entitled // 2) if judged else None
        out.append(from_row(Decision, d, quorum_met=q.met, passed=passed))
    return out


def list_amendments(db: Database, *, meeting_uuid: str) -> list[Amendment]:
    """Corrections of locked minutes, oldest first."""
    amendments = _meeting_rows(
        db,
        meeting_uuid,
        "SELECT uuid, at, reason, field, old, new FROM meeting_amendments WHERE meeting_id = ? ORDER BY id",
    )
    return [from_row(Amendment, a) for a in amendments]


def role_warnings(db: Database, *, meeting_uuid: str) -> list[Problem]:
    """Warnings of a held meeting whose 主持人, 记录人 or 授课人 is marked 缺席 or 请假 in its attendance
    (``role_conflicts``)."""
    m = get_meeting(db, uuid=meeting_uuid)
    if m.status != "held":
        return []
    return attended_role_warnings(m, list_attendance(db, meeting_uuid=meeting_uuid))


def attended_role_warnings(m: Meeting, attendance: list[Attendance]) -> list[Problem]:
    """``role_warnings`` of a held meeting ``m`` whose attendance (in sign-in order) is already read."""
    members = [a for a in attendance if a.member_uuid]
    return role_conflicts(
        m,
        {a.member_uuid: a.state for a in members if a.member_uuid},
        {a.member_uuid: a.name for a in members if a.member_uuid},
    )


# --- heart-to-heart talks ---------------------------------------------------------------------------------


def list_heart_talks(db: Database, *, year: int | None = None) -> list[HeartTalk]:
    """Heart-to-heart talks, newest first, optionally of one year."""
    where = "WHERE substr(t.held_on, 1, 4) = ?" if year is not None else ""
    talks = rows.query(
        db,
        f"""
        SELECT t.id, t.uuid, t.held_on, t.place, t.topic, t.summary FROM heart_talks t {where}
        ORDER BY t.held_on DESC, t.id DESC
        """,
        [str(year)] if year is not None else [],
    )
    people: dict[int, list[dict[str, Any]]] = {}
    for p in rows.query(
        db,
        "SELECT p.heart_talk_id, m.uuid, m.name FROM heart_talk_participants p JOIN members m ON m.id = p.member_id "
        "ORDER BY p.heart_talk_id, m.id",
    ):
        people.setdefault(p["heart_talk_id"], []).append(p)
    return [
        HeartTalk(
            uuid=t["uuid"],
            held_on=date.fromisoformat(t["held_on"]),
            place=t["place"],
            topic=t["topic"],
            summary=t["summary"],
            participant_uuids=tuple(p["uuid"] for p in people.get(t["id"], [])),
            participant_names=tuple(p["name"] for p in people.get(t["id"], [])),
        )
        for t in talks
    ]
