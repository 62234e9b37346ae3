"""Reading transfers, mobile periods and standing events; serials; the dues month a letter is prefilled with; a
member's timeline. Records are built by column name (``db.records.from_row``)."""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from db import audit
from db import members as members_db
from db.dues import month_ledger_for
from db.errors import NotFound, Problem
from db.records import CATEGORIES, GENDERS, STANDINGS, Member, from_row
from db.rows import query, query_one, where
from db.rules import add_months, parse_date
from db.standing import watch_periods
from db.store import Database
from db.transfers.records import MemberEvent, MobilePeriod, TimelineEntry, Transfer

R = TypeVar("R")

# Column names (and aliases) are the field names of the records; ``from_row`` builds them by name.
_TRANSFER_SELECT = """
    SELECT t.uuid, t.direction, t.serial, m.uuid AS member_uuid, m.name AS member_name, t.addressee, t.from_unit,
           t.to_unit, t.dues_paid_to, t.validity_days, t.issued_on, t.receipt_on, t.applied_on, t.activist_on,
           t.candidate_on, t.joined_on, t.full_on, t.status, t.cancel_reason, t.notes, t.scope, t.whole_unit, t.created_at,
           t.updated_at
    FROM transfers t JOIN members m ON m.id = t.member_id
"""

_MOBILE_SELECT = """
    SELECT p.uuid, m.uuid AS member_uuid, m.name AS member_name, p.province, p.city, p.county, p.reason, p.contact,
           p.started_on, p.expected_return_on, p.ended_on, p.end_reason, p.created_at, p.updated_at,
           p.activity_card
    FROM mobile_periods p JOIN members m ON m.id = p.member_id
"""

_EVENT_SELECT = """
    SELECT e.uuid, m.uuid AS member_uuid, m.name AS member_name, e.kind, e.happened_on, e.ends_on, e.decision,
           e.reason, e.created_at
    FROM member_events e JOIN members m ON m.id = e.member_id
"""


def _one(db: Database, record: type[R], sql: str, uuid: str, missing: str) -> R:
    """The one record ``sql`` finds for ``uuid``; ``NotFound`` with the message ``missing`` when there is none."""
    row = query_one(db, sql, [uuid])
    if row is None:
        raise NotFound(missing)
    return from_row(record, row)


def get_transfer(db: Database, *, uuid: str) -> Transfer:
    """The transfer with this id. Raises ``NotFound``."""
    return _one(
        db, Transfer, _TRANSFER_SELECT + " WHERE t.uuid = ?", uuid, f"找不到该组织关系转接记录（{uuid}）"
    )


def list_transfers(
    db: Database,
    *,
    year: int | None = None,
    direction: str | None = None,
    receipt: str | None = None,
    member_uuid: str | None = None,
    today: date | None = None,
) -> list[Transfer]:
    """The register, newest first. ``year`` of the issue/arrival date; ``direction`` 'in'/'out'; ``receipt`` one
    of ``RECEIPT_STATUSES`` keys as of ``today`` (default: the real today)."""
    clause, params = where(
        {
            "substr(t.issued_on, 1, 4) = ?": None if year is None else f"{year:04d}",
            "t.direction = ?": direction,
            "m.uuid = ?": member_uuid,
        }
    )
    order = " ORDER BY t.issued_on DESC, t.serial_year DESC, t.serial_number DESC, t.id DESC"
    sql = _TRANSFER_SELECT + clause + order
    result = [from_row(Transfer, r) for r in query(db, sql, params)]
    if receipt is not None:
        today = today or date.today()
        result = [t for t in result if t.receipt_status(today) == receipt]
    return result


def transfers_in_progress(db: Database, *, today: date | None = None) -> dict[str, Transfer]:
    """member uuid → the letter out that makes the member 转出中 on ``today`` (``Transfer.in_progress``)."""
    today = today or date.today()
    return {t.member_uuid: t for t in list_transfers(db, direction="out") if t.in_progress(today)}


