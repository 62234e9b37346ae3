"""The dated life of a project: status transitions (立项 → 实施中 → 已完成 / 终止), the progress log (进展记录) and
the year-end acceptance (年终验收). Each write is one transaction with its audit entry; dates may not be in the
future nor before the project's start.
"""

from __future__ import annotations

from datetime import date

from db import audit, edits
from db.errors import Problem, date_problems, raise_if
from db.projects.common import iso, plain
from db.projects.records import ACCEPTANCE_RESULTS, PROJECT_STATUSES, Project, allowed_transitions
from db.projects.service import get_project
from db.store import Database, now_iso


def transition_project(
    db: Database,
    *,
    uuid: str,
    to: str,
    on: date,
    reason: str = "",
    today: date | None = None,
    source: str = "local",
) -> Project:
    """Move a project to status ``to`` on date ``on`` (only the moves of ``TRANSITIONS``).

    The date may not be before the project's start or its last status change, nor after ``today``; stopping
    needs a reason. Raises ``ValidationError`` (nothing saved) or ``NotFound``.
    """
    today = today or date.today()
    reason = plain(reason)
    with db.atomic():
        p = get_project(db, uuid=uuid)
        problems: list[Problem] = []
        if to not in PROJECT_STATUSES:
            problems.append(Problem("status", f"未知的项目状态「{to}」"))
        elif to not in allowed_transitions(p.status):
            allowed = "、".join(PROJECT_STATUSES[s] for s in allowed_transitions(p.status)) or "无"
            problems.append(
                Problem(
                    "status",
                    f"项目「{p.title}」当前为「{p.status_label}」，不能改为「{PROJECT_STATUSES[to]}」"
                    f"（可改为：{allowed}）",
                )
            )
        problems += date_problems("status_on", "状态变更日期", on, today=today)
        if on < p.start_on:
            problems.append(
                Problem("status_on", f"状态变更日期不能早于项目开始日期（{p.start_on.isoformat()}）")
            )
        elif on < p.status_on:
            problems.append(
                Problem("status_on", f"状态变更日期不能早于上次状态变更日期（{p.status_on.isoformat()}）")
            )
        if to == "stopped" and not reason:
            problems.append(Problem("reason", "终止项目请填写原因"))
        raise_if(problems)
        db.execute(
            "UPDATE projects SET status = ?, status_on = ?, updated_at = ? WHERE id = ?",
            [to, on.isoformat(), now_iso(), p.id],
        )
        edits.insert_row(
            db,
            "project_transitions",
            {
                "project_id": p.id,
                "from_status": p.status,
                "to_status": to,
                "on_date": on.isoformat(),
                "reason": reason,
            },
        )
        audit.Trail(db, "project", uuid, source=source).status(p.status, f"{to}（{on.isoformat()}）{reason}")
    return get_project(db, uuid=uuid)


def add_progress(
    db: Database, *, project_uuid: str, on: date, note: str, today: date | None = None, source: str = "local"
) -> Project:
    """Append a dated entry to a project's progress log (进展记录). The date may not be before the start or after
    ``today``; the note may not be empty. Raises ``ValidationError`` or ``NotFound``."""
    today = today or date.today()
    note = plain(note)
    with db.atomic():
        p = get_project(db, uuid=project_uuid)
        problems = []
        if not note:
            problems.append(Problem("note", "请填写进展内容"))
        if on < p.start_on:
            problems.append(Problem("on_date", f"进展日期不能早于项目开始日期（{p.start_on.isoformat()}）"))
        problems += date_problems("on_date", "进展日期", on, today=today)
        raise_if(problems)
        edits.insert_row(
            db, "project_progress", {"project_id": p.id, "on_date": on.isoformat(), "note": note}
        )
        audit.Trail(db, "project", project_uuid, source=source).update(
            "progress", new=f"{on.isoformat()} {note}"
        )
    return get_project(db, uuid=project_uuid)


def record_acceptance(
    db: Database,
    *,
    uuid: str,
    on: date,
    result: str,
    note: str = "",
    today: date | None = None,
    source: str = "local",
) -> Project:
    """Record the year-end acceptance (年终验收) of a project that has started: date, result (``excellent`` /
    ``good`` / ``passed`` / ``failed``) and a note. Raises ``ValidationError`` or ``NotFound``."""
    today = today or date.today()
    note = plain(note)
    with db.atomic():
        p = get_project(db, uuid=uuid)
        problems = []
        if result not in ACCEPTANCE_RESULTS:
            problems.append(Problem("acceptance_result", "请选择验收结果（优秀、良好、合格、不合格）"))
        if p.status == "planned":
            problems.append(Problem("acceptance_on", f"项目「{p.title}」尚未实施，不能验收"))
        if on < p.start_on:
            problems.append(
                Problem("acceptance_on", f"验收日期不能早于项目开始日期（{p.start_on.isoformat()}）")
            )
        problems += date_problems("acceptance_on", "验收日期", on, today=today)
        raise_if(problems)
        db.execute(
            "UPDATE projects SET acceptance_on = ?, acceptance_result = ?, acceptance_note = ?, updated_at = ? "
            "WHERE id = ?",
            [on.isoformat(), result, note, now_iso(), p.id],
        )
        audit.Trail(db, "project", uuid, source=source).update(
            "acceptance",
            old=f"{iso(p.acceptance_on) or ''} {p.acceptance_result}".strip() or None,
            new=f"{on.isoformat()} {result} {note}".strip(),
        )
    return get_project(db, uuid=uuid)
