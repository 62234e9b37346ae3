"""Projects (党员创新工程, 书记项目, 示范岗/责任区/突击队 …) and inspection findings (党建检查问题) to closure.

GLOSSARY: Projects and inspections. Every write is one transaction with its audit entries; nothing is deleted:
a project ends by a status change (done 已完成 / stopped 终止), a finding is closed (销号) and can be reopened
with a reason. Money (成效 amount) is integer fen. Dates are ``datetime.date``.

Project status: planned → ongoing → done, planned/ongoing → stopped; each transition is dated, kept in
``project_transitions`` and audited. Finding status: open → rectified → closed; rectified/closed → open is a
reopening with a reason, kept in ``finding_events``.

Figures (``project_figures``), reminders (``project_reminders``) and the monthly workbook rows
(``monthly_project_rows``, ``monthly_finding_rows``) are read here too.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from db import audit
from db.errors import NotFound, Problem, ValidationError
from db.ids import fresh_uuid
from db.records import STATUSES as MEMBER_STATUSES
from db.rules import normalize_text, parse_date
from db.store import Database, now_iso

# --- glossary values ----------------------------------------------------------------------------------------

KINDS: dict[str, str] = {
    "innovation": "党员创新工程",
    "secretary_project": "书记项目",
    "improvement": "支部双改善",
    "model_post": "党员示范岗",
    "responsibility_area": "党员责任区",
    "commando_team": "党员突击队",
    "suggestion": "合理化建议",
}
# Kinds that are standing arrangements of members at a place for a period rather than a piece of work.
TEAM_KINDS = ("model_post", "responsibility_area", "commando_team")
CATEGORIES: dict[str, str] = {
    "technical": "技术创新",
    "operations": "生产运营",
    "management": "经营管理",
    "party_building": "党建工作",
}
PROJECT_STATUSES: dict[str, str] = {
    "planned": "立项",
    "ongoing": "实施中",
    "done": "已完成",
    "stopped": "终止",
}
# The allowed moves of a project's status; anything else is refused.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "planned": ("ongoing", "stopped"),
    "ongoing": ("done", "stopped"),
    "done": (),
    "stopped": (),
}
ACCEPTANCE_RESULTS: dict[str, str] = {
    "excellent": "优秀",
    "good": "良好",
    "passed": "合格",
    "failed": "不合格",
}
FINDING_STATUSES: dict[str, str] = {"open": "待整改", "rectified": "已整改", "closed": "已销号"}
FINDING_ACTIONS: dict[str, str] = {"rectify": "整改完成", "close": "销号", "reopen": "重新打开"}

PROJECT_FIELD_LABELS: dict[str, str] = {
    "title": "项目名称",
    "kind": "项目类型",
    "category": "类别",
    "leader": "负责人",
    "participants": "参与人",
    "place": "地点（工作面/区域）",
    "start_on": "开始日期",
    "due_on": "计划完成日期",
    "goal": "目标",
    "measures": "措施",
    "outcome": "成效",
    "benefit_fen": "效益金额",
    "notes": "备注",
}
FINDING_FIELD_LABELS: dict[str, str] = {
    "found_on": "发现日期",
    "source": "检查名称",
    "problem": "存在问题",
    "measure": "整改措施",
    "owner": "责任人",
    "deadline": "整改时限",
    "evidence": "佐证说明",
}


# --- records ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """A member as a project or finding refers to them."""

    uuid: str
    name: str


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


@dataclass(frozen=True)
class Reminder:
    """Something the secretary should act on: ``kind`` identifies it, ``text`` says what, who and since when.

    ``since`` is the first day it was overdue (the day after the deadline or due date); ``page`` and ``filters``
    tell the main window where to show it (``ctx.navigate(page, filters)``).
    """

    kind: str
    text: str
    since: date
    page: str
    filters: Mapping[str, Any] = field(default_factory=dict)


# --- helpers ------------------------------------------------------------------------------------------------


def _plain(value: object) -> str:
    """Free text as stored: stripped only. (NFKC would turn Chinese full-width punctuation such as ，into ASCII.)"""
    return "" if value is None else str(value).strip()


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _member_row(db: Database, member_uuid: str) -> tuple[int, str, str, str, date | None]:
    """(id, uuid, name, status, status_on) of a member, or ValidationError."""
    row = db.execute(
        "SELECT id, uuid, name, status, status_on FROM members WHERE uuid = ?", [member_uuid]
    ).fetchone()
    if row is None:
        raise ValidationError([Problem("participants", "所选党员不在名册中")])
    return int(row[0]), row[1], row[2], row[3], parse_date(row[4])


def _person(uuid: str | None, name: str | None) -> Person | None:
    return Person(uuid, name or "") if uuid else None


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


# --- projects: reading --------------------------------------------------------------------------------------

_PROJECT_SELECT = """
    SELECT p.id, p.uuid, p.title, p.kind, p.category, m.uuid, m.name, p.place, p.start_on, p.due_on, p.status,
           p.status_on, p.goal, p.measures, p.outcome, p.benefit_fen, p.acceptance_on, p.acceptance_result,
           p.acceptance_note, p.notes, p.created_at, p.updated_at
    FROM projects p LEFT JOIN members m ON m.id = p.leader_id
