"""The Save As dialog of the pages' exports, built one way."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget


def save_dialog(
    parent: QWidget,
    title: str,
    suggested: str,
    filter_text: str,
    suffix: str,
    chosen: Callable[[Path], object],
) -> QFileDialog:
    """A Save As dialog (not shown yet: call ``open()``, never a blocking ``exec()``) starting on ``suggested`` in
    the home folder; the file name gets ``suffix`` when typed without one, and ``chosen(path)`` runs with it."""
    dialog = QFileDialog(parent, title, str(Path.home() / suggested), filter_text)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setDefaultSuffix(suffix)
    dialog.fileSelected.connect(lambda name: chosen(Path(name)))
    return dialog
