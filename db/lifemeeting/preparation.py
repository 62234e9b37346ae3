"""The preparation of a 组织生活会 (支部工作条例第十七条: 会前认真学习，谈心谈话，听取意见) and its 批评与自我批评: the
opinions gathered, each member's 对照检查材料, and what each member said at the meeting, in a few words.

Every write is one transaction with its audit entries; an opinion entered by mistake is archived, never deleted.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from db import audit, edits, rows
from db.errors import NotFound, Problem, ValidationError, date_problems, raise_if
from db.lifemeeting.records import OPINION_SOURCES, Criticism, Material, Opinion
from db.meetings import Meeting, get_meeting, list_attendance
from db.projects.common import plain, required_date
from db.rules import parse_date
from db.store import Database, now_iso

# --- the meeting and its people ------------------------------------------------------------------------------


def life_meeting(db: Database, meeting_uuid: str) -> Meeting:
    """The 组织生活会 with this uuid. Raises ``NotFound``, and ``ValidationError`` for another kind of meeting or a
    cancelled one."""
    m = get_meeting(db, uuid=meeting_uuid)
    if m.kind != "life_meeting":
        raise ValidationError([Problem("meeting", f"「{m.title}」不是组织生活会")])
    if m.status == "cancelled":
        raise ValidationError([Problem("meeting", f"{m.title}已取消，不能再登记")])
    return m


def people(db: Database, meeting_uuid: str) -> list[tuple[str, str]]:
    """The members of the meeting (uuid, name), in sign-in order: those expected at it (its attendance rows),
    observers left out."""
    return [
        (a.member_uuid, a.name)
        for a in list_attendance(db, meeting_uuid=meeting_uuid)
        if a.member_uuid is not None and a.state != "observer"
    ]


def _member_id(db: Database, meeting_uuid: str, member_uuid: str, field: str) -> tuple[int, str]:
    """The row id and name of a member of the meeting; ``ValidationError`` for anyone else."""
    names = dict(people(db, meeting_uuid))
    row = rows.query_one(db, "SELECT id, name FROM members WHERE uuid = ?", [member_uuid])
    if row is None or member_uuid not in names:
        raise ValidationError([Problem(field, "所选党员不是本次组织生活会的参会党员")])
    return int(row["id"]), str(row["name"])


def _meeting_row_id(db: Database, meeting_uuid: str) -> int:
    return life_meeting(db, meeting_uuid).id


# --- 征求意见 -----------------------------------------------------------------------------------------------

_OPINION_SELECT = """
    SELECT o.uuid, o.source_kind, mb.uuid AS member_uuid, COALESCE(mb.name, '') AS member_name, o.source_name,
           o.received_on, o.text
    FROM life_meeting_opinions o JOIN meetings m ON m.id = o.meeting_id LEFT JOIN members mb ON mb.id = o.member_id
"""


def _opinion(row: Mapping[str, Any]) -> Opinion:
    return Opinion(
        row["uuid"],
        row["source_kind"],
        row["member_uuid"],
        row["member_name"],
        row["source_name"],
        required_date(row["received_on"]),
        row["text"],
    )


def list_opinions(db: Database, *, meeting_uuid: str) -> list[Opinion]:
    """The opinions gathered for a 组织生活会 (archived ones left out), in the order received."""
    found = rows.query(
        db,
        _OPINION_SELECT + " WHERE m.uuid = ? AND o.archived_at IS NULL ORDER BY o.received_on, o.id",
        [meeting_uuid],
    )
    return [_opinion(r) for r in found]


def typed_date(value: date | str | None) -> date | None:
    """A date given as ``date`` or typed ``YYYY-MM-DD``; None when empty or not a real date (the caller's message
    asks for the date in that form), never the calendar's own ValueError."""
    if isinstance(value, date):
        return value
    try:
        return parse_date(value)
    except ValueError:
        return None


