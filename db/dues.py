"""Party dues (党费): each member's dues basis, the monthly ledger, arrears and reminders, reports and export.

Contract (GLOSSARY "Dues"):

- Money is integer fen everywhere (tables, records, arithmetic); yuan appear only when parsing input
  (``db.rules.yuan_to_fen``) or formatting output. The monthly amount is ``db.rules.monthly_dues_fen``: one rate for
  the whole after-tax base, rounded half up to the fen.
- A member's **dues basis** (``dues_bases``) holds the dues category, the monthly base, the computed amount and an
  optional reduction/exemption (``reduced_fen``; 0 = exempt) that needs both the branch decision and the upper
  approval (date and note each). A basis applies from its ``from_month`` until the next one. The branch setting
  ``dues_basis_mode`` is ``"year"`` (default: the amount is fixed at the start of the year, so a basis always starts
  in January) or ``"month"`` (a basis may start in any month, when income changes).
- The **ledger** of a month lists every member who owes that month: members whose ``joined_on`` month (the admission
  meeting, so probationary members too) is not after it, and who were still on the roster (active, or archived in
  that month or later). A payment (``dues_payments``, one row per member and month) stores the amount due at the
  time of payment, the amount paid, the date, the proxy (a member who paid on their behalf) and a note. Marking a
  payment unpaid again keeps the row (and the audit log keeps what it was).
- Payments are refused (``ValidationError``, nothing saved) when the month is already paid, when it is more than 6
  months before the payment date (back-payment) or more than 6 months after it (pre-payment), when the member was
  not yet or no longer a member that month, for a negative amount or a date in the future.
- **Arrears**: consecutive unpaid months ending with the last completed month; 3 or more give a reminder, 6 or more
  an urgent one (six months without reason is treated as leaving the Party). Exempt months (amount 0) count as paid.
  Counting starts at the member's first dues basis, so a branch that just started keeping dues has no arrears.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from db import audit
from db.branch import get_branch, get_setting
from db.errors import NotFound, Problem, ValidationError
from db.ids import fresh_uuid
from db.members import list_members
from db.records import CATEGORIES, Member
from db.rules import (
    DUES_CATEGORIES,
    FARMER_DUES_RANGE_FEN,
    dues_rate_permille,
    dues_rate_text,
    fen_to_yuan_text,
    monthly_dues_fen,
    normalize_text,
    parse_date,
)
from db.store import Database, now_iso

MAX_BACK_MONTHS = 6  # back-payment at most 6 months
MAX_AHEAD_MONTHS = 6  # pre-payment at most 6 months
REMINDER_MONTHS = 3  # consecutive unpaid months that make a reminder
URGENT_MONTHS = 6  # ... and an urgent one (treated as leaving the Party)
BASIS_MODES = {"year": "按年核定（每年年初）", "month": "按月调整（收入变化当月起）"}


# --- months ---------------------------------------------------------------------------------------------------


def month_start(d: date) -> date:
    """The first day of the month of ``d`` (months are passed around as such dates)."""
    return d.replace(day=1)


def month_key(d: date) -> str:
    """``YYYY-MM`` as stored."""
    return f"{d.year:04d}-{d.month:02d}"


def month_from_key(key: str) -> date:
    return date(int(key[:4]), int(key[5:7]), 1)


def month_label(d: date) -> str:
    """``2026年3月``."""
    return f"{d.year}年{d.month}月"


def _index(d: date) -> int:
    return d.year * 12 + d.month - 1


def _from_index(i: int) -> date:
    return date(i // 12, i % 12 + 1, 1)


def add_month(d: date, months: int) -> date:
    """The first day of the month ``months`` after the month of ``d``."""
    return _from_index(_index(d) + months)


# --- records --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DuesBasis:
    """One member's dues basis from a month on. ``amount_fen`` is what the member owes per month (after any
    reduction); ``computed_fen`` is the amount of the official tier before a reduction."""

    uuid: str
    member_uuid: str
    member_name: str
    from_month: date
    category: str
    base_fen: int
    fixed_fen: int | None
    rate: int | None  # tenths of a per cent (db.rules.dues_rate_permille); None for fixed amounts
    computed_fen: int
    reduced_fen: int | None
    decision_on: date | None
    decision_note: str
    approved_on: date | None
    approval_note: str
    note: str

    @property
    def amount_fen(self) -> int:
        return self.computed_fen if self.reduced_fen is None else self.reduced_fen

    @property
    def category_label(self) -> str:
        return DUES_CATEGORIES[self.category]


@dataclass(frozen=True)
class LedgerEntry:
    """One member in the ledger of one month. ``due_fen`` is None when no dues basis was set for the member yet."""

    member_uuid: str
    member_name: str
    member_category: str  # full / probationary
    party_group_name: str
    member_status: str
    month: date
    dues_category: str | None
    base_fen: int | None
    rate: int | None
    due_fen: int | None
    reduced: bool
    paid_fen: int | None
    paid_on: date | None
    proxy_uuid: str | None
    proxy_name: str
    note: str

    @property
    def paid(self) -> bool:
        return self.paid_fen is not None

    @property
    def settled(self) -> bool:
        """Paid, or nothing owed (exempt)."""
        return self.paid_fen is not None or self.due_fen == 0


@dataclass(frozen=True)
class DuesTotals:
    """Totals of a month or a year: amounts due and paid (fen), members who owe and members who paid."""

    label: str
    due_fen: int
    paid_fen: int
    members_due: int
    members_paid: int
    members_without_basis: int = 0


@dataclass(frozen=True)
class YearReport:
    year: int
    months: list[DuesTotals]
    total: DuesTotals


@dataclass(frozen=True)
class Arrears:
    """Consecutive unpaid months of one member up to the last completed month."""

    member_uuid: str
    member_name: str
    party_group_name: str
    months: int
    since: date  # first day of the first unpaid month
    owed_fen: int


@dataclass(frozen=True)
class DuesReminder:
    """A reminder for the home page: ``kind`` is ``dues_arrears`` (3+ months) or ``dues_urgent`` (6+ months)."""

    kind: str
    text: str
    since: date
    page: str = "dues"
    filters: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    member_uuid: str = ""
    months: int = 0
    urgent: bool = False


@dataclass(frozen=True)
class PublicationRow:
    """One line of the annual publication list (党费收缴公示)."""

    member_name: str
    party_group_name: str
    dues_category: str
    monthly_fen: int | None
    months_due: int
    months_paid: int
    due_fen: int
    paid_fen: int
    note: str


# --- loading --------------------------------------------------------------------------------------------------


@dataclass
class _State:
    members: list[Member]
    by_id: dict[int, Member]
    bases: dict[int, list[DuesBasis]]  # member id → bases ordered by from_month
    payments: dict[tuple[int, str], tuple[Any, ...]]


_BASIS_SELECT = """
    SELECT b.uuid, m.uuid, m.name, b.from_month, b.category, b.base_fen, b.fixed_fen, b.computed_fen, b.reduced_fen,
           b.decision_on, b.decision_note, b.approved_on, b.approval_note, b.note, b.member_id
    FROM dues_bases b JOIN members m ON m.id = b.member_id
