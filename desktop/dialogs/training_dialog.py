"""学时 (training hours): a member's ledger of the year, entering external training (or the 补学 of a missed meeting),
voiding an entry, and importing a list (.xlsx: preview, then apply).

The ledger lists each study meeting the member attended (credited from attendance, ``db.training``; not editable
here: correct the attendance instead) and each entry of the ledger, with the year's total against the target.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from db import members as members_db
from db import training
from db.errors import BranchDeskError, Problem
from db.records import Member
from desktop.context import AppContext
from desktop.dialogs.form import to_date, to_qdate
from desktop.dialogs.transfer_form import FormDialog, date_edit
from desktop.operations import training as training_ops
from desktop.qt import *
from desktop.tasks import show_error


def notice(parent: QWidget, title: str, text: str) -> QMessageBox:
    """A non-blocking information box (``open()``), returned so tests can read and close it."""
    box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, parent)
    box.open()
    return box


class TrainingEntryDialog(FormDialog):
    """登记学时: external training (or a 补学) for one member; hours can be given as days (× the setting)."""

    def __init__(
        self, ctx: AppContext, member: Member, parent: QWidget | None = None, *, today: date | None = None
    ) -> None:
        super().__init__(ctx, self.tr("登记学时 - {0}").format(member.name), parent, today=today)
        self.member = member
        self.intro(
            self.tr(
                "登记参加上级党校、网络培训等外部学习的学时。支部会议的学时按出席情况自动计入，无需在此登记。"
            )
        )
        self.on = self.add_field("on", self.tr("培训日期 *"), date_edit(self.today))
        self.on.setMaximumDate(to_qdate(self.today))
        self.hours = self.add_field("hours", self.tr("学时 *"), QDoubleSpinBox())
        self.hours.setRange(0, training.MAX_HOURS)
        self.hours.setDecimals(1)
        self.hours.setSingleStep(0.5)
        self.days = QSpinBox()
        self.days.setRange(0, 60)
        self.days.setSuffix(self.tr(" 天"))
        self.days.setToolTip(self.tr("脱产培训按天折算：每天 {0} 学时").format(training.day_hours(ctx.db)))
        self.days.valueChanged.connect(self._days_changed)
        self.add_field("days", self.tr("或脱产天数"), self.days)
        self.title = self.add_field("title", self.tr("培训名称 *"), QLineEdit())
        self.title.setPlaceholderText(self.tr("如：党员集中轮训、党的二十大精神专题培训"))
        self.source = self.add_field("source", self.tr("举办单位"), QLineEdit())
        self.note = self.add_field("note", self.tr("备注"), QLineEdit())
        self.finish()

    def _days_changed(self, days: int) -> None:
        if days:
            self.hours.setValue(days * training.day_hours(self.ctx.db))

    def _values(self) -> dict[str, Any]:
        return {
            "member": self.member.uuid,
            "on": to_date(self.on.date()),
            "hours": self.hours.value(),
            "title": self.title.text(),
            "kind": "external",
        }

    def problems(self) -> list[Problem]:
        return training.validate_training(self.ctx.db, values=self._values(), today=self.today)

    def write(self) -> training.TrainingRecord:
        v = self._values()
        return training_ops.add_training(
            self.ctx,
            member_uuid=self.member.uuid,
            on=v["on"],
            hours=v["hours"],
            title=v["title"],
            source=self.source.text(),
            note=self.note.text(),
            today=self.today,
        )


class TrainingLedgerDialog(QDialog):
    """A member's 学时 of a year: every line, the total and the target; 登记… and 作废… act on it."""

    def __init__(
        self, ctx: AppContext, member: Member, parent: QWidget | None = None, *, today: date | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.member = member
        self.today = today or date.today()
        self.child: QWidget | None = None  # the dialog opened last (tests drive it)
        self.setWindowTitle(self.tr("学时台账 - {0}").format(member.name))
        self.resize(760, 480)
        self.year = QSpinBox(self)
        self.year.setObjectName("year")
        self.year.setRange(2000, self.today.year)
        self.year.setValue(self.today.year)
        self.year.setSuffix(self.tr(" 年"))
        self.summary = QLabel(self)
        self.summary.setObjectName("summary")
        self.table = QTableWidget(0, 5, self)
        self.table.setObjectName("ledger")
        self.table.setHorizontalHeaderLabels(
            [self.tr("日期"), self.tr("类别"), self.tr("内容"), self.tr("举办单位/会议"), self.tr("学时")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton(self.tr("登记学时…"), self)
        self.void_button = QPushButton(self.tr("作废所选…"), self)
        self.void_button.setToolTip(
            self.tr("作废登记错误的学时（记录保留，不再计入）；会议学时请更正出席情况")
        )
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        close.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("年度"), self))
        top.addWidget(self.year)
        top.addWidget(self.summary, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.add_button)
        bottom.addWidget(self.void_button)
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        for button in (self.add_button, self.void_button):
            button.setEnabled(not ctx.db.readonly)
        self.year.valueChanged.connect(lambda _y: self.reload())
        self.add_button.clicked.connect(self.add_entry)
        self.void_button.clicked.connect(self.void_selected)
        self.entries: list[training.LedgerEntry] = []
        self.reload()

    def reload(self) -> None:
        year = self.year.value()
        self.entries = training.member_ledger(self.ctx.db, member_uuid=self.member.uuid, year=year)
        self.table.setRowCount(len(self.entries))
        for row, e in enumerate(self.entries):
            cells = [e.on.isoformat(), self.tr(e.kind_label), e.title, e.source, training.hours_text(e.hours)]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 4:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)
        total = sum(e.hours for e in self.entries)
        target = training.target_of(self.ctx.db, member_uuid=self.member.uuid, year=year)
        state = (
            self.tr("已达标")
            if total >= target
            else self.tr("还差 {0} 学时").format(training.hours_text(target - total))
        )
        self.summary.setText(
            self.tr("合计 {0} 学时，目标 {1} 学时，{2}").format(
                training.hours_text(total), training.hours_text(target), state
            )
        )

    def add_entry(self) -> TrainingEntryDialog:
        dialog = TrainingEntryDialog(self.ctx, self.member, self, today=self.today)
        dialog.saved.connect(lambda _r: self.reload())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.child = dialog
        dialog.open()
        return dialog

    def selected_entry(self) -> training.LedgerEntry | None:
        row = self.table.currentRow()
        return self.entries[row] if 0 <= row < len(self.entries) else None

    def void_selected(self, reason: str | None = None) -> bool:
        """作废 the selected stored entry after asking the reason (``reason`` given: no prompt, for tests)."""
        entry = self.selected_entry()
        if entry is None or entry.record_uuid is None:
            self.child = notice(
                self, self.tr("作废学时"), self.tr("请选择一条登记的学时（会议学时请更正该会议的出席情况）")
            )
            return False
        if reason is None:
            reason, ok = QInputDialog.getText(self, self.tr("作废学时"), self.tr("作废原因（如：重复登记）"))
            if not ok:
                return False
        try:
            training_ops.archive_training(self.ctx, uuid=entry.record_uuid, reason=reason)
        except BranchDeskError as exc:
            self.child = show_error(self, self.tr("作废学时"), exc)
            return False
        self.reload()
        return True


