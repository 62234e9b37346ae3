"""Reading the development pipeline: people with where they stand, and their steps (the timeline).

Rows become records by column name (``db.rows``); every person is returned with the next step, its due day and the
number of rules their steps break, computed by ``db.development.rules``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from db import members
from db.development.records import (
    STAGE_ORDER,
    STAGES,
    STEP_KINDS,
    DevelopmentPerson,
    DevelopmentStep,
    RuleWarning,
    StepMember,
)
from db.development.rules import active_steps, check_rules, first_step, next_step
from db.errors import NotFound
from db.records import from_row
from db.rows import children, query, query_one, where
from db.rules import normalize_text, parse_date
from db.store import Database

PERSON_SELECT = """
    SELECT p.id, p.uuid, p.name, p.gender, p.ethnicity, p.birth_date, p.citizen_id, p.education, p.job, p.mobile,
           p.education_class, p.post_code, p.tech_title, p.front_line, p.league_recommended,
           g.uuid AS party_group_uuid, COALESCE(g.name, '') AS party_group_name, p.stage, p.status, p.status_on,
           p.status_reason, m.uuid AS member_uuid, p.notes, p.created_at, p.updated_at
    FROM development_people p
    LEFT JOIN party_groups g ON g.id = p.party_group_id
    LEFT JOIN members m ON m.id = p.member_id
"""

STEP_SELECT = """
    SELECT s.id, s.uuid, p.uuid AS person_uuid, s.kind, s.on_date, s.number, s.days, s.hours, s.votes_for,
           s.votes_against, s.votes_abstain, s.months, s.note, s.warnings, s.reason, s.voided, s.void_reason,
           s.created_at, s.entitled, s.present, s.excluded, s.excluded_note, mt.uuid AS meeting_uuid,
           mt.planned_on AS meeting_on, mt.topic AS meeting_title
    FROM development_steps s JOIN development_people p ON p.id = s.person_id
    LEFT JOIN meetings mt ON mt.id = s.meeting_id
"""


def steps_from_rows(db: Database, rows: Sequence[Mapping[str, Any]]) -> list[DevelopmentStep]:
    """Steps from rows of ``STEP_SELECT``, each with the roster members it names (mentors or introducers)."""
    if not rows:
        return []
    people = children(
        db,
        "SELECT sm.step_id, m.uuid, m.name FROM development_step_members sm JOIN members m ON m.id = sm.member_id "
        "WHERE sm.step_id IN ({ids}) ORDER BY sm.id",
        [r["id"] for r in rows],
        key="step_id",
        make=lambda named: StepMember(named["uuid"], named["name"]),
    )
    return [
        from_row(
            DevelopmentStep,
            r,
            on=date.fromisoformat(r["on_date"]),
            meeting_label=f"{r['meeting_on']} {r['meeting_title']}".strip() if r["meeting_uuid"] else "",
            members=tuple(people.get(r["id"], ())),
            warnings=tuple(w for w in r["warnings"].split("\n") if w),
        )
        for r in rows
    ]


def list_steps(db: Database, *, person_uuid: str, include_voided: bool = True) -> list[DevelopmentStep]:
    """A person's steps in date order (the timeline); voided steps included unless asked otherwise."""
    rows = query(db, STEP_SELECT + " WHERE p.uuid = ? ORDER BY s.on_date, s.id", [person_uuid])
    steps = steps_from_rows(db, rows)
    return steps if include_voided else [s for s in steps if not s.voided]


def get_step(db: Database, *, step_uuid: str) -> DevelopmentStep:
    """The step with this stable id. Raises ``NotFound``."""
    steps = steps_from_rows(db, query(db, STEP_SELECT + " WHERE s.uuid = ?", [step_uuid]))
    if not steps:
        raise NotFound("找不到该步骤记录")
    return steps[0]


