"""The db.projects package: the names the old module offered stay reachable (imports and the string lookups of
other parts), required dates are read strictly, and the ledger's sheets are decided apart from writing the file."""

from __future__ import annotations

from datetime import date

import pytest

from db import parts, projects
from db.projects.common import required_date
from tests.db._project_branch import TODAY, add_people, project

# Every public name of the former db/projects.py module, which callers and tests import from db.projects.
FORMER_NAMES = [
    "KINDS",
    "TEAM_KINDS",
    "CATEGORIES",
    "PROJECT_STATUSES",
    "TRANSITIONS",
    "ACCEPTANCE_RESULTS",
    "FINDING_STATUSES",
    "FINDING_ACTIONS",
    "Person",
    "ProgressEntry",
    "Transition",
    "Project",
    "FindingEvent",
    "Finding",
    "ProjectFigures",
    "Reminder",
    "yuan_to_fen",
    "fen_to_yuan",
    "get_project",
    "list_projects",
    "project_status_counts",
    "clean_project_values",
    "validate_project",
    "add_project",
    "update_project",
    "allowed_transitions",
    "transition_project",
    "add_progress",
    "record_acceptance",
    "get_finding",
    "list_findings",
    "finding_status_counts",
    "clean_finding_values",
    "validate_finding",
    "add_finding",
    "update_finding",
    "rectify_finding",
    "close_finding",
    "reopen_finding",
    "project_figures",
    "format_rate",
    "project_reminders",
    "PROJECT_COLUMNS",
    "FINDING_COLUMNS",
    "project_row",
    "finding_row",
    "project_as_of",
    "finding_as_of",
    "monthly_project_rows",
    "monthly_finding_rows",
    "monthly_figures",
    "write_ledger_xlsx",
    "figures_lines",
    "demo_projects",
]


def test_every_former_name_is_still_offered_by_db_projects() -> None:
    missing = [name for name in FORMER_NAMES if not hasattr(projects, name)]
    assert missing == []
    assert set(FORMER_NAMES) <= set(projects.__all__)


def test_the_registry_names_the_projects_functions() -> None:
    assert parts.PROJECTS.reminders is projects.project_reminders
    assert parts.PROJECTS.demo is projects.demo_projects
    sources = {source.sheet.key: source for source in parts.PROJECTS.sheets}
    assert sources["projects"].rows is projects.monthly_project_rows
    assert sources["projects"].figures is projects.monthly_figures
    assert sources["findings"].rows is projects.monthly_finding_rows


def test_required_date_reads_a_stored_date_and_refuses_an_empty_one() -> None:
    assert required_date("2025-03-01") == date(2025, 3, 1)
    assert required_date(date(2025, 3, 1)) == date(2025, 3, 1)
    for empty in (None, ""):
        with pytest.raises(ValueError):
            required_date(empty)
    with pytest.raises(ValueError):
        required_date("not a date")


def test_ledger_sheets_decide_names_columns_and_rows_without_writing(db) -> None:  # type: ignore[no-untyped-def]
    p = add_people(db)
    made = project(db, p, title="=A", leader="张一", start_on=date(2025, 3, 1))
    finding = projects.add_finding(
        db,
        values={
            "found_on": date(2025, 3, 1),
            "source": "季度检查",
            "problem": "记录不全",
            "deadline": date(2025, 3, 10),
        },
        today=TODAY,
    )
    [empty] = projects.ledger_sheets(today=TODAY)
    assert (empty.title, empty.columns, empty.rows) == ("项目台账", projects.PROJECT_COLUMNS, [])
    ledger, checks = projects.ledger_sheets(projects=[made], findings=[finding], today=TODAY)
    assert [ledger.title, checks.title] == ["项目台账", "检查整改"]
    assert [row["uuid"] for row in ledger.rows] == [made.uuid]
    assert set(ledger.rows[0]) == {c.field for c in ledger.columns}
    assert checks.rows[0]["overdue"] is True  # deadline 2025-03-10, still open on TODAY
    assert [c.header for c in checks.columns][:3] == ["发现日期", "检查名称", "存在问题"]
