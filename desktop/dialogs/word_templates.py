"""支部设置 → Word 模板: for each printout with a Word form, the template in use (the default or the branch's own),
and buttons to choose the branch's own .docx, save the current one to edit it in Word/WPS, and go back to the
default. A chosen template is checked with sample values first: a misspelt field or a broken tag is refused with
one message naming it, and the template in use stays."""

from __future__ import annotations

from pathlib import Path

from db.errors import BranchDeskError
from desktop.context import AppContext
from desktop.operations import word as ops
from desktop.qt import *
from desktop.tasks import show_error
from desktop.widgets.files import save_dialog
from desktop.word import forms


class WordTemplatesDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Word 模板"))
        self.resize(720, 320)
        self.table = QTableWidget(len(forms.FORMS), 2, self)
        self.table.setHorizontalHeaderLabels([self.tr("打印件"), self.tr("使用的模板")])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.choose_button = QPushButton(self.tr("选择支部模板…"), self)
        self.export_button = QPushButton(self.tr("导出当前模板…"), self)
        self.default_button = QPushButton(self.tr("恢复默认模板"), self)
        note = QLabel(
            self.tr(
                "模板是普通的 Word 文档（.docx），在需要填写的位置写 {{ 字段名 }}。先「导出当前模板」，在 Word 或 WPS "
                "中按本单位格式修改后再选择它。可用字段见说明文档 docs/word-templates.md。支部模板随数据库一起备份，"
                "设置了数据库密码时加密保存。"
            ),
            self,
        )
        note.setWordWrap(True)
        buttons = QHBoxLayout()
        for b in (self.choose_button, self.export_button, self.default_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(close)
        self.choose_button.clicked.connect(self._ask_template)
        self.export_button.clicked.connect(self._ask_export)
        self.default_button.clicked.connect(self.reset_default)
        self.table.itemSelectionChanged.connect(self._enable)
        self._file_dialog: QFileDialog | None = None
        self.refresh()
        self.table.selectRow(0)

    def refresh(self) -> None:
        for row, form in enumerate(forms.FORMS):
            own = forms.branch_template(self.ctx.db, kind=form.kind)
            used = self.tr("支部模板：{0}").format(own.name) if own else self.tr("默认模板")
            for col, text in enumerate((form.name, used)):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self._enable()

    def current_kind(self) -> str | None:
        row = self.table.currentRow()
        return forms.FORMS[row].kind if 0 <= row < len(forms.FORMS) else None

    def _enable(self) -> None:
        kind = self.current_kind()
        writable = not self.ctx.db.readonly
        self.choose_button.setEnabled(writable and kind is not None)
        self.export_button.setEnabled(kind is not None)
        self.default_button.setEnabled(
            writable and kind is not None and forms.branch_template(self.ctx.db, kind=kind) is not None
        )

    def _ask_template(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("选择 Word 模板"), str(Path.home()), self.tr("Word 文档 (*.docx)")
        )
        if name:
            self.choose(Path(name))

    def choose(self, path: Path) -> bool:
        """Use ``path`` as the branch's template of the selected printout; False (with a message) when refused."""
        kind = self.current_kind()
        if kind is None:
            return False
        try:
            ops.set_template(self.ctx, kind=kind, path=path)
        except BranchDeskError as exc:
            show_error(self, self.tr("Word 模板"), exc)
            return False
        self.refresh()
        return True

    def _ask_export(self) -> None:
        kind = self.current_kind()
        if kind is None:
            return
        form = forms.form_of(kind)
        self._file_dialog = save_dialog(
            self, self.tr("导出当前模板"), f"{form.name}模板.docx", self.tr("Word 文档 (*.docx)"), self.export
        )

    def export(self, path: Path) -> Path | None:
        """Save the template in use for the selected printout (to edit it in Word or WPS)."""
        kind = self.current_kind()
        if kind is None:
            return None
        try:
            data, _label = forms.template_source(self.ctx.db, kind=kind)
            Path(path).write_bytes(data)
        except (BranchDeskError, OSError) as exc:
            show_error(self, self.tr("导出当前模板"), exc)
            return None
        return Path(path)

    def reset_default(self) -> None:
        kind = self.current_kind()
        if kind is None:
            return
        try:
            ops.reset_template(self.ctx, kind=kind)
        except BranchDeskError as exc:
            show_error(self, self.tr("Word 模板"), exc)
            return
        self.refresh()
