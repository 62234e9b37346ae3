"""Table helpers shared by the pages: the read-only record lists set up one way, and columns that fit."""

from __future__ import annotations

from desktop.qt import *


def record_table(parent: QWidget, model: QAbstractItemModel, name: str) -> QTableView:
    """A list of records: whole rows, one at a time, never edited in place; in the model's order until a header
    is clicked; alternating colours and rows 26 px high. ``name`` is its object name (tests find it by that)."""
    view = QTableView(parent)
    view.setObjectName(name)
    view.setModel(model)
    view.setSortingEnabled(True)
    view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setDefaultSectionSize(26)
    return view


def fit_columns(view: QTableView, *, stretch: tuple[int, ...]) -> None:
    """Columns as wide as their content, except the free-text ``stretch`` ones, which share the room left (their
    text is cut on screen, whole in the tooltip/export): the last column stays in sight at 1366×768, with no
    sideways scrolling."""
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    for column in stretch:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
