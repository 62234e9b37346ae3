"""Member lifecycle: transfers of organisational relationship (组织关系转接), mobile members (流动党员) and
standing/status events (失联、停止党籍、出党、去世) — GLOSSARY "Transfers and mobile members" and "Members".

Contracts:
- ``transfer_out`` issues an introduction letter with a serial ``YYYY-NNN`` (year of issue + running number). A
  serial is never reused: cancelled transfers stay in the register with their reason and keep their number. The
  member is archived as ``transferred_out`` on the issue date through ``db.members.archive_member``; the record and
  its history stay readable.
- ``transfer_in`` creates the member, or reactivates the archived member with the same citizen ID (same record,
  not a duplicate), and keeps the development dates the member brings on the transfer record.
- Mobile periods keep ``members.mobile_member`` / ``outflow_place`` in sync through ``db.members.update_member``.
- Standing events are dated, with a reason; nothing here deletes anything.
- ``transfer_reminders`` lists receipts overdue (no 回执 one month after issue) and mobile absences of 6 months or
  more at one place (a transfer is then needed).

Every write is one transaction with its audit entries; bad input raises ``ValidationError`` with Chinese reasons
and writes nothing.
"""

from __future__ import annotations

import itertools
import uuid as uuidlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from db import audit
from db import members as members_db
from db.errors import NotFound, Problem, ValidationError
from db.ids import fresh_uuid
from db.records import CATEGORIES, GENDERS, STANDINGS, STATUSES
from db.rules import CitizenIdError, add_months, normalize_text, parse_citizen_id, parse_date
from db.store import Database, now_iso

MAX_VALIDITY_DAYS = 90
DEFAULT_VALIDITY_DAYS = 30
RECEIPT_DUE_MONTHS = 1
MOBILE_TRANSFER_MONTHS = 6

DIRECTIONS = {"out": "转出", "in": "转入"}
TRANSFER_STATUSES = {"valid": "有效", "cancelled": "已撤销"}
RECEIPT_STATUSES = {"pending": "待回执", "overdue": "回执逾期", "returned": "已回执", "none": "—"}
EVENT_KINDS = {
    "lost_contact": "失去联系",
    "contact_restored": "恢复联系",
    "suspended": "停止党籍",
    "reinstated": "恢复党籍",
    "expelled": "出党",
    "deceased": "去世",
}
DEVELOPMENT_DATES = {
    "applied_on": "递交入党申请日期",
    "activist_on": "确定为入党积极分子日期",
    "candidate_on": "确定为发展对象日期",
    "joined_on": "加入党组织日期",
    "full_on": "转为正式党员日期",
}


# --- records ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Transfer:
    """One line of the transfer register (转出 or 转入)."""

    uuid: str
    direction: str  # 'out' | 'in'
    serial: str  # out: our serial 'YYYY-NNN'; in: the serial of the letter brought
    member_uuid: str
    member_name: str
    addressee: str
    from_unit: str
    to_unit: str
    dues_paid_to: str | None  # 'YYYY-MM'
    validity_days: int | None
    issued_on: date  # out: issue date; in: arrival date
    receipt_on: date | None
    applied_on: date | None
    activist_on: date | None
    candidate_on: date | None
    joined_on: date | None
    full_on: date | None
    status: str  # 'valid' | 'cancelled'
    cancel_reason: str
    notes: str
    created_at: str
    updated_at: str

    @property
    def receipt_due(self) -> date | None:
        """The day by which the 回执 should be back (out only)."""
        return add_months(self.issued_on, RECEIPT_DUE_MONTHS) if self.direction == "out" else None

    def receipt_status(self, today: date) -> str:
        """'returned', 'pending', 'overdue', or 'none' (transfers in, cancelled transfers)."""
        if self.direction != "out" or self.status != "valid":
            return "none"
        if self.receipt_on:
            return "returned"
        due = self.receipt_due
        return "overdue" if due is not None and today > due else "pending"


@dataclass(frozen=True)
class MobilePeriod:
    """A period during which a member is away as a mobile member (流动党员)."""

    uuid: str
    member_uuid: str
    member_name: str
    province: str
    city: str
    county: str
    reason: str
    contact: str
    started_on: date
    expected_return_on: date | None
    ended_on: date | None
    end_reason: str
    created_at: str
    updated_at: str

    @property
    def place(self) -> str:
        """外出流向 as stored on the member: 省/市/县 joined with '/'."""
        return outflow_place(self.province, self.city, self.county)

    def months_away(self, today: date) -> int:
        """Completed months away up to ``today`` (or the end of the period)."""
        end = self.ended_on or today
        months = (end.year - self.started_on.year) * 12 + end.month - self.started_on.month
        if end.day < self.started_on.day:
            months -= 1
        return max(months, 0)


@dataclass(frozen=True)
class MemberEvent:
    """A dated standing or status event of a member."""

    uuid: str
    member_uuid: str
    member_name: str
    kind: str
    happened_on: date
    reason: str
    created_at: str


@dataclass(frozen=True)
class TimelineEntry:
    """One line of a member's timeline: events of this module and the audit log merged, oldest first."""

    on: date | None
    at: str
    kind: str
    text: str
    source: str  # 'event' | 'transfer' | 'mobile' | 'audit'


@dataclass(frozen=True)
class TransferReminder:
    """Something the secretary should act on; ``page``/``filters`` say where to go."""

    kind: str  # 'receipt_overdue' | 'mobile_long_absence'
    text: str
    since: date
    page: str = "transfers"
    filters: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


def outflow_place(province: str, city: str = "", county: str = "") -> str:
    """'山西省/大同市/左云县' from its parts (empty parts left out)."""
    return "/".join(p for p in (normalize_text(province), normalize_text(city), normalize_text(county)) if p)


# --- reading ----------------------------------------------------------------------------------------------

_TRANSFER_SELECT = """
    SELECT t.uuid, t.direction, t.serial, m.uuid, m.name, t.addressee, t.from_unit, t.to_unit, t.dues_paid_to,
           t.validity_days, t.issued_on, t.receipt_on, t.applied_on, t.activist_on, t.candidate_on, t.joined_on,
           t.full_on, t.status, t.cancel_reason, t.notes, t.created_at, t.updated_at
    FROM transfers t JOIN members m ON m.id = t.member_id
"""
_TRANSFER_DATES = (10, 11, 12, 13, 14, 15, 16)


