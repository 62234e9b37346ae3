"""Dues reports: month and year totals, a member's statement and the annual publication list (党费收缴公示)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from db.dues.ledger import ledger_of, load_state, month_ledger_for
from db.dues.records import (
    DuesTotals,
    LedgerEntry,
    PublicationRow,
    YearReport,
    month_key,
    month_label,
    month_start,
)
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
