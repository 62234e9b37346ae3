"""Transfer a member out (组织关系转出): choose the member, addressee, to-unit, dues month, validity, issue date.

Saving issues the introduction letter's serial and archives the member as 已转出 on the issue date
(``db.transfers.transfer_out``). The dues month is prefilled from the dues ledger when it knows it.
"""

from __future__ import annotations

from typing import Any

from db import members as members_db
from db import transfers as transfers_db
from db.errors import Problem
from db.records import CATEGORIES
from db.transfers import DEFAULT_VALIDITY_DAYS
from desktop.context import AppContext
from desktop.dialogs.form import to_date
from desktop.dialogs.transfer_form import MemberFormDialog, date_edit
from desktop.operations import transfers as transfers_ops
from desktop.qt import *


class TransferOutDialog(MemberFormDialog):
    """The form of a transfer out."""

    def title(self) -> str:
        return self.tr("组织关系转出")

    def save_text(self) -> str:
        return self.tr("开具介绍信并转出")

    def build(self, member_uuid: str | None) -> None:
        self.intro(
            self.tr(
                "开具《中国共产党党员组织关系介绍信》。保存后自动编号，该党员在开具日期转为「已转出」，"
                "档案和历史记录保留可查。"
            )
        )
        self.member = self.add_member_field(
            members_db.list_members(self.ctx.db),
            member_uuid,
            lambda m: f"{m.name}（{CATEGORIES.get(m.category, '')}，{m.party_group_name or '未分组'}）",
        )
        self.addressee = QLineEdit()
        self.addressee.setPlaceholderText(self.tr("接收党组织名称，如：中共××煤矿委员会"))
        self.add_field("addressee", self.tr("介绍信抬头 *"), self.addressee)
        self.to_unit = QLineEdit()
        self.to_unit.setPlaceholderText(self.tr("转往的党组织，如：××煤矿综采队党支部"))
        self.add_field("to_unit", self.tr("转往单位 *"), self.to_unit)
        dues_row = QWidget()
        dues_box = QHBoxLayout(dues_row)
        dues_box.setContentsMargins(0, 0, 0, 0)
        self.dues_known = QCheckBox(self.tr("已知"))
        self.dues_known.setChecked(True)
        self.dues_month = date_edit(self.today, month_only=True)
        dues_box.addWidget(self.dues_month, 1)
        dues_box.addWidget(self.dues_known)
        self.dues_known.toggled.connect(self.dues_month.setEnabled)
        self.watch(self.dues_known, self.dues_month)
        self.add_field("dues_paid_to", self.tr("党费交至"), dues_row)
        self.validity = QSpinBox()
        self.validity.setRange(0, 365)  # wider than allowed so the reason can be shown, not silently clamped
        self.validity.setValue(DEFAULT_VALIDITY_DAYS)
        self.validity.setSuffix(self.tr(" 天"))
        self.validity.setToolTip(self.tr("同城一般 10 天，外地一般 30 天，最长 90 天"))
        self.add_field("validity_days", self.tr("有效期 *"), self.validity)
        self.issued_on = date_edit(self.today)
        self.add_field("issued_on", self.tr("开具日期 *"), self.issued_on)
        self.serial_preview = QLineEdit()
        self.serial_preview.setReadOnly(True)
        self.add_field("serial", self.tr("介绍信编号"), self.serial_preview)
        self.member.currentIndexChanged.connect(self._prefill_dues)
        self.issued_on.dateChanged.connect(self._update_serial)
        self._prefill_dues()
        self._update_serial()

    def _prefill_dues(self) -> None:
        uuid = self.member.currentData()
        if not uuid:
            return
        month = transfers_db.last_paid_month(
            self.ctx.db,
            member_uuid=uuid,
            on=to_date(self.issued_on.date()) if hasattr(self, "issued_on") else self.today,
        )
        if month:
            self.dues_month.setDate(QDate(int(month[:4]), int(month[5:7]), 1))
            self.dues_known.setChecked(True)

    def _update_serial(self) -> None:
        year = self.issued_on.date().year()
        self.serial_preview.setText(transfers_db.next_serial(self.ctx.db, year=year))

    def values(self) -> dict[str, Any]:
        d = self.dues_month.date()
        return {
            "member_uuid": self.member.currentData(),
            "addressee": self.addressee.text(),
            "to_unit": self.to_unit.text(),
            "dues_paid_to": f"{d.year():04d}-{d.month():02d}" if self.dues_known.isChecked() else None,
            "validity_days": self.validity.value(),
            "issued_on": to_date(self.issued_on.date()),
        }

    def problems(self) -> list[Problem]:
        return transfers_db.validate_transfer_out(self.ctx.db, **self.values(), today=self.today)

    def write(self) -> transfers_db.Transfer:
        transfer = transfers_ops.transfer_out(self.ctx, **self.values(), today=self.today)
        return transfer


def screenshot_dialog(ctx: AppContext, parent: QWidget) -> TransferOutDialog:
    """For ``desktop.screenshots``: the form filled for the first active member (empty on an empty roster)."""
    dialog = TransferOutDialog(ctx, parent)
    dialog.addressee.setText(dialog.tr("中共同煤集团塔山煤矿委员会"))
    dialog.to_unit.setText(dialog.tr("同煤集团塔山煤矿综采二队党支部"))
    return dialog
