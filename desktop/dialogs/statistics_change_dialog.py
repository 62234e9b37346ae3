"""补记变动原因: the national reason of a change of the roster that the records cannot tell (重新入党, 恢复党籍,
整建制, or the reason of a member archived with only a note), as ``db.statistics.record_change`` keeps it."""

from __future__ import annotations

from datetime import date

from db import members as members_db
from db import statistics
from db.errors import Problem
from desktop.changes import Change
from desktop.context import AppContext
from desktop.dialogs.form import to_date
from desktop.dialogs.transfer_form import FormDialog, date_edit
from desktop.operations.base import perform
from desktop.qt import *


class ChangeReasonDialog(FormDialog):
    """One change: member, 增加/减少, reason, 出党's form or 系统内/外, date, basis. ``member_uuid`` preselects the
    member (a person the balance names); ``today`` is for tests."""

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None = None,
        *,
        member_uuid: str | None = None,
        on: date | None = None,
        direction: str = "remove",
        today: date | None = None,
    ) -> None:
        super().__init__(ctx, self.tr("补记变动原因"), parent, save_text=self.tr("保存"), today=today)
        self.intro(
            self.tr(
                "记录其他记录无法说明的党员增减原因（重新入党、恢复党籍、整建制转入转出，或仅有备注的减员），"
                "统计年报按此计入相应栏目。"
            )
        )
        everyone = sorted(members_db.list_members(ctx.db, status=None), key=lambda m: m.name)
        self.member = self.add_member_field(everyone, member_uuid)
        self.direction = QComboBox()
        self.direction.addItem(self.tr("增加"), "add")
        self.direction.addItem(self.tr("减少"), "remove")
        self.direction.setCurrentIndex(self.direction.findData(direction))
        self.add_field("direction", self.tr("增减 *"), self.direction)
        self.reason = QComboBox()
        self.add_field("reason", self.tr("变动原因 *"), self.reason)
        self.detail = QComboBox()
        self.add_field("detail", self.tr("出党形式 / 系统内外"), self.detail)
        self.happened_on = date_edit(on or self.today)
        self.add_field("happened_on", self.tr("变动日期 *"), self.happened_on)
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("如：上级党委批复文号"))
        self.add_field("note", self.tr("依据 *"), self.note)
        self.direction.currentIndexChanged.connect(self._fill_reasons)
        self.reason.currentIndexChanged.connect(self._fill_details)
        self._fill_reasons()
        self.finish()

    def _fill_reasons(self) -> None:
        self.reason.clear()
        reasons = (
            statistics.ADD_REASONS if self.direction.currentData() == "add" else statistics.REMOVE_REASONS
        )
        for key, label in reasons.items():
            self.reason.addItem(label, key)

    def _fill_details(self) -> None:
        self.detail.clear()
        reason = self.reason.currentData()
        if reason == "left_party":
            options = statistics.LEAVING_DETAILS
        elif reason in ("transfer_in", "unit_in"):
            options = statistics.TRANSFER_DETAILS
        else:
            options = {}
        self.detail.addItem("", "")
        for key, label in options.items():
            self.detail.addItem(label, key)
        self.detail.setEnabled(bool(options))

    def _change(self) -> statistics.ManualChange:
        return statistics.ManualChange(
            member_uuid=self.member.currentData(),
            direction=self.direction.currentData(),
            happened_on=to_date(self.happened_on.date()),
            reason=self.reason.currentData() or "",
            detail=self.detail.currentData() or "",
            note=self.note.text(),
        )

    def problems(self) -> list[Problem]:
        return statistics.validate_change(self.ctx.db, change=self._change(), today=self.today)

    def write(self) -> str:
        return perform(
            self.ctx,
            [Change.STATISTICS, Change.MEMBERS],
            statistics.record_change,
            change=self._change(),
            today=self.today,
        )


def screenshot_dialog(ctx: AppContext, parent: QWidget) -> ChangeReasonDialog:
    """For ``desktop.screenshots``: a change being given its reason."""
    dialog = ChangeReasonDialog(ctx, parent)
    dialog.note.setText(dialog.tr("上级党委组字〔2025〕12号"))
    return dialog
