"""The dues page: models, mark all paid and correct one member, dialogs, export and print."""

from __future__ import annotations

import subprocess
import unicodedata
from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt

from db import dues
from db.members import add_member
from db.rules import yuan_to_fen

TODAY = date(2026, 11, 21)
OCTOBER = date(2026, 10, 1)


@pytest.fixture
def ctx(db):  # type: ignore[no-untyped-def]
    from db.branch import save_branch
    from desktop.context import AppContext

    save_branch(db, name="红柳煤矿综采一区党支部")
    for name, base in (("张三", "5400"), ("李四", "11500"), ("王五", "3000")):
        uuid = add_member(
            db,
            values={
                "name": name,
                "category": "full",
                "joined_on": date(2010, 7, 1),
                "full_on": date(2011, 7, 1),
            },
        ).uuid
        dues.set_basis(
            db, member_uuid=uuid, from_month=date(2026, 1, 1), category="employed", base_fen=yuan_to_fen(base)
        )
    return AppContext(db)


@pytest.fixture
def page(qtbot, ctx):  # type: ignore[no-untyped-def]
    from desktop.pages.dues import Page

    widget = Page(ctx, today=TODAY)
    qtbot.addWidget(widget)
    widget.set_month(OCTOBER)
    widget.resize(1366, 768)
    return widget


def _pdf_text(path) -> str:  # type: ignore[no-untyped-def]
    """The PDF's text with CJK radicals folded (pdftotext emits e.g. U+2F00 for 一) and no whitespace."""
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    # radicals-supplement forms are not folded by NFKC
    return "".join(unicodedata.normalize("NFKC", out).replace("\u2eda", "页").split())


def _row(page, name: str) -> int:  # type: ignore[no-untyped-def]
    proxy = page.ledger_proxy
    for row in range(proxy.rowCount()):
        if proxy.index(row, 0).data() == name:
            return row
    raise AssertionError(name)


def test_models_pass_the_model_tester(qtmodeltester, ctx) -> None:  # type: ignore[no-untyped-def]
    from desktop.models.dues import (
        ArrearsModel,
        BasesModel,
        LedgerModel,
        PublicationModel,
        StatementModel,
        TotalsModel,
    )

    db = ctx.db
    dues.mark_all_paid(db, month=OCTOBER, paid_on=date(2026, 10, 9), today=TODAY)
    ledger = LedgerModel()
    ledger.set_rows(dues.month_ledger(db, month=OCTOBER))
    assert ledger.rowCount() == 3
    assert ledger.index(0, 6).data() == "81.00"
    qtmodeltester.check(ledger)
    for model, rows in (
        (BasesModel(), dues.bases_overview(db, month=OCTOBER)),
        (ArrearsModel(), dues.arrears(db, today=TODAY)),
        (TotalsModel(), dues.year_report(db, year=2026).months),
        (PublicationModel(), dues.publication_rows(db, year=2026)),
        (StatementModel(), dues.member_statement(db, member_uuid=ledger.record(0).member_uuid, year=2026)),
    ):
        model.set_rows(rows)
        assert model.rowCount() == len(rows)
        qtmodeltester.check(model)


