"""The yearly 党内统计 as far as a branch feeds it (issue 19): the roster's changes with their national reasons
(``changes``), the declarative tables (``tables``), the report with its balance (``compute``), saving and marking
final (``saved``), the workbook and JSON (``export``) and HQ's consolidation of many branches (``consolidate``)."""

from db.statistics.changes import (
    ADD_REASONS,
    LEAVING_DETAILS,
    REASONS,
    REMOVE_REASONS,
    TRANSFER_DETAILS,
    Change,
    ManualChange,
    all_changes,
    record_change,
    roster_on,
    validate_change,
)
from db.statistics.compute import (
    Balance,
    Cell,
    Difference,
    Report,
    TableResult,
    not_begun,
    saved_report,
    yearly_report,
)
from db.statistics.export import figures_json, report_json_text, write_report
from db.statistics.saved import save_report
from db.statistics.tables import TABLES, VERSION, Line, Table

__all__ = [
    "ADD_REASONS",
    "LEAVING_DETAILS",
    "REASONS",
    "REMOVE_REASONS",
    "TABLES",
    "TRANSFER_DETAILS",
    "VERSION",
    "Balance",
    "Cell",
    "Change",
    "Difference",
    "Line",
    "ManualChange",
    "Report",
    "Table",
    "TableResult",
    "all_changes",
    "figures_json",
    "not_begun",
    "record_change",
    "report_json_text",
    "roster_on",
    "save_report",
    "saved_report",
    "validate_change",
    "write_report",
    "yearly_report",
]
