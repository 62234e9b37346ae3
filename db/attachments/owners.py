"""The records a file can be placed on by hand (导入扫描件's 手动归档, the 附件 button of each page): for each kind
of ``OWNER_KINDS`` that names a record of the branch, its records as (uuid, label), newest first.

``printout`` (a printed sheet filed by its QR code) and ``template`` (a branch's Word template, owner id = the
document kind) are files of the program, not of a record, and are not offered.
"""

from __future__ import annotations

from collections.abc import Callable

from db import development, meetings, members, projects, transfers
from db.attachments.records import OWNER_KINDS
from db.development.queries import all_steps
from db.store import Database

Choices = list[tuple[str, str]]


def _meetings(db: Database) -> Choices:
    found = sorted(meetings.list_meetings(db), key=lambda m: m.held_on, reverse=True)
    return [(m.uuid, f"{m.held_on.isoformat()} {m.title}（{m.number_text}）") for m in found]


def _members(db: Database) -> Choices:
    return [
        (m.uuid, m.name + ("" if m.status == "active" else "（已减员）"))
        for m in members.list_members(db, status=None)
    ]


def _projects(db: Database) -> Choices:
    return [(p.uuid, f"{p.start_on.isoformat()} {p.title}") for p in projects.list_projects(db)]


def _findings(db: Database) -> Choices:
    return [(f.uuid, f"{f.found_on.isoformat()} {f.problem}") for f in projects.list_findings(db)]


def _transfers(db: Database) -> Choices:
    direction = {"in": "转入", "out": "转出"}
    return [
        (t.uuid, f"{t.issued_on.isoformat()} {direction.get(t.direction, '')} {t.member_name}（{t.serial}）")
        for t in transfers.list_transfers(db)
    ]


def _development_steps(db: Database) -> Choices:
    names = {p.uuid: p.name for p in development.list_people(db, include_left=True)}
    steps = [
        (s.on, s.uuid, f"{s.on.isoformat()} {names.get(person, '')} {development.STEP_KINDS[s.kind].label}")
        for person, found in all_steps(db).items()
        for s in found
        if s.kind in development.STEP_KINDS and not s.voided
    ]
    return [(uuid, label) for _on, uuid, label in sorted(steps, reverse=True)]


_SOURCES: dict[str, Callable[[Database], Choices]] = {
    "meeting": _meetings,
    "member": _members,
    "project": _projects,
    "finding": _findings,
    "transfer": _transfers,
    "development_step": _development_steps,
}
# Every kind a file may be added to by hand, in OWNER_KINDS order (a new kind with a source is offered at once).
PLACEABLE: dict[str, str] = {k: label for k, label in OWNER_KINDS.items() if k in _SOURCES}


def owner_choices(db: Database, *, kind: str) -> Choices:
    """The records of ``kind`` a file can be placed on, newest first, as (uuid, label)."""
    return _SOURCES[kind](db)
