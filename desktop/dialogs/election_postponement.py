"""Record the upper organisation's approval to postpone the committee's election (延期换届): the day approved, the
approving body and its document, the new deadline (at most a year after the term ends: 《中国共产党基层组织选举工作
条例》第三条). Until the new deadline the urgent 换届 reminder gives way to a normal one naming the approval."""

from __future__ import annotations

from datetime import date

from db.elections import POSTPONE_MAX_YEARS, Postponement
from db.errors import Problem
from db.rules import add_months, add_years
from desktop.context import AppContext
from desktop.dialogs.form import to_date
from desktop.dialogs.transfer_form import FormDialog, date_edit
from desktop.operations import branch as branch_ops
from desktop.qt import *


class PostponementDialog(FormDialog):
    """The form of one approval; ``term_end`` is the present term's end, ``today`` is for tests."""

    def __init__(
        self, ctx: AppContext, *, term_end: date, parent: QWidget | None = None, today: date | None = None
    ) -> None:
        super().__init__(ctx, self.tr("登记延期换届"), parent)
        self.today = today or date.today()
        self.term_end = term_end
        self.intro(
            self.tr(
                "本届任期 {0} 届满。如需延期换届，应当报上级党组织批准，延长期限一般不超过1年"
                "（《中国共产党基层组织选举工作条例》第三条）。"
            ).format(term_end.isoformat())
        )
        self.approved_on = self.add_field("approved_on", self.tr("批准日期 *"), date_edit(self.today))
        self.approved_by = QLineEdit()
        self.approved_by.setPlaceholderText(self.tr("批准延期的上级党组织，如：XX煤矿党委"))
        self.add_field("approved_by", self.tr("批准机关 *"), self.approved_by)
        self.document = QLineEdit()
        self.document.setPlaceholderText(self.tr("批复文号（可选）"))
        self.add_field("document", self.tr("批复文号"), self.document)
        self.new_deadline = self.add_field(
            "new_deadline", self.tr("换届期限 *"), date_edit(add_months(term_end, 6))
        )
        self.finish()

    def problems(self) -> list[Problem]:
        problems = []
        if not self.approved_by.text().strip():
            problems.append(Problem("approved_by", self.tr("请填写批准延期的上级党组织")))
        if to_date(self.approved_on.date()) > self.today:
            problems.append(Problem("approved_on", self.tr("批准日期不能晚于今天")))
        deadline = to_date(self.new_deadline.date())
        latest = add_years(self.term_end, POSTPONE_MAX_YEARS)
        if deadline <= self.term_end:
            problems.append(Problem("new_deadline", self.tr("换届期限必须晚于任期届满日期")))
        elif deadline > latest:
            problems.append(
                Problem(
                    "new_deadline", self.tr("延长期限一般不超过1年，不能晚于 {0}").format(latest.isoformat())
                )
            )
        return problems

    def write(self) -> Postponement:
        return branch_ops.postpone_election(
            self.ctx,
            approved_on=to_date(self.approved_on.date()),
            approved_by=self.approved_by.text(),
            document=self.document.text(),
            new_deadline=to_date(self.new_deadline.date()),
            today=self.today,
        )