def _transfer(row: tuple[Any, ...]) -> Transfer:
    values = list(row)
    for i in _TRANSFER_DATES:
        values[i] = parse_date(values[i])
    return Transfer(*values)


_MOBILE_SELECT = """
    SELECT p.uuid, m.uuid, m.name, p.province, p.city, p.county, p.reason, p.contact, p.started_on,
           p.expected_return_on, p.ended_on, p.end_reason, p.created_at, p.updated_at
    FROM mobile_periods p JOIN members m ON m.id = p.member_id
"""


def _mobile(row: tuple[Any, ...]) -> MobilePeriod:
    values = list(row)
    for i in (8, 9, 10):
        values[i] = parse_date(values[i])
    return MobilePeriod(*values)


def get_transfer(db: Database, *, uuid: str) -> Transfer:
    """The transfer with this id. Raises ``NotFound``."""
    row = db.execute(_TRANSFER_SELECT + " WHERE t.uuid = ?", [uuid]).fetchone()
    if row is None:
        raise NotFound(f"找不到该组织关系转接记录（{uuid}）")
    return _transfer(row)


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
    where, params = [], []
    if year is not None:
        where.append("substr(t.issued_on, 1, 4) = ?")
        params.append(f"{year:04d}")
    if direction is not None:
        where.append("t.direction = ?")
        params.append(direction)
    if member_uuid is not None:
        where.append("m.uuid = ?")
        params.append(member_uuid)
    sql = _TRANSFER_SELECT + (" WHERE " + " AND ".join(where) if where else "")
    sql += " ORDER BY t.issued_on DESC, t.serial_year DESC, t.serial_number DESC, t.id DESC"
    result = [_transfer(r) for r in db.execute(sql, params).fetchall()]
    if receipt is not None:
        today = today or date.today()
        result = [t for t in result if t.receipt_status(today) == receipt]
    return result


def transfer_years(db: Database) -> list[int]:
    """Years that have transfers, newest first (for the register's year filter)."""
    rows = db.execute("SELECT DISTINCT substr(issued_on, 1, 4) FROM transfers ORDER BY 1 DESC").fetchall()
    return [int(r[0]) for r in rows]


def list_mobile_periods(
    db: Database, *, current_only: bool = False, member_uuid: str | None = None
) -> list[MobilePeriod]:
    """Mobile-member periods, current ones first, then by start date (newest first)."""
    where, params = [], []
    if current_only:
        where.append("p.ended_on IS NULL")
    if member_uuid is not None:
        where.append("m.uuid = ?")
        params.append(member_uuid)
    sql = _MOBILE_SELECT + (" WHERE " + " AND ".join(where) if where else "")
    sql += " ORDER BY p.ended_on IS NOT NULL, p.started_on DESC, p.id DESC"
    return [_mobile(r) for r in db.execute(sql, params).fetchall()]


def list_events(db: Database, *, member_uuid: str | None = None) -> list[MemberEvent]:
    """Standing and status events, oldest first."""
    sql = """
        SELECT e.uuid, m.uuid, m.name, e.kind, e.happened_on, e.reason, e.created_at
        FROM member_events e JOIN members m ON m.id = e.member_id
    """
    params: list[Any] = []
    if member_uuid is not None:
        sql += " WHERE m.uuid = ?"
        params.append(member_uuid)
    sql += " ORDER BY e.happened_on, e.id"
    return [
        MemberEvent(r[0], r[1], r[2], r[3], parse_date(r[4]), r[5], r[6])  # type: ignore[arg-type]
        for r in db.execute(sql, params).fetchall()
    ]


def next_serial(db: Database, *, year: int) -> str:
    """The serial the next transfer out issued in ``year`` will get (cancelled ones count: never reused)."""
    return _format_serial(year, _next_number(db, year))


def _next_number(db: Database, year: int) -> int:
    row = db.execute(
        "SELECT max(serial_number) FROM transfers WHERE direction = 'out' AND serial_year = ?", [year]
    ).fetchone()
    return int(row[0] or 0) + 1


def _format_serial(year: int, number: int) -> str:
    return f"{year}-{number:03d}"


def last_paid_month(db: Database, *, member_uuid: str, on: date | None = None) -> str | None:
    """The last month ('YYYY-MM') the member's dues are paid up to, from the dues ledger (``db.dues``), looking at
    the 24 months before ``on`` (default today) and the 6 months after it (pre-payment).

    Returns None when the dues module is not available, has no payments for the member, or fails: this only
    prefills a form and must never block issuing a letter.
    """
    try:
        from db import dues  # built by another part of the work; optional here
    except ImportError:
        return None
    direct = getattr(dues, "last_paid_month", None)
    try:
        if direct is not None:
            value = direct(db, member_uuid=member_uuid)
            return f"{value:%Y-%m}" if isinstance(value, date) else (str(value)[:7] if value else None)
        on = on or date.today()
        months = [add_months(on.replace(day=1), k) for k in range(-24, 7)]
        paid = [e.month for e in dues.month_ledger_for(db, member_uuid=member_uuid, months=months) if e.paid]
    except Exception:  # noqa: BLE001 - see the docstring
        return None
    return f"{max(paid):%Y-%m}" if paid else None


# --- validation helpers -----------------------------------------------------------------------------------


def _month_text(value: object) -> str | None:
    """'YYYY-MM' from a date, 'YYYY-MM' or 'YYYY-MM-DD' text; None when empty; ValueError otherwise."""
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return f"{value:%Y-%m}"
    text = normalize_text(value)
    if len(text) < 7 or text[4] != "-":
        raise ValueError(text)
    year, month = int(text[:4]), int(text[5:7])
    if not 1 <= month <= 12 or year < 1900:
        raise ValueError(text)
    return f"{year:04d}-{month:02d}"


