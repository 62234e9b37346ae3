"""Record a standing or status event of a member (失去联系、恢复联系、停止党籍、恢复党籍、留党察看 with its period,
开除党籍、除名 and its forms、劝退、退党、取消预备党员资格、去世), dated, with the decision and a reason
(``db.transfers.record_event``). The leaving kinds take the member off the roster (已减员)."""

from __future__ import annotations

from db import members as members_db
from db.errors import Problem
from db.rules import add_years
from db.transfers import EVENT_CHOICES, LEAVING_KINDS, MemberEvent
from desktop.dialogs.form import to_date
from desktop.dialogs.transfer_form import MemberFormDialog, date_edit, optional_date
from desktop.operations import transfers as transfers_ops
from desktop.qt import *
from desktop.widgets.codes import lost_situation_combo


class StandingEventDialog(MemberFormDialog):
    """The form of one event."""

    def title(self) -> str:
        return self.tr("党籍与状态事项")

    def build(self, member_uuid: str | None) -> None:
        self.intro(
            self.tr(
                "每一事项注明日期、决定机关和原因，记入党员的时间线，不会删除。开除党籍、除名、劝退、退党、"
                "取消预备党员资格、去世将该党员列为「已减员」。留党察看期间没有表决权、选举权和被选举权。"
            )
        )
        self.member = self.add_member_field(members_db.list_members(self.ctx.db), member_uuid)
        self.kind = QComboBox()
        for key, label in EVENT_CHOICES.items():
            self.kind.addItem(label, key)
        self.add_field("kind", self.tr("事项 *"), self.kind)
        self.situation = lost_situation_combo()
        self.add_field("situation", self.tr("失联情形"), self.situation)
        self.happened_on = self.add_field("happened_on", self.tr("日期 *"), date_edit(self.today))
        self.ends_on = self.add_field(
            "ends_on", self.tr("察看期满日期 *"), date_edit(add_years(self.today, 1), optional=True)
        )
        self.decision = QLineEdit()
        self.decision.setPlaceholderText(self.tr("作出决定或批准的党组织及文号，如：XX党委 X发〔2026〕3号"))
        self.add_field("decision", self.tr("决定机关/文号"), self.decision)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("原因或依据，如：电话停机多方联系未果；党委批复文号"))
        self.add_field("reason", self.tr("原因 *"), self.reason)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()

    def problems(self) -> list[Problem]:
        problems = []
        if not self.member.currentData():
            problems.append(Problem("member", self.tr("请选择党员")))
        if not self.reason.text().strip():
            problems.append(Problem("reason", self.tr("请填写原因或依据")))
        if to_date(self.happened_on.date()) > self.today:
            problems.append(Problem("happened_on", self.tr("日期不能晚于今天")))
        if self.kind.currentData() == "probation_watch" and optional_date(self.ends_on) is None:
            problems.append(Problem("ends_on", self.tr("留党察看请填写察看期满日期")))
        return problems

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        self.ends_on.setEnabled(kind == "probation_watch")
        self.situation.setEnabled(kind == "lost_contact")
        if self.save_button is not None:
            self.save_button.setText(self.tr("登记并减员") if kind in LEAVING_KINDS else self.tr("保存"))

    def write(self) -> MemberEvent:
        event = transfers_ops.record_event(
            self.ctx,
            member_uuid=self.member.currentData(),
            kind=self.kind.currentData(),
            happened_on=to_date(self.happened_on.date()),
            ends_on=optional_date(self.ends_on) if self.kind.currentData() == "probation_watch" else None,
            decision=self.decision.text(),
            reason=self.reason.text(),
            situation=self.situation.value() if self.kind.currentData() == "lost_contact" else "",
            today=self.today,
        )
        return event
