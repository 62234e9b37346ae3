"""Reminders of projects and findings: findings overdue for rectification and projects past their due date."""

from __future__ import annotations

from datetime import date, timedelta

from db.projects.findings import list_findings
from db.projects.records import Reminder
from db.projects.service import list_projects
from db.store import Database


def project_reminders(db: Database, *, today: date) -> list[Reminder]:
    """Overdue findings (deadline passed, not rectified) and projects past due (not done or stopped) on
    ``today``; a deadline equal to ``today`` is not yet overdue. Oldest first."""
    out: list[Reminder] = []
    for f in list_findings(db, overdue_on=today):
        owner = f.owner.name if f.owner else "未指定责任人"
        text = (
            f"检查问题逾期未整改：「{_short(f.problem)}」（{f.source}），责任人 {owner}，"
            f"时限 {f.deadline.isoformat()}，已逾期 {(today - f.deadline).days} 天"
        )
        out.append(_overdue("finding_overdue", text, f.deadline, tab="findings", uuid=f.uuid))
    for p in list_projects(db):
        if not p.is_overdue(today):
            continue
        assert p.due_on is not None
        leader = p.leader.name if p.leader else "未指定负责人"
        text = (
            f"{p.kind_label}「{p.title}」超过计划完成日期仍为「{p.status_label}」，负责人 {leader}，"
            f"计划完成 {p.due_on.isoformat()}，已超期 {(today - p.due_on).days} 天"
        )
        out.append(_overdue("project_overdue", text, p.due_on, tab="projects", uuid=p.uuid))
    out.sort(key=lambda r: (r.since, r.kind, r.text))
    return out


def _overdue(kind: str, text: str, due: date, *, tab: str, uuid: str) -> Reminder:
    """The reminder of a record past ``due`` (from the day after it), opening the record on its tab."""
    return Reminder(
        kind=kind,
        text=text,
        since=due + timedelta(days=1),
        page="projects",
        filters={"tab": tab, "uuid": uuid},
    )


def _short(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
