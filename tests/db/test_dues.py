"""Party dues: tiers, bases, the monthly ledger, payments and their refusals, arrears, reports, export, demo."""

from __future__ import annotations

import random
from datetime import date

import pytest

from db import dues
from db.errors import ValidationError
from db.members import add_member, archive_member, list_members
from db.rules import dues_rate_permille, fen_to_yuan_text, monthly_dues_fen, yuan_to_fen

TODAY = date(2026, 11, 21)


def fen(yuan: str) -> int:
    return yuan_to_fen(yuan)


# --- tiers --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("category", "base", "expected"),
    [
        ("employed", "0", "0.00"),
        ("employed", "3000", "15.00"),  # ≤3000: 0.5 %
        ("employed", "3000.01", "30.00"),  # the whole base moves to 1 % (30.0001 → 30.00)
        ("employed", "3200", "32.00"),
        ("employed", "5000", "50.00"),
        ("employed", "5000.01", "75.00"),  # 1.5 % of 5000.01 = 75.00015
        ("employed", "5400", "81.00"),
        ("employed", "10000", "150.00"),
        ("employed", "10000.01", "200.00"),  # 2 % of 10000.01 = 200.0002
        ("employed", "11500", "230.00"),
        ("employed", "4321.50", "43.22"),  # 43.215 rounds half up
        ("employed", "2999.90", "15.00"),  # 14.9995 rounds half up
        ("retired", "5000", "25.00"),
        ("retired", "5000.01", "50.00"),
        ("retired", "3800", "19.00"),
        ("relief", "0", "0.20"),
        ("relief", "2500", "0.20"),
    ],
)
def test_monthly_dues_follow_the_tiers_on_the_whole_base(category: str, base: str, expected: str) -> None:
    assert fen_to_yuan_text(monthly_dues_fen(category, fen(base))) == expected


def test_rates_and_fixed_amounts() -> None:
    assert dues_rate_permille("employed", fen("3000")) == 5
    assert dues_rate_permille("employed", fen("3000.01")) == 10
    assert dues_rate_permille("employed", fen("10000.01")) == 20
    assert dues_rate_permille("retired", fen("5000.01")) == 10
    assert dues_rate_permille("fixed", 0) is None
    assert monthly_dues_fen("farmer", 0, farmer_fen=100) == 100
    assert monthly_dues_fen("fixed", 0, fixed_fen=5000) == 5000
    with pytest.raises(ValueError):
        monthly_dues_fen("farmer", 0, farmer_fen=101)
    with pytest.raises(ValueError):
        monthly_dues_fen("employed", -1)
    with pytest.raises(ValueError):
        yuan_to_fen(3.5)  # floats never carry money


# --- helpers ------------------------------------------------------------------------------------------------


def _member(db, name: str, joined: date = date(2010, 7, 1), category: str = "full") -> str:  # type: ignore[no-untyped-def]
    return add_member(
        db,
        values={
            "name": name,
            "category": category,
            "joined_on": joined,
            "full_on": date(joined.year + 1, joined.month, joined.day) if category == "full" else None,
        },
    ).uuid


@pytest.fixture
def branch(db):  # type: ignore[no-untyped-def]
    """Three members with bases from January 2026: 5400 (81.00), 11500 (230.00), retired 3800 (19.00)."""
    a = _member(db, "张三")
    b = _member(db, "李四")
    c = _member(db, "王五")
    dues.set_basis(db, member_uuid=a, from_month=date(2026, 1, 1), category="employed", base_fen=fen("5400"))
    dues.set_basis(db, member_uuid=b, from_month=date(2026, 1, 1), category="employed", base_fen=fen("11500"))
    dues.set_basis(db, member_uuid=c, from_month=date(2026, 1, 1), category="retired", base_fen=fen("3800"))
    return db, a, b, c


def _count(db, table: str) -> int:  # type: ignore[no-untyped-def]
    return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


# --- bases --------------------------------------------------------------------------------------------------


def test_basis_in_year_mode_starts_in_january_and_is_audited(branch) -> None:  # type: ignore[no-untyped-def]
    db, a, *_ = branch
    basis = dues.set_basis(
        db,
        member_uuid=a,
        from_month=date(2026, 5, 1),
        category="employed",
        base_fen=fen("3200"),
        today=date(2026, 1, 20),  # set in January: no month of the year is past yet
    )
    assert basis.from_month == date(2026, 1, 1)
    assert basis.amount_fen == 3200
    assert dues.basis_for(db, member_uuid=a, month=date(2026, 6, 1)).base_fen == fen("3200")
    assert any(r[0] == "dues_basis" for r in db.execute("SELECT entity FROM audit_log"))


