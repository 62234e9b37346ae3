"""The dues ledger: loading members, bases and payments once, and building the ledger entries of a month from them.

Every other module of the part reads through ``load_state`` and ``ledger_entry``, so the rules of who owes what in a
month (``owes_in``, the basis in force, the amount due kept from the time of payment) live in one place.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from db.dues.records import (
    DuesBasis,
    DuesMember,
    LedgerEntry,
    month_from_key,
    month_index,
    month_key,
    month_start,
)
from db.errors import NotFound
from db.members import ROSTER_ORDER
from db.records import from_row
from db.rows import named, query, query_one, rows_of
from db.rules import dues_rate_permille, parse_date
from db.store import Database

BASIS_SELECT = """
    SELECT b.uuid AS uuid, m.uuid AS member_uuid, m.name AS member_name, b.from_month AS from_month,
           b.category AS category, b.base_fen AS base_fen, b.fixed_fen AS fixed_fen, b.computed_fen AS computed_fen,
           b.reduced_fen AS reduced_fen, b.decision_on AS decision_on, b.decision_note AS decision_note,
           b.approved_on AS approved_on, b.approval_note AS approval_note, b.note AS note, b.member_id AS member_id
    FROM dues_bases b JOIN members m ON m.id = b.member_id
"""

# Every member (archived ones too) in roster order, with the fields of ``DuesMember``.
_MEMBER_SELECT = (
    "SELECT m.id AS id, m.uuid AS uuid, m.name AS name, m.category AS category,"
    " COALESCE(g.name, '') AS party_group_name, m.joined_on AS joined_on, m.standing AS standing,"
    " m.lost_contact AS lost_contact, m.lost_contact_on AS lost_contact_on, m.status AS status,"
    " m.status_on AS status_on, m.status_reason AS status_reason"
    " FROM members m LEFT JOIN party_groups g ON g.id = m.party_group_id" + ROSTER_ORDER
)

_PAYMENT_SELECT = (
    "SELECT member_id, month, due_fen, paid_fen, paid_on, proxy_id, note, uuid FROM dues_payments"
)


@dataclass
class State:
    """The roster, every dues basis and the payments of some months, read once for a computation."""

    members: list[DuesMember]  # in roster order
    by_id: dict[int, DuesMember]
    bases: dict[int, list[DuesBasis]]  # member id → bases ordered by from_month
    payments: dict[tuple[int, str], dict[str, Any]]  # (member id, "YYYY-MM") → dues_payments row by column
    arrived: dict[int, date]  # member id → the day of the latest valid transfer into this branch

    def owes(self, member_id: int, month: date) -> bool:
        """Is the member on this branch's dues ledger of ``month`` (``owes_in`` with their transfer-in day)?"""
        return owes_in(self.by_id[member_id], month, self.arrived.get(member_id))

    def on_ledger(self, month: date) -> list[tuple[int, DuesMember]]:
        """(member id, member) of everyone on the ledger of ``month``, in roster order."""
        ids = {m.uuid: i for i, m in self.by_id.items()}
        return [(ids[m.uuid], m) for m in self.members if self.owes(ids[m.uuid], month)]


def basis_from_row(row: Mapping[str, Any]) -> DuesBasis:
    """A ``DuesBasis`` from a row of ``BASIS_SELECT``."""
    return from_row(
        DuesBasis,
        row,
        from_month=month_from_key(row["from_month"]),
        rate=dues_rate_permille(row["category"], row["base_fen"]),
    )


def load_state(db: Database, *, months: Iterable[str] | None = None) -> State:
    """Read the roster, every basis and the payments of ``months`` (``YYYY-MM`` keys; all months when None)."""
    members = [from_row(DuesMember, row) for row in named(db.execute(_MEMBER_SELECT))]
    by_id = {m.id: m for m in sorted(members, key=lambda m: m.id)}
    bases = all_bases(db)
    sql = _PAYMENT_SELECT
    params: list[str] = []
    if months is not None:
        keys = sorted(set(months))
        sql += f" WHERE month IN ({','.join('?' * len(keys))})"
        params = keys
    payments = {(r["member_id"], r["month"]): r for r in query(db, sql, params)}
    return State(members, by_id, bases, payments, arrivals(db))


def all_bases(
    db: Database, *, member_ids: list[int] | None = None, months: tuple[str, str] | None = None
) -> dict[int, list[DuesBasis]]:
    """Every dues basis (of the members ``member_ids`` when given) by member row id, each member's ordered by
    ``from_month``. With ``months`` (first and last ``YYYY-MM``) only the bases that can be in force in them: the
    member's latest starting by the first month and those starting up to the last."""
    order = " ORDER BY b.member_id, b.from_month"
    if member_ids is None:
        rows = query(db, BASIS_SELECT + order)
    elif months is None:
        rows = rows_of(db, BASIS_SELECT + " WHERE b.member_id IN ({})" + order, member_ids)
    else:
        rows = rows_of(
            db,
            BASIS_SELECT + " WHERE b.from_month <= ? AND b.from_month >= coalesce((SELECT max(x.from_month)"
            " FROM dues_bases x WHERE x.member_id = b.member_id AND x.from_month <= ?), '')"
            " AND b.member_id IN ({})" + order,
            member_ids,
            [months[1], months[0]],
        )
    bases: dict[int, list[DuesBasis]] = {}
    for row in rows:
        bases.setdefault(row["member_id"], []).append(basis_from_row(row))
    return bases


