"""Dues reports: month and year totals, a member's statement and the annual publication list (党费收缴公示)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from db.branch import records_start
from db.dues.ledger import effective_basis, ledger_entry, ledger_of, load_state, month_ledger_for, owes_in
from db.dues.quarterly import QuarterlySetting, quarter_end, quarterly_settings
from db.dues.records import (
    DuesStanding,
    DuesTotals,
    LedgerEntry,
    PublicationRow,
    YearReport,
    add_month,
    month_key,
    month_label,
    month_start,
)
from db.rows import query
from db.rules import DUES_CATEGORIES
from db.store import Database


def _totals(label: str, entries: list[LedgerEntry]) -> DuesTotals:
    owing = [e for e in entries if e.due_fen != 0]
    return DuesTotals(
        label=label,
        due_fen=sum(e.due_fen or 0 for e in entries),
        paid_fen=sum(e.paid_fen or 0 for e in entries),
        members_due=len(owing),
        members_paid=sum(1 for e in owing if e.paid),
        members_without_basis=sum(1 for e in entries if e.due_fen is None),
    )


def ledger_totals(month: date, entries: list[LedgerEntry]) -> DuesTotals:
    """``month_totals`` of a month whose ledger entries the caller already holds (``db.dues.ledger.month_ledger``)."""
    return _totals(month_label(month_start(month)), entries)


def month_totals(db: Database, *, month: date) -> DuesTotals:
    """Totals of a month: due, paid (fen), members who owe (amount not 0), members who paid, members without a
    dues basis."""
    return months_totals(db, months=[month])[0]


def months_totals(db: Database, *, months: Sequence[date]) -> list[DuesTotals]:
    """``month_totals`` of several months, in the given order, reading the roster and the payments once (the
    home page's twelve-month chart)."""
    starts = [month_start(m) for m in months]
    state = load_state(db, months=[month_key(m) for m in starts])
    return [_totals(month_label(m), ledger_of(state, m)) for m in starts]


def _year_months(year: int, through: date | None) -> list[date]:
    months = [date(year, m, 1) for m in range(1, 13)]
    if through is not None:
        months = [m for m in months if m <= month_start(through)]
    return months


def year_report(db: Database, *, year: int, through: date | None = None) -> YearReport:
    """Month by month totals of a year (up to the month of ``through`` when given) and the year's total, where
    ``members_due`` counts members who owed in any month and ``members_paid`` those with no unpaid month."""
    months = _year_months(year, through)
    state = load_state(db, months=[month_key(m) for m in months])
    per_month, all_entries = [], []
    for m in months:
        entries = ledger_of(state, m)
        all_entries += entries
        per_month.append(_totals(month_label(m), entries))
    owing: dict[str, bool] = {}
    for e in all_entries:
        if e.due_fen != 0:
            owing[e.member_uuid] = owing.get(e.member_uuid, True) and e.paid
    total = DuesTotals(
        label=f"{year}年",
        due_fen=sum(t.due_fen for t in per_month),
        paid_fen=sum(t.paid_fen for t in per_month),
        members_due=len(owing),
        members_paid=sum(owing.values()),
        members_without_basis=len({e.member_uuid for e in all_entries if e.due_fen is None}),
    )
    return YearReport(year, per_month, total)


def member_statement(db: Database, *, member_uuid: str, year: int) -> list[LedgerEntry]:
    """A member's twelve months of a year (the months they owed), paid or not."""
    return month_ledger_for(db, member_uuid=member_uuid, months=_year_months(year, None))


def publication_rows(db: Database, *, year: int, through: date | None = None) -> list[PublicationRow]:
    """The annual publication list (党费收缴公示): per member the monthly amount, months owed and paid, amounts
    due and paid in the year (up to the month of ``through``)."""
    months = _year_months(year, through)
    state = load_state(db, months=[month_key(m) for m in months])
    rows: dict[str, list[LedgerEntry]] = {}
    for m in months:
        for e in ledger_of(state, m):
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
                member_name=last.member_name,
                party_group_name=last.party_group_name,
                dues_category=DUES_CATEGORIES[last.dues_category] if last.dues_category else "未核定",
                monthly_fen=last.due_fen,
                months_due=len(owed),
                months_paid=sum(1 for e in owed if e.paid),
                due_fen=sum(e.due_fen or 0 for e in entries),
                paid_fen=sum(e.paid_fen or 0 for e in entries),
                note="，".join(notes),
            )
        )
    return result


def period_standing(db: Database, *, start: date, end: date) -> dict[str, DuesStanding]:
    """Each member who owed dues in a month of ``start``–``end``: how they paid (``DuesStanding``), by uuid.
    Reads the roster, the bases and the payments of those months once."""
    months = [month_start(start)]
    while months[-1] < month_start(end):
        months.append(add_month(months[-1], 1))
    state = load_state(db, months=[month_key(m) for m in months])
    first_kept = records_start(db)
    by_quarter: dict[str, list[QuarterlySetting]] = {}
    for setting in quarterly_settings(db):
        by_quarter.setdefault(setting.member_uuid, []).append(setting)
    extra = _extra_by_day(db, start, end)
    out = {}
    for member_id, member in state.by_id.items():
        owed = [m for m in months if owes_in(member, m, state.arrived.get(member_id))]
        if not owed:
            continue
        paying, late, unknown = False, False, False
        for month in owed:
            entry = ledger_entry(state, member_id, month)
            if entry.due_fen is None or (first_kept is not None and month < month_start(first_kept)):
                unknown = True
            elif entry.due_fen > 0:
                paying = True
                quarterly = any(q.covers(month) for q in by_quarter.get(member.uuid, ()))
                last = quarter_end(month) if quarterly else month
                deadline = add_month(last, 1) - timedelta(days=1)
                late = late or not entry.settled or entry.paid_on is None or entry.paid_on > deadline
        basis = effective_basis(state.bases.get(member_id, []), owed[-1])
        reduced_fen = basis.reduced_fen if basis is not None else None
        out[member.uuid] = DuesStanding(
            member_uuid=member.uuid,
            on_time=paying and not late and not unknown,
            unknown=unknown,
            reduced=bool(reduced_fen),
            exempt=reduced_fen == 0,
            extra_once_fen=extra.get(member.uuid, 0),
        )
    return out


def _extra_by_day(db: Database, start: date, end: date) -> dict[str, int]:
    """member uuid → the most paid above what was due (payments with their amount due) on one day in the period."""
    rows = query(
        db,
        "SELECT m.uuid, p.paid_on, sum(p.paid_fen - p.due_fen) AS extra FROM dues_payments p"
        " JOIN members m ON m.id = p.member_id WHERE p.paid_on BETWEEN ? AND ? AND p.due_fen IS NOT NULL"
        " GROUP BY m.uuid, p.paid_on",
        [start.isoformat(), end.isoformat()],
    )
    out: dict[str, int] = {}
    for r in rows:
        out[r["uuid"]] = max(out.get(r["uuid"], 0), int(r["extra"]))
    return out