def validate_opinion(values: Mapping[str, Any], *, today: date) -> list[Problem]:
    """Every reason an opinion cannot be saved, in Chinese (keys: source_kind, member, source_name, received_on,
    text)."""
    problems = []
    kind = values.get("source_kind")
    if kind not in OPINION_SOURCES:
        problems.append(Problem("source_kind", "请选择意见来源（党员、群众或上级党委）"))
    if kind == "member" and not values.get("member"):
        problems.append(Problem("member", "意见来自党员时请选择提出意见的党员"))
    problems += date_problems(
        "received_on",
        "收到意见的日期",
        values.get("received_on"),
        today=today,
        missing="请填写收到意见的日期（YYYY-MM-DD）",
    )
    if not plain(values.get("text")):
        problems.append(Problem("text", "请填写意见内容"))
    return problems


def add_opinion(
    db: Database,
    *,
    meeting_uuid: str,
    source_kind: str,
    text: str,
    received_on: date | str | None,
    member_uuid: str | None = None,
    source_name: str = "",
    today: date | None = None,
) -> Opinion:
    """Record an opinion gathered for the 组织生活会 (征求意见). ``source_kind``: member (with ``member_uuid``, any
    member on the roster), masses or upper (``source_name`` says who, optional). Raises ``ValidationError``."""
    today = today or date.today()
    on = typed_date(received_on)
    values = {
        "source_kind": source_kind,
        "member": member_uuid,
        "received_on": on,
        "text": text,
    }
    raise_if(validate_opinion(values, today=today))
    assert on is not None
    with db.atomic():
        meeting_id = _meeting_row_id(db, meeting_uuid)
        member_id = None
        if source_kind == "member":
            row = rows.query_one(db, "SELECT id FROM members WHERE uuid = ?", [member_uuid])
            if row is None:
                raise ValidationError([Problem("member", "所选党员不在党员名册中")])
            member_id = int(row["id"])
        new_uuid = edits.insert_row(
            db,
            "life_meeting_opinions",
            {
                "meeting_id": meeting_id,
                "source_kind": source_kind,
                "member_id": member_id,
                "source_name": plain(source_name) if source_kind != "member" else "",
                "received_on": on.isoformat(),
                "text": plain(text),
            },
        )
        audit.Trail(db, "life_meeting_opinion", new_uuid).create("text", new=plain(text))
    return next(o for o in list_opinions(db, meeting_uuid=meeting_uuid) if o.uuid == new_uuid)


def archive_opinion(db: Database, *, uuid: str) -> None:
    """Withdraw an opinion entered by mistake: archived (kept, with its audit entry), no longer listed or counted."""
    with db.atomic():
        row = rows.query_one(
            db, "SELECT text FROM life_meeting_opinions WHERE uuid = ? AND archived_at IS NULL", [uuid]
        )
        if row is None:
            raise NotFound("找不到该条意见，可能已被撤回")
        db.execute(
            "UPDATE life_meeting_opinions SET archived_at = ?, updated_at = ? WHERE uuid = ?",
            [now_iso(), now_iso(), uuid],
        )
        audit.Trail(db, "life_meeting_opinion", uuid).add("archive", "text", old=row["text"])


# --- 对照检查材料 -------------------------------------------------------------------------------------------


def _by_member(db: Database, table: str, columns: str, meeting_uuid: str) -> dict[str, dict[str, Any]]:
    """The rows of a table of one row per member of a meeting (its ``columns`` of ``t``), by member uuid."""
    return {
        r["member_uuid"]: r
        for r in rows.query(
            db,
            f"SELECT mb.uuid AS member_uuid, {columns} FROM {table} t JOIN meetings m ON m.id = t.meeting_id "
            "JOIN members mb ON mb.id = t.member_id WHERE m.uuid = ?",
            [meeting_uuid],
        )
    }


def list_materials(db: Database, *, meeting_uuid: str) -> list[Material]:
    """Every member of the meeting with their 对照检查材料 (submitted or not), in sign-in order."""
    found = _by_member(db, "life_meeting_materials", "t.uuid, t.submitted_on, t.note", meeting_uuid)
    out = []
    for member_uuid, name in people(db, meeting_uuid):
        r = found.get(member_uuid)
        out.append(
            Material(
                member_uuid,
                name,
                r["uuid"] if r else None,
                required_date(r["submitted_on"]) if r else None,
                r["note"] if r else "",
            )
        )
    return out