def roster_marks(db: Database, *, today: date | None = None) -> dict[str, str]:
    """member uuid → what the roster shows beside 在册 on ``today``: 转出中 (with the letter and its validity),
    留党察看 (until when), 失联 (since when); several joined with '、'. Members with nothing to show are absent."""
    today = today or date.today()
    marks: dict[str, list[str]] = {}
    for uuid, t in transfers_in_progress(db, today=today).items():
        marks.setdefault(uuid, []).append(f"转出中：介绍信 {t.serial}，有效期至 {t.valid_until}")
    periods = watch_periods(db)
    for m in members_db.list_members(db):
        watch = next((p for p in periods.get(m.uuid, []) if p[0] <= today <= p[1]), None)
        if watch is not None:
            marks.setdefault(m.uuid, []).append(f"留党察看至 {watch[1].isoformat()}")
        if m.lost_contact:
            since = f"（{m.lost_contact_on.isoformat()} 起）" if m.lost_contact_on else ""
            marks.setdefault(m.uuid, []).append(f"失联{since}")
    return {uuid: "、".join(texts) for uuid, texts in marks.items()}


def transfer_years(db: Database) -> list[int]:
    """Years that have transfers, newest first (for the register's year filter)."""
    rows = query(db, "SELECT DISTINCT substr(issued_on, 1, 4) AS year FROM transfers ORDER BY 1 DESC")
    return [int(r["year"]) for r in rows]


def list_mobile_periods(
    db: Database, *, current_only: bool = False, member_uuid: str | None = None
) -> list[MobilePeriod]:
    """Mobile-member periods, current ones first, then by start date (newest first)."""
    current = ["p.ended_on IS NULL"] if current_only else []
    clause, params = where({"m.uuid = ?": member_uuid}, *current)
    sql = _MOBILE_SELECT + clause
    sql += " ORDER BY p.ended_on IS NOT NULL, p.started_on DESC, p.id DESC"
    return [from_row(MobilePeriod, r) for r in query(db, sql, params)]


def get_mobile_period(db: Database, *, uuid: str) -> MobilePeriod:
    """The mobile period with this id. Raises ``NotFound``."""
    return _one(
        db, MobilePeriod, _MOBILE_SELECT + " WHERE p.uuid = ?", uuid, f"找不到该流动党员登记（{uuid}）"
    )


def list_events(db: Database, *, member_uuid: str | None = None) -> list[MemberEvent]:
    """Standing and status events, oldest first."""
    sql = _EVENT_SELECT
    params: list[Any] = []
    if member_uuid is not None:
        sql += " WHERE m.uuid = ?"
        params.append(member_uuid)
    sql += " ORDER BY e.happened_on, e.id"
    return [from_row(MemberEvent, r) for r in query(db, sql, params)]


def get_event(db: Database, *, uuid: str) -> MemberEvent:
    """The standing/status event with this id. Raises ``NotFound``."""
    return _one(db, MemberEvent, _EVENT_SELECT + " WHERE e.uuid = ?", uuid, f"找不到该党籍事项记录（{uuid}）")


def next_serial(db: Database, *, year: int) -> str:
    """The serial the next transfer out issued in ``year`` will get (cancelled ones count: never reused)."""
    return _format_serial(year, _next_number(db, year))


def _next_number(db: Database, year: int) -> int:
    row = query_one(
        db,
        "SELECT max(serial_number) AS last FROM transfers WHERE direction = 'out' AND serial_year = ?",
        [year],
    )
    return int((row or {}).get("last") or 0) + 1


def _format_serial(year: int, number: int) -> str:
    return f"{year}-{number:03d}"


