"""What every page and dialog shares: the open database and a signal saying that data changed."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from db.store import Database


class AppContext(QObject):
    """The open database and change notifications.

    A page that writes calls ``notify(part)`` afterwards (part: "members", "meetings", "dues", "projects",
    "branch", "exchange", …); every page listens to ``changed`` and refreshes what it shows.
    """

    changed = Signal(str)
    # Ask the main window to show a page, e.g. navigate("members", {"party_group": uuid}).
    navigate_requested = Signal(str, dict)

    def __init__(self, db: Database) -> None:
        super().__init__()
        self.db = db

    def notify(self, part: str) -> None:
        self.changed.emit(part)

    def navigate(self, page_key: str, filters: dict | None = None) -> None:
        self.navigate_requested.emit(page_key, filters or {})
