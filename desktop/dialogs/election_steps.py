"""The forms of the election's steps (换届选举), one per step, each on ``FormDialog`` (a reason beside each field;
warnings shown, errors block Save): the 请示, the reply, the candidates, a round's count, the officers, the report
sent, the approval, and giving the election up. The rules are ``db.elections``'s; a refusal from it is shown beside
its field."""

from __future__ import annotations

from datetime import date

from db import elections
from db.branch import get_branch
from db.elections.counting import count_problems
from db.errors import Problem
from db.records import COMMITTEE_ROLES
from desktop.context import AppContext
from desktop.dialogs.form import to_date
from desktop.dialogs.transfer_form import FormDialog, date_edit
from desktop.operations import elections as ops
from desktop.qt import *

ROLE_ORDER = list(COMMITTEE_ROLES)
WRITE_IN_ROWS = 3


def _spin(value: int = 0, maximum: int = 9999) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(0, maximum)
    spin.setValue(value)
    return spin


def _method_combo(selected: str) -> QComboBox:
    combo = QComboBox()
    for key, label in elections.METHODS.items():
        combo.addItem(label, key)
    combo.setCurrentIndex(combo.findData(selected))
    return combo


class RequestDialog(FormDialog):
    """The 请示 to the upper 党委: day, proposed committee size and method, a note."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(ctx, self.tr("向上级党委请示换届"), parent, today=today)
        self.intro(self.tr("请示打印后报上级党委；批复到后在“登记上级批复”中登记委员名额和选举方式。"))
        self.request_on = self.add_field("request_on", self.tr("请示日期 *"), date_edit(self.today))
        self.size_spin = self.add_field("proposed_size", self.tr("拟设委员名额 *"), _spin(5, 15))
        self.method = self.add_field("proposed_method", self.tr("选举方式 *"), _method_combo("competitive"))
        self.note = self.add_field("note", self.tr("其他事项"), QLineEdit())
        self.finish()

    def problems(self) -> list[Problem]:
        out = []
        if self.size_spin.value() < 1:
            out.append(Problem("proposed_size", self.tr("请填写拟设委员名额")))
        elif not 3 <= self.size_spin.value() <= 7:
            out.append(
                Problem("proposed_size", self.tr("支部委员会一般由3至5人组成，不超过7人"), warning=True)
            )
        return out

    def write(self) -> elections.Election:
        return ops.start_election(
            self.ctx, **self.field_values("request_on", "proposed_size", "proposed_method", "note")
        )


class ElectionStepDialog(FormDialog):
    """A step of the election under way: ``title()`` (and ``save_text()``) name the window and its Save button,
    ``build()`` adds the rows; the form is then finished. ``today`` is for tests."""

    def __init__(
        self,
        ctx: AppContext,
        election: elections.Election,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(ctx, self.title(), parent, save_text=self.save_text(), today=today)
        self.election = election
        self.build(ctx, election)
        self.finish()

    def title(self) -> str:
        raise NotImplementedError

    def save_text(self) -> str:
        """The Save button's text; empty for the plain 保存."""
        return ""

    def build(self, ctx: AppContext, election: elections.Election) -> None:
        """Add the form's rows."""
        raise NotImplementedError


class ReplyDialog(ElectionStepDialog):
    """The upper 党委's reply: day, who, document, approved size and method."""

    def title(self) -> str:
        return self.tr("登记上级批复")

    def build(self, ctx: AppContext, election: elections.Election) -> None:
        profile = get_branch(ctx.db)
        self.reply_on = self.add_field("reply_on", self.tr("批复日期 *"), date_edit(self.today))
        self.reply_by = self.add_field(
            "reply_by", self.tr("批复机关 *"), QLineEdit(profile.parent_org if profile else "")
        )
        self.document = self.add_field("document", self.tr("批复文号"), QLineEdit())
        self.size_spin = self.add_field(
            "approved_size", self.tr("批准委员名额 *"), _spin(election.proposed_size, 15)
        )
        self.method = self.add_field("method", self.tr("选举方式 *"), _method_combo(election.proposed_method))

    def problems(self) -> list[Problem]:
        out = []
        if not self.reply_by.text().strip():
            out.append(Problem("reply_by", self.tr("请填写批复的上级党组织")))
        if to_date(self.reply_on.date()) < self.election.request_on:
            out.append(Problem("reply_on", self.tr("批复日期不能早于请示日期")))
        if self.size_spin.value() < 1:
            out.append(Problem("approved_size", self.tr("请填写批准的委员名额")))
        return out

    def write(self) -> elections.Election:
        values = self.field_values("reply_on", "reply_by", "document", "approved_size", "method")
        return ops.record_reply(self.ctx, election_uuid=self.election.uuid, **values)


