"""Projects and findings in Excel: the 项目台账 and 检查整改 sheets of the HQ monthly workbook (rows and figures for
``db.workbook.format``) and the projects page's own ledger export.

"Which columns and rows" (``PROJECT_COLUMNS``, ``FINDING_COLUMNS``, ``project_row``, ``finding_row``,
``ledger_sheets``) is kept apart from "write the file" (``_write_xlsx``), so the file writing can move to the one
shared workbook writer without touching what goes in it.
"""

from __future__ import annotations

import calendar
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from db.projects.figures import figures_lines, project_figures
from db.projects.findings import list_findings
from db.projects.records import (
    ACCEPTANCE_RESULTS,
    CATEGORIES,
    FINDING_STATUSES,
    KINDS,
    PROJECT_STATUSES,
    Finding,
    Project,
    ProjectFigures,
    finding_as_of,
    project_as_of,
)
from db.projects.service import list_projects
from db.store import Database
from db.workbook.cells import escape_text


class LedgerColumn(NamedTuple):
    """One column of a ledger sheet: ``type`` as in ``db.workbook.format`` (text, choice, date, money, bool, id);
    ``choices`` maps a choice code to its Chinese label; ``width`` in Excel characters."""

    field: str
    header: str
    type: str
    choices: Mapping[Any, str]
    width: float


# (field, Chinese header, type, choices, width) of the ledgers: the monthly workbook sheets 项目台账 and 检查整改
# (declared in ``db.workbook.format`` with the same fields) and the page's own .xlsx export. Types as in
# ``db.workbook.format``: rows carry codes for choices, ``date`` values, money as int fen.
PROJECT_COLUMNS: tuple[LedgerColumn, ...] = (
    LedgerColumn("title", "项目名称", "text", {}, 30),
    LedgerColumn("kind", "项目类型", "choice", KINDS, 12),
    LedgerColumn("category", "类别", "choice", CATEGORIES, 10),
    LedgerColumn("leader", "负责人", "text", {}, 10),
    LedgerColumn("participants", "参与人", "text", {}, 24),
    LedgerColumn("place", "地点（工作面/区域）", "text", {}, 18),
    LedgerColumn("start_on", "开始日期", "date", {}, 12),
    LedgerColumn("due_on", "计划完成日期", "date", {}, 12),
    LedgerColumn("status", "状态", "choice", PROJECT_STATUSES, 8),
    LedgerColumn("status_on", "状态日期", "date", {}, 12),
    LedgerColumn("goal", "目标", "text", {}, 30),
    LedgerColumn("measures", "措施", "text", {}, 30),
    LedgerColumn("latest_progress", "最新进展", "text", {}, 30),
    LedgerColumn("outcome", "成效", "text", {}, 30),
    LedgerColumn("benefit_fen", "效益金额（元）", "money", {}, 12),
    LedgerColumn("acceptance_on", "验收日期", "date", {}, 12),
    LedgerColumn("acceptance_result", "验收结果", "choice", ACCEPTANCE_RESULTS, 8),
    LedgerColumn("uuid", "编号(勿改)", "id", {}, 38),
)
FINDING_COLUMNS: tuple[LedgerColumn, ...] = (
    LedgerColumn("found_on", "发现日期", "date", {}, 12),
    LedgerColumn("source", "检查名称", "text", {}, 20),
    LedgerColumn("problem", "存在问题", "text", {}, 36),
    LedgerColumn("measure", "整改措施", "text", {}, 30),
    LedgerColumn("owner", "责任人", "text", {}, 10),
    LedgerColumn("deadline", "整改时限", "date", {}, 12),
    LedgerColumn("status", "状态", "choice", FINDING_STATUSES, 8),
    LedgerColumn("rectified_on", "整改完成日期", "date", {}, 12),
    LedgerColumn("closed_on", "销号日期", "date", {}, 12),
    LedgerColumn("evidence", "佐证说明", "text", {}, 24),
    LedgerColumn("overdue", "是否逾期", "bool", {}, 8),
    LedgerColumn("uuid", "编号(勿改)", "id", {}, 38),
)


def project_row(p: Project, *, until: date | None = None) -> dict[str, Any]:
    """A project as a ledger row keyed by the fields of ``PROJECT_COLUMNS`` (codes, dates, fen). The latest
    progress entry is the last one on or before ``until`` (any, without it)."""
    latest = [e for e in p.progress if until is None or e.on_date <= until]
    return {
        "uuid": p.uuid,
        "title": p.title,
        "kind": p.kind,
        "category": p.category,
        "leader": p.leader.name if p.leader else "",
        "participants": "、".join(x.name for x in p.participants),
        "place": p.place,
        "start_on": p.start_on,
        "due_on": p.due_on,
        "status": p.status,
        "status_on": p.status_on,
        "goal": p.goal,
        "measures": p.measures,
        "latest_progress": f"{latest[-1].on_date.isoformat()} {latest[-1].note}" if latest else "",
        "outcome": p.outcome,
        "benefit_fen": p.benefit_fen,
        "acceptance_on": p.acceptance_on,
        "acceptance_result": p.acceptance_result or None,
    }


def finding_row(f: Finding, *, on: date) -> dict[str, Any]:
    """A finding as a ledger row keyed by the fields of ``FINDING_COLUMNS``; ``overdue`` is judged on ``on``
    (deadline before ``on`` and not rectified by then)."""
    return {
        "uuid": f.uuid,
        "found_on": f.found_on,
        "source": f.source,
        "problem": f.problem,
        "measure": f.measure,
        "owner": f.owner.name if f.owner else "",
        "deadline": f.deadline,
        "status": f.status,
        "rectified_on": f.rectified_on,
        "closed_on": f.closed_on,
        "evidence": f.evidence,
        "overdue": f.deadline < on and (f.rectified_on is None or f.rectified_on > on),
    }


