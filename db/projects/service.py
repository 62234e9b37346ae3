"""Projects (党员创新工程, 书记项目, 示范岗/责任区/突击队 …): reading and writing.

Every write is one transaction with its audit entries; nothing is deleted: a project ends by a status change
(done 已完成 / stopped 终止). Status: planned → ongoing → done, planned/ongoing → stopped; each transition is dated,
kept in ``project_transitions`` and audited. Money (成效 amount) is integer fen. Dates are ``datetime.date``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from db import audit, edits, rows
from db.errors import NotFound, Problem, raise_if
from db.projects.common import RosterMember, person, plain, required_date, roster_member
from db.projects.records import (
    CATEGORIES,
    KINDS,
    PROJECT_STATUSES,
    Person,
    ProgressEntry,
    Project,
    Transition,
    yuan_to_fen,
)
from db.records import STATUSES as MEMBER_STATUSES
from db.records import from_row
from db.rules import normalize_text, parse_date
from db.store import Database

# --- reading ------------------------------------------------------------------------------------------------

_PROJECT_SELECT = """
    SELECT p.id, p.uuid, p.title, p.kind, p.category, m.uuid AS leader_uuid, m.name AS leader_name, p.place,
           p.start_on, p.due_on, p.status, p.status_on, p.goal, p.measures, p.outcome, p.benefit_fen,
           p.acceptance_on, p.acceptance_result, p.acceptance_note, p.notes, p.created_at, p.updated_at
    FROM projects p LEFT JOIN members m ON m.id = p.leader_id
