"""Issue 14, dues: each rule at its boundary (the day before, on, after), each test naming the rule it proves.

The rules and the quoted texts are in docs/rules.md; ``test_rules_doc`` checks that every test named there exists.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from db import dues, monthly_close, transfers
from db.branch import set_records_start, set_setting
from db.errors import ValidationError
from db.members import add_member
from db.rules import make_citizen_id, yuan_to_fen

TODAY = date(2026, 11, 21)  # last completed month: October 2026


def _member(db, name: str, joined: date = date(2010, 7, 1)) -> str:  # type: ignore[no-untyped-def]
    full = date(joined.year + 1, joined.month, joined.day) if joined.year < 2025 else None
    values = {
        "name": name,
        "category": "full" if full else "probationary",
        "joined_on": joined,
        "full_on": full,
    }
    return add_member(db, values=values).uuid


def _basis(db, member: str, base: str = "5400", **kw) -> None:  # type: ignore[no-untyped-def]
    dues.set_basis(
        db,
        member_uuid=member,
        from_month=date(2026, 1, 1),
        category="employed",
        base_fen=yuan_to_fen(base),
        today=date(2026, 1, 31),
        **kw,
    )


def _pay(db, member: str, first: date, last: date, **kw) -> None:  # type: ignore[no-untyped-def]
    month = first
    while month <= last:
        dues.record_payments(db, member_uuid=member, months=[month], paid_on=month, today=TODAY, **kw)
        month = dues.add_month(month, 1)


def _arrears_of(db, member: str, today: date = TODAY) -> dues.Arrears | None:  # type: ignore[no-untyped-def]
    return next((a for a in dues.arrears(db, today=today) if a.member_uuid == member), None)


def _arrive(db, name: str, on: date, seq: int) -> str:  # type: ignore[no-untyped-def]
    t = transfers.transfer_in(
        db,
        values={
            "name": name,
            "citizen_id": make_citizen_id("140211", date(1990, 5, 6), seq),
            "category": "full",
        },
        from_unit="燕子山矿党委",
        letter_serial=f"2026-{seq:03d}",
        arrived_on=on,
        development={"joined_on": date(2012, 6, 1), "full_on": date(2013, 6, 1)},
        today=TODAY,
    )
    _basis(db, t.member_uuid)
    return t.member_uuid


# --- arrears count only months of membership in this branch -------------------------------------------------


@pytest.mark.parametrize(
    ("arrived", "months"),
    [(date(2026, 7, 31), 4), (date(2026, 8, 30), 3), (date(2026, 9, 1), 2)],
)
def test_arrears_count_from_the_transfer_in_month(db, arrived: date, months: int) -> None:  # type: ignore[no-untyped-def]
    """党费规定: 党员一般应当向其正式组织关系所在的党支部交纳党费 — a member transferred in on 2026-08-30 owes this
    branch from August, not from January (the day before the month: July counts; the first of the next: not)."""
    member = _arrive(db, "赵来", arrived, 31)
    found = _arrears_of(db, member)
    assert found is not None and found.months == months and found.since == dues.month_start(arrived)
    kinds = {r.member_uuid: r.kind for r in dues.dues_reminders(db, today=TODAY)}
    assert kinds.get(member) == ("dues_arrears" if months >= 3 else None)
    assert all("10 个月" not in r.text for r in dues.dues_reminders(db, today=TODAY))


def test_no_payment_here_for_a_month_before_the_transfer_in(db) -> None:  # type: ignore[no-untyped-def]
    """党费规定: 党员一般应当向其正式组织关系所在的党支部交纳党费 — the months before the transfer in are not on this
    branch's ledger, so a payment for one (June, arrived 2026-09-10) is refused naming the old 党组织 and the
    letter's 党费交至; the arrival month itself is accepted. Before, June was recorded, and it showed in the
    member's own entries but in no month's ledger or total."""
    member = _arrive(db, "周转", date(2026, 9, 10), 41)
    with pytest.raises(ValidationError) as err:
        dues.record_payments(db, member_uuid=member, months=[date(2026, 6, 1)], paid_on=TODAY, today=TODAY)
    assert "2026-09-10" in err.value.message and "2026年6月" in err.value.message
    assert "原党组织" in err.value.message and "党费交至" in err.value.message
    with pytest.raises(ValidationError, match="2026-09-10"):
        dues.update_payment(
            db, member_uuid=member, month=date(2026, 8, 1), paid_fen=8100, paid_on=TODAY, today=TODAY
        )
    with pytest.raises(ValidationError, match="不在党费台账中"):
        dues.mark_unpaid(db, member_uuid=member, month=date(2026, 8, 1), note="出差")
    assert dues.month_ledger_for(db, member_uuid=member, months=[date(2026, 8, 1)]) == []
    # the 缴纳基数 tab agrees with the ledger: not listed for August, listed from September
    assert member not in {r.member_uuid for r in dues.bases_overview(db, month=date(2026, 8, 1))}
    assert member in {r.member_uuid for r in dues.bases_overview(db, month=date(2026, 9, 1))}
    [entry] = dues.record_payments(
        db, member_uuid=member, months=[date(2026, 9, 1)], paid_on=TODAY, today=TODAY
    )
    assert entry.settled


def test_arrears_count_from_the_admission_month(db) -> None:  # type: ignore[no-untyped-def]
    """党章第七条/党费规定: 预备党员从支部党员大会通过其为预备党员之日起交纳党费 — not before joined_on."""
    member = _member(db, "钱新", joined=date(2026, 9, 30))
    _basis(db, member)
    found = _arrears_of(db, member)
    assert found is not None and (found.months, found.since) == (2, date(2026, 9, 1))


def test_no_payment_dated_before_the_admission_meeting(db) -> None:  # type: ignore[no-untyped-def]
    """党费规定: 预备党员从党支部党员大会通过其为预备党员之日起交纳党费 — money taken before that day is not dues:
    a payment dated the day before joined_on is refused (also as a 预交 for a later month), on the day accepted."""
    member = _member(db, "李预", joined=date(2026, 3, 15))
    _basis(db, member)
    for month in (date(2026, 3, 1), date(2026, 4, 1)):
        with pytest.raises(ValidationError) as err:
            dues.record_payments(
                db, member_uuid=member, months=[month], paid_on=date(2026, 3, 14), today=TODAY
            )
        assert "2026-03-14" in err.value.message and "2026-03-15" in err.value.message
        assert "支部党员大会" in err.value.message
    with pytest.raises(ValidationError, match="2026-03-15"):
        dues.update_payment(
            db,
            member_uuid=member,
            month=date(2026, 3, 1),
            paid_fen=1500,
            paid_on=date(2026, 3, 1),
            today=TODAY,
        )
    [entry] = dues.record_payments(
        db, member_uuid=member, months=[date(2026, 3, 1)], paid_on=date(2026, 3, 15), today=TODAY
    )
    assert entry.settled and entry.paid_on == date(2026, 3, 15)


@pytest.mark.parametrize(
    ("start", "months"),
    [(date(2026, 4, 30), 7), (date(2026, 5, 1), 6), (date(2026, 5, 2), 6), (date(2026, 6, 1), 5)],
)
def test_no_arrears_before_the_records_start(db, start: date, months: int) -> None:  # type: ignore[no-untyped-def]
    """Issue 14: a branch records the date it started keeping its records here; no reminder for a period before."""
    member = _member(db, "孙起")
    _basis(db, member)
    set_records_start(db, on=start)
    found = _arrears_of(db, member)
    assert found is not None and found.months == months


# --- a partial payment stays partial ------------------------------------------------------------------------


def test_partial_payment_leaves_the_rest_in_arrears(db) -> None:  # type: ignore[no-untyped-def]
    """党费规定: 党员应当…主动按月足额交纳党费 — 1.00 against 81.00 is recorded as partial, 80.00 stays owed."""
    member = _member(db, "周部")
    _basis(db, member)
    _pay(db, member, date(2026, 1, 1), date(2026, 7, 1))
    _pay(db, member, date(2026, 8, 1), date(2026, 10, 1), paid_fen=100)
    entry = dues.month_ledger_for(db, member_uuid=member, months=[date(2026, 10, 1)])[0]
    assert entry.paid and entry.partial and not entry.settled and entry.owed_fen == 8000
    found = _arrears_of(db, member)
    assert found is not None and (found.months, found.owed_fen) == (3, 3 * 8000)
    full = dues.update_payment(
        db, member_uuid=member, month=date(2026, 10, 1), paid_fen=8100, paid_on=date(2026, 11, 2), today=TODAY
    )
    assert full.settled and not full.partial and _arrears_of(db, member) is None


# --- wording per 党章第九条; a recorded reason suppresses it ---------------------------------------------------


def test_six_months_without_reason_quotes_article_nine(db) -> None:  # type: ignore[no-untyped-def]
    """党章第九条: 党员如果没有正当理由，连续六个月…不交纳党费…支部大会应当决定把这样的党员除名，并报上级党组织批准."""
    member = _member(db, "吴六")
    _basis(db, member)
    _pay(db, member, date(2026, 1, 1), date(2026, 4, 1))  # May..October unpaid: 6 months on 2026-11-21
    day_before = [r for r in dues.dues_reminders(db, today=date(2026, 10, 31)) if r.member_uuid == member]
    assert day_before[0].kind == "dues_arrears" and day_before[0].months == 5
    urgent = next(r for r in dues.dues_reminders(db, today=date(2026, 11, 1)) if r.member_uuid == member)
    assert urgent.kind == "dues_urgent" and urgent.months == 6
    assert (
        "党章第九条" in urgent.text and "支部大会应当决定把这样的党员除名，并报上级党组织批准" in urgent.text
    )
    assert "立即处理" not in urgent.text and "请先了解原因" in urgent.text


def test_recorded_reason_suppresses_the_leaving_wording(db) -> None:  # type: ignore[no-untyped-def]
    """党章第九条 speaks of 没有正当理由: a reason recorded on an unpaid month (住院) keeps a plain reminder."""
    member = _member(db, "郑因")
    _basis(db, member)
    _pay(db, member, date(2026, 1, 1), date(2026, 4, 1))
    dues.mark_unpaid(db, member_uuid=member, month=date(2026, 9, 1), note="住院治疗")
    found = _arrears_of(db, member)
    assert found is not None and found.months == 6 and found.reason == "住院治疗"
    reminder = next(r for r in dues.dues_reminders(db, today=TODAY) if r.member_uuid == member)
    assert reminder.kind == "dues_arrears" and not reminder.urgent
    assert "已记录原因：住院治疗" in reminder.text and "脱党" not in reminder.text


# --- back-payment and pre-payment ---------------------------------------------------------------------------


def test_back_payment_beyond_six_months_needs_a_reason(db) -> None:  # type: ignore[no-untyped-def]
    """党费规定: 补交党费的时间一般不得超过6个月 — 6 months back is accepted, 7 needs a reason (一般), not a ban."""
    member = _member(db, "王补")
    _basis(db, member)
    dues.record_payments(
        db, member_uuid=member, months=[date(2026, 5, 1)], paid_on=TODAY, today=TODAY
    )  # 6 back
    with pytest.raises(ValidationError, match="一般不得超过6个月"):
        dues.record_payments(db, member_uuid=member, months=[date(2026, 4, 1)], paid_on=TODAY, today=TODAY)
    [entry] = dues.record_payments(
        db,
        member_uuid=member,
        months=[date(2026, 4, 1)],
        paid_on=TODAY,
        note="外派援疆返回后补交",
        today=TODAY,
    )
    assert entry.settled and entry.note == "外派援疆返回后补交"


def test_prepayment_limit_is_a_branch_setting(db) -> None:  # type: ignore[no-untyped-def]
    """Issue 14: the rule fixes no limit on 预交; the branch's setting (default 6) is worded as the branch's."""
    member = _member(db, "冯预")
    _basis(db, member)
    set_setting(db, key="dues_prepay_months", value=2)
    dues.record_payments(
        db, member_uuid=member, months=[date(2027, 1, 1)], paid_on=TODAY, today=TODAY
    )  # 2 ahead
    with pytest.raises(ValidationError) as err:
        dues.record_payments(db, member_uuid=member, months=[date(2027, 2, 1)], paid_on=TODAY, today=TODAY)
    assert "本支部设定" in err.value.message and "按规定" not in err.value.message


# --- 少交 / 免交 -----------------------------------------------------------------------------------------------


def test_a_reduction_is_less_than_the_official_amount(db) -> None:  # type: ignore[no-untyped-def]
    """党费规定: 交纳党费确有困难的党员，经党支部研究，报上一级党委批准后，可以少交或者免交 — an approved amount
    of 200.00 on a base giving 81.00 is no 少交 (it was counted as 经批准少交 in 表2), nor is 81.00 itself;
    80.99 and 0 (免交) are. Paying more stays open: 自愿多交党费不限 is a payment, not a reduction."""
    member = _member(db, "吴减")
    approval = {"decision_on": date(2026, 1, 5), "approved_on": date(2026, 1, 10)}
    for above in ("200", "81"):
        with pytest.raises(ValidationError) as err:
            _basis(db, member, reduced_fen=yuan_to_fen(above), **approval)
        assert "81.00" in err.value.message and "少交" in err.value.message
    assert dues.list_bases(db, member_uuid=member) == []
    for allowed in ("80.99", "0"):
        _basis(db, member, reduced_fen=yuan_to_fen(allowed), **approval)
        [basis] = dues.list_bases(db, member_uuid=member)
        assert basis.computed_fen == 8100 and basis.amount_fen == yuan_to_fen(allowed)
    [entry] = dues.record_payments(
        db,
        member_uuid=member,
        months=[date(2026, 1, 1)],
        paid_on=date(2026, 1, 31),
        paid_fen=20000,
        today=TODAY,
    )
    assert entry.settled and entry.paid_fen == 20000


# --- base changes never rewrite past months -----------------------------------------------------------------


def _raise_to_11500(db, member: str, today: date) -> dues.DuesBasis:  # type: ignore[no-untyped-def]
    """A raise of the base to 11500 (230.00 a month) from June 2026, entered on ``today``."""
    return dues.set_basis(
        db,
        member_uuid=member,
        from_month=date(2026, 6, 1),
        category="employed",
        base_fen=yuan_to_fen("11500"),
        today=today,
    )


@pytest.mark.parametrize(
    ("today", "starts"),
    [
        (date(2026, 1, 31), date(2026, 1, 1)),
        (date(2026, 2, 1), date(2027, 1, 1)),
        (date(2026, 7, 10), date(2027, 1, 1)),
    ],
)
def test_year_mode_raise_applies_from_next_january(db, today: date, starts: date) -> None:  # type: ignore[no-untyped-def]
    """党费规定: 每年初核定党员当年月交纳党费数额，年内一般不变动 — a raise made after January waits for next year."""
    member = _member(db, "陈涨")
    _basis(db, member)
    before = dues.month_totals(db, month=date(2026, 1, 1)).due_fen
    saved = _raise_to_11500(db, member, today)
    assert saved.from_month == starts
    if starts.year == 2027:
        assert dues.month_totals(db, month=date(2026, 1, 1)).due_fen == before == 8100
        assert dues.basis_for(db, member_uuid=member, month=date(2026, 12, 1)).amount_fen == 8100
    assert dues.basis_for(db, member_uuid=member, month=starts).amount_fen == 23000


@pytest.mark.parametrize(
    ("today", "starts"),
    [
        (date(2026, 6, 30), date(2026, 6, 1)),
        (date(2026, 7, 1), date(2026, 7, 1)),
        (date(2026, 5, 31), date(2026, 6, 1)),
    ],
)
def test_month_mode_change_never_reaches_past_months(db, today: date, starts: date) -> None:  # type: ignore[no-untyped-def]
    """Issue 14 (month mode: from the month income changes): a change entered late starts in the current month, so
    the totals of months already past never change."""
    set_setting(db, key="dues_basis_mode", value="month")
    member = _member(db, "褚月")
    _basis(db, member)
    saved = _raise_to_11500(db, member, today)
    assert saved.from_month == starts
    assert dues.basis_for(db, member_uuid=member, month=dues.add_month(starts, -1)).amount_fen == 8100


def test_correction_replaces_a_basis_in_place(db) -> None:  # type: ignore[no-untyped-def]
    """A typing error may still be corrected in place (``correct=True``); it is audited like any edit."""
    member = _member(db, "卫改")
    _basis(db, member)
    saved = dues.set_basis(
        db,
        member_uuid=member,
        from_month=date(2026, 1, 1),
        category="employed",
        base_fen=yuan_to_fen("5500"),
        today=date(2026, 7, 10),
        correct=True,
    )
    assert saved.from_month == date(2026, 1, 1) and len(dues.list_bases(db, member_uuid=member)) == 1


# --- a member with no dues basis ----------------------------------------------------------------------------


def test_member_without_basis_is_in_arrears_and_blocks_the_close(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Issue 14: a member with no dues basis appears in the arrears list and blocks the monthly close."""
    paid, missing = _member(db, "蒋有"), _member(db, "沈无")
    _basis(db, paid)
    _pay(db, paid, date(2026, 10, 1), date(2026, 10, 1))
    found = _arrears_of(db, missing)
    assert found is not None and found.no_basis and found.months == 0
    check = monthly_close.check_dues(db, month="2026-10")
    assert not check.ok and check.blocking and "沈无" in check.explanation
    book = tmp_path / "book.xlsx"
    book.write_bytes(b"x")
    with pytest.raises(ValidationError) as err:
        monthly_close.mark_submitted(db, month="2026-10", path=book)
    assert err.value.problems[0].field == "dues"
    _basis(db, missing)
    _pay(db, missing, date(2026, 10, 1), date(2026, 10, 1))
    assert not monthly_close.check_dues(db, month="2026-10").blocking


