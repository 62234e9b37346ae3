"""Table models of the 项目与整改 page: projects (``ProjectsModel``) and inspection findings (``FindingsModel``).

The page gives each model a list of records read with ``db.projects``; models never open a connection.
``SORT_ROLE`` gives a sort key (ISO dates sort chronologically), ``RECORD_ROLE`` the record itself. Rows past
their due date or deadline on ``today`` are drawn in red.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from db.projects import FINDING_STATUSES, Finding, Project, fen_to_yuan

SORT_ROLE = Qt.ItemDataRole.UserRole
RECORD_ROLE = Qt.ItemDataRole.UserRole + 1

_Index = QModelIndex | QPersistentModelIndex
_RED = QColor("#b02a37")
_GREY = QColor("#777777")


def _d(value: date | None) -> str:
    return value.isoformat() if value else ""


PROJECT_COLUMNS: list[tuple[str, str, Callable[[Project], str]]] = [
    ("title", "项目名称", lambda p: p.title),
    ("kind", "类型", lambda p: p.kind_label),
    ("category", "类别", lambda p: p.category_label),
    ("leader", "负责人", lambda p: p.leader.name if p.leader else ""),
    ("participants", "参与人数", lambda p: str(len(p.participants) + (1 if p.leader else 0))),
    ("place", "地点", lambda p: p.place),
    ("start_on", "开始日期", lambda p: _d(p.start_on)),
    ("due_on", "计划完成", lambda p: _d(p.due_on)),
    ("status", "状态", lambda p: p.status_label),
    ("progress", "最新进展", lambda p: f"{_d(p.progress[-1].on_date)} {p.progress[-1].note}" if p.progress else ""),
    ("benefit", "效益（元）", lambda p: fen_to_yuan(p.benefit_fen)),
]
FINDING_COLUMNS: list[tuple[str, str, Callable[[Finding], str]]] = [
    ("found_on", "发现日期", lambda f: _d(f.found_on)),
    ("source", "检查名称", lambda f: f.source),
    ("problem", "存在问题", lambda f: f.problem),
    ("owner", "责任人", lambda f: f.owner.name if f.owner else ""),
    ("deadline", "整改时限", lambda f: _d(f.deadline)),
    ("status", "状态", lambda f: FINDING_STATUSES[f.status]),
    ("rectified_on", "整改完成", lambda f: _d(f.rectified_on)),
    ("closed_on", "销号日期", lambda f: _d(f.closed_on)),
    ("measure", "整改措施", lambda f: f.measure),
]


class _RecordsModel(QAbstractTableModel):
    columns: ClassVar[list[tuple[str, str, Callable[[Any], str]]]] = []
    context = "ProjectsModel"

    def __init__(self, parent: Any = None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self._records: list[Any] = []
        self._today = today or date.today()

    def set_records(self, records: Sequence[Any], *, today: date | None = None) -> None:
        self.beginResetModel()
        self._records = list(records)
        if today is not None:
            self._today = today
        self.endResetModel()

    def records(self) -> list[Any]:
        return list(self._records)

    def record(self, row: int) -> Any:
        return self._records[row]

    def row_of(self, uuid: str) -> int:
        return next((i for i, r in enumerate(self._records) if r.uuid == uuid), -1)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def _foreground(self, record: Any) -> QColor | None:
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._records)):
            return None
        if not (0 <= index.column() < len(self.columns)):
            return None
        record = self._records[index.row()]
        key, _header, value = self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return value(record)
        if role == SORT_ROLE:
            if key in ("participants",):
                return int(value(record))
            if key == "benefit":
                return getattr(record, "benefit_fen", None) or 0
            return value(record)
        if role == RECORD_ROLE:
            return record
        if role == Qt.ItemDataRole.ForegroundRole:
            color = self._foreground(record)
            return QBrush(color) if color is not None else None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(self.columns):
                return QCoreApplication.translate(self.context, self.columns[section][1])
            return None
        return str(section + 1)


class ProjectsModel(_RecordsModel):
    """Read-only table of projects; overdue ones (past due, not done/stopped) in red, stopped ones grey."""

    columns = PROJECT_COLUMNS
    context = "ProjectsModel"

    def _foreground(self, record: Project) -> QColor | None:
        if record.is_overdue(self._today):
            return _RED
        if record.status == "stopped":
            return _GREY
        return None


class FindingsModel(_RecordsModel):
    """Read-only table of inspection findings; overdue ones in red, closed ones grey."""

    columns = FINDING_COLUMNS
    context = "FindingsModel"

    def _foreground(self, record: Finding) -> QColor | None:
        if record.is_overdue(self._today):
            return _RED
        if record.status == "closed":
            return _GREY
        return None
