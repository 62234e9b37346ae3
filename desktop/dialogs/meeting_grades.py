"""Grades of a 民主评议党员 meeting: one grade per full member (优秀 / 合格 / 基本合格 / 不合格).

Probationary members take part but are not graded (listed without a choice), nor members lost (失联) on the day.
优秀 “一般不超过” one third of the full members graded in the 年度 (this meeting and the year's others): the count is
shown as the user chooses and a warning appears above it; Save stays enabled.
"""

from __future__ import annotations

from db import meetings
from db import members as members_db
from db.errors import Problem
from db.meetings.records import lost_on
from desktop.context import AppContext
from desktop.dialogs.meeting_form import MeetingForm, error_label
from desktop.operations import meetings as meetings_ops
from desktop.qt import *


class MeetingGradesDialog(MeetingForm):
    """The grade of each member in a democratic appraisal (评议等次)."""

    def __init__(self, ctx: AppContext, *, meeting_uuid: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, meeting_uuid=meeting_uuid, parent=parent)
        self.setWindowTitle(
            self.tr("评议等次 — {0}（{1}）").format(self.meeting.title, self.meeting.number_text)
        )
        self.resize(420, 600)
        current = {g.member_uuid: g.grade for g in meetings.list_grades(ctx.db, meeting_uuid=meeting_uuid)}
        self.combos: dict[str, QComboBox] = {}
        form_widget = QWidget(self)
        form = QFormLayout(form_widget)
        lost = {
            m.uuid for m in members_db.list_members(ctx.db, status=None) if lost_on(m, self.meeting.held_on)
        }
        for a in meetings.list_attendance(ctx.db, meeting_uuid=meeting_uuid):
            if not a.member_uuid or a.state == "observer":
                continue
            if a.member_uuid in lost:
                form.addRow(a.name, QLabel(self.tr("失联党员：不评定等次"), form_widget))
                continue
            if a.category != "full":
                form.addRow(a.name, QLabel(self.tr("预备党员：参加评议，不评定等次"), form_widget))
                continue
            combo = QComboBox(form_widget)
            for key, label in meetings.GRADES.items():
                combo.addItem(self.tr(label), key)
            combo.setCurrentIndex(max(0, combo.findData(current.get(a.member_uuid, "qualified"))))
            self.combos[a.member_uuid] = combo
            form.addRow(a.name, combo)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(form_widget)
        self.summary = QLabel(self)
        self.error = error_label(self)
        self.buttons = self.add_buttons()
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.watch(*self.combos.values())
        self.finish()

    def grades(self) -> dict[str, str]:
        return {u: c.currentData() for u, c in self.combos.items()}

    def problems(self) -> list[Problem]:
        grades = self.grades()
        excellent = sum(1 for g in grades.values() if g == "excellent")
        year = self.meeting.reviewed_year or self.meeting.held_on.year
        in_year = {**meetings.year_grades(self.ctx.db, year=year, except_meeting=self.meeting.uuid), **grades}
        self.summary.setText(
            self.tr(
                "本次参评正式党员 {0} 人，评为优秀 {1} 人；{2}年度合计参评 {3} 人，优秀 {4} 人（一般不超过 {5} 人）"
            ).format(
                len(grades),
                excellent,
                year,
                len(in_year),
                sum(1 for g in in_year.values() if g == "excellent"),
                len(in_year) // 3,
            )
        )
        if not grades:
            return [Problem("grades", self.tr("没有需要评定等次的正式党员"))]
        warning = meetings.excellent_cap_warning(in_year, year)
        return [warning] if warning is not None else []

    def write(self) -> str:
        meetings_ops.set_grades(self.ctx, meeting_uuid=self.meeting.uuid, grades=self.grades())
        return self.meeting.uuid
