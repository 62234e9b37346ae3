"""What the meeting forms share: the red reason label, a field with its reason beside it, and ``MeetingForm``, the
base of the forms about one recorded meeting (登记会议情况, 更正, 取消, 表决事项)."""

from __future__ import annotations

from datetime import date

from db import meetings
from desktop.context import AppContext
from desktop.dialogs.form import FormBase
from desktop.qt import *


def error_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setStyleSheet("color: #b00020")
    return label


def with_error(widget: QWidget, label: QLabel) -> QWidget:
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(widget, 1)
    row.addWidget(label)
    return box


class MeetingForm(FormBase):
    """A form about the meeting ``meeting_uuid`` (``self.meeting``); ``saved`` carries the meeting's uuid. Reasons
    without a field of their own are joined on one line."""

    error_separator = "；"

    def __init__(
        self, ctx: AppContext, *, meeting_uuid: str, today: date | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, parent, today=today)
        self.meeting = meetings.get_meeting(ctx.db, uuid=meeting_uuid)