"""


def _basis(row: tuple[Any, ...]) -> DuesBasis:
    rate = dues_rate_permille(row[4], row[5])
    return DuesBasis(
        row[0],
        row[1],
        row[2],
        month_from_key(row[3]),
        row[4],
        row[5],
        row[6],
        rate,
        row[7],
        row[8],
        parse_date(row[9]),
        row[10],
        parse_date(row[11]),
        row[12],
        row[13],
    )


def _load(db: Database, *, months: Iterable[str] | None = None) -> _State:
    members = list_members(db, status=None)
    ids = {r[0]: r[1] for r in db.execute("SELECT id, uuid FROM members")}
    by_uuid = {m.uuid: m for m in members}
    by_id = {i: by_uuid[u] for i, u in ids.items() if u in by_uuid}
    bases: dict[int, list[DuesBasis]] = {}
    for row in db.execute(_BASIS_SELECT + " ORDER BY b.member_id, b.from_month").fetchall():
        bases.setdefault(row[14], []).append(_basis(row))
    sql = "SELECT member_id, month, due_fen, paid_fen, paid_on, proxy_id, note, uuid FROM dues_payments"
    params: list[str] = []
    if months is not None:
        keys = sorted(set(months))
        sql += f" WHERE month IN ({','.join('?' * len(keys))})"
        params = keys
    payments = {(r[0], r[1]): r for r in db.execute(sql, params).fetchall()}
    return _State(members, by_id, bases, payments)


def _member_id(db: Database, member_uuid: str) -> int:
    row = db.execute("SELECT id FROM members WHERE uuid = ?", [member_uuid]).fetchone()
    if row is None:
        raise NotFound(f"找不到该党员（{member_uuid}）")
    return int(row[0])


def _owes_in(member: Member, month: date) -> bool:
    """Is the member on the dues ledger of ``month``?"""
    if member.joined_on is not None and _index(member.joined_on) > _index(month):
        return False
    if member.status != "active":
        return member.status_on is not None and _index(member.status_on) >= _index(month)
    return True


def _effective_basis(bases: list[DuesBasis], month: date) -> DuesBasis | None:
    found = None
    for b in bases:
        if b.from_month <= month:
            found = b
        else:
            break
    return found


def _entry(state: _State, member_id: int, month: date) -> LedgerEntry:
    member = state.by_id[member_id]
    basis = _effective_basis(state.bases.get(member_id, []), month)
    pay = state.payments.get((member_id, month_key(month)))
    paid_fen = paid_on = proxy = None
    note = ""
    due = basis.amount_fen if basis else None
    if pay is not None:
        paid_fen, paid_on, note = pay[3], parse_date(pay[4]), pay[6]
        proxy = state.by_id.get(pay[5]) if pay[5] is not None else None
        if paid_fen is not None and pay[2] is not None:
            due = pay[2]  # what was due when it was paid stays, even if the basis changes later
    return LedgerEntry(
        member.uuid,
        member.name,
        member.category,
        member.party_group_name,
        member.status,
        month,
        basis.category if basis else None,
        basis.base_fen if basis else None,
        basis.rate if basis else None,
        due,
        bool(basis and basis.reduced_fen is not None),
        paid_fen,
        paid_on,
        proxy.uuid if proxy else None,
        proxy.name if proxy else "",
        note,
    )


def _ledger(state: _State, month: date) -> list[LedgerEntry]:
    ids = {m.uuid: i for i, m in state.by_id.items()}
    return [_entry(state, ids[m.uuid], month) for m in state.members if _owes_in(m, month)]


# --- settings -------------------------------------------------------------------------------------------------


def basis_mode(db: Database) -> str:
    """The branch setting ``dues_basis_mode``: ``"year"`` (default) or ``"month"``."""
    mode = get_setting(db, key="dues_basis_mode", default="year")
    return mode if mode in BASIS_MODES else "year"


def farmer_dues_fen(db: Database) -> int:
    """The branch setting ``dues_farmer_fen``: farmers' monthly dues, 20–100 fen (default 20)."""
    value = get_setting(db, key="dues_farmer_fen", default=FARMER_DUES_RANGE_FEN[0])
    low, high = FARMER_DUES_RANGE_FEN
    return value if isinstance(value, int) and low <= value <= high else low


# --- dues basis -----------------------------------------------------------------------------------------------


