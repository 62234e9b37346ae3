"""The print preview every printout uses: one QPrintPreviewDialog construction, with the printer kept alive.

QPrintPreviewDialog keeps only a C++ pointer to its QPrinter; if Python frees the printer when the building
function returns, the preview paints on a deleted object and the process crashes. Building every preview here
keeps that fix in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop.qt import *
from desktop.qt import QPrinter, QPrintPreviewDialog  # printing: not in the star import


class _PreviewDialog(QPrintPreviewDialog):
    """A preview that keeps its printer alive: QPrintPreviewDialog does not own the QPrinter it paints on.

    With ``word`` (a printout that has a Word form, issue 21) its toolbar offers 「Word 文档…」: the same record
    written as a .docx from the branch's template (``save_word``)."""

    def __init__(
        self, printer: QPrinter, parent: QWidget | None, word: Callable[[Path], object] | None, name: str
    ) -> None:
        super().__init__(printer, parent)
        self._own_printer = printer
        self._word = word
        self.word_action: QAction | None = None
        self._save: QFileDialog | None = None
        if word is not None:
            toolbar = self.findChild(QToolBar)
            self.word_action = QAction(self.tr("Word 文档…"), self)
            self.word_action.setToolTip(self.tr("按支部的 Word 模板保存为 .docx（可在 Word、WPS 中修改）"))
            self.word_action.triggered.connect(lambda: self._ask_word(name))
            if toolbar is not None:
                toolbar.addSeparator()
                toolbar.addAction(self.word_action)

    def _ask_word(self, name: str) -> None:
        from desktop.widgets.files import save_dialog

        self._save = save_dialog(
            self, self.tr("保存为 Word 文档"), f"{name}.docx", self.tr("Word 文档 (*.docx)"), self.save_word
        )

    def save_word(self, path: Path) -> Path | None:
        """Write the Word form at ``path``; a bad template or an unwritable folder is one message box."""
        from db.errors import BranchDeskError
        from desktop.tasks import show_error

        assert self._word is not None
        try:
            self._word(path)
        except (BranchDeskError, OSError) as exc:
            show_error(self, self.tr("保存为 Word 文档"), exc)
            return None
        return path


def preview_dialog(
    parent: QWidget | None,
    *,
    title: str,
    paint: Callable[[QPrinter], Any],
    page_layout: QPageLayout | None = None,
    size: tuple[int, int] = (1100, 680),
    word: Callable[[Path], object] | None = None,
) -> QPrintPreviewDialog:
    """A print preview (not shown yet: call ``open()``) that paints with ``paint(printer)``; its toolbar prints
    through the same layout (and ``word(path)`` writes its Word form, when given). Its size never exceeds ``MAX_SIZE`` or the screen's free area."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if page_layout is not None:
        printer.setPageLayout(page_layout)
    printer.setDocName(title)
    dialog = _PreviewDialog(printer, parent, word, title)
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
