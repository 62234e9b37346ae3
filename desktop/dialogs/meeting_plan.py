"""Plan a meeting, or edit a planned/held one before its minutes are locked.

Kind, party group (group meetings), date and time, place, topic, host, recorder, lecturer (party lectures), 学时, election
flag and invited non-member observers. Validated as the user types (``db.meetings.validate_meeting``), the reason
shown beside the field, Save disabled while invalid; Ctrl+S saves, Esc closes. The dialog is shown with ``open()``;
``saved(uuid)`` is emitted after a successful save.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from db import branch, meetings, members, training
from db.errors import Problem
from db.meetings.records import KINDS, YEARLY_REVIEW_KINDS, default_review_year
from desktop.context import AppContext
from desktop.dialogs.form import FormBase
from desktop.dialogs.meeting_form import error_label, with_error
from desktop.operations import meetings as meetings_ops
from desktop.qt import *


class MeetingPlanDialog(FormBase):
    """``saved`` carries the meeting's uuid."""

    error_separator = "；"

    def __init__(
        self,
        ctx: AppContext,
        *,
        meeting_uuid: str | None = None,
        kind: str = "branch_assembly",
        on: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, parent)
        self.meeting = meetings.get_meeting(ctx.db, uuid=meeting_uuid) if meeting_uuid else None
        self.setWindowTitle(self.tr("编辑会议") if self.meeting else self.tr("新建会议"))
        self.setMinimumWidth(520)

        self.kind = QComboBox(self)
        for key, name in KINDS.items():
            self.kind.addItem(self.tr(name), key)
        self.group = QComboBox(self)
        self.group.addItem(self.tr("（不适用）"), None)
        for g in branch.list_party_groups(ctx.db):
            self.group.addItem(g.name, g.uuid)
        self.date = QDateEdit(self)
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.time = QTimeEdit(self)
        self.time.setDisplayFormat("HH:mm")
        self.place = QLineEdit(self)
        self.topic = QLineEdit(self)
        self.topic.setPlaceholderText(self.tr("如：学习传达上级党委会议精神"))
        people = members.list_members(ctx.db)
        self.host = QComboBox(self)
        self.recorder = QComboBox(self)
        for combo in (self.host, self.recorder):
            combo.addItem(self.tr("（未指定）"), None)
            for m in people:
                combo.addItem(m.name, m.uuid)
        self.lecturer = QLineEdit(self)
        # The 年度 a 组织生活会 / 民主评议党员 reviews: by default last year when held in January–March (issue 14).
        self.review_year = QSpinBox(self)
        self.review_year.setObjectName("review_year")
        self.review_year.setRange(1921, 2200)
        self.review_year.setSuffix(self.tr(" 年度"))
        self._review_year_edited = False
        # 学时 its attendance credits (db.training): the kind's default (a branch setting) until set by hand.
        self.study_hours = QDoubleSpinBox(self)
        self.study_hours.setObjectName("study_hours")
        self.study_hours.setRange(0, 24)
        self.study_hours.setDecimals(1)
        self.study_hours.setSingleStep(0.5)
        self.study_hours.setSuffix(self.tr(" 学时"))
        self.study_hours.setToolTip(
            self.tr("出席本次会议的党员计入的学时；0 表示不计学时。党课、主题党日默认按支部设置的折算标准")
        )
        self._hours_edited = False
        self.election = QCheckBox(self.tr("本次会议进行选举（须超过应到会正式党员的五分之四到会）"), self)
        self.observers = QLineEdit(self)
        self.observers.setPlaceholderText(self.tr("非党员列席人员，用顿号或逗号分隔"))

        self.errors = {
            k: error_label(self)
            for k in (
                "kind",
                "party_group",
                "planned_on",
                "topic",
                "planned_time",
                "review_year",
                "study_hours",
            )
        }
        form = QFormLayout()
        form.addRow(self.tr("会议类型"), with_error(self.kind, self.errors["kind"]))
        form.addRow(self.tr("党小组"), with_error(self.group, self.errors["party_group"]))
        form.addRow(self.tr("日期"), with_error(self.date, self.errors["planned_on"]))
        form.addRow(self.tr("时间"), with_error(self.time, self.errors["planned_time"]))
        form.addRow(self.tr("地点"), self.place)
        form.addRow(self.tr("议题"), with_error(self.topic, self.errors["topic"]))
        form.addRow(self.tr("主持人"), self.host)
        form.addRow(self.tr("记录人"), self.recorder)
        form.addRow(self.tr("授课人"), self.lecturer)
        self._review_row = with_error(self.review_year, self.errors["review_year"])
        form.addRow(self.tr("评议年度"), self._review_row)
        form.addRow(self.tr("计入学时"), with_error(self.study_hours, self.errors["study_hours"]))
        self.form = form
        form.addRow("", self.election)
        if self.meeting is None:
            form.addRow(self.tr("列席人员"), self.observers)
        self.general_error = error_label(self)
        self.general_error.setWordWrap(True)
        self.buttons = self.add_buttons()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

        self._load(kind, on)
        self.date.dateChanged.connect(self._default_review_year)
        self.kind.currentIndexChanged.connect(self._default_review_year)
        self.review_year.valueChanged.connect(self._review_year_changed)
        self.kind.currentIndexChanged.connect(self._default_hours)
        self.study_hours.valueChanged.connect(self._hours_changed)
        self.error = self.general_error
        self.reasons = dict(self.errors)
        self.watch(
            self.kind,
            self.group,
            self.date,
            self.time,
            self.place,
            self.topic,
            self.host,
            self.recorder,
            self.lecturer,
            self.election,
            self.review_year,
            self.study_hours,
            self.observers,
        )
        self.finish()

    def _load(self, kind: str, on: date | None) -> None:
        committee = branch.list_committee(self.ctx.db)
        m = self.meeting
        if m is None:
            self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
            d = on or date.today()
            self.date.setDate(QDate(d.year, d.month, d.day))
            self.time.setTime(QTime(14, 30))
            if committee:
                self.host.setCurrentIndex(max(0, self.host.findData(committee[0].member_uuid)))
            if len(committee) > 1:
                self.recorder.setCurrentIndex(max(0, self.recorder.findData(committee[1].member_uuid)))
            self._default_review_year()
            self._default_hours()
            return
        self.kind.setCurrentIndex(self.kind.findData(m.kind))
        self.kind.setEnabled(False)  # the sequence number belongs to the kind
        self.group.setCurrentIndex(max(0, self.group.findData(m.party_group_uuid)))
        self.group.setEnabled(False)
        self.date.setDate(QDate(m.planned_on.year, m.planned_on.month, m.planned_on.day))
        if m.planned_time:
            self.time.setTime(QTime.fromString(m.planned_time, "HH:mm"))
        self.place.setText(m.place)
        self.topic.setText(m.topic)
        self.host.setCurrentIndex(max(0, self.host.findData(m.host_uuid)))
        self.recorder.setCurrentIndex(max(0, self.recorder.findData(m.recorder_uuid)))
        self.lecturer.setText(m.lecturer)
        self.election.setChecked(m.is_election)
        if m.reviewed_year is not None:
            self.review_year.setValue(m.reviewed_year)
            self._review_year_edited = True  # the stored 年度 stays unless the secretary changes it
        self._default_hours()
        if m.study_hours is not None:
            self.study_hours.setValue(m.study_hours)
            self._hours_edited = True

    def _hours_changed(self) -> None:
        if not getattr(self, "_setting_hours", False):
            self._hours_edited = True

    def _default_hours(self) -> None:
        """The kind's default 学时 (``db.training.meeting_hours``) until the secretary sets the meeting's own."""
        if self._hours_edited:
            return
        self._setting_hours = True
        try:
            self.study_hours.setValue(training.meeting_hours(self.ctx.db, self.kind.currentData()))
        finally:
            self._setting_hours = False

    def hours_to_store(self) -> float | None:
        """The meeting's own 学时, or None while it is the kind's default (which then follows the setting)."""
        return self.study_hours.value() if self._hours_edited else None

    def _review_year_changed(self) -> None:
        if not getattr(self, "_setting_default", False):
            self._review_year_edited = True

    def _default_review_year(self) -> None:
        """Follow the date with the default 年度 until the secretary sets one."""
        if self._review_year_edited:
            return
        d = self.date.date()
        self._setting_default = True
        try:
            self.review_year.setValue(default_review_year(date(d.year(), d.month(), d.day())))
        finally:
            self._setting_default = False

    def reviews_a_year(self) -> bool:
        return self.kind.currentData() in YEARLY_REVIEW_KINDS

    def values(self) -> dict[str, Any]:
        d = self.date.date()
        return {
            "review_year": self.review_year.value() if self.reviews_a_year() else None,
            "planned_on": date(d.year(), d.month(), d.day()),
            "planned_time": self.time.time().toString("HH:mm"),
            "place": self.place.text(),
            "topic": self.topic.text(),
            "party_group": self.group.currentData(),
            "host": self.host.currentData(),
            "recorder": self.recorder.currentData(),
            "lecturer": self.lecturer.text(),
            "is_election": self.election.isChecked(),
            "study_hours": self.hours_to_store(),
        }

    def problems(self) -> list[Problem]:
        kind = self.kind.currentData()
        self.group.setEnabled(self.meeting is None and kind == "group_meeting")
        self.lecturer.setEnabled(kind == "party_lecture")
        self.election.setEnabled(kind == "branch_assembly")
        self.form.setRowVisible(self._review_row, self.reviews_a_year())
        return meetings.validate_meeting(self.ctx.db, kind=kind, values=self.values())

    def write(self) -> str:
        """Plans or changes the meeting; ``saved`` carries its uuid."""
        v = self.values()
        kind = self.kind.currentData()
        if self.meeting is None:
            names = [
                n.strip() for n in self.observers.text().replace("，", "、").replace(",", "、").split("、")
            ]
            m = meetings_ops.plan_meeting(
                self.ctx,
                kind=kind,
                planned_on=v["planned_on"],
                planned_time=v["planned_time"],
                topic=v["topic"],
                place=v["place"],
                host_uuid=v["host"],
                recorder_uuid=v["recorder"],
                lecturer=v["lecturer"] if kind == "party_lecture" else "",
                party_group_uuid=v["party_group"] if kind == "group_meeting" else None,
                is_election=v["is_election"] and kind == "branch_assembly",
                observers=[n for n in names if n],
                review_year=v["review_year"],
                study_hours=v["study_hours"],
            )
        else:
            changes = {
                k: v[k]
                for k in (
                    "planned_on",
                    "planned_time",
                    "place",
                    "topic",
                    "host",
                    "recorder",
                    "lecturer",
                    "is_election",
                )
            }
            if self.reviews_a_year() and v["review_year"] != self.meeting.review_year:
                changes["review_year"] = v["review_year"]
            if v["study_hours"] != self.meeting.study_hours:
                changes["study_hours"] = v["study_hours"]
            m = meetings_ops.update_meeting(self.ctx, uuid=self.meeting.uuid, changes=changes)
        return m.uuid


def screenshot_dialog(ctx: AppContext, parent: QWidget) -> QWidget:
    """For ``desktop.screenshots``: the planning form of a new branch assembly."""
    dialog = MeetingPlanDialog(ctx, kind="branch_assembly", parent=parent)
    dialog.topic.setText("学习传达上级党委会议精神")
    dialog.place.setText("矿党员活动室")
    return dialog
