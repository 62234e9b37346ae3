"""Inspection findings (党建检查问题) to closure: reading and writing.

Status: open 待整改 → rectified 已整改 → closed 已销号; rectified/closed → open is a reopening with a reason. Every
step is dated and kept in ``finding_events``; every write is one transaction with its audit entries, and nothing
is deleted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from db import audit, edits, rows
from db.errors import NotFound, Problem, date_problems, raise_if
from db.projects.common import person, plain, required_date, roster_member
from db.projects.records import FINDING_STATUSES, Finding, FindingEvent
from db.records import from_row
from db.rules import normalize_text, parse_date
from db.store import Database, now_iso

# --- reading ------------------------------------------------------------------------------------------------

_FINDING_SELECT = """
    SELECT f.id, f.uuid, f.found_on, f.source, f.problem, f.measure, m.uuid AS owner_uuid, m.name AS owner_name,
           f.deadline, f.status, f.rectified_on, f.closed_on, f.evidence, f.created_at, f.updated_at,
           mt.uuid AS meeting_uuid
    FROM findings f LEFT JOIN members m ON m.id = f.owner_id LEFT JOIN meetings mt ON mt.id = f.meeting_id
"""


def _finding(row: Mapping[str, Any], *, events: Sequence[FindingEvent]) -> Finding:
    return from_row(Finding, row, owner=person(row["owner_uuid"], row["owner_name"]), events=tuple(events))


def _findings_from_rows(db: Database, found: Sequence[Mapping[str, Any]]) -> list[Finding]:
    """Records of the finding rows ``found`` (of ``_FINDING_SELECT``) with their rectify/close/reopen history."""
    if not found:
        return []
    events = rows.children(
        db,
        "SELECT finding_id, uuid, action, on_date, note FROM finding_events WHERE finding_id IN ({ids}) ORDER BY id",
        [r["id"] for r in found],
        key="finding_id",
        make=lambda r: FindingEvent(r["uuid"], r["action"], required_date(r["on_date"]), r["note"]),
    )
    return [_finding(r, events=events[r["id"]]) for r in found]


def get_finding(db: Database, *, uuid: str) -> Finding:
    """The finding with this stable id, with its rectify/close/reopen history. Raises ``NotFound``."""
    found = rows.query(db, _FINDING_SELECT + " WHERE f.uuid = ?", [uuid])
    if not found:
        raise NotFound(f"找不到该检查问题（{uuid}）")
    return _findings_from_rows(db, found)[0]


def list_findings(
    db: Database,
    *,
    status: str | None = None,
    year: int | None = None,
    owner_uuid: str | None = None,
    overdue_on: date | None = None,
    query: str = "",
    meeting_uuid: str | None = None,
) -> list[Finding]:
    """Findings, newest first. ``year`` is the year found; ``overdue_on`` keeps those overdue on that day;
    ``query`` matches the inspection name, the problem or the owner's name; ``meeting_uuid`` keeps the 整改清单
    of that 组织生活会."""
    clause, params = rows.where(
        {
            "f.status = ?": status or None,
            "substr(f.found_on, 1, 4) = ?": f"{year:04d}" if year else None,
            "m.uuid = ?": owner_uuid or None,
            "mt.uuid = ?": meeting_uuid or None,
            "f.status = 'open' AND f.deadline < ?": overdue_on,
        }
    )
    q = normalize_text(query)
    if q:
        clause += (
            " AND " if clause else " WHERE "
        ) + "(f.source LIKE ? OR f.problem LIKE ? OR m.name LIKE ?)"
        params += [f"%{q}%"] * 3
    sql = _FINDING_SELECT + clause + " ORDER BY f.found_on DESC, f.id"
    return _findings_from_rows(db, rows.query(db, sql, params))


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
            out[key] = plain(value)
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
    problems += date_problems("found_on", "发现日期", found, today=today)
    if not values.get("source"):
        problems.append(Problem("source", "请填写检查名称"))
    if not values.get("problem"):
        problems.append(Problem("problem", "请填写存在的问题"))
    if not isinstance(deadline, date):
        problems.append(Problem("deadline", "请填写整改时限"))
    elif isinstance(found, date) and deadline < found:
        problems.append(Problem("deadline", f"整改时限不能早于发现日期（{found.isoformat()}）"))
    owner = values.get("owner")
    if owner and rows.query_one(db, "SELECT name, status FROM members WHERE uuid = ?", [owner]) is None:
        problems.append(Problem("owner", "所选责任人不在党员名册中"))
    return problems


def _finding_columns(db: Database, v: Mapping[str, Any]) -> dict[str, Any]:
    return edits.stored_columns(v, {"owner": ("owner_id", lambda u: roster_member(db, u).id if u else None)})


_FINDINGS = edits.Table("findings", "finding", _finding_columns)


def add_finding(
    db: Database,
    *,
    values: Mapping[str, Any],
    today: date | None = None,
    source: str = "local",
    finding_uuid: str | None = None,
    meeting_id: int | None = None,
) -> Finding:
    """Record an inspection finding (status 待整改 open). Keys: found_on, source (检查名称), problem, measure,
    owner (member uuid), deadline (时限). ``meeting_id``: the 组织生活会 whose 整改清单 it belongs to (the caller,
    ``db.lifemeeting``, checks the meeting). Raises ``ValidationError`` (nothing saved)."""
    v = clean_finding_values(values)
    raise_if(validate_finding(db, values=v, today=today))
    with db.atomic():
        columns = {**_finding_columns(db, v), "status": "open", "meeting_id": meeting_id}
        new_uuid = edits.insert_row(db, "findings", columns, uuid=finding_uuid)
        trail = audit.Trail(db, "finding", new_uuid, source=source)
        trail.create("problem", new=v.get("problem"))
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
        raise_if(problems)
        changed = {k: val for k, val in new.items() if before.get(k) != val}
        if changed:
            edits.update_fields(db, _FINDINGS, uuid, before=before, changed=changed, source=source)
    return get_finding(db, uuid=uuid)


def _finding_step(
    db: Database, f: Finding, action: str, on: date, note: str, *, old: str, to: str, source: str
) -> None:
    """One dated step of a finding's history (rectify, close, reopen) and its audit entry: status ``old`` → ``to``
    on ``on`` (with the reason, for a reopening)."""
    event = {"finding_id": f.id, "action": action, "on_date": on.isoformat(), "note": note}
    edits.insert_row(db, "finding_events", event)
    reason = f"：{note}" if action == "reopen" else ""
    audit.Trail(db, "finding", f.uuid, source=source).status(old, f"{to}（{on.isoformat()}）{reason}")


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
    evidence = plain(evidence)
    with db.atomic():
        f = get_finding(db, uuid=uuid)
        problems = []
        if f.status != "open":
            problems.append(
                Problem("status", f"该问题当前为「{f.status_label}」，只有待整改的问题可以登记整改完成")
            )
        problems += _rectified_on_problems(f, rectified_on, today)
        raise_if(problems)
        assert rectified_on is not None
        db.execute(
            "UPDATE findings SET status = 'rectified', rectified_on = ?, evidence = ?, updated_at = ? "
            "WHERE id = ?",
            [rectified_on.isoformat(), evidence or f.evidence, now_iso(), f.id],
        )
        _finding_step(db, f, "rectify", rectified_on, evidence, old=f.status, to="rectified", source=source)
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
    evidence = plain(evidence)
    with db.atomic():
        f = get_finding(db, uuid=uuid)
        problems: list[Problem] = []
        if f.status == "closed":
            problems.append(Problem("status", "该问题已经销号"))
            raise_if(problems)
        rect = f.rectified_on if f.status == "rectified" else rectified_on
        if rect is None:
            problems.append(Problem("rectified_on", "未填写整改完成日期，不能销号：请先登记整改完成日期"))
        elif f.status == "open":
            problems += _rectified_on_problems(f, rect, today)
        if rect is not None and closed_on < rect:
            problems.append(Problem("closed_on", f"销号日期不能早于整改完成日期（{rect.isoformat()}）"))
        problems += date_problems("closed_on", "销号日期", closed_on, today=today)
        raise_if(problems)
        assert rect is not None
        if f.status == "open":
            _finding_step(db, f, "rectify", rect, evidence, old="open", to="rectified", source=source)
        db.execute(
            "UPDATE findings SET status = 'closed', rectified_on = ?, closed_on = ?, evidence = ?, updated_at = ? "
            "WHERE id = ?",
            [rect.isoformat(), closed_on.isoformat(), evidence or f.evidence, now_iso(), f.id],
        )
        _finding_step(db, f, "close", closed_on, evidence, old="rectified", to="closed", source=source)
    return get_finding(db, uuid=uuid)


def reopen_finding(
    db: Database, *, uuid: str, on: date, reason: str, today: date | None = None, source: str = "local"
) -> Finding:
    """Reopen a rectified or closed finding (back to 待整改) with a reason; the earlier rectification and
    closing stay in its history and the audit log. Raises ``ValidationError`` (nothing saved)."""
    today = today or date.today()
    reason = plain(reason)
    with db.atomic():
        f = get_finding(db, uuid=uuid)
        problems = []
        if f.status == "open":
            problems.append(Problem("status", "该问题尚未整改，无需重新打开"))
        if not reason:
            problems.append(Problem("reason", "重新打开请填写原因"))
        problems += date_problems("on_date", "重新打开日期", on, today=today)
        if f.rectified_on and on < f.rectified_on:
            problems.append(
                Problem("on_date", f"重新打开日期不能早于整改完成日期（{f.rectified_on.isoformat()}）")
            )
        raise_if(problems)
        db.execute(
            "UPDATE findings SET status = 'open', rectified_on = NULL, closed_on = NULL, updated_at = ? "
            "WHERE id = ?",
            [now_iso(), f.id],
        )
        _finding_step(db, f, "reopen", on, reason, old=f.status, to="open", source=source)
    return get_finding(db, uuid=uuid)
