"""The bar a list shows while a link (the monthly close's 去处理) narrows it: what is shown, and 显示全部."""

from __future__ import annotations

from desktop.qt import *


class OnlyBar(QWidget):
    """Hidden until ``set_text`` gives a text; 显示全部 emits ``show_all``."""

    show_all = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(self)
        self.label.setObjectName("only")
        self.label.setStyleSheet("color: #997404;")
        self.button = QPushButton(self.tr("显示全部"), self)
        self.button.setObjectName("show_all")
        self.button.clicked.connect(self.show_all)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button)
        self.setVisible(False)

    def set_text(self, text: str | None) -> None:
        """Show the bar with ``text``, or hide it (None)."""
        self.label.setText(text or "")
        self.setVisible(text is not None)