"""


def _project(
    row: Mapping[str, Any],
    *,
    participants: Sequence[Person],
    progress: Sequence[ProgressEntry],
    transitions: Sequence[Transition],
) -> Project:
    return from_row(
        Project,
        row,
        leader=person(row["leader_uuid"], row["leader_name"]),
        participants=tuple(participants),
        progress=tuple(progress),
        transitions=tuple(transitions),
    )


def _projects_from_rows(db: Database, found: Sequence[Mapping[str, Any]]) -> list[Project]:
    """Records of the project rows ``found`` (of ``_PROJECT_SELECT``) with participants, progress and transitions."""
    if not found:
        return []
    ids = [r["id"] for r in found]
    participants = rows.children(
        db,
        "SELECT pp.project_id, m.uuid, m.name FROM project_participants pp JOIN members m ON m.id = pp.member_id "
        "WHERE pp.project_id IN ({ids}) ORDER BY pp.id",
        ids,
        key="project_id",
        make=lambda r: Person(r["uuid"], r["name"]),
    )
    progress = rows.children(
        db,
        "SELECT project_id, uuid, on_date, note FROM project_progress WHERE project_id IN ({ids}) "
        "ORDER BY on_date, id",
        ids,
        key="project_id",
        make=lambda r: ProgressEntry(r["uuid"], required_date(r["on_date"]), r["note"]),
    )
    transitions = rows.children(
        db,
        "SELECT project_id, uuid, from_status, to_status, on_date, reason FROM project_transitions "
        "WHERE project_id IN ({ids}) ORDER BY on_date, id",
        ids,
        key="project_id",
        make=lambda r: Transition(
            r["uuid"], r["from_status"], r["to_status"], required_date(r["on_date"]), r["reason"]
        ),
    )
    return [
        _project(
            r,
            participants=participants[r["id"]],
            progress=progress[r["id"]],
            transitions=transitions[r["id"]],
        )
        for r in found
    ]


def get_project(db: Database, *, uuid: str) -> Project:
    """The project with this stable id, with participants, progress log and transitions. Raises ``NotFound``."""
    found = rows.query(db, _PROJECT_SELECT + " WHERE p.uuid = ?", [uuid])
    if not found:
        raise NotFound(f"找不到该项目（{uuid}）")
    return _projects_from_rows(db, found)[0]


def list_projects(
    db: Database,
    *,
    kind: str | None = None,
    category: str | None = None,
    status: str | None = None,
    year: int | None = None,
    member_uuid: str | None = None,
    query: str = "",
) -> list[Project]:
    """Projects, newest start first. Filters are exact; ``year`` keeps projects running at some time in that
    year (started by its end, due or ended not before its start); ``member_uuid`` keeps projects the member leads
    or takes part in; ``query`` matches title, place or a person's name.
    """
    where: list[str] = []
    params: list[Any] = []
    for col, value in (("p.kind", kind), ("p.category", category), ("p.status", status)):
        if value:
            where.append(f"{col} = ?")
            params.append(value)
    if year:
        first, last = date(year, 1, 1).isoformat(), date(year, 12, 31).isoformat()
        where.append("p.start_on <= ?")
        params.append(last)
        where.append(
            "(CASE WHEN p.status IN ('done', 'stopped') THEN p.status_on ELSE COALESCE(p.due_on, '9999-12-31') END)"
            " >= ?"
        )
        params.append(first)
    if member_uuid:
        where.append(
            "(m.uuid = ? OR p.id IN (SELECT pp.project_id FROM project_participants pp JOIN members x "
            "ON x.id = pp.member_id WHERE x.uuid = ?))"
        )
        params += [member_uuid, member_uuid]
    q = normalize_text(query)
    if q:
        like = f"%{q}%"
        where.append(
            "(p.title LIKE ? OR p.place LIKE ? OR m.name LIKE ? OR p.id IN (SELECT pp.project_id FROM "
            "project_participants pp JOIN members x ON x.id = pp.member_id WHERE x.name LIKE ?))"
        )
        params += [like, like, like, like]
    sql = (
        _PROJECT_SELECT
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY p.start_on DESC, p.id"
    )
    return _projects_from_rows(db, rows.query(db, sql, params))


def project_status_counts(db: Database, *, year: int | None = None) -> dict[str, int]:
    """How many projects are in each status (every status a key), optionally of those running in ``year``."""
    counts = dict.fromkeys(PROJECT_STATUSES, 0)
    for p in list_projects(db, year=year):
        counts[p.status] += 1
    return counts


# --- validation and writing ---------------------------------------------------------------------------------

_PROJECT_TEXT = ("title", "place", "goal", "measures", "outcome", "notes")


def clean_project_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """Normalise a project form: text stripped, dates as ``date``, participants as a list of unique uuids,
    ``benefit`` (yuan text) converted to ``benefit_fen``. Unknown keys raise ``KeyError``."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key in _PROJECT_TEXT:
            out[key] = plain(value)
        elif key in ("kind", "category"):
            out[key] = normalize_text(value)
        elif key in ("start_on", "due_on"):
            out[key] = parse_date(value) if not isinstance(value, date) else value
        elif key == "leader":
            out[key] = value or None
        elif key == "participants":
            out[key] = list(dict.fromkeys(u for u in (value or []) if u))
        elif key == "benefit_fen":
            out[key] = None if value in (None, "") else int(value)
        elif key == "benefit":
            out["benefit_fen"] = value  # converted (with its error) in validate_project
        else:
            raise KeyError(key)
    return out


