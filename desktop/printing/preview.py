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


class _PreviewDialog(QPrintPreviewDialog):
    """A preview that keeps its printer alive: QPrintPreviewDialog does not own the QPrinter it paints on."""

    def __init__(self, printer: QPrinter, parent: QWidget | None) -> None:
        super().__init__(printer, parent)
        self._own_printer = printer


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
    dialog = _PreviewDialog(printer, parent)
    dialog.setWindowTitle(QCoreApplication.translate("QPrintPreviewDialog", "打印预览 - {0}").format(title))
    dialog.paintRequested.connect(paint)
    dialog.resize(*size)
    return dialog