"""


def _projects_from_rows(db: Database, rows: Sequence[tuple[Any, ...]]) -> list[Project]:
    if not rows:
        return []
    ids = [r[0] for r in rows]
    marks = ",".join("?" for _ in ids)
    parts: dict[int, list[Person]] = {i: [] for i in ids}
    for pid, muuid, mname in db.execute(
        f"SELECT pp.project_id, m.uuid, m.name FROM project_participants pp JOIN members m ON m.id = pp.member_id "
        f"WHERE pp.project_id IN ({marks}) ORDER BY pp.id",
        ids,
    ).fetchall():
        parts[pid].append(Person(muuid, mname))
    progress: dict[int, list[ProgressEntry]] = {i: [] for i in ids}
    for pid, puuid, on, note in db.execute(
        f"SELECT project_id, uuid, on_date, note FROM project_progress WHERE project_id IN ({marks}) "
        f"ORDER BY on_date, id",
        ids,
    ).fetchall():
        progress[pid].append(ProgressEntry(puuid, parse_date(on), note))  # type: ignore[arg-type]
    transitions: dict[int, list[Transition]] = {i: [] for i in ids}
    for pid, tuuid, frm, to, on, reason in db.execute(
        f"SELECT project_id, uuid, from_status, to_status, on_date, reason FROM project_transitions "
        f"WHERE project_id IN ({marks}) ORDER BY on_date, id",
        ids,
    ).fetchall():
        transitions[pid].append(Transition(tuuid, frm, to, parse_date(on), reason))  # type: ignore[arg-type]
    out = []
    for r in rows:
        out.append(
            Project(
                id=r[0],
                uuid=r[1],
                title=r[2],
                kind=r[3],
                category=r[4],
                leader=_person(r[5], r[6]),
                participants=tuple(parts[r[0]]),
                place=r[7],
                start_on=parse_date(r[8]),  # type: ignore[arg-type]
                due_on=parse_date(r[9]),
                status=r[10],
                status_on=parse_date(r[11]),  # type: ignore[arg-type]
                goal=r[12],
                measures=r[13],
                outcome=r[14],
                benefit_fen=r[15],
                acceptance_on=parse_date(r[16]),
                acceptance_result=r[17],
                acceptance_note=r[18],
                notes=r[19],
                progress=tuple(progress[r[0]]),
                transitions=tuple(transitions[r[0]]),
                created_at=r[20],
                updated_at=r[21],
            )
        )
    return out


def get_project(db: Database, *, uuid: str) -> Project:
    """The project with this stable id, with participants, progress log and transitions. Raises ``NotFound``."""
    rows = db.execute(_PROJECT_SELECT + " WHERE p.uuid = ?", [uuid]).fetchall()
    if not rows:
        raise NotFound(f"找不到该项目（{uuid}）")
    return _projects_from_rows(db, rows)[0]


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
    return _projects_from_rows(db, db.execute(sql, params).fetchall())


def project_status_counts(db: Database, *, year: int | None = None) -> dict[str, int]:
    """How many projects are in each status (every status a key), optionally of those running in ``year``."""
    counts = dict.fromkeys(PROJECT_STATUSES, 0)
    for p in list_projects(db, year=year):
        counts[p.status] += 1
    return counts


# --- projects: validation and writing -----------------------------------------------------------------------

_PROJECT_TEXT = ("title", "place", "goal", "measures", "outcome", "notes")


def clean_project_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """Normalise a project form: text stripped, dates as ``date``, participants as a list of unique uuids,
    ``benefit`` (yuan text) converted to ``benefit_fen``. Unknown keys raise ``KeyError``."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key in _PROJECT_TEXT:
            out[key] = _plain(value)
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
        row = db.execute(
            "SELECT min(d) FROM (SELECT t.on_date AS d FROM project_transitions t JOIN projects p ON p.id = "
            "t.project_id WHERE p.uuid = ? UNION ALL SELECT g.on_date FROM project_progress g JOIN projects p ON "
            "p.id = g.project_id WHERE p.uuid = ? UNION ALL SELECT acceptance_on FROM projects WHERE uuid = ?)",
            [uuid, uuid, uuid],
        ).fetchone()
        first = parse_date(row[0]) if row else None
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
        row = db.execute(
            "SELECT name, status, status_on FROM members WHERE uuid = ?", [member_uuid]
        ).fetchone()
        role = "负责人" if field_name == "leader" else "参与人"
        if row is None:
            problems.append(Problem(field_name, f"所选{role}不在党员名册中"))
            continue
        name, status, status_on = row[0], row[1], parse_date(row[2])
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


def _raise_if(problems: list[Problem]) -> None:
    errors = [p for p in problems if not p.warning]
    if errors:
        raise ValidationError(errors)


def _project_columns(db: Database, v: Mapping[str, Any]) -> dict[str, Any]:
    cols: dict[str, Any] = {}
    for key, value in v.items():
        if key == "participants":
            continue
        if key == "leader":
            cols["leader_id"] = _member_row(db, value)[0] if value else None
        elif key == "benefit_fen":
            cols[key] = yuan_to_fen(value) if isinstance(value, str) else value
        elif isinstance(value, date):
            cols[key] = value.isoformat()
        else:
            cols[key] = value
    return cols


def _set_participants(
    db: Database, *, project_id: int, project_uuid: str, wanted: Iterable[str], source: str
) -> None:
    """Make the participant list equal ``wanted`` (member uuids); additions and removals are audited."""
    now = now_iso()
    current = {
        muuid: (mid, name)
        for mid, muuid, name in db.execute(
            "SELECT m.id, m.uuid, m.name FROM project_participants pp JOIN members m ON m.id = pp.member_id "
            "WHERE pp.project_id = ?",
            [project_id],
        ).fetchall()
    }
    wanted = list(wanted)
    for member_uuid in wanted:
        if member_uuid in current:
            continue
        mid, _, name, _, _ = _member_row(db, member_uuid)
        db.execute(
            "INSERT INTO project_participants (uuid, project_id, member_id, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [fresh_uuid(), project_id, mid, now, now],
        )
        audit.record(
            db,
            entity="project",
            entity_uuid=project_uuid,
            action="update",
            field="participants",
            old=None,
            new=f"加入：{name}",
            source=source,
        )
    for member_uuid, (mid, name) in current.items():
        if member_uuid in wanted:
            continue
        # A participant taken off the list is only a link; the audit entry keeps who was on it.
        db.execute(
            "DELETE FROM project_participants WHERE project_id = ? AND member_id = ?", [project_id, mid]
        )
        audit.record(
            db,
            entity="project",
            entity_uuid=project_uuid,
            action="update",
            field="participants",
            old=f"移出：{name}",
            new=None,
            source=source,
        )


def add_project(
    db: Database, *, values: Mapping[str, Any], source: str = "local", project_uuid: str | None = None
) -> Project:
    """Add a project (status 立项 planned, dated its start). ``values`` keys: title, kind, category, leader
    (member uuid), participants (member uuids), place, start_on, due_on, goal, measures, outcome, benefit_fen
    (int fen) or benefit (yuan text), notes. Raises ``ValidationError`` (nothing saved)."""
    v = clean_project_values(values)
    _raise_if(validate_project(db, values=v))
    new_uuid = project_uuid or fresh_uuid()
    now = now_iso()
    with db.atomic():
        cols = _project_columns(db, v)
        cols.update(
            uuid=new_uuid,
            status="planned",
            status_on=v["start_on"].isoformat(),
            created_at=now,
            updated_at=now,
        )
        names = ", ".join(cols)
        db.execute(
            f"INSERT INTO projects ({names}) VALUES ({', '.join('?' for _ in cols)})", list(cols.values())
        )
        pid = db.execute("SELECT id FROM projects WHERE uuid = ?", [new_uuid]).fetchone()[0]
        audit.record(
            db,
            entity="project",
            entity_uuid=new_uuid,
            action="create",
            field="title",
            new=v["title"],
            source=source,
        )
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


