"""Records and vocabulary of projects and inspection findings: what the rest of the program receives.

Kinds, categories, statuses and their Chinese labels are named here, so a page or another part can name a project
kind or a finding status without importing the service (the labels the format table shares are defined in
``db.vocabulary``). Money is integer fen (``yuan_to_fen``, ``fen_to_yuan``);
``project_as_of`` and ``finding_as_of`` replay a record's dated history to the end of a given day.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation

from db import vocabulary
from db.records import MemberRef, PartReminder
from db.rules import normalize_text

# --- glossary values ----------------------------------------------------------------------------------------

KINDS: dict[str, str] = vocabulary.PROJECT_KINDS
# Kinds that are standing arrangements of members at a place for a period rather than a piece of work.
TEAM_KINDS = ("model_post", "responsibility_area", "commando_team")
CATEGORIES: dict[str, str] = vocabulary.PROJECT_CATEGORIES
PROJECT_STATUSES: dict[str, str] = vocabulary.PROJECT_STATUSES
# The allowed moves of a project's status; anything else is refused.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "planned": ("ongoing", "stopped"),
    "ongoing": ("done", "stopped"),
    "done": (),
    "stopped": (),
}
ACCEPTANCE_RESULTS: dict[str, str] = vocabulary.ACCEPTANCE_RESULTS
FINDING_STATUSES: dict[str, str] = vocabulary.FINDING_STATUSES
FINDING_ACTIONS: dict[str, str] = {"rectify": "整改完成", "close": "销号", "reopen": "重新打开"}


# --- records ------------------------------------------------------------------------------------------------


Person = MemberRef  # a member as a project or finding refers to them


@dataclass(frozen=True)
class ProgressEntry:
    uuid: str
    on_date: date
    note: str


@dataclass(frozen=True)
class Transition:
    uuid: str
    from_status: str
    to_status: str
    on_date: date
    reason: str


@dataclass(frozen=True)
class Project:
    """A project of any kind; ``participants`` excludes the leader; ``benefit_fen`` is yuan × 100."""

    id: int
    uuid: str
    title: str
    kind: str
    category: str
    leader: Person | None
    participants: tuple[Person, ...]
    place: str
    start_on: date
    due_on: date | None
    status: str
    status_on: date
    goal: str
    measures: str
    outcome: str
    benefit_fen: int | None
    acceptance_on: date | None
    acceptance_result: str
    acceptance_note: str
    notes: str
    progress: tuple[ProgressEntry, ...]
    transitions: tuple[Transition, ...]
    created_at: str
    updated_at: str

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    @property
    def category_label(self) -> str:
        return CATEGORIES[self.category]

    @property
    def status_label(self) -> str:
        return PROJECT_STATUSES[self.status]

    def is_overdue(self, today: date) -> bool:
        return self.due_on is not None and self.due_on < today and self.status in ("planned", "ongoing")


@dataclass(frozen=True)
class FindingEvent:
    uuid: str
    action: str
    on_date: date
    note: str


@dataclass(frozen=True)
class Finding:
    """An inspection finding (党建检查问题) and its rectification."""

    id: int
    uuid: str
    found_on: date
    source: str
    problem: str
    measure: str
    owner: Person | None
    deadline: date
    status: str
    rectified_on: date | None
    closed_on: date | None
    evidence: str
    events: tuple[FindingEvent, ...]
    created_at: str
    updated_at: str
    meeting_uuid: str | None = (
        None  # the 组织生活会 whose 整改清单 this item is (issue 20); None: an inspection
    )

    @property
    def status_label(self) -> str:
        return FINDING_STATUSES[self.status]

    def is_overdue(self, today: date) -> bool:
        """Deadline passed and not rectified; the deadline day itself is not overdue."""
        return self.status == "open" and self.deadline < today


@dataclass(frozen=True)
class ProjectFigures:
    """The figures HQ asks for over ``[start, end]`` (both days included).

    - ``started``: projects whose start date is in the period, per category; ``done``: projects whose status
      became done in the period, per category (every category is a key, zero included).
    - ``completion_rate``: of the projects started in the period, the share done by ``end`` (stopped ones count
      as not done); None when none started.
    - ``participation_rate``: members on the roster at ``end`` who lead or take part in at least one project
      running during the period (started by ``end``, not ended before ``start``) / members on the roster at
      ``end``; None when the roster is empty.
    - findings: ``found`` (found in the period), ``rectified`` (a rectification registered in the period, even if
      reopened later), ``overdue`` (found by ``end``, deadline before ``end`` and open at the end of ``end``).
    """

    start: date
    end: date
    started: Mapping[str, int]
    done: Mapping[str, int]
    started_total: int
    done_total: int
    started_done: int
    completion_rate: float | None
    members_total: int
    members_participating: int
    participation_rate: float | None
    findings_found: int
    findings_rectified: int
    findings_overdue: int


# A project's or finding's reminder: the plain ``PartReminder`` (the name is kept for callers of ``db.projects``).
Reminder = PartReminder


# --- money and history --------------------------------------------------------------------------------------


def yuan_to_fen(value: object) -> int | None:
    """``"1234.5"`` → 123450. Empty gives None. Raises ``ValueError`` with a Chinese reason for bad text."""
    text = normalize_text(value).replace(",", "").replace("，", "").removesuffix("元")
    if not text:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError("金额应为数字（单位：元）") from exc
    if amount < 0:
        raise ValueError("金额不能为负数")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError("金额最多保留两位小数")
    return int(amount * 100)


def fen_to_yuan(fen: int | None) -> str:
    """123450 → ``"1234.50"``; None → ``""``."""
    if fen is None:
        return ""
    return f"{fen // 100}.{fen % 100:02d}"


def allowed_transitions(status: str) -> tuple[str, ...]:
    """The statuses a project in ``status`` may move to."""
    return TRANSITIONS.get(status, ())


def project_as_of(p: Project, *, on: date) -> Project:
    """The project as it stood at the end of day ``on``: status from its dated transitions, progress entries and
    acceptance up to that day (the fields themselves are as now)."""
    status, status_on = "planned", p.start_on
    for t in p.transitions:
        if t.on_date <= on:
            status, status_on = t.to_status, t.on_date
    accepted = p.acceptance_on is not None and p.acceptance_on <= on
    return replace(
        p,
        status=status,
        status_on=status_on,
        progress=tuple(e for e in p.progress if e.on_date <= on),
        transitions=tuple(t for t in p.transitions if t.on_date <= on),
        acceptance_on=p.acceptance_on if accepted else None,
        acceptance_result=p.acceptance_result if accepted else "",
        acceptance_note=p.acceptance_note if accepted else "",
    )


def finding_as_of(f: Finding, *, on: date) -> Finding:
    """The finding as it stood at the end of day ``on``, replaying its rectify/close/reopen history."""
    status, rect, closed = "open", None, None
    for e in f.events:
        if e.on_date > on:
            continue
        if e.action == "rectify":
            status, rect = "rectified", e.on_date
        elif e.action == "close":
            status, closed = "closed", e.on_date
        else:
            status, rect, closed = "open", None, None
    return replace(
        f,
        status=status,
        rectified_on=rect,
        closed_on=closed,
        events=tuple(e for e in f.events if e.on_date <= on),
    )