def test_basis_in_month_mode_changes_from_the_month(branch) -> None:  # type: ignore[no-untyped-def]
    from db.branch import set_setting

    db, a, *_ = branch
    set_setting(db, key="dues_basis_mode", value="month")
    dues.set_basis(
        db,
        member_uuid=a,
        from_month=date(2026, 7, 1),
        category="employed",
        base_fen=fen("10000.01"),
        today=date(2026, 7, 3),
    )
    assert dues.basis_for(db, member_uuid=a, month=date(2026, 6, 1)).amount_fen == 8100
    assert dues.basis_for(db, member_uuid=a, month=date(2026, 7, 1)).amount_fen == 20000


def test_negative_base_is_refused_and_nothing_saved(branch) -> None:  # type: ignore[no-untyped-def]
    db, a, *_ = branch
    before = _count(db, "dues_bases")
    with pytest.raises(ValidationError, match="缴纳基数不能为负数"):
        dues.set_basis(db, member_uuid=a, from_month=date(2027, 1, 1), category="employed", base_fen=-100)
    assert _count(db, "dues_bases") == before


def test_an_amount_too_large_to_record_is_refused_in_chinese(branch) -> None:  # type: ignore[no-untyped-def]
    """Bad input: an income or payment typed as 1e20 yuan is refused with a Chinese reason, nothing saved. Before,
    SQLite's OverflowError (“Python int too large to convert to SQLite INTEGER”) reached the user in English."""
    db, a, *_ = branch
    before = (_count(db, "dues_bases"), _count(db, "dues_payments"))
    huge = fen("1e20")
    for kw in ({"base_fen": huge}, {"base_fen": 0, "category": "fixed", "fixed_fen": huge}):
        values = {"category": "employed", **kw}
        with pytest.raises(ValidationError, match="超出可记录的范围"):
            dues.set_basis(db, member_uuid=a, from_month=date(2027, 1, 1), today=TODAY, **values)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="超出可记录的范围"):
        dues.record_payments(
            db, member_uuid=a, months=[date(2026, 10, 1)], paid_on=TODAY, paid_fen=huge, today=TODAY
        )
    with pytest.raises(ValidationError, match="超出可记录的范围"):
        dues.update_payment(
            db, member_uuid=a, month=date(2026, 10, 1), paid_fen=huge, paid_on=TODAY, today=TODAY
        )
    assert (_count(db, "dues_bases"), _count(db, "dues_payments")) == before
    basis = dues.set_basis(
        db,
        member_uuid=a,
        from_month=date(2027, 1, 1),
        category="employed",
        base_fen=fen("1000000000"),
        today=TODAY,
    )
    assert basis.computed_fen == fen("20000000")  # absurd but storable: the rule sets no ceiling


def test_reduction_needs_branch_decision_and_upper_approval(branch) -> None:  # type: ignore[no-untyped-def]
    db, _, _, c = branch
    with pytest.raises(ValidationError) as err:
        dues.set_basis(
            db,
            member_uuid=c,
            from_month=date(2026, 1, 1),
            category="retired",
            base_fen=fen("3800"),
            reduced_fen=0,
            decision_on=date(2026, 1, 5),
            today=TODAY,
        )
    assert "上级党委批准" in str(err.value)
    basis = dues.set_basis(
        db,
        member_uuid=c,
        from_month=date(2026, 1, 1),
        category="retired",
        base_fen=fen("3800"),
        reduced_fen=0,
        decision_on=date(2026, 1, 5),
        decision_note="支委会决定免交",
        approved_on=date(2026, 1, 20),
        approval_note="党委批复",
        today=TODAY,
    )
    assert basis.computed_fen == 1900 and basis.amount_fen == 0
    entry = next(e for e in dues.month_ledger(db, month=date(2026, 3, 1)) if e.member_uuid == c)
    assert entry.due_fen == 0 and entry.reduced and entry.settled


# --- ledger and payments ------------------------------------------------------------------------------------


