"""Record the return of an introduction letter's 回执 (receipt) for a transfer out."""

from __future__ import annotations

from datetime import date

from db.errors import Problem
from db.transfers import Transfer
from desktop.context import AppContext
from desktop.dialogs.form import to_date
from desktop.dialogs.transfer_form import FormDialog, date_edit
from desktop.operations import transfers as transfers_ops
from desktop.qt import *


class ReceiptDialog(FormDialog):
    """The receipt date of one transfer out; ``today`` is for tests."""

    def __init__(
        self, ctx: AppContext, transfer: Transfer, parent: QWidget | None = None, *, today: date | None = None
    ) -> None:
        super().__init__(
            ctx,
            self.tr("登记回执 - {0}").format(transfer.serial),
            parent,
            save_text=self.tr("登记回执"),
            today=today,
        )
        self.transfer = transfer
        self.intro(
            self.tr("{0} 的介绍信 {1}（{2} 开具，转往{3}）").format(
                transfer.member_name, transfer.serial, transfer.issued_on.isoformat(), transfer.to_unit
            )
        )
        self.returned_on = date_edit(min(self.today, max(transfer.issued_on, self.today)))
        self.add_field("receipt_on", self.tr("回执收回日期 *"), self.returned_on)
        self.finish()

    def problems(self) -> list[Problem]:
        d = to_date(self.returned_on.date())
        problems = []
        if d < self.transfer.issued_on:
            problems.append(
                Problem(
                    "receipt_on",
                    self.tr("回执日期不能早于开具日期 {0}").format(self.transfer.issued_on.isoformat()),
                )
            )
        if d > self.today:
            problems.append(Problem("receipt_on", self.tr("回执日期不能晚于今天")))
        return problems

    def write(self) -> Transfer:
        t = transfers_ops.record_receipt(
            self.ctx,
            uuid=self.transfer.uuid,
            returned_on=to_date(self.returned_on.date()),
            today=self.today,
        )
        return t
