"""Helpers shared by the project and the finding services: free text, stored dates, members by uuid."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from db.errors import Problem, ValidationError
from db.projects.records import Person
from db.rows import query_one
from db.rules import parse_date
from db.store import Database


def plain(value: object) -> str:
    """Free text as stored: stripped only. (NFKC would turn Chinese full-width punctuation such as ，into ASCII.)"""
    return "" if value is None else str(value).strip()


def iso(d: date | None) -> str | None:
    """A date as stored (``YYYY-MM-DD``); None for none."""
    return d.isoformat() if d else None


def required_date(value: object) -> date:
    """A stored date of a NOT NULL column as ``date``. Raises ``ValueError`` when it is empty or not a date, so a
    broken row fails where it is read rather than as a ``None`` somewhere later."""
    parsed = parse_date(value)
    if parsed is None:
        raise ValueError(f"a required date is missing: {value!r}")
    return parsed


def person(uuid: str | None, name: str | None) -> Person | None:
    """The member a project or finding refers to (from a LEFT JOIN on members), or None when there is none."""
    return Person(uuid, name or "") if uuid else None


@dataclass(frozen=True)
class RosterMember:
    """A member as a write needs them: the row id to link and the name for the audit entry."""

    id: int
    name: str


def roster_member(db: Database, member_uuid: str) -> RosterMember:
    """The member with this uuid. Raises ``ValidationError`` when they are not on the roster."""
    row = query_one(db, "SELECT id, name FROM members WHERE uuid = ?", [member_uuid])
    if row is None:
        raise ValidationError([Problem("participants", "所选党员不在名册中")])
    return RosterMember(int(row["id"]), row["name"])
