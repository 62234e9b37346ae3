"""The 民主评议党员 round of a 年度: opening it, its steps' dates, the tally of the anonymous 测评票, the branch's
grades (支部评定) and the feedback to each member. Every write is one transaction with its audit entries.

The 组织处置 of a 不合格 member and the statistics are in ``actions``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from db import audit, edits, rows
from db.appraisal.records import (
    GRADE_KEYS,
    GROUPS,
    STEPS,
    Participant,
    Round,
    excellent_warning,
    tally_problems,
)
from db.errors import NotFound, Problem, date_problems, raise_if
from db.meetings import get_meeting, list_heart_talks
from db.meetings.records import GRADES, Grade, Meeting, category_on, lost_on, on_roster
from db.members import get_member, list_members
from db.records import Member, from_row
from db.standing import suspended_on
from db.store import Database

_ROUND_SELECT = (
    "SELECT r.id, r.uuid, r.year, mt.uuid AS meeting_uuid, r.ballots, r.study_on, r.self_review_on, "
    "r.mutual_review_on, r.measured_on, r.decided_on, r.reported_on, r.feedback_on, r.notes, r.created_at, "
    "r.updated_at FROM appraisal_rounds r LEFT JOIN meetings mt ON mt.id = r.meeting_id"
)


def linked_meeting(db: Database, meeting_uuid: str | None) -> Meeting | None:
    """The meeting a round (its 民主测评) or a 组织处置 (its 支部党员大会) links to; None when it links to none."""
    return get_meeting(db, uuid=meeting_uuid) if meeting_uuid else None


def _round(db: Database, row: Mapping[str, Any]) -> Round:
    m = linked_meeting(db, row["meeting_uuid"])
    return from_row(Round, row, meeting_title=f"{m.title}（{m.held_on.isoformat()}）" if m else "")


def list_rounds(db: Database) -> list[Round]:
    """Every round, newest 年度 first."""
    return [_round(db, r) for r in rows.query(db, _ROUND_SELECT + " ORDER BY r.year DESC")]


def get_round(db: Database, *, uuid: str) -> Round:
    """The round with this uuid. Raises ``NotFound``."""
    row = rows.query_one(db, _ROUND_SELECT + " WHERE r.uuid = ?", [uuid])
    if row is None:
        raise NotFound(f"找不到该民主评议（{uuid}）")
    return _round(db, row)


def round_of_year(db: Database, *, year: int) -> Round | None:
    row = rows.query_one(db, _ROUND_SELECT + " WHERE r.year = ?", [year])
    return _round(db, row) if row else None


def open_round(db: Database, *, year: int, today: date | None = None) -> Round:
    """Open the 民主评议党员 of 年度 ``year`` (one per 年度). Refused for a 年度 that has one, or a 年度 after this one."""
    today = today or date.today()
    problems = []
    if round_of_year(db, year=year) is not None:
        problems.append(Problem("year", f"{year}年度的民主评议党员已经建立，请在列表中打开"))
    if not 1921 <= year <= today.year:
        problems.append(Problem("year", f"年度应在 1921 到 {today.year} 之间"))
    raise_if(problems)
    with db.atomic():
        uuid = edits.insert_row(db, "appraisal_rounds", {"year": year})
        audit.Trail(db, "appraisal_round", uuid).create("year", new=f"{year}年度民主评议党员")
    return get_round(db, uuid=uuid)


def _appraisal_meeting(db: Database, meeting_uuid: str, year: int, problems: list[Problem]) -> Meeting | None:
    """The 民主评议党员 meeting of the round's 年度 where the 民主测评 was held (a problem otherwise)."""
    try:
        m = get_meeting(db, uuid=meeting_uuid)
    except NotFound as exc:
        problems.append(Problem("meeting", str(exc)))
        return None
    if m.kind != "appraisal" or m.status == "cancelled":
        problems.append(Problem("meeting", "请选择召开民主测评的民主评议党员会议（未取消的）"))
    elif m.reviewed_year != year:
        problems.append(Problem("meeting", f"所选会议评议的是 {m.reviewed_year} 年度，不是 {year} 年度"))
    return m


