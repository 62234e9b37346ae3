"""The print preview every printout uses: one QPrintPreviewDialog construction, with the printer kept alive.

QPrintPreviewDialog keeps only a C++ pointer to its QPrinter; if Python frees the printer when the building
function returns, the preview paints on a deleted object and the process crashes. Building every preview here
keeps that fix in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desktop.qt import *


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
    size: tuple[int, int] = (1100, 680),
) -> QPrintPreviewDialog:
    """A print preview (not shown yet: call ``open()``) that paints with ``paint(printer)``; its toolbar prints
    through the same layout. Its size never exceeds ``MAX_SIZE`` or the screen's free area."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if page_layout is not None:
        printer.setPageLayout(page_layout)
    printer.setDocName(title)
    dialog = _PreviewDialog(printer, parent)
    dialog.setWindowTitle(QCoreApplication.translate("QPrintPreviewDialog", "打印预览 - {0}").format(title))
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
