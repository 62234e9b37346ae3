"""The 发展党员 sheet of the HQ monthly workbook: its columns, its rows (the pipeline as it stood at the month's
end) and its headline figures. Writing the file is ``db.workbook``'s job; this part has no .xlsx writer of its own.
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from db.development.queries import all_steps, person_from_row, person_rows
from db.development.records import STAGE_ORDER, STEP_KINDS, DevelopmentStep
from db.development.rules import check_rules, first_step, probation_end
from db.store import Database

# (field, Chinese header) of the 发展党员 sheet, in order; ``db.workbook.format`` declares the column types.
MONTHLY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", "姓名"),
    ("gender", "性别"),
    ("birth_date", "出生日期"),
    ("citizen_id", "公民身份号码"),
    ("party_group", "党小组"),
    ("job", "工作岗位"),
    ("stage", "发展阶段"),
    ("status", "状态"),
    ("applied_on", "递交入党申请书日期"),
    ("talk_on", "谈话日期"),
    ("activist_on", "确定为入党积极分子日期"),
    ("mentors", "培养联系人"),
    ("candidate_on", "确定为发展对象日期"),
    ("introducers", "入党介绍人"),
    ("political_review_on", "政治审查日期"),
    ("training", "短期集中培训"),
    ("admission_vote_on", "支部党员大会讨论接收日期"),
    ("upper_approval_on", "上级党委审批日期"),
    ("oath_on", "入党宣誓日期"),
    ("probation_end", "预备期届满日期"),
    ("full_vote_on", "支部党员大会讨论转正日期"),
    ("full_approval_on", "上级党委审批转正日期"),
    ("month_steps", "本月步骤"),
    ("notes", "规则提醒及说明"),
    ("uuid", "编号(勿改)"),
)
# Date columns of the sheet: the day of the first (non-voided) step of the kind.
_MONTHLY_DATES = {
    "applied_on": "application",
    "talk_on": "talk",
    "activist_on": "activist_decision",
    "candidate_on": "candidate_decision",
    "political_review_on": "political_review",
    "admission_vote_on": "admission_vote",
    "upper_approval_on": "upper_approval",
    "oath_on": "oath",
    "full_vote_on": "full_vote",
    "full_approval_on": "full_approval",
}


def _month_bounds(month: str | date) -> tuple[date, date]:
    first = month.replace(day=1) if isinstance(month, date) else date.fromisoformat(f"{month}-01")
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def _stage_at(steps: list[DevelopmentStep]) -> str:
    """The furthest stage the steps reach."""
    stage = "applicant"
    for s in steps:
        target = STEP_KINDS[s.kind].advances_to
        if target and STAGE_ORDER.index(target) > STAGE_ORDER.index(stage):
            stage = target
    return stage


def _member_names(steps: list[DevelopmentStep], kind: str) -> str:
    """The members named in the last step of ``kind`` (mentors or introducers), joined with 、."""
    named = [x for x in steps if x.kind == kind]
    return "、".join(m.name for m in named[-1].members) if named else ""


def monthly_development_rows(db: Database, *, month: str | date) -> list[dict[str, Any]]:
    """The 发展党员 sheet of the monthly workbook: one row per person in the pipeline during ``month``
    (``YYYY-MM`` or a date in it), as it stood at the month's end, keyed by the fields of ``MONTHLY_COLUMNS``.

    Dates are ``date`` (None when not reached), ``gender``/``stage``/``status`` the glossary codes, the rest text.
    People who left, or became full members, before the month began are left out; steps after the month's end
    are not shown. Rows come in the order people were entered (stable for exports).
    """
    first, last = _month_bounds(month)
    rows: list[dict[str, Any]] = []
    by_person = all_steps(db)
    for row in person_rows(db):
        steps = [s for s in by_person.get(row["uuid"], []) if not s.voided and s.on <= last]
        if first_step(steps, "application") is None:
            continue
        person = person_from_row(row, steps)
        if person.status == "left" and person.status_on and person.status_on < first:
            continue
        full = first_step(steps, "full_approval")
        if full and full.on < first:
            continue
        if person.status == "left" and person.status_on and person.status_on <= last:
            status = "left"
        else:
            status = "admitted" if first_step(steps, "upper_approval") else "in_pipeline"
        training = first_step(steps, "training")
        notes = [w.message for w in check_rules(birth_date=person.birth_date, steps=steps)]
        notes += [f"{s.label}（{s.on}）保存原因：{s.reason}" for s in steps if s.warnings and s.reason]
        if status == "left":
            notes.append(f"{person.status_on} 退出：{person.status_reason}")
        values: dict[str, Any] = {
            "name": person.name,
            "gender": person.gender,
            "birth_date": person.birth_date,
            "citizen_id": person.citizen_id or "",
            "party_group": person.party_group_name,
            "job": person.job,
            "stage": _stage_at(steps),
            "status": status,
            "mentors": _member_names(steps, "mentors"),
            "introducers": _member_names(steps, "introducers"),
            "training": f"{training.on}（{training.days or 0} 天 / {training.hours or 0} 学时）"
            if training
            else "",
            "probation_end": probation_end(steps) if first_step(steps, "admission_vote") else None,
            "month_steps": "；".join(f"{s.label} {s.on}" for s in steps if first <= s.on <= last),
            "notes": "；".join(notes),
            "uuid": person.uuid,
        }
        for key, kind in _MONTHLY_DATES.items():
            step = first_step(steps, kind)
            values[key] = step.on if step else None
        rows.append(values)
    return rows


def monthly_development_figures(db: Database, *, month: str | date) -> dict[str, int]:
    """Headline counts for HQ consolidation: people per stage at the month's end and admissions/full memberships
    approved in the month (names the same in every branch)."""
    rows = monthly_development_rows(db, month=month)
    first, last = _month_bounds(month)
    active = [r for r in rows if r["status"] != "left"]

    def in_month(d: date | None) -> bool:
        return d is not None and first <= d <= last

    return {
        "入党申请人数": sum(r["stage"] == "applicant" for r in active),
        "入党积极分子数": sum(r["stage"] == "activist" for r in active),
        "发展对象数": sum(r["stage"] == "candidate" for r in active),
        "预备党员数(发展)": sum(r["stage"] == "probationary" for r in active),
        "本月接收预备党员数": sum(in_month(r["upper_approval_on"]) for r in rows),
        "本月转为正式党员数": sum(in_month(r["full_approval_on"]) for r in rows),
    }