def update_round(
    db: Database,
    *,
    uuid: str,
    steps: Mapping[str, date | None] | None = None,
    meeting_uuid: str | None = None,
    notes: str | None = None,
    today: date | None = None,
) -> Round:
    """Set the steps' dates (keys of ``STEPS``; None clears one), the meeting of the 民主测评 and the notes. Refused
    for an unknown step, a date in the future or before the 年度 began, a step dated before an earlier one, or a
    meeting that is not the 年度's 民主评议党员."""
    today = today or date.today()
    r = get_round(db, uuid=uuid)
    dates = {k: r.step_date(k) for k in STEPS}
    problems: list[Problem] = []
    for key, value in (steps or {}).items():
        if key not in STEPS:
            problems.append(Problem(key, f"未知的评议步骤：{key}"))
            continue
        if value is not None:
            problems += date_problems(key, f"{STEPS[key]}日期", value, today=today)
            if value.year < r.year:
                problems.append(Problem(key, f"{STEPS[key]}日期不能早于 {r.year} 年"))
        dates[key] = value
    done = [(k, d) for k, d in dates.items() if d is not None]
    for (k1, d1), (k2, d2) in itertools.pairwise(done):
        if d2 < d1:
            problems.append(
                Problem(k2, f"{STEPS[k2]}日期（{d2.isoformat()}）不能早于{STEPS[k1]}（{d1.isoformat()}）")
            )
    meeting = _appraisal_meeting(db, meeting_uuid, r.year, problems) if meeting_uuid else None
    raise_if(problems)
    columns: dict[str, Any] = {k: (d.isoformat() if d else None) for k, d in dates.items()}
    changes: list[tuple[str, Any, Any]] = [
        (STEPS[k], r.step_date(k), d) for k, d in dates.items() if r.step_date(k) != d
    ]
    if meeting is not None:
        columns["meeting_id"] = meeting.id
        if meeting.uuid != r.meeting_uuid:
            changes.append(
                ("民主测评会议", r.meeting_title, f"{meeting.title}（{meeting.held_on.isoformat()}）")
            )
            if dates["measured_on"] is None:
                columns["measured_on"] = meeting.held_on.isoformat()
    if notes is not None:
        columns["notes"] = notes.strip()
        if notes.strip() != r.notes:
            changes.append(("备注", r.notes, notes.strip()))
    with db.atomic():
        update_round_row(db, "appraisal_rounds", uuid, columns, changes)
    return get_round(db, uuid=uuid)


def round_for_meeting(db: Database, *, meeting_uuid: str, today: date | None = None) -> Round:
    """The round a 民主评议党员 meeting belongs to: the round of the 年度 it reviews, opened when there is none and
    linked to the meeting (its 民主测评) when the round has no meeting yet. One transaction. Refused for a meeting
    that is not a 民主评议党员 meeting (or is cancelled), or reviews a 年度 after this one."""
    problems: list[Problem] = []
    m = get_meeting(db, uuid=meeting_uuid)
    year = m.reviewed_year or m.held_on.year
    _appraisal_meeting(db, meeting_uuid, year, problems)
    raise_if(problems)
    with db.atomic():
        r = round_of_year(db, year=year) or open_round(db, year=year, today=today)
        if r.meeting_uuid is None:
            r = update_round(db, uuid=r.uuid, meeting_uuid=meeting_uuid, today=today)
    return r


def meeting_grades(db: Database, *, meeting_uuid: str) -> list[Grade]:
    """The 支部评定 shown with a 民主评议党员 meeting: the grades of the round whose 民主测评 it is, in roster order
    (none for any other meeting). The grades typed at meetings before the rounds (``appraisal_grades``) were
    copied into the rounds by migration 0020 and are no longer read."""
    found = rows.query_one(
        db,
        "SELECT r.uuid FROM appraisal_rounds r JOIN meetings mt ON mt.id = r.meeting_id WHERE mt.uuid = ?",
        [meeting_uuid],
    )
    if found is None:
        return []
    return [
        Grade(member_uuid=p.member_uuid, member_name=p.name, grade=p.grade)
        for p in participants(db, round_uuid=str(found["uuid"]))
        if p.grade
    ]


# --- who is appraised ---------------------------------------------------------------------------------------


def reference_day(r: Round, today: date | None = None) -> date:
    """The day the round's roster is read on: the 民主测评, else the end of the 年度 (not after today)."""
    if r.measured_on is not None:
        return r.measured_on
    return min(date(r.year, 12, 31), today or date.today())


def group_of(member: Member, on: date, *, suspended: bool) -> str:
    """How a member on the roster takes part (key of ``GROUPS``): 失联 and 停止党籍 are listed apart, 预备党员 take
    part ungraded, 正式党员 are graded. ``suspended``: the 党籍 was suspended on ``on`` (``db.standing.suspended_on``:
    as it stood that day, not the current standing)."""
    if lost_on(member, on):
        return "lost"
    if suspended:
        return "suspended"
    return "graded" if category_on(member, on) == "full" else "ungraded"


