"""添加发展步骤: record one dated step of a person's development.

The step type decides the fields shown (training days/hours, vote counts, form number, extension months, mentors or
introducers picked from the full members of the roster — never typed). Every change is checked with
``db.development.check_step``: errors are shown beside their field and keep 保存 disabled; broken rules are listed
with the rule named and the dates, and 保存 stays disabled until a reason is typed (it is stored with the step).
Saving calls ``desktop.operations.development.add_step``, which announces the development change (and the roster's
when the step changed it).
Open with ``open()`` (non-blocking); ``saved`` carries the new step.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from db import development as dev_db
from db import members as members_db
from db.errors import BranchDeskError, Problem
from desktop.context import AppContext
from desktop.dialogs.form import ERROR_STYLE, FormBase, to_qdate
from desktop.operations import development as development_ops
from desktop.qt import *

_WARNING_STYLE = "color: #997404; background: #fff8e1; padding: 6px; border: 1px solid #e6c65c;"
_ROUTINE = (
    "activist_review",
    "probation_review",
    "probation_extension",
    "extension_approval",
    "probation_cancelled",
    "cancel_approval",
)


def suggest_kind(steps: list[dev_db.DevelopmentStep]) -> str:
    """The first step of the procedure not yet recorded (routine reviews and exceptions excluded)."""
    recorded = {s.kind for s in steps if not s.voided}
    for kind in dev_db.STEP_KINDS:
        if kind not in _ROUTINE and kind not in recorded:
            return kind
    return "probation_review"


class StepDialog(FormBase):
    """Add one step to ``person``'s timeline. ``today`` bounds the date (tests pass a fixed day)."""

    def __init__(
        self,
        ctx: AppContext,
        person: dev_db.DevelopmentPerson,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(ctx, parent, today=today)
        self.person = person
        self.setWindowTitle(self.tr("添加发展步骤 — {0}").format(person.name))
        self.setMinimumWidth(560)
        self._messages: dict[str, QLabel] = {}

        self.kind = QComboBox(self)
        self.kind.setObjectName("kind")
        for key, spec in dev_db.STEP_KINDS.items():
            if key == "application":
                continue  # recorded with the person
            self.kind.addItem(f"{dev_db.STAGES[spec.stage]} · {spec.label}", key)
        self.on = QDateEdit(self)
        self.on.setObjectName("on")
        self.on.setCalendarPopup(True)
        self.on.setDisplayFormat("yyyy-MM-dd")
        self.on.setDateRange(QDate(1950, 1, 1), to_qdate(self.today))
        self.on.setDate(to_qdate(self.today))
        self.number = QLineEdit(self)
        self.number.setObjectName("number")
        self.number.setPlaceholderText(self.tr("入党志愿书编号"))
        self.days = QSpinBox(self)
        self.days.setObjectName("days")
        self.days.setRange(0, 60)
        self.days.setSuffix(self.tr(" 天"))
        self.hours = QSpinBox(self)
        self.hours.setObjectName("hours")
        self.hours.setRange(0, 500)
        self.hours.setSuffix(self.tr(" 学时"))
        self.votes_for = QSpinBox(self)
        self.votes_for.setObjectName("votes_for")
        self.votes_against = QSpinBox(self)
        self.votes_against.setObjectName("votes_against")
        self.votes_abstain = QSpinBox(self)
        self.votes_abstain.setObjectName("votes_abstain")
        for spin in (self.votes_for, self.votes_against, self.votes_abstain):
            spin.setRange(0, 999)
        self.present = QSpinBox(self)  # 实到会有表决权的正式党员 (细则第二十条); 0 = not entered
        self.present.setObjectName("present")
        self.present.setRange(0, 999)
        self.present.setSpecialValueText(self.tr("未填"))
        # The 支部党员大会 where the vote was taken, when it is recorded in 三会一课; picking one sets the date.
        self.meeting = QComboBox(self)
        self.meeting.setObjectName("meeting")
        self.meeting.addItem(self.tr("（会议未在本系统记录）"), None)
        self._meeting_days: dict[str, date] = {}
        for meeting_uuid, day, topic in dev_db.assembly_meetings(ctx.db):
            self.meeting.addItem(f"{day} 支部党员大会 {topic}", meeting_uuid)
            self._meeting_days[meeting_uuid] = day
        self.months = QSpinBox(self)
        self.months.setObjectName("months")
        self.months.setRange(6, 12)
        self.months.setSuffix(self.tr(" 个月"))
        self.members = QListWidget(self)
        self.members.setObjectName("members")
        self.members.setMinimumHeight(120)
        self.members.setMaximumHeight(180)
        self._roster = {m.uuid: m for m in members_db.list_members(ctx.db, category="full")}
        for m in self._roster.values():
            item = QListWidgetItem(f"{m.name}（{m.party_group_name or '未分组'}）", self.members)
            item.setData(Qt.ItemDataRole.UserRole, m.uuid)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.member_filter = QLineEdit(self)
        self.member_filter.setObjectName("member_filter")
        self.member_filter.setClearButtonEnabled(True)
        self.member_filter.setPlaceholderText(self.tr("查找正式党员：姓名或拼音首字母"))
        self.note = QLineEdit(self)
        self.note.setObjectName("note")
        self.note.setPlaceholderText(self.tr("可选：地点、考察意见、审批文号等"))

        self.form = QFormLayout()
        self.form.addRow(self.tr("步骤"), self._with_message("kind", self.kind))
        self.form.addRow(self.tr("日期"), self._with_message("on", self.on))
        self.form.addRow(self.tr("入党志愿书编号"), self.number)
        training = QWidget(self)
        row = QHBoxLayout(training)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.days)
        row.addWidget(self.hours)
        self._training = training
        self.form.addRow(self.tr("培训时长"), training)
        votes = QWidget(self)
        row = QHBoxLayout(votes)
        row.setContentsMargins(0, 0, 0, 0)
        for label, spin in (
            (self.tr("实到"), self.present),
            (self.tr("赞成"), self.votes_for),
            (self.tr("反对"), self.votes_against),
            (self.tr("弃权"), self.votes_abstain),
        ):
            row.addWidget(QLabel(label, votes))
            row.addWidget(spin)
        self._votes = QWidget(self)
        v = QVBoxLayout(self._votes)
        v.setContentsMargins(0, 0, 0, 0)
        v.addWidget(votes)
        v.addWidget(self._message("present"))
        v.addWidget(self._message("votes_for"))
        meeting_row = QHBoxLayout()
        meeting_row.addWidget(QLabel(self.tr("会议"), self._votes))
        meeting_row.addWidget(self.meeting, 1)
        v.addLayout(meeting_row)
        v.addWidget(self._message("meeting"))
        self.form.addRow(self.tr("表决（票）"), self._votes)
        self._months_row = self._with_message("months", self.months)
        self.form.addRow(self.tr("延长时间"), self._months_row)
        self._members_label = QLabel(self.tr("人员（正式党员）"), self)
        members_box = QWidget(self)
        v = QVBoxLayout(members_box)
        v.setContentsMargins(0, 0, 0, 0)
        v.addWidget(self.member_filter)
        v.addWidget(self.members)
        v.addWidget(self._message("members"))
        self._members_box = members_box
        self.form.addRow(self._members_label, members_box)
        self.form.addRow(self.tr("备注"), self.note)

        self.status_message = self._message("status")
        self.warnings = QLabel(self)
        self.warnings.setObjectName("warnings")
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet(_WARNING_STYLE)
        self.warnings.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.warnings.hide()
        self.reason = QLineEdit(self)
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText(
            self.tr("有规则提醒时必须填写原因（如：上级党委批准、补录等），随步骤保存")
        )
        self.reason_label = QLabel(self.tr("保存原因"), self)
        self.buttons = self.add_buttons()

        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.status_message)
        layout.addWidget(self.warnings)
        reason_row = QHBoxLayout()
        reason_row.addWidget(self.reason_label)
        reason_row.addWidget(self.reason, 1)
        layout.addLayout(reason_row)
        layout.addWidget(self._message("reason"))
        layout.addWidget(self.buttons)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.meeting.currentIndexChanged.connect(self._meeting_changed)
        self.member_filter.textChanged.connect(self._filter_members)

        steps = dev_db.list_steps(ctx.db, person_uuid=person.uuid)
        self.set_kind(suggest_kind(steps))
        self._kind_changed()
        self.current_warnings: list[dev_db.RuleWarning] = []
        self.current_errors: list[Problem] = []
        self.reasons = dict(self._messages)
        self.error = self._messages["status"]
        self.watch(
            self.kind,
            self.on,
            self.number,
            self.days,
            self.hours,
            self.votes_for,
            self.votes_against,
            self.votes_abstain,
            self.present,
            self.meeting,
            self.months,
            self.members,
            self.note,
            self.reason,
        )
        self.finish()

    # --- layout helpers ---------------------------------------------------------------------------------------

    def _message(self, key: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(f"message_{key}")
        label.setStyleSheet(ERROR_STYLE)
        label.setWordWrap(True)
        label.setProperty("hide_when_empty", True)
        label.hide()
        self._messages[key] = label
        return label

    def _with_message(self, key: str, widget: QWidget) -> QWidget:
        box = QWidget(self)
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(widget, 1)
        row.addWidget(self._message(key), 1)
        return box

    # --- state ------------------------------------------------------------------------------------------------

    def set_kind(self, kind: str) -> None:
        self.kind.setCurrentIndex(max(self.kind.findData(kind), 0))

    def set_date(self, d: date) -> None:
        self.on.setDate(to_qdate(d))

    def check_members(self, uuids: list[str]) -> None:
        for i in range(self.members.count()):
            item = self.members.item(i)
            item.setCheckState(
                Qt.CheckState.Checked
                if item.data(Qt.ItemDataRole.UserRole) in uuids
                else Qt.CheckState.Unchecked
            )

    def _filter_members(self, query: str) -> None:
        """Hide roster members not matching the query (checked ones always stay visible)."""
        for i in range(self.members.count()):
            item = self.members.item(i)
            member = self._roster[item.data(Qt.ItemDataRole.UserRole)]
            checked = item.checkState() == Qt.CheckState.Checked
            item.setHidden(not checked and not members_db.matches(member, query))

    def _meeting_changed(self) -> None:
        day = self._meeting_days.get(self.meeting.currentData() or "")
        if day is not None:
            self.set_date(day)

    def set_meeting(self, meeting_uuid: str | None) -> None:
        self.meeting.setCurrentIndex(max(self.meeting.findData(meeting_uuid), 0))

    def _kind_changed(self) -> None:
        spec = dev_db.STEP_KINDS[self.kind.currentData()]
        self.form.setRowVisible(self.number, "number" in spec.fields)
        self.form.setRowVisible(self._training, "training" in spec.fields)
        self.form.setRowVisible(self._votes, "votes" in spec.fields)
        self.form.setRowVisible(self._months_row, "months" in spec.fields)
        people = "mentors" in spec.fields or "introducers" in spec.fields
        self.form.setRowVisible(self._members_box, people)
        if people:
            self._members_label.setText(
                self.tr("培养联系人（1–2 名正式党员）")
                if "mentors" in spec.fields
                else self.tr("入党介绍人（2 名正式党员）")
            )
        self.check()

    def values(self) -> dict[str, Any]:
        spec = dev_db.STEP_KINDS[self.kind.currentData()]
        out: dict[str, Any] = {}
        if "number" in spec.fields:
            out["number"] = self.number.text()
        if "training" in spec.fields:
            out.update(days=self.days.value(), hours=self.hours.value())
        if "votes" in spec.fields:
            out.update(
                votes_for=self.votes_for.value(),
                votes_against=self.votes_against.value(),
                votes_abstain=self.votes_abstain.value(),
                present=self.present.value() or None,
                meeting=self.meeting.currentData(),
            )
        if "months" in spec.fields:
            out["months"] = self.months.value()
        if "mentors" in spec.fields or "introducers" in spec.fields:
            out["members"] = [
                self.members.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.members.count())
                if self.members.item(i).checkState() == Qt.CheckState.Checked
            ]
        return out

    def date(self) -> date:
        q = self.on.date()
        return date(q.year(), q.month(), q.day())

    def problems(self) -> list[Problem]:
        """The step as it stands: errors beside their fields, the rule warnings above the reason. With warnings a
        reason is required before saving."""
        if not hasattr(self, "current_warnings"):
            return []  # still building
        try:
            errors, warnings = dev_db.check_step(
                self.ctx.db,
                person_uuid=self.person.uuid,
                kind=self.kind.currentData(),
                on=self.date(),
                values=self.values(),
                today=self.today,
            )
        except BranchDeskError as exc:
            errors, warnings = [Problem("status", str(exc))], []
        self.current_errors, self.current_warnings = errors, warnings
        if warnings:
            self.warnings.setText(
                self.tr("规则提醒（可保存，但须填写原因）：")
                + "\n"
                + "\n".join(f"• {w.message}" for w in warnings)
            )
            self.warnings.show()
        else:
            self.warnings.clear()
            self.warnings.hide()
        if warnings and not self.reason.text().strip():
            # Asked for by the tooltip of 保存 (see check), not beside the field.
            return [*errors, Problem("reason_needed", "")]
        return errors

    def show_problems(self, problems: Sequence[Problem]) -> None:
        """Reasons for fields without their own label go to the step's status line."""
        super().show_problems(
            [
                Problem(p.field if p.field in self._messages else "status", p.message, p.warning)
                for p in problems
                if p.field != "reason_needed"
            ]
        )

    def check(self) -> bool:
        ok = super().check()
        need_reason = bool(getattr(self, "current_warnings", []))
        self.reason.setEnabled(need_reason)
        self.reason_label.setEnabled(need_reason)
        if self.save_button is not None:
            waiting = need_reason and not self.reason.text().strip()
            self.save_button.setToolTip(self.tr("有规则提醒：请先填写保存原因") if waiting else "Ctrl+S")
        return ok

    def write(self) -> dev_db.DevelopmentStep:
        return development_ops.add_step(
            self.ctx,
            person_uuid=self.person.uuid,
            kind=self.kind.currentData(),
            on=self.date(),
            values=self.values(),
            reason=self.reason.text() if self.current_warnings else "",
            note=self.note.text(),
            today=self.today,
        )