# --- a 失联 member is not marked paid by 全部标记已缴 -----------------------------------------------------------


def test_mark_all_paid_skips_lost_contact_members(db) -> None:  # type: ignore[no-untyped-def]
    """Issue 14 (教管条例: 失联党员): nobody collected a lost member's dues, so 全部标记已缴 leaves them unpaid."""
    from db.members import update_member

    here, lost = _member(db, "韩在"), _member(db, "杨失")
    _basis(db, here)
    _basis(db, lost)
    update_member(db, uuid=lost, changes={"lost_contact": True, "lost_contact_on": date(2026, 5, 1)})
    assert dues.mark_all_paid(db, month=date(2026, 10, 1), paid_on=date(2026, 10, 9), today=TODAY) == 1
    paid = {e.member_name: e.paid for e in dues.month_ledger(db, month=date(2026, 10, 1))}
    assert paid == {"韩在": True, "杨失": False}


# --- quarterly payment with the branch's consent (issue 14) ---------------------------------------------------


@pytest.mark.parametrize(
    ("today", "monthly", "quarterly"),
    [
        (date(2026, 9, 30), 4, 2),  # inside Q3: the quarterly member owes only May–June (paid through April)
        (date(2026, 10, 1), 5, 5),  # Q3 over: May–September
        (date(2026, 12, 31), 7, 5),  # inside Q4 again
    ],
)
def test_quarterly_payer_owes_a_quarter_only_once_it_is_over(
    db, today: date, monthly: int, quarterly: int
) -> None:  # type: ignore[no-untyped-def]
    """党费规定 (按月交纳; paying several months at once with the branch's consent): a member who pays by quarter with
    the branch's consent is not three months in arrears inside the quarter — only once the quarter is over."""
    by_month, by_quarter = _member(db, "按月交"), _member(db, "按季交")
    for m in (by_month, by_quarter):
        _basis(db, m)
        _pay(db, m, date(2026, 1, 1), date(2026, 4, 1))
    with pytest.raises(ValidationError, match="须经党支部同意"):
        dues.set_quarterly(
            db, member_uuid=by_quarter, consent_on=date(2026, 1, 10), consent_note="", today=TODAY
        )
    dues.set_quarterly(
        db,
        member_uuid=by_quarter,
        consent_on=date(2026, 1, 10),
        consent_note="2026-01-10 支部委员会会议同意其井下轮休期间按季度交纳",
        today=TODAY,
    )
    a, q = _arrears_of(db, by_month, today), _arrears_of(db, by_quarter, today)
    assert a is not None and a.months == monthly
    assert (q.months if q else 0) == quarterly