class CandidatesDialog(ElectionStepDialog):
    """The 预备人选: the day of the vote and a tick per member with 被选举权 that day (姓氏笔画 order); the 差额 rule
    as a warning."""

    def title(self) -> str:
        return self.tr("确定候选人预备人选")

    def build(self, ctx: AppContext, election: elections.Election) -> None:
        self.intro(
            self.tr(
                "只列出选举日有被选举权的正式党员（预备党员、受留党察看处分期间的党员没有被选举权）。应选 {0} 名，{1}。"
            ).format(election.seats, election.method_name)
        )
        self.on = self.add_field("on", self.tr("选举日期 *"), date_edit(election.held_on or self.today))
        self.people = self.add_field("candidates", self.tr("候选人 *"), QListWidget())
        self.people.setMinimumHeight(260)
        self._chosen = {c.member_uuid for c in election.candidates}
        self.on.dateChanged.connect(self._fill)
        self._fill()

    def _fill(self) -> None:
        chosen = self.chosen() if self.people.count() else self._chosen
        self.people.clear()
        for m in elections.eligible_members(self.ctx.db, on=to_date(self.on.date())):
            item = QListWidgetItem(m.name)
            item.setData(Qt.ItemDataRole.UserRole, m.uuid)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if m.uuid in chosen else Qt.CheckState.Unchecked)
            self.people.addItem(item)

    def chosen(self) -> list[str]:
        return [
            self.people.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.people.count())
            if self.people.item(i).checkState() == Qt.CheckState.Checked
        ]

    def problems(self) -> list[Problem]:
        n = len(self.chosen())
        if n == 0:
            return [Problem("candidates", self.tr("请勾选候选人预备人选"))]
        method = self.election.method or self.election.proposed_method
        warnings = elections.count_warnings(n, seats=self.election.seats, method=method)
        return [Problem("candidates", w, warning=True) for w in warnings]

    def write(self) -> elections.Election:
        return ops.set_candidates(
            self.ctx, election_uuid=self.election.uuid, member_uuids=self.chosen(), on=to_date(self.on.date())
        )


