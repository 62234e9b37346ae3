"""Dues arrears and the reminders they make: 3 or more consecutive unpaid months remind, 6 or more are urgent."""

from __future__ import annotations

from datetime import date

from db.dues.ledger import ledger_entry, load_state
from db.dues.records import (
    REMINDER_MONTHS,
    URGENT_MONTHS,
    Arrears,
    DuesReminder,
    add_month,
    month_label,
    month_start,
)
from db.rules import fen_to_yuan_text
from db.store import Database


def arrears(db: Database, *, today: date, min_months: int = 1) -> list[Arrears]:
    """Members on the roster with at least ``min_months`` consecutive unpaid months ending with the last completed
    month before ``today``, longest first."""
    state = load_state(db)
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
            entry = ledger_entry(state, member_id, month)
            if entry.settled:
                break
            count += 1
            owed += entry.due_fen or 0
            month = add_month(month, -1)
        if count >= min_months:
            result.append(
                Arrears(
                    member_uuid=member.uuid,
                    member_name=member.name,
                    party_group_name=member.party_group_name,
                    months=count,
                    since=add_month(last, -(count - 1)),
                    owed_fen=owed,
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
