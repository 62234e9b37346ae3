"""月度报送: the guided monthly close.

One pass, top to bottom: the month (a year and a month, opening on the month that is due: the earliest not yet
submitted, ``db.monthly_close.due_month``); the checks of ``db.monthly_close.run_checks`` appear with ✓/✗ and
their Chinese reasons, naming who or what is at fault (each failing one with 去处理: the exact tab filtered to
them, and a 返回月度报送 button in the status bar to come back); when any check fails the secretary may still
submit, but only by ticking the override and giving a reason, recorded with the submission; then
「导出并报送」 writes the monthly workbook (``db.workbook.export.export_monthly``, off the GUI thread through
``desktop.tasks.run_in_background``), marks the month submitted (``db.monthly_close.mark_submitted``) and shows
where the file was written, with a button to open its folder. A month already submitted says so; exporting it
again is allowed and recorded as a resubmission.

The dialog is opened with ``open()`` (never a blocking ``exec()``), so tests drive it: ``submit()`` returns the
started task, ``submitted`` is emitted with the ``Submission``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from db import monthly_close
from db.errors import BranchDeskError
from desktop.changes import Change
from desktop.context import AppContext
from desktop.qt import *
from desktop.widgets.shortcuts import shortcut


def default_folder() -> Path:
    """Where workbooks go unless the secretary chooses: 文档/支部工作台报送."""
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(
        Path.home()
    )
    return Path(docs) / "支部工作台报送"


class MonthlyCloseDialog(QDialog):
    submitted = Signal(object)  # db.monthly_close.Submission

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
        month: str | None = None,
        folder: str | Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today = today or date.today()
        self.task: Any = None
        self.result_path: Path | None = None
        self.checks: list[monthly_close.CheckResult] = []
        self.back_button: QPushButton | None = None  # 返回月度报送, in the main window while 去处理 is away
        self.setWindowTitle(self.tr("月度报送"))
        self.resize(860, 660)
        layout = QVBoxLayout(self)

        intro = QLabel(self.tr("按顺序检查该月工作，导出月度报送工作簿，并记录为已报送。"), self)
        intro.setStyleSheet("color: #495057;")
        layout.addWidget(intro)

        form = QFormLayout()
        # A year and a month, never a day calendar: the close is of a month.
        self.year_edit = QSpinBox(self)
        self.year_edit.setObjectName("year")
        self.year_edit.setRange(2000, 2100)
        self.year_edit.setSuffix(self.tr(" 年"))
        self.month_combo = QComboBox(self)
        self.month_combo.setObjectName("month")
        for number in range(1, 13):
            self.month_combo.addItem(self.tr("{0} 月").format(number), number)
        self.due = month or monthly_close.due_month(ctx.db, today=self.today)
        self.set_month(self.due)
        month_row = QHBoxLayout()
        month_row.addWidget(self.year_edit)
        month_row.addWidget(self.month_combo)
        self.due_label = QLabel(self)
        self.due_label.setStyleSheet("color: #495057;")
        month_row.addWidget(self.due_label, 1)
        form.addRow(self.tr("报送月份"), month_row)
        folder_row = QHBoxLayout()
        self.folder_edit = QLineEdit(str(folder or default_folder()), self)
        self.folder_edit.setMinimumWidth(380)
        self.folder_button = QPushButton(self.tr("选择…"), self)
        self.folder_button.clicked.connect(self._choose_folder)
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(self.folder_button)
        form.addRow(self.tr("保存到文件夹"), folder_row)
        layout.addLayout(form)

        step1 = QLabel(self.tr("第一步　检查"), self)
        step1.setStyleSheet("font-weight: bold; font-size: 11pt;")
        layout.addWidget(step1)
        # the checks scroll when their reasons are long, so the dialog still fits a 768-pixel screen
        self.checks_scroll = QScrollArea(self)
        self.checks_scroll.setWidgetResizable(True)
        self.checks_frame = QFrame(self.checks_scroll)
        self.checks_grid = QGridLayout(self.checks_frame)
        self.checks_grid.setColumnStretch(1, 1)
        self.checks_grid.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.checks_scroll.setWidget(self.checks_frame)
        layout.addWidget(self.checks_scroll, 1)
        self.history_label = QLabel(self)
        self.history_label.setWordWrap(True)
        layout.addWidget(self.history_label)

        self.override = QCheckBox(
            self.tr("有未通过（✗）的检查，仍然报送（须说明原因，原因随报送记录）"), self
        )
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(self.tr("强制报送的原因，例如：主题党日改期至下月初召开"))
        self.reason_hint = QLabel(self)
        self.reason_hint.setStyleSheet("color: #b02a37;")
        override_row = QHBoxLayout()
        override_row.addWidget(self.reason, 1)
        override_row.addWidget(self.reason_hint)
        layout.addWidget(self.override)
        layout.addLayout(override_row)

        step2 = QLabel(self.tr("第二步　导出并报送"), self)
        step2.setStyleSheet("font-weight: bold; font-size: 11pt;")
        layout.addWidget(step2)
        self.file_label = QLabel(self)
        self.file_label.setWordWrap(True)
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.file_label)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status)
        layout.addStretch(0)

        buttons = QHBoxLayout()
        self.recheck_button = QPushButton(self.tr("重新检查"), self)
        self.submit_button = QPushButton(self.tr("导出并报送"), self)
        self.submit_button.setDefault(True)
        self.open_folder_button = QPushButton(self.tr("打开所在文件夹"), self)
        self.open_folder_button.setVisible(False)
        self.close_button = QPushButton(self.tr("关闭"), self)
        buttons.addWidget(self.recheck_button)
        buttons.addStretch(1)
        buttons.addWidget(self.open_folder_button)
        buttons.addWidget(self.submit_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)

        self.recheck_button.clicked.connect(self.run_checks)
        self.submit_button.clicked.connect(self.submit)
        self.open_folder_button.clicked.connect(self.open_folder)
        self.close_button.clicked.connect(self.reject)
        self.year_edit.valueChanged.connect(self.run_checks)
        self.month_combo.currentIndexChanged.connect(self.run_checks)
        self.folder_edit.textChanged.connect(self._update_state)
        self.override.toggled.connect(self._update_state)
        self.reason.textChanged.connect(self._update_state)
        shortcut(self, QKeySequence.StandardKey.Save, self.submit)
        self.run_checks()

    # --- state -----------------------------------------------------------------------------------------------

    def month(self) -> str:
        return f"{self.year_edit.value():04d}-{self.month_combo.currentData():02d}"

    def set_month(self, month: str) -> None:
        """Choose ``YYYY-MM`` (the checks run again once)."""
        first, _ = monthly_close.month_bounds(month)
        for widget in (self.year_edit, self.month_combo):
            widget.blockSignals(True)
        self.year_edit.setValue(first.year)
        self.month_combo.setCurrentIndex(first.month - 1)
        for widget in (self.year_edit, self.month_combo):
            widget.blockSignals(False)
        if hasattr(self, "checks_grid"):
            self.run_checks()

    def target_path(self) -> Path:
        from db.branch import get_branch

        branch = get_branch(self.ctx.db)
        stem = (branch.code or branch.name) if branch else "支部"
        safe = "".join(ch for ch in stem if ch not in '\\/:*?"<>|').strip() or "支部"
        return Path(self.folder_edit.text().strip()) / f"{safe}_{self.month()}_月度报送.xlsx"

    def meetings_ok(self) -> bool:
        return all(c.ok for c in self.checks if c.blocking)

    def all_ok(self) -> bool:
        return all(c.ok for c in self.checks)

    def run_checks(self) -> None:
        """(Re)run every check of the chosen month and show them with ✓/✗ and the reason."""
        while self.checks_grid.count():
            item = self.checks_grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.setParent(None)  # gone from findChild at once, not only at the next event loop pass
                widget.deleteLater()
        try:
            self.checks = monthly_close.run_checks(self.ctx.db, month=self.month(), today=self.today)
        except BranchDeskError as exc:
            self.checks = []
            self.status.setText(f"<span style='color:#b02a37'>{exc.message}</span>")
        for row, check in enumerate(self.checks):
            mark = QLabel("✓" if check.ok else "✗", self.checks_frame)
            mark.setObjectName(f"mark_{check.key}")
            mark.setStyleSheet(
                f"font-size: 15pt; font-weight: bold; color: {'#2e7d32' if check.ok else '#b02a37'};"
            )
            text = QLabel(
                f"<b>{check.title}</b>"
                + (self.tr("（必须）") if check.blocking else "")
                + f"<br><span style='color:#495057'>{check.explanation}</span>",
                self.checks_frame,
            )
            text.setObjectName(f"check_{check.key}")
            text.setWordWrap(True)
            text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            self.checks_grid.addWidget(mark, row, 0, Qt.AlignmentFlag.AlignTop)
            self.checks_grid.addWidget(text, row, 1)
            if not check.ok and check.page:
                go = QPushButton(self.tr("去处理"), self.checks_frame)
                go.setObjectName(f"go_{check.key}")
                go.clicked.connect(lambda _=False, c=check: self._go(c))
                self.checks_grid.addWidget(go, row, 2, Qt.AlignmentFlag.AlignTop)
        earlier = monthly_close.list_submissions(self.ctx.db, month=self.month())
        if earlier:
            last = earlier[-1]
            self.history_label.setText(
                self.tr("{0} 已报送 {1} 次，最近一次：{2}（{3}）。再次导出将记录为重新报送。").format(
                    self.month(), len(earlier), last.submitted_at[:16].replace("T", " "), last.file_name
                )
            )
        else:
            self.history_label.setText(self.tr("{0} 尚未报送。").format(self.month()))
        self.due_label.setText(
            self.tr("（应报送的月份）")
            if self.month() == self.due
            else self.tr("应报送的月份是 {0} 年 {1} 月").format(self.due[:4], int(self.due[5:]))
        )
        self._update_state()

    def _update_state(self) -> None:
        blocked = not self.all_ok()
        self.override.setVisible(blocked)
        self.reason.setVisible(blocked)
        self.reason_hint.setVisible(blocked)
        self.reason.setEnabled(self.override.isChecked())
        need_reason = blocked and (not self.override.isChecked() or not self.reason.text().strip())
        if blocked and not self.override.isChecked():
            self.reason_hint.setText(self.tr("有未通过的检查：处理后报送，或勾选上面的选项并说明原因"))
        elif need_reason:
            self.reason_hint.setText(self.tr("请填写原因"))
        else:
            self.reason_hint.setText("")
        has_folder = bool(self.folder_edit.text().strip())
        self.file_label.setText(
            self.tr("将写入：{0}").format(self.target_path()) if has_folder else self.tr("请选择保存的文件夹")
        )
        running = self.task is not None and self.task.is_running()
        self.submit_button.setEnabled(bool(self.checks) and not need_reason and has_folder and not running)

    # --- actions ---------------------------------------------------------------------------------------------

    def _go(self, check: monthly_close.CheckResult) -> None:
        """去处理: step aside to the page (the exact tab, filtered to what is at fault) and leave a 「返回月度报送」
        button in the main window's status bar that brings the close back, checked again."""
        self.hide()
        self.ctx.navigate(check.page, dict(check.filters))
        parent = self.parentWidget()
        window = parent.window() if parent is not None else None
        if window is None or not hasattr(window, "statusBar"):
            return
        if self.back_button is None:
            self.back_button = QPushButton(self.tr("返回月度报送"), window)
            self.back_button.setObjectName("back_to_close")
            self.back_button.clicked.connect(self.come_back)
            window.statusBar().addPermanentWidget(self.back_button)
            self.finished.connect(self._drop_back_button)
        self.back_button.show()

    def come_back(self) -> None:
        """Back from 去处理: the checks run again and the close shows where it was left."""
        if self.back_button is not None:
            self.back_button.hide()
        self.run_checks()
        self.open()

    def _drop_back_button(self, *_: object) -> None:
        if self.back_button is not None:
            self.back_button.hide()
            self.back_button.deleteLater()
            self.back_button = None

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("选择保存的文件夹"), self.folder_edit.text())
        if folder:
            self.folder_edit.setText(folder)

    def submit(self) -> Any:
        """Export the month's workbook in the background, then mark the month submitted. Returns the task."""
        if not self.submit_button.isEnabled():
            return None
        from db.workbook.export import export_monthly
        from desktop.tasks import Progress, own_connection, run_in_background

        month, path = self.month(), self.target_path()
        reason = self.reason.text().strip() if not self.all_ok() else None
        source = self.ctx.db

        def work(progress: Progress) -> Any:
            path.parent.mkdir(parents=True, exist_ok=True)
            with own_connection(source) as db:  # the worker's own connection
                return export_monthly(db, month=month, path=path, progress=progress.report)

        self.status.setText(self.tr("正在导出…"))
        self.task = run_in_background(
            self,
            title=self.tr("导出月度报送工作簿"),
            fn=work,
            on_done=lambda result: self._exported(result, reason),
            on_error=self._failed,
        )
        self._update_state()
        return self.task

    def _exported(self, result: Any, reason: str | None) -> None:
        try:
            submission = monthly_close.mark_submitted(
                self.ctx.db, month=result.month, path=result.path, override_reason=reason, today=self.today
            )
        except BranchDeskError as exc:
            self._failed(exc)
            return
        self.result_path = Path(result.path)
        again = self.tr("（重新报送）") if submission.resubmission else ""
        self.status.setText(
            "<span style='color:#2e7d32'><b>"
            + self.tr("{0} 已报送{1}。").format(result.month, again)
            + "</b></span><br>"
            + self.tr("工作簿已写入：{0}").format(self.result_path)
            + "<br>"
            + self.tr("校验码（SHA-256）：{0}").format(submission.sha256[:16] + "…")
        )
        self.open_folder_button.setVisible(True)
        self.due = monthly_close.due_month(self.ctx.db, today=self.today)  # the next month that is due
        self.ctx.notify(Change.EXCHANGE)
        self.run_checks()
        self.submitted.emit(submission)

    def _failed(self, exc: BaseException) -> None:
        from desktop.tasks import error_text

        self.status.setText(f"<span style='color:#b02a37'>{error_text(exc)}</span>")
        self._update_state()

    def open_folder(self) -> bool:
        if self.result_path is None:
            return False
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.result_path.parent)))


def screenshot_dialog(ctx: AppContext, parent: QWidget) -> QWidget:
    """For ``desktop.screenshots``: the close of the previous month (written nowhere until submitted)."""
    return MonthlyCloseDialog(ctx, parent)
