"""The figures HQ asks for over a period: projects started and done per category, completion and participation
rates, findings found, rectified and overdue; and the same figures as Chinese lines for the page, the printout and
the export.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from db import rows
from db.errors import Problem, ValidationError
from db.projects.findings import list_findings
from db.projects.records import CATEGORIES, ProjectFigures, finding_as_of
from db.store import Database


def project_figures(db: Database, *, start: date, end: date) -> ProjectFigures:
    """The figures of ``ProjectFigures`` for the period ``[start, end]``. Raises ``ValidationError`` when
    ``end`` is before ``start``."""
    if end < start:
        raise ValidationError([Problem("end", "统计截止日期不能早于开始日期")])
    s, e = start.isoformat(), end.isoformat()
    started = dict.fromkeys(CATEGORIES, 0)
    done = dict.fromkeys(CATEGORIES, 0)
    started_done = 0
    for p in rows.query(db, "SELECT category, start_on, status, status_on FROM projects"):
        category, start_on, status, status_on = p["category"], p["start_on"], p["status"], p["status_on"]
        if s <= start_on <= e:
            started[category] += 1
            if status == "done" and status_on <= e:
                started_done += 1
        if status == "done" and s <= status_on <= e:
            done[category] += 1
    started_total = sum(started.values())
    # On the roster at the end of the period: joined by then and not archived by then.
    roster = {
        r["id"]
        for r in rows.query(
            db,
            "SELECT id FROM members WHERE (joined_on IS NULL OR joined_on <= ?) AND (status = 'active' OR status_on > ?)",
            [e, e],
        )
    }
    running = (
        "SELECT id, leader_id FROM projects WHERE start_on <= ? AND "
        "(status NOT IN ('done', 'stopped') OR status_on >= ?)"
    )
    people: set[int] = set()
    project_ids = []
    for r in rows.query(db, running, [e, s]):
        project_ids.append(r["id"])
        if r["leader_id"] is not None:
            people.add(r["leader_id"])
    if project_ids:
        marks = ",".join("?" for _ in project_ids)
        people |= {
            r["member_id"]
            for r in rows.query(
                db, f"SELECT member_id FROM project_participants WHERE project_id IN ({marks})", project_ids
            )
        }
    participating = len(people & roster)
    # Findings from their history, so a later reopening does not erase a rectification made in the period.
    found = rectified = overdue = 0
    for f in list_findings(db):
        if f.found_on > end:
            continue
        found += f.found_on >= start
        rectified += any(e.action == "rectify" and start <= e.on_date <= end for e in f.events)
        at_end = finding_as_of(f, on=end)
        overdue += at_end.status == "open" and f.deadline < end
    return ProjectFigures(
        start=start,
        end=end,
        started=started,
        done=done,
        started_total=started_total,
        done_total=sum(done.values()),
        started_done=started_done,
        completion_rate=(started_done / started_total) if started_total else None,
        members_total=len(roster),
        members_participating=participating,
        participation_rate=(participating / len(roster)) if roster else None,
        findings_found=int(found),
        findings_rectified=int(rectified),
        findings_overdue=int(overdue),
    )


def format_rate(rate: float | None) -> str:
    """0.4286 → ``"42.9%"``; None → ``"—"``."""
    return "—" if rate is None else f"{rate * 100:.1f}%"


def figures_lines(fig: ProjectFigures) -> list[tuple[str, str]]:
    """The figures as (label, value) lines in Chinese, for the page, the printout and the export."""

    def by_cat(counts: Mapping[str, int]) -> str:
        return "，".join(f"{CATEGORIES[k]} {v}" for k, v in counts.items())

    return [
        ("统计期间", f"{fig.start.isoformat()} 至 {fig.end.isoformat()}"),
        ("立项（开始）项目", f"{fig.started_total} 个（{by_cat(fig.started)}）"),
        ("完成项目", f"{fig.done_total} 个（{by_cat(fig.done)}）"),
        (
            "完成率",
            f"{format_rate(fig.completion_rate)}（期内立项 {fig.started_total} 个，已完成 {fig.started_done} 个）",
        ),
        (
            "党员参与率",
            f"{format_rate(fig.participation_rate)}（{fig.members_participating} / {fig.members_total} 人）",
        ),
        ("检查发现问题", f"{fig.findings_found} 个"),
        ("期内完成整改", f"{fig.findings_rectified} 个"),
        ("逾期未整改（截至期末）", f"{fig.findings_overdue} 个"),
    ]
