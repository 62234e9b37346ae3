"""The project form (项目): fields of the 立项书, participants from the roster, progress log, status and acceptance.

基本信息 is validated as you type by ``db.projects.validate_project``: each reason is shown under its field and
保存 (Ctrl+S) stays disabled while one remains. 进展与状态 (existing projects only) appends dated progress entries,
moves the status along the allowed transitions (each dated; stopping needs a reason) and records the year-end
acceptance; each of those is saved at once and reported through ``changed``. Open with ``open()`` (non-blocking).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from db import projects as projects_db
from db.errors import Problem
from db.projects import ACCEPTANCE_RESULTS, CATEGORIES, KINDS, PROJECT_STATUSES, TEAM_KINDS, Project
from desktop.context import AppContext
from desktop.dialogs.form import to_date
from desktop.dialogs.project_common import (
    FieldsForm,
    MemberChecklist,
    OptionalDate,
    date_edit,
    fill_member_combo,
    roster_for,
    text_edit,
)
from desktop.operations import projects as projects_ops
from desktop.qt import *

# The button text for a move to each status.
_MOVE_LABELS = {"ongoing": "开始实施", "done": "完成", "stopped": "终止"}


class ProjectDialog(FieldsForm):
    """Add (``project=None``) or edit a project. ``saved(Project)`` after 保存; ``changed(Project)`` after a
    progress entry, a status change or an acceptance."""

    def __init__(
        self,
        ctx: AppContext,
        project: Project | None,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(ctx, parent, today=today)
        self.project = project
        self.setWindowTitle(
            self.tr("编辑项目 - {0}").format(project.title) if project else self.tr("新建项目")
        )
        self.resize(760, 720)

        keep = [project.leader.uuid] if project and project.leader else []
        keep += [x.uuid for x in project.participants] if project else []
        roster = roster_for(ctx.db, keep)

        self.title = QLineEdit(project.title if project else "")
        self.title.setPlaceholderText(self.tr("如：综采工作面快速移架工艺改进"))
        self.kind = QComboBox()
        for key, label in KINDS.items():
            self.kind.addItem(label, key)
        self.category = QComboBox()
        for key, label in CATEGORIES.items():
            self.category.addItem(label, key)
        self.leader = QComboBox()
        fill_member_combo(
            self.leader,
            roster,
            blank=self.tr("（请选择负责人）"),
            current=project.leader.uuid if project and project.leader else None,
        )
        self.participants = MemberChecklist(roster, [x.uuid for x in project.participants] if project else [])
        self.place = QLineEdit(project.place if project else "")
        self.place.setPlaceholderText(self.tr("工作面、区域或岗位，如：3102综采工作面"))
        self.start_on = date_edit(project.start_on if project else self.today)
        self.due_on = OptionalDate(
            self.tr("设定"), project.due_on if project and project.due_on else self.today
        )
        if project and project.due_on:
            self.due_on.set_value(project.due_on)
        self.goal = text_edit(project.goal if project else "")
        self.measures = text_edit(project.measures if project else "")
        self.outcome = text_edit(project.outcome if project else "")
        self.benefit = QLineEdit(projects_db.fen_to_yuan(project.benefit_fen) if project else "")
        self.benefit.setPlaceholderText(self.tr("可不填；单位：元，如 12000 或 3500.50"))
        self.notes = QLineEdit(project.notes if project else "")
        if project:
            self.kind.setCurrentIndex(max(self.kind.findData(project.kind), 0))
            self.category.setCurrentIndex(max(self.category.findData(project.category), 0))

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.add_rows(
            form,
            [
                ("title", self.tr("项目名称"), self.title),
                ("kind", self.tr("项目类型"), self.kind),
                ("category", self.tr("类别"), self.category),
                ("leader", self.tr("负责人"), self.leader),
                ("participants", self.tr("参与人"), self.participants),
                ("place", self.tr("地点（工作面/区域）"), self.place),
                ("start_on", self.tr("开始日期"), self.start_on),
                ("due_on", self.tr("计划完成日期"), self.due_on),
                ("goal", self.tr("目标"), self.goal),
                ("measures", self.tr("措施"), self.measures),
                ("outcome", self.tr("成效"), self.outcome),
                ("benefit_fen", self.tr("效益金额（元）"), self.benefit),
                ("notes", self.tr("备注"), self.notes),
            ],
        )
        self.period_hint = QLabel(
            self.tr("示范岗、责任区、突击队：参与人即其成员，开始日期至计划完成日期为其期限")
        )
        self.period_hint.setStyleSheet("color: #555;")
        self.period_hint.setWordWrap(True)
        form.insertRow(6, "", self.period_hint)
        basics = QWidget()
        basics.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(basics)

        self.tabs = QTabWidget(self)
        self.tabs.addTab(scroll, self.tr("基本信息"))
        self.tabs.addTab(self._build_status_tab(), self.tr("进展与状态"))
        self.tabs.setTabEnabled(1, project is not None)

        self.buttons = self.add_buttons(cancel_text=self.tr("关闭"))

        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()
        self._show_status()
        self.finish()

    # --- basics -----------------------------------------------------------------------------------------------

    def _kind_changed(self) -> None:
        self.period_hint.setVisible(self.kind.currentData() in TEAM_KINDS)

    def values(self) -> dict[str, Any]:
        """The form as ``add_project`` / ``update_project`` take it."""
        return {
            "title": self.title.text(),
            "kind": self.kind.currentData(),
            "category": self.category.currentData(),
            "leader": self.leader.currentData(),
            "participants": self.participants.checked(),
            "place": self.place.text(),
            "start_on": to_date(self.start_on.date()),
            "due_on": self.due_on.value(),
            "goal": self.goal.toPlainText(),
            "measures": self.measures.toPlainText(),
            "outcome": self.outcome.toPlainText(),
            "benefit": self.benefit.text(),
            "notes": self.notes.text(),
        }

    def problems(self) -> list[Problem]:
        """The reasons shown under their fields; 保存 is enabled only when there is none."""
        values = projects_db.clean_project_values(self.values())
        uuid = self.project.uuid if self.project else None
        return [
            p for p in projects_db.validate_project(self.ctx.db, values=values, uuid=uuid) if not p.warning
        ]

    def write(self) -> Project:
        if self.project is None:
            result = projects_ops.add_project(self.ctx, values=self.values())
        else:
            result = projects_ops.update_project(self.ctx, uuid=self.project.uuid, changes=self.values())
        self.project = result
        return result

    # --- progress, status, acceptance ----------------------------------------------------------------------

    def _build_status_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)

        self.status_label = QLabel(page)
        self.status_label.setObjectName("status_label")
        self.status_label.setWordWrap(True)
        layout.addWidget(self.status_label)

        moves = QGroupBox(self.tr("状态变更"), page)
        moves_layout = QHBoxLayout(moves)
        self.move_date = date_edit(self.today)
        self.move_reason = QLineEdit()
        self.move_reason.setPlaceholderText(self.tr("原因或说明（终止时必填）"))
        moves_layout.addWidget(QLabel(self.tr("日期")))
        moves_layout.addWidget(self.move_date)
        moves_layout.addWidget(self.move_reason, 1)
        self.move_buttons: dict[str, QPushButton] = {}
        for status, label in _MOVE_LABELS.items():
            button = QPushButton(self.tr(label))
            button.setObjectName(f"to_{status}")
            button.clicked.connect(lambda _c=False, s=status: self.move_to(s))
            moves_layout.addWidget(button)
            self.move_buttons[status] = button
        layout.addWidget(moves)

        progress = QGroupBox(self.tr("进展记录"), page)
        progress_layout = QVBoxLayout(progress)
        self.progress_table = QTableWidget(0, 2)
        self.progress_table.setHorizontalHeaderLabels([self.tr("日期"), self.tr("进展情况")])
        self.progress_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.progress_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.progress_table.verticalHeader().hide()
        progress_layout.addWidget(self.progress_table, 1)
        add_row = QHBoxLayout()
        self.progress_date = date_edit(self.today)
        self.progress_note = QLineEdit()
        self.progress_note.setPlaceholderText(self.tr("本次进展，如：完成现场调研，形成初步方案"))
        self.add_progress_button = QPushButton(self.tr("添加进展"))
        self.add_progress_button.clicked.connect(self.add_progress)
        self.progress_note.returnPressed.connect(self.add_progress)
        add_row.addWidget(self.progress_date)
        add_row.addWidget(self.progress_note, 1)
        add_row.addWidget(self.add_progress_button)
        progress_layout.addLayout(add_row)
        layout.addWidget(progress, 1)

        acceptance = QGroupBox(self.tr("年终验收"), page)
        acc_layout = QHBoxLayout(acceptance)
        self.acceptance_date = date_edit(self.today)
        self.acceptance_result = QComboBox()
        for key, label in ACCEPTANCE_RESULTS.items():
            self.acceptance_result.addItem(label, key)
        self.acceptance_note = QLineEdit()
        self.acceptance_note.setPlaceholderText(self.tr("验收意见"))
        self.accept_button = QPushButton(self.tr("登记验收"))
        self.accept_button.clicked.connect(self.record_acceptance)
        for w in (self.acceptance_date, self.acceptance_result):
            acc_layout.addWidget(w)
        acc_layout.addWidget(self.acceptance_note, 1)
        acc_layout.addWidget(self.accept_button)
        layout.addWidget(acceptance)

        layout.addWidget(self.action_error)
        return page

    def _show_status(self) -> None:
        p = self.project
        if p is None:
            self.status_label.setText(self.tr("保存项目后可登记进展、变更状态和验收。"))
            for b in self.move_buttons.values():
                b.setEnabled(False)
            return
        lines = [self.tr("当前状态：{0}（{1} 起）").format(p.status_label, p.status_on.isoformat())]
        for t in p.transitions:
            reason = f"：{t.reason}" if t.reason else ""
            lines.append(
                f"{t.on_date.isoformat()}  {PROJECT_STATUSES[t.from_status]} → "
                f"{PROJECT_STATUSES[t.to_status]}{reason}"
            )
        if p.acceptance_on:
            lines.append(
                self.tr("年终验收：{0} {1} {2}").format(
                    p.acceptance_on.isoformat(),
                    ACCEPTANCE_RESULTS.get(p.acceptance_result, ""),
                    p.acceptance_note,
                )
            )
        self.status_label.setText("\n".join(lines))
        allowed = projects_db.allowed_transitions(p.status)
        for status, button in self.move_buttons.items():
            button.setEnabled(status in allowed and not self.ctx.db.readonly)
        self.progress_table.setRowCount(len(p.progress))
        for row, entry in enumerate(p.progress):
            self.progress_table.setItem(row, 0, QTableWidgetItem(entry.on_date.isoformat()))
            self.progress_table.setItem(row, 1, QTableWidgetItem(entry.note))
        self.progress_table.resizeColumnToContents(0)

    def action_done(self, item: Project) -> None:
        self.project = item
        self._show_status()

    def move_to(self, status: str) -> bool:
        """Change the status to ``status`` on the chosen date (with the reason typed)."""
        assert self.project is not None
        uuid = self.project.uuid
        ok = self.run_action(
            lambda: projects_ops.transition_project(
                self.ctx,
                uuid=uuid,
                to=status,
                on=to_date(self.move_date.date()),
                reason=self.move_reason.text(),
                today=self.today,
            )
        )
        if ok:
            self.move_reason.clear()
        return ok

    def add_progress(self) -> bool:
        """Append the typed progress entry."""
        if self.project is None:
            return False
        uuid = self.project.uuid
        ok = self.run_action(
            lambda: projects_ops.add_progress(
                self.ctx,
                project_uuid=uuid,
                on=to_date(self.progress_date.date()),
                note=self.progress_note.text(),
                today=self.today,
            )
        )
        if ok:
            self.progress_note.clear()
        return ok

    def record_acceptance(self) -> bool:
        if self.project is None:
            return False
        uuid = self.project.uuid
        return self.run_action(
            lambda: projects_ops.record_acceptance(
                self.ctx,
                uuid=uuid,
                on=to_date(self.acceptance_date.date()),
                result=self.acceptance_result.currentData(),
                note=self.acceptance_note.text(),
                today=self.today,
            )
        )


def _sample_project(ctx: AppContext) -> Project | None:
    found = projects_db.list_projects(ctx.db)
    with_log = [p for p in found if p.progress and p.participants]
    candidates = with_log or found
    return candidates[0] if candidates else None


def screenshot_dialog(ctx: AppContext, parent: QWidget) -> QWidget:
    """For ``desktop.screenshots``: a project with participants and a progress log (an empty form if none)."""
    return ProjectDialog(ctx, _sample_project(ctx), parent)


def screenshot_progress_dialog(ctx: AppContext, parent: QWidget) -> QWidget:
    """For ``desktop.screenshots``: the 进展与状态 tab of a project."""
    dialog = ProjectDialog(ctx, _sample_project(ctx), parent)
    if dialog.project is not None:
        dialog.tabs.setCurrentIndex(1)
    return dialog
