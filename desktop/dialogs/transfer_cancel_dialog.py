"""Cancel a transfer: it stays in the register with the reason and keeps its serial; a member archived by a transfer
out returns to the active roster."""

from __future__ import annotations

from db.errors import Problem
from db.transfers import Transfer
from desktop.context import AppContext
from desktop.dialogs.transfer_form import FormDialog
from desktop.operations import transfers as transfers_ops
from desktop.qt import *


class CancelTransferDialog(FormDialog):
    """Ask for the reason, then ``db.transfers.cancel_transfer``."""

    def __init__(self, ctx: AppContext, transfer: Transfer, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx, self.tr("撤销转接 - {0}").format(transfer.serial), parent, save_text=self.tr("确认撤销")
        )
        self.transfer = transfer
        self.intro(
            self.tr("撤销 {0} 的介绍信 {1}。记录保留并注明原因，编号不再使用；转出的党员恢复在册。").format(
                transfer.member_name, transfer.serial
            )
        )
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("如：对方单位不接收；信息填写错误需重开"))
        self.add_field("cancel_reason", self.tr("撤销原因 *"), self.reason)
        self.finish()

    def problems(self) -> list[Problem]:
        return [] if self.reason.text().strip() else [Problem("cancel_reason", self.tr("请填写撤销原因"))]

    def write(self) -> Transfer:
        t = transfers_ops.cancel_transfer(self.ctx, uuid=self.transfer.uuid, reason=self.reason.text())
        return t