def validate_basis(
    db: Database,
    *,
    category: str,
    base_fen: int | None,
    fixed_fen: int | None = None,
    reduced_fen: int | None = None,
    decision_on: date | None = None,
    approved_on: date | None = None,
    today: date | None = None,
) -> list[Problem]:
    """The problems of a dues basis as the user types it (empty list: it can be saved)."""
    today = today or date.today()
    problems = []
    if category not in DUES_CATEGORIES:
        problems.append(Problem("category", "请选择党费类别"))
    if category in ("employed", "retired"):
        if base_fen is None:
            problems.append(Problem("base", "请填写月收入基数（税后工资性收入，单位：元）"))
        elif base_fen < 0:
            problems.append(Problem("base", "缴纳基数不能为负数"))
    elif base_fen is not None and base_fen < 0:
        problems.append(Problem("base", "缴纳基数不能为负数"))
    if category == "fixed":
        if fixed_fen is None:
            problems.append(Problem("fixed", "请填写每月固定交纳的金额"))
        elif fixed_fen < 0:
            problems.append(Problem("fixed", "固定金额不能为负数"))
    if reduced_fen is not None:
        if reduced_fen < 0:
            problems.append(Problem("reduced", "减免后的金额不能为负数"))
        if decision_on is None:
            problems.append(Problem("decision_on", "减免党费须经支部研究决定，请填写支部决定日期"))
        if approved_on is None:
            problems.append(Problem("approved_on", "减免党费须报上级党委批准，请填写批准日期"))
        if decision_on and decision_on > today:
            problems.append(Problem("decision_on", "支部决定日期不能晚于今天"))
        if approved_on and approved_on > today:
            problems.append(Problem("approved_on", "上级批准日期不能晚于今天"))
        if decision_on and approved_on and approved_on < decision_on:
            problems.append(Problem("approved_on", "上级批准日期不能早于支部决定日期"))
    return problems


def compute_basis_fen(db: Database, *, category: str, base_fen: int, fixed_fen: int | None = None) -> int:
    """The official monthly amount (fen) for a category and base, with this branch's farmer setting."""
    return monthly_dues_fen(category, base_fen, farmer_fen=farmer_dues_fen(db), fixed_fen=fixed_fen)


def set_basis(
    db: Database,
    *,
    member_uuid: str,
    from_month: date,
    category: str,
    base_fen: int | None,
    fixed_fen: int | None = None,
    reduced_fen: int | None = None,
    decision_on: date | None = None,
    decision_note: str = "",
    approved_on: date | None = None,
    approval_note: str = "",
    note: str = "",
    today: date | None = None,
    source: str = "local",
) -> DuesBasis:
    """Set a member's dues basis from a month on (replacing a basis that starts in the same month).

    In ``year`` mode the basis starts in January of ``from_month``'s year. ``reduced_fen`` (0 = exempt) records a
    reduction and needs both ``decision_on`` and ``approved_on``. Raises ``ValidationError`` (nothing saved) for a
    negative base or amount or an incomplete reduction; ``NotFound`` for an unknown member.
    """
    problems = validate_basis(
        db,
        category=category,
        base_fen=base_fen,
        fixed_fen=fixed_fen,
        reduced_fen=reduced_fen,
        decision_on=decision_on,
        approved_on=approved_on,
        today=today,
    )
    if problems:
        raise ValidationError(problems)
    base = base_fen or 0
    start = month_start(from_month)
    if basis_mode(db) == "year":
        start = start.replace(month=1)
    key = month_key(start)
    computed = compute_basis_fen(db, category=category, base_fen=base, fixed_fen=fixed_fen)
    values = {
        "category": category,
        "base_fen": base,
        "fixed_fen": fixed_fen if category == "fixed" else None,
        "computed_fen": computed,
        "reduced_fen": reduced_fen,
        "decision_on": decision_on.isoformat() if reduced_fen is not None and decision_on else None,
        "decision_note": normalize_text(decision_note) if reduced_fen is not None else "",
        "approved_on": approved_on.isoformat() if reduced_fen is not None and approved_on else None,
        "approval_note": normalize_text(approval_note) if reduced_fen is not None else "",
        "note": normalize_text(note),
    }
    with db.atomic():
        member_id = _member_id(db, member_uuid)
        old = db.execute(
            "SELECT uuid, category, base_fen, fixed_fen, computed_fen, reduced_fen, decision_on, decision_note, "
            "approved_on, approval_note, note FROM dues_bases WHERE member_id = ? AND from_month = ?",
            [member_id, key],
        ).fetchone()
        now = now_iso()
        if old is None:
            basis_uuid = fresh_uuid()
            db.execute(
                "INSERT INTO dues_bases (uuid, member_id, from_month, category, base_fen, fixed_fen, computed_fen, "
                "reduced_fen, decision_on, decision_note, approved_on, approval_note, note, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [basis_uuid, member_id, key, *values.values(), now, now],
            )
            audit.record(
                db,
                entity="dues_basis",
                entity_uuid=basis_uuid,
                action="create",
                field="member",
                new=f"{member_uuid} {key} {category} {fen_to_yuan_text(base)} → {fen_to_yuan_text(computed)}",
                source=source,
            )
        else:
            basis_uuid = old[0]
            db.execute(
                "UPDATE dues_bases SET category=?, base_fen=?, fixed_fen=?, computed_fen=?, reduced_fen=?, "
                "decision_on=?, decision_note=?, approved_on=?, approval_note=?, note=?, updated_at=? WHERE uuid=?",
                [*values.values(), now, basis_uuid],
            )
            for (name, new), before in zip(values.items(), old[1:]):
                if before != new:
                    audit.record(
                        db,
                        entity="dues_basis",
                        entity_uuid=basis_uuid,
                        action="update",
                        field=name,
                        old=before,
                        new=new,
                        source=source,
                    )
    row = db.execute(_BASIS_SELECT + " WHERE b.uuid = ?", [basis_uuid]).fetchone()
    return _basis(row)


def list_bases(db: Database, *, member_uuid: str | None = None) -> list[DuesBasis]:
    """Every dues basis (of one member with ``member_uuid``), by member and start month."""
    sql, params = _BASIS_SELECT, []
    if member_uuid is not None:
        sql += " WHERE m.uuid = ?"
        params.append(member_uuid)
    return [_basis(r) for r in db.execute(sql + " ORDER BY b.member_id, b.from_month", params).fetchall()]


def basis_for(db: Database, *, member_uuid: str, month: date) -> DuesBasis | None:
    """The basis that applies to a member in a month (the latest one starting in or before it), or None."""
    return _effective_basis(list_bases(db, member_uuid=member_uuid), month_start(month))


@dataclass(frozen=True)
class BasisRow:
    """A member in the bases tab: the basis in force in ``month`` (None when never set)."""

    member_uuid: str
    member_name: str
    member_category: str
    party_group_name: str
    basis: DuesBasis | None


