"""What every page and dialog shares: the open database and the one notifier of what data changed."""

from __future__ import annotations

import logging
from typing import Any

from db.errors import BranchDeskError
from db.store import Database
from db.transfers import settle_transfers_out
from desktop.changes import Change
from desktop.qt import *

log = logging.getLogger(__name__)

# What one page asks of another when navigating, e.g. {"party_group": uuid} or {"tab": "committee"}.
Filters = dict[str, Any]


def settle_on_open(db: Database) -> None:
    """What time alone changes, written when a database is opened: letters out whose validity ended without a
    receipt make their members 已转出 (``db.transfers.settle_transfers_out``). A refusal is logged, never shown:
    the roster simply keeps the member 转出中 until the next opening."""
    try:
        settle_transfers_out(db)
    except BranchDeskError as exc:
        log.warning("settling transfers out: %s", exc.message)


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
        if not db.readonly:
            settle_on_open(db)

    def notify(self, *changes: Change | str) -> None:
        """Announce what changed; a plain word is accepted only when it names a ``Change``."""
        for change in changes:
            self.changed.emit(Change(change))

    def navigate(self, page_key: str, filters: Filters | None = None) -> None:
        self.navigate_requested.emit(page_key, filters or {})