def update_project(db: Database, *, uuid: str, changes: Mapping[str, Any], source: str = "local") -> Project:
    """Change fields of a project (same keys as ``add_project``); every changed field is audited with old and
    new value. Status changes go through ``transition_project``. Raises ``ValidationError`` or ``NotFound``."""
    with db.atomic():
        old = get_project(db, uuid=uuid)
        before = _project_values(old)
        new = clean_project_values(changes)
        merged = {**before, **new}
        _raise_if(validate_project(db, values=merged, uuid=uuid))
        if "benefit_fen" in new and isinstance(new["benefit_fen"], str):
            new["benefit_fen"] = yuan_to_fen(new["benefit_fen"])
        if "participants" in new or "leader" in new:
            new["participants"] = [u for u in merged["participants"] if u != merged.get("leader")]
        changed = {k: val for k, val in new.items() if before.get(k) != val}
        participants = changed.pop("participants", None)
        if changed:
            cols = _project_columns(db, changed)
            cols["updated_at"] = now_iso()
            if "start_on" in changed and old.status == "planned" and not old.transitions:
                cols["status_on"] = cols["start_on"]  # 立项 is dated by the start until the first move
            db.execute(
                f"UPDATE projects SET {', '.join(f'{c} = ?' for c in cols)} WHERE uuid = ?",
                [*cols.values(), uuid],
            )
            for key, value in changed.items():
                old_value: Any = before.get(key)
                if key == "leader":
                    old_value = old.leader.name if old.leader else None
                    value = _member_row(db, value)[2] if value else None
                audit.record(
                    db,
                    entity="project",
                    entity_uuid=uuid,
                    action="update",
                    field=key,
                    old=old_value,
                    new=value,
                    source=source,
                )
        if participants is not None:
            _set_participants(db, project_id=old.id, project_uuid=uuid, wanted=participants, source=source)
    return get_project(db, uuid=uuid)


def allowed_transitions(status: str) -> tuple[str, ...]:
    """The statuses a project in ``status`` may move to."""
    return TRANSITIONS.get(status, ())


def transition_project(
    db: Database,
    *,
    uuid: str,
    to: str,
    on: date,
    reason: str = "",
    today: date | None = None,
    source: str = "local",
) -> Project:
    """Move a project to status ``to`` on date ``on`` (only the moves of ``TRANSITIONS``).

    The date may not be before the project's start or its last status change, nor after ``today``; stopping
    needs a reason. Raises ``ValidationError`` (nothing saved) or ``NotFound``.
    """
    today = today or date.today()
    reason = _plain(reason)
    with db.atomic():
        p = get_project(db, uuid=uuid)
        problems: list[Problem] = []
        if to not in PROJECT_STATUSES:
            problems.append(Problem("status", f"未知的项目状态「{to}」"))
        elif to not in allowed_transitions(p.status):
            allowed = "、".join(PROJECT_STATUSES[s] for s in allowed_transitions(p.status)) or "无"
            problems.append(
                Problem(
                    "status",
                    f"项目「{p.title}」当前为「{p.status_label}」，不能改为「{PROJECT_STATUSES[to]}」"
                    f"（可改为：{allowed}）",
                )
            )
        if on > today:
            problems.append(Problem("status_on", "状态变更日期不能晚于今天"))
        if on < p.start_on:
            problems.append(
                Problem("status_on", f"状态变更日期不能早于项目开始日期（{p.start_on.isoformat()}）")
            )
        elif on < p.status_on:
            problems.append(
                Problem("status_on", f"状态变更日期不能早于上次状态变更日期（{p.status_on.isoformat()}）")
            )
        if to == "stopped" and not reason:
            problems.append(Problem("reason", "终止项目请填写原因"))
        _raise_if(problems)
        now = now_iso()
        db.execute(
            "UPDATE projects SET status = ?, status_on = ?, updated_at = ? WHERE id = ?",
            [to, on.isoformat(), now, p.id],
        )
        db.execute(
            "INSERT INTO project_transitions (uuid, project_id, from_status, to_status, on_date, reason, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [fresh_uuid(), p.id, p.status, to, on.isoformat(), reason, now, now],
        )
        audit.record(
            db,
            entity="project",
            entity_uuid=uuid,
            action="update",
            field="status",
            old=p.status,
            new=f"{to}（{on.isoformat()}）{reason}",
            source=source,
        )
    return get_project(db, uuid=uuid)


def add_progress(
    db: Database, *, project_uuid: str, on: date, note: str, today: date | None = None, source: str = "local"
) -> Project:
    """Append a dated entry to a project's progress log (进展记录). The date may not be before the start or after
    ``today``; the note may not be empty. Raises ``ValidationError`` or ``NotFound``."""
    today = today or date.today()
    note = _plain(note)
    with db.atomic():
        p = get_project(db, uuid=project_uuid)
        problems = []
        if not note:
            problems.append(Problem("note", "请填写进展内容"))
        if on < p.start_on:
            problems.append(Problem("on_date", f"进展日期不能早于项目开始日期（{p.start_on.isoformat()}）"))
        if on > today:
            problems.append(Problem("on_date", "进展日期不能晚于今天"))
        _raise_if(problems)
        now = now_iso()
        entry_uuid = fresh_uuid()
        db.execute(
            "INSERT INTO project_progress (uuid, project_id, on_date, note, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [entry_uuid, p.id, on.isoformat(), note, now, now],
        )
        audit.record(
            db,
            entity="project",
            entity_uuid=project_uuid,
            action="update",
            field="progress",
            new=f"{on.isoformat()} {note}",
            source=source,
        )
    return get_project(db, uuid=project_uuid)


def record_acceptance(
    db: Database,
    *,
    uuid: str,
    on: date,
    result: str,
    note: str = "",
    today: date | None = None,
    source: str = "local",
) -> Project:
    """Record the year-end acceptance (年终验收) of a project that has started: date, result (``excellent`` /
    ``good`` / ``passed`` / ``failed``) and a note. Raises ``ValidationError`` or ``NotFound``."""
    today = today or date.today()
    note = _plain(note)
    with db.atomic():
        p = get_project(db, uuid=uuid)
        problems = []
        if result not in ACCEPTANCE_RESULTS:
            problems.append(Problem("acceptance_result", "请选择验收结果（优秀、良好、合格、不合格）"))
        if p.status == "planned":
            problems.append(Problem("acceptance_on", f"项目「{p.title}」尚未实施，不能验收"))
        if on < p.start_on:
            problems.append(
                Problem("acceptance_on", f"验收日期不能早于项目开始日期（{p.start_on.isoformat()}）")
            )
        if on > today:
            problems.append(Problem("acceptance_on", "验收日期不能晚于今天"))
        _raise_if(problems)
        db.execute(
            "UPDATE projects SET acceptance_on = ?, acceptance_result = ?, acceptance_note = ?, updated_at = ? "
            "WHERE id = ?",
            [on.isoformat(), result, note, now_iso(), p.id],
        )
        audit.record(
            db,
            entity="project",
            entity_uuid=uuid,
            action="update",
            field="acceptance",
            old=f"{_iso(p.acceptance_on) or ''} {p.acceptance_result}".strip() or None,
            new=f"{on.isoformat()} {result} {note}".strip(),
            source=source,
        )
    return get_project(db, uuid=uuid)


# --- findings -----------------------------------------------------------------------------------------------

_FINDING_SELECT = """
    SELECT f.id, f.uuid, f.found_on, f.source, f.problem, f.measure, m.uuid, m.name, f.deadline, f.status,
           f.rectified_on, f.closed_on, f.evidence, f.created_at, f.updated_at
    FROM findings f LEFT JOIN members m ON m.id = f.owner_id
"""