def bases_overview(db: Database, *, month: date) -> list[BasisRow]:
    """Every member on the ledger of ``month`` with the dues basis in force then."""
    state = _load(db, months=[])
    ids = {m.uuid: i for i, m in state.by_id.items()}
    start = month_start(month)
    return [
        BasisRow(
            m.uuid,
            m.name,
            m.category,
            m.party_group_name,
            _effective_basis(state.bases.get(ids[m.uuid], []), start),
        )
        for m in state.members
        if _owes_in(m, start)
    ]


# --- the ledger -----------------------------------------------------------------------------------------------


def month_ledger(db: Database, *, month: date) -> list[LedgerEntry]:
    """The ledger of a month: every member who owes dues that month, in roster order."""
    start = month_start(month)
    return _ledger(_load(db, months=[month_key(start)]), start)


def _payment_problems(
    member: Member, month: date, *, paid_on: date | None, today: date, paid_fen: int | None, due: int | None
) -> list[Problem]:
    problems = []
    if member.joined_on is not None and _index(member.joined_on) > _index(month):
        problems.append(
            Problem(
                "month",
                f"{member.name} 于 {member.joined_on:%Y-%m-%d} 加入党组织，{month_label(month)}无需交纳党费",
            )
        )
    if member.status != "active" and (member.status_on is None or _index(member.status_on) < _index(month)):
        when = f"已于 {member.status_on:%Y-%m-%d} " if member.status_on else "已"
        problems.append(
            Problem(
                "month",
                f"{member.name} {when}离开本支部（{member.status_reason or '已不在册'}），"
                f"不能为其交纳{month_label(month)}的党费",
            )
        )
    if paid_fen is not None and paid_fen < 0:
        problems.append(Problem("paid", "实缴金额不能为负数"))
    if paid_fen is None and due is None:
        problems.append(Problem("paid", f"{member.name} 尚未核定党费缴纳基数，请先核定基数或填写实缴金额"))
    if paid_on is None:
        problems.append(Problem("paid_on", "请填写缴纳日期"))
        return problems
    if paid_on > today:
        problems.append(Problem("paid_on", "缴纳日期不能晚于今天"))
    gap = _index(paid_on) - _index(month)
    if gap > MAX_BACK_MONTHS:
        problems.append(
            Problem(
                "month",
                f"{member.name} {month_label(month)}的党费在 {paid_on:%Y-%m-%d} 补交，"
                f"已超过 {MAX_BACK_MONTHS} 个月，按规定补交党费最多 {MAX_BACK_MONTHS} 个月",
            )
        )
    if -gap > MAX_AHEAD_MONTHS:
        problems.append(
            Problem(
                "month",
                f"{member.name} {month_label(month)}的党费在 {paid_on:%Y-%m-%d} 预交，"
                f"超过 {MAX_AHEAD_MONTHS} 个月，按规定预交党费最多 {MAX_AHEAD_MONTHS} 个月",
            )
        )
    return problems


def _write_payment(
    db: Database,
    state: _State,
    member_id: int,
    month: date,
    *,
    paid_fen: int,
    due: int | None,
    paid_on: date,
    proxy_id: int | None,
    note: str,
    source: str,
) -> None:
    key = month_key(month)
    old = db.execute(
        "SELECT uuid, paid_fen, paid_on, proxy_id, note FROM dues_payments WHERE member_id = ? AND month = ?",
        [member_id, key],
    ).fetchone()
    now = now_iso()
    if old is None:
        pay_uuid = fresh_uuid()
        db.execute(
            "INSERT INTO dues_payments (uuid, member_id, month, due_fen, paid_fen, paid_on, proxy_id, note, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [pay_uuid, member_id, key, due, paid_fen, paid_on.isoformat(), proxy_id, note, now, now],
        )
        audit.record(
            db,
            entity="dues_payment",
            entity_uuid=pay_uuid,
            action="create",
            field="paid",
            new=f"{state.by_id[member_id].uuid} {key} {fen_to_yuan_text(paid_fen)} {paid_on}",
            source=source,
        )
    else:
        db.execute(
            "UPDATE dues_payments SET due_fen = ?, paid_fen = ?, paid_on = ?, proxy_id = ?, note = ?, updated_at = ? "
            "WHERE uuid = ?",
            [due, paid_fen, paid_on.isoformat(), proxy_id, note, now, old[0]],
        )
        for name, before, new in (
            ("paid_fen", old[1], paid_fen),
            ("paid_on", old[2], paid_on.isoformat()),
            ("proxy_id", old[3], proxy_id),
            ("note", old[4], note),
        ):
            if before != new:
                audit.record(
                    db,
                    entity="dues_payment",
                    entity_uuid=old[0],
                    action="update",
                    field=name,
                    old=before,
                    new=new,
                    source=source,
                )


def _proxy_id(db: Database, proxy_uuid: str | None, member_id: int) -> tuple[int | None, list[Problem]]:
    if not proxy_uuid:
        return None, []
    row = db.execute("SELECT id FROM members WHERE uuid = ?", [proxy_uuid]).fetchone()
    if row is None:
        return None, [Problem("proxy", "代缴人不在党员名册中，请从名册中选择")]
    if row[0] == member_id:
        return None, [Problem("proxy", "代缴人不能是本人；本人交纳请不选代缴人")]
    return int(row[0]), []