@pytest.mark.parametrize(("today", "urgent"), [(date(2026, 6, 30), False), (date(2026, 7, 1), True)])
def test_quarterly_payer_left_six_months_is_urgent_when_the_second_quarter_ends(
    db, today: date, urgent: bool
) -> None:  # type: ignore[no-untyped-def]
    """党章第九条 (连续六个月…不交纳党费): a quarterly payer who paid nothing in 2026 reaches six months on 1 July,
    when the second quarter is over — not on 1 June, as a monthly payer would count January–May."""
    m = _member(db, "按季交")
    dues.set_basis(
        db,
        member_uuid=m,
        from_month=date(2025, 1, 1),
        category="employed",
        base_fen=yuan_to_fen("5400"),
        today=date(2025, 1, 31),
    )
    _pay(db, m, date(2025, 7, 1), date(2025, 12, 1))
    dues.set_quarterly(
        db, member_uuid=m, consent_on=date(2025, 7, 1), consent_note="支部党员大会同意", today=TODAY
    )
    kinds = {r.kind for r in dues.dues_reminders(db, today=today) if r.member_uuid == m}
    assert ("dues_urgent" in kinds) is urgent
    dues.end_quarterly(db, member_uuid=m, until_month=date(2026, 3, 1))
    assert dues.current_quarterly(db, member_uuid=m) is None
    assert len(dues.quarterly_settings(db, member_uuid=m)) == 1  # ended, kept


