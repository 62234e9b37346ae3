"""Set a member's dues basis (党费缴纳基数): category, after-tax monthly base, the amount computed live from the
official tiers, and a reduction or exemption with the branch decision and the upper approval.

Validation runs as the user types (``db.dues.validate_basis``): the reasons are shown beside the fields and 保存
stays disabled while any remains. In the branch's ``year`` mode the basis starts in January of the chosen year.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from db import dues as dues_db
from db.errors import Problem
from db.records import MemberRef
from db.rules import DUES_CATEGORIES, dues_rate_permille, dues_rate_text, fen_to_yuan_text
from desktop.context import AppContext
from desktop.dialogs.dues_payment import MemberDuesDialog, parse_amount
from desktop.dialogs.form import error_label, to_date, to_qdate
from desktop.operations import dues as dues_ops
from desktop.qt import *


class DuesBasisDialog(MemberDuesDialog):
    """The dues basis of one member from a month (a year in ``year`` mode)."""

    def __init__(
        self,
        ctx: AppContext,
        member: MemberRef,
        basis: dues_db.DuesBasis | None,
        month: date,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(ctx, member, self.tr("核定党费缴纳基数 - {0}"), parent, today=today)
        self.year_mode = dues_db.basis_mode(ctx.db) == "year"
        layout = QVBoxLayout(self)
        form = QFormLayout()

        self.from_month = QDateEdit()
        self.from_month.setObjectName("from_month")
        self.from_month.setCalendarPopup(True)
        self.from_month.setDisplayFormat("yyyy年" if self.year_mode else "yyyy年M月")
        self.from_month.setDate(to_qdate(dues_db.month_start(month)))
        form.addRow(self.tr("适用年度") if self.year_mode else self.tr("起始月份"), self.from_month)

        self.category = QComboBox()
        self.category.setObjectName("category")
        for key, label in DUES_CATEGORIES.items():
            self.category.addItem(label, key)
        form.addRow(self.tr("党费类别 *"), self.category)

        self.base = QLineEdit()
        self.base.setObjectName("base")
        self.base.setPlaceholderText(self.tr("税后月工资性收入，单位：元"))
        self.base_error = error_label()
        self.base_error.setObjectName("base_error")
        form.addRow(self.tr("月收入基数（元）"), self._pair(self.base, self.base_error))

        self.fixed = QLineEdit()
        self.fixed.setObjectName("fixed")
        self.fixed.setPlaceholderText(self.tr("每月固定交纳的金额（元）"))
        self.fixed_error = error_label()
        form.addRow(self.tr("固定金额（元）"), self._pair(self.fixed, self.fixed_error))

        self.computed = QLabel()
        self.computed.setObjectName("computed")
        self.computed.setStyleSheet("font-weight: bold;")
        form.addRow(self.tr("每月应缴"), self.computed)

        self.note = QLineEdit()
        self.note.setObjectName("note")
        form.addRow(self.tr("备注"), self.note)
        layout.addLayout(form)

        self.reduction = QGroupBox(self.tr("减免党费（须经支部研究决定并报上级党委批准）"))
        self.reduction.setObjectName("reduction")
        self.reduction.setCheckable(True)
        self.reduction.setChecked(False)
        rform = QFormLayout(self.reduction)
        self.reduced = QLineEdit("0.00")
        self.reduced.setObjectName("reduced")
        self.reduced_error = error_label()
        rform.addRow(self.tr("减免后每月（元，0 为免交）"), self._pair(self.reduced, self.reduced_error))
        self.decision_on = self._date_edit("decision_on")
        self.decision_note = QLineEdit()
        self.decision_note.setPlaceholderText(self.tr("如：支部委员会会议研究同意，因家庭困难免交"))
        self.decision_error = error_label()
        rform.addRow(self.tr("支部决定日期 *"), self._pair(self.decision_on, self.decision_error))
        rform.addRow(self.tr("支部决定说明"), self.decision_note)
        self.approved_on = self._date_edit("approved_on")
        self.approval_note = QLineEdit()
        self.approval_note.setPlaceholderText(self.tr("如：公司党委批复文号"))
        self.approval_error = error_label()
        rform.addRow(self.tr("上级批准日期 *"), self._pair(self.approved_on, self.approval_error))
        rform.addRow(self.tr("上级批准说明"), self.approval_note)
        layout.addWidget(self.reduction)

        self.error = error_label("error")
        layout.addWidget(self.error)
        self.buttons = self.add_buttons()
        layout.addWidget(self.buttons)

        if basis is not None:
            self.category.setCurrentIndex(max(0, self.category.findData(basis.category)))
            self.base.setText(
                fen_to_yuan_text(basis.base_fen) if basis.category in ("employed", "retired") else ""
            )
            self.fixed.setText(fen_to_yuan_text(basis.fixed_fen))
            self.note.setText(basis.note)
            if basis.reduced_fen is not None:
                self.reduction.setChecked(True)
                self.reduced.setText(fen_to_yuan_text(basis.reduced_fen))
                self.decision_on.setDate(to_qdate(basis.decision_on or self.today))
                self.decision_note.setText(basis.decision_note)
                self.approved_on.setDate(to_qdate(basis.approved_on or self.today))
                self.approval_note.setText(basis.approval_note)
        self.reasons = {
            "base": self.base_error,
            "fixed": self.fixed_error,
            "reduced": self.reduced_error,
            "decision_on": self.decision_error,
            "approved_on": self.approval_error,
        }
        self.watch(
            self.from_month,
            self.category,
            self.base,
            self.fixed,
            self.note,
            self.reduction,
            self.reduced,
            self.decision_on,
            self.decision_note,
            self.approved_on,
            self.approval_note,
        )
        self.finish()
        self.resize(560, self.sizeHint().height())

    @staticmethod
    def _pair(field: QWidget, error: QLabel) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(field, 1)
        row.addWidget(error, 1)
        return row

    def _date_edit(self, name: str) -> QDateEdit:
        edit = QDateEdit(to_qdate(self.today))
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setMaximumDate(to_qdate(self.today))
        return edit

    def _values(self) -> tuple[dict[str, Any], list[str]]:
        """The typed values for ``db.dues.set_basis`` and the format errors of the amount fields."""
        category = self.category.currentData()
        base, base_reason = parse_amount(self.base.text())
        fixed, fixed_reason = parse_amount(self.fixed.text())
        reduced, reduced_reason = parse_amount(self.reduced.text())
        reducing = self.reduction.isChecked()
        values = {
            "category": category,
            "base_fen": base,
            "fixed_fen": fixed,
            "reduced_fen": reduced if reducing else None,
            "decision_on": to_date(self.decision_on.date()) if reducing else None,
            "approved_on": to_date(self.approved_on.date()) if reducing else None,
        }
        reasons = {"base": base_reason, "fixed": fixed_reason, "reduced": reduced_reason if reducing else ""}
        if reducing and reduced is None and not reduced_reason:
            reasons["reduced"] = "请填写减免后的金额（免交填 0）"
        return values, [f"{k}:{v}" for k, v in reasons.items() if v]

    def problems(self) -> list[Problem]:
        values, format_errors = self._values()
        category = values["category"]
        needs_base = category in ("employed", "retired")
        self.base.setEnabled(needs_base)
        self.fixed.setEnabled(category == "fixed")
        messages: dict[str, list[str]] = {}
        for item in format_errors:
            key, _, text = item.partition(":")
            messages.setdefault(key, []).append(text)
        # the rules still run on what is readable, so every reason shows at once (a field keeps its format error)
        checked = dict(values)
        if checked["reduced_fen"] is None and self.reduction.isChecked():
            checked["reduced_fen"] = 0
        for p in dues_db.validate_basis(self.ctx.db, today=self.today, **checked):
            if p.field not in messages or p.field in ("decision_on", "approved_on"):
                messages.setdefault(p.field, []).append(p.message)
        if not messages:
            base = values["base_fen"] or 0
            computed = dues_db.compute_basis_fen(
                self.ctx.db, category=category, base_fen=base, fixed_fen=values["fixed_fen"]
            )
            rate = dues_rate_text(dues_rate_permille(category, base))
            text = self.tr("{0} 元/月（{1}）").format(fen_to_yuan_text(computed), rate)
            if values["reduced_fen"] is not None:
                text += self.tr("，减免后 {0} 元/月").format(fen_to_yuan_text(values["reduced_fen"]))
            self.computed.setText(text)
        else:
            self.computed.setText("—")
        return [Problem(field, text) for field, texts in messages.items() for text in texts]

    def save(self) -> bool:
        """Whether it saved (``saved`` carries the new basis)."""
        return super().save() is not None

    def write(self) -> dues_db.DuesBasis:
        values, _ = self._values()
        return dues_ops.set_basis(
            self.ctx,
            member_uuid=self.member_uuid,
            from_month=to_date(self.from_month.date()),
            decision_note=self.decision_note.text(),
            approval_note=self.approval_note.text(),
            note=self.note.text(),
            today=self.today,
            **values,
        )


def screenshot_dialog(ctx: AppContext, parent: QWidget) -> QWidget:
    """The basis dialog on the first member of this month's ledger with their basis (or an empty form)."""
    today = date.today()
    rows = dues_db.bases_overview(ctx.db, month=today)
    if rows:
        row = rows[0]
        return DuesBasisDialog(ctx, MemberRef(row.member_uuid, row.member_name), row.basis, today, parent)
    dialog = DuesBasisDialog(ctx, MemberRef("", "张三"), None, today, parent)
    dialog.base.setText("5400")
    return dialog
