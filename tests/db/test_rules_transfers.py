"""Issue 14, transfers out (组通字〔2006〕45号): the receipt's due day and the dues month on the letter, each at its
boundary and naming its source (quoted in docs/rules.md; ``test_rules_doc`` keeps the two in step)."""

from __future__ import annotations

from datetime import date

import pytest

from db import dues, transfers
from db.errors import ValidationError
from db.members import add_member, get_member
from db.rules import make_citizen_id

TODAY = date(2026, 11, 20)


# The member the transfer tests move about, as the roster holds them.
MEMBER_VALUES = {
    "name": "张三",
    "category": "full",
    "citizen_id": make_citizen_id("140202", date(1985, 5, 6), 11),
    "joined_on": date(2010, 7, 1),
    "full_on": date(2011, 7, 1),
}


def _member(db) -> str:  # type: ignore[no-untyped-def]
    return add_member(db, values=MEMBER_VALUES).uuid


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


@pytest.mark.parametrize(("today", "in_progress"), [(date(2026, 1, 29), True), (date(2026, 1, 30), False)])
def test_member_stays_in_transfer_until_the_validity_ends(db, today: date, in_progress: bool) -> None:  # type: ignore[no-untyped-def]
    """教管条例第二十五条: 对组织关系转出但尚未被接收的党员，原所在党组织仍然负有管理责任 — a 10-day letter issued
    2026-01-19 (valid until 01-29) keeps the member on the roster as 转出中 (counted, expected at meetings, in the
    dues ledger) through 01-29; with no receipt, 已转出 from 01-30."""
    from db import meetings

    member = _member(db)
    dues.set_basis(
        db, member_uuid=member, from_month=date(2026, 1, 1), category="employed", base_fen=540000, today=TODAY
    )
    t = _out(db, member, issued_on=date(2026, 1, 19), dues_paid_to="2026-01")
    transfers.settle_transfers_out(db, today=today)
    stored = get_member(db, uuid=member)
    assert t.in_progress(today) is in_progress
    assert (stored.status == "active") is in_progress
    assert (member in transfers.roster_marks(db, today=today)) is in_progress
    if in_progress:
        expected = meetings.expected_members(db, kind="branch_assembly", on=today)
        assert [m.uuid for m, _ in expected] == [member]
        assert [e.member_uuid for e in dues.month_ledger(db, month=date(2026, 1, 1))] == [member]
    else:
        assert (stored.status, stored.status_on) == ("transferred_out", date(2026, 1, 30))


def test_the_receipt_ends_the_transfer(db) -> None:  # type: ignore[no-untyped-def]
    """组通字〔2006〕45号 (the 回执 says the receiving committee has the member): 已转出 from the day the receipt came
    back, even within the validity; cancelling an open letter leaves the member on the roster."""
    member = _member(db)
    t = _out(db, member, issued_on=date(2026, 1, 19), dues_paid_to="2026-01")
    transfers.record_receipt(db, uuid=t.uuid, returned_on=date(2026, 1, 25), today=TODAY)
    stored = get_member(db, uuid=member)
    assert (stored.status, stored.status_on) == ("transferred_out", date(2026, 1, 25))
    other = add_member(db, values={"name": "李四", "category": "full", "joined_on": date(2010, 7, 1)}).uuid
    t2 = _out(db, other, issued_on=date(2026, 11, 1), dues_paid_to="2026-11")
    transfers.cancel_transfer(db, uuid=t2.uuid, reason="本人不再调动")
    assert get_member(db, uuid=other).status == "active" and transfers.roster_marks(db, today=TODAY) == {}


@pytest.mark.parametrize(("issued_on", "warned"), [(date(2026, 5, 31), False), (date(2026, 6, 1), True)])
def test_probationary_member_past_the_year_is_warned_before_the_letter(
    db, issued_on: date, warned: bool
) -> None:  # type: ignore[no-untyped-def]
    """凡是预备期已满，尚未办理转正手续的，原单位党组织应及时讨论其转正问题，转正后及时转移组织关系 — a 预备党员 admitted
    2025-06-01 whose probation year ends 2026-06-01: a letter issued from that day is warned about (naming the day and
    what to do), not refused (an extension or a late 转正 goes with the papers); the day before it is not."""
    values = {
        "name": "李四",
        "category": "probationary",
        "citizen_id": make_citizen_id("140202", date(1990, 3, 4), 13),
        "joined_on": date(2025, 6, 1),
    }
    member = add_member(db, values=values).uuid
    problems = transfers.validate_transfer_out(
        db,
        member_uuid=member,
        addressee="中共某矿委员会",
        to_unit="某矿综采队党支部",
        dues_paid_to=None,
        validity_days=10,
        issued_on=issued_on,
        today=TODAY,
    )
    found = [p for p in problems if p.field == "member"]
    assert bool(found) is warned and all(p.warning for p in problems)
    if warned:
        assert "2026-06-01" in found[0].message and "讨论其转正" in found[0].message
    assert _out(db, member, issued_on=issued_on).member_uuid == member


def test_a_member_is_in_one_branch_at_a_time(db) -> None:  # type: ignore[no-untyped-def]
    """教管条例第二十五条: 每个党员都必须编入党的一个支部、小组或者其他特定组织 — a member who left on 2025-03-08 (the
    receipt) cannot arrive back before that day, and once back on 2026-03-05 cannot be given a letter out dated
    before it; each is refused naming the day, and the same day is accepted."""
    member = _member(db)
    t = _out(db, member, issued_on=date(2025, 3, 1))
    transfers.record_receipt(db, uuid=t.uuid, returned_on=date(2025, 3, 8), today=TODAY)

    def back(on: date):  # type: ignore[no-untyped-def]
        return transfers.transfer_in(
            db,
            values=MEMBER_VALUES,
            from_unit="某矿",
            letter_serial="S1",
            arrived_on=on,
            scope="within",
            today=TODAY,
        )

    with pytest.raises(ValidationError, match="转入日期不能早于.*2025-03-08"):
        back(date(2025, 3, 7))
    assert get_member(db, uuid=member).status == "transferred_out"
    back(date(2026, 3, 5))
    with pytest.raises(ValidationError, match="开具日期不能早于.*2026-03-05"):
        _out(db, member, issued_on=date(2026, 3, 4))
    assert _out(db, member, issued_on=date(2026, 3, 5)).serial == "2026-001"