def record_payments(
    db: Database,
    *,
    member_uuid: str,
    months: Iterable[date],
    paid_on: date,
    paid_fen: int | None = None,
    proxy_uuid: str | None = None,
    note: str = "",
    today: date | None = None,
    source: str = "local",
) -> list[LedgerEntry]:
    """Record that a member paid the dues of one or more months (back-payment, pre-payment) on ``paid_on``.

    ``paid_fen`` is the amount paid for EACH month (default: the amount due). ``proxy_uuid`` names the member who
    paid on their behalf. All months are written in one transaction or none: raises ``ValidationError`` when any
    month is already paid, lies more than 6 months before or after the payment date, or the member was not a
    member in it, for a negative amount, a date after ``today`` or a proxy who is not on the roster.
    """
    today = today or date.today()
    wanted = sorted({month_start(m) for m in months})
    if not wanted:
        raise ValidationError([Problem("month", "请选择要交纳的月份")])
    note = normalize_text(note)
    with db.atomic():
        member_id = _member_id(db, member_uuid)
        state = _load(db, months=[month_key(m) for m in wanted])
        member = state.by_id[member_id]
        proxy_id, problems = _proxy_id(db, proxy_uuid, member_id)
        for month in wanted:
            entry = _entry(state, member_id, month)
            if entry.paid:
                problems.append(
                    Problem(
                        "month",
                        f"{member.name} {month_label(month)}的党费已于 "
                        f"{entry.paid_on:%Y-%m-%d} 交纳，不能重复交纳（如需更正请修改该笔记录）",
                    )
                )
            problems += _payment_problems(
                member, month, paid_on=paid_on, today=today, paid_fen=paid_fen, due=entry.due_fen
            )
        if problems:
            raise ValidationError(list(dict.fromkeys(problems)))
        for month in wanted:
            entry = _entry(state, member_id, month)
            amount = paid_fen if paid_fen is not None else entry.due_fen
            assert amount is not None
            _write_payment(
                db,
                state,
                member_id,
                month,
                paid_fen=amount,
                due=entry.due_fen,
                paid_on=paid_on,
                proxy_id=proxy_id,
                note=note,
                source=source,
            )
    return [e for e in month_ledger_for(db, member_uuid=member_uuid, months=wanted)]


def record_payment(
    db: Database,
    *,
    member_uuid: str,
    month: date,
    paid_on: date,
    paid_fen: int | None = None,
    proxy_uuid: str | None = None,
    note: str = "",
    today: date | None = None,
    source: str = "local",
) -> LedgerEntry:
    """Record one month's payment; see ``record_payments`` for the rules and errors."""
    return record_payments(
        db,
        member_uuid=member_uuid,
        months=[month],
        paid_on=paid_on,
        paid_fen=paid_fen,
        proxy_uuid=proxy_uuid,
        note=note,
        today=today,
        source=source,
    )[0]


def month_ledger_for(db: Database, *, member_uuid: str, months: Iterable[date]) -> list[LedgerEntry]:
    """A member's ledger entries for the given months (months they did not owe are left out)."""
    starts = sorted({month_start(m) for m in months})
    state = _load(db, months=[month_key(m) for m in starts])
    member_id = _member_id(db, member_uuid)
    member = state.by_id[member_id]
    return [_entry(state, member_id, m) for m in starts if _owes_in(member, m)]


def update_payment(
    db: Database,
    *,
    member_uuid: str,
    month: date,
    paid_fen: int | None,
    paid_on: date | None,
    proxy_uuid: str | None = None,
    note: str = "",
    today: date | None = None,
    source: str = "local",
) -> LedgerEntry:
    """Correct a month's entry: amount, date, proxy, note. ``paid_fen=None`` marks the month unpaid again (the
    row and its audit history stay). Same rules as ``record_payment`` except that the month may already be paid.
    """
    today = today or date.today()
    start = month_start(month)
    note = normalize_text(note)
    with db.atomic():
        member_id = _member_id(db, member_uuid)
        state = _load(db, months=[month_key(start)])
        member = state.by_id[member_id]
        entry = _entry(state, member_id, start)
        if paid_fen is None:
            old = db.execute(
                "SELECT uuid, paid_fen, paid_on, note FROM dues_payments WHERE member_id = ? AND month = ?",
                [member_id, month_key(start)],
            ).fetchone()
            if old is None:
                if note:  # a reason for not paying (e.g. 出差) is worth keeping
                    if not _owes_in(member, start):
                        raise ValidationError(
                            [Problem("month", f"{member.name} {month_label(start)}不在党费台账中")]
                        )
                    pay_uuid = fresh_uuid()
                    db.execute(
                        "INSERT INTO dues_payments (uuid, member_id, month, due_fen, note, created_at, updated_at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [pay_uuid, member_id, month_key(start), entry.due_fen, note, now_iso(), now_iso()],
                    )
                    audit.record(
                        db,
                        entity="dues_payment",
                        entity_uuid=pay_uuid,
                        action="create",
                        field="note",
                        new=note,
                        source=source,
                    )
                return month_ledger_for(db, member_uuid=member_uuid, months=[start])[0] if note else entry
            db.execute(
                "UPDATE dues_payments SET paid_fen = NULL, paid_on = NULL, proxy_id = NULL, note = ?, "
                "updated_at = ? WHERE uuid = ?",
                [note, now_iso(), old[0]],
            )
            audit.record(
                db,
                entity="dues_payment",
                entity_uuid=old[0],
                action="update",
                field="paid_fen",
                old=f"{fen_to_yuan_text(old[1])} {old[2]}",
                new=None,
                source=source,
            )
        else:
            proxy_id, problems = _proxy_id(db, proxy_uuid, member_id)
            problems += _payment_problems(
                member, start, paid_on=paid_on, today=today, paid_fen=paid_fen, due=entry.due_fen
            )
            if problems:
                raise ValidationError(problems)
            assert paid_on is not None
            due = entry.due_fen
            _write_payment(
                db,
                state,
                member_id,
                start,
                paid_fen=paid_fen,
                due=due,
                paid_on=paid_on,
                proxy_id=proxy_id,
                note=note,
                source=source,
            )
    return month_ledger_for(db, member_uuid=member_uuid, months=[start])[0]


def mark_unpaid(db: Database, *, member_uuid: str, month: date, note: str = "") -> LedgerEntry:
    """Mark a month unpaid again (a correction after "mark all paid")."""
    return update_payment(db, member_uuid=member_uuid, month=month, paid_fen=None, paid_on=None, note=note)


def mark_all_paid(
    db: Database, *, month: date, paid_on: date, today: date | None = None, source: str = "local"
) -> int:
    """Fast collection: record every unpaid member of the month as paid in full on ``paid_on``.

    Members without a dues basis and exempt members (amount 0) are skipped. Returns the number of payments
    written. Raises ``ValidationError`` (nothing saved) when the date breaks the 6-month rules or is in the future.
    """
    today = today or date.today()
    start = month_start(month)
    written = 0
    with db.atomic():
        state = _load(db, months=[month_key(start)])
        ids = {m.uuid: i for i, m in state.by_id.items()}
        for entry in _ledger(state, start):
            if entry.paid or not entry.due_fen:
                continue
            member_id = ids[entry.member_uuid]
            problems = _payment_problems(
                state.by_id[member_id], start, paid_on=paid_on, today=today, paid_fen=None, due=entry.due_fen
            )
            if problems:
                raise ValidationError(problems[:1])
            _write_payment(
                db,
                state,
                member_id,
                start,
                paid_fen=entry.due_fen,
                due=entry.due_fen,
                paid_on=paid_on,
                proxy_id=None,
                note=entry.note,
                source=source,
            )
            written += 1
    return written