class TrainingImportDialog(QDialog):
    """导入学时登记表: the preview of a list (row by row: 导入 / 已登记（跳过）/ 有错误 and why), then 导入."""

    def __init__(
        self, ctx: AppContext, preview: training.TrainingPreview, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.preview = preview
        self.applied: int | None = None
        self.setWindowTitle(self.tr("导入学时登记表 - {0}").format(preview.path.name))
        self.resize(900, 480)
        new, dup, bad, ignored = (preview.count(s) for s in ("new", "duplicate", "invalid", "ignored"))
        text = self.tr("工作表「{0}」：可导入 {1} 条，已登记（跳过）{2} 条，有错误 {3} 条（不导入）").format(
            preview.sheet, new, dup, bad
        )
        if ignored:
            text += self.tr("，忽略 {0} 行（合计、签字等，见下表）").format(ignored)
        summary = QLabel(text, self)
        summary.setObjectName("summary")
        self.table = QTableWidget(len(preview.rows), 7, self)
        self.table.setObjectName("rows")
        self.table.setHorizontalHeaderLabels(
            [self.tr(h) for h in ("行", "姓名", "培训日期", "学时", "培训名称", "处理", "说明")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for row, r in enumerate(preview.rows):
            cells = [
                str(r.row),
                r.name,
                r.on.isoformat() if r.on else "",
                training.hours_text(r.hours) if r.hours is not None else "",
                r.title,
                self.tr(r.status_label),
                "；".join(r.problems),
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if r.status == "invalid":
                    item.setForeground(QColor("#b02a37"))
                self.table.setItem(row, col, item)
        self.table.horizontalHeader().setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.apply_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.apply_button.setText(self.tr("导入 {0} 条").format(new))
        self.apply_button.setEnabled(bool(new) and not ctx.db.readonly)
        buttons.accepted.connect(self.apply)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)

    def apply(self) -> None:
        try:
            self.applied = training_ops.apply_training_import(self.ctx, preview=self.preview)
        except BranchDeskError as exc:
            show_error(self, self.tr("导入学时登记表"), exc)
            return
        self.accept()


def choose_training_import(parent: QWidget, ctx: AppContext) -> QFileDialog:
    """导入学时登记表…: choose the file (a window-modal dialog), then ``open_training_import``."""
    dialog = QFileDialog(
        parent,
        QCoreApplication.translate("training", "导入学时登记表"),
        str(Path.home()),
        QCoreApplication.translate("training", "Excel 工作簿 (*.xlsx *.xls)"),
    )
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.fileSelected.connect(lambda name: open_training_import(parent, ctx, Path(name)))
    dialog.open()
    return dialog


def open_training_import(parent: QWidget, ctx: AppContext, path: Path) -> QWidget:
    """Read the preview of ``path`` and open the import dialog; a refused file says why in a message box."""
    try:
        preview = training.preview_training_import(ctx.db, path=path)
    except BranchDeskError as exc:
        return show_error(parent, QCoreApplication.translate("training", "导入学时登记表"), exc)
    dialog = TrainingImportDialog(ctx, preview, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def screenshot_dialog(ctx: AppContext, parent: QWidget) -> QWidget:
    """For ``desktop.screenshots``: the 学时 ledger of the member with the most hours this year (an empty dialog
    when the roster is empty)."""
    people = members_db.list_members(ctx.db)
    if not people:
        return QDialog(parent)
    year = date.today().year
    hours = training.hours_by_member(ctx.db, year=year)
    member = max(people, key=lambda m: (hours.get(m.uuid, 0.0), m.name))
    return TrainingLedgerDialog(ctx, member, parent)
