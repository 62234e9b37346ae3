"""The base of every page of the main window; the pages themselves are listed in ``desktop.navigation``.

Each page is a module ``desktop.pages.<key>`` defining ``class Page(BasePage)``; a part of the work adds its page
by creating its module and one line in ``desktop.navigation.PAGES``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from desktop.changes import Change
from desktop.context import AppContext, Filters
from desktop.i18n import translator
from desktop.qt import *


@dataclass(frozen=True)
class PageInfo:
    key: str
    title: str  # Chinese, translated through QCoreApplication.translate("pages", …)
    icon: str  # file name in resources/icons, may be missing


_t = translator("pages")


class BasePage(QWidget):
    """A page of the main window: built from the context, refreshed when data changes.

    ``refresh()`` reloads from the database; ``apply_filters(dict)`` is called when another page navigates here
    with filters (e.g. the home page opening the roster of one party group).

    **Which day it is.** Every rule a page shows is checked against ``today()``: the real date, read at each call,
    unless the page was given a fixed day — ``Page(ctx, today=date(…))`` or, for a page the main window built,
    ``page.pin_today(date(…))`` (tests and screenshots pin it this way; ``pin_today(None)`` goes back to the real
    date).
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._pinned_day = today
        self._refresh_changes: frozenset[Change] = frozenset()
        self._reload_on_change: Callable[[], None] = self.refresh

    def today(self) -> date:
        """The day the page's rules are checked against: the pinned day, else the real today."""
        return self._pinned_day or date.today()

    def pin_today(self, day: date | None) -> None:
        """Fix the day ``today()`` returns (None: the real date again); the caller refreshes when it needs to."""
        self._pinned_day = day

    def refresh_on(self, changes: Iterable[Change], reload: Callable[[], None] | None = None) -> None:
        """Reload (``refresh()``, or ``reload``) whenever a user action notifies one of ``changes``."""
        self._refresh_changes = frozenset(changes)
        if reload is not None:
            self._reload_on_change = reload
        self.ctx.changed.connect(self._refresh_if_changed)

    def _refresh_if_changed(self, change: Change) -> None:
        if change in self._refresh_changes:
            self._reload_on_change()

    def refresh(self) -> None:
        """Reload what the page shows from ``self.ctx.db``."""

    def apply_filters(self, filters: Filters) -> None:
        """Show the page filtered as asked by another page."""


def page_title(info: PageInfo) -> str:
    return _t(info.title)