def last_paid_month(db: Database, *, member_uuid: str, on: date | None = None) -> str | None:
    """The last month ('YYYY-MM') the member's dues are paid up to, from the dues ledger
    (``db.dues.month_ledger_for``), looking at the 24 months before ``on`` (default today) and the 6 months after
    it (pre-payment).

    Returns None when the ledger has no payments for the member or cannot be read for them: this only prefills a
    form and must never block issuing a letter. The ledger function is imported plainly, so a renamed or changed
    dues API fails at import and in mypy instead of silently leaving the field empty.
    """
    on = on or date.today()
    months = [add_months(on.replace(day=1), k) for k in range(-24, 7)]
    try:
        paid = [e.month for e in month_ledger_for(db, member_uuid=member_uuid, months=months) if e.paid]
    except Exception:  # noqa: BLE001 - see the docstring: a prefill never blocks the letter
        return None
    return f"{max(paid):%Y-%m}" if paid else None


def _member_or_problem(db: Database, member_uuid: str | None, problems: list[Problem]) -> Member | None:
    """The chosen member, or None with the problem added (none chosen, or gone)."""
    if not member_uuid:
        problems.append(Problem("member", "请选择党员"))
        return None
    try:
        return members_db.get_member(db, uuid=member_uuid)
    except NotFound:
        problems.append(Problem("member", "找不到所选党员，请重新选择"))
        return None


def member_timeline(db: Database, *, member_uuid: str) -> list[TimelineEntry]:
    """Everything that happened to a member, oldest first: transfers, mobile periods, standing events (dated by
    when they happened) and the member's audit history (dated by when it was recorded)."""
    entries: list[TimelineEntry] = []

    def add(on: date | None, at: str, kind: str, text: str, source: str) -> None:
        entries.append(TimelineEntry(on, at, kind, text, source))

    for t in list_transfers(db, member_uuid=member_uuid):
        if t.direction == "out":
            text = f"组织关系转出至{t.to_unit}（介绍信 {t.serial}）"
        else:
            text = f"由{t.from_unit}转入（介绍信 {t.serial}）"
        if t.status == "cancelled":
            text += f"，已撤销：{t.cancel_reason}"
        add(t.issued_on, t.created_at, f"transfer_{t.direction}", text, "transfer")
        if t.receipt_on:
            add(t.receipt_on, t.updated_at, "receipt", f"介绍信 {t.serial} 回执收回", "transfer")
    for p in list_mobile_periods(db, member_uuid=member_uuid):
        add(p.started_on, p.created_at, "mobile_start", f"外出流动至{p.place}（{p.reason}）", "mobile")
        if p.ended_on:
            add(p.ended_on, p.updated_at, "mobile_end", f"结束流动（{p.end_reason or '返回'}）", "mobile")
    for e in list_events(db, member_uuid=member_uuid):
        add(
            e.happened_on,
            e.created_at,
            e.kind,
            f"{e.label}：{e.reason}" + (f"（{e.decision}）" if e.decision else ""),
            "event",
        )
    for a in audit.history(db, entity_uuid=member_uuid):
        label = members_db.FIELD_LABELS.get(a.field, a.field)
        if a.action == "create":
            text = "建立党员档案"
        elif a.action in ("archive", "restore"):
            text = f"{'减员/转出' if a.action == 'archive' else '恢复在册'}：{a.new or ''}"
        else:
            text = f"修改{label}：{_audit_value(a.field, a.old)} → {_audit_value(a.field, a.new)}"
        add(parse_date(a.at[:10]), a.at, f"audit_{a.action}", text, "audit")
    entries.sort(key=lambda e: (e.on or date.min, e.at))
    return entries


def _audit_value(field_name: str, value: str | None) -> str:
    """An audit-log value as the secretary reads it: 是/否 for flags, Chinese labels for choices."""
    if value in (None, ""):
        return "（空）"
    if members_db.EDITABLE_FIELDS.get(field_name) == "bool":
        return "是" if value == "1" else "否"
    labels = {"gender": GENDERS, "category": CATEGORIES, "standing": STANDINGS}.get(field_name, {})
    return labels.get(value, value)