def default_paid_on(month: date, *, today: date) -> date:
    """The payment date proposed for a month: today for the current or a later month, else the month's last day."""
    start = month_start(month)
    if _index(start) >= _index(today):
        return today
    return add_month(start, 1) - timedelta(days=1)


# --- arrears and reminders ------------------------------------------------------------------------------------


def arrears(db: Database, *, today: date, min_months: int = 1) -> list[Arrears]:
    """Members on the roster with at least ``min_months`` consecutive unpaid months ending with the last completed
    month before ``today``, longest first."""
    state = _load(db)
    last = add_month(month_start(today), -1)
    result = []
    for member_id, member in state.by_id.items():
        if member.status != "active":
            continue
        bases = state.bases.get(member_id)
        if not bases:
            continue
        first = bases[0].from_month
        if member.joined_on is not None and member.joined_on > first:
            first = month_start(member.joined_on)
        count, owed, month = 0, 0, last
        while month >= first:
            entry = _entry(state, member_id, month)
            if entry.settled:
                break
            count += 1
            owed += entry.due_fen or 0
            month = add_month(month, -1)
        if count >= min_months:
            result.append(
                Arrears(
                    member.uuid,
                    member.name,
                    member.party_group_name,
                    count,
                    add_month(last, -(count - 1)),
                    owed,
                )
            )
    return sorted(result, key=lambda a: (-a.months, a.member_name))


def dues_reminders(db: Database, *, today: date) -> list[DuesReminder]:
    """Reminders about dues as of ``today``: 3–5 consecutive unpaid months (``dues_arrears``) and 6 or more
    (``dues_urgent``: treated as leaving the Party, the branch must act)."""
    reminders = []
    for a in arrears(db, today=today, min_months=REMINDER_MONTHS):
        urgent = a.months >= URGENT_MONTHS
        if urgent:
            text = (
                f"{a.member_name} 自{month_label(a.since)}起已连续 {a.months} 个月未交纳党费"
                f"（欠缴 {fen_to_yuan_text(a.owed_fen)} 元），满 6 个月视为自行脱党，请支部立即处理"
            )
        else:
            text = (
                f"{a.member_name} 自{month_label(a.since)}起已连续 {a.months} 个月未交纳党费"
                f"（欠缴 {fen_to_yuan_text(a.owed_fen)} 元），请及时提醒交纳"
            )
        reminders.append(
            DuesReminder(
                kind="dues_urgent" if urgent else "dues_arrears",
                text=text,
                since=a.since,
                filters={"tab": "arrears", "member": a.member_uuid},
                member_uuid=a.member_uuid,
                months=a.months,
                urgent=urgent,
            )
        )
    return reminders


# --- reports --------------------------------------------------------------------------------------------------


def _totals(label: str, entries: list[LedgerEntry]) -> DuesTotals:
    owing = [e for e in entries if e.due_fen != 0]
    return DuesTotals(
        label,
        sum(e.due_fen or 0 for e in entries),
        sum(e.paid_fen or 0 for e in entries),
        len(owing),
        sum(1 for e in owing if e.paid),
        sum(1 for e in entries if e.due_fen is None),
    )


def month_totals(db: Database, *, month: date) -> DuesTotals:
    """Totals of a month: due, paid (fen), members who owe (amount not 0), members who paid, members without a
    dues basis."""
    return months_totals(db, months=[month])[0]


def months_totals(db: Database, *, months: Sequence[date]) -> list[DuesTotals]:
    """``month_totals`` of several months, in the given order, reading the roster and the payments once (the
    home page's twelve-month chart)."""
    starts = [month_start(m) for m in months]
    state = _load(db, months=[month_key(m) for m in starts])
    return [_totals(month_label(m), _ledger(state, m)) for m in starts]


def _year_months(year: int, through: date | None) -> list[date]:
    months = [date(year, m, 1) for m in range(1, 13)]
    if through is not None:
        months = [m for m in months if m <= month_start(through)]
    return months


def year_report(db: Database, *, year: int, through: date | None = None) -> YearReport:
    """Month by month totals of a year (up to the month of ``through`` when given) and the year's total, where
    ``members_due`` counts members who owed in any month and ``members_paid`` those with no unpaid month."""
    months = _year_months(year, through)
    state = _load(db, months=[month_key(m) for m in months])
    per_month, all_entries = [], []
    for m in months:
        entries = _ledger(state, m)
        all_entries += entries
        per_month.append(_totals(month_label(m), entries))
    owing: dict[str, bool] = {}
    for e in all_entries:
        if e.due_fen != 0:
            owing[e.member_uuid] = owing.get(e.member_uuid, True) and e.paid
    total = DuesTotals(
        f"{year}年",
        sum(t.due_fen for t in per_month),
        sum(t.paid_fen for t in per_month),
        len(owing),
        sum(owing.values()),
        len({e.member_uuid for e in all_entries if e.due_fen is None}),
    )
    return YearReport(year, per_month, total)


def member_statement(db: Database, *, member_uuid: str, year: int) -> list[LedgerEntry]:
    """A member's twelve months of a year (the months they owed), paid or not."""
    return month_ledger_for(db, member_uuid=member_uuid, months=_year_months(year, None))


