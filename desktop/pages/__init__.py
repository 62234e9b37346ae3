"""The pages of the main window, in navigation order.

Each page is a module ``desktop.pages.<key>`` defining ``class Page(BasePage)``. The main window shows the pages
whose module exists, in the order of ``PAGES``; a part of the work adds its page by creating its module.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from desktop.context import AppContext


@dataclass(frozen=True)
class PageInfo:
    key: str
    title: str  # Chinese, translated through QCoreApplication.translate("pages", …)
    icon: str  # file name in resources/icons, may be missing


def _t(text: str) -> str:
    return QCoreApplication.translate("pages", text)


PAGES: tuple[PageInfo, ...] = (
    PageInfo("home", "首页", "home.svg"),
    PageInfo("members", "党员名册", "members.svg"),
    PageInfo("development", "发展党员", "development.svg"),
    PageInfo("meetings", "会议记录", "meetings.svg"),
    PageInfo("projects", "项目与整改", "projects.svg"),
    PageInfo("dues", "党费", "dues.svg"),
    PageInfo("transfers", "组织关系", "transfers.svg"),
    PageInfo("exchange", "报送与导入", "exchange.svg"),
    PageInfo("settings", "支部设置", "settings.svg"),
)


class BasePage(QWidget):
    """A page of the main window: built from the context, refreshed when data changes.

    ``refresh()`` reloads from the database; ``apply_filters(dict)`` is called when another page navigates here
    with filters (e.g. the home page opening the roster of one party group).
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx

    def refresh(self) -> None:
        """Reload what the page shows from ``self.ctx.db``."""

    def apply_filters(self, filters: dict) -> None:
        """Show the page filtered as asked by another page."""


def available_pages() -> list[tuple[PageInfo, type[BasePage]]]:
    """The pages whose module exists, with their ``Page`` class, in navigation order."""
    found = []
    for info in PAGES:
        try:
            module = importlib.import_module(f"desktop.pages.{info.key}")
        except ModuleNotFoundError as exc:
            if exc.name == f"desktop.pages.{info.key}":
                continue
            raise
        found.append((info, module.Page))
    return found


def page_title(info: PageInfo) -> str:
    return _t(info.title)