def validate_project(db: Database, *, values: Mapping[str, Any], uuid: str | None = None) -> list[Problem]:
    """Every reason the project form cannot be saved, in Chinese, field by field (empty list: it can be saved).

    Checks: title, kind and category present and known; start date present; due date not before start; a leader;
    leader and participants on the roster and not archived before the project started; for an existing project
    (``uuid``), the start not after its first dated status change, progress entry or acceptance.
    """
    problems: list[Problem] = []
    v = dict(values)
    if not v.get("title"):
        problems.append(Problem("title", "请填写项目名称"))
    if v.get("kind") not in KINDS:
        problems.append(Problem("kind", "请选择项目类型"))
    if v.get("category") not in CATEGORIES:
        problems.append(Problem("category", "请选择项目类别（技术创新、生产运营、经营管理、党建工作）"))
    start, due = v.get("start_on"), v.get("due_on")
    if not isinstance(start, date):
        problems.append(Problem("start_on", "请填写开始日期"))
    if isinstance(start, date) and isinstance(due, date) and due < start:
        problems.append(
            Problem("due_on", f"计划完成日期（{due.isoformat()}）不能早于开始日期（{start.isoformat()}）")
        )
    if uuid and isinstance(start, date):
        row = rows.query_one(
            db,
            "SELECT min(d) AS first_on FROM (SELECT t.on_date AS d FROM project_transitions t JOIN projects p ON "
            "p.id = t.project_id WHERE p.uuid = ? UNION ALL SELECT g.on_date FROM project_progress g JOIN projects p "
            "ON p.id = g.project_id WHERE p.uuid = ? UNION ALL SELECT acceptance_on FROM projects WHERE uuid = ?)",
            [uuid, uuid, uuid],
        )
        first = parse_date(row["first_on"]) if row else None
        if first is not None and start > first:
            problems.append(
                Problem(
                    "start_on", f"开始日期不能晚于已登记的状态变更、进展或验收日期（{first.isoformat()}）"
                )
            )
    benefit = v.get("benefit_fen")
    if isinstance(benefit, str):
        try:
            yuan_to_fen(benefit)
        except ValueError as exc:
            problems.append(Problem("benefit_fen", f"效益金额：{exc}"))
    elif isinstance(benefit, int) and benefit < 0:
        problems.append(Problem("benefit_fen", "效益金额不能为负数"))
    people: list[tuple[str, str]] = []
    if not v.get("leader"):
        problems.append(Problem("leader", "请选择负责人"))
    if v.get("leader"):
        people.append(("leader", v["leader"]))
    people += [("participants", u) for u in v.get("participants") or []]
    for field_name, member_uuid in people:
        member = rows.query_one(
            db, "SELECT name, status, status_on FROM members WHERE uuid = ?", [member_uuid]
        )
        role = "负责人" if field_name == "leader" else "参与人"
        if member is None:
            problems.append(Problem(field_name, f"所选{role}不在党员名册中"))
            continue
        name, status, status_on = member["name"], member["status"], parse_date(member["status_on"])
        if status != "active" and isinstance(start, date) and (status_on is None or status_on < start):
            when = status_on.isoformat() if status_on else "此前"
            problems.append(
                Problem(
                    field_name,
                    f"{role}{name}已于{when}{MEMBER_STATUSES.get(status, status)}，早于项目开始日期"
                    f"（{start.isoformat()}），不能参加该项目",
                )
            )
    return problems


def _project_columns(db: Database, v: Mapping[str, Any]) -> dict[str, Any]:
    fields = {key: value for key, value in v.items() if key != "participants"}  # a table of their own
    if isinstance(fields.get("benefit_fen"), str):
        fields["benefit_fen"] = yuan_to_fen(fields["benefit_fen"])
    return edits.stored_columns(
        fields, {"leader": ("leader_id", lambda u: roster_member(db, u).id if u else None)}
    )


def _set_participants(
    db: Database, *, project_id: int, project_uuid: str, wanted: Iterable[str], source: str
) -> None:
    """Make the participant list equal ``wanted`` (member uuids); additions and removals are audited."""
    current = {
        r["uuid"]: RosterMember(r["id"], r["name"])
        for r in rows.query(
            db,
            "SELECT m.id, m.uuid, m.name FROM project_participants pp JOIN members m ON m.id = pp.member_id "
            "WHERE pp.project_id = ?",
            [project_id],
        )
    }
    wanted = list(wanted)
    for member_uuid in wanted:
        if member_uuid in current:
            continue
        joining = roster_member(db, member_uuid)
        edits.insert_row(db, "project_participants", {"project_id": project_id, "member_id": joining.id})
        audit.Trail(db, "project", project_uuid, source=source).update(
            "participants", new=f"加入：{joining.name}"
        )
    for member_uuid, leaving in current.items():
        if member_uuid in wanted:
            continue
        # A participant taken off the list is only a link; the audit entry keeps who was on it.
        db.execute(
            "DELETE FROM project_participants WHERE project_id = ? AND member_id = ?",
            [project_id, leaving.id],
        )
        audit.Trail(db, "project", project_uuid, source=source).update(
            "participants", old=f"移出：{leaving.name}"
        )