def _findings_from_rows(db: Database, rows: Sequence[tuple[Any, ...]]) -> list[Finding]:
    if not rows:
        return []
    ids = [r[0] for r in rows]
    marks = ",".join("?" for _ in ids)
    events: dict[int, list[FindingEvent]] = {i: [] for i in ids}
    for fid, euuid, action, on, note in db.execute(
        f"SELECT finding_id, uuid, action, on_date, note FROM finding_events WHERE finding_id IN ({marks}) "
        f"ORDER BY id",
        ids,
    ).fetchall():
        events[fid].append(FindingEvent(euuid, action, parse_date(on), note))  # type: ignore[arg-type]
    return [
        Finding(
            id=r[0],
            uuid=r[1],
            found_on=parse_date(r[2]),  # type: ignore[arg-type]
            source=r[3],
            problem=r[4],
            measure=r[5],
            owner=_person(r[6], r[7]),
            deadline=parse_date(r[8]),  # type: ignore[arg-type]
            status=r[9],
            rectified_on=parse_date(r[10]),
            closed_on=parse_date(r[11]),
            evidence=r[12],
            events=tuple(events[r[0]]),
            created_at=r[13],
            updated_at=r[14],
        )
        for r in rows
    ]


def get_finding(db: Database, *, uuid: str) -> Finding:
    """The finding with this stable id, with its rectify/close/reopen history. Raises ``NotFound``."""
    rows = db.execute(_FINDING_SELECT + " WHERE f.uuid = ?", [uuid]).fetchall()
    if not rows:
        raise NotFound(f"找不到该检查问题（{uuid}）")
    return _findings_from_rows(db, rows)[0]


def list_findings(
    db: Database,
    *,
    status: str | None = None,
    year: int | None = None,
    owner_uuid: str | None = None,
    overdue_on: date | None = None,
    query: str = "",
) -> list[Finding]:
    """Findings, newest first. ``year`` is the year found; ``overdue_on`` keeps those overdue on that day;
    ``query`` matches the inspection name, the problem or the owner's name."""
    where: list[str] = []
    params: list[Any] = []
    if status:
        where.append("f.status = ?")
        params.append(status)
    if year:
        where.append("substr(f.found_on, 1, 4) = ?")
        params.append(f"{year:04d}")
    if owner_uuid:
        where.append("m.uuid = ?")
        params.append(owner_uuid)
    if overdue_on:
        where.append("f.status = 'open' AND f.deadline < ?")
        params.append(overdue_on.isoformat())
    q = normalize_text(query)
    if q:
        where.append("(f.source LIKE ? OR f.problem LIKE ? OR m.name LIKE ?)")
        params += [f"%{q}%"] * 3
    sql = (
        _FINDING_SELECT
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY f.found_on DESC, f.id"
    )
    return _findings_from_rows(db, db.execute(sql, params).fetchall())


def finding_status_counts(db: Database, *, today: date) -> dict[str, int]:
    """Findings per status, plus ``overdue`` (open with the deadline passed on ``today``)."""
    counts = dict.fromkeys(FINDING_STATUSES, 0)
    counts["overdue"] = 0
    for f in list_findings(db):
        counts[f.status] += 1
        counts["overdue"] += f.is_overdue(today)
    return counts


_FINDING_TEXT = ("source", "problem", "measure", "evidence")