def _month_bounds(month: date | str) -> tuple[date, date]:
    if isinstance(month, str):
        year, mon = (int(x) for x in month[:7].split("-"))
    else:
        year, mon = month.year, month.month
    return date(year, mon, 1), date(year, mon, calendar.monthrange(year, mon)[1])


def monthly_project_rows(db: Database, *, month: date | str) -> list[dict[str, Any]]:
    """项目台账 rows of the monthly workbook: every project running at some time in ``month`` (``"YYYY-MM"`` or a
    date in it), oldest first, as ``project_row`` of the project as it stood at the month's end."""
    first, last = _month_bounds(month)
    rows = []
    for p in reversed(list_projects(db)):
        if p.start_on > last:
            continue
        p = project_as_of(p, on=last)
        if p.status in ("done", "stopped") and p.status_on < first:
            continue
        rows.append(project_row(p, until=last))
    return rows


def monthly_finding_rows(db: Database, *, month: date | str) -> list[dict[str, Any]]:
    """检查整改 rows of the monthly workbook: findings found by the end of ``month`` and not closed before it
    began, oldest first, as ``finding_row`` of the finding as it stood at the month's end."""
    first, last = _month_bounds(month)
    rows = []
    for f in reversed(list_findings(db)):
        if f.found_on > last:
            continue
        f = finding_as_of(f, on=last)
        if f.closed_on is not None and f.closed_on < first:
            continue
        rows.append(finding_row(f, on=last))
    return rows


def monthly_figures(db: Database, *, month: date | str) -> dict[str, int]:
    """Headline counts of ``project_figures`` for one calendar month, named the same in every branch so HQ
    consolidation can sum them (rates are not summable; HQ recomputes them from these counts)."""
    first, last = _month_bounds(month)
    fig = project_figures(db, start=first, end=last)
    return {
        "项目立项数": fig.started_total,
        "项目完成数": fig.done_total,
        "参与项目党员数": fig.members_participating,
        "在册党员数(项目统计)": fig.members_total,
        "检查发现问题数": fig.findings_found,
        "已整改问题数": fig.findings_rectified,
        "逾期未整改问题数": fig.findings_overdue,
    }


def _cell(value: Any, kind: str, choices: Mapping[Any, str]) -> Any:
    if value is None or value == "":
        return None
    if kind == "choice":
        return choices.get(value, str(value))
    if kind == "money":
        return round(value / 100, 2)
    if kind == "bool":
        return "是" if value else "否"
    if kind == "date":
        return value
    return escape_text(str(value))


@dataclass(frozen=True)
class LedgerSheet:
    """One sheet of the page's ledger export: its name, its columns and its rows (keyed by column field)."""

    name: str
    columns: tuple[LedgerColumn, ...]
    rows: list[dict[str, Any]]


def ledger_sheets(
    *, projects: Sequence[Project] = (), findings: Sequence[Finding] = (), today: date
) -> list[LedgerSheet]:
    """The 项目台账 and/or 检查整改 sheets of the records given, in order (an empty 项目台账 when both are empty);
    a finding's ``overdue`` is judged on ``today``."""
    sheets: list[LedgerSheet] = []
    if projects:
        sheets.append(LedgerSheet("项目台账", PROJECT_COLUMNS, [project_row(p) for p in projects]))
    if findings:
        sheets.append(LedgerSheet("检查整改", FINDING_COLUMNS, [finding_row(f, on=today) for f in findings]))
    if not sheets:
        sheets.append(LedgerSheet("项目台账", PROJECT_COLUMNS, []))
    return sheets


def write_ledger_xlsx(
    path: Any,
    *,
    projects: Sequence[Project] = (),
    findings: Sequence[Finding] = (),
    today: date,
    figures: ProjectFigures | None = None,
) -> Any:
    """Write a 项目台账 and/or 检查整改 sheet (the records given, in order) to the .xlsx file ``path``, plus a
    统计 sheet when ``figures`` is given. Text is formula-escaped, dates are Excel dates, money yuan. Written under
    a temporary name and renamed. Returns the path."""
    sheets = ledger_sheets(projects=projects, findings=findings, today=today)
    lines = figures_lines(figures) if figures is not None else None
    return _write_xlsx(Path(path), sheets=sheets, figures=lines)


def _write_xlsx(
    path: Path, *, sheets: Sequence[LedgerSheet], figures: Sequence[tuple[str, str]] | None
) -> Path:
    """The file itself: one worksheet per sheet (header row frozen), then a 统计 sheet of ``figures`` lines."""
    # Not a cycle: openpyxl costs ~0.5 s to import and the home page imports db.projects at start-up.
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for sheet in sheets:
        ws = wb.create_sheet(sheet.name)
        ws.append([c.header for c in sheet.columns])
        for i, c in enumerate(sheet.columns, start=1):
            ws.column_dimensions[ws.cell(1, i).column_letter].width = c.width
        for row in sheet.rows:
            ws.append([_cell(row.get(c.field), c.type, c.choices) for c in sheet.columns])
            for i, c in enumerate(sheet.columns, start=1):
                if c.type == "date":
                    ws.cell(ws.max_row, i).number_format = "yyyy-mm-dd"
                elif c.type == "money":
                    ws.cell(ws.max_row, i).number_format = "0.00"
        ws.freeze_panes = "A2"
    if figures is not None:
        ws = wb.create_sheet("统计")
        for label, value in figures:
            ws.append([label, value])
        ws.column_dimensions["A"].width = 30
        ws.column_dimensions["B"].width = 40
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.partial")
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path
