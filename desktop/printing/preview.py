"""The print preview every printout uses: one QPrintPreviewDialog construction, with the printer kept alive.

QPrintPreviewDialog keeps only a C++ pointer to its QPrinter; if Python frees the printer when the building
function returns, the preview paints on a deleted object and the process crashes. Building every preview here
keeps that fix in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QPageLayout
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget


def preview_dialog(
    parent: QWidget | None,
    *,
    title: str,
    paint: Callable[[QPrinter], Any],
    page_layout: QPageLayout | None = None,
    size: tuple[int, int] = (1100, 800),
) -> QPrintPreviewDialog:
    """A print preview (not shown yet: call ``open()``) that paints with ``paint(printer)``; its toolbar prints
    through the same layout."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if page_layout is not None:
        printer.setPageLayout(page_layout)
    printer.setDocName(title)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog._printer = printer  # type: ignore[attr-defined]  # the dialog does not own it: keep it alive
    dialog.setWindowTitle(QCoreApplication.translate("QPrintPreviewDialog", "打印预览 - {0}").format(title))
    dialog.paintRequested.connect(paint)
    dialog.resize(*size)
    return dialog
