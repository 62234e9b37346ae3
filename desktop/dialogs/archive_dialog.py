"""Archive a member (已转出 / 已减员, with date and reason) or restore an archived one to the active roster.

Members are never deleted: this dialog is what the roster's Delete key opens, and it is the confirmation. Errors
from ``db.members.archive_member`` / ``restore_member`` are shown in the dialog; nothing is saved then.
"""

from __future__ import annotations

from datetime import date

from db.errors import Problem
from db.records import STATUSES, Member
from desktop.context import AppContext
from desktop.dialogs.form import FormBase, error_label
from desktop.operations import members as members_ops
from desktop.qt import *


class ArchiveDialog(FormBase):
    """Archive an active member, or restore an archived one (the mode follows ``member.status``)."""

    def __init__(self, ctx: AppContext, member: Member, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.member = member
        self.restoring = member.status != "active"
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.status = QComboBox()
        self.status.setObjectName("status")
        self.on = QDateEdit(QDate.currentDate())
        self.on.setObjectName("status_on")
        self.on.setCalendarPopup(True)
        self.on.setDisplayFormat("yyyy-MM-dd")
        self.reason = QLineEdit()
        self.reason.setObjectName("status_reason")
        if self.restoring:
            self.setWindowTitle(self.tr("恢复在册 - {0}").format(member.name))
            current = STATUSES.get(member.status, member.status)
            since = f"（{member.status_on:%Y-%m-%d}，{member.status_reason}）" if member.status_on else ""
            intro = QLabel(
                self.tr("{0} 当前为「{1}」{2}。恢复后重新列入在册党员。").format(member.name, current, since)
            )
            self.reason.setPlaceholderText(self.tr("如：误操作、重新转入本支部"))
            form.addRow(self.tr("恢复原因 *"), self.reason)
        else:
            self.setWindowTitle(self.tr("转出/减员 - {0}").format(member.name))
            intro = QLabel(
                self.tr("把 {0} 移出在册党员名册。记录不会删除，可在「全部」中查看并恢复。").format(
                    member.name
                )
            )
            self.status.addItem(STATUSES["transferred_out"], "transferred_out")
            self.status.addItem(STATUSES["removed"], "removed")
            self.reason.setPlaceholderText(self.tr("如：组织关系转至某单位党支部；去世；出党"))
            form.addRow(self.tr("类型 *"), self.status)
            form.addRow(self.tr("日期 *"), self.on)
            form.addRow(self.tr("原因 *"), self.reason)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addLayout(form)
        self.error = error_label("error")
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("恢复在册") if self.restoring else self.tr("确认转出/减员"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        layout.addWidget(self.buttons)
        self.use_buttons(self.buttons)
        self.watch(self.status, self.on, self.reason)
        self.finish()
        self.resize(460, self.sizeHint().height())

    def problems(self) -> list[Problem]:
        return [] if self.reason.text().strip() else [Problem("reason", self.tr("请填写原因"))]

    def save(self) -> bool:
        """Whether it saved (``saved`` carries the member)."""
        return super().save() is not None

    def write(self) -> Member:
        if self.restoring:
            saved = members_ops.restore_member(self.ctx, uuid=self.member.uuid, reason=self.reason.text())
        else:
            d = self.on.date()
            saved = members_ops.archive_member(
                self.ctx,
                uuid=self.member.uuid,
                status=self.status.currentData(),
                on=date(d.year(), d.month(), d.day()),
                reason=self.reason.text(),
            )
        return saved