def set_material(
    db: Database,
    *,
    meeting_uuid: str,
    member_uuid: str,
    submitted_on: date | str | None,
    note: str = "",
    today: date | None = None,
) -> Material:
    """Record (or correct) that a member handed in their 对照检查材料 on ``submitted_on``. Raises
    ``ValidationError``: no date, a date in the future, someone not at the meeting."""
    today = today or date.today()
    on = typed_date(submitted_on)
    if on is None:
        raise ValidationError([Problem("submitted_on", "请填写提交日期（YYYY-MM-DD）")])
    raise_if(date_problems("submitted_on", "提交日期", on, today=today))
    with db.atomic():
        meeting_id = _meeting_row_id(db, meeting_uuid)
        member_id, name = _member_id(db, meeting_uuid, member_uuid, "member")
        old = rows.query_one(
            db,
            "SELECT uuid, submitted_on, note FROM life_meeting_materials WHERE meeting_id = ? AND member_id = ?",
            [meeting_id, member_id],
        )
        if old is None:
            new_uuid = edits.insert_row(
                db,
                "life_meeting_materials",
                {
                    "meeting_id": meeting_id,
                    "member_id": member_id,
                    "submitted_on": on.isoformat(),
                    "note": plain(note),
                },
            )
            audit.Trail(db, "life_meeting_material", new_uuid).create("member", new=name)
        else:
            edits.update_changed(
                db,
                table="life_meeting_materials",
                entity="life_meeting_material",
                uuid=old["uuid"],
                before={"submitted_on": old["submitted_on"], "note": old["note"]},
                new={"submitted_on": on.isoformat(), "note": plain(note)},
            )
    return next(m for m in list_materials(db, meeting_uuid=meeting_uuid) if m.member_uuid == member_uuid)


# --- 批评与自我批评 -----------------------------------------------------------------------------------------


def list_criticism(db: Database, *, meeting_uuid: str) -> list[Criticism]:
    """Every member of the meeting with their 批评与自我批评 ("" where not recorded), in sign-in order."""
    found = _by_member(db, "life_meeting_criticism", "t.self_criticism, t.criticism", meeting_uuid)
    return [
        Criticism(
            u,
            name,
            found[u]["self_criticism"] if u in found else "",
            found[u]["criticism"] if u in found else "",
        )
        for u, name in people(db, meeting_uuid)
    ]


def set_criticism(
    db: Database, *, meeting_uuid: str, member_uuid: str, self_criticism: str, criticism: str
) -> Criticism:
    """Record (or correct) a member's 自我批评 and the 批评 they received, in a few words each, at a held 组织生活会.
    Raises ``ValidationError``: the meeting not held yet, someone not at it, both texts empty."""
    values = {"self_criticism": plain(self_criticism), "criticism": plain(criticism)}
    with db.atomic():
        m = life_meeting(db, meeting_uuid)
        if m.status != "held":
            raise ValidationError(
                [Problem("meeting", "组织生活会召开后才能登记批评与自我批评（请先登记召开情况）")]
            )
        member_id, name = _member_id(db, meeting_uuid, member_uuid, "member")
        old = rows.query_one(
            db,
            "SELECT uuid, self_criticism, criticism FROM life_meeting_criticism "
            "WHERE meeting_id = ? AND member_id = ?",
            [m.id, member_id],
        )
        if old is None:
            if not any(values.values()):
                raise ValidationError([Problem("self_criticism", f"请填写{name}的自我批评或收到的批评意见")])
            new_uuid = edits.insert_row(
                db, "life_meeting_criticism", {"meeting_id": m.id, "member_id": member_id, **values}
            )
            trail = audit.Trail(db, "life_meeting_criticism", new_uuid)
            trail.create("member", new=name)
            for key, value in values.items():
                if value:
                    trail.update(key, new=value)
        else:
            edits.update_changed(
                db,
                table="life_meeting_criticism",
                entity="life_meeting_criticism",
                uuid=old["uuid"],
                before={k: old[k] for k in values},
                new=values,
            )
    return next(c for c in list_criticism(db, meeting_uuid=meeting_uuid) if c.member_uuid == member_uuid)
