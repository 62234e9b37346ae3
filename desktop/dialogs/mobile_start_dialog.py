"""Mark a member as a mobile member (流动党员): outflow place 省/市/县, reason, start date, contact, expected
return (``db.transfers.start_mobile``; the roster's 流动党员/外出流向 follow)."""

from __future__ import annotations

from typing import Any

from db import members as members_db
from db.errors import Problem
from db.transfers import MobilePeriod
from desktop.dialogs.form import to_date
from desktop.dialogs.transfer_form import MemberFormDialog, date_edit, optional_date
from desktop.operations import transfers as transfers_ops
from desktop.qt import *


class MobileStartDialog(MemberFormDialog):
    """The form of a new mobile period."""

    def title(self) -> str:
        return self.tr("登记流动党员")

    def build(self, member_uuid: str | None) -> None:
        self.intro(self.tr("外出不满 6 个月的登记为流动党员；在同一地点满 6 个月的应转接组织关系。"))
        self.member = self.add_member_field(
            [m for m in members_db.list_members(self.ctx.db) if not m.mobile_member], member_uuid
        )
        self.province = self.add_field("province", self.tr("外出流向：省 *"), QLineEdit())
        self.city = self.add_field("city", self.tr("市"), QLineEdit())
        self.county = self.add_field("county", self.tr("县（区）"), QLineEdit())
        self.reason = self.add_field("reason", self.tr("外出原因 *"), QLineEdit())
        self.started_on = self.add_field("started_on", self.tr("外出日期 *"), date_edit(self.today))
        self.contact = self.add_field("contact", self.tr("联系方式"), QLineEdit())
        self.expected = self.add_field(
            "expected_return_on", self.tr("预计返回日期"), date_edit(optional=True)
        )
        self.activity_card = self.add_field(
            "activity_card", self.tr("活动证"), QCheckBox(self.tr("已发放《流动党员活动证》"))
        )

    def kwargs(self) -> dict[str, Any]:
        return {
            "member_uuid": self.member.currentData(),
            "province": self.province.text(),
            "city": self.city.text(),
            "county": self.county.text(),
            "reason": self.reason.text(),
            "started_on": to_date(self.started_on.date()),
            "contact": self.contact.text(),
            "expected_return_on": optional_date(self.expected),
            "activity_card": self.activity_card.isChecked(),
        }

    def problems(self) -> list[Problem]:
        k = self.kwargs()
        problems = []
        if not k["member_uuid"]:
            problems.append(Problem("member", self.tr("请选择党员")))
        if not k["province"].strip():
            problems.append(Problem("province", self.tr("请填写外出流向的省份")))
        if not k["reason"].strip():
            problems.append(Problem("reason", self.tr("请填写外出原因")))
        if k["started_on"] > self.today:
            problems.append(Problem("started_on", self.tr("外出日期不能晚于今天")))
        if k["expected_return_on"] and k["expected_return_on"] < k["started_on"]:
            problems.append(Problem("expected_return_on", self.tr("预计返回日期不能早于外出日期")))
        return problems

    def write(self) -> MobilePeriod:
        period = transfers_ops.start_mobile(self.ctx, **self.kwargs(), today=self.today)
        return period
