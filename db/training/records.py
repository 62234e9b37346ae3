"""Records and vocabulary of the training hours (党员教育培训学时): importable without the service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# Where an entry of a member's ledger comes from. 'attendance' is worked out from the meetings attended (never
# stored); the others are rows of ``training_records``.
ENTRY_KINDS: dict[str, str] = {
    "attendance": "参加会议",
    "meeting": "补学",
    "external": "外部培训",
}


@dataclass(frozen=True)
class TrainingRecord:
    """A stored ledger entry: external training, or the make-up study (补学) of a meeting (``meeting_uuid``)."""

    uuid: str
    member_uuid: str
    member_name: str
    year: int
    on: date
    hours: float
    kind: str
    title: str
    source: str
    meeting_uuid: str | None
    note: str
    archived: bool
    archived_reason: str
    created_at: str


@dataclass(frozen=True)
class LedgerEntry:
    """One line of a member's yearly ledger: credited attendance of a meeting, or a stored record."""

    on: date
    hours: float
    kind: str
    title: str
    source: str = ""
    meeting_uuid: str | None = None
    record_uuid: str | None = None  # the stored record (None for credited attendance)

    @property
    def kind_label(self) -> str:
        return ENTRY_KINDS[self.kind]


@dataclass(frozen=True)
class Shortfall:
    """A member below the year's target: ``hours`` credited so far against ``target``."""

    member_uuid: str
    name: str
    hours: float
    target: float
    committee: bool  # the target is the one of the secretary and committee members

    @property
    def missing(self) -> float:
        return max(self.target - self.hours, 0.0)


def hours_text(hours: float) -> str:
    """Hours as a list shows them: ``32``, ``2.5``."""
    return f"{hours:g}"
