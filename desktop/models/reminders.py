"""Table model of the home page's reminders (``db.reminders.Reminder`` records given by the page)."""

from __future__ import annotations

from typing import Any

from db.reminders import Reminder
from desktop.models.records import header_data
from desktop.qt import *

RECORD_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
_Index = QModelIndex | QPersistentModelIndex

COLUMNS = ("级别", "事项", "涉及", "起始日期")


class ReminderModel(QAbstractTableModel):
    """Read-only rows: severity, what, who, since. ``RECORD_ROLE`` gives the ``Reminder``."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Reminder] = []

    def set_reminders(self, rows: list[Reminder]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def reminder(self, row: int) -> Reminder:
        return self._rows[row]

    def rowCount(self, parent: _Index | None = None) -> int:  # Qt API name
        return 0 if parent is not None and parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index | None = None) -> int:  # Qt API name
        return 0 if parent is not None and parent.isValid() else len(COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        r = self._rows[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if col == 0:
                return QCoreApplication.translate(
                    "ReminderModel", "紧急" if r.severity == "urgent" else "一般"
                )
            if col == 1:
                return r.what
            if col == 2:
                return r.who
            return r.since.isoformat()
        if role == SORT_ROLE:
            # urgent first, then oldest first, when sorted by the 级别 column
            return (
                f"{0 if r.severity == 'urgent' else 1}{r.since.isoformat()}"
                if col == 0
                else (r.what, r.who, r.since.isoformat())[col - 1]
            )
        if role == Qt.ItemDataRole.ForegroundRole and r.severity == "urgent" and col in (0, 3):
            return QBrush(QColor("#b02a37"))
        if role == RECORD_ROLE:
            return r
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return header_data("ReminderModel", COLUMNS, section, orientation, role)
