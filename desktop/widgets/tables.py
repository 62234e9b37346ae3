"""Table helpers shared by the pages."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QTableView


def fit_columns(view: QTableView, *, stretch: tuple[int, ...]) -> None:
    """Columns as wide as their content, except the free-text ``stretch`` ones, which share the room left (their
    text is cut on screen, whole in the tooltip/export): the last column stays in sight at 1366×768, with no
    sideways scrolling."""
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    for column in stretch:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