def clean_finding_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """Normalise a finding form (text stripped, dates as ``date``). Unknown keys raise ``KeyError``."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key in _FINDING_TEXT:
            out[key] = _plain(value)
        elif key in ("found_on", "deadline"):
            out[key] = value if isinstance(value, date) else parse_date(value)
        elif key == "owner":
            out[key] = value or None
        else:
            raise KeyError(key)
    return out


def validate_finding(db: Database, *, values: Mapping[str, Any], today: date | None = None) -> list[Problem]:
    """Every reason the finding form cannot be saved, in Chinese (empty: it can be saved)."""
    today = today or date.today()
    problems: list[Problem] = []
    found, deadline = values.get("found_on"), values.get("deadline")
    if not isinstance(found, date):
        problems.append(Problem("found_on", "请填写发现日期"))
    elif found > today:
        problems.append(Problem("found_on", "发现日期不能晚于今天"))
    if not values.get("source"):
        problems.append(Problem("source", "请填写检查名称"))
    if not values.get("problem"):
        problems.append(Problem("problem", "请填写存在的问题"))
    if not isinstance(deadline, date):
        problems.append(Problem("deadline", "请填写整改时限"))
    elif isinstance(found, date) and deadline < found:
        problems.append(Problem("deadline", f"整改时限不能早于发现日期（{found.isoformat()}）"))
    owner = values.get("owner")
    if owner:
        row = db.execute("SELECT name, status FROM members WHERE uuid = ?", [owner]).fetchone()
        if row is None:
            problems.append(Problem("owner", "所选责任人不在党员名册中"))
    return problems


def _finding_columns(db: Database, v: Mapping[str, Any]) -> dict[str, Any]:
    cols: dict[str, Any] = {}
    for key, value in v.items():
        if key == "owner":
            cols["owner_id"] = _member_row(db, value)[0] if value else None
        elif isinstance(value, date):
            cols[key] = value.isoformat()
        else:
            cols[key] = value
    return cols


def add_finding(
    db: Database,
    *,
    values: Mapping[str, Any],
    today: date | None = None,
    source: str = "local",
    finding_uuid: str | None = None,
) -> Finding:
    """Record an inspection finding (status 待整改 open). Keys: found_on, source (检查名称), problem, measure,
    owner (member uuid), deadline (时限). Raises ``ValidationError`` (nothing saved)."""
    v = clean_finding_values(values)
    _raise_if(validate_finding(db, values=v, today=today))
    new_uuid = finding_uuid or fresh_uuid()
    now = now_iso()
    with db.atomic():
        cols = _finding_columns(db, v)
        cols.update(uuid=new_uuid, status="open", created_at=now, updated_at=now)
        db.execute(
            f"INSERT INTO findings ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
            list(cols.values()),
        )
        audit.record(
            db,
            entity="finding",
            entity_uuid=new_uuid,
            action="create",
            field="problem",
            new=v.get("problem"),
            source=source,
        )
    return get_finding(db, uuid=new_uuid)


def update_finding(
    db: Database, *, uuid: str, changes: Mapping[str, Any], today: date | None = None, source: str = "local"
) -> Finding:
    """Change the fields of a finding (not its status); each changed field is audited."""
    with db.atomic():
        old = get_finding(db, uuid=uuid)
        before: dict[str, Any] = {
            "found_on": old.found_on,
            "source": old.source,
            "problem": old.problem,
            "measure": old.measure,
            "owner": old.owner.uuid if old.owner else None,
            "deadline": old.deadline,
            "evidence": old.evidence,
        }
        new = clean_finding_values(changes)
        merged = {**before, **new}
        problems = validate_finding(db, values=merged, today=today)
        if (
            old.rectified_on
            and isinstance(merged.get("found_on"), date)
            and merged["found_on"] > old.rectified_on
        ):
            problems.append(Problem("found_on", "发现日期不能晚于整改完成日期"))
        _raise_if(problems)
        changed = {k: val for k, val in new.items() if before.get(k) != val}
        if changed:
            cols = _finding_columns(db, changed)
            cols["updated_at"] = now_iso()
            db.execute(
                f"UPDATE findings SET {', '.join(f'{c} = ?' for c in cols)} WHERE uuid = ?",
                [*cols.values(), uuid],
            )
            for key, value in changed.items():
                audit.record(
                    db,
                    entity="finding",
                    entity_uuid=uuid,
                    action="update",
                    field=key,
                    old=before.get(key),
                    new=value,
                    source=source,
                )
    return get_finding(db, uuid=uuid)


def _finding_event(db: Database, f: Finding, action: str, on: date, note: str) -> None:
    now = now_iso()
    db.execute(
        "INSERT INTO finding_events (uuid, finding_id, action, on_date, note, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [fresh_uuid(), f.id, action, on.isoformat(), note, now, now],
    )


def _rectified_on_problems(f: Finding, rectified_on: date | None, today: date) -> list[Problem]:
    if rectified_on is None:
        return [Problem("rectified_on", "请填写整改完成日期")]
    if rectified_on > today:
        return [Problem("rectified_on", f"整改完成日期（{rectified_on.isoformat()}）不能晚于今天")]
    if rectified_on < f.found_on:
        return [Problem("rectified_on", f"整改完成日期不能早于发现日期（{f.found_on.isoformat()}）")]
    return []


def rectify_finding(
    db: Database,
    *,
    uuid: str,
    rectified_on: date | None,
    evidence: str = "",
    today: date | None = None,
    source: str = "local",
) -> Finding:
    """Mark an open finding rectified (已整改) on ``rectified_on`` with an evidence note. The date may be neither
    in the future nor before the finding was found. Raises ``ValidationError`` (nothing saved)."""
    today = today or date.today()
    evidence = _plain(evidence)
    with db.atomic():
        f = get_finding(db, uuid=uuid)
        problems = []
        if f.status != "open":
            problems.append(
                Problem("status", f"该问题当前为「{f.status_label}」，只有待整改的问题可以登记整改完成")
            )
        problems += _rectified_on_problems(f, rectified_on, today)
        _raise_if(problems)
        assert rectified_on is not None
        db.execute(
            "UPDATE findings SET status = 'rectified', rectified_on = ?, evidence = ?, updated_at = ? "
            "WHERE id = ?",
            [rectified_on.isoformat(), evidence or f.evidence, now_iso(), f.id],
        )
        _finding_event(db, f, "rectify", rectified_on, evidence)
        audit.record(
            db,
            entity="finding",
            entity_uuid=uuid,
            action="update",
            field="status",
            old=f.status,
            new=f"rectified（{rectified_on.isoformat()}）",
            source=source,
        )
    return get_finding(db, uuid=uuid)


def close_finding(
    db: Database,
    *,
    uuid: str,
    closed_on: date,
    rectified_on: date | None = None,
    evidence: str = "",
    today: date | None = None,
    source: str = "local",
) -> Finding:
    """Close (销号) a finding on ``closed_on``. An open finding may be closed only with its ``rectified_on``
    (it is then rectified and closed at once); without a rectification date the close is refused. The closing
    date may not be before the rectification or after ``today``. Raises ``ValidationError`` (nothing saved)."""
    today = today or date.today()
    evidence = _plain(evidence)
    with db.atomic():
        f = get_finding(db, uuid=uuid)
        problems: list[Problem] = []
        if f.status == "closed":
            problems.append(Problem("status", "该问题已经销号"))
            _raise_if(problems)
        rect = f.rectified_on if f.status == "rectified" else rectified_on
        if rect is None:
            problems.append(Problem("rectified_on", "未填写整改完成日期，不能销号：请先登记整改完成日期"))
        elif f.status == "open":
            problems += _rectified_on_problems(f, rect, today)
        if rect is not None and closed_on < rect:
            problems.append(Problem("closed_on", f"销号日期不能早于整改完成日期（{rect.isoformat()}）"))
        if closed_on > today:
            problems.append(Problem("closed_on", "销号日期不能晚于今天"))
        _raise_if(problems)
        assert rect is not None
        if f.status == "open":
            _finding_event(db, f, "rectify", rect, evidence)
            audit.record(
                db,
                entity="finding",
                entity_uuid=uuid,
                action="update",
                field="status",
                old="open",
                new=f"rectified（{rect.isoformat()}）",
                source=source,
            )
        db.execute(
            "UPDATE findings SET status = 'closed', rectified_on = ?, closed_on = ?, evidence = ?, updated_at = ? "
            "WHERE id = ?",
            [rect.isoformat(), closed_on.isoformat(), evidence or f.evidence, now_iso(), f.id],
        )
        _finding_event(db, f, "close", closed_on, evidence)
        audit.record(
            db,
            entity="finding",
            entity_uuid=uuid,
            action="update",
            field="status",
            old="rectified",
            new=f"closed（{closed_on.isoformat()}）",
            source=source,
        )
    return get_finding(db, uuid=uuid)


def reopen_finding(
    db: Database, *, uuid: str, on: date, reason: str, today: date | None = None, source: str = "local"
) -> Finding:
    """Reopen a rectified or closed finding (back to 待整改) with a reason; the earlier rectification and
    closing stay in its history and the audit log. Raises ``ValidationError`` (nothing saved)."""
    today = today or date.today()
    reason = _plain(reason)
    with db.atomic():
        f = get_finding(db, uuid=uuid)
        problems = []
        if f.status == "open":
            problems.append(Problem("status", "该问题尚未整改，无需重新打开"))
        if not reason:
            problems.append(Problem("reason", "重新打开请填写原因"))
        if on > today:
            problems.append(Problem("on_date", "重新打开日期不能晚于今天"))
        if f.rectified_on and on < f.rectified_on:
            problems.append(
                Problem("on_date", f"重新打开日期不能早于整改完成日期（{f.rectified_on.isoformat()}）")
            )
        _raise_if(problems)
        db.execute(
            "UPDATE findings SET status = 'open', rectified_on = NULL, closed_on = NULL, updated_at = ? "
            "WHERE id = ?",
            [now_iso(), f.id],
        )
        _finding_event(db, f, "reopen", on, reason)
        audit.record(
            db,
            entity="finding",
            entity_uuid=uuid,
            action="update",
            field="status",
            old=f.status,
            new=f"open（{on.isoformat()}）：{reason}",
            source=source,
        )
    return get_finding(db, uuid=uuid)


# --- figures, reminders, monthly rows -----------------------------------------------------------------------


def project_figures(db: Database, *, start: date, end: date) -> ProjectFigures:
    """The figures of ``ProjectFigures`` for the period ``[start, end]``. Raises ``ValidationError`` when
    ``end`` is before ``start``."""
    if end < start:
        raise ValidationError([Problem("end", "统计截止日期不能早于开始日期")])
    s, e = start.isoformat(), end.isoformat()
    started = dict.fromkeys(CATEGORIES, 0)
    done = dict.fromkeys(CATEGORIES, 0)
    started_done = 0
    for category, start_on, status, status_on in db.execute(
        "SELECT category, start_on, status, status_on FROM projects"
    ).fetchall():
        if s <= start_on <= e:
            started[category] += 1
            if status == "done" and status_on <= e:
                started_done += 1
        if status == "done" and s <= status_on <= e:
            done[category] += 1
    started_total = sum(started.values())
    # On the roster at the end of the period: joined by then and not archived by then.
    roster = {
        r[0]
        for r in db.execute(
            "SELECT id FROM members WHERE (joined_on IS NULL OR joined_on <= ?) "
            "AND (status = 'active' OR status_on > ?)",
            [e, e],
        ).fetchall()
    }
    running = (
        "SELECT id, leader_id FROM projects WHERE start_on <= ? AND "
        "(status NOT IN ('done', 'stopped') OR status_on >= ?)"
    )
    people: set[int] = set()
    project_ids = []
    for pid, leader_id in db.execute(running, [e, s]).fetchall():
        project_ids.append(pid)
        if leader_id is not None:
            people.add(leader_id)
    if project_ids:
        marks = ",".join("?" for _ in project_ids)
        people |= {
            r[0]
            for r in db.execute(
                f"SELECT member_id FROM project_participants WHERE project_id IN ({marks})", project_ids
            ).fetchall()
        }
    participating = len(people & roster)
    # Findings from their history, so a later reopening does not erase a rectification made in the period.
    found = rectified = overdue = 0
    for f in list_findings(db):
        if f.found_on > end:
            continue
        found += f.found_on >= start
        rectified += any(e.action == "rectify" and start <= e.on_date <= end for e in f.events)
        at_end = finding_as_of(f, end)
        overdue += at_end.status == "open" and f.deadline < end
    return ProjectFigures(
        start=start,
        end=end,
        started=started,
        done=done,
        started_total=started_total,
        done_total=sum(done.values()),
        started_done=started_done,
        completion_rate=(started_done / started_total) if started_total else None,
        members_total=len(roster),
        members_participating=participating,
        participation_rate=(participating / len(roster)) if roster else None,
        findings_found=int(found),
        findings_rectified=int(rectified),
        findings_overdue=int(overdue),
    )


def format_rate(rate: float | None) -> str:
    """0.4286 → ``"42.9%"``; None → ``"—"``."""
    return "—" if rate is None else f"{rate * 100:.1f}%"


def project_reminders(db: Database, *, today: date) -> list[Reminder]:
    """Overdue findings (deadline passed, not rectified) and projects past due (not done or stopped) on
    ``today``; a deadline equal to ``today`` is not yet overdue. Oldest first."""
    out: list[Reminder] = []
    for f in list_findings(db, overdue_on=today):
        owner = f.owner.name if f.owner else "未指定责任人"
        days = (today - f.deadline).days
        out.append(
            Reminder(
                kind="finding_overdue",
                text=f"检查问题逾期未整改：「{_short(f.problem)}」（{f.source}），责任人 {owner}，"
                f"时限 {f.deadline.isoformat()}，已逾期 {days} 天",
                since=f.deadline + timedelta(days=1),
                page="projects",
                filters={"tab": "findings", "uuid": f.uuid},
            )
        )
    for p in list_projects(db):
        if not p.is_overdue(today):
            continue
        assert p.due_on is not None
        leader = p.leader.name if p.leader else "未指定负责人"
        days = (today - p.due_on).days
        out.append(
            Reminder(
                kind="project_overdue",
                text=f"{p.kind_label}「{p.title}」超过计划完成日期仍为「{p.status_label}」，负责人 {leader}，"
                f"计划完成 {p.due_on.isoformat()}，已超期 {days} 天",
                since=p.due_on + timedelta(days=1),
                page="projects",
                filters={"tab": "projects", "uuid": p.uuid},
            )
        )
    out.sort(key=lambda r: (r.since, r.kind, r.text))
    return out


def _short(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# (field, Chinese header, type, choices, width) of the ledgers: the monthly workbook sheets 项目台账 and 检查整改
# (declared in ``db.workbook.format`` with the same fields) and the page's own .xlsx export. Types as in
# ``db.workbook.format``: rows carry codes for choices, ``date`` values, money as int fen.
PROJECT_COLUMNS: tuple[tuple[str, str, str, Mapping[Any, str], float], ...] = (
    ("title", "项目名称", "text", {}, 30),
    ("kind", "项目类型", "choice", KINDS, 12),
    ("category", "类别", "choice", CATEGORIES, 10),
    ("leader", "负责人", "text", {}, 10),
    ("participants", "参与人", "text", {}, 24),
    ("place", "地点（工作面/区域）", "text", {}, 18),
    ("start_on", "开始日期", "date", {}, 12),
    ("due_on", "计划完成日期", "date", {}, 12),
    ("status", "状态", "choice", PROJECT_STATUSES, 8),
    ("status_on", "状态日期", "date", {}, 12),
    ("goal", "目标", "text", {}, 30),
    ("measures", "措施", "text", {}, 30),
    ("latest_progress", "最新进展", "text", {}, 30),
    ("outcome", "成效", "text", {}, 30),
    ("benefit_fen", "效益金额（元）", "money", {}, 12),
    ("acceptance_on", "验收日期", "date", {}, 12),
    ("acceptance_result", "验收结果", "choice", ACCEPTANCE_RESULTS, 8),
    ("uuid", "编号(勿改)", "id", {}, 38),
)
FINDING_COLUMNS: tuple[tuple[str, str, str, Mapping[Any, str], float], ...] = (
    ("found_on", "发现日期", "date", {}, 12),
    ("source", "检查名称", "text", {}, 20),
    ("problem", "存在问题", "text", {}, 36),
    ("measure", "整改措施", "text", {}, 30),
    ("owner", "责任人", "text", {}, 10),
    ("deadline", "整改时限", "date", {}, 12),
    ("status", "状态", "choice", FINDING_STATUSES, 8),
    ("rectified_on", "整改完成日期", "date", {}, 12),
    ("closed_on", "销号日期", "date", {}, 12),
    ("evidence", "佐证说明", "text", {}, 24),
    ("overdue", "是否逾期", "bool", {}, 8),
    ("uuid", "编号(勿改)", "id", {}, 38),
)


def project_row(p: Project, *, until: date | None = None) -> dict[str, Any]:
    """A project as a ledger row keyed by the fields of ``PROJECT_COLUMNS`` (codes, dates, fen). The latest
    progress entry is the last one on or before ``until`` (any, without it)."""
    latest = [e for e in p.progress if until is None or e.on_date <= until]
    return {
        "uuid": p.uuid,
        "title": p.title,
        "kind": p.kind,
        "category": p.category,
        "leader": p.leader.name if p.leader else "",
        "participants": "、".join(x.name for x in p.participants),
        "place": p.place,
        "start_on": p.start_on,
        "due_on": p.due_on,
        "status": p.status,
        "status_on": p.status_on,
        "goal": p.goal,
        "measures": p.measures,
        "latest_progress": f"{latest[-1].on_date.isoformat()} {latest[-1].note}" if latest else "",
        "outcome": p.outcome,
        "benefit_fen": p.benefit_fen,
        "acceptance_on": p.acceptance_on,
        "acceptance_result": p.acceptance_result or None,
    }


def finding_row(f: Finding, *, on: date) -> dict[str, Any]:
    """A finding as a ledger row keyed by the fields of ``FINDING_COLUMNS``; ``overdue`` is judged on ``on``
    (deadline before ``on`` and not rectified by then)."""
    return {
        "uuid": f.uuid,
        "found_on": f.found_on,
        "source": f.source,
        "problem": f.problem,
        "measure": f.measure,
        "owner": f.owner.name if f.owner else "",
        "deadline": f.deadline,
        "status": f.status,
        "rectified_on": f.rectified_on,
        "closed_on": f.closed_on,
        "evidence": f.evidence,
        "overdue": f.deadline < on and (f.rectified_on is None or f.rectified_on > on),
    }


def _month_bounds(month: date | str) -> tuple[date, date]:
    if isinstance(month, str):
        year, mon = (int(x) for x in month[:7].split("-"))
    else:
        year, mon = month.year, month.month
    return date(year, mon, 1), date(year, mon, calendar.monthrange(year, mon)[1])


def project_as_of(p: Project, on: date) -> Project:
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


def finding_as_of(f: Finding, on: date) -> Finding:
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


def monthly_project_rows(db: Database, *, month: date | str) -> list[dict[str, Any]]:
    """项目台账 rows of the monthly workbook: every project running at some time in ``month`` (``"YYYY-MM"`` or a
    date in it), oldest first, as ``project_row`` of the project as it stood at the month's end."""
    first, last = _month_bounds(month)
    rows = []
    for p in reversed(list_projects(db)):
        if p.start_on > last:
            continue
        p = project_as_of(p, last)
        if p.status in ("done", "stopped") and p.status_on < first:
            continue
        rows.append(project_row(p, until=last))
    return rows