class CountDialog(ElectionStepDialog):
    """A round's count: 实到, ballots issued, returned, valid and invalid, the votes of each candidate, names
    written in (另选他人); the outcome shown as you type."""

    def title(self) -> str:
        return self.tr("登记计票结果")

    def build(self, ctx: AppContext, election: elections.Election) -> None:
        plan = elections.next_round(election)
        assert plan is not None  # the page offers this step only with a round to hold
        self.plan = plan
        self.intro(
            self.tr("第 {0} 轮，应选 {1} 名。").format(plan.seq, plan.seats)
            + (plan.reason and f"{plan.reason}。")
        )
        day = election.rounds[-1].held_on if election.rounds else self.today
        self.held_on = self.add_field("held_on", self.tr("投票日期 *"), date_edit(day))
        entitled = elections.entitled_count(ctx.db, on=day)
        self.entitled = QLabel()
        self.entitled.setObjectName("entitled")
        self.form.addRow(self.tr("应到会有选举权"), self.entitled)
        self.present = self.add_field("present", self.tr("实到会有选举权 *"), _spin(entitled))
        self.issued = self.add_field("issued", self.tr("发出选票 *"), _spin(entitled))
        self.returned = self.add_field("returned", self.tr("收回选票 *"), _spin(entitled))
        self.valid = self.add_field("valid", self.tr("有效票 *"), _spin(entitled))
        self.invalid = self.add_field("invalid", self.tr("无效票"), _spin(0))
        self.votes: dict[str, QSpinBox] = {}
        for c in election.candidates:
            if c.uuid in plan.candidates:
                self.votes[c.member_uuid] = self.add_field(
                    f"votes_{c.member_uuid}", self.tr("{0} 得票").format(c.name), _spin()
                )
        self.write_ins: list[tuple[QLineEdit, QSpinBox]] = []
        for i in range(WRITE_IN_ROWS):
            name = QLineEdit()
            name.setPlaceholderText(self.tr("另选他人姓名"))
            spin = _spin()
            row = QWidget()
            box = QHBoxLayout(row)
            box.setContentsMargins(0, 0, 0, 0)
            box.addWidget(name, 3)
            box.addWidget(spin, 1)
            self.form.addRow(self.tr("另选他人 {0}").format(i + 1), row)
            self.watch(name, spin)
            self.write_ins.append((name, spin))
        self.outcome = QLabel()
        self.outcome.setObjectName("outcome")
        self.outcome.setWordWrap(True)
        self._layout.insertWidget(self._layout.count() - 2, self.outcome)
        self.held_on.dateChanged.connect(self.check)

    def _entitled(self) -> int:
        return elections.entitled_count(self.ctx.db, on=to_date(self.held_on.date()))

    def _votes(self) -> dict[str, int]:
        return {u: s.value() for u, s in self.votes.items()}

    def _write_ins(self) -> list[tuple[str, int]]:
        return [(n.text().strip(), s.value()) for n, s in self.write_ins if n.text().strip() or s.value()]

    def problems(self) -> list[Problem]:
        entitled = self._entitled()
        if self.plan.tie_break:
            self.entitled.setText(
                self.tr("{0} 人（票数相等的被选举人再次投票，得票多的当选）").format(entitled)
            )
        else:
            self.entitled.setText(
                self.tr("{0} 人（当选须至少 {1} 票）").format(entitled, elections.threshold(entitled))
            )
        names = {c.member_uuid: c.name for c in self.election.candidates}
        problems = count_problems(
            seats=self.plan.seats,
            entitled=entitled,
            present=self.present.value(),
            issued=self.issued.value(),
            returned=self.returned.value(),
            valid=self.valid.value(),
            invalid=self.invalid.value(),
            votes=self._votes(),
            names=names,
            write_ins=self._write_ins(),
        )
        outcome = elections.decide(
            seats=self.plan.seats,
            entitled=entitled,
            present=self.present.value(),
            issued=self.issued.value(),
            returned=self.returned.value(),
            votes=self._votes(),
            tie_break=self.plan.tie_break,
        )
        if outcome.void:
            text = self.tr("选举无效：{0}").format(outcome.reason)
        else:
            text = self.tr("当选：{0}").format("、".join(names[u] for u in outcome.elected) or self.tr("无"))
            if outcome.tied:
                text += self.tr("；票数相等需再次投票：{0}").format("、".join(names[u] for u in outcome.tied))
            if outcome.short:
                text += self.tr("；还差 {0} 名，另行选举").format(outcome.short)
        self.outcome.setText(text)
        return problems

    def write(self) -> elections.Election:
        return ops.record_round(
            self.ctx,
            election_uuid=self.election.uuid,
            **self.field_values("held_on", "present", "issued", "returned", "valid", "invalid"),
            votes=self._votes(),
            write_ins=self._write_ins(),
        )


class OfficersDialog(ElectionStepDialog):
    """The new committee's first meeting: 书记, 副书记 and each member's role (分工)."""

    def title(self) -> str:
        return self.tr("选举书记、副书记并分工")

    def build(self, ctx: AppContext, election: elections.Election) -> None:
        self.intro(self.tr("由新一届支部委员会第一次全体会议选举书记、副书记，并对其他委员进行分工。"))
        day = election.rounds[-1].held_on if election.rounds else self.today
        self.on = self.add_field("officers_on", self.tr("会议日期 *"), date_edit(election.officers_on or day))
        self.roles: dict[str, QComboBox] = {}
        for i, (c, votes) in enumerate(elections.elected(election)):
            combo = QComboBox()
            for key, label in COMMITTEE_ROLES.items():
                combo.addItem(label, key)
            combo.setCurrentIndex(combo.findData(c.role or ROLE_ORDER[min(i, len(ROLE_ORDER) - 1)]))
            self.roles[c.member_uuid] = self.add_field(
                f"role_{c.member_uuid}", f"{c.name}（{votes} 票）", combo
            )

    def problems(self) -> list[Problem]:
        chosen = [c.currentData() for c in self.roles.values()]
        out = []
        if chosen.count("secretary") != 1:
            out.append(Problem("roles", self.tr("应选举一名书记")))
        if len(set(chosen)) != len(chosen):
            out.append(Problem("roles", self.tr("每个职务只能由一人担任")))
        return out

    def write(self) -> elections.Election:
        return ops.elect_officers(
            self.ctx,
            election_uuid=self.election.uuid,
            on=to_date(self.on.date()),
            roles={u: c.currentData() for u, c in self.roles.items()},
        )


