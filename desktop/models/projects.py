"""Table models of the 项目与整改 page: projects (``ProjectsModel``) and inspection findings (``FindingsModel``).

The page gives each model a list of records read with ``db.projects``; models never open a connection.
``SORT_ROLE`` gives a sort key (ISO dates sort chronologically), ``RECORD_ROLE`` the record itself. Rows past
their due date or deadline on ``today`` are drawn in red.
"""

from __future__ import annotations

from datetime import date

from db.projects import FINDING_STATUSES, Finding, Project, fen_to_yuan
from desktop.models.records import RECORD_ROLE, SORT_ROLE, Column, DatedRecordsModel
from desktop.qt import *

__all__ = ["RECORD_ROLE", "SORT_ROLE", "FindingsModel", "ProjectsModel"]

_RED = QColor("#b02a37")
_GREY = QColor("#777777")


def _d(value: date | None) -> str:
    return value.isoformat() if value else ""


def _people(p: Project) -> int:
    return len(p.participants) + (1 if p.leader else 0)


PROJECT_COLUMNS: list[Column[Project]] = [
    Column("项目名称", lambda p: p.title),
    Column("类型", lambda p: p.kind_label),
    Column("类别", lambda p: p.category_label),
    Column("负责人", lambda p: p.leader.name if p.leader else ""),
    Column("参与人数", lambda p: str(_people(p)), _people),
    Column("地点", lambda p: p.place),
    Column("开始日期", lambda p: _d(p.start_on)),
    Column("计划完成", lambda p: _d(p.due_on)),
    Column("状态", lambda p: p.status_label),
    Column("最新进展", lambda p: f"{_d(p.progress[-1].on_date)} {p.progress[-1].note}" if p.progress else ""),
    Column("效益（元）", lambda p: fen_to_yuan(p.benefit_fen), lambda p: p.benefit_fen or 0, numeric=True),
]
FINDING_COLUMNS: list[Column[Finding]] = [
    Column("发现日期", lambda f: _d(f.found_on)),
    Column("检查名称", lambda f: f.source),
    Column("存在问题", lambda f: f.problem),
    Column("责任人", lambda f: f.owner.name if f.owner else ""),
    Column("整改时限", lambda f: _d(f.deadline)),
    Column("状态", lambda f: FINDING_STATUSES[f.status]),
    Column("整改完成", lambda f: _d(f.rectified_on)),
    Column("销号日期", lambda f: _d(f.closed_on)),
    Column("整改措施", lambda f: f.measure),
]


class ProjectsModel(DatedRecordsModel[Project]):
    """Read-only table of projects; overdue ones (past due, not done/stopped) in red, stopped ones grey."""

    columns = PROJECT_COLUMNS
    context = "ProjectsModel"

    def foreground(self, record: Project, column: int) -> QColor | None:
        if record.is_overdue(self.today):
            return _RED
        if record.status == "stopped":
            return _GREY
        return None


class FindingsModel(DatedRecordsModel[Finding]):
    """Read-only table of inspection findings; overdue ones in red, closed ones grey."""

    columns = FINDING_COLUMNS
    context = "FindingsModel"

    def foreground(self, record: Finding, column: int) -> QColor | None:
        if record.is_overdue(self.today):
            return _RED
        if record.status == "closed":
            return _GREY
        return None
