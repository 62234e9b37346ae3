"""Dues bases: the branch settings that shape them, validating, setting and reading each member's basis."""

from __future__ import annotations

from datetime import date

from db import audit
from db.branch import get_setting
from db.dues.ledger import BASIS_SELECT, basis_from_row, effective_basis, load_state, member_row_id
from db.dues.quarterly import quarterly_settings
from db.dues.records import (
    BASIS_MODES,
    MAX_AHEAD_MONTHS,
    BasisRow,
    DuesBasis,
    amount_problems,
    month_key,
    month_start,
)
from db.errors import Problem, date_problems, raise_if
from db.ids import fresh_uuid
from db.rows import query, query_one
from db.rules import (
    DUES_CATEGORIES,
    FARMER_DUES_RANGE_FEN,
    dues_rate_permille,
    fen_to_yuan_text,
    monthly_dues_fen,
    normalize_text,
)
from db.store import Database, now_iso

# The columns of dues_bases that set_basis writes, in the order of its INSERT and UPDATE.
_BASIS_FIELDS = (
    "category",
    "base_fen",
    "fixed_fen",
    "computed_fen",
    "reduced_fen",
    "decision_on",
    "decision_note",
    "approved_on",
    "approval_note",
    "note",
)

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


# How a rate-based monthly amount is rounded (half up): label, and the unit in fen.
DUES_ROUNDINGS: dict[str, tuple[str, int]] = {
    "fen": ("四舍五入到分", 1),
    "jiao": ("四舍五入到角", 10),
    "yuan": ("四舍五入到元", 100),
}


def dues_rounding(db: Database) -> str:
    """The branch setting ``dues_rounding``: ``fen`` (default), ``jiao`` or ``yuan``."""
    value = get_setting(db, key="dues_rounding", default="fen")
    return value if value in DUES_ROUNDINGS else "fen"


MAX_PREPAY_SETTING = 24  # the largest 预交 limit a branch may set


def max_ahead_months(db: Database) -> int:
    """The branch setting ``dues_prepay_months``: how many months ahead dues may be paid (预交), 0–24 (default
    ``MAX_AHEAD_MONTHS``). The rule gives no fixed limit on 预交; this is the branch's own choice (issue 14),
    edited in 支部设置 → 规则设置."""
    value = get_setting(db, key="dues_prepay_months", default=MAX_AHEAD_MONTHS)
    return value if isinstance(value, int) and 0 <= value <= MAX_PREPAY_SETTING else MAX_AHEAD_MONTHS


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
    problems += amount_problems("base", "缴纳基数", base_fen)
    problems += amount_problems("fixed", "固定金额", fixed_fen)
    problems += amount_problems("reduced", "减免后的金额", reduced_fen)
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
        elif reduced_fen > 0 and not problems:
            # 党费规定: 交纳党费确有困难的党员……可以少交或者免交 (docs/rules.md, the dues section): a reduction is
            # less than the official amount; paying more (自愿多交) is a payment, not a basis
            official = compute_basis_fen(db, category=category, base_fen=base_fen or 0, fixed_fen=fixed_fen)
            if reduced_fen >= official:
                problems.append(
                    Problem(
                        "reduced",
                        f"减免后的金额（{fen_to_yuan_text(reduced_fen)} 元）应少于按规定应交的 "
                        f"{fen_to_yuan_text(official)} 元：经批准少交的填少交后的金额，免交填 0；"
                        "不减免的请清空此项，自愿多交的在交纳时填写实缴金额",
                    )
                )
        if decision_on is None:
            problems.append(Problem("decision_on", "减免党费须经支部研究决定，请填写支部决定日期"))
        if approved_on is None:
            problems.append(Problem("approved_on", "减免党费须报上级党委批准，请填写批准日期"))
        if decision_on:
            problems += date_problems("decision_on", "支部决定日期", decision_on, today=today)
        if approved_on:
            problems += date_problems("approved_on", "上级批准日期", approved_on, today=today)
        if decision_on and approved_on and approved_on < decision_on:
            problems.append(Problem("approved_on", "上级批准日期不能早于支部决定日期"))
    return problems


