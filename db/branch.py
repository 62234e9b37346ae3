"""The branch profile: name, code, upper organisation, committee term, committee members, party groups, settings.

There is one branch per database. Settings are branch rules (such as the party-lecture frequency) stored as JSON
values under glossary-named keys; every part of the program reads them with ``get_setting`` and a default.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from db import audit
from db.errors import NotFound, Problem, ValidationError
from db.ids import fresh_uuid
from db.records import COMMITTEE_ROLES, Branch, CommitteeMember, PartyGroup, from_row
from db.rows import query, query_one
from db.rules import normalize_text, parse_date
from db.standing import RULE_WATCH, watch_on
from db.store import Database, now_iso


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def get_branch(db: Database) -> Branch | None:
    """The branch profile, or None on a database where the branch was not set up yet."""
    row = query_one(db, "SELECT uuid, name, code, parent_org, term_start, term_end FROM branch WHERE id = 1")
    return None if row is None else from_row(Branch, row)


def is_empty(db: Database) -> bool:
    """True on a fresh database: no branch profile and no members (the first-run page is shown)."""
    has_branch = db.execute("SELECT 1 FROM branch").fetchone() is not None
    has_members = db.execute("SELECT 1 FROM members LIMIT 1").fetchone() is not None
    return not has_branch and not has_members


def save_branch(
    db: Database,
    *,
    name: str,
    code: str = "",
    parent_org: str = "",
    term_start: date | None = None,
    term_end: date | None = None,
    records_from: date | None = None,
) -> Branch:
    """Create or update the branch profile. Raises ``ValidationError`` for an empty name or a term that ends
    before it starts.

    ``records_from``: when this call creates the profile (a branch setting itself up) and no ``records_start`` is
    set yet, the branch starts keeping its records here on that day, so no reminder is raised about the periods
    before it (a new branch sees what to do next, not a wall of alarms about the time before it used the program).
    """
    name = normalize_text(name)
    problems = []
    if not name:
        problems.append(Problem("name", "请填写支部名称"))
    if term_start and term_end and term_end <= term_start:
        problems.append(Problem("term_end", "换届日期（届满）必须晚于本届开始日期"))
    if problems:
        raise ValidationError(problems)
    values = {
        "name": name,
        "code": normalize_text(code),
        "parent_org": normalize_text(parent_org),
        "term_start": _iso(term_start),
        "term_end": _iso(term_end),
    }
    with db.atomic():
        old = get_branch(db)
        now = now_iso()
        if old is None:
            branch_uuid = fresh_uuid()
            db.execute(
                "INSERT INTO branch (id, uuid, name, code, parent_org, term_start, term_end, created_at, updated_at) "
                "VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)",
                [branch_uuid, *values.values(), now, now],
            )
            audit.Trail(db, "branch", branch_uuid).create()
            if records_from is not None and records_start(db) is None:
                set_records_start(db, on=records_from)
        else:
            db.execute(
                "UPDATE branch SET name=?, code=?, parent_org=?, term_start=?, term_end=?, updated_at=? WHERE id=1",
                [*values.values(), now],
            )
            for field, new in values.items():
                before = getattr(old, field)
                before = before.isoformat() if isinstance(before, date) else before
                if before != new:
                    audit.Trail(db, "branch", old.uuid).update(field, old=before, new=new)
    result = get_branch(db)
    assert result is not None
    return result


def set_term(db: Database, *, start: date, end: date) -> Branch:
    """Set the committee's term (本届开始 ``start``, 届满 ``end``), keeping the rest of the profile, with the audit
    entries of ``save_branch``. Raises ``ValidationError`` when the branch was not set up yet or the term ends
    before it starts."""
    profile = get_branch(db)
    if profile is None:
        raise ValidationError([Problem("branch", "请先在支部设置中填写支部信息")])
    return save_branch(
        db,
        name=profile.name,
        code=profile.code,
        parent_org=profile.parent_org,
        term_start=start,
        term_end=end,
    )


# --- settings ---------------------------------------------------------------------------------------------


def get_setting(db: Database, *, key: str, default: Any = None) -> Any:
    """A branch setting (JSON value), or ``default`` when it was never set."""
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return default if row is None else json.loads(row[0])


def set_setting(db: Database, *, key: str, value: Any) -> None:
    """Store a branch setting as JSON."""
    with db.atomic():
        db.execute(
            "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            [key, json.dumps(value, ensure_ascii=False), now_iso()],
        )


def records_start(db: Database) -> date | None:
    """The branch setting ``records_start``: the day the branch started keeping its records in Branch Desk.

    No reminder (dues arrears, meetings not held) is raised for a period before it; None (the default) means the
    records are complete from the start."""
    value = get_setting(db, key="records_start", default=None)
    return parse_date(value) if isinstance(value, str) else None


def set_records_start(db: Database, *, on: date | None) -> None:
    """Record (or clear with None) the day the branch started keeping its records here."""
    old = records_start(db)
    with db.atomic():
        set_setting(db, key="records_start", value=on.isoformat() if on else None)
        if old != on:
            audit.Trail(db, "setting", "records_start").update(
                "records_start", old=old.isoformat() if old else None, new=on.isoformat() if on else None
            )


# --- party groups -----------------------------------------------------------------------------------------


_GROUP_SELECT = """
    SELECT g.id, g.uuid, g.name, l.uuid AS leader_uuid, COALESCE(l.name, '') AS leader_name, g.sort_order,
           (SELECT count(*) FROM members m WHERE m.party_group_id = g.id AND m.status = 'active') AS member_count
    FROM party_groups g LEFT JOIN members l ON l.id = g.leader_id
