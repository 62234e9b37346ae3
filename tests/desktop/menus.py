"""Finding the main window's menus in tests."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow, QMenu


def menu_bar_menu(window: QMainWindow, title_start: str) -> QMenu:
    """The menu bar's menu whose title starts with ``title_start`` (``"文件"``, ``"帮助"``).

    Found among the menu bar's child menus rather than through ``QAction.menu()``: under PySide6 6.9.3, the pin of
    the glibc 2.31 .deb, ``menu()`` hands back a wrapper whose C++ object counts as already deleted.
    """
    return next(m for m in window.menuBar().findChildren(QMenu) if m.title().startswith(title_start))