def _member_or_problem(db: Database, member_uuid: str | None, problems: list[Problem]) -> Any:
    if not member_uuid:
        problems.append(Problem("member", "请选择党员"))
        return None
    try:
        return members_db.get_member(db, uuid=member_uuid)
    except NotFound:
        problems.append(Problem("member", "找不到所选党员，请重新选择"))
        return None


def validate_transfer_out(
    db: Database,
    *,
    member_uuid: str | None,
    addressee: str,
    to_unit: str,
    dues_paid_to: object,
    validity_days: int | None,
    issued_on: date | None,
    today: date | None = None,
) -> list[Problem]:
    """Problems of a transfer out (all errors): member chosen and on the active roster, addressee and to-unit
    filled in, dues month valid and not after the issue month, validity 1–90 days, issue date not in the future
    and not before the member joined."""
    today = today or date.today()
    problems: list[Problem] = []
    member = _member_or_problem(db, member_uuid, problems)
    if member is not None and member.status != "active":
        problems.append(
            Problem("member", f"{member.name} 已是「{STATUSES[member.status]}」状态，不能再办理转出")
        )
    if not normalize_text(addressee):
        problems.append(Problem("addressee", "请填写介绍信抬头（接收党组织名称）"))
    if not normalize_text(to_unit):
        problems.append(Problem("to_unit", "请填写转往单位"))
    try:
        month = _month_text(dues_paid_to)
    except ValueError:
        problems.append(Problem("dues_paid_to", "党费交至月份格式应为 年-月（如 2026-10）"))
        month = None
    if validity_days is None or not 1 <= int(validity_days) <= MAX_VALIDITY_DAYS:
        problems.append(Problem("validity_days", f"有效期应为 1 至 {MAX_VALIDITY_DAYS} 天"))
    if issued_on is None:
        problems.append(Problem("issued_on", "请填写开具日期"))
    else:
        if issued_on > today:
            problems.append(Problem("issued_on", "开具日期不能晚于今天"))
        if member is not None and member.joined_on and issued_on < member.joined_on:
            problems.append(Problem("issued_on", "开具日期不能早于该党员加入党组织日期"))
        if month and month > f"{issued_on:%Y-%m}":
            problems.append(Problem("dues_paid_to", "党费交至月份不能晚于开具月份"))
    return problems


# --- transfers out ----------------------------------------------------------------------------------------


def transfer_out(
    db: Database,
    *,
    member_uuid: str,
    addressee: str,
    to_unit: str,
    issued_on: date,
    dues_paid_to: object = None,
    validity_days: int = DEFAULT_VALIDITY_DAYS,
    notes: str = "",
    today: date | None = None,
    record_uuid: str | None = None,
) -> Transfer:
    """Issue an introduction letter and archive the member as transferred out on ``issued_on``.

    Assigns the next serial of the issue year. Raises ``ValidationError`` (nothing saved) for the problems of
    ``validate_transfer_out``. ``record_uuid`` fixes the new record's uuid (deterministic demo data).
    """
    problems = validate_transfer_out(
        db,
        member_uuid=member_uuid,
        addressee=addressee,
        to_unit=to_unit,
        dues_paid_to=dues_paid_to,
        validity_days=validity_days,
        issued_on=issued_on,
        today=today,
    )
    if problems:
        raise ValidationError(problems)
    to_unit = normalize_text(to_unit)
    new_uuid = record_uuid or fresh_uuid()
    now = now_iso()
    with db.atomic():
        member = members_db.get_member(db, uuid=member_uuid)
        number = _next_number(db, issued_on.year)
        serial = _format_serial(issued_on.year, number)
        db.execute(
            "INSERT INTO transfers (uuid, direction, serial, serial_year, serial_number, member_id, addressee,"
            " from_unit, to_unit, dues_paid_to, validity_days, issued_on, notes, created_at, updated_at)"
            " VALUES (?, 'out', ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?)",
            [
                new_uuid,
                serial,
                issued_on.year,
                number,
                member.id,
                normalize_text(addressee),
                to_unit,
                _month_text(dues_paid_to),
                int(validity_days),
                issued_on.isoformat(),
                normalize_text(notes),
                now,
                now,
            ],
        )
        audit.record(
            db,
            entity="transfer",
            entity_uuid=new_uuid,
            action="create",
            field="serial",
            new=f"转出 {serial} {member.name} → {to_unit}",
        )
        _end_current_periods(db, member_uuid, issued_on, f"已转接组织关系（{serial}）")
        members_db.archive_member(
            db,
            uuid=member_uuid,
            status="transferred_out",
            on=issued_on,
            reason=f"组织关系转出至{to_unit}（介绍信 {serial}）",
        )
    return get_transfer(db, uuid=new_uuid)


def record_receipt(db: Database, *, uuid: str, returned_on: date, today: date | None = None) -> Transfer:
    """Record the day the 回执 came back. Refused for a transfer in, a cancelled transfer, a date before the issue
    date or in the future."""
    today = today or date.today()
    transfer = get_transfer(db, uuid=uuid)
    problems = []
    if transfer.direction != "out":
        problems.append(Problem("receipt_on", "只有转出的介绍信才有回执"))
    if transfer.status != "valid":
        problems.append(Problem("receipt_on", f"介绍信 {transfer.serial} 已撤销，不能登记回执"))
    if returned_on < transfer.issued_on:
        problems.append(Problem("receipt_on", f"回执日期不能早于开具日期 {transfer.issued_on:%Y-%m-%d}"))
    if returned_on > today:
        problems.append(Problem("receipt_on", "回执日期不能晚于今天"))
    if problems:
        raise ValidationError(problems)
    with db.atomic():
        db.execute(
            "UPDATE transfers SET receipt_on = ?, updated_at = ? WHERE uuid = ?",
            [returned_on.isoformat(), now_iso(), uuid],
        )
        audit.record(
            db,
            entity="transfer",
            entity_uuid=uuid,
            action="update",
            field="receipt_on",
            old=transfer.receipt_on,
            new=returned_on,
        )
    return get_transfer(db, uuid=uuid)


