"""Table models of the branch profile page: party groups (党小组) and committee members (支委).

Both hold lists of frozen records given by the page (``db.branch.list_party_groups`` / ``list_committee``) and
never open a connection. ``RECORD_ROLE`` gives the record of a row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt

from db.records import COMMITTEE_ROLES, CommitteeMember, PartyGroup

RECORD_ROLE = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex
T = TypeVar("T")


class _RecordsModel(QAbstractTableModel, Generic[T]):
    """Read-only rows of records; columns are (header, value) pairs."""

    columns: ClassVar[list[tuple[str, Callable[[Any], str]]]] = []

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[T] = []

    def set_records(self, rows: list[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def record(self, row: int) -> T:
        return self._rows[row]

    def rowCount(self, parent: _Index | None = None) -> int:  # Qt API name
        return 0 if parent is not None and parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index | None = None) -> int:  # Qt API name
        return 0 if parent is not None and parent.isValid() else len(self.columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        item = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.columns[index.column()][1](item)
        if role == RECORD_ROLE:
            return item
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            return QCoreApplication.translate("BranchModels", self.columns[section][0])
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None


class PartyGroupsModel(_RecordsModel[PartyGroup]):
    columns: ClassVar[list[tuple[str, Callable[[Any], str]]]] = [
        ("党小组", lambda g: g.name),
        ("组长", lambda g: g.leader_name or "（未设）"),
        ("在册党员", lambda g: str(g.member_count)),
    ]


class CommitteeModel(_RecordsModel[CommitteeMember]):
    columns: ClassVar[list[tuple[str, Callable[[Any], str]]]] = [
        ("职务", lambda c: COMMITTEE_ROLES.get(c.role, c.role)),
        ("姓名", lambda c: c.member_name),
        ("任职日期", lambda c: c.since.isoformat() if c.since else ""),
        ("离任日期", lambda c: c.until.isoformat() if c.until else ""),
    ]
