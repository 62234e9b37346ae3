"""The inspection finding form (检查问题): the finding, then its rectification to closure (销号).

The upper part (发现日期, 检查名称, 存在问题, 整改措施, 责任人, 整改时限) is validated as you type by
``db.projects.validate_finding`` and saved with 保存 (Ctrl+S). For a recorded finding, 整改与销号 registers the
rectification (date, evidence), closes it (销号; refused with the reason shown when there is no rectification
date) or reopens it with a reason; each is saved at once and reported through ``changed``. Nothing is ever
deleted: the history lists every rectification, closing and reopening. Open with ``open()`` (non-blocking).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from db import projects as projects_db
from db.errors import Problem
from db.projects import FINDING_ACTIONS, Finding
from desktop.context import AppContext
from desktop.dialogs.form import to_date
from desktop.dialogs.project_common import (
    FieldsForm,
    OptionalDate,
    date_edit,
    fill_member_combo,
    roster_for,
    text_edit,
)
from desktop.operations import projects as projects_ops
from desktop.qt import *


class FindingDialog(FieldsForm):
    """Add (``finding=None``) or edit a finding. ``saved(Finding)`` after 保存; ``changed(Finding)`` after a
    rectification, closing or reopening."""

    def __init__(
        self,
        ctx: AppContext,
        finding: Finding | None,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(ctx, parent, today=today)
        self.finding = finding
        self.setWindowTitle(self.tr("检查问题") if finding else self.tr("登记检查问题"))
        self.resize(680, 620)

        roster = roster_for(ctx.db, [finding.owner.uuid] if finding and finding.owner else [])
        self.found_on = date_edit(finding.found_on if finding else self.today)
        self.source = QLineEdit(finding.source if finding else "")
        self.source.setPlaceholderText(self.tr("如：上级党委党建工作季度检查"))
        self.problem = text_edit(finding.problem if finding else "", 60)
        self.measure = text_edit(finding.measure if finding else "", 60)
        self.owner = QComboBox()
        fill_member_combo(
            self.owner,
            roster,
            blank=self.tr("（未指定）"),
            current=finding.owner.uuid if finding and finding.owner else None,
        )
        self.deadline = date_edit(finding.deadline if finding else self.today)

        form = QFormLayout()
        self.add_rows(
            form,
            [
                ("found_on", self.tr("发现日期"), self.found_on),
                ("source", self.tr("检查名称"), self.source),
                ("problem", self.tr("存在问题"), self.problem),
                ("measure", self.tr("整改措施"), self.measure),
                ("owner", self.tr("责任人"), self.owner),
                ("deadline", self.tr("整改时限"), self.deadline),
            ],
        )

        self.buttons = self.add_buttons(cancel_text=self.tr("关闭"))

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self._build_closure_box())
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        self._show_state()
        self.finish()

    # --- the finding ----------------------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        return {
            "found_on": to_date(self.found_on.date()),
            "source": self.source.text(),
            "problem": self.problem.toPlainText(),
            "measure": self.measure.toPlainText(),
            "owner": self.owner.currentData(),
            "deadline": to_date(self.deadline.date()),
        }

    def problems(self) -> list[Problem]:
        values = projects_db.clean_finding_values(self.values())
        return [
            p
            for p in projects_db.validate_finding(self.ctx.db, values=values, today=self.today)
            if not p.warning
        ]

    def write(self) -> Finding:
        if self.finding is None:
            result = projects_ops.add_finding(self.ctx, values=self.values(), today=self.today)
        else:
            result = projects_ops.update_finding(
                self.ctx, uuid=self.finding.uuid, changes=self.values(), today=self.today
            )
        self.finding = result
        return result

    # --- rectification and closure ----------------------------------------------------------------------------

    def _build_closure_box(self) -> QWidget:
        box = QGroupBox(self.tr("整改与销号"), self)
        layout = QVBoxLayout(box)
        self.state_label = QLabel(box)
        self.state_label.setObjectName("state_label")
        self.state_label.setWordWrap(True)
        layout.addWidget(self.state_label)
        form = QFormLayout()
        self.rectified_on = OptionalDate(self.tr("已整改"), self.today)
        self.closed_on = date_edit(self.today)
        self.evidence = QLineEdit(self.finding.evidence if self.finding else "")
        self.evidence.setPlaceholderText(self.tr("佐证材料说明，如：整改记录、照片已归档"))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("重新打开的原因（必填）"))
        form.addRow(self.tr("整改完成日期"), self.rectified_on)
        form.addRow(self.tr("佐证说明"), self.evidence)
        form.addRow(self.tr("销号日期"), self.closed_on)
        form.addRow(self.tr("重新打开原因"), self.reason)
        layout.addLayout(form)
        row = QHBoxLayout()
        self.rectify_button = QPushButton(self.tr("登记整改完成"))
        self.close_button = QPushButton(self.tr("销号"))
        self.reopen_button = QPushButton(self.tr("重新打开"))
        for b in (self.rectify_button, self.close_button, self.reopen_button):
            row.addWidget(b)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.action_error)
        self.rectify_button.clicked.connect(self.rectify)
        self.close_button.clicked.connect(self.close_finding)
        self.reopen_button.clicked.connect(self.reopen)
        box.setEnabled(self.finding is not None)
        return box

    def _show_state(self) -> None:
        f = self.finding
        if f is None:
            self.state_label.setText(self.tr("保存后可登记整改完成和销号。"))
            return
        lines = [self.tr("当前状态：{0}").format(f.status_label)]
        if f.is_overdue(self.today):
            lines[0] += self.tr("（已超过整改时限 {0}）").format(f.deadline.isoformat())
        for e in f.events:
            note = f"：{e.note}" if e.note else ""
            lines.append(f"{e.on_date.isoformat()}  {FINDING_ACTIONS[e.action]}{note}")
        self.state_label.setText("\n".join(lines))
        if f.rectified_on:
            self.rectified_on.set_value(f.rectified_on)
        readonly = self.ctx.db.readonly
        self.rectify_button.setEnabled(f.status == "open" and not readonly)
        self.close_button.setEnabled(f.status != "closed" and not readonly)
        self.reopen_button.setEnabled(f.status != "open" and not readonly)
        self.rectified_on.setEnabled(f.status == "open")

    def action_done(self, item: Finding) -> None:
        self.finding = item
        self._show_state()

    def rectify(self) -> bool:
        """Register the rectification on the date given (refused without one)."""
        assert self.finding is not None
        uuid = self.finding.uuid
        return self.run_action(
            lambda: projects_ops.rectify_finding(
                self.ctx,
                uuid=uuid,
                rectified_on=self.rectified_on.value(),
                evidence=self.evidence.text(),
                today=self.today,
            )
        )

    def close_finding(self) -> bool:
        """销号 on the chosen date; an open finding needs its rectification date (the refusal is shown)."""
        assert self.finding is not None
        uuid = self.finding.uuid
        rect = self.rectified_on.value() if self.finding.status == "open" else None
        ok = self.run_action(
            lambda: projects_ops.close_finding(
                self.ctx,
                uuid=uuid,
                closed_on=to_date(self.closed_on.date()),
                rectified_on=rect,
                evidence=self.evidence.text(),
                today=self.today,
            )
        )
        return ok

    def reopen(self) -> bool:
        """Reopen with the reason typed (refused without one)."""
        assert self.finding is not None
        uuid = self.finding.uuid
        ok = self.run_action(
            lambda: projects_ops.reopen_finding(
                self.ctx, uuid=uuid, on=self.today, reason=self.reason.text(), today=self.today
            )
        )
        if ok:
            self.reason.clear()
            self.rectified_on.set_value(None)
        return ok


def screenshot_dialog(ctx: AppContext, parent: QWidget) -> QWidget:
    """For ``desktop.screenshots``: an open finding (overdue if there is one) after a refused 销号 without a
    rectification date, so the reason shows (nothing is written: the close is refused). Empty form if none."""
    today = date.today()
    found = projects_db.list_findings(ctx.db, status="open")
    found.sort(key=lambda f: not f.is_overdue(today))
    dialog = FindingDialog(ctx, found[0] if found else None, parent)
    if found and not ctx.db.readonly:
        dialog.close_finding()
    return dialog