def all_steps(db: Database) -> dict[str, list[DevelopmentStep]]:
    """Every step of every person (voided included), by person uuid, each list in date order."""
    by_person: dict[str, list[DevelopmentStep]] = {}
    for step in steps_from_rows(db, query(db, STEP_SELECT + " ORDER BY s.on_date, s.id")):
        by_person.setdefault(step.person_uuid, []).append(step)
    return by_person


def person_from_row(row: Mapping[str, Any], steps: Sequence[DevelopmentStep]) -> DevelopmentPerson:
    """A person from a row of ``PERSON_SELECT`` and their steps (which set the dates, next step and warnings)."""
    stage, status = row["stage"], row["status"]
    app = first_step(steps, "application")
    advancing = [s for s in active_steps(steps) if STEP_KINDS[s.kind].advances_to == stage]
    what, due = next_step(stage=stage, status=status, steps=steps)
    return from_row(
        DevelopmentPerson,
        row,
        applied_on=app.on if app else None,
        stage_since=advancing[0].on if advancing else None,
        next_step=what,
        next_due=due,
        warning_count=len(check_rules(birth_date=parse_date(row["birth_date"]), steps=steps)),
    )


def person_rows(
    db: Database, filters: Mapping[str, Any] | None = None, *conditions: str
) -> list[dict[str, Any]]:
    """Rows of ``PERSON_SELECT`` in entry order, filtered as ``rows.where`` reads ``filters`` and ``conditions``."""
    clause, params = where(filters or {}, *conditions)
    return query(db, PERSON_SELECT + clause + " ORDER BY p.id", params)


def get_person(db: Database, *, uuid: str) -> DevelopmentPerson:
    """The person with this stable id. Raises ``NotFound``."""
    row = query_one(db, PERSON_SELECT + " WHERE p.uuid = ?", [uuid])
    if row is None:
        raise NotFound(f"找不到该发展对象记录（{uuid}）")
    return person_from_row(row, list_steps(db, person_uuid=uuid))


def list_people(
    db: Database,
    *,
    stage: str | None = None,
    status: str | None = None,
    include_left: bool = False,
    query: str = "",
) -> list[DevelopmentPerson]:
    """People of the pipeline, by stage (applicant first) and application date.

    ``stage``/``status`` filter exactly; people who left are listed only with ``include_left`` or
    ``status='left'``; ``query`` matches the name, pinyin initials or the last digits of the citizen ID.
    """
    hidden = () if status or include_left else ("p.status != 'left'",)
    rows = person_rows(db, {"p.stage = ?": stage or None, "p.status = ?": status or None}, *hidden)
    by_person = all_steps(db)
    people = [person_from_row(r, by_person.get(r["uuid"], [])) for r in rows]
    q = normalize_text(query).lower().replace(" ", "")
    if q:

        def hit(p: DevelopmentPerson) -> bool:
            if q in p.name.lower():
                return True
            if q.isascii() and q.isalpha():
                return any(q in v for v in members.name_initials(p.name).split())
            return len(q) >= 3 and bool(p.citizen_id) and p.citizen_id.lower().endswith(q)  # type: ignore[union-attr]

        people = [p for p in people if hit(p)]
    return sorted(people, key=lambda p: (STAGE_ORDER.index(p.stage), p.applied_on or date.max, p.name))


def stage_counts(db: Database, *, include_left: bool = False) -> dict[str, int]:
    """Number of people per stage (every stage present, zero when empty); people who left are not counted."""
    counts = dict.fromkeys(STAGES, 0)
    sql = "SELECT stage, count(*) AS n FROM development_people"
    if not include_left:
        sql += " WHERE status != 'left'"
    for row in query(db, sql + " GROUP BY stage"):
        counts[row["stage"]] = int(row["n"])
    return counts


def person_warnings(db: Database, *, uuid: str) -> list[RuleWarning]:
    """Every rule the person's recorded steps break (stays visible after saving with a reason)."""
    person = get_person(db, uuid=uuid)
    return check_rules(birth_date=person.birth_date, steps=list_steps(db, person_uuid=uuid))