def _entries(db: Database, round_id: int) -> dict[str, dict[str, Any]]:
    return {
        e["member_uuid"]: e
        for e in rows.query(
            db,
            "SELECT m.uuid AS member_uuid, e.marks_excellent, e.marks_qualified, e.marks_basically_qualified, "
            "e.marks_unqualified, e.grade, e.feedback_on, e.feedback_by, t.uuid AS heart_talk_uuid "
            "FROM appraisal_entries e JOIN members m ON m.id = e.member_id "
            "LEFT JOIN heart_talks t ON t.id = e.heart_talk_id WHERE e.round_id = ?",
            [round_id],
        )
    }


def participants(db: Database, *, round_uuid: str, today: date | None = None) -> list[Participant]:
    """Everyone of the round in roster order: the members on the roster on its reference day (and anyone with a
    tally or grade in it), each with their group, marks, grade and feedback."""
    r = get_round(db, uuid=round_uuid)
    on = reference_day(r, today)
    entries = _entries(db, r.id)
    suspended = suspended_on(db, on=on)
    out = []
    for m in list_members(db, status=None):
        e = entries.get(m.uuid)
        if e is None and not on_roster(m, on):
            continue
        e = e or {}
        out.append(
            Participant(
                member_uuid=m.uuid,
                name=m.name,
                party_group=m.party_group_name,
                group=group_of(m, on, suspended=m.uuid in suspended),
                marks=tuple(int(e.get(f"marks_{k}") or 0) for k in GRADE_KEYS),  # type: ignore[arg-type]
                grade=e.get("grade"),
                feedback_on=date.fromisoformat(e["feedback_on"]) if e.get("feedback_on") else None,
                feedback_by=e.get("feedback_by") or "",
                heart_talk_uuid=e.get("heart_talk_uuid"),
            )
        )
    return out


def update_round_row(
    db: Database, table: str, uuid: str, columns: Mapping[str, Any], changes: Iterable[tuple[str, Any, Any]]
) -> None:
    """Write ``columns`` to a row of a round, of one of its entries or of its 组织处置 (``table``): the audit log
    files every ``(field, old, new)`` of ``changes`` under the round. Inside the caller's transaction."""
    edits.update_row(db, table=table, entity="appraisal_round", uuid=uuid, columns=columns, changes=changes)


def _entry_row(db: Database, r: Round, member_uuid: str) -> str:
    """The uuid of the member's entry in the round, created empty when missing (inside the caller's
    transaction)."""
    row = rows.query_one(
        db,
        "SELECT e.uuid FROM appraisal_entries e JOIN members m ON m.id = e.member_id "
        "WHERE e.round_id = ? AND m.uuid = ?",
        [r.id, member_uuid],
    )
    if row is not None:
        return str(row["uuid"])
    return edits.insert_row(
        db, "appraisal_entries", {"round_id": r.id, "member_id": get_member(db, uuid=member_uuid).id}
    )


def _not_graded(p: Participant | None, member_uuid: str, db: Database) -> Problem | None:
    if p is None:
        return Problem("member", f"{get_member(db, uuid=member_uuid).name} 不在本次评议的名单中")
    if p.group == "ungraded":
        return Problem("member", f"{p.name} 是预备党员，参加评议但不评定等次")
    if p.group != "graded":
        return Problem("member", f"{p.name} 是{GROUPS[p.group][:4]}，不评定等次")
    return None


def save_tally(
    db: Database,
    *,
    round_uuid: str,
    ballots: int,
    marks: Mapping[str, tuple[int, int, int, int]],
    today: date | None = None,
) -> list[Participant]:
    """Record the tally of the 测评票: ``ballots`` returned, and per graded member the marks of 优秀, 合格, 基本合格,
    不合格 (blanks are 弃权, the ballots less the marks). Refused when a member has more marks than ballots (named),
    a count is negative, or a member is not graded (预备党员, 失联, 停止党籍)."""
    r = get_round(db, uuid=round_uuid)
    people = {p.member_uuid: p for p in participants(db, round_uuid=round_uuid, today=today)}
    problems: list[Problem] = []
    if ballots < 0:
        problems.append(Problem("ballots", "收回的测评票张数不能为负数"))
    measured = linked_meeting(db, r.meeting_uuid)
    if measured is not None and measured.status == "held" and ballots > measured.present:
        problems.append(
            Problem(
                "ballots",
                f"收回的测评票 {ballots} 张，多于民主测评会议「{measured.title}」出席的 {measured.present} 人"
                "（含列席）：每人一张，请核对票数或该会议的出席登记",
            )
        )
    for u, counts in marks.items():
        problem = _not_graded(people.get(u), u, db) if any(counts) else None
        if problem is not None:
            problems.append(problem)
    names = {u: p.name for u, p in people.items()}
    problems += tally_problems(names, dict(marks), ballots)
    raise_if(problems)
    with db.atomic():
        for u, counts in marks.items():
            before = people[u].marks if u in people else (0, 0, 0, 0)
            if tuple(counts) == before:
                continue
            entry = _entry_row(db, r, u)
            columns = {f"marks_{k}": int(c) for k, c in zip(GRADE_KEYS, counts, strict=True)}
            update_round_row(
                db,
                "appraisal_entries",
                entry,
                columns,
                [("测评票数", f"{names.get(u, '')} {before}", f"{names.get(u, '')} {tuple(counts)}")],
            )
        if ballots != r.ballots:
            update_round_row(
                db, "appraisal_rounds", round_uuid, {"ballots": ballots}, [("收回测评票", r.ballots, ballots)]
            )
    return participants(db, round_uuid=round_uuid, today=today)


