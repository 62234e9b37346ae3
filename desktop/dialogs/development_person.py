"""发展对象: one person of the development pipeline — details, timeline of steps, rule warnings.

A new person (入党申请人) is entered with the date of the written application; after 保存 the dialog stays open on
the person's 发展进程 tab, where 添加步骤… (``StepDialog``) records the next steps. Rule warnings of the recorded
steps stay listed with the rule named and the reason saved with each. 作废步骤… and 退出培养… ask for a reason
(``ReasonDialog``) and keep the record. Validation as you type (``db.development.validate_person``): errors beside
their field keep 保存 disabled; an applicant under 18 is a rule warning that needs a reason. Open with ``open()``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from db import branch as branch_db
from db import development as dev_db
from db.errors import BranchDeskError, Problem
from db.records import EDUCATIONS, GENDERS
from db.rules import CitizenIdError, parse_citizen_id
from desktop.context import AppContext
from desktop.dialogs.form import ERROR_STYLE, WARNING_STYLE, FormBase, to_date, to_qdate
from desktop.dialogs.member_dialog import DateField
from desktop.models.development import STEP_ROLE, DevelopmentStepsModel
from desktop.operations import development as development_ops
from desktop.qt import *
from desktop.widgets.attachments import AttachmentsDialog, open_attachments
from desktop.widgets.codes import EducationClassCombo, PostCodeCombo, front_line_combo, tech_title_combo
from desktop.widgets.shortcuts import shortcut
from desktop.widgets.tables import fit_columns


class ReasonDialog(FormBase):
    """Ask for a date and a reason (退出培养, 作废步骤); ``submit(on, reason)`` does the write and may raise
    ``BranchDeskError``, whose message is shown in the dialog."""

    def __init__(
        self,
        title: str,
        prompt: str,
        submit: Callable[[date, str], Any],
        parent: QWidget | None = None,
        *,
        ctx: AppContext,
        today: date | None = None,
        with_date: bool = True,
    ) -> None:
        super().__init__(ctx, parent, today=today)
        self.setWindowTitle(title)
        self.submit = submit
        self.on = QDateEdit(self)
        self.on.setCalendarPopup(True)
        self.on.setDisplayFormat("yyyy-MM-dd")
        self.on.setDateRange(QDate(1950, 1, 1), to_qdate(self.today))
        self.on.setDate(to_qdate(self.today))
        self.reason = QLineEdit(self)
        self.reason.setObjectName("reason")
        self.message = QLabel(self)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        form = QFormLayout()
        if with_date:
            form.addRow(self.tr("日期"), self.on)
        form.addRow(prompt, self.reason)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("确定"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.use_buttons(self.buttons)
        self.error = self.message
        self.watch(self.on, self.reason)
        self.finish()

    def problems(self) -> list[Problem]:
        # The empty reason only keeps 确定 disabled; the prompt beside the field already asks for it.
        return [] if self.reason.text().strip() else [Problem("reason", "")]

    def write(self) -> Any:
        return self.submit(to_date(self.on.date()), self.reason.text())

    def _ok(self) -> None:
        """确定 (the name callers used before the form base)."""
        self.save()


class PersonDialog(FormBase):
    """Details and timeline of one person; ``person=None`` enters a new applicant. ``saved`` carries the person."""

    def __init__(
        self,
        ctx: AppContext,
        person: dev_db.DevelopmentPerson | None,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(ctx, parent, today=today)
        self.person = person
        self.child: QDialog | None = None  # the step/reason dialog opened last (tests drive it)
        self.setMinimumSize(900, 600)
        self._messages: dict[str, QLabel] = {}
        self._problems: list[Problem] = []

        self.header = QLabel(self)
        self.header.setObjectName("header")
        font = self.header.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.header.setFont(font)

        # --- details tab
        self.name = QLineEdit(self)
        self.name.setObjectName("name")
        self.citizen_id = QLineEdit(self)
        self.citizen_id.setObjectName("citizen_id")
        self.citizen_id.setMaxLength(18)
        self.citizen_id.setPlaceholderText(self.tr("18 位，出生日期和性别自动识别"))
        self.gender = QComboBox(self)
        self.gender.setObjectName("gender")
        self.gender.addItem(self.tr("（按身份证号）"), None)
        for key, label in GENDERS.items():
            self.gender.addItem(label, key)
        self.birth_date = DateField(self)
        self.birth_date.setObjectName("birth_date")
        self.birth_date.setToolTip(self.tr("有公民身份号码时自动识别"))
        self.ethnicity = QLineEdit(self.tr("汉族"), self)
        self.education = QComboBox(self)
        self.education.setEditable(True)
        self.education.addItems(["", *EDUCATIONS])
        self.education_class = EducationClassCombo(self)
        self.education_class.setObjectName("education_class")
        self.education.currentTextChanged.connect(self.education_class.follow)
        self.job = QLineEdit(self)
        self.job.setObjectName("job")
        self.post_code = PostCodeCombo(self)
        self.post_code.setObjectName("post_code")
        self.tech_title = tech_title_combo(self)
        self.front_line = front_line_combo(self)
        self.league_recommended = QCheckBox(self.tr("是（经团组织推优）"), self)
        self.league_recommended.setObjectName("league_recommended")
        self.mobile = QLineEdit(self)
        self.mobile.setObjectName("mobile")
        self.party_group = QComboBox(self)
        self.party_group.addItem(self.tr("（未分组）"), None)
        for g in branch_db.list_party_groups(ctx.db):
            self.party_group.addItem(g.name, g.uuid)
        self.applied_on = QDateEdit(self)
        self.applied_on.setObjectName("applied_on")
        self.applied_on.setCalendarPopup(True)
        self.applied_on.setDisplayFormat("yyyy-MM-dd")
        self.applied_on.setDateRange(QDate(1950, 1, 1), to_qdate(self.today))
        self.applied_on.setDate(to_qdate(self.today))
        self.notes = QLineEdit(self)
        self.reason = QLineEdit(self)
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText(self.tr("有规则提醒时必须填写原因"))

        details = QWidget(self)
        self.form = QFormLayout(details)
        self.form.addRow(self.tr("姓名"), self._with_message("name", self.name))
        self.form.addRow(self.tr("公民身份号码"), self._with_message("citizen_id", self.citizen_id))
        self.form.addRow(self.tr("性别"), self._with_message("gender", self.gender))
        self.form.addRow(self.tr("出生日期"), self._with_message("birth_date", self.birth_date))
        self.form.addRow(self.tr("民族"), self.ethnicity)
        self.form.addRow(self.tr("学历"), self.education)
        self.form.addRow(self.tr("学历分类"), self._with_message("education_class", self.education_class))
        self.form.addRow(self.tr("工作岗位"), self.job)
        self.form.addRow(self.tr("工作岗位代码"), self._with_message("post_code", self.post_code))
        self.form.addRow(self.tr("专业技术职务"), self.tech_title)
        self.form.addRow(self.tr("生产工作第一线"), self.front_line)
        self.form.addRow(self.tr("共青团员推优"), self.league_recommended)
        self.form.addRow(self.tr("手机号"), self._with_message("mobile", self.mobile))
        self.form.addRow(self.tr("党小组"), self.party_group)
        self._applied_on_row = self._with_message("applied_on", self.applied_on)
        self.form.addRow(self.tr("递交入党申请书日期"), self._applied_on_row)
        self.form.addRow(self.tr("备注"), self.notes)
        self._reason_row = self._with_message("reason", self.reason)
        self.form.addRow(self.tr("保存原因"), self._reason_row)

        # --- timeline tab
        timeline = QWidget(self)
        self.person_warnings = QLabel(self)
        self.person_warnings.setObjectName("person_warnings")
        self.person_warnings.setWordWrap(True)
        self.person_warnings.setStyleSheet(WARNING_STYLE)
        self.person_warnings.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.steps_model = DevelopmentStepsModel(self)
        self.steps = QTableView(self)
        self.steps.setObjectName("steps")
        self.steps.setModel(self.steps_model)
        self.steps.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.steps.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.steps.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.steps.setWordWrap(True)
        # 内容, 规则提醒 and 保存原因 wrap in the room left; 状态 stays in sight at 1366×768 and at 150%.
        fit_columns(self.steps, stretch=(3, 4, 5))
        self.steps.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.add_step_button = QPushButton(self.tr("添加步骤…"), self)
        self.add_step_button.setObjectName("add_step")
        self.add_step_button.setToolTip("Ctrl+N")
        self.void_button = QPushButton(self.tr("作废所选步骤…"), self)
        self.leave_button = QPushButton(self.tr("退出培养…"), self)
        self.files_button = QPushButton(self.tr("所选步骤的附件…"), self)
        self.files_button.setToolTip(self.tr("入党申请书、志愿书、考察材料等的扫描件"))
        self.files_button.clicked.connect(self.open_step_attachments)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_step_button)
        buttons.addWidget(self.void_button)
        buttons.addWidget(self.files_button)
        buttons.addStretch(1)
        buttons.addWidget(self.leave_button)
        t = QVBoxLayout(timeline)
        t.addLayout(buttons)
        t.addWidget(self.steps, 1)
        t.addWidget(self.person_warnings)

        self.tabs = QTabWidget(self)
        self.tabs.addTab(details, self.tr("基本信息"))
        self.tabs.addTab(timeline, self.tr("发展进程"))

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close, self
        )
        save = self.use_buttons(self.buttons)
        save.setText(self.tr("保存"))
        save.setToolTip("Ctrl+S")
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)
        shortcut(self, QKeySequence.StandardKey.New, self.add_step)
        self.add_step_button.clicked.connect(self.add_step)
        self.void_button.clicked.connect(self.void_current)
        self.leave_button.clicked.connect(self.leave)

        self.error = self._messages["name"]
        self._load()
        self.watch(
            self.name,
            self.citizen_id,
            self.gender,
            self.birth_date,
            self.ethnicity,
            self.education,
            self.education_class,
            self.job,
            self.post_code,
            self.tech_title,
            self.front_line,
            self.league_recommended,
            self.mobile,
            self.party_group,
            self.notes,
            self.applied_on,
            self.reason,
        )
        self.finish()

    # --- helpers ----------------------------------------------------------------------------------------------

    def _with_message(self, key: str, widget: QWidget) -> QWidget:
        box = QWidget(self)
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(widget, 1)
        label = QLabel(self)
        label.setObjectName(f"message_{key}")
        label.setWordWrap(True)
        row.addWidget(label, 1)
        self._messages[key] = label
        return box

    def _load(self) -> None:
        person = self.person
        is_new = person is None
        self.tabs.setTabEnabled(1, not is_new)
        self.form.setRowVisible(self._applied_on_row, is_new)
        self.form.setRowVisible(self._reason_row, is_new)
        if person is None:
            self.setWindowTitle(self.tr("新增入党申请人"))
            self.header.setText(self.tr("新增入党申请人"))
        else:
            self.setWindowTitle(self.tr("发展对象 — {0}").format(person.name))
            status = "" if person.status == "in_pipeline" else f"（{dev_db.PERSON_STATUSES[person.status]}）"
            self.header.setText(f"{person.name}　{dev_db.STAGES[person.stage]}{status}")
            for edit, value in (
                (self.name, person.name),
                (self.citizen_id, person.citizen_id or ""),
                (self.ethnicity, person.ethnicity),
                (self.job, person.job),
                (self.mobile, person.mobile),
                (self.notes, person.notes),
            ):
                edit.blockSignals(True)
                edit.setText(value)
                edit.blockSignals(False)
            self.gender.setCurrentIndex(max(self.gender.findData(person.gender), 0))
            self.birth_date.blockSignals(True)
            self.birth_date.set_date(person.birth_date)
            self.birth_date.blockSignals(False)
            self.education.setCurrentText(person.education)
            self.education_class.load(person.education_class, person.education)
            self.post_code.set_value(person.post_code)
            self.tech_title.set_value(person.tech_title)
            self.front_line.set_value(person.front_line)
            self.league_recommended.setChecked(person.league_recommended)
            self.party_group.setCurrentIndex(max(self.party_group.findData(person.party_group_uuid), 0))
            self.reload_steps()
            editable = person.status != "left" and not self.ctx.db.readonly
            self.add_step_button.setEnabled(editable)
            self.void_button.setEnabled(editable)
            self.leave_button.setEnabled(person.status == "in_pipeline" and not self.ctx.db.readonly)
        self.check()

    def reload_steps(self) -> None:
        assert self.person is not None
        self.steps_model.set_steps(dev_db.list_steps(self.ctx.db, person_uuid=self.person.uuid))
        warnings = dev_db.person_warnings(self.ctx.db, uuid=self.person.uuid)
        reasons = {s.uuid: s.reason for s in self.steps_model.steps()}
        if warnings:
            lines = [self.tr("规则提醒（{0} 条）：").format(len(warnings))]
            for w in warnings:
                reason = reasons.get(w.step_uuid, "")
                lines.append(
                    f"• {w.message}" + (self.tr("　— 保存原因：{0}").format(reason) if reason else "")
                )
            self.person_warnings.setText("\n".join(lines))
        else:
            self.person_warnings.setText(self.tr("未发现违反发展党员工作程序的情况。"))
        if self.person.status == "left":
            self.person_warnings.setText(
                self.person_warnings.text()
                + "\n"
                + self.tr("已于 {0} 退出培养：{1}").format(
                    self.person.status_on or "", self.person.status_reason
                )
            )

    def values(self) -> dict[str, Any]:
        return {
            "name": self.name.text(),
            "citizen_id": self.citizen_id.text(),
            "gender": self.gender.currentData(),
            "ethnicity": self.ethnicity.text(),
            "education": self.education.currentText(),
            "education_class": self.education_class.value(),
            "job": self.job.text(),
            "post_code": self.post_code.value(),
            "tech_title": self.tech_title.value(),
            "front_line": self.front_line.value(),
            "league_recommended": self.league_recommended.isChecked(),
            "mobile": self.mobile.text(),
            "party_group": self.party_group.currentData(),
            "notes": self.notes.text(),
            "birth_date": self.birth_date.date(),
        }

    def problems(self) -> list[Problem]:
        cid = self.citizen_id.text().strip()
        if cid:
            try:
                parsed = parse_citizen_id(cid, today=self.today)
            except CitizenIdError:
                pass
            else:
                # A valid ID fills birth date and gender (the record must agree with it anyway).
                if self.birth_date.date() != parsed.birth_date:
                    self.birth_date.blockSignals(True)
                    self.birth_date.set_date(parsed.birth_date)
                    self.birth_date.blockSignals(False)
                if self.gender.currentData() is None:
                    self.gender.blockSignals(True)
                    self.gender.setCurrentIndex(max(self.gender.findData(parsed.gender), 0))
                    self.gender.blockSignals(False)
        try:
            problems = dev_db.validate_person(
                self.ctx.db,
                values=self.values(),
                applied_on=to_date(self.applied_on.date()) if self.person is None else None,
                uuid=self.person.uuid if self.person else None,
                today=self.today,
            )
        except BranchDeskError as exc:
            problems = [Problem("name", str(exc))]
        self._problems = problems
        warned = any(p.warning for p in problems)
        if self.person is None and warned and not self.reason.text().strip():
            # Blocks saving; shown in the warning colour beside 原因 (see show_problems).
            problems = [*problems, Problem("reason", self.tr("有规则提醒：请填写原因后保存"))]
        return problems

    def show_problems(self, problems: Sequence[Problem]) -> None:
        """Reasons for fields without a label go beside 姓名; a field with only warnings shows them in the warning
        colour, and so does the request for a reason when 原因 has no reason of its own."""
        request = self.tr("有规则提醒：请填写原因后保存")
        real = [p for p in problems if not (p.field == "reason" and p.message == request)]
        by_field: dict[str, list[Problem]] = {}
        for p in real:
            by_field.setdefault(p.field if p.field in self._messages else "name", []).append(p)
        for key, label in self._messages.items():
            found = by_field.get(key, [])
            label.setText("；".join(p.message for p in found))
            label.setStyleSheet(ERROR_STYLE if any(not p.warning for p in found) else WARNING_STYLE)
        if len(real) < len(problems) and "reason" not in by_field:
            self._messages["reason"].setText(request)
            self._messages["reason"].setStyleSheet(WARNING_STYLE)

    # --- actions ----------------------------------------------------------------------------------------------

    def write(self) -> dev_db.DevelopmentPerson:
        if self.person is None:
            return development_ops.add_person(
                self.ctx,
                values=self.values(),
                applied_on=to_date(self.applied_on.date()),
                reason=self.reason.text(),
                today=self.today,
            )
        return development_ops.update_person(
            self.ctx, uuid=self.person.uuid, changes=self.values(), today=self.today
        )

    def after_save(self, result: dev_db.DevelopmentPerson) -> None:
        """The dialog stays open on the saved person; a new applicant goes on to the steps."""
        was_new = self.person is None
        self.person = result
        self._load()
        self.mark_unchanged()
        if was_new:
            self.tabs.setCurrentIndex(1)  # next: record the steps

    def _refresh_person(self) -> None:
        assert self.person is not None
        self.person = dev_db.get_person(self.ctx.db, uuid=self.person.uuid)
        self._load()
        self.saved.emit(self.person)

    def add_step(self) -> None:
        from desktop.dialogs.development_step import StepDialog

        if self.person is None or not self.add_step_button.isEnabled():
            return
        dialog = StepDialog(self.ctx, self.person, self, today=self.today)
        dialog.saved.connect(lambda _s: self._refresh_person())
        self._open_child(dialog)

    def open_step_attachments(self) -> AttachmentsDialog | None:
        """所选步骤的附件…: the files of the selected development step (申请书, 志愿书 scans)."""
        step = self.current_step()
        owner = ("development_step", step.uuid) if step else None
        return open_attachments(self, self.ctx, owner, self.tr("发展步骤的附件"))

    def current_step(self) -> dev_db.DevelopmentStep | None:
        index = self.steps.currentIndex()
        return index.siblingAtColumn(0).data(STEP_ROLE) if index.isValid() else None

    def void_current(self) -> None:
        step = self.current_step()
        if step is None or step.voided or self.person is None:
            return

        def submit(_on: date, reason: str) -> None:
            development_ops.void_step(self.ctx, step_uuid=step.uuid, reason=reason)
            self._refresh_person()

        self._open_child(
            ReasonDialog(
                self.tr("作废步骤：{0}（{1}）").format(step.label, step.on),
                self.tr("作废原因"),
                submit,
                self,
                ctx=self.ctx,
                today=self.today,
                with_date=False,
            )
        )

    def leave(self) -> None:
        if self.person is None:
            return
        person = self.person

        def submit(on: date, reason: str) -> None:
            development_ops.leave_pipeline(self.ctx, uuid=person.uuid, on=on, reason=reason, today=self.today)
            self._refresh_person()

        self._open_child(
            ReasonDialog(
                self.tr("退出培养：{0}").format(person.name),
                self.tr("退出原因"),
                submit,
                self,
                ctx=self.ctx,
                today=self.today,
            )
        )

    def _open_child(self, dialog: QDialog) -> None:
        self.child = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()


def screenshot_dialog(ctx: AppContext, parent: QWidget) -> QWidget:
    """For ``desktop.screenshots``: the person with the most steps (a rule warning if possible), timeline shown."""
    people = dev_db.list_people(ctx.db, include_left=True)
    if not people:
        return PersonDialog(ctx, None, parent)
    person = max(people, key=lambda p: (p.warning_count, len(dev_db.list_steps(ctx.db, person_uuid=p.uuid))))
    dialog = PersonDialog(ctx, person, parent)
    dialog.tabs.setCurrentIndex(1)
    dialog.resize(1100, 680)
    return dialog
