"""Receive a member (组织关系转入): letter (from-unit, serial, arrival date), the member's data and the development
dates they bring. A member who left and comes back (same citizen ID) is reactivated, not duplicated
(``db.transfers.transfer_in``); the dialog says so as soon as the ID is typed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from db import branch as branch_db
from db import members as members_db
from db import transfers as transfers_db
from db.errors import Problem
from db.records import CATEGORIES, EDUCATIONS, STATUSES
from db.rules import normalize_text
from db.transfers import DEVELOPMENT_DATES
from desktop.context import AppContext
from desktop.dialogs.form import to_date
from desktop.dialogs.transfer_form import FormDialog, date_edit, optional_date
from desktop.operations import transfers as transfers_ops
from desktop.qt import *


class TransferInDialog(FormDialog):
    """The form of a transfer in; ``today`` is for tests."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(ctx, self.tr("组织关系转入"), parent, save_text=self.tr("登记转入"), today=today)
        self.intro(
            self.tr(
                "按介绍信登记转入的党员。公民身份号码与已转出/减员的党员相同时，恢复其原档案（不会重复建档）。"
            )
        )
        self.from_unit = QLineEdit()
        self.add_field("from_unit", self.tr("转出单位 *"), self.from_unit)
        self.letter_serial = QLineEdit()
        self.letter_serial.setPlaceholderText(self.tr("介绍信上的编号"))
        self.add_field("letter_serial", self.tr("介绍信编号 *"), self.letter_serial)
        self.arrived_on = date_edit(self.today)
        self.add_field("arrived_on", self.tr("转入日期 *"), self.arrived_on)
        self.scope = QComboBox()
        self.scope.addItem(self.tr("（请选择）"), "")
        for key, label in transfers_db.TRANSFER_SCOPES.items():
            self.scope.addItem(self.tr(label), key)
        self.add_field("scope", self.tr("来自系统内/外"), self.scope)
        self.whole_unit = QCheckBox(self.tr("整建制转入（随所在党组织整体转入）"))
        self.add_field("whole_unit", "", self.whole_unit)
        self.name = QLineEdit()
        self.add_field("name", self.tr("姓名 *"), self.name)
        self.citizen_id = QLineEdit()
        self.citizen_id.setMaxLength(18)
        self.add_field("citizen_id", self.tr("公民身份号码 *"), self.citizen_id)
        self.match = QLabel()
        self.match.setObjectName("match")
        self.match.setWordWrap(True)
        self.form.addRow("", self.match)
        self.category = QComboBox()
        for key, label in CATEGORIES.items():
            self.category.addItem(label, key)
        self.add_field("category", self.tr("人员类别 *"), self.category)
        self.ethnicity = QLineEdit("汉族")
        self.add_field("ethnicity", self.tr("民族"), self.ethnicity)
        self.education = QComboBox()
        self.education.addItem("", "")
        for e in EDUCATIONS:
            self.education.addItem(e, e)
        self.add_field("education", self.tr("学历"), self.education)
        self.job = QLineEdit()
        self.add_field("job", self.tr("工作岗位"), self.job)
        self.mobile = QLineEdit()
        self.add_field("mobile", self.tr("手机号"), self.mobile)
        self.party_group = QComboBox()
        self.party_group.addItem(self.tr("（未分组）"), None)
        for g in branch_db.list_party_groups(ctx.db):
            self.party_group.addItem(g.name, g.uuid)
        self.add_field("party_group", self.tr("党小组"), self.party_group)
        self.dev_edits: dict[str, QDateEdit] = {}
        for key, label in DEVELOPMENT_DATES.items():
            self.dev_edits[key] = self.add_field(key, label, date_edit(optional=True))
        self.citizen_id.textChanged.connect(self._show_match)
        self.finish()

    def _show_match(self) -> None:
        cid = normalize_text(self.citizen_id.text()).upper()
        found = members_db.find_by_citizen_id(self.ctx.db, citizen_id=cid) if len(cid) == 18 else None
        if found is not None and found.status != "active":
            self.match.setText(
                self.tr("将恢复原档案：{0}（{1}，{2}）").format(
                    found.name, STATUSES[found.status], found.status_reason
                )
            )
            if not self.name.text():
                self.name.setText(found.name)
        else:
            self.match.setText("")

    def member_values(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            "name": self.name.text(),
            "citizen_id": self.citizen_id.text(),
            "category": self.category.currentData(),
            "ethnicity": self.ethnicity.text(),
            "education": self.education.currentData() or "",
            "job": self.job.text(),
            "mobile": self.mobile.text(),
            "party_group": self.party_group.currentData(),
        }
        if values["category"] == "probationary":
            values["full_on"] = None
        return values

    def development(self) -> dict[str, date | None]:
        return {key: optional_date(edit) for key, edit in self.dev_edits.items()}

    def _arguments(self) -> dict[str, Any]:
        """What the form says, as the keyword arguments of the check and of the transfer itself."""
        return {
            "values": self.member_values(),
            "from_unit": self.from_unit.text(),
            "letter_serial": self.letter_serial.text(),
            "arrived_on": to_date(self.arrived_on.date()),
            "development": self.development(),
            "today": self.today,
            "scope": self.scope.currentData() or "",
            "whole_unit": self.whole_unit.isChecked(),
        }

    def problems(self) -> list[Problem]:
        return transfers_db.validate_transfer_in(self.ctx.db, **self._arguments())

    def write(self) -> transfers_db.Transfer:
        transfer = transfers_ops.transfer_in(self.ctx, **self._arguments())
        return transfer


def screenshot_dialog(ctx: AppContext, parent: QWidget) -> TransferInDialog:
    """For ``desktop.screenshots``: a transfer in half filled, with its reasons showing."""
    dialog = TransferInDialog(ctx, parent)
    dialog.from_unit.setText(dialog.tr("中共晋能控股煤业集团燕子山矿委员会"))
    dialog.letter_serial.setText("2026-031")
    dialog.name.setText(dialog.tr("乔晓东"))
    dialog.citizen_id.setText("14021119900512")
    return dialog
