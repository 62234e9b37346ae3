"""Projects (党员创新工程, 书记项目, 示范岗/责任区/突击队 …) and inspection findings (党建检查问题) to closure.

GLOSSARY: Projects and inspections. Every write is one transaction with its audit entries; nothing is deleted:
a project ends by a status change (done 已完成 / stopped 终止), a finding is closed (销号) and can be reopened
with a reason. Money (成效 amount) is integer fen. Dates are ``datetime.date``.

The package, by job:

- ``records``: kinds, categories, statuses and their labels; the frozen records; money and history replay.
- ``service``: reading and writing projects; ``lifecycle``: their status transitions, progress log, acceptance.
- ``findings``: reading and writing inspection findings (rectify, close, reopen).
- ``figures``: the figures HQ asks for over a period; ``reminders``: overdue findings and projects.
- ``exchange``: the monthly workbook's 项目台账 / 检查整改 rows and the page's ledger export.
- ``demo``: the demo branch's projects and findings.

Everything public is re-exported here, so ``db.projects.<name>`` (imports, and the ``getattr`` lookups of
``db.reminders``, ``db.demo``, ``db.workbook.format`` and the home page) keeps working.
"""

from db.projects.demo import demo_projects
from db.projects.exchange import (
    FINDING_COLUMNS,
    PROJECT_COLUMNS,
    finding_row,
    ledger_sheets,
    monthly_figures,
    monthly_finding_rows,
    monthly_project_rows,
    project_row,
    write_ledger_xlsx,
)
from db.projects.figures import figures_lines, format_rate, project_figures
from db.projects.findings import (
    add_finding,
    clean_finding_values,
    close_finding,
    finding_status_counts,
    get_finding,
    list_findings,
    rectify_finding,
    reopen_finding,
    update_finding,
    validate_finding,
)
from db.projects.lifecycle import add_progress, record_acceptance, transition_project
from db.projects.records import (
    ACCEPTANCE_RESULTS,
    CATEGORIES,
    FINDING_ACTIONS,
    FINDING_STATUSES,
    KINDS,
    PROJECT_STATUSES,
    TEAM_KINDS,
    TRANSITIONS,
    Finding,
    FindingEvent,
    Person,
    ProgressEntry,
    Project,
    ProjectFigures,
    Reminder,
    Transition,
    allowed_transitions,
    fen_to_yuan,
    finding_as_of,
    project_as_of,
    yuan_to_fen,
)
from db.projects.reminders import project_reminders
from db.projects.service import (
    add_project,
    clean_project_values,
    get_project,
    list_projects,
    project_status_counts,
    update_project,
    validate_project,
)

__all__ = [
    "ACCEPTANCE_RESULTS",
    "CATEGORIES",
    "FINDING_ACTIONS",
    "FINDING_COLUMNS",
    "FINDING_STATUSES",
    "KINDS",
    "PROJECT_COLUMNS",
    "PROJECT_STATUSES",
    "TEAM_KINDS",
    "TRANSITIONS",
    "Finding",
    "FindingEvent",
    "Person",
    "ProgressEntry",
    "Project",
    "ProjectFigures",
    "Reminder",
    "Transition",
    "add_finding",
    "add_progress",
    "add_project",
    "allowed_transitions",
    "clean_finding_values",
    "clean_project_values",
    "close_finding",
    "demo_projects",
    "fen_to_yuan",
    "figures_lines",
    "finding_as_of",
    "finding_row",
    "finding_status_counts",
    "format_rate",
    "get_finding",
    "get_project",
    "ledger_sheets",
    "list_findings",
    "list_projects",
    "monthly_figures",
    "monthly_finding_rows",
    "monthly_project_rows",
    "project_as_of",
    "project_figures",
    "project_reminders",
    "project_row",
    "project_status_counts",
    "record_acceptance",
    "rectify_finding",
    "reopen_finding",
    "transition_project",
    "update_finding",
    "update_project",
    "validate_finding",
    "validate_project",
    "write_ledger_xlsx",
    "yuan_to_fen",
]
