"""Record or correct one member's dues for a month: amount, date, proxy (代缴人, chosen from the roster), note;
several months at once for a pre-payment; or mark the month unpaid again.

The amount is checked as it is typed (a number of yuan, not negative) with the reason beside the field and 保存
disabled while invalid. The rules of ``db.dues`` (paying twice, more than 6 months back or ahead, after leaving)
are checked on save: the Chinese message is shown in the dialog and nothing is saved.
"""

from __future__ import annotations

from datetime import date

from db import dues as dues_db
from db.errors import Problem
from db.members import list_members
from db.records import MemberRef
from db.rules import dues_rate_text, fen_to_yuan_text, yuan_to_fen
from desktop.context import AppContext
from desktop.dialogs.form import FormBase, error_label, to_date, to_qdate
from desktop.operations import dues as dues_ops
from desktop.qt import *


class MemberDuesDialog(FormBase):
    """A dues form about one member: their uuid kept, their name in the window title (``title``, with {0}),
    the reasons in one line under the form."""

    error_separator = "；"

    def __init__(
        self, ctx: AppContext, member: MemberRef, title: str, parent: QWidget | None, *, today: date | None
    ) -> None:
        super().__init__(ctx, parent, today=today)
        self.member_uuid = member.uuid
        self.setWindowTitle(title.format(member.name))


def parse_amount(text: str) -> tuple[int | None, str]:
    """(fen, "") for a valid amount of yuan, (None, reason) otherwise; empty text is (None, "")."""
    text = text.strip()
    if not text:
        return None, ""
    try:
        fen = yuan_to_fen(text)
    except ValueError:
        return None, "请输入金额（元），如 81 或 81.50"
    if fen < 0:
        return None, "金额不能为负数"
    return fen, ""