def add_project(
    db: Database, *, values: Mapping[str, Any], source: str = "local", project_uuid: str | None = None
) -> Project:
    """Add a project (status 立项 planned, dated its start). ``values`` keys: title, kind, category, leader
    (member uuid), participants (member uuids), place, start_on, due_on, goal, measures, outcome, benefit_fen
    (int fen) or benefit (yuan text), notes. Raises ``ValidationError`` (nothing saved)."""
    v = clean_project_values(values)
    raise_if(validate_project(db, values=v))
    with db.atomic():
        cols = {**_project_columns(db, v), "status": "planned", "status_on": v["start_on"].isoformat()}
        new_uuid = edits.insert_row(db, "projects", cols, uuid=project_uuid)
        inserted = rows.query_one(db, "SELECT id FROM projects WHERE uuid = ?", [new_uuid])
        assert inserted is not None  # written just above, in this transaction
        pid = int(inserted["id"])
        audit.Trail(db, "project", new_uuid, source=source).create("title", new=v["title"])
        # The leader is counted once, as leader, never also as a participant.
        wanted = [u for u in v.get("participants") or [] if u != v.get("leader")]
        _set_participants(db, project_id=pid, project_uuid=new_uuid, wanted=wanted, source=source)
    return get_project(db, uuid=new_uuid)


def _project_values(p: Project) -> dict[str, Any]:
    return {
        "title": p.title,
        "kind": p.kind,
        "category": p.category,
        "leader": p.leader.uuid if p.leader else None,
        "participants": [x.uuid for x in p.participants],
        "place": p.place,
        "start_on": p.start_on,
        "due_on": p.due_on,
        "goal": p.goal,
        "measures": p.measures,
        "outcome": p.outcome,
        "benefit_fen": p.benefit_fen,
        "notes": p.notes,
    }


def _audited(db: Database, old: Project, key: str, before: Any, value: Any) -> tuple[str, Any, Any]:
    """A changed field as the audit log shows it: the leader by name, everything else as stored."""
    if key == "leader":
        return key, old.leader.name if old.leader else None, roster_member(db, value).name if value else None
    return key, before, value


def update_project(db: Database, *, uuid: str, changes: Mapping[str, Any], source: str = "local") -> Project:
    """Change fields of a project (same keys as ``add_project``); every changed field is audited with old and
    new value. Status changes go through ``transition_project``. Raises ``ValidationError`` or ``NotFound``."""
    with db.atomic():
        old = get_project(db, uuid=uuid)
        before = _project_values(old)
        new = clean_project_values(changes)
        merged = {**before, **new}
        raise_if(validate_project(db, values=merged, uuid=uuid))
        if "benefit_fen" in new and isinstance(new["benefit_fen"], str):
            new["benefit_fen"] = yuan_to_fen(new["benefit_fen"])
        if "participants" in new or "leader" in new:
            new["participants"] = [u for u in merged["participants"] if u != merged.get("leader")]
        changed = {k: val for k, val in new.items() if before.get(k) != val}
        participants = changed.pop("participants", None)
        if changed:
            cols = _project_columns(db, changed)
            if "start_on" in changed and old.status == "planned" and not old.transitions:
                cols["status_on"] = cols["start_on"]  # 立项 is dated by the start until the first move
            edits.update_row(
                db,
                table="projects",
                entity="project",
                uuid=uuid,
                columns=cols,
                changes=(_audited(db, old, key, before.get(key), value) for key, value in changed.items()),
                source=source,
            )
        if participants is not None:
            _set_participants(db, project_id=old.id, project_uuid=uuid, wanted=participants, source=source)
    return get_project(db, uuid=uuid)
