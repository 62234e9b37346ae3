"""Correct locked minutes (更正: field, new value, date, reason) and cancel a planned meeting (reason).

Locked minutes are never edited silently: the correction is kept with its date and reason and printed with the
minutes. Both dialogs validate as the user types and keep Save disabled until a reason is given.
"""

from __future__ import annotations

from datetime import date

from db import meetings
from db.errors import Problem
from desktop.context import AppContext
from desktop.dialogs.meeting_form import MeetingForm, error_label
from desktop.operations import meetings as meetings_ops
from desktop.qt import *

TEXT_FIELDS = ("topic", "place", "lecturer", "content", "speaking_points")


class MeetingAmendDialog(MeetingForm):
    """A correction of locked minutes: one field, its new value, the date and the reason."""

    def __init__(
        self, ctx: AppContext, *, meeting_uuid: str, today: date | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, meeting_uuid=meeting_uuid, today=today, parent=parent)
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
        self.buttons = self.add_buttons()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.field.currentIndexChanged.connect(self._load_value)
        self._load_value()
        self.watch(self.field, self.value, self.on, self.reason)
        self.finish()

    def _load_value(self) -> None:
        self.value.setPlainText(getattr(self.meeting, self.field.currentData()) or "")
        self.check()

    def problems(self) -> list[Problem]:
        return [] if self.reason.text().strip() else [Problem("reason", self.tr("请填写更正原因"))]

    def write(self) -> str:
        d = self.on.date()
        meetings_ops.amend_meeting(
            self.ctx,
            uuid=self.meeting.uuid,
            field=self.field.currentData(),
            value=self.value.toPlainText(),
            reason=self.reason.text(),
            on=date(d.year(), d.month(), d.day()),
            today=self.today,
        )
        return self.meeting.uuid


class MeetingCancelDialog(MeetingForm):
    """Cancel a planned meeting, with the reason."""

    def __init__(self, ctx: AppContext, *, meeting_uuid: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, meeting_uuid=meeting_uuid, parent=parent)
        self.setWindowTitle(self.tr("取消会议 — {0}").format(self.meeting.title))
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(self.tr("如：矿井停产检修，改期召开"))
        self.error = error_label(self)
        form = QFormLayout()
        form.addRow(self.tr("取消原因"), self.reason)
        self.buttons = self.add_buttons()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.watch(self.reason)
        self.finish()

    def problems(self) -> list[Problem]:
        return [] if self.reason.text().strip() else [Problem("reason", self.tr("请填写取消原因"))]

    def write(self) -> str:
        meetings_ops.cancel_meeting(self.ctx, uuid=self.meeting.uuid, reason=self.reason.text())
        return self.meeting.uuid
