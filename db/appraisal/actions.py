"""组织处置 of a member graded 不合格 in a 民主评议党员, and the round's figures for table 8 of the 党内统计.

限期改正 keeps the member on the roster with a deadline (a reminder when it passes, closed as 已改正 or 未改正).
劝退, 劝而不退除名 and 自行脱党除名 are decided by the 支部党员大会 and approved by the upper 党组织 (党章第九条: the
meeting is linked, the approval named); they are recorded once approved, as the member's standing event through
``db.transfers.record_event``, the function the standing form uses, in the same transaction: the member leaves the
roster (已减员) on the day of the approval, and the statistics count the event.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from db import audit, edits, rows
from db.appraisal.records import (
    ACTION_KINDS,
    ACTIONS_NEEDING_ASSEMBLY,
    RECTIFY_OUTCOMES,
    RULE_ARTICLE_NINE,
    Action,
    AppraisalFigures,
)
from db.appraisal.service import get_round, linked_meeting, participants, round_of_year, update_round_row
from db.errors import NotFound, Problem, date_problems, raise_if
from db.meetings import get_meeting
from db.records import from_row
from db.store import Database
from db.transfers import record_event

_ACTION_SELECT = (
    "SELECT a.uuid, r.uuid AS round_uuid, r.year, m.uuid AS member_uuid, m.name AS member_name, a.kind, "
    "a.decided_on, a.deadline, mt.uuid AS meeting_uuid, e.uuid AS event_uuid, a.reason, a.closed_on, a.outcome "
    "FROM appraisal_actions a JOIN appraisal_rounds r ON r.id = a.round_id JOIN members m ON m.id = a.member_id "
    "LEFT JOIN meetings mt ON mt.id = a.meeting_id LEFT JOIN member_events e ON e.id = a.event_id"
)


def _action(db: Database, row: dict[str, Any]) -> Action:
    m = linked_meeting(db, row["meeting_uuid"])
    return from_row(Action, row, meeting_title=f"{m.held_on.isoformat()} {m.title}" if m else "")


def list_actions(db: Database, *, round_uuid: str | None = None, year: int | None = None) -> list[Action]:
    """组织处置, oldest first, of one round or of the rounds of one 年度 (or all)."""
    clause, params = rows.where({"r.uuid = ?": round_uuid, "r.year = ?": year})
    return [
        _action(db, r)
        for r in rows.query(db, _ACTION_SELECT + clause + " ORDER BY a.decided_on, a.id", params)
    ]


def get_action(db: Database, *, uuid: str) -> Action:
    row = rows.query_one(db, _ACTION_SELECT + " WHERE a.uuid = ?", [uuid])
    if row is None:
        raise NotFound(f"找不到该组织处置记录（{uuid}）")
    return _action(db, row)


def record_action(
    db: Database,
    *,
    round_uuid: str,
    member_uuid: str,
    kind: str,
    decided_on: date,
    reason: str,
    deadline: date | None = None,
    meeting_uuid: str | None = None,
    approval: str = "",
    today: date | None = None,
) -> Action:
    """Record a 组织处置 of a member the round graded 不合格. 限期改正 needs its deadline (after the decision);
    劝退 and the two 除名 need the 支部党员大会 that decided (held on ``decided_on`` or before it) and the upper
    党组织's approval (``approval``: who approved, with the document number; ``decided_on`` is then the day of the
    approval, 党章第九条) and are recorded as the member's standing event (``db.transfers.record_event``), which
    takes the member off the roster on ``decided_on``. Refused otherwise, with the reasons."""
    today = today or date.today()
    r = get_round(db, uuid=round_uuid)
    people = {p.member_uuid: p for p in participants(db, round_uuid=round_uuid, today=today)}
    p = people.get(member_uuid)
    problems: list[Problem] = []
    if kind not in ACTION_KINDS:
        problems.append(Problem("kind", "请选择组织处置方式"))
    if p is None or p.grade != "unqualified":
        name = p.name if p else ""
        problems.append(
            Problem("member", f"{name} 在{r.year}年度民主评议中未评定为不合格，不能作组织处置".strip())
        )
    if not reason.strip():
        problems.append(Problem("reason", "请填写处置的理由或依据"))
    problems += date_problems("decided_on", "处置日期", decided_on, today=today)
    if r.measured_on and decided_on < r.measured_on:
        problems.append(Problem("decided_on", f"处置日期不能早于民主测评（{r.measured_on.isoformat()}）"))
    if kind == "rectify" and (deadline is None or deadline <= decided_on):
        problems.append(Problem("deadline", "限期改正请填写改正期限，期限应晚于处置日期"))
    meeting = None
    if kind in ACTIONS_NEEDING_ASSEMBLY and not meeting_uuid:
        problems.append(
            Problem(
                "meeting",
                f"{ACTION_KINDS[kind]}须经支部党员大会讨论决定（{RULE_ARTICLE_NINE}），请选择该次会议",
            )
        )
    approval = approval.strip()
    if kind in ACTIONS_NEEDING_ASSEMBLY and not approval:
        problems.append(
            Problem(
                "approval",
                f"{ACTION_KINDS[kind]}须报上级党组织批准（{RULE_ARTICLE_NINE}）：请在上级党组织批准后登记，"
                "填写批准的党组织及文号，处置日期填批准日期；批准前该党员仍在册",
            )
        )
    if meeting_uuid:
        meeting = get_meeting(db, uuid=meeting_uuid)
        if meeting.kind != "branch_assembly" or meeting.status != "held":
            problems.append(Problem("meeting", "请选择已召开的支部党员大会"))
        elif meeting.held_on > decided_on:
            when = "批准日期" if kind in ACTIONS_NEEDING_ASSEMBLY else "处置日期"
            problems.append(Problem("meeting", f"支部党员大会的日期不能晚于{when}"))
    raise_if(problems)
    assert p is not None
    with db.atomic():
        event_id = None
        if kind in ACTIONS_NEEDING_ASSEMBLY:
            assert meeting is not None
            event = record_event(
                db,
                member_uuid=member_uuid,
                kind=kind,
                happened_on=decided_on,
                reason=f"{r.year}年度民主评议党员评定为不合格：{reason.strip()}",
                decision=f"{meeting.held_on.isoformat()} {meeting.title}决定、{approval}批准",
                today=today,
            )
            found = rows.query_one(db, "SELECT id FROM member_events WHERE uuid = ?", [event.uuid])
            event_id = found["id"] if found else None
        uuid = edits.insert_row(
            db,
            "appraisal_actions",
            {
                "round_id": r.id,
                "member_id": rows.query(db, "SELECT id FROM members WHERE uuid = ?", [member_uuid])[0]["id"],
                "kind": kind,
                "decided_on": decided_on.isoformat(),
                "deadline": deadline.isoformat() if deadline and kind == "rectify" else None,
                "meeting_id": meeting.id if meeting else None,
                "event_id": event_id,
                "reason": reason.strip(),
            },
        )
        audit.Trail(db, "appraisal_action", uuid).create("kind", new=f"{p.name}：{ACTION_KINDS[kind]}")
    return get_action(db, uuid=uuid)


def close_rectify(
    db: Database, *, uuid: str, closed_on: date, outcome: str, today: date | None = None
) -> Action:
    """End a 限期改正: the member corrected (已改正: the appraisal concluded) or not (未改正: the branch goes on to
    劝退). Refused for another kind, one already closed, an unknown outcome, or a date in the future or before the
    decision."""
    today = today or date.today()
    a = get_action(db, uuid=uuid)
    problems = []
    if a.kind != "rectify":
        problems.append(Problem("kind", "只有限期改正需要登记改正结果"))
    elif a.closed_on is not None:
        problems.append(Problem("closed_on", f"该限期改正已于 {a.closed_on.isoformat()} 登记结果"))
    if outcome not in RECTIFY_OUTCOMES:
        problems.append(Problem("outcome", "请选择改正结果"))
    if closed_on > today or closed_on < a.decided_on:
        problems.append(Problem("closed_on", "结果日期应在处置日期和今天之间"))
    raise_if(problems)
    with db.atomic():
        update_round_row(
            db,
            "appraisal_actions",
            uuid,
            {"closed_on": closed_on.isoformat(), "outcome": outcome},
            [("限期改正结果", None, f"{a.member_name}：{RECTIFY_OUTCOMES[outcome]}")],
        )
    return get_action(db, uuid=uuid)


def appraisal_figures(db: Database, *, year: int) -> AppraisalFigures:
    """Table 8 of the 党内统计 (民主评议党员情况) of 年度 ``year``, each count with the member uuids behind it:
    whether the branch held its appraisal (0/1), who took part (正式 and 预备 on the roster of the 民主测评; 失联 and
    停止党籍 not), 表彰 (graded 优秀), 不合格, the 组织处置 by kind and 结束评议 (a 限期改正 closed as corrected)."""
    r = round_of_year(db, year=year)
    if r is None:
        return AppraisalFigures(year, 0, (), (), (), (), (), (), (), ())
    people = participants(db, round_uuid=r.uuid)
    actions = list_actions(db, round_uuid=r.uuid)

    def kind(k: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a.member_uuid for a in actions if a.kind == k))

    return AppraisalFigures(
        year=year,
        held=1 if (r.measured_on or r.decided_on) else 0,
        took_part=tuple(p.member_uuid for p in people if p.group in ("graded", "ungraded")),
        commended=tuple(p.member_uuid for p in people if p.grade == "excellent"),
        unqualified=tuple(p.member_uuid for p in people if p.grade == "unqualified"),
        rectify=kind("rectify"),
        persuaded=kind("persuaded"),
        removal_persuaded=kind("removal_persuaded"),
        removal_lapsed=kind("removal_lapsed"),
        concluded=tuple(a.member_uuid for a in actions if a.kind == "rectify" and a.outcome == "corrected"),
    )