def publication_rows(db: Database, *, year: int, through: date | None = None) -> list[PublicationRow]:
    """The annual publication list (党费收缴公示): per member the monthly amount, months owed and paid, amounts
    due and paid in the year (up to the month of ``through``)."""
    months = _year_months(year, through)
    state = _load(db, months=[month_key(m) for m in months])
    rows: dict[str, list[LedgerEntry]] = {}
    for m in months:
        for e in _ledger(state, m):
            rows.setdefault(e.member_uuid, []).append(e)
    order = {m.uuid: i for i, m in enumerate(state.members)}
    result = []
    for member_uuid in sorted(rows, key=order.__getitem__):
        entries = rows[member_uuid]
        last = entries[-1]
        owed = [e for e in entries if e.due_fen != 0]
        unpaid = [e for e in owed if not e.paid]
        notes = []
        if any(e.reduced for e in entries):
            notes.append("减免")
        if unpaid:
            notes.append(f"未缴 {len(unpaid)} 个月")
        if any(e.proxy_name for e in entries):
            notes.append("含代缴")
        result.append(
            PublicationRow(
                last.member_name,
                last.party_group_name,
                DUES_CATEGORIES[last.dues_category] if last.dues_category else "未核定",
                last.due_fen,
                len(owed),
                sum(1 for e in owed if e.paid),
                sum(e.due_fen or 0 for e in entries),
                sum(e.paid_fen or 0 for e in entries),
                "，".join(notes),
            )
        )
    return result


# --- monthly workbook (党费收缴 sheet) ------------------------------------------------------------------------

# (field, header) of the ledger sheet of ``export_dues_workbook``; money fields are fen.
MONTHLY_DUES_COLUMNS: tuple[tuple[str, str], ...] = (
    ("member_name", "姓名"),
    ("member_category", "人员类别"),
    ("dues_category", "党费类别"),
    ("base_fen", "缴纳基数"),
    ("rate", "缴纳比例"),
    ("due_fen", "应缴"),
    ("paid_fen", "实缴"),
    ("paid_on", "缴纳日期"),
    ("proxy", "代缴人"),
    ("note", "备注"),
)


def _month_arg(month: str | date) -> date:
    return month_from_key(month) if isinstance(month, str) else month_start(month)


def monthly_dues_rows(db: Database, *, month: str | date) -> list[dict[str, Any]]:
    """The month's ledger for the monthly workbook's 党费收缴 sheet (``db.workbook.format`` contract).

    ``month`` is ``"YYYY-MM"`` (or a date in it). One dict per member on the ledger, in roster order, keyed:
    ``member_name``, ``member_category`` (full/probationary), ``dues_category`` (a key of
    ``db.rules.DUES_CATEGORIES``, None without a basis), ``base_fen`` (None unless employed/retired), ``rate``
    (``"1.5%"``/``"定额"``), ``due_fen``, ``paid_fen`` (None when unpaid), ``paid_on`` (date or None), ``proxy``
    (name), ``note``, ``member_uuid``. Money is integer fen.
    """
    rows = []
    for e in month_ledger(db, month=_month_arg(month)):
        rows.append(
            {
                "member_name": e.member_name,
                "member_category": e.member_category,
                "dues_category": e.dues_category,
                "base_fen": e.base_fen if e.dues_category in ("employed", "retired") else None,
                "rate": dues_rate_text(e.rate) if e.dues_category else "",
                "due_fen": e.due_fen,
                "paid_fen": e.paid_fen,
                "paid_on": e.paid_on,
                "proxy": e.proxy_name,
                "note": "；".join(x for x in ("经批准减免" if e.reduced else "", e.note) if x),
                "member_uuid": e.member_uuid,
            }
        )
    return rows


def monthly_dues_figures(db: Database, *, month: str | date) -> dict[str, int | float]:
    """Headline figures of the month for HQ consolidation: 党费应缴人数, 党费已缴人数, 应缴党费(元), 已缴党费(元).

    The amounts are yuan converted from exact fen at this output boundary (HQ sums them as numbers).
    """
    t = month_totals(db, month=_month_arg(month))
    return {
        "党费应缴人数": t.members_due,
        "党费已缴人数": t.members_paid,
        "应缴党费(元)": float(_decimal(t.due_fen) or 0),
        "已缴党费(元)": float(_decimal(t.paid_fen) or 0),
    }


def _decimal(fen: int | None) -> Decimal | None:
    return None if fen is None else Decimal(fen).scaleb(-2).quantize(Decimal("0.01"))


# --- export ---------------------------------------------------------------------------------------------------


def _cell(ws: Any, row: int, col: int, value: Any) -> Any:
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"  # always text: a note starting with "=" must never become a formula
    else:
        cell.value = value
    if isinstance(value, Decimal):
        cell.number_format = "0.00"
    elif isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"
    return cell


def _sheet(wb: Any, title: str, heading: str, headers: list[str], rows: list[list[Any]]) -> None:
    from openpyxl.styles import Alignment, Font

    ws = wb.create_sheet(title)
    _cell(ws, 1, 1, heading).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    for c, h in enumerate(headers, 1):
        _cell(ws, 2, c, h).font = Font(bold=True)
        ws.column_dimensions[ws.cell(row=2, column=c).column_letter].width = max(10, len(h) * 2 + 4)
    for r, values in enumerate(rows, 3):
        for c, v in enumerate(values, 1):
            _cell(ws, r, c, v)
    ws.freeze_panes = "A3"


