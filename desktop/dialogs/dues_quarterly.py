"""按季度交纳: a member pays dues by quarter with the branch's consent (its date and the meeting or decision), or
goes back to paying monthly. Saving calls ``db.dues.set_quarterly`` / ``end_quarterly`` through the operations; a
member paying by quarter is not in arrears for the months of a quarter not yet over (docs/rules.md).
"""

from __future__ import annotations

from datetime import date

from db import dues as dues_db
from db.errors import Problem
from db.records import MemberRef
from desktop.context import AppContext
from desktop.dialogs.dues_payment import MemberDuesDialog
from desktop.dialogs.form import error_label, to_date
from desktop.dialogs.transfer_form import date_edit
from desktop.operations import dues as dues_ops
from desktop.qt import *


class DuesQuarterlyDialog(MemberDuesDialog):
    """Pay by quarter (with the branch's consent) or monthly again, for one member."""

    def __init__(
        self, ctx: AppContext, member: MemberRef, parent: QWidget | None = None, *, today: date | None = None
    ) -> None:
        super().__init__(ctx, member, self.tr("按季度交纳党费 - {0}"), parent, today=today)
        self.current = dues_db.current_quarterly(ctx.db, member_uuid=member.uuid)
        self.quarterly = QCheckBox(self.tr("经党支部同意，按季度交纳党费"), self)
        self.quarterly.setObjectName("quarterly")
        self.quarterly.setChecked(self.current is not None)
        self.consent_on = date_edit(self.current.consent_on if self.current else self.today, parent=self)
        self.consent_on.setObjectName("consent_on")
        self.consent_note = QLineEdit(self)
        self.consent_note.setObjectName("consent_note")
        self.consent_note.setPlaceholderText(self.tr("如：2026-01-10 支部委员会会议同意（井下轮休）"))
        if self.current is not None:
            self.consent_note.setText(self.current.consent_note)
            for w in (self.consent_on, self.consent_note):
                w.setEnabled(False)  # the consent on record stays; unticking ends the setting
        self.errors = {k: error_label(k) for k in ("consent_on", "consent_note")}
        form = QFormLayout()
        form.addRow("", self.quarterly)
        form.addRow(self.tr("支部同意日期"), self.consent_on)
        form.addRow("", self.errors["consent_on"])
        form.addRow(self.tr("支部同意的会议或决定"), self.consent_note)
        form.addRow("", self.errors["consent_note"])
        hint = QLabel(
            self.tr("按季度交纳的党员，季度结束前不计入本季度的欠缴月份；季度结束后仍未交纳的，照常提醒。"),
            self,
        )
        hint.setWordWrap(True)
        self.error = error_label("error")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("保存"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.use_buttons(self.buttons)
        self.reasons = dict(self.errors)
        self.watch(self.quarterly, self.consent_on, self.consent_note)
        self.finish()

    def problems(self) -> list[Problem]:
        if self.current is not None or not self.quarterly.isChecked():
            return []
        return dues_db.quarterly_problems(
            self.ctx.db,
            member_uuid=self.member_uuid,
            consent_on=to_date(self.consent_on.date()),
            consent_note=self.consent_note.text(),
            today=self.today,
        )

    def write(self) -> dues_db.QuarterlySetting | None:
        if self.current is None and self.quarterly.isChecked():
            return dues_ops.set_quarterly(
                self.ctx,
                member_uuid=self.member_uuid,
                consent_on=to_date(self.consent_on.date()),
                consent_note=self.consent_note.text(),
                today=self.today,
            )
        if self.current is not None and not self.quarterly.isChecked():
            # Monthly again from this month: the quarter paid so far ends last month.
            last = dues_db.add_month(dues_db.month_start(self.today), -1)
            return dues_ops.end_quarterly(
                self.ctx, member_uuid=self.member_uuid, until_month=max(last, self.current.from_month)
            )
        return self.current