def cancel_transfer(db: Database, *, uuid: str, reason: str) -> Transfer:
    """Cancel a transfer (kept in the register with its reason; its serial is not reused).

    Cancelling a transfer out puts the member back on the active roster when the transfer had archived them.
    Refused without a reason, for an already cancelled transfer, or once its receipt has come back.
    """
    reason = normalize_text(reason)
    transfer = get_transfer(db, uuid=uuid)
    problems = []
    if not reason:
        problems.append(Problem("cancel_reason", "请填写撤销原因"))
    if transfer.status == "cancelled":
        problems.append(Problem("status", f"该记录（{transfer.serial}）已撤销"))
    if transfer.receipt_on:
        problems.append(Problem("status", f"介绍信 {transfer.serial} 的回执已收回，不能撤销"))
    if problems:
        raise ValidationError(problems)
    with db.atomic():
        db.execute(
            "UPDATE transfers SET status = 'cancelled', cancel_reason = ?, updated_at = ? WHERE uuid = ?",
            [reason, now_iso(), uuid],
        )
        audit.record(
            db,
            entity="transfer",
            entity_uuid=uuid,
            action="archive",
            field="status",
            old="valid",
            new=f"cancelled：{reason}",
        )
        member = members_db.get_member(db, uuid=transfer.member_uuid)
        if transfer.direction == "out" and member.status == "transferred_out":
            members_db.restore_member(
                db, uuid=member.uuid, reason=f"撤销转出介绍信 {transfer.serial}：{reason}"
            )
    return get_transfer(db, uuid=uuid)


# --- transfers in -----------------------------------------------------------------------------------------


def validate_transfer_in(
    db: Database,
    *,
    values: Mapping[str, Any],
    from_unit: str,
    letter_serial: str,
    arrived_on: date | None,
    development: Mapping[str, Any] | None = None,
    today: date | None = None,
) -> list[Problem]:
    """Problems of a transfer in (errors and warnings). The citizen ID is required and must be valid: it is how a
    member who comes back is recognised. A member with that ID who is still on the active roster is refused."""
    today = today or date.today()
    problems: list[Problem] = []
    if not normalize_text(from_unit):
        problems.append(Problem("from_unit", "请填写转出单位（原所在党组织）"))
    if not normalize_text(letter_serial):
        problems.append(Problem("letter_serial", "请填写介绍信编号"))
    if arrived_on is None:
        problems.append(Problem("arrived_on", "请填写转入日期"))
    elif arrived_on > today:
        problems.append(Problem("arrived_on", "转入日期不能晚于今天"))
    cid = normalize_text(values.get("citizen_id", "")).upper()
    existing = None
    if not cid:
        problems.append(Problem("citizen_id", "转入党员必须填写公民身份号码"))
    else:
        try:
            parse_citizen_id(cid, today=today)
        except CitizenIdError as exc:
            problems.append(Problem("citizen_id", str(exc)))
        else:
            existing = members_db.find_by_citizen_id(db, citizen_id=cid)
            if existing is not None and existing.status == "active":
                problems.append(
                    Problem("citizen_id", f"该公民身份号码的党员 {existing.name} 已在册，无需转入")
                )
    dev = _development_dates(development or {}, values, problems)
    for key, d in dev.items():
        if d and d > today:
            problems.append(Problem(key, f"{DEVELOPMENT_DATES[key]}不能晚于今天"))
    order = [k for k in DEVELOPMENT_DATES if dev.get(k)]
    for a, b in itertools.pairwise(order):
        if dev[a] > dev[b]:  # type: ignore[operator]
            problems.append(Problem(b, f"{DEVELOPMENT_DATES[b]}不能早于{DEVELOPMENT_DATES[a]}"))
    member_values = dict(values)
    member_values.update({k: v for k, v in dev.items() if k in ("joined_on", "full_on")})
    if not any(p.field == "citizen_id" for p in problems):
        member_values["citizen_id"] = cid
        problems.extend(
            p
            for p in members_db.validate_member(
                db, values=member_values, uuid=existing.uuid if existing else None, today=today
            )
            if not any(q.field == p.field and q.message == p.message for q in problems)
        )
    return problems


def _development_dates(
    development: Mapping[str, Any], values: Mapping[str, Any], problems: list[Problem]
) -> dict[str, date | None]:
    out: dict[str, date | None] = {}
    for key, label in DEVELOPMENT_DATES.items():
        raw = development.get(key, values.get(key) if key in ("joined_on", "full_on") else None)
        try:
            out[key] = parse_date(raw)
        except ValueError:
            problems.append(Problem(key, f"{label}格式无效"))
            out[key] = None
    return out


def transfer_in(
    db: Database,
    *,
    values: Mapping[str, Any],
    from_unit: str,
    letter_serial: str,
    arrived_on: date,
    development: Mapping[str, Any] | None = None,
    notes: str = "",
    today: date | None = None,
    record_uuid: str | None = None,
    member_uuid: str | None = None,
) -> Transfer:
    """Receive a member: create them (``db.members.add_member``) or, when an archived member holds the citizen ID,
    restore and update that same record. ``values`` are member fields (name, citizen_id, category, …);
    ``development`` the dates the member brings (``DEVELOPMENT_DATES`` keys; joined_on/full_on also go on the
    member). ``record_uuid``/``member_uuid`` fix the uuids of new records (deterministic demo data). Raises
    ``ValidationError`` (nothing saved)."""
    problems = validate_transfer_in(
        db,
        values=values,
        from_unit=from_unit,
        letter_serial=letter_serial,
        arrived_on=arrived_on,
        development=development,
        today=today,
    )
    errors = members_db.errors_only(problems)
    if errors:
        raise ValidationError(errors)
    dev = _development_dates(development or {}, values, [])
    member_values = {k: v for k, v in values.items() if k in members_db.EDITABLE_FIELDS}
    member_values.update({k: dev[k] for k in ("joined_on", "full_on") if dev.get(k)})
    cid = normalize_text(values["citizen_id"]).upper()
    from_unit = normalize_text(from_unit)
    letter_serial = normalize_text(letter_serial)
    new_uuid = record_uuid or fresh_uuid()
    now = now_iso()
    with db.atomic():
        existing = members_db.find_by_citizen_id(db, citizen_id=cid)
        if existing is not None:
            members_db.restore_member(
                db, uuid=existing.uuid, reason=f"由{from_unit}转入（介绍信 {letter_serial}）"
            )
            member = members_db.update_member(db, uuid=existing.uuid, changes=member_values)
        else:
            member = members_db.add_member(db, values=member_values, member_uuid=member_uuid)
        member_id = db.execute("SELECT id FROM members WHERE uuid = ?", [member.uuid]).fetchone()[0]
        db.execute(
            "INSERT INTO transfers (uuid, direction, serial, member_id, from_unit, to_unit, issued_on, applied_on,"
            " activist_on, candidate_on, joined_on, full_on, notes, created_at, updated_at)"
            " VALUES (?, 'in', ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                new_uuid,
                letter_serial,
                member_id,
                from_unit,
                arrived_on.isoformat(),
                *[(dev[k].isoformat() if dev[k] else None) for k in DEVELOPMENT_DATES],  # type: ignore[union-attr]
                normalize_text(notes),
                now,
                now,
            ],
        )
        audit.record(
            db,
            entity="transfer",
            entity_uuid=new_uuid,
            action="create",
            field="serial",
            new=f"转入 {letter_serial} {member.name} ← {from_unit}",
        )
    return get_transfer(db, uuid=new_uuid)


