"""The dialogs of the 民主评议党员 page: a 组织处置 of a member graded 不合格 (限期改正 with its deadline; 劝退 and the two
除名 with the 支部党员大会 that decided and the upper 党组织's approval), and the feedback talk to a member (who, when,
optionally a 谈心谈话)."""

from __future__ import annotations

from datetime import date

from db import appraisal, meetings
from db.errors import Problem
from db.rules import add_years
from desktop.context import AppContext
from desktop.dialogs.form import FormBase, to_date
from desktop.dialogs.meeting_form import error_label
from desktop.dialogs.transfer_form import date_edit
from desktop.operations import appraisal as appraisal_ops
from desktop.qt import *


class ActionDialog(FormBase):
    error_separator = "；"

    def __init__(
        self, ctx: AppContext, *, round_uuid: str, today: date | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, parent, today=today)
        self.round_uuid = round_uuid
        self.setWindowTitle(self.tr("登记组织处置"))
        self.member = QComboBox(self)
        for p in appraisal.participants(ctx.db, round_uuid=round_uuid, today=self.today):
            if p.grade == "unqualified":
                self.member.addItem(p.name, p.member_uuid)
        self.kind = QComboBox(self)
        for key, label in appraisal.ACTION_KINDS.items():
            self.kind.addItem(label, key)
        self.decided_on = date_edit(self.today, parent=self)
        self.deadline = date_edit(add_years(self.today, 1), parent=self)
        self.meeting = QComboBox(self)
        self.meeting.addItem(self.tr("（不选）"), None)
        for m in meetings.list_meetings(ctx.db, kind="branch_assembly", status="held"):
            self.meeting.addItem(f"{m.held_on.isoformat()} {m.title}", m.uuid)
        self.approval = QLineEdit(self)
        self.approval.setPlaceholderText(self.tr("批准的上级党组织及文号，如：XX党委 X发〔2026〕3号"))
        self.reason = QLineEdit(self)
        self.error = error_label(self)
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("党员（评定为不合格）"), self.member)
        form.addRow(self.tr("处置方式"), self.kind)
        form.addRow(self.tr("处置日期（劝退、除名填上级批准日期）"), self.decided_on)
        form.addRow(self.tr("改正期限（限期改正）"), self.deadline)
        form.addRow(self.tr("支部党员大会"), self.meeting)
        form.addRow(self.tr("上级批准（劝退、除名）"), self.approval)
        form.addRow(self.tr("理由或依据"), self.reason)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.add_buttons())
        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self._kind_changed()
        self.watch(
            self.member, self.kind, self.decided_on, self.deadline, self.meeting, self.approval, self.reason
        )
        self.finish()

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        self.deadline.setEnabled(kind == "rectify")
        self.approval.setEnabled(kind in appraisal.ACTIONS_NEEDING_ASSEMBLY)

    def problems(self) -> list[Problem]:
        problems = []
        if self.member.currentData() is None:
            problems.append(Problem("member", self.tr("本次评议没有评定为不合格的党员")))
        if not self.reason.text().strip():
            problems.append(Problem("reason", self.tr("请填写处置的理由或依据")))
        kind = self.kind.currentData()
        if kind in appraisal.ACTIONS_NEEDING_ASSEMBLY and self.meeting.currentData() is None:
            problems.append(
                Problem("meeting", self.tr("该处置须经支部党员大会讨论决定（党章第九条），请选择该次会议"))
            )
        if kind in appraisal.ACTIONS_NEEDING_ASSEMBLY and not self.approval.text().strip():
            problems.append(
                Problem(
                    "approval",
                    self.tr("该处置须报上级党组织批准（党章第九条）：批准后再登记，填写批准的党组织及文号"),
                )
            )
        return problems

    def write(self) -> appraisal.Action:
        kind = self.kind.currentData()
        return appraisal_ops.record_action(
            self.ctx,
            round_uuid=self.round_uuid,
            member_uuid=self.member.currentData(),
            kind=kind,
            decided_on=to_date(self.decided_on.date()),
            deadline=to_date(self.deadline.date()) if kind == "rectify" else None,
            meeting_uuid=self.meeting.currentData(),
            approval=self.approval.text() if kind in appraisal.ACTIONS_NEEDING_ASSEMBLY else "",
            reason=self.reason.text(),
            today=self.today,
        )


class FeedbackDialog(FormBase):
    error_separator = "；"

    def __init__(
        self,
        ctx: AppContext,
        *,
        round_uuid: str,
        member_uuid: str | None = None,
        today: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, parent, today=today)
        self.round_uuid = round_uuid
        self.setWindowTitle(self.tr("登记反馈谈话"))
        self.member = QComboBox(self)
        for p in appraisal.participants(ctx.db, round_uuid=round_uuid, today=self.today):
            if p.group in ("graded", "ungraded"):
                self.member.addItem(p.name + (f"（{p.grade_text}）" if p.grade_text else ""), p.member_uuid)
        if member_uuid is not None:
            self.member.setCurrentIndex(max(0, self.member.findData(member_uuid)))
        self.on = date_edit(self.today, parent=self)
        self.by = QLineEdit(self)
        self.talk = QComboBox(self)
        self._fill_talks()
        self.error = error_label(self)
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("党员"), self.member)
        form.addRow(self.tr("反馈日期"), self.on)
        form.addRow(self.tr("谈话人"), self.by)
        form.addRow(self.tr("对应的谈心谈话"), self.talk)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.add_buttons())
        self.member.currentIndexChanged.connect(lambda _i: self._fill_talks())
        self.watch(self.member, self.on, self.by, self.talk)
        self.finish()

    def _fill_talks(self) -> None:
        self.talk.clear()
        self.talk.addItem(self.tr("（不关联）"), None)
        member = self.member.currentData()
        for t in meetings.list_heart_talks(self.ctx.db):
            if member in t.participant_uuids:
                self.talk.addItem(
                    f"{t.held_on.isoformat()} {'、'.join(t.participant_names)}：{t.topic}", t.uuid
                )

    def problems(self) -> list[Problem]:
        problems = []
        if not self.by.text().strip():
            problems.append(Problem("by", self.tr("请填写谈话人")))
        if to_date(self.on.date()) > self.today:
            problems.append(Problem("on", self.tr("反馈日期不能晚于今天")))
        return problems

    def write(self) -> appraisal.Participant:
        return appraisal_ops.record_feedback(
            self.ctx,
            round_uuid=self.round_uuid,
            member_uuid=self.member.currentData(),
            on=to_date(self.on.date()),
            by=self.by.text(),
            heart_talk_uuid=self.talk.currentData(),
            today=self.today,
        )
