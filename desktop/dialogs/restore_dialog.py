"""文件 → 从备份恢复…: choose a backup, see what a restore would change, then restore (off the GUI thread).

The list shows every backup of the open database (date, reason in Chinese, size, members and meetings counts); for
the selected one a second table compares the counts of the main tables now and in the backup, so nothing is replaced
before the secretary has seen what would change. Restoring asks once more (a non-blocking box), then runs
``db.backups.restore`` in ``desktop.tasks`` with its own connection: the current state is backed up first, and every
page is told to refresh (``ctx.notify`` for every part).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from db import backups
from db.backups import BackupInfo, TableCount
from desktop.changes import EVERYTHING
from desktop.context import AppContext
from desktop.models.records import Column, RecordsModel
from desktop.qt import *
from desktop.tasks import error_text
from desktop.widgets.shortcuts import shortcut

# Every part a page may listen to: after a restore all of them changed.
ALL_PARTS = EVERYTHING

_Index = QModelIndex | QPersistentModelIndex


def size_text(size: int) -> str:
    """Bytes as KB/MB for people."""
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{max(size, 0) / 1024:.0f} KB"


def _count(value: int | None) -> str:
    return "—" if value is None else str(value)


def _change(c: TableCount) -> str:
    if not c.changes:
        return QCoreApplication.translate("ComparisonModel", "不变")
    diff = (c.backup or 0) - (c.now or 0)
    if diff > 0:
        return QCoreApplication.translate("ComparisonModel", "多 {0} 条").format(diff)
    if diff < 0:
        return QCoreApplication.translate("ComparisonModel", "少 {0} 条").format(-diff)
    return QCoreApplication.translate("ComparisonModel", "条数相同")


class BackupListModel(RecordsModel[BackupInfo]):
    """Backups, newest first: 时间 | 类型 | 大小 | 党员 | 会议; the tooltip is the backup's file."""

    context = "BackupListModel"
    columns = (
        Column("备份时间", lambda b: b.taken_at.strftime("%Y-%m-%d %H:%M:%S")),
        Column("类型", lambda b: backups.reason_label(b.reason)),
        Column("大小", lambda b: size_text(b.size), lambda b: b.size, numeric=True),
        Column("党员", lambda b: _count(b.members), lambda b: b.members or 0, numeric=True),
        Column("会议", lambda b: _count(b.meetings), lambda b: b.meetings or 0, numeric=True),
    )

    def set_backups(self, rows: list[BackupInfo]) -> None:
        self.set_rows(rows)

    def backup_at(self, row: int) -> BackupInfo | None:
        return self.record(row) if 0 <= row < self.rowCount() else None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid() and 0 <= index.row() < self.rowCount():
            return str(self.record(index.row()).path)
        return super().data(index, role)


class ComparisonModel(RecordsModel[TableCount]):
    """What a restore would change: 内容 | 现在 | 备份中 | 变化 (rows a restore would lose in red)."""

    context = "ComparisonModel"
    columns = (
        Column("内容", lambda c: c.label),
        Column("现在", lambda c: _count(c.now), lambda c: c.now or 0, numeric=True),
        Column("备份中", lambda c: _count(c.backup), lambda c: c.backup or 0, numeric=True),
        Column("恢复后变化", _change),
    )

    def set_counts(self, rows: list[TableCount]) -> None:
        self.set_rows(rows)

    def counts(self) -> list[TableCount]:
        return self.rows()

    def foreground(self, record: TableCount, column: int) -> QColor | None:
        if column == 3 and record.changes and (record.backup or 0) < (record.now or 0):
            return QColor("#b02a37")  # restoring loses these rows: show it in red
        return None


