"""Errors raised by the data layer.

Every error carries a Simplified Chinese ``message`` meant for the secretary (what happened, where, what to do);
``str(error)`` is that message. The GUI shows it as is and the CLI prints it as one line.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any


class BranchDeskError(Exception):
    """Base of every error the data layer raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StoreError(BranchDeskError):
    """The database file cannot be used; it was not modified.

    ``reason`` is a stable code for what the file is (``missing``, ``empty``, ``damaged``, ``encrypted``,
    ``damaged_encrypted``, ``wrong_password``, ``too_new``, ``foreign``, ``locked``, ``disk_full``, ``read_only``);
    ``store`` for any other refusal.
    """

    reason = "store"

    def __init_subclass__(cls, *, reason: str = "", **kwargs: Any) -> None:
        """``class DatabaseLocked(StoreError, reason="locked")``: each kind of refusal names its code."""
        super().__init_subclass__(**kwargs)
        if reason:
            cls.reason = reason


class DatabaseMissing(StoreError, reason="missing"):
    """The file does not exist (and was not to be created)."""


class NotBranchDeskDatabase(StoreError, reason="foreign"):
    """The file is not a SQLite database, or is one that Branch Desk did not create."""


class DatabaseCorrupt(StoreError, reason="damaged"):
    """``PRAGMA quick_check`` failed or the file cannot be read (a damaged plain database)."""


class DatabaseEmpty(DatabaseCorrupt, reason="empty"):
    """The file is zero bytes long (or holds only zero bytes): typically a copy cut off at its start. Never
    turned into a new database; like every damaged file it leads to the recovery from a backup."""


class EncryptedDatabaseCorrupt(DatabaseCorrupt, reason="damaged_encrypted"):
    """An encrypted database whose password is right but some of whose pages are damaged."""


class DatabaseLocked(StoreError, reason="locked"):
    """Another running copy of Branch Desk holds the database."""


class DatabaseTooNew(StoreError, reason="too_new"):
    """The database was written by a newer version of Branch Desk."""


class DiskFull(StoreError, reason="disk_full"):
    """A write failed because the disk (or medium) is full; what was being written was not kept."""


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


def raise_if(problems: Iterable[Problem]) -> None:
    """Raise ``ValidationError`` with the problems that block saving (warnings are left out), if there are any."""
    errors = [p for p in problems if not p.warning]
    if errors:
        raise ValidationError(errors)


def date_problems(
    field: str,
    label: str,
    on: date | None,
    *,
    today: date,
    after: tuple[str, date] | None = None,
    missing: str = "",
) -> list[Problem]:
    """The problems of a date that may lie neither in the future nor before the date of an earlier event,
    ``after`` = (its label, its date): 「结束日期不能早于外出日期 2026-03-01」, 「结束日期不能晚于今天」. A date not
    given (None, or a value that is not a date) is 「请填写结束日期」, or ``missing`` when the form words it otherwise."""
    if not isinstance(on, date):
        return [Problem(field, missing or f"请填写{label}")]
    problems = []
    if after is not None and on < after[1]:
        problems.append(Problem(field, f"{label}不能早于{after[0]} {after[1]:%Y-%m-%d}"))
    if on > today:
        problems.append(Problem(field, f"{label}不能晚于今天"))
    return problems


class NotFound(BranchDeskError):
    """A record with the given identity does not exist."""
