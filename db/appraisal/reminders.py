"""Reminders of the 民主评议党员: a 限期改正 whose deadline has passed without a result recorded (urgent), and a
round whose 支部评定 is done but whose 反馈 to the members is not."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from db.appraisal.actions import list_actions
from db.appraisal.service import list_rounds
from db.store import Database

FEEDBACK_DAYS = 30  # the 反馈 is due within a month of the 支部评定 (a branch's custom, not an article)


@dataclass(frozen=True)
class AppraisalReminder:
    kind: str  # rectify_overdue / appraisal_feedback
    text: str
    since: date
    page: str = "appraisal"
    filters: dict[str, Any] = field(default_factory=dict)
    member_uuid: str = ""
    urgent: bool = False


def appraisal_reminders(db: Database, *, today: date) -> list[AppraisalReminder]:
    """限期改正 past its deadline with no result (from the day after the deadline); a round decided more than
    ``FEEDBACK_DAYS`` ago without its 反馈."""
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
    return out