class RestoreDialog(QDialog):
    """List of backups, the comparison for the selected one, and 恢复 (after one confirmation)."""

    restored = Signal(object)  # the path of the safety backup taken of the state before the restore

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.task: Any = None
        self.confirm_box: QMessageBox | None = None
        self.setWindowTitle(self.tr("从备份恢复"))
        self.resize(820, 560)
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "选择一个备份，查看恢复后数据会有哪些变化。恢复前会自动把当前数据再备份一次，恢复之后仍可找回。"
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.list_model = BackupListModel(self)
        self.list_view = QTableView(self)
        self.list_view.setObjectName("backup_list")
        self.list_view.setModel(self.list_model)
        self.list_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list_view.verticalHeader().setVisible(False)
        self.list_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.list_view.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.list_view, 3)

        self.compare_title = QLabel(self.tr("请选择一个备份。"), self)
        layout.addWidget(self.compare_title)
        self.compare_model = ComparisonModel(self)
        self.compare_view = QTableView(self)
        self.compare_view.setObjectName("comparison")
        self.compare_view.setModel(self.compare_model)
        self.compare_view.verticalHeader().setVisible(False)
        self.compare_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.compare_view, 2)

        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        buttons = QHBoxLayout()
        self.other_button = QPushButton(self.tr("选择其他备份文件…"), self)
        self.other_button.clicked.connect(self.choose_file)
        self.restore_button = QPushButton(self.tr("恢复到这个备份(&R)…"), self)
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self.request_restore)
        self.close_button = QPushButton(self.tr("关闭"), self)
        self.close_button.clicked.connect(self.reject)
        buttons.addWidget(self.other_button)
        buttons.addStretch(1)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        shortcut(self, QKeySequence(Qt.Key.Key_Escape), self.reject)

        self.list_view.selectionModel().selectionChanged.connect(lambda *_a: self._selection_changed())
        if getattr(ctx.db, "readonly", False):
            self.status.setText(self.tr("数据库是只读的，不能恢复。"))
        self.reload()

    # --- list and comparison ------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the backups folder again (quick: a few small reads per file)."""
        self.list_model.set_backups(
            backups.list_backups(self.ctx.db.path, key=getattr(self.ctx.db, "key", None))
        )
        self.compare_model.set_counts([])
        self._selection_changed()

    def add_backup_file(self, path: Path) -> None:
        """Show a backup from elsewhere (a USB stick) at the top of the list and select it."""
        from datetime import datetime

        path = Path(path)
        rows = [self.list_model.backup_at(r) for r in range(self.list_model.rowCount())]
        parsed = backups._parse(path)
        taken = parsed[0] if parsed else datetime.fromtimestamp(path.stat().st_mtime)
        reason = parsed[1] if parsed else "manual"
        counted = backups.BackupInfo(path, taken, reason, path.stat().st_size, None, None)
        try:
            counts = {c.table: c.backup for c in backups.compare_with_backup(self.ctx.db, backup_path=path)}
            counted = backups.BackupInfo(
                path, taken, reason, path.stat().st_size, counts.get("members"), counts.get("meetings")
            )
        except Exception:  # noqa: BLE001, S110 - an unreadable file is refused (and explained) when selected
            pass
        self.list_model.set_backups([counted] + [b for b in rows if b is not None])
        self.select_row(0)

    def choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("选择备份文件"), "", self.tr("支部工作台数据库 (*.sqlite);;所有文件 (*)")
        )
        if path:
            self.add_backup_file(Path(path))

    def select_row(self, row: int) -> None:
        self.list_view.selectRow(row)

    def selected_backup(self) -> BackupInfo | None:
        rows = self.list_view.selectionModel().selectedRows()
        return self.list_model.backup_at(rows[0].row()) if rows else None

    def _selection_changed(self) -> None:
        chosen = self.selected_backup()
        readonly = bool(getattr(self.ctx.db, "readonly", False))
        if chosen is None:
            self.compare_model.set_counts([])
            self.compare_title.setText(
                self.tr("请选择一个备份。") if self.list_model.rowCount() else self.tr("还没有任何备份。")
            )
            self.restore_button.setEnabled(False)
            return
        try:
            counts = backups.compare_with_backup(self.ctx.db, backup_path=chosen.path)
        except Exception as exc:  # noqa: BLE001 - shown, and restoring it is not offered
            self.compare_model.set_counts([])
            self.compare_title.setText(self.tr("无法读取这个备份：{0}").format(error_text(exc)))
            self.restore_button.setEnabled(False)
            return
        self.compare_model.set_counts(counts)
        changed = [c.label for c in counts if c.changes and c.table != "audit_log"]
        when = chosen.taken_at.strftime("%Y-%m-%d %H:%M")
        if changed:
            self.compare_title.setText(
                self.tr("恢复到 {0} 的备份后，这些内容会变化：{1}").format(when, "、".join(changed))
            )
        else:
            self.compare_title.setText(
                self.tr("恢复到 {0} 的备份：各类记录条数与现在相同（内容仍可能不同）。").format(when)
            )
        self.restore_button.setEnabled(not readonly and (self.task is None or not self.task.is_running()))

    # --- restoring ----------------------------------------------------------------------------------------

    def request_restore(self) -> QMessageBox | None:
        """Ask once more (non-blocking); 是 starts the restore."""
        chosen = self.selected_backup()
        if chosen is None:
            return None
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("确认恢复"),
            self.tr(
                "确定用 {0} 的备份替换现在的全部数据吗？\n恢复前会先把现在的数据备份一次（类型：恢复前备份）。"
            ).format(chosen.taken_at.strftime("%Y-%m-%d %H:%M:%S")),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("恢复"))
        box.button(QMessageBox.StandardButton.No).setText(self.tr("取消"))
        box.accepted.connect(self.start_restore)
        self.confirm_box = box
        box.open()
        return box

    def start_restore(self) -> Any:
        """Restore the selected backup in the background; returns the Task (tests wait on ``task.finished``)."""
        from desktop.tasks import Progress, own_connection, run_in_background

        chosen = self.selected_backup()
        if chosen is None or getattr(self.ctx.db, "readonly", False):
            return None
        db = self.ctx.db
        backup_path = chosen.path
        title = self.tr("从备份恢复")
        text = self.tr("正在备份当前数据并恢复…")

        def work(progress: Progress) -> Path:
            progress.report(0, 1, text)
            with own_connection(db) as own:
                return backups.restore(own, backup_path=backup_path)

        self.restore_button.setEnabled(False)
        self.status.setText(text)
        self.task = run_in_background(
            self, title=title, fn=work, on_done=self._restored, on_error=self._failed
        )
        return self.task

    def _restored(self, safety: Path) -> None:
        self.ctx.notify(*EVERYTHING)
        self.status.setText(self.tr("已恢复。恢复前的数据已备份为「{0}」。").format(Path(safety).name))
        self.restored.emit(safety)
        self.reload()

    def _failed(self, exc: BaseException) -> None:

        self.status.setText(self.tr("恢复失败，数据没有改变：{0}").format(error_text(exc)))
        self._selection_changed()


def screenshot_dialog(ctx: AppContext, parent: QWidget) -> QWidget:
    """For ``desktop.screenshots``: the dialog with the newest backup (if any) selected; writes nothing."""
    dialog = RestoreDialog(ctx, parent)
    if dialog.list_model.rowCount():
        dialog.select_row(0)
    return dialog
