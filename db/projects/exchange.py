"""Projects and findings in Excel: the 项目台账 and 检查整改 sheets of the HQ monthly workbook (rows and figures for
``db.workbook.format``) and the projects page's own ledger export.

"Which rows" (``project_row``, ``finding_row``, ``ledger_sheets``) is kept apart from "write the file"
(``db.workbook.writer``); the columns of both are the declared sheets of ``db.workbook.format``.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from db.projects.figures import figures_lines, project_figures
from db.projects.findings import list_findings
from db.projects.records import Finding, Project, ProjectFigures, finding_as_of, project_as_of
from db.projects.service import list_projects
from db.store import Database
from db.workbook.format import Column
from db.workbook.page_columns import FINDING_LEDGER_COLUMNS, PROJECT_FIGURES_COLUMNS, PROJECT_LEDGER_COLUMNS
from db.workbook.writer import SheetSpec, XlsxBook, atomic_path

# The ledgers' columns (``format.Column``): those of the monthly workbook sheets 项目台账 and 检查整改, which the
# page's own .xlsx export writes too. Rows carry codes for choices, dates, money as int fen.
PROJECT_COLUMNS = PROJECT_LEDGER_COLUMNS
FINDING_COLUMNS = FINDING_LEDGER_COLUMNS


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
    begun = (project_as_of(p, on=last) for p in reversed(list_projects(db)) if p.start_on <= last)
    ended_before = ("done", "stopped")
    return [
        project_row(p, until=last) for p in begun if not (p.status in ended_before and p.status_on < first)
    ]


def monthly_finding_rows(db: Database, *, month: date | str) -> list[dict[str, Any]]:
    """检查整改 rows of the monthly workbook: findings found by the end of ``month`` and not closed before it
    began, oldest first, as ``finding_row`` of the finding as it stood at the month's end."""
    first, last = _month_bounds(month)
    found = (finding_as_of(f, on=last) for f in reversed(list_findings(db)) if f.found_on <= last)
    return [finding_row(f, on=last) for f in found if f.closed_on is None or f.closed_on >= first]


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


def ledger_sheets(
    *, projects: Sequence[Project] = (), findings: Sequence[Finding] = (), today: date
) -> list[SheetSpec]:
    """The 项目台账 and/or 检查整改 sheets of the records given, in order (an empty 项目台账 when both are empty);
    a finding's ``overdue`` is judged on ``today``."""
    sheets: list[SheetSpec] = []
    if projects:
        sheets.append(_ledger("项目台账", PROJECT_COLUMNS, [project_row(p) for p in projects]))
    if findings:
        sheets.append(_ledger("检查整改", FINDING_COLUMNS, [finding_row(f, on=today) for f in findings]))
    if not sheets:
        sheets.append(_ledger("项目台账", PROJECT_COLUMNS, []))
    return sheets


def _ledger(title: str, columns: Sequence[Column], rows: list[dict[str, Any]]) -> SheetSpec:
    return SheetSpec(title, columns, rows, dropdowns=False)


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
    path: Path, *, sheets: Sequence[SheetSpec], figures: Sequence[tuple[str, str]] | None
) -> Path:
    """The file itself: one worksheet per sheet (header row frozen), then a 统计 sheet of ``figures`` lines."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        book = XlsxBook(tmp)
        for sheet in sheets:
            book.write_table(sheet)
        if figures is not None:
            book.write_pairs(
                book.add_sheet("统计"), PROJECT_FIGURES_COLUMNS, figures, bold=lambda index, row: False
            )
        book.close()
    return path