def test_ledger_lists_members_from_admission_until_they_leave(db) -> None:  # type: ignore[no-untyped-def]
    a = _member(db, "张三")
    _member(db, "赵六", joined=date(2026, 4, 15), category="probationary")
    gone = _member(db, "钱七")
    archive_member(db, uuid=gone, status="transferred_out", on=date(2026, 5, 10), reason="转出至二矿党支部")
    names = lambda m: {e.member_name for e in dues.month_ledger(db, month=m)}
    assert names(date(2026, 3, 1)) == {"张三", "钱七"}
    assert names(date(2026, 4, 1)) == {"张三", "赵六", "钱七"}
    assert names(date(2026, 5, 1)) == {"张三", "赵六", "钱七"}
    assert names(date(2026, 6, 1)) == {"张三", "赵六"}
    entry = dues.month_ledger(db, month=date(2026, 6, 1))[0]
    assert entry.due_fen is None  # no basis yet
    assert a


def test_mark_all_paid_then_correct_one_to_unpaid(branch) -> None:  # type: ignore[no-untyped-def]
    db, _, b, _ = branch
    march = date(2026, 3, 1)
    assert dues.month_totals(db, month=march).paid_fen == 0
    assert dues.mark_all_paid(db, month=march, paid_on=date(2026, 3, 10), today=TODAY) == 3
    totals = dues.month_totals(db, month=march)
    assert (totals.due_fen, totals.paid_fen, totals.members_due, totals.members_paid) == (33000, 33000, 3, 3)
    dues.mark_unpaid(db, member_uuid=b, month=march, note="出差未交")
    totals = dues.month_totals(db, month=march)
    assert (totals.paid_fen, totals.members_paid) == (10000, 2)
    entry = next(e for e in dues.month_ledger(db, month=march) if e.member_uuid == b)
    assert not entry.paid and entry.note == "出差未交"
    # marking all paid again only fills the gap
    assert dues.mark_all_paid(db, month=march, paid_on=date(2026, 3, 31), today=TODAY) == 1


def test_paying_a_month_twice_is_refused(branch) -> None:  # type: ignore[no-untyped-def]
    db, a, *_ = branch
    dues.record_payments(
        db, member_uuid=a, months=[date(2026, 10, 1)], paid_on=date(2026, 10, 8), today=TODAY
    )
    before = _count(db, "audit_log")
    with pytest.raises(ValidationError, match="不能重复交纳"):
        dues.record_payments(
            db, member_uuid=a, months=[date(2026, 10, 1)], paid_on=date(2026, 10, 9), today=TODAY
        )
    assert _count(db, "audit_log") == before


def test_proxy_payment_and_entered_amount(branch) -> None:  # type: ignore[no-untyped-def]
    db, a, b, _ = branch
    [entry] = dues.record_payments(
        db,
        member_uuid=a,
        months=[date(2026, 11, 1)],
        paid_on=date(2026, 11, 5),
        paid_fen=10000,
        proxy_uuid=b,
        note="委托代缴",
        today=TODAY,
    )
    assert (entry.paid_fen, entry.due_fen, entry.proxy_name) == (10000, 8100, "李四")
    with pytest.raises(ValidationError, match="代缴人不能是本人"):
        dues.record_payments(
            db,
            member_uuid=b,
            months=[date(2026, 11, 1)],
            paid_on=date(2026, 11, 5),
            proxy_uuid=b,
            today=TODAY,
        )


def test_back_payment_up_to_six_months_in_one_go(branch) -> None:  # type: ignore[no-untyped-def]
    db, a, *_ = branch
    months = [date(2026, m, 1) for m in range(5, 12)]  # May..November, paid on 21 November: May is 6 back
    entries = dues.record_payments(db, member_uuid=a, months=months, paid_on=TODAY, today=TODAY)
    assert len(entries) == 7 and all(e.paid_fen == 8100 for e in entries)


def test_back_payment_beyond_six_months_is_refused_and_nothing_saved(branch) -> None:  # type: ignore[no-untyped-def]
    db, a, *_ = branch
    months = [date(2026, m, 1) for m in range(4, 12)]  # April is 7 months back
    # issue 14: the rule says 一般不得超过6个月, so the refusal asks for a reason instead of citing a hard limit
    with pytest.raises(
        ValidationError, match="补交党费的时间一般不得超过6个月；确需补交的，请在备注中写明原因"
    ):
        dues.record_payments(db, member_uuid=a, months=months, paid_on=TODAY, today=TODAY)
    assert _count(db, "dues_payments") == 0


