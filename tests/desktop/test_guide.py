"""帮助 → 使用说明 (issue 16): the offline guide opens from the menu, covers the monthly loop and the reminders,
its pictures are the screens ``branchdesk screenshots`` makes, and the bundle ships it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from desktop.context import AppContext
from desktop.dialogs.guide import GUIDE
from desktop.main_window import MainWindow
from desktop.navigation import available_pages
from desktop.screenshots import DIALOG_SHOTS
from tests.desktop.menus import menu_bar_menu

ROOT = Path(__file__).resolve().parents[2]


pytestmark = pytest.mark.usefixtures("isolated_settings")


def test_the_guide_opens_from_the_help_menu(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(AppContext(db))
    qtbot.addWidget(window)
    help_menu = menu_bar_menu(window, "帮助")
    assert "使用说明(&G)" in [a.text() for a in help_menu.actions()]
    window.guide_action.trigger()
    dialog = window.guide_dialog
    assert dialog.isVisible() and dialog.windowTitle() == "使用说明"
    text = dialog.browser.toPlainText()
    for words in (
        "每月的工作",
        "月度报送",
        "返回月度报送",
        "全部标记已缴",
        "提醒事项是什么意思",
        "欠缴党费",
        "规则设置",
    ):
        assert words in text, words
    assert dialog.width() <= 1366 and dialog.height() <= 768 - 60


def test_the_guide_pictures_are_the_programs_screenshots() -> None:
    html = GUIDE.read_text(encoding="utf-8")
    pictures = re.findall(r'<img src="images/([^"]+)\.png"', html)
    assert pictures
    made = {f"page_{info.key}" for info, _ in available_pages()} | {f"dialog_{s}" for s, _ in DIALOG_SHOTS}
    for name in pictures:
        assert name in made, name
        assert (GUIDE.parent / "images" / f"{name}.png").is_file(), name


def test_the_bundle_ships_the_guide() -> None:
    spec = (ROOT / "packaging" / "branchdesk.spec").read_text(encoding="utf-8")
    assert '"guide"' in spec
