"""Record how a meeting went: actual time, content, speaking points and the attendance of every expected person.

Everyone starts *present*; the attendance widget's keys (P/L/A/O) mark exceptions quickly. Save stays disabled
while a person on leave or absent has no reason or the date is in the future. Saving a planned meeting marks it
held (``db.meetings.hold_meeting``); saving a held, unlocked meeting updates its minutes and attendance.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time

from db import meetings
from db.errors import Problem
from db.meetings.records import role_conflicts
from desktop.context import AppContext
from desktop.dialogs.meeting_form import MeetingForm, error_label
from desktop.operations import meetings as operations
from desktop.qt import *
from desktop.widgets.attendance import AttendanceWidget


class MeetingRecordDialog(MeetingForm):
    """The record of a held meeting: start and end, content, speaking points and attendance."""

    def __init__(
        self, ctx: AppContext, *, meeting_uuid: str, today: date | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, meeting_uuid=meeting_uuid, today=today, parent=parent)
        m = self.meeting
        self.setWindowTitle(self.tr("登记会议情况 — {0}（{1}）").format(m.title, m.number_text))
        self.resize(900, 680)
        start = m.started_at or datetime.combine(
            m.planned_on, time.fromisoformat(m.planned_time) if m.planned_time else time(14, 30)
        )
        self.started = QDateTimeEdit(
            QDateTime(QDate(start.year, start.month, start.day), QTime(start.hour, start.minute)), self
        )
        self.started.setCalendarPopup(True)
        self.started.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.ended = QTimeEdit(self)
        self.ended.setDisplayFormat("HH:mm")
        end = m.ended_at.time() if m.ended_at else time(min(start.hour + 1, 23), start.minute)
        self.ended.setTime(QTime(end.hour, end.minute))
        self.content = QPlainTextEdit(m.content, self)
        self.content.setPlaceholderText(self.tr("会议内容：传达了什么、学习了什么、研究决定了什么"))
        self.points = QPlainTextEdit(m.speaking_points, self)
        self.points.setPlaceholderText(self.tr("发言要点：谁发言、讲了什么"))
        for edit in (self.content, self.points):
            edit.setTabChangesFocus(True)
            edit.setMaximumHeight(90)
        self.date_error = error_label(self)
        self.attendance = AttendanceWidget(self)
        # the list the sign-in sheet printed: it followed the roster until now
        sheet = meetings.sheet_attendance(ctx.db, m)
        self.attendance.set_attendance(sheet)
        self._names = {a.member_uuid: a.name for a in sheet if a.member_uuid}

        when = QWidget(self)
        row = QHBoxLayout(when)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.started)
        row.addWidget(QLabel(self.tr("至"), self))
        row.addWidget(self.ended)
        row.addWidget(self.date_error, 1)
        form = QFormLayout()
        form.addRow(self.tr("实际时间"), when)
        form.addRow(self.tr("会议内容"), self.content)
        form.addRow(self.tr("发言要点"), self.points)
        self.general_error = error_label(self)
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        self.buttons = self.add_buttons()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("出席情况（按签到表顺序）"), self))
        layout.addWidget(self.attendance, 1)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.error = self.general_error
        self.reasons = {"started_at": self.date_error, "ended_at": self.date_error}
        self.watch(self.started, self.ended, self.content, self.points, self.attendance)
        self.finish()
        self.attendance.view.setFocus()

    def _times(self) -> tuple[datetime, datetime]:
        s = self.started.dateTime()
        started = datetime(
            s.date().year(), s.date().month(), s.date().day(), s.time().hour(), s.time().minute()
        )
        e = self.ended.time()
        return started, started.replace(hour=e.hour(), minute=e.minute())

    def problems(self) -> list[Problem]:
        started, ended = self._times()
        problems = [Problem("attendance", text) for text in self.attendance.problems()]
        if started.date() > self.today:
            problems.append(Problem("started_at", self.tr("会议日期在今天之后，不能登记为已召开")))
        if ended < started:
            problems.append(Problem("ended_at", self.tr("结束时间早于开始时间")))
        states = {e.member_uuid: e.state for e in self.attendance.entries() if e.member_uuid}
        problems += role_conflicts(self.meeting, states, self._names)  # warnings: saving stays possible
        return problems

    def show_problems(self, problems: Sequence[Problem]) -> None:
        # The attendance table marks its own rows; the general line shows only what saving refused.
        super().show_problems([p for p in problems if p.field != "attendance"])
        self.general_error.setVisible(bool(self.general_error.text()))

    def write(self) -> str:
        started, ended = self._times()
        values = {
            "uuid": self.meeting.uuid,
            "started_at": started,
            "ended_at": ended,
            "content": self.content.toPlainText(),
            "speaking_points": self.points.toPlainText(),
            "attendance": self.attendance.entries(),
            "today": self.today,
        }
        if self.meeting.status == "planned":
            operations.hold_meeting(self.ctx, **values)
        else:
            operations.update_record(self.ctx, **values)
        return self.meeting.uuid


def screenshot_dialog(ctx: AppContext, parent: QWidget) -> QWidget:
    """For ``desktop.screenshots``: the record form of the latest planned (else held, unlocked) meeting."""
    candidates = [m for m in meetings.list_meetings(ctx.db) if m.status == "planned"] or [
        m for m in meetings.list_meetings(ctx.db) if m.status == "held" and not m.locked
    ]
    if not candidates:
        from desktop.dialogs.meeting_plan import screenshot_dialog as plan_shot

        return plan_shot(ctx, parent)
    dialog = MeetingRecordDialog(
        ctx, meeting_uuid=candidates[0].uuid, today=candidates[0].held_on, parent=parent
    )
    view = dialog.attendance.view
    view.go_to_row(2)
    view.attendance_model().set_state(2, "leave")
    view.attendance_model().setData(view.model().index(2, 5), "下井当班")
    return dialog
