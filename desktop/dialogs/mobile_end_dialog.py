"""End a mobile member's period (returned, or the relationship was transferred): ``db.transfers.end_mobile``."""

from __future__ import annotations

from datetime import date

from db.errors import Problem
from db.transfers import MobilePeriod
from desktop.context import AppContext
from desktop.dialogs.form import to_date
from desktop.dialogs.transfer_form import FormDialog, date_edit
from desktop.operations import transfers as transfers_ops
from desktop.qt import *


class MobileEndDialog(FormDialog):
    """End date and reason of a mobile period; ``today`` is for tests."""

    def __init__(
        self,
        ctx: AppContext,
        period: MobilePeriod,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(ctx, self.tr("结束流动 - {0}").format(period.member_name), parent, today=today)
        self.period = period
        self.intro(
            self.tr("{0} 自 {1} 起在{2}流动。").format(
                period.member_name, period.started_on.isoformat(), period.place
            )
        )
        self.ended_on = self.add_field("ended_on", self.tr("结束日期 *"), date_edit(self.today))
        self.reason = QComboBox()
        self.reason.setEditable(True)
        self.reason.addItems([self.tr("返回"), self.tr("已转接组织关系"), self.tr("其他")])
        self.add_field("end_reason", self.tr("结束原因"), self.reason)
        self.finish()

    def problems(self) -> list[Problem]:
        d = to_date(self.ended_on.date())
        problems = []
        if d < self.period.started_on:
            problems.append(
                Problem(
                    "ended_on",
                    self.tr("结束日期不能早于外出日期 {0}").format(self.period.started_on.isoformat()),
                )
            )
        if d > self.today:
            problems.append(Problem("ended_on", self.tr("结束日期不能晚于今天")))
        return problems

    def write(self) -> MobilePeriod:
        period = transfers_ops.end_mobile(
            self.ctx,
            uuid=self.period.uuid,
            ended_on=to_date(self.ended_on.date()),
            reason=self.reason.currentText(),
            today=self.today,
        )
        return period
