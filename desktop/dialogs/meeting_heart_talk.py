"""Record a heart-to-heart talk (谈心谈话): date, two or more participants, topic, summary."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from db import branch, members
from db.errors import Problem
from desktop.context import AppContext
from desktop.dialogs.form import FormBase, to_qdate
from desktop.dialogs.meeting_form import error_label
from desktop.operations import meetings as meetings_ops
from desktop.qt import *


class HeartTalkDialog(FormBase):
    error_separator = "；"  # all reasons in the one line under the form

    def __init__(
        self,
        ctx: AppContext,
        *,
        today: date | None = None,
        participants: Sequence[str] = (),
        on: date | None = None,
        topic: str = "",
        parent: QWidget | None = None,
    ) -> None:
        """``participants`` (member uuids) start ticked, ``on`` and ``topic`` filled: a missing pair of a
        组织生活会's preparation opens the form ready for that pair."""
        super().__init__(ctx, parent, today=today)
        self.setWindowTitle(self.tr("登记谈心谈话"))
        self.resize(480, 560)
        self.on = QDateEdit(to_qdate(on or self.today), self)
        self.on.setCalendarPopup(True)
        self.on.setDisplayFormat("yyyy-MM-dd")
        self.people = QListWidget(self)
        committee = {c.member_uuid: c.role for c in branch.list_committee(ctx.db)}
        for m in members.list_members(ctx.db):
            label = m.name + ("（支委）" if m.uuid in committee else "")
            item = QListWidgetItem(label, self.people)
            item.setData(Qt.ItemDataRole.UserRole, m.uuid)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            ticked = m.uuid in participants
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
        self.topic = QLineEdit(topic, self)
        self.place = QLineEdit(self)
        self.summary = QPlainTextEdit(self)
        self.summary.setTabChangesFocus(True)
        self.error = error_label(self)
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("日期"), self.on)
        form.addRow(self.tr("参与人（勾选两人以上）"), self.people)
        form.addRow(self.tr("谈话主题"), self.topic)
        form.addRow(self.tr("地点"), self.place)
        form.addRow(self.tr("谈话要点"), self.summary)
        self.buttons = self.add_buttons()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.watch(self.on, self.people, self.topic, self.place, self.summary)
        self.finish()

    def chosen(self) -> list[str]:
        return [
            self.people.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.people.count())
            if self.people.item(i).checkState() == Qt.CheckState.Checked
        ]

    def _date(self) -> date:
        d = self.on.date()
        return date(d.year(), d.month(), d.day())

    def problems(self) -> list[Problem]:
        problems = []
        if len(self.chosen()) < 2:
            problems.append(Problem("participants", self.tr("请至少勾选两名参与人")))
        if not self.topic.text().strip():
            problems.append(Problem("topic", self.tr("请填写谈话主题")))
        if self._date() > self.today:
            problems.append(Problem("held_on", self.tr("谈话日期不能晚于今天")))
        return problems

    def write(self) -> str:
        """Saves the talk; ``saved`` carries its uuid."""
        talk = meetings_ops.record_heart_talk(
            self.ctx,
            held_on=self._date(),
            participant_uuids=self.chosen(),
            topic=self.topic.text(),
            summary=self.summary.toPlainText(),
            place=self.place.text(),
            today=self.today,
        )
        return talk.uuid
