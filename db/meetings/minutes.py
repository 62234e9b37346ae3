"""What happens at a held meeting: attendance, decisions with votes; and heart-to-heart talks.

Every write is one transaction and refused with ``ValidationError`` (nothing saved) for bad input or locked
minutes (after locking, only ``service.amend_meeting`` changes a meeting).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from db import audit, rows
from db.errors import Problem, ValidationError, date_problems
from db.ids import fresh_uuid
from db.meetings.queries import (
    clean,
    get_meeting,
    list_attendance,
    list_decisions,
    list_heart_talks,
    voting_members,
)
from db.meetings.records import (
    STATES,
    Attendance,
    AttendanceEntry,
    Decision,
    HeartTalk,
    Meeting,
    category_on,
)
from db.members import get_member
from db.records import Member
from db.store import Database, now_iso


def refuse_locked(meeting: Meeting) -> None:
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


def check_on_roster(member: Member, on: date, what: str = "会议") -> None:
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


def validate_attendance(
    db: Database, *, meeting_uuid: str, entries: Sequence[AttendanceEntry]
) -> list[Problem]:
    """Problems of an attendance list: unknown state, leave/absent without a reason, a member archived before the
    meeting (or joined after it), the same member twice, an observer without a name."""
    m = get_meeting(db, uuid=meeting_uuid)
    problems: list[Problem] = []
    seen: set[str] = set()
    for e in entries:
        if e.state not in STATES:
            problems.append(Problem("state", f"未知的出席状态：{e.state}"))
            continue
        if e.member_uuid is None:
            if e.state != "observer" or not clean(e.observer_name):
                problems.append(Problem("observer_name", "非党员列席人员请填写姓名，状态为“列席”"))
            continue
        member = get_member(db, uuid=e.member_uuid)
        if e.member_uuid in seen:
            problems.append(Problem("attendance", f"{member.name} 在出席名单中重复出现"))
        seen.add(e.member_uuid)
        if e.state in ("leave", "absent") and not clean(e.reason):
            problems.append(Problem("reason", f"{member.name}{STATES[e.state]}，请填写{STATES[e.state]}原因"))
        try:
            check_on_roster(member, m.held_on)
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
    with db.atomic():
        m = get_meeting(db, uuid=meeting_uuid)
        refuse_locked(m)
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
        for row in rows.query(
            db, "SELECT id, member_id, observer_name FROM meeting_attendance WHERE meeting_id = ?", [mid]
        ):
            member_id = row["member_id"]
            existing[("m", member_id) if member_id is not None else ("o", row["observer_name"])] = int(
                row["id"]
            )
        kept: set[int] = set()
        for i, e in enumerate(entries):
            if e.member_uuid is None:
                key: tuple[str, Any] = ("o", clean(e.observer_name))
                values: dict[str, Any] = {
                    "member_id": None,
                    "observer_name": clean(e.observer_name),
                    "category": None,
                    "state": "observer",
                    "reason": "",
                }
            else:
                member = get_member(db, uuid=e.member_uuid)
                reason = clean(e.reason) if e.state in ("leave", "absent", "observer") else ""
                key = ("m", member.id)
                values = {
                    "member_id": member.id,
                    "observer_name": "",
                    "category": category_on(member, m.held_on),
                    "state": e.state,
                    "reason": reason,
                }
            if key in existing and existing[key] not in kept:
                kept.add(existing[key])
                db.execute(
                    "UPDATE meeting_attendance SET category = ?, state = ?, reason = ?, sort_order = ?, updated_at = ? "
                    "WHERE id = ?",
                    [values["category"], values["state"], values["reason"], i, now, existing[key]],
                )
            else:
                db.execute(
                    "INSERT INTO meeting_attendance (uuid, meeting_id, member_id, observer_name, category, state, "
                    "reason, sort_order, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        fresh_uuid(),
                        mid,
                        values["member_id"],
                        values["observer_name"],
                        values["category"],
                        values["state"],
                        values["reason"],
                        i,
                        now,
                        now,
                    ],
                )
        for row_id in set(existing.values()) - kept:
            db.execute(
                "DELETE FROM meeting_attendance WHERE id = ?", [row_id]
            )  # taken off the list; audited below
        # the votes already recorded are counted among the voters present: the attendance may not drop below them
        problems = _votes_above_voters(db, m)
        if problems:
            raise ValidationError(problems)
        after = {(e.member_uuid or clean(e.observer_name)): (e.state, clean(e.reason)) for e in entries}
        for who in before.keys() | after.keys():
            if before.get(who) != after.get(who):
                audit.Trail(db, "meeting", meeting_uuid).update(
                    f"attendance:{who}",
                    old="：".join(before[who]) if who in before else None,
                    new="：".join(after[who]) if who in after else None,
                )
    return list_attendance(db, meeting_uuid=meeting_uuid)


def voters_present(db: Database, m: Meeting) -> int:
    """How many of the people present may vote (``voting_members``): committee members at a 支部委员会会议, else full
    members neither under 留党察看 nor with 停止党籍 that day (预备党员 have no vote at any meeting)."""
    voting = voting_members(db, m)
    return sum(
        1
        for a in list_attendance(db, meeting_uuid=m.uuid)
        if a.state == "present" and a.member_uuid in voting
    )


def _votes_above_voters(db: Database, m: Meeting) -> list[Problem]:
    """The decisions of ``m`` whose votes add up to more than the voters now present (``voters_present``)."""
    voters = voters_present(db, m)
    who = "支部委员" if m.kind == "committee_meeting" else "党员"
    out = []
    for d in list_decisions(db, meeting_uuid=m.uuid):
        total = sum(v or 0 for v in (d.votes_for, d.votes_against, d.votes_abstain))
        if total > voters:
            out.append(
                Problem(
                    "attendance",
                    f"已登记的表决事项「{d.subject}」赞成、反对、弃权合计 {total} 票，而这份出席名单中到会有表决权的"
                    f"{who}只有 {voters} 人；请核对出席情况（参加表决的人都应登记为出席）",
                )
            )
    return out


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

    Votes are all given or all omitted (no vote taken); their total may not exceed the voters present
    (``voters_present``: the present who have a vote). A decision taken without quorum is saved and flagged
    (``Decision.quorum_met``). Refused for locked minutes, a meeting not held, negative or excessive votes.
    """
    subject = clean(subject)
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
        refuse_locked(m)
        if m.status != "held":
            problems.append(Problem("status", "会议尚未召开，不能登记表决结果"))
        if all(v is not None for v in votes):
            total = sum(v for v in votes if v is not None)
            voters = voters_present(db, m)
            if total > voters:
                committee = m.kind == "committee_meeting"
                who = "到会的支部委员" if committee else "到会有表决权的党员"
                why = "" if committee else "（预备党员、留党察看期间和停止党籍的党员没有表决权）"
                problems.append(
                    Problem(
                        "votes", f"赞成、反对、弃权合计 {total} 票，超过{who} {voters} 人{why}，请核对票数"
                    )
                )
        if problems:
            raise ValidationError(problems)
        seq = rows.query(
            db, "SELECT COALESCE(max(seq), 0) + 1 AS seq FROM meeting_decisions WHERE meeting_id = ?", [m.id]
        )[0]["seq"]
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
                clean(resolution),
                int(is_election),
                now,
                now,
            ],
        )
        audit.Trail(db, "meeting", meeting_uuid).create("decision", new=subject)
    return next(d for d in list_decisions(db, meeting_uuid=meeting_uuid) if d.uuid == d_uuid)


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
    today = today or date.today()
    people = list(dict.fromkeys(participant_uuids))
    problems = []
    if len(people) < 2:
        problems.append(Problem("participants", "谈心谈话至少需要两名参与人"))
    if not clean(topic):
        problems.append(Problem("topic", "请填写谈话主题"))
    problems += date_problems("held_on", "谈话日期", held_on, today=today)
    members = [get_member(db, uuid=u) for u in people]
    for member in members:
        try:
            check_on_roster(member, held_on, "谈心谈话")
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
            [t_uuid, held_on.isoformat(), clean(place), clean(topic), clean(summary), now, now],
        )
        tid = rows.query(db, "SELECT id FROM heart_talks WHERE uuid = ?", [t_uuid])[0]["id"]
        db.conn.executemany(
            "INSERT INTO heart_talk_participants (heart_talk_id, member_id) VALUES (?, ?)",
            [(tid, m.id) for m in members],
        )
        audit.Trail(db, "heart_talk", t_uuid).create("participants", new="、".join(m.name for m in members))
    return next(t for t in list_heart_talks(db, year=held_on.year) if t.uuid == t_uuid)