def monthly_finding_rows(db: Database, *, month: date | str) -> list[dict[str, Any]]:
    """检查整改 rows of the monthly workbook: findings found by the end of ``month`` and not closed before it
    began, oldest first, as ``finding_row`` of the finding as it stood at the month's end."""
    first, last = _month_bounds(month)
    rows = []
    for f in reversed(list_findings(db)):
        if f.found_on > last:
            continue
        f = finding_as_of(f, last)
        if f.closed_on is not None and f.closed_on < first:
            continue
        rows.append(finding_row(f, on=last))
    return rows


def monthly_figures(db: Database, *, month: date | str) -> dict[str, int]:
    """Headline counts of ``project_figures`` for one calendar month, named the same in every branch so HQ
    consolidation can sum them (rates are not summable; HQ recomputes them from these counts)."""
    first, last = _month_bounds(month)
    fig = project_figures(db, start=first, end=last)
    return {
        "项目立项数": fig.started_total,
        "项目完成数": fig.done_total,
        "参与项目党员数": fig.members_participating,
        "在册党员数(项目统计)": fig.members_total,
        "检查发现问题数": fig.findings_found,
        "已整改问题数": fig.findings_rectified,
        "逾期未整改问题数": fig.findings_overdue,
    }


def _cell(value: Any, kind: str, choices: Mapping[Any, str]) -> Any:
    from db.workbook.cells import escape_text

    if value is None or value == "":
        return None
    if kind == "choice":
        return choices.get(value, str(value))
    if kind == "money":
        return round(value / 100, 2)
    if kind == "bool":
        return "是" if value else "否"
    if kind == "date":
        return value
    return escape_text(str(value))


