"""Errors raised by the data layer.

Every error carries a Simplified Chinese ``message`` meant for the secretary (what happened, where, what to do);
``str(error)`` is that message. The GUI shows it as is and the CLI prints it as one line.
"""

from __future__ import annotations

from dataclasses import dataclass


class BranchDeskError(Exception):
    """Base of every error the data layer raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StoreError(BranchDeskError):
    """The database file cannot be used; it was not modified."""


class NotBranchDeskDatabase(StoreError):
    """The file is not a SQLite database, or is one that Branch Desk did not create."""


class DatabaseCorrupt(StoreError):
    """``PRAGMA quick_check`` failed or the file cannot be read."""


class DatabaseLocked(StoreError):
    """Another running copy of Branch Desk holds the database."""


class DatabaseTooNew(StoreError):
    """The database was written by a newer version of Branch Desk."""


@dataclass(frozen=True)
class Problem:
    """One reason a record cannot be saved (or a warning about it).

    ``field`` is the glossary identifier of the field (``citizen_id``), ``message`` the Chinese reason.
    """

    field: str
    message: str
    warning: bool = False


class ValidationError(BranchDeskError):
    """A write was refused because of the listed problems; nothing was saved."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("；".join(p.message for p in problems))


class NotFound(BranchDeskError):
    """A record with the given identity does not exist."""