# --- mobile members ---------------------------------------------------------------------------------------


def start_mobile(
    db: Database,
    *,
    member_uuid: str,
    province: str,
    city: str = "",
    county: str = "",
    reason: str,
    started_on: date,
    contact: str = "",
    expected_return_on: date | None = None,
    today: date | None = None,
    record_uuid: str | None = None,
) -> MobilePeriod:
    """Mark an active member as a mobile member (流动党员) from ``started_on``; sets ``mobile_member`` and
    ``outflow_place`` on the member. Refused for an archived member, one already mobile, a missing province or
    reason, a start date in the future, an expected return before the start."""
    today = today or date.today()
    problems: list[Problem] = []
    member = _member_or_problem(db, member_uuid, problems)
    if member is not None:
        if member.status != "active":
            problems.append(Problem("member", f"{member.name} 已是「{STATUSES[member.status]}」状态"))
        elif list_mobile_periods(db, current_only=True, member_uuid=member_uuid):
            problems.append(Problem("member", f"{member.name} 已登记为流动党员，请先结束当前外出登记"))
    if not normalize_text(province):
        problems.append(Problem("province", "请填写外出流向的省份"))
    if not normalize_text(reason):
        problems.append(Problem("reason", "请填写外出原因"))
    if started_on > today:
        problems.append(Problem("started_on", "外出日期不能晚于今天"))
    if expected_return_on and expected_return_on < started_on:
        problems.append(Problem("expected_return_on", "预计返回日期不能早于外出日期"))
    if problems:
        raise ValidationError(problems)
    new_uuid = record_uuid or fresh_uuid()
    now = now_iso()
    place = outflow_place(province, city, county)
    with db.atomic():
        member_id = db.execute("SELECT id FROM members WHERE uuid = ?", [member_uuid]).fetchone()[0]
        db.execute(
            "INSERT INTO mobile_periods (uuid, member_id, province, city, county, reason, contact, started_on,"
            " expected_return_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                new_uuid,
                member_id,
                normalize_text(province),
                normalize_text(city),
                normalize_text(county),
                normalize_text(reason),
                normalize_text(contact),
                started_on.isoformat(),
                expected_return_on.isoformat() if expected_return_on else None,
                now,
                now,
            ],
        )
        audit.record(
            db,
            entity="mobile_period",
            entity_uuid=new_uuid,
            action="create",
            field="outflow_place",
            new=place,
        )
        members_db.update_member(
            db, uuid=member_uuid, changes={"mobile_member": True, "outflow_place": place}
        )
    return _get_mobile(db, new_uuid)


def _get_mobile(db: Database, uuid: str) -> MobilePeriod:
    row = db.execute(_MOBILE_SELECT + " WHERE p.uuid = ?", [uuid]).fetchone()
    if row is None:
        raise NotFound(f"找不到该流动党员登记（{uuid}）")
    return _mobile(row)


def end_mobile(
    db: Database, *, uuid: str, ended_on: date, reason: str = "返回", today: date | None = None
) -> MobilePeriod:
    """End a mobile period (returned, or its organisational relationship was transferred); clears the member's
    ``mobile_member``/``outflow_place`` if the member is still on the roster."""
    today = today or date.today()
    period = _get_mobile(db, uuid)
    problems = []
    if period.ended_on:
        problems.append(Problem("ended_on", f"该外出登记已于 {period.ended_on:%Y-%m-%d} 结束"))
    if ended_on < period.started_on:
        problems.append(Problem("ended_on", f"结束日期不能早于外出日期 {period.started_on:%Y-%m-%d}"))
    if ended_on > today:
        problems.append(Problem("ended_on", "结束日期不能晚于今天"))
    if problems:
        raise ValidationError(problems)
    with db.atomic():
        db.execute(
            "UPDATE mobile_periods SET ended_on = ?, end_reason = ?, updated_at = ? WHERE uuid = ?",
            [ended_on.isoformat(), normalize_text(reason), now_iso(), uuid],
        )
        audit.record(
            db,
            entity="mobile_period",
            entity_uuid=uuid,
            action="update",
            field="ended_on",
            new=f"{ended_on.isoformat()}：{normalize_text(reason)}",
        )
        member = members_db.get_member(db, uuid=period.member_uuid)
        if member.status == "active" and member.mobile_member:
            members_db.update_member(
                db, uuid=member.uuid, changes={"mobile_member": False, "outflow_place": ""}
            )
    return _get_mobile(db, uuid)