def write_ledger_xlsx(
    path: Any,
    *,
    projects: Sequence[Project] = (),
    findings: Sequence[Finding] = (),
    today: date,
    figures: ProjectFigures | None = None,
) -> Any:
    """Write a 项目台账 and/or 检查整改 sheet (the records given, in order) to the .xlsx file ``path``, plus a
    统计 sheet when ``figures`` is given. Text is formula-escaped, dates are Excel dates, money yuan. Written under
    a temporary name and renamed. Returns the path."""
    import os
    from pathlib import Path

    from openpyxl import Workbook

    path = Path(path)
    wb = Workbook()
    wb.remove(wb.active)
    sheets: list[tuple[str, Any, list[dict[str, Any]]]] = []
    if projects:
        sheets.append(("项目台账", PROJECT_COLUMNS, [project_row(p) for p in projects]))
    if findings:
        sheets.append(("检查整改", FINDING_COLUMNS, [finding_row(f, on=today) for f in findings]))
    if not sheets:
        sheets.append(("项目台账", PROJECT_COLUMNS, []))
    for name, columns, rows in sheets:
        ws = wb.create_sheet(name)
        ws.append([c[1] for c in columns])
        for i, c in enumerate(columns, start=1):
            ws.column_dimensions[ws.cell(1, i).column_letter].width = c[4]
        for row in rows:
            ws.append([_cell(row.get(c[0]), c[2], c[3]) for c in columns])
            for i, c in enumerate(columns, start=1):
                if c[2] == "date":
                    ws.cell(ws.max_row, i).number_format = "yyyy-mm-dd"
                elif c[2] == "money":
                    ws.cell(ws.max_row, i).number_format = "0.00"
        ws.freeze_panes = "A2"
    if figures is not None:
        ws = wb.create_sheet("统计")
        for label, value in figures_lines(figures):
            ws.append([label, value])
        ws.column_dimensions["A"].width = 30
        ws.column_dimensions["B"].width = 40
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.partial")
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def figures_lines(fig: ProjectFigures) -> list[tuple[str, str]]:
    """The figures as (label, value) lines in Chinese, for the page, the printout and the export."""

    def by_cat(counts: Mapping[str, int]) -> str:
        return "，".join(f"{CATEGORIES[k]} {v}" for k, v in counts.items())

    return [
        ("统计期间", f"{fig.start.isoformat()} 至 {fig.end.isoformat()}"),
        ("立项（开始）项目", f"{fig.started_total} 个（{by_cat(fig.started)}）"),
        ("完成项目", f"{fig.done_total} 个（{by_cat(fig.done)}）"),
        (
            "完成率",
            f"{format_rate(fig.completion_rate)}（期内立项 {fig.started_total} 个，已完成 {fig.started_done} 个）",
        ),
        (
            "党员参与率",
            f"{format_rate(fig.participation_rate)}（{fig.members_participating} / {fig.members_total} 人）",
        ),
        ("检查发现问题", f"{fig.findings_found} 个"),
        ("期内完成整改", f"{fig.findings_rectified} 个"),
        ("逾期未整改（截至期末）", f"{fig.findings_overdue} 个"),
    ]


# --- demo ---------------------------------------------------------------------------------------------------

