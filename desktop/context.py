"""What every page and dialog shares: the open database and the one notifier of what data changed."""

from __future__ import annotations

from typing import Any

from db.store import Database
from desktop.changes import Change
from desktop.qt import *

# What one page asks of another when navigating, e.g. {"party_group": uuid} or {"tab": "committee"}.
Filters = dict[str, Any]


class AppContext(QObject):
    """The open database and change notifications.

    An operation (``desktop.operations``) that wrote calls ``notify(Change.MEMBERS, …)`` afterwards; every page
    listens to ``changed`` (one ``Change`` per emission) and refreshes what it shows.
    """

    changed = Signal(object)  # a desktop.changes.Change
    # Ask the main window to show a page, e.g. navigate("members", {"party_group": uuid}).
    navigate_requested = Signal(str, dict)

    def __init__(self, db: Database) -> None:
        super().__init__()
        self.db = db

    def notify(self, *changes: Change | str) -> None:
        """Announce what changed; a plain word is accepted only when it names a ``Change``."""
        for change in changes:
            self.changed.emit(Change(change))

    def navigate(self, page_key: str, filters: Filters | None = None) -> None:
        self.navigate_requested.emit(page_key, filters or {})