def test_mark_all_paid_then_correct_one_member(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    assert page.totals.text().startswith("应缴 326.00 元　实缴 0.00 元　已缴 0 / 3 人")
    assert page.paid_on.date().toString("yyyy-MM-dd") == "2026-10-31"
    qtbot.mouseClick(page.mark_all, Qt.MouseButton.LeftButton)
    # the bulk action confirms with the count first (issue 16: it used to record at once)
    box = page.confirm_box
    assert box is not None and "将 3 名党员登记为2026年10月已缴" in box.text()
    assert "实缴 0.00 元" in page.totals.text()
    box.button(box.StandardButton.Ok).click()
    assert "实缴 326.00 元　已缴 3 / 3 人" in page.totals.text()
    row = _row(page, "李四")
    page.ledger_view.setCurrentIndex(page.ledger_proxy.index(row, 0))
    page.edit_current()
    dialog = page.dialog
    assert dialog.amount.text() == "230.00"
    dialog.paid.setChecked(False)
    dialog.note.setText("出差未交")
    assert dialog.save()
    assert "实缴 96.00 元　已缴 2 / 3 人" in page.totals.text()
    row = _row(page, "李四")
    assert page.ledger_proxy.index(row, 8).data() == "未缴"
    assert page.ledger_proxy.index(row, 11).data() == "出差未交"


def test_payment_dialog_validates_and_shows_refusals(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    page.set_month(date(2026, 4, 1))  # paying April on 21 November: 7 months back
    page.ledger_view.setCurrentIndex(page.ledger_proxy.index(_row(page, "张三"), 0))
    page.edit_current()
    dialog = page.dialog
    dialog.amount.setText("-5")
    assert not dialog.save_button.isEnabled()
    assert dialog.amount_error.text() == "金额不能为负数"
    dialog.amount.setText("81")
    assert dialog.save_button.isEnabled()
    dialog.paid_on.setDate(dialog.paid_on.maximumDate())
    assert not dialog.save()
    assert (
        "补交党费的时间一般不得超过6个月" in dialog.error.text()
    )  # issue 14: a reason unlocks it, not a hard limit
    assert dues.month_totals(page.ctx.db, month=date(2026, 4, 1)).paid_fen == 0


def test_proxy_payment_through_the_dialog(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    page.ledger_view.setCurrentIndex(page.ledger_proxy.index(_row(page, "张三"), 0))
    page.edit_current()
    dialog = page.dialog
    dialog.proxy.setCurrentIndex(dialog.proxy.findText("李四"))
    assert dialog.save()
    entry = next(e for e in dues.month_ledger(page.ctx.db, month=OCTOBER) if e.member_name == "张三")
    assert entry.proxy_name == "李四" and entry.paid_fen == 8100


def test_basis_dialog_computes_live_and_saves(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    from desktop.dialogs.dues_basis import DuesBasisDialog

    page.tabs.setCurrentIndex(1)
    assert page.bases_model.rowCount() == 3
    page.bases_view.setCurrentIndex(page.bases_proxy.index(0, 0))
    page.edit_basis()
    dialog = page.dialog
    assert isinstance(dialog, DuesBasisDialog)
    dialog.base.setText("10000.01")
    assert dialog.computed.text() == "200.00 元/月（2%）"
    dialog.base.setText("-1")
    assert not dialog.save_button.isEnabled() and "负数" in dialog.base_error.text()
    dialog.base.setText("3200")
    dialog.reduction.setChecked(True)
    dialog.reduced.setText("10")
    dialog.decision_on.setDate(dialog.decision_on.date().addDays(-10))
    dialog.approved_on.setDate(dialog.approved_on.date().addDays(-20))
    assert not dialog.save_button.isEnabled() and "不能早于" in dialog.approval_error.text()
    dialog.approved_on.setDate(dialog.decision_on.date().addDays(5))
    assert dialog.save()
    name = page.bases_proxy.index(0, 0).data()
    # issue 14: an edit never reaches back; the reduction applies from the month of the branch's decision (November)
    basis = next(r.basis for r in dues.bases_overview(page.ctx.db, month=TODAY) if r.member_name == name)
    assert (basis.computed_fen, basis.reduced_fen) == (3200, 1000)
    before = next(r.basis for r in dues.bases_overview(page.ctx.db, month=OCTOBER) if r.member_name == name)
    assert before.reduced_fen is None


def test_arrears_tab_shows_reminders(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    db = page.ctx.db
    for m in range(1, 8):
        dues.mark_all_paid(db, month=date(2026, m, 1), paid_on=date(2026, m, 20), today=TODAY)
    page.tabs.setCurrentIndex(2)  # Aug, Sep, Oct unpaid for everybody
    assert page.arrears_model.rowCount() == 3
    assert "自2026年8月起已连续 3 个月未交纳党费" in page.reminders.text()
    page.apply_filters({"tab": "arrears", "member": page.arrears_model.record(1).member_uuid})
    page.back_pay_current()
    dialog = page.dialog
    assert dialog.months.value() == 3
    assert dialog.save()
    assert page.arrears_model.rowCount() == 2


def test_reports_export_and_print(qtbot, page, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    page.mark_all_paid()
    page.tabs.setCurrentIndex(3)
    assert page.publication_model.rowCount() == 3
    assert page.totals_model.rowCount() == 11  # January … October (November is still open), and the year
    task = page.export_xlsx(tmp_path / "dues.xlsx")
    with qtbot.waitSignal(task.finished, timeout=20000):
        pass
    wb = load_workbook(tmp_path / "dues.xlsx")
    assert wb["月度台账"]["H3"].value == 81
    pdf = page.export_pdf("ledger", tmp_path / "ledger.pdf")
    text = _pdf_text(pdf)
    assert "红柳煤矿综采一区党支部2026年10月党费收缴台账" in text
    assert "张三" in text and "81.00" in text and "第1页/共1页" in text
    pub = page.export_pdf("publication", tmp_path / "pub.pdf")
    text = _pdf_text(pub)
    assert "2026年度党费收缴公示" in text and "2026年1月至10月" in text


def test_mark_all_skips_who_cannot_pay_and_says_whom(qtbot, page, ctx) -> None:  # type: ignore[no-untyped-def]
    db = ctx.db
    for name, extra in (
        ("赵六", {"lost_contact": True, "lost_contact_on": date(2026, 3, 1)}),
        ("钱七", {"standing": "suspended"}),
        ("孙八", {}),  # no dues basis yet
    ):
        uuid = add_member(
            db,
            values={
                "name": name,
                "category": "full",
                "joined_on": date(2010, 7, 1),
                "full_on": date(2011, 7, 1),
            }
            | extra,
        ).uuid
        if name != "孙八":
            dues.set_basis(
                db,
                member_uuid=uuid,
                from_month=date(2026, 1, 1),
                category="employed",
                base_fen=yuan_to_fen("3000"),
            )
    page.set_month(OCTOBER)
    box = page.confirm_mark_all()
    assert box is not None
    assert "将 3 名党员登记为2026年10月已缴" in box.text()
    assert "跳过 3 人：孙八（未核定缴纳基数）、赵六（失联）、钱七（停止党籍）" in box.text()
    box.button(box.StandardButton.Cancel).click()
    assert all(not e.paid for e in dues.month_ledger(db, month=OCTOBER))  # cancelled: nothing recorded
    box = page.confirm_mark_all()
    box.button(box.StandardButton.Ok).click()
    paid = {e.member_name for e in dues.month_ledger(db, month=OCTOBER) if e.paid}
    assert paid == {"张三", "李四", "王五"}
    assert "跳过 3 人：孙八（未核定缴纳基数）、赵六（失联）" in page.status.text()
    # nothing left to record: no box, the page says so and still names whom it skips
    assert page.confirm_mark_all() is None
    assert "没有可以一并登记" in page.status.text() and "钱七（停止党籍）" in page.status.text()


def test_payment_dialog_offers_the_branchs_own_prepay_limit(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    """The months spin box and its hint follow 支部设置 → 规则设置 (issue 14: the 预交 limit is the branch's choice,
    never a fixed "6 个月")."""
    from db.rule_settings import save_rule_settings

    save_rule_settings(page.ctx.db, values={"dues_prepay_months": 2})
    page.ledger_view.setCurrentIndex(page.ledger_proxy.index(_row(page, "张三"), 0))
    page.edit_current()
    dialog = page.dialog
    assert dialog.months.maximum() == 3  # this month and 2 ahead
    assert "最多 2 个月" in dialog.months.toolTip() and "6 个月" not in dialog.months.toolTip()


def test_quarterly_dialog_records_the_consent_and_the_arrears_follow(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    """Issue 14: 按季度交纳 is a member setting with the branch's consent; such a member is not in arrears for the
    quarter not yet over (21 November: October and November are Q4), the others are (August–October)."""
    from desktop.dialogs.dues_quarterly import DuesQuarterlyDialog

    db = page.ctx.db
    for m in range(1, 8):
        dues.mark_all_paid(db, month=date(2026, m, 1), paid_on=date(2026, m, 20), today=TODAY)
    page.tabs.setCurrentIndex(1)
    page.bases_view.setCurrentIndex(page.bases_proxy.index(0, 0))
    name = page.bases_proxy.index(0, 0).data()
    page.edit_quarterly()
    dialog = page.dialog
    assert isinstance(dialog, DuesQuarterlyDialog)
    dialog.quarterly.setChecked(True)
    assert not dialog.save_button.isEnabled() and "须经党支部同意" in dialog.errors["consent_note"].text()
    dialog.consent_on.setDate(QDate(2026, 7, 5))
    dialog.consent_note.setText("2026-07-05 支部委员会会议同意")
    assert dialog.save()
    member = next(r for r in dues.bases_overview(db, month=TODAY) if r.member_name == name)
    assert member.quarterly and dues.current_quarterly(db, member_uuid=member.member_uuid) is not None
    column = [
        page.bases_model.headerData(c, Qt.Orientation.Horizontal)
        for c in range(page.bases_model.columnCount())
    ]
    row = next(r for r in range(page.bases_proxy.rowCount()) if page.bases_proxy.index(r, 0).data() == name)
    assert page.bases_proxy.index(row, column.index("交纳方式")).data() == "按季度（支部同意）"
    arrears = {a.member_name: a.months for a in dues.arrears(db, today=TODAY)}
    assert arrears[name] == 2 and all(n == 3 for other, n in arrears.items() if other != name)  # Aug–Sep (Q3)