def test_pre_payment_limit(branch) -> None:  # type: ignore[no-untyped-def]
    db, a, *_ = branch
    dues.set_basis(db, member_uuid=a, from_month=date(2027, 1, 1), category="employed", base_fen=fen("5400"))
    dues.record_payments(
        db, member_uuid=a, months=[date(2027, m, 1) for m in range(1, 6)], paid_on=TODAY, today=TODAY
    )  # up to May 2027: 6 months ahead
    with pytest.raises(ValidationError, match="预交党费最多 6 个月"):
        dues.record_payments(db, member_uuid=a, months=[date(2027, 6, 1)], paid_on=TODAY, today=TODAY)


def test_future_payment_date_refused(branch) -> None:  # type: ignore[no-untyped-def]
    db, a, *_ = branch
    with pytest.raises(ValidationError, match="不能晚于今天"):
        dues.record_payments(
            db, member_uuid=a, months=[date(2026, 11, 1)], paid_on=date(2026, 11, 22), today=TODAY
        )


def test_paying_for_an_archived_member_after_leaving_is_refused(branch) -> None:  # type: ignore[no-untyped-def]
    db, a, *_ = branch
    archive_member(db, uuid=a, status="removed", on=date(2026, 6, 3), reason="去世")
    dues.record_payments(db, member_uuid=a, months=[date(2026, 6, 1)], paid_on=date(2026, 6, 2), today=TODAY)
    with pytest.raises(ValidationError, match="离开本支部"):
        dues.record_payments(
            db, member_uuid=a, months=[date(2026, 7, 1)], paid_on=date(2026, 7, 2), today=TODAY
        )
    assert _count(db, "dues_payments") == 1


def test_update_payment_corrects_amount_and_keeps_history(branch) -> None:  # type: ignore[no-untyped-def]
    db, a, *_ = branch
    dues.record_payments(db, member_uuid=a, months=[date(2026, 9, 1)], paid_on=date(2026, 9, 3), today=TODAY)
    entry = dues.update_payment(
        db, member_uuid=a, month=date(2026, 9, 1), paid_fen=9000, paid_on=date(2026, 9, 4), today=TODAY
    )
    assert entry.paid_fen == 9000 and entry.paid_on == date(2026, 9, 4)
    with pytest.raises(ValidationError, match="实缴金额不能为负数"):
        dues.update_payment(
            db, member_uuid=a, month=date(2026, 9, 1), paid_fen=-1, paid_on=date(2026, 9, 4), today=TODAY
        )
    fields = [r[0] for r in db.execute("SELECT field FROM audit_log WHERE entity = 'dues_payment'")]
    assert "paid_fen" in fields


# --- arrears and reminders ----------------------------------------------------------------------------------


def _pay_through(db, member: str, last: date) -> None:  # type: ignore[no-untyped-def]
    month = date(2026, 1, 1)
    while month <= last:
        dues.record_payments(db, member_uuid=member, months=[month], paid_on=month, today=TODAY)
        month = dues.add_month(month, 1)


def test_arrears_and_reminders(branch) -> None:  # type: ignore[no-untyped-def]
    db, a, b, c = branch
    _pay_through(db, a, date(2026, 10, 1))  # up to date (November still open)
    _pay_through(db, b, date(2026, 7, 1))  # Aug, Sep, Oct unpaid: 3 → reminder
    _pay_through(db, c, date(2026, 4, 1))  # May..Oct unpaid: 6 → urgent
    found = {x.member_name: x for x in dues.arrears(db, today=TODAY)}
    assert "张三" not in found
    assert (found["李四"].months, found["李四"].since, found["李四"].owed_fen) == (3, date(2026, 8, 1), 69000)
    assert found["王五"].months == 6
    reminders = {r.member_uuid: r for r in dues.dues_reminders(db, today=TODAY)}
    assert reminders[b].kind == "dues_arrears" and reminders[b].since == date(2026, 8, 1)
    assert "李四" in reminders[b].text and "2026年8月" in reminders[b].text and "3 个月" in reminders[b].text
    assert reminders[c].kind == "dues_urgent" and reminders[c].urgent and "脱党" in reminders[c].text
    assert reminders[c].page == "dues" and reminders[c].filters["member"] == c
    # two months behind is not yet a reminder
    assert len(dues.dues_reminders(db, today=date(2026, 10, 15))) == 1


# --- reports, workbook rows, export --------------------------------------------------------------------------