def export_dues_workbook(
    db: Database, *, path: str | Path, month: date, year: int | None = None, through: date | None = None
) -> Path:
    """Write an .xlsx with the month's ledger, the year's month-by-month totals and the publication list.

    Amounts are numbers (format ``0.00``), member IDs are never written. Written to a temporary name and renamed,
    so a failure never leaves a half-written file. Returns the path.
    """
    from openpyxl import Workbook

    path = Path(path)
    start = month_start(month)
    year = year or start.year
    branch = get_branch(db)
    branch_name = branch.name if branch else ""
    wb = Workbook()
    wb.remove(wb.active)
    rows = monthly_dues_rows(db, month=start)
    for r in rows:  # codes → Chinese labels, fen → yuan
        r["member_category"] = CATEGORIES.get(r["member_category"], r["member_category"])
        r["dues_category"] = DUES_CATEGORIES.get(r["dues_category"] or "", "未核定")
        for key in ("base_fen", "due_fen", "paid_fen"):
            r[key] = _decimal(r[key])
    _sheet(
        wb,
        "月度台账",
        f"{branch_name}{month_label(start)}党费收缴台账",
        ["序号"] + [h for _, h in MONTHLY_DUES_COLUMNS],
        [[i, *(r[k] for k, _ in MONTHLY_DUES_COLUMNS)] for i, r in enumerate(rows, 1)],
    )
    report = year_report(db, year=year, through=through)
    _sheet(
        wb,
        "年度汇总",
        f"{branch_name}{year}年党费收缴汇总",
        ["月份", "应缴金额", "实缴金额", "应缴人数", "实缴人数"],
        [
            [t.label, _decimal(t.due_fen), _decimal(t.paid_fen), t.members_due, t.members_paid]
            for t in [*report.months, report.total]
        ],
    )
    pub = publication_rows(db, year=year, through=through)
    _sheet(
        wb,
        "党费收缴公示",
        f"{branch_name}{year}年度党费收缴公示",
        [
            "序号",
            "姓名",
            "党小组",
            "党费类别",
            "月缴纳额",
            "应缴月数",
            "实缴月数",
            "应缴金额",
            "实缴金额",
            "备注",
        ],
        [
            [
                i,
                p.member_name,
                p.party_group_name,
                p.dues_category,
                _decimal(p.monthly_fen),
                p.months_due,
                p.months_paid,
                _decimal(p.due_fen),
                _decimal(p.paid_fen),
                p.note,
            ]
            for i, p in enumerate(pub, 1)
        ],
    )
    tmp = path.with_name(path.name + ".partial")
    try:
        wb.save(tmp)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


# --- demo -----------------------------------------------------------------------------------------------------


def demo_dues(db: Database, *, rng: random.Random, today: date) -> None:
    """A year of dues up to ``today`` for the demo branch: realistic bases across every tier (miners' after-tax
    incomes 4,000–15,000 yuan, a few retirees, one relief and one fixed amount, one exemption), collection every
    month, one member three or more months behind, another behind two months, and a proxy payment."""
    with db.atomic():  # one transaction (a savepoint inside the demo's own)
        _demo_dues(db, rng=rng, today=today)


def _demo_dues(db: Database, *, rng: random.Random, today: date) -> None:
    members = list_members(db, status=None)
    if not members:
        return
    first_month = add_month(month_start(today), -11)  # twelve months of collection up to this month
    years = sorted({first_month.year, today.year})
    # fixed roles at fixed positions so that every tier and category appears even in a small branch
    plan: dict[int, tuple[str, int, int | None]] = {
        3: ("employed", 280000, None),
        5: ("retired", 420000, None),
        7: ("retired", 560000, None),
        9: ("relief", 0, None),
        11: ("fixed", 0, 5000),
        13: ("employed", 500000, None),
        15: ("employed", 1000000, None),
        17: ("retired", 380000, None),
        19: ("farmer", 0, None),
    }
    exempt = 17
    for i, member in enumerate(members):
        for y in years:
            if member.joined_on and member.joined_on > date(y, 12, 31):
                continue
            if member.status != "active" and member.status_on and member.status_on < date(y, 1, 1):
                continue
            category, base, fixed = plan.get(i, ("employed", 0, None))
            if i not in plan:
                base = rng.randrange(4000, 15001) * 100 + rng.choice((0, 0, 50))
            reduced = decision = approved = None
            if i == exempt:
                reduced, decision, approved = 0, date(y, 1, 8), date(y, 1, 20)
            set_basis(
                db,
                member_uuid=member.uuid,
                from_month=date(y, 1, 1),
                category=category,
                base_fen=base,
                fixed_fen=fixed,
                reduced_fen=reduced,
                decision_on=decision,
                decision_note="家庭困难，支部委员会研究同意免交" if reduced is not None else "",
                approved_on=approved,
                approval_note="公司党委批复同意" if reduced is not None else "",
                today=max(today, date(y, 1, 31)),
                source="demo",
            )
    # members on the books for the whole year, paying by tier: one falls 4 months behind, one 2, one pays by proxy
    steady = [
        m
        for i, m in enumerate(members)
        if m.status == "active" and i not in plan and (m.joined_on is None or m.joined_on < first_month)
    ]
    behind_three = steady[-1].uuid if steady else None
    behind_two = steady[-2].uuid if len(steady) > 1 else None
    proxy_pair = (steady[1].uuid, steady[0].uuid) if len(steady) > 1 else None
    month = month_start(first_month)
    last_collected = add_month(month_start(today), -1)
    while month <= last_collected:
        paid_on = date(month.year, month.month, rng.randrange(5, 26))
        state = _load(db, months=[month_key(month)])
        ids = {m.uuid: i for i, m in state.by_id.items()}
        for entry in _ledger(state, month):
            if entry.paid or not entry.due_fen:
                continue
            if entry.member_uuid == behind_three and _index(month) > _index(last_collected) - 4:
                continue
            if entry.member_uuid == behind_two and _index(month) > _index(last_collected) - 2:
                continue
            late = rng.random() < 0.04
            proxy = None
            if (
                proxy_pair
                and entry.member_uuid == proxy_pair[0]
                and _index(month) == _index(last_collected) - 1
            ):
                proxy = ids[proxy_pair[1]]
            day = min(add_month(month, 2) - timedelta(days=1), today) if late else paid_on
            _write_payment(
                db,
                state,
                ids[entry.member_uuid],
                month,
                paid_fen=entry.due_fen,
                due=entry.due_fen,
                paid_on=day,
                proxy_id=proxy,
                note="补交" if late else ("委托代缴" if proxy else ""),
                source="demo",
            )
        month = add_month(month, 1)
    # the current month is being collected: about two thirds have paid so far
    month = month_start(today)
    state = _load(db, months=[month_key(month)])
    ids = {m.uuid: i for i, m in state.by_id.items()}
    for entry in _ledger(state, month):
        if entry.paid or not entry.due_fen or entry.member_uuid in (behind_three, behind_two):
            continue
        if rng.random() < 0.66:
            _write_payment(
                db,
                state,
                ids[entry.member_uuid],
                month,
                paid_fen=entry.due_fen,
                due=entry.due_fen,
                paid_on=date(today.year, today.month, rng.randrange(1, today.day + 1)),
                proxy_id=None,
                note="",
                source="demo",
            )
