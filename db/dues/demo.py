"""The demo branch's dues: a year of bases across every tier and of collection, with arrears and a proxy payment."""

from __future__ import annotations

import random
from datetime import date, timedelta

from db.dues.bases import set_basis
from db.dues.ledger import ledger_entry, ledger_of, load_state
from db.dues.payments import write_payment
from db.dues.records import add_month, month_index, month_key, month_start
from db.members import list_members
from db.rows import query
from db.store import Database


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
                today=date(y, 1, 31),  # each year's basis is fixed in January (never reaches back)
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
        state = load_state(db, months=[month_key(month)])
        ids = {m.uuid: i for i, m in state.by_id.items()}
        for entry in ledger_of(state, month):
            if entry.paid or not entry.due_fen:
                continue
            if entry.member_uuid == behind_three and month_index(month) > month_index(last_collected) - 4:
                continue
            if entry.member_uuid == behind_two and month_index(month) > month_index(last_collected) - 2:
                continue
            late = rng.random() < 0.04
            proxy = None
            if (
                proxy_pair
                and entry.member_uuid == proxy_pair[0]
                and month_index(month) == month_index(last_collected) - 1
            ):
                proxy = ids[proxy_pair[1]]
            day = min(add_month(month, 2) - timedelta(days=1), today) if late else paid_on
            note = "补交" if late else ("委托代缴" if proxy else "")
            write_payment(
                db,
                state,
                ids[entry.member_uuid],
                entry,
                paid_on=day,
                proxy_id=proxy,
                note=note,
                source="demo",
            )
        month = add_month(month, 1)
    # the current month is being collected: about two thirds have paid so far
    month = month_start(today)
    state = load_state(db, months=[month_key(month)])
    ids = {m.uuid: i for i, m in state.by_id.items()}
    for entry in ledger_of(state, month):
        if entry.paid or not entry.due_fen or entry.member_uuid in (behind_three, behind_two):
            continue
        if rng.random() < 0.66:
            paid_on = date(today.year, today.month, rng.randrange(1, today.day + 1))
            write_payment(db, state, ids[entry.member_uuid], entry, paid_on=paid_on, source="demo")


def demo_dues_arrivals(db: Database, *, rng: random.Random, today: date) -> None:
    """Dues of the members the transfers demo brings in (it runs after ``demo_dues``): a basis from the year of
    arrival and every month paid from the arrival month on, so the demo shows a member transferred in mid-year
    who owes nothing for the months before they came (issue 14). ``rng`` is left untouched so that the demos
    after this one stay as they were."""
    del rng
    arrivals = query(
        db,
        "SELECT m.uuid AS uuid, m.id AS id, max(t.issued_on) AS arrived FROM transfers t "
        "JOIN members m ON m.id = t.member_id WHERE t.direction = 'in' AND t.status = 'valid' "
        "AND m.status = 'active' AND NOT EXISTS (SELECT 1 FROM dues_bases b WHERE b.member_id = m.id) "
        "GROUP BY m.id ORDER BY m.id",
    )
    with db.atomic():
        for row in arrivals:
            arrived = date.fromisoformat(row["arrived"])
            set_basis(
                db,
                member_uuid=row["uuid"],
                from_month=arrived,
                category="employed",
                base_fen=600000,
                today=max(arrived, date(arrived.year, 1, 31)),
                source="demo",
            )
            month = month_start(arrived)
            while month < month_start(today):
                state = load_state(db, months=[month_key(month)])
                entry = ledger_entry(state, row["id"], month)
                if not entry.paid and entry.due_fen:
                    paid_on = min(month.replace(day=10), today) if month > month_start(arrived) else arrived
                    write_payment(db, state, row["id"], entry, paid_on=paid_on, source="demo")
                month = add_month(month, 1)