def _end_current_periods(db: Database, member_uuid: str, on: date, reason: str) -> None:
    """End the member's current mobile periods when they leave the roster (inside the caller's transaction), so
    a member who left is never reminded about as a mobile member."""
    for period in list_mobile_periods(db, current_only=True, member_uuid=member_uuid):
        ended = max(on, period.started_on)
        db.execute(
            "UPDATE mobile_periods SET ended_on = ?, end_reason = ?, updated_at = ? WHERE uuid = ?",
            [ended.isoformat(), reason, now_iso(), period.uuid],
        )
        audit.record(
            db,
            entity="mobile_period",
            entity_uuid=period.uuid,
            action="update",
            field="ended_on",
            new=f"{ended.isoformat()}：{reason}",
        )
        members_db.update_member(db, uuid=member_uuid, changes={"mobile_member": False, "outflow_place": ""})


# --- standing and status events ---------------------------------------------------------------------------


def record_event(
    db: Database,
    *,
    member_uuid: str,
    kind: str,
    happened_on: date,
    reason: str,
    today: date | None = None,
    record_uuid: str | None = None,
) -> MemberEvent:
    """Record a dated standing/status event and apply it to the member:

    lost_contact → ``lost_contact`` on with the date; contact_restored → off; suspended → standing 'suspended';
    reinstated → standing 'normal'; expelled / deceased → archived as 'removed' (已减员). Refused for an unknown
    kind, an empty reason, a future date, an archived member, or an event that does not fit the member's state.
    """
    today = today or date.today()
    reason = normalize_text(reason)
    problems: list[Problem] = []
    member = _member_or_problem(db, member_uuid, problems)
    if kind not in EVENT_KINDS:
        problems.append(Problem("kind", "请选择事项类型"))
    if not reason:
        problems.append(Problem("reason", "请填写原因或依据"))
    if happened_on > today:
        problems.append(Problem("happened_on", "日期不能晚于今天"))
    if member is not None:
        if member.status != "active":
            problems.append(Problem("member", f"{member.name} 已是「{STATUSES[member.status]}」状态"))
        elif kind == "lost_contact" and member.lost_contact:
            problems.append(Problem("kind", f"{member.name} 已登记为失联党员"))
        elif kind == "contact_restored" and not member.lost_contact:
            problems.append(Problem("kind", f"{member.name} 未登记为失联党员"))
        elif kind == "suspended" and member.standing == "suspended":
            problems.append(Problem("kind", f"{member.name} 已停止党籍"))
        elif kind == "reinstated" and member.standing != "suspended":
            problems.append(Problem("kind", f"{member.name} 党籍状态正常，无需恢复"))
        if member.joined_on and happened_on < member.joined_on:
            problems.append(Problem("happened_on", "日期不能早于该党员加入党组织日期"))
    if problems:
        raise ValidationError(problems)
    new_uuid = record_uuid or fresh_uuid()
    now = now_iso()
    with db.atomic():
        member_id = db.execute("SELECT id FROM members WHERE uuid = ?", [member_uuid]).fetchone()[0]
        db.execute(
            "INSERT INTO member_events (uuid, member_id, kind, happened_on, reason, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [new_uuid, member_id, kind, happened_on.isoformat(), reason, now, now],
        )
        audit.record(
            db,
            entity="member_event",
            entity_uuid=new_uuid,
            action="create",
            field="kind",
            new=f"{EVENT_KINDS[kind]}：{reason}",
        )
        if kind == "lost_contact":
            members_db.update_member(
                db, uuid=member_uuid, changes={"lost_contact": True, "lost_contact_on": happened_on}
            )
        elif kind == "contact_restored":
            members_db.update_member(
                db, uuid=member_uuid, changes={"lost_contact": False, "lost_contact_on": None}
            )
        elif kind == "suspended":
            members_db.update_member(db, uuid=member_uuid, changes={"standing": "suspended"})
        elif kind == "reinstated":
            members_db.update_member(db, uuid=member_uuid, changes={"standing": "normal"})
        else:
            _end_current_periods(db, member_uuid, happened_on, EVENT_KINDS[kind])
            members_db.archive_member(
                db,
                uuid=member_uuid,
                status="removed",
                on=happened_on,
                reason=f"{EVENT_KINDS[kind]}：{reason}",
            )
    row = db.execute("SELECT created_at FROM member_events WHERE uuid = ?", [new_uuid]).fetchone()
    assert member is not None
    return MemberEvent(new_uuid, member_uuid, member.name, kind, happened_on, reason, row[0])


def member_timeline(db: Database, *, member_uuid: str) -> list[TimelineEntry]:
    """Everything that happened to a member, oldest first: transfers, mobile periods, standing events (dated by
    when they happened) and the member's audit history (dated by when it was recorded)."""
    entries: list[TimelineEntry] = []
    for t in list_transfers(db, member_uuid=member_uuid):
        if t.direction == "out":
            text = f"组织关系转出至{t.to_unit}（介绍信 {t.serial}）"
        else:
            text = f"由{t.from_unit}转入（介绍信 {t.serial}）"
        if t.status == "cancelled":
            text += f"，已撤销：{t.cancel_reason}"
        entries.append(TimelineEntry(t.issued_on, t.created_at, f"transfer_{t.direction}", text, "transfer"))
        if t.receipt_on:
            entries.append(
                TimelineEntry(
                    t.receipt_on, t.updated_at, "receipt", f"介绍信 {t.serial} 回执收回", "transfer"
                )
            )
    for p in list_mobile_periods(db, member_uuid=member_uuid):
        entries.append(
            TimelineEntry(
                p.started_on, p.created_at, "mobile_start", f"外出流动至{p.place}（{p.reason}）", "mobile"
            )
        )
        if p.ended_on:
            entries.append(
                TimelineEntry(
                    p.ended_on, p.updated_at, "mobile_end", f"结束流动（{p.end_reason or '返回'}）", "mobile"
                )
            )
    for e in list_events(db, member_uuid=member_uuid):
        entries.append(
            TimelineEntry(e.happened_on, e.created_at, e.kind, f"{EVENT_KINDS[e.kind]}：{e.reason}", "event")
        )
    for a in audit.history(db, entity_uuid=member_uuid):
        label = members_db.FIELD_LABELS.get(a.field, a.field)
        if a.action == "create":
            text = "建立党员档案"
        elif a.action in ("archive", "restore"):
            text = f"{'减员/转出' if a.action == 'archive' else '恢复在册'}：{a.new or ''}"
        else:
            text = f"修改{label}：{_audit_value(a.field, a.old)} → {_audit_value(a.field, a.new)}"
        entries.append(TimelineEntry(parse_date(a.at[:10]), a.at, f"audit_{a.action}", text, "audit"))
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