"""


def list_party_groups(db: Database) -> list[PartyGroup]:
    """Party groups in their display order, with leader and number of active members."""
    return [from_row(PartyGroup, row) for row in query(db, _GROUP_SELECT + " ORDER BY g.sort_order, g.id")]


def get_party_group(db: Database, *, uuid: str) -> PartyGroup:
    """One party group by its stable id. Raises ``NotFound``."""
    row = query_one(db, _GROUP_SELECT + " WHERE g.uuid = ?", [uuid])
    if row is None:
        raise NotFound("找不到该党小组")
    return from_row(PartyGroup, row)


def party_group_id(db: Database, *, uuid: str | None) -> int | None:
    """The row id of a party group given its stable id (None for none). Raises ``ValidationError`` when the group
    does not exist (a form or a workbook named a group that is gone)."""
    if not uuid:
        return None
    row = db.execute("SELECT id FROM party_groups WHERE uuid = ?", [uuid]).fetchone()
    if row is None:
        raise ValidationError([Problem("party_group", "所选党小组不存在")])
    return int(row[0])


def _member_id(db: Database, member_uuid: str | None) -> int | None:
    if member_uuid is None:
        return None
    row = db.execute("SELECT id FROM members WHERE uuid = ?", [member_uuid]).fetchone()
    if row is None:
        raise NotFound(f"找不到该党员（{member_uuid}）")
    return int(row[0])


def save_party_group(
    db: Database, *, name: str, leader_uuid: str | None = None, group_uuid: str | None = None
) -> PartyGroup:
    """Create a party group, or rename it / change its leader when ``group_uuid`` is given.

    Raises ``ValidationError`` for an empty or duplicate name.
    """
    name = normalize_text(name)
    if not name:
        raise ValidationError([Problem("name", "请填写党小组名称")])
    with db.atomic():
        clash = db.execute(
            "SELECT uuid FROM party_groups WHERE name = ? AND uuid IS NOT ?", [name, group_uuid]
        ).fetchone()
        if clash:
            raise ValidationError([Problem("name", f"已有名为「{name}」的党小组")])
        leader_id = _member_id(db, leader_uuid)
        now = now_iso()
        if group_uuid is None:
            group_uuid = fresh_uuid()
            order = db.execute("SELECT COALESCE(max(sort_order), 0) + 1 FROM party_groups").fetchone()[0]
            db.execute(
                "INSERT INTO party_groups (uuid, name, leader_id, sort_order, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [group_uuid, name, leader_id, order, now, now],
            )
            audit.Trail(db, "party_group", group_uuid).create("name", new=name)
        else:
            old = db.execute(
                "SELECT name, leader_id FROM party_groups WHERE uuid = ?", [group_uuid]
            ).fetchone()
            if old is None:
                raise NotFound("找不到该党小组")
            db.execute(
                "UPDATE party_groups SET name = ?, leader_id = ?, updated_at = ? WHERE uuid = ?",
                [name, leader_id, now, group_uuid],
            )
            trail = audit.Trail(db, "party_group", group_uuid)
            if old[0] != name:
                trail.update("name", old=old[0], new=name)
            if old[1] != leader_id:
                trail.update("leader", old=old[1], new=leader_id)
    return get_party_group(db, uuid=group_uuid)


# --- committee --------------------------------------------------------------------------------------------


def list_committee(db: Database, *, on: date | None = None) -> list[CommitteeMember]:
    """Committee members serving on ``on`` (default today), in the order of the roles of the glossary."""
    on_text = (on or date.today()).isoformat()
    found = query(
        db,
        """
        SELECT c.uuid, m.uuid AS member_uuid, m.name AS member_name, c.role, c.since, c.until
        FROM committee_members c JOIN members m ON m.id = c.member_id
        WHERE (c.since IS NULL OR c.since <= ?) AND (c.until IS NULL OR c.until >= ?)
        """,
        [on_text, on_text],
    )
    order = list(COMMITTEE_ROLES)
    rows = [from_row(CommitteeMember, r) for r in found]
    return sorted(rows, key=lambda c: (order.index(c.role), c.member_name))


def appoint_committee_member(
    db: Database, *, member_uuid: str, role: str, since: date | None = None
) -> CommitteeMember:
    """Appoint a member to a committee role from ``since``. Raises ``ValidationError`` for an unknown role, a
    member who is not active, a probationary member (党章第七条: 预备党员 have no right to be elected), a member
    under 留党察看 on ``since`` (选举工作条例第五条) and a second 书记 while one is serving (one 书记 at a time; end
    the other's service first)."""
    if role not in COMMITTEE_ROLES:
        raise ValidationError([Problem("role", f"未知的支委职务：{role}")])
    with db.atomic():
        row = db.execute(
            "SELECT id, status, name, category FROM members WHERE uuid = ?", [member_uuid]
        ).fetchone()
        if row is None:
            raise NotFound("找不到该党员")
        if row[1] != "active":
            raise ValidationError([Problem("member", f"{row[2]} 已不在册，不能担任支委")])
        if row[3] != "full":
            raise ValidationError(
                [
                    Problem(
                        "member",
                        f"党章第七条：预备党员没有选举权和被选举权，{row[2]} 是预备党员，不能担任支委",
                    )
                ]
            )
        watch = watch_on(db, member_uuid=member_uuid, on=since or date.today())
        if watch is not None:
            raise ValidationError(
                [
                    Problem(
                        "member",
                        f"{RULE_WATCH}：受留党察看处分的党员在留党察看期间没有表决权、选举权和被选举权，"
                        f"{row[2]} 留党察看至 {watch[1].isoformat()}，不能担任支委",
                    )
                ]
            )
        if role == "secretary":
            on = _iso(since or date.today())
            serving = db.execute(
                "SELECT m.name FROM committee_members c JOIN members m ON m.id = c.member_id "
                "WHERE c.role = 'secretary' AND (c.until IS NULL OR c.until >= ?) AND m.status = 'active'",
                [on],
            ).fetchone()
            if serving is not None:
                raise ValidationError(
                    [Problem("role", f"{serving[0]} 正在担任书记：一个支部同时只设一名书记，请先结束其任职")]
                )
        now = now_iso()
        c_uuid = fresh_uuid()
        db.execute(
            "INSERT INTO committee_members (uuid, member_id, role, since, until, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, NULL, ?, ?)",
            [c_uuid, row[0], role, _iso(since), now, now],
        )
        audit.Trail(db, "committee_member", c_uuid).create("role", new=role)
    return next(c for c in list_committee(db, on=since) if c.uuid == c_uuid)


def end_committee_service(db: Database, *, committee_uuid: str, until: date) -> None:
    """End a committee appointment on ``until`` (kept in the record, never deleted)."""
    with db.atomic():
        cur = db.execute(
            "UPDATE committee_members SET until = ?, updated_at = ? WHERE uuid = ?",
            [until.isoformat(), now_iso(), committee_uuid],
        )
        if cur.rowcount == 0:
            raise NotFound("找不到该支委任职记录")
        audit.Trail(db, "committee_member", committee_uuid).add("archive", "until", new=until)
