"""帮助 → 使用说明: the offline guide (resources/guide/index.html, its screenshots beside it) in a browser window.

The guide ships in the bundle (packaging/branchdesk.spec copies resources/guide). Its pictures are screens made by
``branchdesk screenshots`` (``page_<key>.png``, ``dialog_<stem>.png``), copied into resources/guide/images.
"""

from __future__ import annotations

from desktop.paths import RESOURCES
from desktop.qt import *

GUIDE = RESOURCES / "guide" / "index.html"


class GuideDialog(QDialog):
    """The guide, non-modal, sized to fit a 1366×768 screen; links inside it stay inside it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("使用说明"))
        self.resize(820, 680)
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("guide")
        self.browser.setOpenExternalLinks(False)
        if GUIDE.is_file():
            self.browser.setSource(QUrl.fromLocalFile(str(GUIDE)))
        else:
            self.browser.setPlainText(self.tr("找不到使用说明文件：{0}").format(GUIDE))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)


def screenshot_dialog(ctx: object, parent: QWidget) -> QWidget:
    """For ``desktop.screenshots``: the guide at its start."""
    return GuideDialog(parent)
