"""Reminders of the 民主评议党员: a 限期改正 whose deadline has passed without a result recorded (urgent), a
round whose 支部评定 is done but whose 反馈 to the members is not, and more than ⅓ 优秀 in this or last 年度's
支部评定 (a warning: “一般不超过”)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from db.appraisal.actions import list_actions
from db.appraisal.records import excellent_warning
from db.appraisal.service import list_rounds, participants
from db.store import Database

FEEDBACK_DAYS = 30  # the 反馈 is due within a month of the 支部评定 (a branch's custom, not an article)


@dataclass(frozen=True)
class AppraisalReminder:
    kind: str  # rectify_overdue / appraisal_feedback / appraisal_excellent_cap
    text: str
    since: date
    page: str = "appraisal"
    filters: dict[str, Any] = field(default_factory=dict)
    member_uuid: str = ""
    urgent: bool = False


def appraisal_reminders(db: Database, *, today: date) -> list[AppraisalReminder]:
    """限期改正 past its deadline with no result (from the day after the deadline); a round decided more than
    ``FEEDBACK_DAYS`` ago without its 反馈; a round of this or last 年度 grading more than a third of its graded
    正式党员 优秀 (``excellent_warning``)."""
    out: list[AppraisalReminder] = []
    for a in list_actions(db):
        if a.kind == "rectify" and a.closed_on is None and a.deadline is not None and today > a.deadline:
            out.append(
                AppraisalReminder(
                    "rectify_overdue",
                    f"{a.member_name} 的限期改正（{a.year}年度民主评议党员评定为不合格）已于 {a.deadline.isoformat()} "
                    "到期，请支部党员大会讨论其是否达到合格党员条件并登记结果",
                    a.deadline + timedelta(days=1),
                    filters={"round": a.round_uuid, "action": a.uuid},
                    member_uuid=a.member_uuid,
                    urgent=True,
                )
            )
    for r in list_rounds(db):
        if r.decided_on and r.feedback_on is None and today > r.decided_on + timedelta(days=FEEDBACK_DAYS):
            out.append(
                AppraisalReminder(
                    "appraisal_feedback",
                    f"{r.title}已于 {r.decided_on.isoformat()} 完成支部评定，尚未登记向党员本人反馈",
                    r.decided_on + timedelta(days=FEEDBACK_DAYS),
                    filters={"round": r.uuid},
                )
            )
        if r.year >= today.year - 1:
            graded = participants(db, round_uuid=r.uuid, today=today)
            grades = {p.member_uuid: p.grade for p in graded if p.grade}
            warning = excellent_warning(grades, r.year)
            if warning is not None:
                out.append(
                    AppraisalReminder(
                        "appraisal_excellent_cap",
                        f"民主评议党员：{warning.message}",
                        date(r.year, 12, 31) if r.year < today.year else date(r.year, 1, 1),
                        filters={"round": r.uuid},
                    )
                )
    return out
