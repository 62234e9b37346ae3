"""报送与导入: the monthly workbook out, HQ rosters and corrections in (preview → apply → undo), HQ consolidation.

Every file operation runs through ``desktop.tasks.run_in_background`` with its own database connection. The
file dialogs only pick paths; the work itself is in ``export_to``, ``preview_file``, ``apply_preview``,
``undo_last`` and ``consolidate_files``, which tests call directly (no modal dialog on those paths).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from db.workbook import merge
from db.workbook.merge import STATUSES, ImportPreview, PreviewRow, display
from db.workbook.roster_read import SheetChoiceNeeded
from desktop.changes import Change
from desktop.context import AppContext
from desktop.pages import BasePage
from desktop.qt import *
from desktop.tasks import Task, error_text, own_connection, run_in_background

_STATUS_COLORS = {"new": "#E2EFDA", "changed": "#DDEBF7", "conflict": "#FCE4D6", "invalid": "#F8CBAD"}
_Index = QModelIndex | QPersistentModelIndex


class PreviewModel(QAbstractTableModel):
    """Rows of an import preview; conflict rows carry a check box "采用上级的值" (take HQ's values)."""

    HEADERS = ("行号", "状态", "姓名", "变更（修改前 → 修改后）", "采用上级的值", "问题")
    COL_TAKE = 4

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[PreviewRow] = []
        self.take_file: set[str] = set()

    def set_preview(self, preview: ImportPreview | None) -> None:
        self.beginResetModel()
        self.rows = list(preview.rows) if preview else []
        self.take_file = set()
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.tr(self.HEADERS[section])
        return None

    def _changes_text(self, row: PreviewRow) -> str:
        if row.status == "new":
            return self.tr("新增党员")
        parts = []
        for c in row.changes:
            if c.conflict:
                parts.append(
                    self.tr("{0}：支部 {1} ｜ 上级 {2}（冲突）").format(
                        c.label, display(c.field, c.before), display(c.field, c.after)
                    )
                )
            else:
                parts.append(c.describe())
        return "；".join(parts)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == self.COL_TAKE and self.rows[index.row()].status == "conflict":
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return row.row
            if col == 1:
                return self.tr(STATUSES[row.status])
            if col == 2:
                return row.name
            if col == 3:
                return self._changes_text(row)
            if col == 5:
                return "；".join(
                    f"{p.column}列（{p.header}）：{p.message}" if p.column else p.message
                    for p in row.problems
                )
            return None
        if role == Qt.ItemDataRole.CheckStateRole and col == self.COL_TAKE and row.status == "conflict":
            checked = row.member_uuid in self.take_file
            return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.BackgroundRole and row.status in _STATUS_COLORS:
            return QBrush(QColor(_STATUS_COLORS[row.status]))
        if role == Qt.ItemDataRole.ToolTipRole and col in (3, 5):
            return self.data(index, Qt.ItemDataRole.DisplayRole)
        if role == Qt.ItemDataRole.UserRole:
            return row.status
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or index.column() != self.COL_TAKE:
            return False
        row = self.rows[index.row()]
        if row.status != "conflict" or not row.member_uuid:
            return False
        state = Qt.CheckState(value) if not isinstance(value, Qt.CheckState) else value
        if state == Qt.CheckState.Checked:
            self.take_file.add(row.member_uuid)
        else:
            self.take_file.discard(row.member_uuid)
        self.dataChanged.emit(index, index, [role])
        return True

    def decisions(self) -> dict[str, dict[str, str]]:
        """``merge.apply_import`` decisions: the checked conflict rows take the file's values."""
        out: dict[str, dict[str, str]] = {}
        for row in self.rows:
            if row.status == "conflict" and row.member_uuid:
                choice = "file" if row.member_uuid in self.take_file else "db"
                out[row.member_uuid] = {c.field: choice for c in row.changes if c.conflict}
        return out


class _StatusFilter(QSortFilterProxyModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.status = ""
        self.text = ""

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        model = self.sourceModel()
        status = model.data(model.index(source_row, 0, source_parent), Qt.ItemDataRole.UserRole)
        if self.status and status != self.status:
            return False
        if self.text:
            name = str(model.data(model.index(source_row, 2, source_parent)) or "")
            changes = str(model.data(model.index(source_row, 3, source_parent)) or "")
            return self.text in name or self.text in changes
        return True


class Page(BasePage):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.preview: ImportPreview | None = None
        self.last_task: Task[Any] | None = None
        self.last_result: Any = None
        layout = QVBoxLayout(self)

        # --- the workbook password agreed with headquarters (optional) ---
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("工作簿密码："), self))
        self.password_edit = QLineEdit(self)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText(self.tr("与上级约定的密码，可不填"))
        self.password_edit.setMinimumWidth(220)
        row.addWidget(self.password_edit)
        row.addWidget(QLabel(self.tr("填写后，导出的工作簿会加密；导入和汇总时用它打开加密的工作簿。"), self))
        row.addStretch(1)
        layout.addLayout(row)

        # --- export ---
        box = QGroupBox(self.tr("月度报送（导出给上级党委）"), self)
        row = QHBoxLayout(box)
        row.addWidget(QLabel(self.tr("报送月份："), box))
        self.month_edit = QDateEdit(box)
        self.month_edit.setDisplayFormat("yyyy年MM月")
        self.month_edit.setCalendarPopup(True)
        today = QDate.currentDate()
        self.month_edit.setDate(QDate(today.year(), today.month(), 1))
        row.addWidget(self.month_edit)
        self.export_button = QPushButton(self.tr("导出月度报送工作簿…"), box)
        self.export_button.clicked.connect(self._choose_export)
        row.addWidget(self.export_button)
        self.template_button = QPushButton(self.tr("生成空白名册模板…"), box)
        self.template_button.clicked.connect(self._choose_template)
        row.addWidget(self.template_button)
        row.addStretch(1)
        self.export_status = QLabel("", box)
        row.addWidget(self.export_status)
        layout.addWidget(box)
        # This export runs no checks and records nothing: say so, and where the real 报送 is.
        self.not_submission = QLabel(
            self.tr(
                "注意：这里的导出只生成工作簿，不做检查，也不记为已报送。"
                "正式报送请用首页的「月度报送」：它先检查当月工作，再导出并记录报送。"
            ),
            self,
        )
        self.not_submission.setObjectName("not_submission")
        self.not_submission.setWordWrap(True)
        self.not_submission.setStyleSheet("color: #997404;")
        layout.addWidget(self.not_submission)

        # --- import ---
        box = QGroupBox(self.tr("导入上级发来的名册或更正"), self)
        col = QVBoxLayout(box)
        row = QHBoxLayout()
        self.choose_button = QPushButton(self.tr("选择工作簿并预览…"), box)
        self.choose_button.clicked.connect(self._choose_import)
        row.addWidget(self.choose_button)
        self.counts_label = QLabel(self.tr("尚未选择文件"), box)
        row.addWidget(self.counts_label, 1)
        self.filter_combo = QComboBox(box)
        self.filter_combo.addItem(self.tr("全部"), "")
        for key, label in STATUSES.items():
            self.filter_combo.addItem(self.tr(label), key)
        self.filter_combo.currentIndexChanged.connect(self._filter)
        row.addWidget(self.filter_combo)
        self.search = QLineEdit(box)
        self.search.setPlaceholderText(self.tr("搜索姓名或内容"))
        self.search.textChanged.connect(self._filter)
        row.addWidget(self.search)
        col.addLayout(row)
        self.ignored_label = QLabel("", box)
        self.ignored_label.setWordWrap(True)
        col.addWidget(self.ignored_label)
        self.model = PreviewModel(self)
        self.proxy = _StatusFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(box)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setAlternatingRowColors(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        col.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.apply_button = QPushButton(self.tr("应用全部有效行"), box)
        self.apply_button.setEnabled(False)
        self.apply_button.clicked.connect(self.apply_preview)
        self.discard_button = QPushButton(self.tr("放弃本次导入"), box)
        self.discard_button.setEnabled(False)
        self.discard_button.clicked.connect(self.discard_preview)
        self.undo_button = QPushButton(self.tr("撤销上次导入"), box)
        self.undo_button.clicked.connect(self.undo_last)
        self.errors_button = QPushButton(self.tr("保存问题行…"), box)
        self.errors_button.setToolTip(
            self.tr("把无效和忽略的行原样另存为 Excel，加「问题」列，可发回上级更正")
        )
        self.errors_button.setEnabled(False)
        self.errors_button.clicked.connect(self._choose_errors)
        self.import_status = QLabel("", box)
        self.import_status.setWordWrap(True)
        for w in (self.apply_button, self.discard_button, self.undo_button, self.errors_button):
            row.addWidget(w)
        row.addWidget(self.import_status, 1)
        col.addLayout(row)
        layout.addWidget(box, 1)

        # --- consolidation ---
        box = QGroupBox(self.tr("上级汇总（合并多个支部的月度报送工作簿）"), self)
        col = QVBoxLayout(box)
        row = QHBoxLayout()
        self.consolidate_button = QPushButton(self.tr("选择多个工作簿并汇总…"), box)
        self.consolidate_button.clicked.connect(self._choose_consolidate)
        row.addWidget(self.consolidate_button)
        self.consolidate_status = QLabel("", box)
        row.addWidget(self.consolidate_status, 1)
        col.addLayout(row)
        self.consolidate_problems = QPlainTextEdit(box)
        self.consolidate_problems.setReadOnly(True)
        self.consolidate_problems.setMaximumHeight(90)
        self.consolidate_problems.setPlaceholderText(self.tr("汇总时发现的问题会列在这里"))
        col.addWidget(self.consolidate_problems)
        layout.addWidget(box)
        self.refresh()

    # --- page API ---

    def refresh(self) -> None:
        batches = merge.list_batches(self.ctx.db)
        last = batches[0] if batches else None
        self.undo_button.setEnabled(bool(last and last.status == "done"))
        if last:
            state = self.tr("已撤销") if last.status == "undone" else self.tr("已应用")
            self.undo_button.setToolTip(
                self.tr("上次导入：{0}（{1}，{2}）").format(last.file_name, last.created_at, state)
            )

    def month(self) -> str:
        return self.month_edit.date().toString("yyyy-MM")

    def workbook_password(self) -> str | None:
        """The password typed for encrypted workbooks, or None when the field is empty."""
        return self.password_edit.text() or None

    # --- export ---

    def _choose_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("导出月度报送工作簿"),
            f"{self.month()}-月度报送.xlsx",
            self.tr("Excel 工作簿 (*.xlsx)"),
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> Task[Any]:
        from db.workbook.export import export_monthly

        month, source, password = self.month(), self.ctx.db, self.workbook_password()

        def work(progress: Any) -> Any:
            with own_connection(source) as db:
                return export_monthly(db, month=month, path=path, progress=progress.report, password=password)

        def done(result: Any) -> None:
            self.last_result = result
            counts = "，".join(f"{k} {v} 行" for k, v in result.row_counts.items())
            text = self.tr("已导出 {0}：{1}（未记为已报送）").format(result.path.name, counts)
            if not result.recorded:
                text += self.tr("。数据库是只读的：工作簿已写好，但这次导出没有记入交换记录。")
            self.export_status.setText(text)
            self.ctx.notify(Change.EXCHANGE)

        self.last_task = run_in_background(self, title=self.tr("导出月度报送工作簿"), fn=work, on_done=done)
        return self.last_task

    def _choose_template(self) -> None:
        from db.workbook.export import write_template

        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("生成空白名册模板"), "党员名册模板.xlsx", self.tr("Excel 工作簿 (*.xlsx)")
        )
        if path:
            write_template(Path(path))
            self.export_status.setText(self.tr("已生成模板 {0}").format(Path(path).name))

    # --- import ---

    def _choose_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("选择上级发来的工作簿"),
            "",
            self.tr("表格文件 (*.xlsx *.xlsm *.xls *.ods);;所有文件 (*)"),
        )
        if path:
            self.preview_file(Path(path))

    def preview_file(self, path: Path, *, sheet: str | None = None) -> Task[Any]:
        """Preview ``path``; ``sheet`` names the roster sheet when the workbook has several (the secretary is
        asked when it is needed: ``sheet_choices`` then holds the candidates)."""
        source, password = self.ctx.db, self.workbook_password()
        self.sheet_choices: list[str] = []

        def work(progress: Any) -> ImportPreview:
            with own_connection(source) as db:
                return merge.preview_import(
                    db, path=path, progress=progress.report, password=password, sheet=sheet
                )

        def failed(exc: BaseException) -> None:
            self.show_preview(None)
            self.counts_label.setText(self.tr("未导入：{0}").format(error_text(exc)))
            if isinstance(exc, SheetChoiceNeeded):
                self.sheet_choices = list(exc.sheets)
                if self.isVisible():
                    self._ask_sheet(path, exc.sheets)

        self.last_task = run_in_background(
            self, title=self.tr("预览导入"), fn=work, on_done=self.show_preview, on_error=failed
        )
        return self.last_task

    def _ask_sheet(self, path: Path, sheets: list[str]) -> None:
        name, ok = QInputDialog.getItem(
            self,
            self.tr("选择名册所在的工作表"),
            self.tr("工作簿中有多个可能的名册，请选择："),
            sheets,
            0,
            False,
        )
        if ok and name:
            self.preview_file(path, sheet=name)

    def _choose_errors(self) -> None:
        if self.preview is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("保存问题行"),
            f"{Path(self.preview.file_name).stem}-问题行.xlsx",
            self.tr("Excel 工作簿 (*.xlsx)"),
        )
        if path:
            self.save_errors(Path(path))

    def save_errors(self, path: Path) -> Path | None:
        """Write the invalid and ignored rows of the current preview to ``path`` (rows as they were + 问题)."""
        from db.workbook.rejects import write_error_file

        if self.preview is None:
            return None
        written = write_error_file(self.preview, path, password=self.workbook_password())
        if written is not None:
            self.import_status.setText(self.tr("已保存问题行：{0}").format(written.name))
        return written

    def show_preview(self, preview: ImportPreview | None) -> None:
        self.preview = preview
        self.model.set_preview(preview)
        self.table.resizeColumnsToContents()
        self.import_status.setText("")
        self.errors_button.setEnabled(bool(preview and (preview.counts["invalid"] or preview.ignored_rows)))
        if preview is None:
            self.counts_label.setText(self.tr("尚未选择文件"))
            self.ignored_label.setText("")
        else:
            counts = "，".join(f"{self.tr(STATUSES[k])} {n}" for k, n in preview.counts.items())
            self.counts_label.setText(
                self.tr("{0}（工作表「{1}」）：{2}").format(preview.file_name, preview.sheet, counts)
            )
            notes = []
            if preview.already_imported:
                notes.append(preview.already_imported)
            if preview.ignored_columns:
                notes.append(self.tr("忽略的列：{0}").format("、".join(preview.ignored_columns)))
            if preview.new_groups:
                notes.append(self.tr("将新建党小组：{0}").format("、".join(preview.new_groups)))
            if preview.counts["conflict"]:
                notes.append(self.tr("冲突行默认保留支部的值；勾选「采用上级的值」改用文件中的值"))
            if preview.ignored_rows:
                notes.append(
                    self.tr("未作为党员读取的行：{0}").format(
                        "；".join(f"第 {p.row} 行 {p.message}" for p in preview.ignored_rows[:5])
                    )
                )
            for note in preview.row_notes[:5]:
                notes.append(self.tr("提示：{0}").format(note.text()))
            if len(preview.row_notes) > 5:
                notes.append(self.tr("另有 {0} 条提示").format(len(preview.row_notes) - 5))
            self.ignored_label.setText("\n".join(notes))
        applicable = bool(
            preview
            and not preview.already_imported
            and (preview.counts["new"] + preview.counts["changed"] + preview.counts["conflict"])
        )
        self.apply_button.setEnabled(applicable)
        self.discard_button.setEnabled(preview is not None)

    def discard_preview(self) -> None:
        self.show_preview(None)

    def apply_preview(self) -> Task[Any] | None:
        preview = self.preview
        if preview is None:
            return None
        decisions, source = self.model.decisions(), self.ctx.db

        def work(progress: Any) -> Any:
            with own_connection(source) as db:
                return merge.apply_import(db, preview=preview, decisions=decisions, progress=progress.report)

        def done(batch: Any) -> None:
            self.last_result = batch
            # The table keeps showing the file: what was applied, and what was skipped and why.
            self.apply_button.setEnabled(False)
            self.discard_button.setEnabled(True)
            taken = {r.member_uuid for r in preview.rows for c in r.changes if c.conflict} & set(decisions)
            kept = preview.counts["conflict"] - len(taken)
            self.import_status.setText(
                self.tr(
                    "已导入「{0}」：写入 {1} 行（可撤销）。跳过：冲突保留支部的值 {2} 行，无效 {3} 行，"
                    "非党员行 {4} 行；无效行的原因见表格「问题」列"
                ).format(
                    batch.file_name,
                    batch.counts.get("applied", 0),
                    kept,
                    preview.counts["invalid"],
                    len(preview.ignored_rows),
                )
            )
            self.ctx.notify(Change.MEMBERS, Change.EXCHANGE)
            self.refresh()

        self.apply_button.setEnabled(False)
        self.last_task = run_in_background(
            self, title=self.tr("导入名册"), fn=work, on_done=done, on_error=self._import_failed
        )
        return self.last_task

    def _import_failed(self, exc: BaseException) -> None:
        self.import_status.setText(self.tr("未完成：{0}").format(error_text(exc)))
        self.apply_button.setEnabled(self.preview is not None)

    def undo_last(self) -> Task[Any] | None:
        batches = merge.list_batches(self.ctx.db)
        if not batches or batches[0].status != "done":
            return None
        batch_uuid, source = batches[0].uuid, self.ctx.db

        def work(progress: Any) -> Any:
            with own_connection(source) as db:
                return merge.undo_import(db, batch=batch_uuid)

        def done(batch: Any) -> None:
            self.import_status.setText(self.tr("已撤销导入「{0}」").format(batch.file_name))
            self.ctx.notify(Change.MEMBERS, Change.EXCHANGE)
            self.refresh()

        self.last_task = run_in_background(
            self, title=self.tr("撤销导入"), fn=work, on_done=done, on_error=self._import_failed
        )
        return self.last_task

    def _filter(self) -> None:
        self.proxy.status = self.filter_combo.currentData() or ""
        self.proxy.text = self.search.text().strip()
        self.proxy.invalidate()

    # --- consolidation ---

    def _choose_consolidate(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, self.tr("选择各支部的月度报送工作簿"), "", self.tr("Excel 工作簿 (*.xlsx)")
        )
        if not paths:
            return
        out, _ = QFileDialog.getSaveFileName(
            self, self.tr("保存汇总表"), "汇总.xlsx", self.tr("Excel 工作簿 (*.xlsx)")
        )
        if out:
            self.consolidate_files([Path(p) for p in paths], Path(out))

    def consolidate_files(self, paths: list[Path], out: Path) -> Task[Any]:
        from db.workbook.consolidate import consolidate

        password = self.workbook_password()

        def work(progress: Any) -> Any:
            return consolidate(paths, out=out, progress=progress.report, password=password)

        def done(result: Any) -> None:
            self.last_result = result
            self.consolidate_status.setText(
                self.tr("已汇总 {0} 个支部（{1}），问题 {2} 项：{3}").format(
                    len(result.branches), result.month, len(result.problems), result.out.name
                )
                if result.branches
                else self.tr("没有可汇总的工作簿（所选文件都无法汇总），问题 {0} 项：{1}").format(
                    len(result.problems), result.out.name
                )
            )
            self.consolidate_problems.setPlainText(
                "\n".join(f"{f}：{m}" if f else m for f, m in result.problems) or self.tr("未发现问题")
            )

        self.last_task = run_in_background(self, title=self.tr("汇总月度报送工作簿"), fn=work, on_done=done)
        return self.last_task
