"""The pages' filter combo boxes, refilled one way."""

from __future__ import annotations

from collections.abc import Iterable

from desktop.qt import *


def refill_choices(
    combo: QComboBox, everything: str, items: Iterable[tuple[str, object]], *, default: object = None
) -> None:
    """Replace the choices of a filter: first ``everything`` (no filter, data None), then ``items`` (text, data).
    The chosen entry stays chosen if it is still there (with nothing chosen yet, ``default``); otherwise the first.
    No change signal is emitted: the caller reloads once afterwards."""
    current = combo.currentData()
    if current is None:
        current = default
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(everything, None)
    for text, data in items:
        combo.addItem(text, data)
    combo.setCurrentIndex(max(combo.findData(current), 0))
    combo.blockSignals(False)


def search_combo(parent: QWidget, placeholder: str) -> QComboBox:
    """A combo box to type into: what is typed finds the entries containing it (a member by part of the name);
    nothing typed is ever added as an entry."""
    combo = QComboBox(parent)
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.setMinimumWidth(240)
    line_edit, completer = combo.lineEdit(), combo.completer()
    assert line_edit is not None and completer is not None  # an editable combo has both
    line_edit.setPlaceholderText(placeholder)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    return combo
