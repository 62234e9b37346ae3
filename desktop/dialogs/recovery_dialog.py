"""The recovery dialog shown at start when the database fails its check (``DatabaseCorrupt``).

Three ways out, none of which writes to the damaged file:
- 从最近的备份恢复: the newest backup that passes a full ``integrity_check`` is copied into a NEW file beside the
  damaged one (``<stem>-recovered-<time>.sqlite``), which the program then opens;
- 打开已恢复的数据库: a file recovered earlier (the damaged file is still at the default place, so the next start
  lands here again) is opened;
- 保存损坏文件的副本…: a byte-for-byte copy (with its -wal) for a technician.
The search for a good backup and the copies run in ``desktop.tasks`` (no database connection is needed).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from db import backups, store
from desktop.qt import *


def recovered_files(damaged_path: Path) -> list[Path]:
    """Files recovered earlier from backups of ``damaged_path``, newest first."""
    damaged_path = Path(damaged_path)
    found = [p for p in damaged_path.parent.glob(f"{damaged_path.stem}-recovered-*.sqlite") if p.is_file()]
    return sorted(found, key=lambda p: p.name, reverse=True)


class RecoveryDialog(QDialog):
    """Offers the recovery of a damaged database; ``chosen_path`` is the file to open after ``accept()``."""

    copy_saved = Signal(object)

    def __init__(
        self, damaged_path: Path, message: str = "", parent: QWidget | None = None, *, key: str | None = None
    ) -> None:
        super().__init__(parent)
        self.damaged_path = Path(damaged_path)
        self.key = key  # the password of an encrypted database (its backups are encrypted with it)
        self.chosen_path: Path | None = None
        self.good_backup: backups.BackupInfo | None = None
        self.task: Any = None
        self.setWindowTitle(self.tr("数据库已损坏 - 恢复"))
        self.resize(640, 320)
        layout = QVBoxLayout(self)
        text = message or self.tr("数据库「{0}」已损坏（完整性检查未通过）。").format(self.damaged_path.name)
        head = QLabel(
            text
            + "\n"
            + self.tr(
                "损坏的文件不会被修改或覆盖。您可以从最近一次完好的备份恢复到一个新文件并打开它，"
                "也可以保存损坏文件的副本交给技术人员。"
            ),
            self,
        )
        head.setWordWrap(True)
        layout.addWidget(head)
        self.backup_label = QLabel(self.tr("正在查找完好的备份…"), self)
        self.backup_label.setWordWrap(True)
        layout.addWidget(self.backup_label)
        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        layout.addStretch(1)

        buttons = QHBoxLayout()
        self.restore_button = QPushButton(self.tr("从最近的备份恢复"), self)
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self.restore_latest)
        self.open_recovered_button = QPushButton(self.tr("打开已恢复的数据库"), self)
        earlier = recovered_files(self.damaged_path)
        self.open_recovered_button.setVisible(bool(earlier))
        if earlier:
            self.open_recovered_button.setToolTip(str(earlier[0]))
        self.open_recovered_button.clicked.connect(self.open_recovered)
        self.copy_button = QPushButton(self.tr("保存损坏文件的副本…"), self)
        self.copy_button.clicked.connect(self.choose_copy_folder)
        self.quit_button = QPushButton(self.tr("退出"), self)
        self.quit_button.clicked.connect(self.reject)
        for button in (self.restore_button, self.open_recovered_button, self.copy_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.quit_button)
        layout.addLayout(buttons)
        self.find_task = self._find_backup()

    def _find_backup(self) -> Any:
        from desktop.tasks import Progress, run_in_background

        path, key = self.damaged_path, self.key

        def work(progress: Progress) -> backups.BackupInfo | None:
            return backups.latest_good_backup(path, key=key)

        def done(info: backups.BackupInfo | None) -> None:
            import shiboken6

            if not shiboken6.isValid(self.backup_label):  # the dialog was closed before the search ended
                return
            self.good_backup = info
            if info is None:
                self.backup_label.setText(
                    self.tr("没有找到完好的备份（{0}）。请保存损坏文件的副本交给技术人员。").format(
                        store.backup_dir(path)
                    )
                )
                self.restore_button.setEnabled(False)
            else:
                self.backup_label.setText(
                    self.tr("最近一次完好的备份：{0}（{1}，党员 {2} 人）").format(
                        info.taken_at.strftime("%Y-%m-%d %H:%M"),
                        backups.reason_label(info.reason),
                        "—" if info.members is None else info.members,
                    )
                )
                self.restore_button.setEnabled(True)

        return run_in_background(self, title=self.tr("查找备份"), fn=work, on_done=done, show_dialog=False)

    def restore_latest(self) -> Any:
        """Copy the good backup into a new file (background); on success ``chosen_path`` is set and the dialog
        accepted. Returns the Task."""
        from desktop.tasks import Progress, run_in_background

        if self.good_backup is None:
            return None
        path, source, key = self.damaged_path, self.good_backup.path, self.key

        def work(progress: Progress) -> Path:
            progress.report(0, 1, self.tr("正在从备份恢复…"))
            return backups.recover_to_new_file(path, backup_path=source, key=key)

        def done(new_path: Path) -> None:
            self.chosen_path = Path(new_path)
            self.accept()

        def failed(exc: BaseException) -> None:
            from desktop.tasks import error_text

            self.status.setText(self.tr("恢复失败：{0}").format(error_text(exc)))
            self.restore_button.setEnabled(True)

        self.restore_button.setEnabled(False)
        self.task = run_in_background(
            self, title=self.tr("从备份恢复"), fn=work, on_done=done, on_error=failed
        )
        return self.task

    def open_recovered(self) -> None:
        earlier = recovered_files(self.damaged_path)
        if earlier:
            self.chosen_path = earlier[0]
            self.accept()

    def choose_copy_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("选择保存副本的文件夹"), str(self.damaged_path.parent)
        )
        if folder:
            self.save_copy(Path(folder))

    def save_copy(self, folder: Path) -> Any:
        """Copy the damaged file into ``folder`` (background); returns the Task."""
        from desktop.tasks import Progress, run_in_background

        path = self.damaged_path

        def work(progress: Progress) -> Path:
            return backups.save_damaged_copy(path, folder=folder)

        def done(copy: Path) -> None:
            self.status.setText(self.tr("已保存副本：{0}").format(copy))
            self.copy_saved.emit(copy)

        def failed(exc: BaseException) -> None:
            from desktop.tasks import error_text

            self.status.setText(self.tr("保存副本失败：{0}").format(error_text(exc)))

        self.task = run_in_background(self, title=self.tr("保存副本"), fn=work, on_done=done, on_error=failed)
        return self.task


def screenshot_dialog(ctx: Any, parent: QWidget) -> QWidget:
    """For ``desktop.screenshots``: the dialog as it would appear for the open database's file (nothing written)."""
    return RecoveryDialog(ctx.db.path, "", parent)
