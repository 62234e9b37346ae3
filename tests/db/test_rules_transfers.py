"""Issue 14, transfers out (组通字〔2006〕45号): the receipt's due day and the dues month on the letter, each at its
boundary and naming its source (quoted in docs/rules.md; ``test_rules_doc`` keeps the two in step)."""

from __future__ import annotations

from datetime import date

import pytest

from db import dues, transfers
from db.errors import ValidationError
from db.members import add_member
from db.rules import make_citizen_id

TODAY = date(2026, 11, 20)


def _member(db) -> str:  # type: ignore[no-untyped-def]
    values = {
        "name": "张三",
        "category": "full",
        "citizen_id": make_citizen_id("140202", date(1985, 5, 6), 11),
        "joined_on": date(2010, 7, 1),
        "full_on": date(2011, 7, 1),
    }
    return add_member(db, values=values).uuid


def _out(db, member: str, **kw):  # type: ignore[no-untyped-def]
    values = {"addressee": "中共某矿委员会", "to_unit": "某矿综采队党支部", "validity_days": 10}
    values.update(kw)
    return transfers.transfer_out(db, member_uuid=member, today=TODAY, **values)


@pytest.mark.parametrize(("today", "overdue"), [(date(2026, 2, 28), False), (date(2026, 3, 1), True)])
def test_receipt_is_due_a_month_after_the_validity_ends(db, today: date, overdue: bool) -> None:  # type: ignore[no-untyped-def]
    """组通字〔2006〕45号: 回执联由接收党员组织关系的基层党委在接收党员后一个月内邮寄或传真至党员原所在基层党委 — a
    10-day letter issued 2026-01-19 is valid until 01-29; its receipt is due 02-28 (a month later, February
    being short), overdue from 03-01 — not from 02-20, a month after issue."""
    t = _out(db, _member(db), issued_on=date(2026, 1, 19))
    assert t.valid_until == date(2026, 1, 29) and t.receipt_due == date(2026, 2, 28)
    assert (t.receipt_status(today) == "overdue") is overdue
    assert bool(transfers.transfer_reminders(db, today=today)) is overdue


def test_dues_month_may_follow_the_issue_month_when_prepaid(db) -> None:  # type: ignore[no-untyped-def]
    """组通字〔2006〕45号 (该同志党费已交到…年…月): a member who prepaid is paid up beyond the issue month; the letter may
    say so when the dues ledger shows it, and not otherwise."""
    member = _member(db)
    dues.set_basis(
        db,
        member_uuid=member,
        from_month=date(2026, 1, 1),
        category="employed",
        base_fen=540000,
        today=date(2026, 1, 5),
    )
    with pytest.raises(ValidationError, match="只交至"):
        _out(db, member, issued_on=date(2026, 11, 3), dues_paid_to="2026-12")
    dues.record_payments(
        db,
        member_uuid=member,
        months=[date(2026, 11, 1), date(2026, 12, 1)],
        paid_on=date(2026, 11, 2),
        today=TODAY,
    )
    with pytest.raises(ValidationError, match="只交至 2026-12"):
        _out(db, member, issued_on=date(2026, 11, 3), dues_paid_to="2027-01")
    t = _out(db, member, issued_on=date(2026, 11, 3), dues_paid_to="2026-12")
    assert t.dues_paid_to == "2026-12"
