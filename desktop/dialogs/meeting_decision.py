"""Add a decision (表决事项 + 决议) with its votes to a held meeting.

Shows the quorum of the meeting (more than half of the full members entitled to vote at a branch assembly, more
than 4/5 for an election, more than half of the committee at a committee meeting) and flags a decision taken
without it. The vote total may not exceed the voters present; Save stays disabled while it does.
"""

from __future__ import annotations

from db import meetings
from db.errors import Problem
from desktop.context import AppContext
from desktop.dialogs.meeting_form import MeetingForm, error_label
from desktop.operations import meetings as meetings_ops
from desktop.qt import *


class MeetingDecisionDialog(MeetingForm):
    """One decision of the meeting (表决事项): subject, the vote, resolution, election; the quorum shown above."""

    def __init__(self, ctx: AppContext, *, meeting_uuid: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, meeting_uuid=meeting_uuid, parent=parent)
        self.setWindowTitle(self.tr("表决事项 — {0}").format(self.meeting.title))
        full_only = self.meeting.kind == "branch_assembly"
        # the present who have a vote, as the data layer counts them (no 预备党员, nobody under 留党察看)
        self.voters = meetings.voters_present(ctx.db, self.meeting)
        self.subject = QLineEdit(self)
        self.voted = QCheckBox(self.tr("进行了表决"), self)
        self.voted.setChecked(True)
        self.votes = [QSpinBox(self) for _ in range(3)]
        for spin in self.votes:
            spin.setRange(0, 9999)
        self.votes[0].setValue(self.voters)
        self.resolution = QLineEdit(self)
        self.election = QCheckBox(self.tr("选举事项（须超过五分之四到会）"), self)
        self.election.setChecked(self.meeting.is_election)
        self.election.setEnabled(full_only)
        self.quorum_label = QLabel(self)
        self.quorum_label.setWordWrap(True)
        self.vote_error = error_label(self)
        self.subject_error = error_label(self)
        form = QFormLayout()
        form.addRow(self.tr("表决事项"), self.subject)
        form.addRow("", self.subject_error)
        form.addRow("", self.voted)
        for label, spin in zip((self.tr("赞成"), self.tr("反对"), self.tr("弃权")), self.votes):
            form.addRow(label, spin)
        form.addRow("", self.vote_error)
        form.addRow(self.tr("决议"), self.resolution)
        form.addRow("", self.election)
        self.general_error = error_label(self)
        self.buttons = self.add_buttons()
        layout = QVBoxLayout(self)
        layout.addWidget(self.quorum_label)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.error = self.general_error
        self.reasons = {"subject": self.subject_error, "votes": self.vote_error}
        self.watch(self.subject, self.voted, *self.votes, self.resolution, self.election)
        self.finish()

    def check(self) -> bool:
        self._show_quorum()
        return super().check()

    def _show_quorum(self) -> None:
        q = meetings.quorum(
            self.ctx.db, meeting_uuid=self.meeting.uuid, election=self.election.isChecked() or None
        )
        if q.applies:
            verdict = self.tr("符合") if q.met else self.tr("不符合——此时作出的决定将被标注“未达法定人数”")
            self.quorum_label.setText(
                self.tr("{0}：应到 {1} 人，到会 {2} 人，至少需 {3} 人，{4}").format(
                    q.rule, q.entitled, q.present, q.needed, verdict
                )
            )
            self.quorum_label.setStyleSheet("" if q.met else "color: #b00020")
        else:
            self.quorum_label.setText(
                self.tr("此类会议无法定人数要求；到会可表决 {0} 人").format(self.voters)
            )
        for spin in self.votes:
            spin.setEnabled(self.voted.isChecked())

    def problems(self) -> list[Problem]:
        problems = []
        total = sum(s.value() for s in self.votes)
        if self.voted.isChecked() and total > self.voters:
            problems.append(
                Problem("votes", self.tr("合计 {0} 票，超过到会可表决人数 {1} 人").format(total, self.voters))
            )
        if not self.subject.text().strip():
            problems.append(Problem("subject", self.tr("请填写表决事项")))
        return problems

    def write(self) -> str:
        votes = [s.value() for s in self.votes] if self.voted.isChecked() else [None, None, None]
        meetings_ops.add_decision(
            self.ctx,
            meeting_uuid=self.meeting.uuid,
            subject=self.subject.text(),
            resolution=self.resolution.text(),
            votes_for=votes[0],
            votes_against=votes[1],
            votes_abstain=votes[2],
            is_election=self.election.isChecked(),
        )
        return self.meeting.uuid
