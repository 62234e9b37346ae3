"""Grades of a 民主评议党员 meeting: one grade per full member (优秀 / 合格 / 基本合格 / 不合格).

Probationary members take part but are not graded (listed without a choice). 优秀 may be at most one third of those
graded: the count is shown as the user chooses and Save stays disabled above it.
"""

from __future__ import annotations

from db import meetings
from db.errors import Problem
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
        for a in meetings.list_attendance(ctx.db, meeting_uuid=meeting_uuid):
            if not a.member_uuid or a.state == "observer":
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
        limit = len(grades) // 3
        self.summary.setText(
            self.tr("参评正式党员 {0} 人，评为优秀 {1} 人（最多 {2} 人）").format(
                len(grades), excellent, limit
            )
        )
        if not grades:
            return [Problem("grades", self.tr("没有需要评定等次的正式党员"))]
        if excellent > limit:
            return [Problem("grades", self.tr("优秀人数超过参评正式党员的三分之一"))]
        return []

    def write(self) -> str:
        meetings_ops.set_grades(self.ctx, meeting_uuid=self.meeting.uuid, grades=self.grades())
        return self.meeting.uuid
