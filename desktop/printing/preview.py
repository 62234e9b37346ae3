"""The print preview every printout uses: one QPrintPreviewDialog construction, with the printer kept alive.

QPrintPreviewDialog keeps only a C++ pointer to its QPrinter; if Python frees the printer when the building
function returns, the preview paints on a deleted object and the process crashes. Building every preview here
keeps that fix in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QGuiApplication, QPageLayout
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget


def preview_dialog(
    parent: QWidget | None,
    *,
    title: str,
    paint: Callable[[QPrinter], Any],
    page_layout: QPageLayout | None = None,
    size: tuple[int, int] = (1100, 680),
) -> QPrintPreviewDialog:
    """A print preview (not shown yet: call ``open()``) that paints with ``paint(printer)``; its toolbar prints
    through the same layout. Its size never exceeds ``MAX_SIZE`` or the screen's free area."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if page_layout is not None:
        printer.setPageLayout(page_layout)
    printer.setDocName(title)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog._printer = printer  # type: ignore[attr-defined]  # the dialog does not own it: keep it alive
    dialog.setWindowTitle(QPrintPreviewDialog.tr("打印预览 - {0}").format(title))
    dialog.paintRequested.connect(paint)
    dialog.resize(*fit_size(size, parent))
    return dialog


# A 1366×768 screen less a taskbar (40 px) and the window's title bar and frame (about 48 px).
MAX_SIZE = (1340, 680)


def fit_size(size: tuple[int, int], parent: QWidget | None = None) -> tuple[int, int]:
    """``size`` shrunk to fit ``MAX_SIZE`` and the free area of the screen the dialog opens on."""
    width, height = min(size[0], MAX_SIZE[0]), min(size[1], MAX_SIZE[1])
    screen = parent.screen() if parent is not None else QGuiApplication.primaryScreen()
    if screen is not None:
        free = screen.availableGeometry()
        width, height = min(width, free.width() - 20), min(height, free.height() - 60)
    return max(width, 400), max(height, 300)