def grade_warnings(db: Database, *, round_uuid: str, grades: Mapping[str, str | None]) -> list[Problem]:
    """The warnings of the grades being entered (the ⅓ 优秀 guideline: a warning, never a block)."""
    r = get_round(db, uuid=round_uuid)
    warning = excellent_warning({u: g for u, g in grades.items() if g}, r.year)
    return [warning] if warning else []


def set_grades(
    db: Database, *, round_uuid: str, grades: Mapping[str, str | None], today: date | None = None
) -> list[Problem]:
    """Record the branch's grades (支部评定): member uuid → grade key (None clears). Only 正式党员 are graded;
    预备党员, 失联 and 停止党籍 are refused by name. Returns the warnings (more than ⅓ 优秀), saved anyway."""
    r = get_round(db, uuid=round_uuid)
    people = {p.member_uuid: p for p in participants(db, round_uuid=round_uuid, today=today)}
    problems: list[Problem] = []
    for u, grade in grades.items():
        if grade is None and u in people:
            continue
        if grade is not None and grade not in GRADES:
            problems.append(Problem("grade", f"评议等次无效：{grade}"))
        problem = _not_graded(people.get(u), u, db)
        if problem is not None:
            problems.append(problem)
    raise_if(problems)
    all_grades = {u: p.grade for u, p in people.items() if p.grade}
    all_grades.update({u: g for u, g in grades.items() if g})
    for u, g in grades.items():
        if g is None:
            all_grades.pop(u, None)
    with db.atomic():
        for u, grade in grades.items():
            before = people[u].grade
            if grade == before:
                continue
            entry = _entry_row(db, r, u)
            update_round_row(
                db,
                "appraisal_entries",
                entry,
                {"grade": grade},
                [
                    (
                        "支部评定",
                        f"{people[u].name} {GRADES.get(before or '', '')}",
                        f"{people[u].name} {GRADES.get(grade or '', '')}",
                    )
                ],
            )
    warning = excellent_warning({u: g for u, g in all_grades.items() if g}, r.year)
    return [warning] if warning else []


def record_feedback(
    db: Database,
    *,
    round_uuid: str,
    member_uuid: str,
    on: date,
    by: str,
    heart_talk_uuid: str | None = None,
    today: date | None = None,
) -> Participant:
    """Record the feedback talk to a member of the round (who talked to them, when; optionally the 谈心谈话 it
    was). Refused without who, for a date in the future or before the 民主测评, or a talk the member was not in."""
    today = today or date.today()
    r = get_round(db, uuid=round_uuid)
    people = {p.member_uuid: p for p in participants(db, round_uuid=round_uuid, today=today)}
    problems = []
    if member_uuid not in people:
        problems.append(Problem("member", "该党员不在本次评议的名单中"))
    if not by.strip():
        problems.append(Problem("by", "请填写反馈谈话人"))
    problems += date_problems("on", "反馈日期", on, today=today)
    if r.measured_on and on < r.measured_on:
        problems.append(Problem("on", f"反馈日期不能早于民主测评（{r.measured_on.isoformat()}）"))
    talk_id = None
    if heart_talk_uuid:
        talk = next((t for t in list_heart_talks(db) if t.uuid == heart_talk_uuid), None)
        if talk is None or member_uuid not in talk.participant_uuids:
            problems.append(Problem("heart_talk", "所选谈心谈话没有该党员参加"))
        else:
            found = rows.query_one(db, "SELECT id FROM heart_talks WHERE uuid = ?", [heart_talk_uuid])
            talk_id = found["id"] if found else None
    raise_if(problems)
    p = people[member_uuid]
    with db.atomic():
        entry = _entry_row(db, r, member_uuid)
        update_round_row(
            db,
            "appraisal_entries",
            entry,
            {"feedback_on": on.isoformat(), "feedback_by": by.strip(), "heart_talk_id": talk_id},
            [("反馈谈话", None, f"{p.name}：{on.isoformat()} {by.strip()}")],
        )
    return next(
        x for x in participants(db, round_uuid=round_uuid, today=today) if x.member_uuid == member_uuid
    )
