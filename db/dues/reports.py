"""Dues reports: month and year totals, a member's statement and the annual publication list (党费收缴公示)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from db.branch import records_start
from db.dues.ledger import (
    all_bases,
    arrivals,
    effective_basis,
    ledger_of,
    load_state,
    month_due,
    month_ledger_for,
    owed_span,
)
from db.dues.quarterly import QuarterlySetting, quarter_end, quarterly_settings
from db.dues.records import (
    DuesStanding,
    DuesTotals,
    LedgerEntry,
    PublicationRow,
    YearReport,
    add_month,
    month_from_key,
    month_index,
    month_key,
    month_label,
    month_of_index,
    month_start,
)
from db.rows import query, rows_of
from db.rules import DUES_CATEGORIES, parse_date
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


# A payment row settles its month on time when paid in full by the month's end, or, for a member paying by quarter
# with the branch's consent in that month, by the quarter's end. Dates are ISO text, so "on or before the last day
# of month YYYY-MM" is ``paid_on < 'YYYY-MM-32'``; the quarter's last month is (mm + 2) / 3 * 3. A CASE, because
# SQLite evaluates both sides of AND/OR in a value: the settings are looked up only for a row late by its month.
_ON_TIME = """CASE
    WHEN paid_fen IS NULL OR due_fen IS NULL THEN 0
    WHEN due_fen = 0 THEN 1
    WHEN paid_fen < due_fen THEN 0
    WHEN paid_on < month || '-32' THEN 1
    WHEN EXISTS (SELECT 1 FROM dues_quarterly q WHERE q.member_id = p.member_id AND q.from_month <= p.month
                 AND (q.until_month IS NULL OR p.month <= q.until_month))
        THEN paid_on < printf('%s-%02d-32', substr(month, 1, 4), (CAST(substr(month, 6, 2) AS INTEGER) + 2) / 3 * 3)
    ELSE 0 END"""


def period_standing(db: Database, *, start: date, end: date) -> dict[str, DuesStanding]:
    """Each member who owed dues in a month of ``start``–``end``: how they paid (``DuesStanding``), by uuid.

    The yearly statistics of a 20,000-member roster call it, so it is counted in SQL from one pass over the
    period's payments (the covering indexes of migration 0024): a member with a payment, with its amount due, for
    every month owed is settled from one aggregate row, paying by month or by quarter, on time or late. Only the
    others (a month without a payment or without its amount, months before the records start, a member whose
    basis changed after they left) are walked month by month with their bases and payments."""
    first, last = month_index(month_start(start)), month_index(month_start(end))
    keys = [month_key(month_of_index(first)), month_key(month_of_index(last))]
    arrived = arrivals(db)
    kept = records_start(db)
    kept_from = month_index(month_start(kept)) if kept is not None else first
    extra = _extra_by_day(db, start, end)
    out: dict[str, DuesStanding] = {}
    slow: dict[int, tuple[str, range]] = {}
    for m in query(
        db,
        "SELECT m.id, m.uuid, m.joined_on, m.status, m.status_on, p.months, p.settled, p.paying, p.fine,"
        " b.id IS NOT NULL AS has_basis, b.from_month AS basis_from, b.reduced_fen FROM members m"
        " LEFT JOIN (SELECT member_id, count(*) AS months, sum(paid_fen IS NOT NULL AND due_fen IS NOT NULL)"
        f" AS settled, sum(paid_fen IS NOT NULL AND due_fen > 0) AS paying, sum({_ON_TIME}) AS fine"
        " FROM dues_payments p WHERE month BETWEEN ? AND ? GROUP BY member_id) p ON p.member_id = m.id"
        " LEFT JOIN dues_bases b ON b.member_id = m.id AND b.from_month = (SELECT max(from_month) FROM dues_bases"
        " WHERE member_id = m.id AND from_month <= ?)"
        # members who left before the period owe none of it (``owed_span``): not read
        " WHERE m.status = 'active' OR m.status_on >= ?",
        [*keys, keys[1], month_of_index(first).isoformat()],
    ):
        span = owed_span(
            parse_date(m["joined_on"]), arrived.get(m["id"]), m["status"], parse_date(m["status_on"])
        )
        if span is None or (span[1] is not None and span[1] < first) or span[0] > last:
            continue
        owed = range(max(first, span[0]), min(last, last if span[1] is None else span[1]) + 1)
        if not owed:  # left before they joined or arrived (a record in error): owed no month
            continue
        if not m["has_basis"] and m["months"] is None:  # nothing kept for them: every month unknown
            out[m["uuid"]] = DuesStanding(m["uuid"], False, True, False, False, 0)
        elif (
            m["settled"] != len(owed)
            or m["months"] != len(owed)
            or owed[0] < kept_from
            or (owed[-1] < last and m["has_basis"] and m["basis_from"] > month_key(month_of_index(owed[-1])))
        ):
            slow[m["id"]] = (m["uuid"], owed)
        else:
            reduced_fen = m["reduced_fen"] if m["has_basis"] else None
            out[m["uuid"]] = DuesStanding(
                m["uuid"],
                m["paying"] > 0 and m["fine"] == len(owed),
                False,
                bool(reduced_fen),
                reduced_fen == 0,
                extra.get(m["uuid"], 0),
            )
    if slow:
        out.update(_walk(db, slow, keys, kept_from, extra))
    return out


def _walk(
    db: Database, slow: dict[int, tuple[str, range]], keys: list[str], kept_from: int, extra: dict[str, int]
) -> dict[str, DuesStanding]:
    """``period_standing`` of the members in ``slow`` (row id → uuid and the months owed), month by month."""
    bases = all_bases(db, member_ids=list(slow), months=(keys[0], keys[1]))
    payments: dict[tuple[int, int], dict[str, Any]] = {
        (p["member_id"], month_index(month_from_key(p["month"]))): p
        for p in rows_of(
            db,
            "SELECT member_id, month, due_fen, paid_fen, paid_on FROM dues_payments"
            " WHERE month BETWEEN ? AND ? AND member_id IN ({})",
            list(slow),
            keys,
        )
    }
    by_quarter: dict[str, list[QuarterlySetting]] = {}
    for setting in quarterly_settings(db):
        by_quarter.setdefault(setting.member_uuid, []).append(setting)
    out = {}
    for member_id, (uuid, owed) in slow.items():
        own = bases.get(member_id, [])
        paying = late = unknown = False
        for i in owed:
            month, pay = month_of_index(i), payments.get((member_id, i))
            due = month_due(own, pay, month)
            if due is None or i < kept_from:
                unknown = True
            elif due > 0:
                paying = True
                by_quarter_now = any(q.covers(month) for q in by_quarter.get(uuid, ()))
                deadline = add_month(quarter_end(month) if by_quarter_now else month, 1) - timedelta(days=1)
                paid_on = parse_date(pay["paid_on"]) if pay is not None else None
                full = pay is not None and pay["paid_fen"] is not None and pay["paid_fen"] >= due
                late = late or not full or paid_on is None or paid_on > deadline
        basis = effective_basis(own, month_of_index(owed[-1]))
        reduced_fen = basis.reduced_fen if basis is not None else None
        out[uuid] = DuesStanding(
            member_uuid=uuid,
            on_time=paying and not late and not unknown,
            unknown=unknown,
            reduced=bool(reduced_fen),
            exempt=reduced_fen == 0,
            extra_once_fen=extra.get(uuid, 0),
        )
    return out


def _extra_by_day(db: Database, start: date, end: date) -> dict[str, int]:
    """member uuid → the most paid above what was due (payments with their amount due) on one day in the period,
    for the members who paid more than due on some day.

    A day's sum can be above zero only when one of its payments is: only those days (``x``, found in one pass over
    the period's payments by day) are summed, which keeps a large roster's report from grouping every payment."""
    rows = query(
        db,
        "SELECT m.uuid, max(d.extra) AS extra FROM (SELECT p.member_id, sum(p.paid_fen - p.due_fen) AS extra"
        " FROM (SELECT DISTINCT paid_on, member_id FROM dues_payments WHERE paid_on BETWEEN ? AND ?"
        " AND paid_fen > due_fen) x JOIN dues_payments p ON p.paid_on = x.paid_on AND p.member_id = x.member_id"
        " AND p.due_fen IS NOT NULL GROUP BY p.paid_on, p.member_id) d"
        " JOIN members m ON m.id = d.member_id WHERE d.extra > 0 GROUP BY m.uuid",
        [start.isoformat(), end.isoformat()],
    )
    return {r["uuid"]: int(r["extra"]) for r in rows}