# --- reminders --------------------------------------------------------------------------------------------


def transfer_reminders(db: Database, *, today: date) -> list[TransferReminder]:
    """Receipts overdue (no 回执 more than one month after issue: from the day after the due day) and mobile
    members away 6 months or more at one place (a transfer of the organisational relationship is needed)."""
    out: list[TransferReminder] = []
    for t in list_transfers(db, direction="out"):
        if t.receipt_status(today) == "overdue":
            due = t.receipt_due
            assert due is not None
            out.append(
                TransferReminder(
                    "receipt_overdue",
                    f"{t.member_name} 的组织关系介绍信（{t.serial}，转往{t.to_unit}）回执逾期未收回，应于 "
                    f"{due:%Y-%m-%d} 前收回",
                    due,
                    "transfers",
                    {"receipt": "overdue", "transfer": t.uuid},
                )
            )
    active = {m.uuid for m in members_db.list_members(db)}
    for p in list_mobile_periods(db, current_only=True):
        # a member archived through the roster leaves the reminders even if the period was never ended
        if p.member_uuid in active and today >= add_months(p.started_on, MOBILE_TRANSFER_MONTHS):
            out.append(
                TransferReminder(
                    "mobile_long_absence",
                    f"{p.member_name} 自 {p.started_on:%Y-%m-%d} 起在{p.place}流动已满 {p.months_away(today)} 个月，"
                    "需要转接组织关系",
                    p.started_on,
                    "transfers",
                    {"view": "mobile", "member": p.member_uuid},
                )
            )
    out.sort(key=lambda r: r.since)
    return out


# --- monthly workbook rows --------------------------------------------------------------------------------


def _month_bounds(month: object) -> tuple[str, str]:
    text = _month_text(month)
    if text is None:
        raise ValueError("month is required")
    return f"{text}-01", f"{text}-31"


def monthly_transfer_rows(db: Database, *, month: object) -> list[dict[str, Any]]:
    """Rows of the 组织关系转接 sheet for ``month`` ('YYYY-MM' or a date in it): transfers issued or received in
    that month, oldest first, keyed by the field identifiers of ``TRANSFER_COLUMNS``. No citizen ID (the roster
    sheet carries it)."""
    start, end = _month_bounds(month)
    rows = []
    for t in reversed(list_transfers(db)):
        if not start <= t.issued_on.isoformat() <= end:
            continue
        rows.append(
            {
                "uuid": t.uuid,
                "direction": t.direction,
                "serial": t.serial,
                "member_name": t.member_name,
                "addressee": t.addressee,
                "from_unit": t.from_unit,
                "to_unit": t.to_unit,
                "dues_paid_to": t.dues_paid_to or "",
                "validity_days": t.validity_days,
                "issued_on": t.issued_on,
                "receipt_on": t.receipt_on,
                "status": t.status,
                "cancel_reason": t.cancel_reason,
                "notes": t.notes,
            }
        )
    return rows


def monthly_mobile_rows(db: Database, *, month: object) -> list[dict[str, Any]]:
    """Rows of the 流动党员 sheet for ``month``: every mobile period that overlaps the month, oldest first, keyed
    by the field identifiers of ``MOBILE_COLUMNS``."""
    start, end = _month_bounds(month)
    rows = []
    for p in reversed(list_mobile_periods(db)):
        if p.started_on.isoformat() > end or (p.ended_on and p.ended_on.isoformat() < start):
            continue
        rows.append(
            {
                "uuid": p.uuid,
                "member_name": p.member_name,
                "outflow_place": p.place,
                "reason": p.reason,
                "started_on": p.started_on,
                "contact": p.contact,
                "expected_return_on": p.expected_return_on,
                "ended_on": p.ended_on,
                "end_reason": p.end_reason,
            }
        )
    return rows


def monthly_transfer_figures(db: Database, *, month: object) -> dict[str, int]:
    """Headline numbers for HQ consolidation: transfers out and in during ``month`` (cancelled ones left out) and
    receipts overdue at the end of the month."""
    start, _end = _month_bounds(month)
    rows = [r for r in monthly_transfer_rows(db, month=month) if r["status"] == "valid"]
    end_day = parse_date(start)
    assert end_day is not None
    end_day = add_months(end_day, 1) - timedelta(days=1)
    overdue = [
        t
        for t in list_transfers(db, direction="out")
        if t.issued_on <= end_day and t.receipt_status(end_day) == "overdue"
    ]
    return {
        "转出人数": sum(r["direction"] == "out" for r in rows),
        "转入人数": sum(r["direction"] == "in" for r in rows),
        "回执逾期": len(overdue),
    }


def monthly_mobile_figures(db: Database, *, month: object) -> dict[str, int]:
    """Headline number for HQ consolidation: mobile periods current at some time during ``month``."""
    return {"流动党员人数": len(monthly_mobile_rows(db, month=month))}


# --- demo -------------------------------------------------------------------------------------------------