def arrivals(db: Database) -> dict[int, date]:
    """member row id → the day of the latest valid transfer into this branch."""
    arrived: dict[int, date] = {}
    for r in query(
        db,
        "SELECT member_id, max(issued_on) AS arrived FROM transfers "
        "WHERE direction = 'in' AND status = 'valid' GROUP BY member_id",
    ):
        day = parse_date(r["arrived"])
        if day is not None:
            arrived[r["member_id"]] = day
    return arrived


def membership_start(state: State, member_id: int) -> date | None:
    """The first month the member belonged to this branch: the month of ``joined_on`` (the admission meeting) or
    of the latest transfer in, whichever is later; None when neither is known."""
    member = state.by_id[member_id]
    days = [d for d in (member.joined_on, state.arrived.get(member_id)) if d is not None]
    return month_start(max(days)) if days else None


def member_row_id(db: Database, member_uuid: str) -> int:
    """The row id of a member; ``NotFound`` for an unknown uuid."""
    row = query_one(db, "SELECT id FROM members WHERE uuid = ?", [member_uuid])
    if row is None:
        raise NotFound(f"找不到该党员（{member_uuid}）")
    return int(row["id"])


def owes_in(member: DuesMember, month: date, arrived: date | None = None) -> bool:
    """Is the member on the dues ledger of ``month``? Not before the admission meeting (``joined_on``) nor before
    ``arrived``, the day they transferred into this branch."""
    span = owed_span(member.joined_on, arrived, member.status, member.status_on)
    return (
        span is not None
        and span[0] <= month_index(month)
        and (span[1] is None or month_index(month) <= span[1])
    )


def owed_span(
    joined_on: date | None, arrived: date | None, status: str, status_on: date | None
) -> tuple[int, int | None] | None:
    """The months (``month_index``) a member owes dues: from the later of the admission meeting and the transfer in
    to the month they left (None: still on the roster); None when archived without a date (never owes)."""
    first = max((month_index(d) for d in (joined_on, arrived) if d is not None), default=0)
    if status == "active":
        return first, None
    return None if status_on is None else (first, month_index(status_on))


def month_due(bases: list[DuesBasis], payment: Mapping[str, Any] | None, month: date) -> int | None:
    """What a member owes for ``month``: the amount due when it was paid (kept even if the basis changes later),
    else the basis in force; None when no basis is set."""
    basis = effective_basis(bases, month)
    if payment is not None and payment["paid_fen"] is not None and payment["due_fen"] is not None:
        return int(payment["due_fen"])
    return basis.amount_fen if basis else None


def effective_basis(bases: list[DuesBasis], month: date) -> DuesBasis | None:
    """The basis in force in ``month``: the latest of ``bases`` (ordered by start) starting in or before it."""
    found = None
    for b in bases:
        if b.from_month <= month:
            found = b
        else:
            break
    return found


def ledger_entry(state: State, member_id: int, month: date) -> LedgerEntry:
    """The ledger entry of one member in one month (``month`` is the first day of the month)."""
    member = state.by_id[member_id]
    basis = effective_basis(state.bases.get(member_id, []), month)
    pay = state.payments.get((member_id, month_key(month)))
    paid_fen = paid_on = proxy = None
    note = ""
    due = month_due(state.bases.get(member_id, []), pay, month)
    if pay is not None:
        paid_fen, paid_on, note = pay["paid_fen"], parse_date(pay["paid_on"]), pay["note"]
        proxy = state.by_id.get(pay["proxy_id"]) if pay["proxy_id"] is not None else None
    return LedgerEntry(
        member_uuid=member.uuid,
        member_name=member.name,
        member_category=member.category,
        party_group_name=member.party_group_name,
        member_status=member.status,
        month=month,
        dues_category=basis.category if basis else None,
        base_fen=basis.base_fen if basis else None,
        rate=basis.rate if basis else None,
        due_fen=due,
        reduced=bool(basis and basis.reduced_fen is not None),
        paid_fen=paid_fen,
        paid_on=paid_on,
        proxy_uuid=proxy.uuid if proxy else None,
        proxy_name=proxy.name if proxy else "",
        note=note,
    )


def ledger_of(state: State, month: date) -> list[LedgerEntry]:
    """The entries of every member who owes dues in ``month``, in roster order."""
    return [ledger_entry(state, mid, month) for mid, _member in state.on_ledger(month)]


def month_ledger(db: Database, *, month: date) -> list[LedgerEntry]:
    """The ledger of a month: every member who owes dues that month, in roster order."""
    start = month_start(month)
    return ledger_of(load_state(db, months=[month_key(start)]), start)


def month_ledger_for(db: Database, *, member_uuid: str, months: Iterable[date]) -> list[LedgerEntry]:
    """A member's ledger entries for the given months (months they did not owe here, before the admission or the
    transfer in or after they left, are left out, as in ``ledger_of``)."""
    starts = sorted({month_start(m) for m in months})
    state = load_state(db, months=[month_key(m) for m in starts])
    mid = member_row_id(db, member_uuid)
    return [ledger_entry(state, mid, m) for m in starts if state.owes(mid, m)]
