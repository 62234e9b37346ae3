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