_DEMO_PROJECTS: tuple[tuple[str, str, str, str], ...] = (
    # kind, category, title, place
    ("innovation", "technical", "综采工作面液压支架快速移架工艺改进", "3102综采工作面"),
    ("innovation", "operations", "掘进机截割头降尘喷雾改造", "2205掘进工作面"),
    ("innovation", "management", "班组材料消耗定额管理优化", "综采队材料库"),
    ("secretary_project", "party_building", "“党建+安全”双述双评工作法", "全队"),
    ("secretary_project", "operations", "提升综采单产书记攻坚项目", "3102综采工作面"),
    ("improvement", "party_building", "班前会“三分钟讲安全”改善", "井口区队会议室"),
    ("improvement", "management", "井下工具定置管理改善", "井下机修硐室"),
    ("model_post", "operations", "采煤机司机党员示范岗", "3102综采工作面采煤机"),
    ("model_post", "technical", "机电维修党员先锋岗", "中央变电所"),
    ("responsibility_area", "operations", "运输巷党员责任区", "3102运输巷"),
    ("responsibility_area", "management", "回风巷文明生产党员责任区", "3102回风巷"),
    ("commando_team", "operations", "雨季防汛党员突击队", "地面及井下主排水系统"),
    ("commando_team", "technical", "工作面搬家倒面党员突击队", "3103切眼"),
    ("suggestion", "management", "皮带机托辊集中更换建议", "主运输皮带"),
    ("suggestion", "technical", "乳化液泵站自动配比建议", "泵站硐室"),
)
_DEMO_FINDINGS: tuple[tuple[str, str, str], ...] = (
    (
        "上级党委党建工作季度检查",
        "三会一课记录不完整，个别党小组会无记录",
        "补齐记录，党小组长每月报送会议记录",
    ),
    ("上级党委党建工作季度检查", "党员积分公示未按月更新", "指定组织委员每月5日前更新公示栏"),
    ("基层党建述职评议", "书记项目立项书措施不具体", "细化立项书措施，明确节点和责任人"),
    ("党风廉政建设专项检查", "廉洁风险点排查表未签字", "组织相关人员补签并归档"),
    ("安全生产与党建融合检查", "党员责任区标识牌缺失", "重新制作责任区标识牌并上墙"),
    ("党费收缴专项检查", "党费收缴台账缺少本人签字", "补签并规范收缴流程"),
    ("党建工作年度考核", "主题党日活动照片资料归档不及时", "建立活动资料当周归档制度"),
)
_DEMO_PROGRESS = (
    "召开专题会议，明确分工和节点",
    "完成现场调研，形成初步方案",
    "方案经队部审定，开始实施",
    "完成第一阶段试验，效果良好",
    "组织党员骨干现场攻关",
    "总结阶段成果，推广至其他班组",
)


def demo_projects(db: Database, *, rng: Any, today: date) -> None:
    """Demo projects of every kind and category with participants, progress and outcomes, and inspection
    findings in every state (one or more overdue). Deterministic for a given ``rng`` state and ``today``."""
    members = [m for m in _roster(db)]
    if len(members) < 3:
        return
    uuids = [m[0] for m in members]
    for i, (kind, category, title, place) in enumerate(_DEMO_PROJECTS):
        start = today - timedelta(days=rng.randint(60, 330))
        due = start + timedelta(days=rng.randint(90, 300))
        leader = uuids[i % len(uuids)]
        others = [u for u in uuids if u != leader]
        participants = rng.sample(others, min(len(others), rng.randint(2, 5)))
        values: dict[str, Any] = {
            "title": title,
            "kind": kind,
            "category": category,
            "leader": leader,
            "participants": participants,
            "place": place,
            "start_on": start,
            "due_on": due,
            "goal": f"围绕{place}，{title}，年内见到实效",
            "measures": "一是成立攻关小组；二是制定节点计划；三是每月检查推进情况",
        }
        p = add_project(db, values=values, source="demo")
        # Plan: most run, some finish, one stops, a few stay planned.
        fate = i % 5
        if fate == 4 and i > 10:
            continue  # stays planned
        on = min(today, start + timedelta(days=rng.randint(3, 20)))
        transition_project(db, uuid=p.uuid, to="ongoing", on=on, today=today, source="demo")
        day = on
        for note in rng.sample(_DEMO_PROGRESS, rng.randint(1, 4)):
            day = min(today, day + timedelta(days=rng.randint(10, 40)))
            add_progress(db, project_uuid=p.uuid, on=day, note=note, today=today, source="demo")
        if fate in (0, 2) and day < today:
            finish = min(today, day + timedelta(days=rng.randint(1, 20)))
            benefit = rng.randint(2, 60) * 100_000  # 2 000 – 60 000 yuan, in fen
            update_project(
                db,
                uuid=p.uuid,
                changes={"outcome": "达到预期目标，减少停机时间，提高了工效", "benefit_fen": benefit},
                source="demo",
            )
            transition_project(db, uuid=p.uuid, to="done", on=finish, today=today, source="demo")
            record_acceptance(
                db,
                uuid=p.uuid,
                on=finish,
                result=rng.choice(["excellent", "good", "passed"]),
                note="资料齐全，成效明显",
                today=today,
                source="demo",
            )
        elif fate == 3 and i == 13:
            transition_project(
                db, uuid=p.uuid, to="stopped", on=day, reason="设备更新后不再适用", today=today, source="demo"
            )
    for i, (source_name, problem, measure) in enumerate(_DEMO_FINDINGS):
        found = today - timedelta(days=rng.randint(20, 150))
        deadline = found + timedelta(days=rng.randint(10, 30))
        f = add_finding(
            db,
            values={
                "found_on": found,
                "source": source_name,
                "problem": problem,
                "measure": measure,
                "owner": uuids[(i * 3) % len(uuids)],
                "deadline": deadline,
            },
            today=today,
            source="demo",
        )
        state = i % 4
        if state == 0 and i > 0:
            continue  # open (overdue: its deadline is well past)
        if i == 0:
            # One open finding with a deadline still ahead.
            update_finding(
                db, uuid=f.uuid, changes={"deadline": today + timedelta(days=10)}, today=today, source="demo"
            )
            continue
        rect = min(today, found + timedelta(days=rng.randint(5, 25)))
        rectify_finding(
            db, uuid=f.uuid, rectified_on=rect, evidence="整改材料已归档", today=today, source="demo"
        )
        if state >= 2:
            close_finding(
                db,
                uuid=f.uuid,
                closed_on=min(today, rect + timedelta(days=3)),
                evidence="经检查组复查，同意销号",
                today=today,
                source="demo",
            )
        if state == 3:
            reopen_finding(
                db, uuid=f.uuid, on=today, reason="复查发现问题反弹，重新整改", today=today, source="demo"
            )


def _roster(db: Database) -> list[tuple[str, str]]:
    return [
        (r[0], r[1])
        for r in db.execute("SELECT uuid, name FROM members WHERE status = 'active' ORDER BY id").fetchall()
    ]
