"""The base of every page of the main window; the pages themselves are listed in ``desktop.navigation``.

Each page is a module ``desktop.pages.<key>`` defining ``class Page(BasePage)``; a part of the work adds its page
by creating its module, one line in ``desktop.navigation.PAGES`` and its import in ``desktop.navigation.page_class``.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.context import AppContext, Filters
from desktop.i18n import translator
from desktop.qt import *


@dataclass(frozen=True)
class PageInfo:
    key: str
    title: str  # Chinese, translated through QCoreApplication.translate("pages", …)
    icon_name: str | None = None  # file name in resources/icons (may be missing); None: ``<key>.svg``

    @property
    def icon(self) -> str:
        return self.icon_name or f"{self.key}.svg"


_t = translator("pages")


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

    def apply_filters(self, filters: Filters) -> None:
        """Show the page filtered as asked by another page."""


def page_title(info: PageInfo) -> str:
    return _t(info.title)
