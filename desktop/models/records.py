"""The one read-only table model over a list of frozen records, shared by the pages' lists.

A model subclass declares ``columns`` (``Column``: header, display text, sort key, number alignment) and, if rows
need colour, overrides ``foreground``; a ``DatedRecordsModel`` also knows the day its rows are looked at. The page gives it records read through ``db`` with ``set_rows``; a model
never opens a connection. ``SORT_ROLE`` gives a column's sort key (a QSortFilterProxyModel sorts on it) and
``RECORD_ROLE`` the record of a row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, Generic, TypeVar

from desktop.qt import *

SORT_ROLE = Qt.ItemDataRole.UserRole
RECORD_ROLE = Qt.ItemDataRole.UserRole + 1

_Index = QModelIndex | QPersistentModelIndex
R = TypeVar("R")
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def header_data(
    context: str,
    titles: Sequence[str],
    section: int,
    orientation: Qt.Orientation,
    role: int,
    row_label: Callable[[int], object] = str,
) -> Any:
    """``headerData`` of a table model: a column's title translated in ``context``; rows numbered from 1 by
    ``row_label`` (``str`` or ``int``)."""
    if role != Qt.ItemDataRole.DisplayRole:
        return None
    if orientation == Qt.Orientation.Horizontal:
        return QCoreApplication.translate(context, titles[section]) if 0 <= section < len(titles) else None
    return row_label(section + 1)


class Column(Generic[R]):
    """One column: header, display text, sort key (defaults to the text), right-aligned numbers (amounts,
    counts)."""

    def __init__(
        self,
        header: str,
        text: Callable[[R], str],
        sort: Callable[[R], Any] | None = None,
        *,
        numeric: bool = False,
    ) -> None:
        self.header = header
        self.text = text
        self.sort = sort or text
        self.numeric = numeric


class RecordsModel(QAbstractTableModel, Generic[R]):
    """A read-only table over a list of frozen records and a list of ``Column``."""

    columns: Sequence[Column[Any]] = ()
    context = "RecordsModel"  # translation context of the headers
    id_attribute = "uuid"  # the attribute of a record that ``row_of`` looks for

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[R] = []

    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[R]:
        return list(self._rows)

    def record(self, row: int) -> R:
        return self._rows[row]

    def row_of(self, uuid: str) -> int:
        """The row of the record with this stable id (its ``id_attribute``), or -1."""
        return next((i for i, r in enumerate(self._rows) if getattr(r, self.id_attribute, None) == uuid), -1)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def foreground(self, record: R, column: int) -> QColor | None:
        """The text colour of a cell (None: the default)."""
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        if not 0 <= index.column() < len(self.columns):
            return None
        record = self._rows[index.row()]
        column = self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return column.text(record)
        if role == SORT_ROLE:
            return column.sort(record)
        if role == RECORD_ROLE:
            return record
        if role == Qt.ItemDataRole.TextAlignmentRole and column.numeric:
            return _RIGHT
        if role == Qt.ItemDataRole.ForegroundRole:
            color = self.foreground(record, index.column())
            return QBrush(color) if color is not None else None
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return header_data(self.context, [c.header for c in self.columns], section, orientation, role)


class DatedRecordsModel(RecordsModel[R]):
    """Records whose text or colour depends on the day they are looked at (overdue, months away): ``today``, given
    with the rows (the date the model was made until then)."""

    def __init__(self, parent: Any = None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self.today = today or date.today()

    def set_rows(self, rows: Sequence[R], *, today: date | None = None) -> None:
        if today is not None:
            self.today = today
        super().set_rows(rows)

    def records(self) -> list[R]:
        return self.rows()