def test_year_report_statement_and_publication(branch) -> None:  # type: ignore[no-untyped-def]
    db, a, b, _ = branch
    _pay_through(db, a, date(2026, 10, 1))
    _pay_through(db, b, date(2026, 7, 1))
    report = dues.year_report(db, year=2026, through=date(2026, 10, 1))
    assert len(report.months) == 10
    assert report.total.due_fen == 10 * 33000
    assert report.total.paid_fen == 10 * 8100 + 7 * 23000
    assert (report.total.members_due, report.total.members_paid) == (3, 1)
    statement = dues.member_statement(db, member_uuid=b, year=2026)
    assert len(statement) == 12 and sum(e.paid for e in statement) == 7
    pub = {p.member_name: p for p in dues.publication_rows(db, year=2026, through=date(2026, 10, 1))}
    assert (pub["李四"].months_due, pub["李四"].months_paid, pub["李四"].paid_fen) == (10, 7, 161000)
    assert "未缴 3 个月" in pub["李四"].note


def test_monthly_rows_and_figures(branch) -> None:  # type: ignore[no-untyped-def]
    db, a, b, _ = branch
    dues.record_payments(
        db, member_uuid=a, months=[date(2026, 10, 1)], paid_on=date(2026, 10, 9), proxy_uuid=b, today=TODAY
    )
    rows = {r["member_name"]: r for r in dues.monthly_dues_rows(db, month="2026-10")}
    assert rows["张三"]["base_fen"] == 540000 and rows["张三"]["rate"] == "1.5%"
    assert rows["张三"]["due_fen"] == 8100 and rows["张三"]["paid_fen"] == 8100
    assert rows["张三"]["paid_on"] == date(2026, 10, 9) and rows["张三"]["dues_category"] == "employed"
    assert rows["张三"]["proxy"] == "李四" and rows["李四"]["paid_fen"] is None
    assert rows["张三"]["member_uuid"] == a
    figures = dues.monthly_dues_figures(db, month="2026-10")
    assert figures == {"党费应缴人数": 3, "党费已缴人数": 1, "应缴党费(元)": 330.0, "已缴党费(元)": 81.0}


def test_export_workbook_has_numbers_and_no_ids(branch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    db, a, *_ = branch
    dues.record_payments(
        db, member_uuid=a, months=[date(2026, 10, 1)], paid_on=date(2026, 10, 9), note="=1+1", today=TODAY
    )
    path = dues.export_dues_workbook(
        db, path=tmp_path / "党费.xlsx", month=date(2026, 10, 1), through=date(2026, 10, 1)
    )
    wb = load_workbook(path)
    assert wb.sheetnames == ["月度台账", "年度汇总", "党费收缴公示"]
    ws = wb["月度台账"]
    header = [c.value for c in ws[2]]
    assert header[:7] == ["序号", "姓名", "人员类别", "党费类别", "缴纳基数", "缴纳比例", "应缴"]
    row = [c for c in ws[3]]
    assert row[1].value == "张三" and row[6].value == 81 and row[6].number_format == "0.00"
    # the one escaping rule of every workbook written (db.workbook.cells.escape_text): a text cell, never a formula
    assert row[10].value == "'=1+1" and row[10].data_type == "s"
    everything = " ".join(str(c.value) for s in wb for r in s.iter_rows() for c in r)
    assert a not in everything


# --- demo ---------------------------------------------------------------------------------------------------


def _demo_branch(db) -> list[tuple]:  # type: ignore[no-untyped-def]
    for i in range(22):
        _member(
            db,
            f"矿工{i:02d}",
            joined=date(2015, 3, 1) if i != 21 else date(2026, 6, 20),
            category="full" if i != 21 else "probationary",
        )
    dues.demo_dues(db, rng=random.Random(7), today=TODAY)
    return [
        tuple(r)
        for r in db.execute(
            "SELECT m.name, p.month, p.paid_fen, p.paid_on, p.proxy_id IS NOT NULL FROM dues_payments p "
            "JOIN members m ON m.id = p.member_id ORDER BY m.name, p.month"
        )
    ]


def test_demo_dues_is_deterministic_with_arrears_and_proxy(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from db import store

    payments = _demo_branch(db)
    categories = {b.category for b in dues.list_bases(db)}
    assert categories == {"employed", "retired", "relief", "fixed", "farmer"}
    rates = {b.rate for b in dues.list_bases(db)}
    assert {5, 10, 15, 20} <= rates
    assert any(a.months >= 3 for a in dues.arrears(db, today=TODAY))
    assert any(p[4] for p in payments)  # a proxy payment
    assert len({p[1] for p in payments}) == 12  # December 2025 … November 2026 (being collected)
    assert list_members(db)
    other = store.open(tmp_path / "again.sqlite")
    try:
        assert _demo_branch(other) == payments
    finally:
        store.close(other)
