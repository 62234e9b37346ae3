"""The reminders of member development: steps overdue or due soon, person by person.

Each deadline comes from ``db.development.rules`` (the same day the rule check counts from); ``db.reminders``
collects these with the other parts' (``PARTS``).
"""

from __future__ import annotations

from datetime import date, timedelta

from db.development.queries import all_steps, person_from_row, person_rows
from db.development.records import DevelopmentReminder
from db.development.rules import (
    approval_deadline,
    approval_limit,
    candidate_earliest,
    first_step,
    probation_end,
    review_due,
    talk_deadline,
)
from db.members import list_members
from db.rules import add_years
from db.store import Database


def development_reminders(db: Database, *, today: date, horizon_days: int = 30) -> list[DevelopmentReminder]:
    """Overdue steps and steps due within ``horizon_days``, oldest first.

    Kinds: ``talk_due`` (no talk within a month of the application), ``activist_review_due`` (six-monthly
    review), ``candidate_eligible`` (activist for a year), ``upper_approval_due`` (admission not approved within 3
    months), ``probation_ending`` (probation ends: the branch assembly must discuss full membership),
    ``full_approval_due``, ``extension_approval_due`` / ``cancel_approval_due`` (the 支部党员大会 decided to extend
    or cancel the probation; the 上级党委 has not approved it within 3 months). ``filters`` opens the person on the development page.
    """
    horizon = today + timedelta(days=horizon_days)
    out: list[DevelopmentReminder] = []
    by_person = all_steps(db)
    for row in person_rows(db, {}, "p.status != 'left'"):
        steps = [s for s in by_person.get(row["uuid"], []) if not s.voided]
        person = person_from_row(row, steps)
        has = {s.kind for s in steps}

        def add(kind: str, text: str, since: date, due: date, who: str = person.uuid) -> None:
            # Only what falls due by the horizon is a reminder.
            if due <= horizon:
                out.append(DevelopmentReminder(kind, text, since, due, who, "development", {"person": who}))

        def when(due: date) -> str:
            return f"已于 {due} 到期" if due < today else f"将于 {due} 到期"

        name = person.name
        app = first_step(steps, "application")
        if person.stage == "applicant" and app and "talk" not in has:
            due = talk_deadline(app.on)
            add(
                "talk_due",
                f"{name} 于 {app.on} 递交入党申请书，应在一个月内（{due} 前）派人谈话，尚未记录谈话",
                app.on,
                due,
            )
        activist = first_step(steps, "activist_decision")
        if person.stage == "activist" and activist:
            reviews = [s for s in steps if s.kind == "activist_review"]
            last = reviews[-1].on if reviews else activist.on
            due = review_due(last)
            add(
                "activist_review_due",
                f"入党积极分子 {name} 自 {last} 以来未做半年培养考察，{when(due)}",
                last,
                due,
            )
            eligible = candidate_earliest(activist.on)
            add(
                "candidate_eligible",
                f"入党积极分子 {name} 自 {activist.on} 起培养，{eligible} 满一年，可研究是否确定为发展对象",
                activist.on,
                eligible,
            )
        vote = first_step(steps, "admission_vote")
        if vote and "upper_approval" not in has and person.status == "in_pipeline":
            due = approval_deadline(vote.on)
            add(
                "upper_approval_due",
                f"{name} 于 {vote.on} 经支部党员大会讨论接收，上级党委审批{when(due)}（最长不超过 "
                f"{approval_limit(vote.on)}）",
                vote.on,
                due,
            )
        if person.stage == "probationary" and person.status == "admitted":
            end = probation_end(steps)
            pending = False  # a 支部党员大会 decision on the probation waiting for the 上级党委 (党章第七条)
            for vote_kind, approval_kind, what in (
                ("probation_extension", "extension_approval", "延长预备期"),
                ("probation_cancelled", "cancel_approval", "取消预备党员资格"),
            ):
                decided = first_step(steps, vote_kind)
                if decided is None or approval_kind in has or decided.entitled is None:
                    continue
                pending = True
                add(
                    f"{approval_kind}_due",
                    f"{name} 于 {decided.on} 经支部党员大会讨论{what}，上级党委审批{when(approval_deadline(decided.on))}"
                    "（党章第七条：“都应当经支部大会讨论通过和上级党组织批准”）",
                    decided.on,
                    approval_deadline(decided.on),
                )
            if end and "full_vote" not in has and not pending:
                verb = "已于" if end < today else "将于"
                add(
                    "probation_ending",
                    f"{name} 的预备期{verb} {end} 届满，需召开支部党员大会讨论转正",
                    vote.on if vote else end,
                    end,
                )
            full_vote = first_step(steps, "full_vote")
            if full_vote and "full_approval" not in has:
                due = approval_deadline(full_vote.on)
                add(
                    "full_approval_due",
                    f"{name} 于 {full_vote.on} 经支部党员大会讨论转正，上级党委审批{when(due)}",
                    full_vote.on,
                    due,
                )
    followed = {r["member_uuid"] for r in person_rows(db) if r["member_uuid"]}
    out += _roster_probation(db, today=today, horizon=horizon, followed=followed)
    return sorted(out, key=lambda r: (r.due or r.since, r.since))


def _roster_probation(
    db: Database, *, today: date, horizon: date, followed: set[str]
) -> list[DevelopmentReminder]:
    """``probation_ending`` for every 预备党员 on the roster the pipeline does not follow (entered by hand, imported,
    transferred in): probation ends one year after joined_on (党章第七条: 预备党员的预备期为一年)."""
    out = []
    for m in list_members(db, category="probationary"):
        if m.uuid in followed or m.joined_on is None:
            continue
        end = add_years(m.joined_on, 1)
        if end <= horizon:
            verb = "已于" if end < today else "将于"
            out.append(
                DevelopmentReminder(
                    "probation_ending",
                    f"预备党员 {m.name}（{m.joined_on} 加入党组织）的预备期{verb} {end} 届满，需召开支部党员大会讨论转正",
                    m.joined_on,
                    end,
                    "",
                    "members",
                    {"member": m.uuid, "category": "probationary"},
                )
            )
    return out