def test_lost_or_suspended_member_is_not_sent_to_the_leaving_procedure(db) -> None:  # type: ignore[no-untyped-def]
    """教管条例第二十四条: a member out of contact six months and more is suspended (停止党籍), and only after two years
    of suspension removed (按照自行脱党予以除名) — not put before the 支部党员大会 under 党章第九条 for the dues nobody
    could collect. Ten months unpaid: a member in contact is urgent; one lost from March is a plain reminder naming
    第二十四条; one suspended since January is no dues reminder at all (the arrears list still shows them)."""
    plain, lost, suspended = _member(db, "甲在"), _member(db, "乙失"), _member(db, "丙停")
    for member in (plain, lost, suspended):
        _basis(db, member)

    def event(member: str, kind: str, on: date) -> None:
        transfers.record_event(db, member_uuid=member, kind=kind, happened_on=on, reason="依据", today=TODAY)

    event(lost, "lost_contact", date(2026, 3, 1))
    event(suspended, "lost_contact", date(2025, 6, 1))
    event(suspended, "suspended", date(2026, 1, 10))
    found = {r.member_uuid: r for r in dues.dues_reminders(db, today=TODAY)}
    assert found[plain].kind == "dues_urgent" and found[plain].months == 10
    assert found[lost].kind == "dues_arrears" and not found[lost].urgent
    assert "脱党" not in found[lost].text and "支部党员大会" not in found[lost].text
    assert "失联" in found[lost].text and "第二十四条" in found[lost].text and "停止党籍" in found[lost].text
    assert suspended not in found
    assert {a.member_uuid for a in dues.arrears(db, today=TODAY)} >= {plain, lost, suspended}
