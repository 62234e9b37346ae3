"""文件 → 档案立卷与交接…: the year's archive volumes (立卷) and the handover package (交接), each one button.

The archive is plain PDF by nature, whatever the database's password: the dialog says that the folder holds the
members' personal data (IDs and phones masked) and belongs in the 档案 cabinet or on the branch's own USB stick.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from db.errors import BranchDeskError
from desktop.archive import handover, volumes
from desktop.context import AppContext
from desktop.qt import *
from desktop.tasks import show_error


class ArchiveVolumesDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today = today or date.today()
        self.setWindowTitle(self.tr("档案立卷与交接"))
        self.resize(680, 480)
        self.year = QSpinBox(self)
        self.year.setRange(2000, self.today.year)
        last = max(volumes.years_with_records(ctx.db), default=self.today.year)
        self.year.setValue(min(last, self.today.year))
        self.folder = QLineEdit(str(Path.home() / "支部档案"), self)
        browse = QPushButton(self.tr("选择…"), self)
        browse.clicked.connect(self._ask_folder)
        where = QHBoxLayout()
        where.addWidget(self.folder, 1)
        where.addWidget(browse)
        form = QFormLayout()
        form.addRow(self.tr("立卷年度"), self.year)
        form.addRow(self.tr("保存到文件夹"), self._wrap(where))
        warning = QLabel(
            self.tr(
                "注意：档案和交接材料是未加密的 PDF 和数据库副本，含党员个人信息（公民身份号码、电话已隐去部分）。"
                "即使数据库设置了密码，这个文件夹也不受保护，请存入档案柜或支部专用 U 盘，不要放在公用电脑上。"
            ),
            self,
        )
        warning.setWordWrap(True)
        warning.setStyleSheet("color: #8a5a00;")
        self.archive_button = QPushButton(self.tr("生成年度档案"), self)
        self.archive_button.setObjectName("archive")
        self.archive_button.setToolTip(
            self.tr("按组织建设、组织生活、党员发展、党费、项目与整改分卷，附卷内目录和清单")
        )
        self.handover_button = QPushButton(self.tr("生成交接材料"), self)
        self.handover_button.setObjectName("handover")
        self.handover_button.setToolTip(self.tr("校验过的备份、尚未立卷的往年档案和交接清单（双方签字）"))
        self.status = QPlainTextEdit(self)  # what was made, where: selectable, scrolls when long
        self.confirm_box: QMessageBox | None = None  # the question before replacing the year's archive
        self.status.setReadOnly(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.archive_button)
        buttons.addWidget(self.handover_button)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(warning)
        layout.addLayout(buttons)
        layout.addWidget(self.status, 1)
        layout.addWidget(close)
        self.archive_button.clicked.connect(self.make_archive)
        self.handover_button.clicked.connect(self.make_handover)
        self._file_dialog: QFileDialog | None = None

    def _wrap(self, layout: QHBoxLayout) -> QWidget:
        widget = QWidget(self)
        layout.setContentsMargins(0, 0, 0, 0)
        widget.setLayout(layout)
        return widget

    def _ask_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("选择保存档案的文件夹"), self.folder.text())
        if folder:
            self.folder.setText(folder)

    def _busy(self, work: str) -> None:
        self.status.setPlainText(self.tr("正在生成{0}，请稍候…").format(work))
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        QApplication.processEvents()

    def _chosen_folder(self, title: str) -> Path | None:
        """The folder typed or chosen, when it is a full path; an empty or relative one would land wherever the
        program was started from, so it is refused with a message."""
        text = self.folder.text().strip()
        if not text or not Path(text).is_absolute():
            show_error(
                self, title, BranchDeskError(self.tr("请点“选择…”选择保存到的文件夹（需要完整的路径）"))
            )
            return None
        return Path(text)

    def make_archive(self) -> volumes.YearArchive | None:
        """Make the year's archive in the chosen folder. When that folder already holds the year's archive, first
        ask (non-blocking, the box kept in ``confirm_box``): a new run replaces its volumes and manifest."""
        year = self.year.value()
        folder = self._chosen_folder(self.tr("档案立卷"))
        if folder is None:
            return None
        out = folder / self.tr("{0}年度档案").format(year)
        made_on = volumes.earlier_archive(out, year)
        if made_on is None:
            return self._make_archive(year, out)
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("档案立卷"),
            self.tr(
                "「{0}」中已有 {1} 年度档案（立卷日期 {2}）。重新立卷会按现在的记录重新生成，替换其中的各卷、卷内目录和"
                "清单，原来的这些文件不再保留；如需保留，请先把该文件夹复制到别处。\n\n确定重新立卷吗？"
            ).format(out, year, made_on or self.tr("未记载")),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("重新立卷"))
        box.button(QMessageBox.StandardButton.Cancel).setText(self.tr("取消"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(
            lambda result: self._make_archive(year, out) if result == QMessageBox.StandardButton.Yes else None
        )
        self.confirm_box = box
        box.open()
        return None

    def _make_archive(self, year: int, out: Path) -> volumes.YearArchive | None:
        self._busy(self.tr("{0} 年度档案").format(year))
        try:
            made = volumes.make_year(self.ctx.db, year=year, out=out, today=self.today)
        except (BranchDeskError, OSError) as exc:
            self.status.setPlainText("")
            show_error(self, self.tr("档案立卷"), exc)
            return None
        finally:
            QApplication.restoreOverrideCursor()
        lines = [self.tr("已生成 {0} 年度档案：{1}").format(year, made.folder)]
        lines += [
            self.tr("第 {0} 卷 {1}：{2} 份文件，{3} 页").format(v.number, v.name, v.documents, v.pages)
            for v in made.volumes
        ]
        lines += [self.tr("问题：{0}（卷中以说明页代替）").format(p) for p in made.problems]
        lines.append(
            self.tr("卷内目录 {0} 可打印后随档案盒归档；manifest.json 用于核对档案是否被改动。").format(
                made.index.name
            )
        )
        self.status.setPlainText("\n".join(lines))
        return made

    def make_handover(self) -> handover.Handover | None:
        folder = self._chosen_folder(self.tr("工作交接"))
        if folder is None:
            return None
        out = folder / self.tr("交接材料")
        self._busy(self.tr("交接材料"))
        try:
            done = handover.make_handover(self.ctx.db, out=out, today=self.today)
        except (BranchDeskError, OSError) as exc:
            self.status.setPlainText("")
            show_error(self, self.tr("工作交接"), exc)
            return None
        finally:
            QApplication.restoreOverrideCursor()
        years = "、".join(str(a.year) for a in done.archived) or self.tr("无（往年均已立卷）")
        self.status.setPlainText(
            self.tr(
                "已生成交接材料：{0}\n备份（已校验）：{1}\n本次立卷：{2}\n交接清单：{3}（请打印后双方签字）"
            ).format(done.folder, done.backup.name, years, done.checklist.name)
        )
        return done
