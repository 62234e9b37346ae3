"""The Save As dialog of the pages' exports, built one way."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from desktop.qt import *


def save_dialog(
    parent: QWidget, title: str, suggested: str, filter_text: str, chosen: Callable[[Path], object]
) -> QFileDialog:
    """Open a Save As dialog (window-modal ``open()``, never a blocking ``exec()``) on ``suggested`` in the home
    folder; a name typed without an extension gets the one of ``suggested``; ``chosen(path)`` runs with the file.
    Returns the dialog: keep a reference while it is open."""
    dialog = QFileDialog(parent, title, str(Path.home() / suggested), filter_text)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setDefaultSuffix(Path(suggested).suffix.lstrip("."))
    dialog.fileSelected.connect(lambda name: chosen(Path(name)))
    dialog.open()
    return dialog
