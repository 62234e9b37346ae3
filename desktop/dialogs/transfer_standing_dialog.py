"""Record a standing or status event of a member (失去联系、恢复联系、停止党籍、恢复党籍、出党、去世), dated and
with a reason (``db.transfers.record_event``). 出党 and 去世 take the member off the roster (已减员)."""

from __future__ import annotations

from datetime import date

from db import members as members_db
from db.errors import Problem
from db.transfers import EVENT_KINDS, MemberEvent
from desktop.context import AppContext
from desktop.dialogs.transfer_form import FormDialog, date_edit, to_date
from desktop.operations import transfers as transfers_ops
from desktop.qt import *


class StandingEventDialog(FormDialog):
    """The form of one event; ``today`` is for tests."""

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None = None,
        *,
        member_uuid: str | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__(ctx, self.tr("党籍与状态事项"), parent, today=today)
        self.intro(
            self.tr("每一事项注明日期和原因，记入党员的时间线，不会删除。出党、去世将该党员列为「已减员」。")
        )
        self.member = self.add_member_field(members_db.list_members(ctx.db), member_uuid)
        self.kind = QComboBox()
        for key, label in EVENT_KINDS.items():
            self.kind.addItem(label, key)
        self.add_field("kind", self.tr("事项 *"), self.kind)
        self.happened_on = self.add_field("happened_on", self.tr("日期 *"), date_edit(self.today))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("原因或依据，如：电话停机多方联系未果；党委批复文号"))
        self.add_field("reason", self.tr("原因 *"), self.reason)
        self.finish()

    def problems(self) -> list[Problem]:
        problems = []
        if not self.member.currentData():
            problems.append(Problem("member", self.tr("请选择党员")))
        if not self.reason.text().strip():
            problems.append(Problem("reason", self.tr("请填写原因或依据")))
        if to_date(self.happened_on.date()) > self.today:
            problems.append(Problem("happened_on", self.tr("日期不能晚于今天")))
        return problems

    def write(self) -> MemberEvent:
        event = transfers_ops.record_event(
            self.ctx,
            member_uuid=self.member.currentData(),
            kind=self.kind.currentData(),
            happened_on=to_date(self.happened_on.date()),
            reason=self.reason.text(),
            today=self.today,
        )
        return event
