"""The shared print preview keeps its printer alive and paints through the given layout."""

from __future__ import annotations

import gc

from PySide6.QtGui import QPainter
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewWidget

from desktop.printing.preview import preview_dialog


def test_preview_paints_after_garbage_collection(qtbot):
    painted: list[str] = []

    def paint(printer: QPrinter) -> None:
        painter = QPainter(printer)
        painter.drawText(100, 100, "党员名册")
        painter.end()
        painted.append(printer.docName())

    dialog = preview_dialog(None, title="党员名册", paint=paint)
    qtbot.addWidget(dialog)
    gc.collect()  # the builder returned: only the dialog holds the printer now
    dialog.open()
    widget = dialog.findChild(QPrintPreviewWidget)
    widget.updatePreview()
    qtbot.waitUntil(lambda: len(painted) >= 1)
    assert painted[-1] == "党员名册"
    assert "党员名册" in dialog.windowTitle()


def test_previews_fit_a_1366_by_768_screen(qtbot):
    """Every preview is built by ``preview_dialog``: however large a printout asks for, it fits the screen."""
    for size in ((1100, 680), (900, 900), (1600, 1200)):
        dialog = preview_dialog(None, title="党员名册", paint=lambda printer: None, size=size)
        qtbot.addWidget(dialog)
        frame = 48  # title bar and frame the window manager adds
        assert dialog.width() <= 1366 and dialog.height() + frame <= 768 - 40, size
