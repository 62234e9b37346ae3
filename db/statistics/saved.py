"""Saving a yearly report: its figures (next year's 上年底总数 comes from here), the explanation of a balance that
does not close, and marking it final (only when it closes or the difference is explained)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from db import audit, edits
from db.errors import Problem, ValidationError
from db.rules import normalize_text
from db.statistics.compute import Report, not_begun, saved_report
from db.statistics.export import figures_json
from db.store import Database, now_iso


def save_report(
    db: Database, *, report: Report, explanation: str = "", final: bool = False, today: date | None = None
) -> dict[str, Any]:
    """Save the report's figures (next year's 上年底总数 comes from here); ``final`` marks it final, refused while
    the balance does not close and no explanation is given, and for a report already final. One transaction."""
    explanation = normalize_text(explanation)
    existing = saved_report(db, year=report.year, half=report.half)
    problems = []
    ahead = not_begun(year=report.year, half=report.half, today=today or date.today())
    if ahead:
        problems.append(Problem("year", ahead))
    if existing is not None and existing["final"]:
        problems.append(Problem("final", f"{report.period_text}统计已经定稿，不能再修改"))
    if final and not report.balance.closes and not explanation:
        problems.append(
            Problem("explanation", f"实有数与应有数之差为 {report.balance.difference}，请说明差异后再定稿")
        )
    if problems:
        raise ValidationError(problems)
    columns = {
        "table_version": report.version,
        "figures": json.dumps(figures_json(report, people=False), ensure_ascii=False),
        "year_end_members": json.dumps(sorted(report.year_end)),
        "previous_total": report.balance.previous,
        "expected_total": report.balance.expected,
        "actual_total": report.balance.actual,
        "explanation": explanation,
        "final": int(final),
        "final_on": (today or date.today()).isoformat() if final else None,
    }
    with db.atomic():
        if existing is None:
            uuid = edits.insert_row(
                db, "statistics_reports", {"year": report.year, "half": int(report.half), **columns}
            )
            audit.Trail(db, "statistics_report", uuid).create("year", new=report.period_text)
        else:
            uuid = existing["uuid"]
            sets = ", ".join(f"{k} = ?" for k in columns)
            db.execute(
                f"UPDATE statistics_reports SET {sets}, updated_at = ? WHERE uuid = ?",
                [*columns.values(), now_iso(), uuid],
            )
            audit.Trail(db, "statistics_report", uuid).update("figures", new=report.period_text)
        if final:
            audit.Trail(db, "statistics_report", uuid).update(
                "final", old=False, new=f"定稿：{explanation or '平衡'}"
            )
    saved = saved_report(db, year=report.year, half=report.half)
    assert saved is not None
    return saved