def demo_transfers(db: Database, *, rng: Any, today: date) -> None:
    """Demo data: two transfers out (one receipt returned, one overdue), a transfer in with development dates, a
    mobile member away 8 months (a transfer is due) and one away 2 months, a lost-contact event.

    Only ordinary full members are picked (not committee members, group leaders, or members already lost or
    mobile). Deterministic for a given ``rng``/``today``, uuids included. Dues months come from the dues ledger
    when it has them.
    """
    from db import branch as branch_db
    from db.rules import make_citizen_id

    def uid() -> str:
        return str(uuidlib.UUID(int=rng.getrandbits(128), version=4))

    busy = {c.member_uuid for c in branch_db.list_committee(db, on=today)}
    busy |= {g.leader_uuid for g in branch_db.list_party_groups(db) if g.leader_uuid}
    ordinary = [
        m
        for m in members_db.list_members(db)
        if m.category == "full"
        and m.uuid not in busy
        and not m.lost_contact
        and not m.mobile_member
        and m.joined_on
        and m.full_on
    ]
    if len(ordinary) < 5:
        return
    picks = rng.sample(ordinary, 5)
    units = ["同煤集团塔山煤矿第二党支部", "晋能控股煤业集团燕子山矿综采队党支部", "大同市云冈区西街社区党委"]
    addressees = [
        "中共同煤集团塔山煤矿委员会",
        "中共晋能控股煤业集团燕子山矿委员会",
        "中共大同市云冈区西街社区委员会",
    ]

    def send(member: Any, months_ago: int, unit: int) -> Transfer:
        issued = max(add_months(today, -months_ago), member.full_on)
        dues_month = (
            last_paid_month(db, member_uuid=member.uuid, on=issued) or f"{add_months(issued, -1):%Y-%m}"
        )
        return transfer_out(
            db,
            member_uuid=member.uuid,
            addressee=addressees[unit],
            to_unit=units[unit],
            issued_on=issued,
            dues_paid_to=min(dues_month, f"{issued:%Y-%m}"),
            validity_days=rng.choice((10, 30)) if unit == 2 else 30,
            today=today,
            record_uuid=uid(),
        )

    first = send(picks[0], 7, 0)
    record_receipt(
        db, uuid=first.uuid, returned_on=min(first.issued_on + timedelta(days=12), today), today=today
    )
    send(picks[1], 2, 1)  # no receipt after two months: overdue

    birth = date(1988 + rng.randrange(6), 1 + rng.randrange(12), 1 + rng.randrange(28))
    cid = make_citizen_id("140211", birth, 101 + 2 * rng.randrange(400))
    joined = add_months(birth, 12 * 25)
    arrived = add_months(today, -3)
    transfer_uuid, member_uuid = uid(), uid()
    if members_db.find_by_citizen_id(db, citizen_id=cid) is None:
        transfer_in(
            db,
            values={
                "name": rng.choice(["郭建军", "贾志强", "乔晓东"]),
                "citizen_id": cid,
                "category": "full",
                "ethnicity": "汉族",
                "education": "大学专科",
                "job": "综采队电工",
            },
            from_unit=units[0],
            letter_serial=f"{arrived.year}-{rng.randrange(10, 99):03d}",
            arrived_on=arrived,
            development={
                "applied_on": add_months(joined, -24),
                "activist_on": add_months(joined, -18),
                "candidate_on": add_months(joined, -3),
                "joined_on": joined,
                "full_on": add_months(joined, 12),
            },
            today=today,
            record_uuid=transfer_uuid,
            member_uuid=member_uuid,
        )
    start_mobile(
        db,
        member_uuid=picks[2].uuid,
        province="内蒙古自治区",
        city="鄂尔多斯市",
        county="准格尔旗",
        reason="外派支援兄弟矿井建设",
        started_on=add_months(today, -8),
        contact=picks[2].mobile,
        expected_return_on=add_months(today, 4),
        today=today,
        record_uuid=uid(),
    )
    start_mobile(
        db,
        member_uuid=picks[3].uuid,
        province="陕西省",
        city="榆林市",
        county="神木市",
        reason="设备厂家驻厂学习",
        started_on=add_months(today, -2),
        contact=picks[3].mobile,
        expected_return_on=add_months(today, 1),
        today=today,
        record_uuid=uid(),
    )
    lost = picks[4]
    record_event(
        db,
        member_uuid=lost.uuid,
        kind="lost_contact",
        happened_on=max(add_months(today, -5), lost.joined_on),
        reason="长期外出务工，电话停机，多方联系未果",
        today=today,
        record_uuid=uid(),
    )


# --- register export --------------------------------------------------------------------------------------


def export_register_xlsx(
    db: Database,
    *,
    path: Any,
    year: int | None = None,
    direction: str | None = None,
    today: date | None = None,
) -> Any:
    """Write the transfer register (and the mobile members) to an .xlsx file at ``path``; returns the path.

    Sheets 组织关系转接 and 流动党员; every value is text or a date cell (serials, phones never numbers), text
    escaped against formula injection. Written under a temporary name, then renamed.
    """
    import os
    from pathlib import Path

    from openpyxl import Workbook
    from openpyxl.styles import Font

    from db.workbook.cells import escape_text

    today = today or date.today()
    path = Path(path)
    wb = Workbook()
    ws = wb.active
    ws.title = "组织关系转接"
    headers = [
        "介绍信编号",
        "方向",
        "姓名",
        "介绍信抬头",
        "转出单位",
        "转往单位",
        "党费交至",
        "有效期(天)",
        "开具/转入日期",
        "回执",
        "回执日期",
        "状态",
        "撤销原因",
        "备注",
    ]
    ws.append(headers)
    for t in list_transfers(db, year=year, direction=direction, today=today):
        ws.append(
            [
                escape_text(str(v)) if isinstance(v, str) else v
                for v in (
                    t.serial,
                    DIRECTIONS[t.direction],
                    t.member_name,
                    t.addressee,
                    t.from_unit,
                    t.to_unit,
                    t.dues_paid_to or "",
                    t.validity_days,
                    t.issued_on,
                    RECEIPT_STATUSES[t.receipt_status(today)],
                    t.receipt_on,
                    TRANSFER_STATUSES[t.status],
                    t.cancel_reason,
                    t.notes,
                )
            ]
        )
    ws2 = wb.create_sheet("流动党员")
    ws2.append(
        [
            "姓名",
            "外出流向",
            "外出原因",
            "外出日期",
            "已外出(月)",
            "联系方式",
            "预计返回日期",
            "结束日期",
            "结束原因",
        ]
    )
    for p in list_mobile_periods(db):
        ws2.append(
            [
                escape_text(v) if isinstance(v, str) else v
                for v in (
                    p.member_name,
                    p.place,
                    p.reason,
                    p.started_on,
                    p.months_away(today),
                    p.contact,
                    p.expected_return_on,
                    p.ended_on,
                    p.end_reason,
                )
            ]
        )
    for sheet in (ws, ws2):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
        for column in sheet.columns:
            sheet.column_dimensions[column[0].column_letter].width = 16
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.partial")
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path