def compute_basis_fen(db: Database, *, category: str, base_fen: int, fixed_fen: int | None = None) -> int:
    """The official monthly amount (fen) for a category and base, with this branch's farmer and rounding settings
    (a rate-based amount is rounded half up once, from the exact product, to the branch's unit)."""
    unit = DUES_ROUNDINGS[dues_rounding(db)][1]
    rate = dues_rate_permille(category, base_fen) if base_fen >= 0 else None
    if rate is not None and unit > 1:
        # base_fen * rate / 1000 rounded half up to ``unit`` fen, in integers
        return (base_fen * rate * 2 + 1000 * unit) // (2000 * unit) * unit
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
    correct: bool = False,
) -> DuesBasis:
    """Set a member's dues basis from a month on (replacing a basis that starts in the same month).

    In ``year`` mode the basis starts in January of ``from_month``'s year. A change never reaches back: when the
    member already has a basis in force at that start and the start lies before the current month, the new basis
    starts in the current month (``month`` mode) or the next January (``year`` mode: the amount is fixed for the
    year), so past months' amounts never change (``first_open_month``); a reduction starts no earlier than the
    month of the branch's decision. ``correct=True`` replaces the basis in
    place instead (fixing a typing error), audited like any edit. ``reduced_fen`` (0 = exempt) records a
    reduction and needs both ``decision_on`` and ``approved_on``. Raises ``ValidationError`` (nothing saved) for a
    negative base or amount or an incomplete reduction; ``NotFound`` for an unknown member.
    """
    raise_if(
        validate_basis(
            db,
            category=category,
            base_fen=base_fen,
            fixed_fen=fixed_fen,
            reduced_fen=reduced_fen,
            decision_on=decision_on,
            approved_on=approved_on,
            today=today,
        )
    )
    base = base_fen or 0
    today = today or date.today()
    mode = basis_mode(db)
    start = month_start(from_month)
    if mode == "year":
        start = start.replace(month=1)
    if not correct:
        # a reduction takes effect from the month of the branch's decision (recorded perhaps later); a change of
        # base from the current month or, in year mode, the next January
        if reduced_fen is not None and decision_on is not None:
            start = first_open_month(
                db, member_uuid=member_uuid, start=start, mode="month", today=decision_on
            )
        else:
            start = first_open_month(db, member_uuid=member_uuid, start=start, mode=mode, today=today)
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
    fields = [values[name] for name in _BASIS_FIELDS]
    with db.atomic():
        mid = member_row_id(db, member_uuid)
        old = query_one(
            db,
            f"SELECT uuid, {', '.join(_BASIS_FIELDS)} FROM dues_bases WHERE member_id = ? AND from_month = ?",
            [mid, key],
        )
        now = now_iso()
        if old is None:
            basis_uuid = fresh_uuid()
            db.execute(
                f"INSERT INTO dues_bases (uuid, member_id, from_month, {', '.join(_BASIS_FIELDS)}, created_at, "
                f"updated_at) VALUES ({', '.join('?' * (len(_BASIS_FIELDS) + 5))})",
                [basis_uuid, mid, key, *fields, now, now],
            )
            audit.Trail(db, "dues_basis", basis_uuid, source=source).create(
                "member",
                new=f"{member_uuid} {key} {category} {fen_to_yuan_text(base)} → {fen_to_yuan_text(computed)}",
            )
        else:
            basis_uuid = old["uuid"]
            db.execute(
                f"UPDATE dues_bases SET {', '.join(f'{name}=?' for name in _BASIS_FIELDS)}, updated_at=? "
                "WHERE uuid=?",
                [*fields, now, basis_uuid],
            )
            for name in _BASIS_FIELDS:
                if old[name] != values[name]:
                    audit.Trail(db, "dues_basis", basis_uuid, source=source).update(
                        name, old=old[name], new=values[name]
                    )
    row = query_one(db, BASIS_SELECT + " WHERE b.uuid = ?", [basis_uuid])
    assert row is not None  # written just above
    return basis_from_row(row)


def first_open_month(db: Database, *, member_uuid: str, start: date, mode: str, today: date) -> date:
    """The month a new basis may start so that no month already past changes its amount: ``start`` itself for a
    member's first basis or a start not before the current month; otherwise the current month (``month`` mode) or
    January of the next year (``year`` mode, 每年初核定…年内一般不变动)."""
    current = month_start(today)
    if start >= current:
        return start
    earlier = [b for b in list_bases(db, member_uuid=member_uuid) if b.from_month <= start]
    if not earlier:
        return start
    if mode == "year":
        return date(current.year + (0 if current.month == 1 else 1), 1, 1)
    return current


def list_bases(db: Database, *, member_uuid: str | None = None) -> list[DuesBasis]:
    """Every dues basis (of one member with ``member_uuid``), by member and start month."""
    sql, params = BASIS_SELECT, []
    if member_uuid is not None:
        sql += " WHERE m.uuid = ?"
        params.append(member_uuid)
    return [basis_from_row(r) for r in query(db, sql + " ORDER BY b.member_id, b.from_month", params)]


def basis_for(db: Database, *, member_uuid: str, month: date) -> DuesBasis | None:
    """The basis that applies to a member in a month (the latest one starting in or before it), or None."""
    return effective_basis(list_bases(db, member_uuid=member_uuid), month_start(month))


def bases_overview(db: Database, *, month: date) -> list[BasisRow]:
    """Every member on the ledger of ``month`` with the dues basis in force then (a member transferred in later is
    not on it: that month's dues were the old 党组织's, as in the ledger)."""
    state = load_state(db, months=[])
    start = month_start(month)
    by_quarter = {s.member_uuid for s in quarterly_settings(db) if s.covers(start)}
    return [
        BasisRow(
            member_uuid=m.uuid,
            member_name=m.name,
            member_category=m.category,
            party_group_name=m.party_group_name,
            basis=effective_basis(state.bases.get(mid, []), start),
            quarterly=m.uuid in by_quarter,
        )
        for mid, m in state.on_ledger(start)
    ]