class DuesPaymentDialog(FormBase):
    """One member, one month (and optionally the following months)."""

    def __init__(
        self,
        ctx: AppContext,
        entry: dues_db.LedgerEntry,
        parent: QWidget | None = None,
        *,
        paid_on: date | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__(ctx, parent, today=today)
        self.entry = entry
        self.setWindowTitle(
            self.tr("登记党费 - {0} {1}").format(entry.member_name, dues_db.month_label(entry.month))
        )
        layout = QVBoxLayout(self)
        if entry.due_fen is None:
            due_text = self.tr("尚未核定缴纳基数，请直接填写实缴金额，或先在「缴纳基数」中核定")
        else:
            rate = dues_rate_text(entry.rate)
            due_text = self.tr("应缴 {0} 元（{1}）").format(fen_to_yuan_text(entry.due_fen), rate)
            if entry.reduced:
                due_text += self.tr("，经批准减免")
        intro = QLabel(
            self.tr("{0}　{1}　{2}").format(entry.member_name, dues_db.month_label(entry.month), due_text)
        )
        intro.setObjectName("intro")
        intro.setWordWrap(True)
        layout.addWidget(intro)

        form = QFormLayout()
        self.paid = QCheckBox(self.tr("已交纳"))
        self.paid.setObjectName("paid")
        self.paid.setChecked(True)
        form.addRow(self.tr("状态"), self.paid)

        self.amount = QLineEdit()
        self.amount.setObjectName("amount")
        self.amount.setPlaceholderText(self.tr("元，如 81.00"))
        initial = entry.paid_fen if entry.paid else entry.due_fen
        self.amount.setText(fen_to_yuan_text(initial))
        self.amount_error = QLabel()
        self.amount_error.setObjectName("amount_error")
        self.amount_error.setStyleSheet("color: #b02a37;")
        row = QHBoxLayout()
        row.addWidget(self.amount, 1)
        row.addWidget(self.amount_error, 2)
        form.addRow(self.tr("实缴金额（元）*"), row)

        self.paid_on = QDateEdit()
        self.paid_on.setObjectName("paid_on")
        self.paid_on.setCalendarPopup(True)
        self.paid_on.setDisplayFormat("yyyy-MM-dd")
        self.paid_on.setMaximumDate(to_qdate(self.today))
        self.paid_on.setDate(
            to_qdate(entry.paid_on or paid_on or dues_db.default_paid_on(entry.month, today=self.today))
        )
        form.addRow(self.tr("缴纳日期 *"), self.paid_on)

        self.months = QSpinBox()
        self.months.setObjectName("months")
        ahead = dues_db.max_ahead_months(ctx.db)  # the branch's own 预交 limit (支部设置 → 规则设置)
        self.months.setRange(1, ahead + 1)
        self.months.setSuffix(self.tr(" 个月"))
        self.months.setToolTip(
            self.tr(
                "从本月起连续交纳几个月（本支部设定预交最多 {0} 个月，可在支部设置 → 规则设置中调整）"
            ).format(ahead)
        )
        self.months.setEnabled(not entry.paid)
        form.addRow(self.tr("交纳月数"), self.months)

        self.proxy = QComboBox()
        self.proxy.setObjectName("proxy")
        self.proxy.addItem(self.tr("（本人交纳）"), None)
        for m in list_members(ctx.db):
            if m.uuid != entry.member_uuid:
                self.proxy.addItem(
                    f"{m.name}（{m.party_group_name}）" if m.party_group_name else m.name, m.uuid
                )
        if entry.proxy_uuid:
            self.proxy.setCurrentIndex(max(0, self.proxy.findData(entry.proxy_uuid)))
        form.addRow(self.tr("代缴人"), self.proxy)

        self.note = QLineEdit(entry.note)
        self.note.setObjectName("note")
        self.note.setPlaceholderText(self.tr("如：补交、委托代缴、出差未交"))
        form.addRow(self.tr("备注"), self.note)
        layout.addLayout(form)

        self.error = error_label("error")
        layout.addWidget(self.error)
        self.buttons = self.add_buttons()
        layout.addWidget(self.buttons)

        self.reasons = {"paid_fen": self.amount_error}
        self.watch(self.paid, self.amount, self.paid_on, self.months, self.proxy, self.note)
        self.finish()
        self.resize(520, self.sizeHint().height())

    def problems(self) -> list[Problem]:
        paid = self.paid.isChecked()
        for w in (self.amount, self.paid_on, self.proxy):
            w.setEnabled(paid)
        self.months.setEnabled(paid and not self.entry.paid)
        fen, reason = parse_amount(self.amount.text())
        if paid and fen is None and not reason:
            reason = self.tr("请填写实缴金额")
        return [Problem("paid_fen", self.tr(reason))] if paid and reason else []

    def save(self) -> bool:
        """Whether it saved (``saved`` carries the payment)."""
        return super().save() is not None

    def write(self) -> dues_db.LedgerEntry:
        if not self.paid.isChecked():
            return dues_ops.update_payment(
                self.ctx,
                member_uuid=self.entry.member_uuid,
                month=self.entry.month,
                paid_fen=None,
                paid_on=None,
                note=self.note.text(),
                today=self.today,
            )
        fen, _ = parse_amount(self.amount.text())
        paid_on = to_date(self.paid_on.date())
        if self.entry.paid:
            return dues_ops.update_payment(
                self.ctx,
                member_uuid=self.entry.member_uuid,
                month=self.entry.month,
                paid_fen=fen,
                paid_on=paid_on,
                proxy_uuid=self.proxy.currentData(),
                note=self.note.text(),
                today=self.today,
            )
        months = [dues_db.add_month(self.entry.month, i) for i in range(self.months.value())]
        return dues_ops.record_payments(
            self.ctx,
            member_uuid=self.entry.member_uuid,
            months=months,
            paid_on=paid_on,
            paid_fen=fen,
            proxy_uuid=self.proxy.currentData(),
            note=self.note.text(),
            today=self.today,
        )[0]


def screenshot_dialog(ctx: AppContext, parent: QWidget) -> QWidget:
    """The payment dialog on the first unpaid member of last month (or of this month) for the screenshots."""
    today = date.today()
    for month in (dues_db.add_month(today, -1), dues_db.month_start(today)):
        entries = dues_db.month_ledger(ctx.db, month=month)
        unpaid = [e for e in entries if not e.paid and e.due_fen]
        if unpaid or entries:
            return DuesPaymentDialog(ctx, (unpaid or entries)[0], parent)
    entry = dues_db.LedgerEntry(
        "",
        "张三",
        "full",
        "",
        "active",
        dues_db.month_start(today),
        "employed",
        540000,
        15,
        8100,
        False,
        None,
        None,
        None,
        "",
        "",
    )
    return DuesPaymentDialog(ctx, entry, parent)