class ReportDialog(ElectionStepDialog):
    """The day the 选举结果报告 was sent to the upper 党委."""

    def title(self) -> str:
        return self.tr("登记报送选举结果")

    def build(self, ctx: AppContext, election: elections.Election) -> None:
        self.intro(self.tr("打印“选举结果报告”报上级党委审批，在此登记报送日期。"))
        self.on = self.add_field("report_on", self.tr("报送日期 *"), date_edit(self.today))

    def write(self) -> elections.Election:
        return ops.record_report(self.ctx, election_uuid=self.election.uuid, on=to_date(self.on.date()))


class ApprovalDialog(ElectionStepDialog):
    """The upper 党委's approval: on save the new committee and term are written to 支部设置."""

    def title(self) -> str:
        return self.tr("登记上级批准")

    def save_text(self) -> str:
        return self.tr("批准并更新支委")

    def build(self, ctx: AppContext, election: elections.Election) -> None:
        self.intro(
            self.tr(
                "保存后，新一届支部委员会和任期写入“支部设置”，上届支委的任职在新任期开始前一天结束（记录保留）。"
            )
        )
        profile = get_branch(ctx.db)
        start = election.rounds[-1].held_on if election.rounds else self.today
        self.approved_on = self.add_field("approved_on", self.tr("批准日期 *"), date_edit(self.today))
        self.approved_by = self.add_field(
            "approved_by",
            self.tr("批准机关 *"),
            QLineEdit(election.reply_by or (profile.parent_org if profile else "")),
        )
        self.document = self.add_field("document", self.tr("批复文号"), QLineEdit())
        self.term_start = self.add_field("term_start", self.tr("新任期开始 *"), date_edit(start))
        end = elections.default_term_end(ctx.db, election, start)
        self.term_end = self.add_field("term_end", self.tr("新任期届满 *"), date_edit(end))

    def problems(self) -> list[Problem]:
        out = []
        if not self.approved_by.text().strip():
            out.append(Problem("approved_by", self.tr("请填写批准的上级党组织")))
        if to_date(self.term_end.date()) <= to_date(self.term_start.date()):
            out.append(Problem("term_end", self.tr("任期届满日期必须晚于开始日期")))
        return out

    def write(self) -> elections.Election:
        values = self.field_values("approved_on", "approved_by", "document", "term_start", "term_end")
        return ops.approve_election(self.ctx, election_uuid=self.election.uuid, **values)


class ArchiveDialog(ElectionStepDialog):
    """Give up the election under way (作废), with the reason; the record is kept."""

    def title(self) -> str:
        return self.tr("作废本次换届选举")

    def save_text(self) -> str:
        return self.tr("作废")

    def build(self, ctx: AppContext, election: elections.Election) -> None:
        self.reason = self.add_field("reason", self.tr("原因 *"), QLineEdit())

    def problems(self) -> list[Problem]:
        return [] if self.reason.text().strip() else [Problem("reason", self.tr("请填写作废的原因"))]

    def write(self) -> None:
        ops.archive_election(self.ctx, election_uuid=self.election.uuid, reason=self.reason.text())


STEP_DIALOGS: dict[str, type[ElectionStepDialog]] = {
    "reply": ReplyDialog,
    "candidates": CandidatesDialog,
    "vote": CountDialog,
    "officers": OfficersDialog,
    "report": ReportDialog,
    "approval": ApprovalDialog,
}


def screenshot_dialog(ctx: AppContext, parent: QWidget) -> QWidget:
    """The demo's past election's count (its last round) as a read-only picture: the officers' form when the
    election is done, else the next step's."""
    found = elections.list_elections(ctx.db)
    if not found:
        return RequestDialog(ctx, parent)
    e = found[0]
    step = elections.next_step(e)
    if step == "done":
        return OfficersDialog(ctx, e, parent)
    return STEP_DIALOGS[step](ctx, e, parent)
