"""Correct locked minutes (更正: field, new value, date, reason) and cancel a planned meeting (reason).

Locked minutes are never edited silently: the correction is kept with its date and reason and printed with the
minutes. Both dialogs validate as the user types and keep Save disabled until a reason is given.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from db import meetings
from db.errors import ValidationError
from desktop.context import AppContext
from desktop.dialogs.meeting_plan import error_label
from desktop.operations import meetings as meetings_ops

TEXT_FIELDS = ("topic", "place", "lecturer", "content", "speaking_points")


def _buttons(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, dialog
    )
    buttons.button(QDialogButtonBox.StandardButton.Save).setText(dialog.tr("保存"))
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(dialog.tr("取消"))
    buttons.rejected.connect(dialog.reject)
    return buttons


class MeetingAmendDialog(QDialog):
    saved = Signal(str)

    def __init__(
        self, ctx: AppContext, *, meeting_uuid: str, today: date | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today = today or date.today()
        self.meeting = meetings.get_meeting(ctx.db, uuid=meeting_uuid)
        self.setWindowTitle(
            self.tr("更正会议记录 — {0}（{1}）").format(self.meeting.title, self.meeting.number_text)
        )
        self.field = QComboBox(self)
        for key in TEXT_FIELDS:
            self.field.addItem(self.tr(meetings.FIELD_LABELS[key]), key)
        self.value = QPlainTextEdit(self)
        self.value.setTabChangesFocus(True)
        self.on = QDateEdit(QDate(self.today.year, self.today.month, self.today.day), self)
        self.on.setCalendarPopup(True)
        self.on.setDisplayFormat("yyyy-MM-dd")
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(self.tr("如：记录笔误、补记发言"))
        self.error = error_label(self)
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("更正项目"), self.field)
        form.addRow(self.tr("更正为"), self.value)
        form.addRow(self.tr("更正日期"), self.on)
        form.addRow(self.tr("更正原因"), self.reason)
        self.buttons = _buttons(self)
        self.buttons.accepted.connect(self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        self.field.currentIndexChanged.connect(self._load_value)
        self.reason.textChanged.connect(self.validate)
        self._load_value()

    def _load_value(self) -> None:
        self.value.setPlainText(getattr(self.meeting, self.field.currentData()) or "")
        self.validate()

    def validate(self) -> bool:
        ok = bool(self.reason.text().strip())
        self.error.setText("" if ok else self.tr("请填写更正原因"))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(ok)
        return ok

    def save(self) -> None:
        if not self.validate():
            return
        d = self.on.date()
        try:
            meetings_ops.amend_meeting(
                self.ctx,
                uuid=self.meeting.uuid,
                field=self.field.currentData(),
                value=self.value.toPlainText(),
                reason=self.reason.text(),
                on=date(d.year(), d.month(), d.day()),
                today=self.today,
            )
        except ValidationError as exc:
            self.error.setText(str(exc))
            return
        self.saved.emit(self.meeting.uuid)
        self.accept()


class MeetingCancelDialog(QDialog):
    saved = Signal(str)

    def __init__(self, ctx: AppContext, *, meeting_uuid: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.meeting = meetings.get_meeting(ctx.db, uuid=meeting_uuid)
        self.setWindowTitle(self.tr("取消会议 — {0}").format(self.meeting.title))
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(self.tr("如：矿井停产检修，改期召开"))
        self.error = error_label(self)
        form = QFormLayout()
        form.addRow(self.tr("取消原因"), self.reason)
        self.buttons = _buttons(self)
        self.buttons.accepted.connect(self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.reason.textChanged.connect(self.validate)
        self.validate()

    def validate(self) -> bool:
        ok = bool(self.reason.text().strip())
        self.error.setText("" if ok else self.tr("请填写取消原因"))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(ok)
        return ok

    def save(self) -> None:
        if not self.validate():
            return
        try:
            meetings_ops.cancel_meeting(self.ctx, uuid=self.meeting.uuid, reason=self.reason.text())
        except ValidationError as exc:
            self.error.setText(str(exc))
            return
        self.saved.emit(self.meeting.uuid)
        self.accept()
