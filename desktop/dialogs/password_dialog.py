"""文件 → 数据库密码…: set, change or remove the database password, and show/print the one-time recovery code.

Validated as you type (current password right, new one at least 6 characters, typed twice alike); the button stays
disabled while anything is wrong. ``db.store.change_password`` re-keys the file safely (backup first, export to a
temporary file, rename) and needs the only connection to the file, so it runs on the GUI thread after checking that
no background task is running; the new connection replaces ``ctx.db`` and every part is told to refresh.
The recovery code is shown once, with 打印 and 保存为 PDF (one QPainter layout for both), to keep in the office safe.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from db.errors import BranchDeskError, Problem
from desktop.context import AppContext
from desktop.dialogs.form import FormBase
from desktop.operations import security as security_ops
from desktop.qt import *
from desktop.qt import QPrintDialog, QPrinter  # printing: not in the star import
from desktop.security import idle_minutes, same_password, set_idle_minutes
from desktop.tasks import _running

MIN_LENGTH = 6


def paint_recovery_sheet(painter: QPainter, page: QRectF, *, code: str, db_name: str, when: str) -> None:
    """The printed recovery code: what it is, the code in large letters, where to keep it. Every block is
    measured, so the layout holds at any printer resolution."""
    from desktop.fonts import print_font

    y = page.top()

    def block(text: str, flags: int, gap: float) -> None:
        nonlocal y
        rect = QRectF(page.left(), y, page.width(), page.bottom() - y)
        bound = painter.boundingRect(rect, flags, text)
        painter.drawText(rect, flags, text)
        y += bound.height() + gap

    painter.setFont(print_font(18))
    line = painter.fontMetrics().height()
    block("支部工作台 数据库恢复码", int(Qt.AlignmentFlag.AlignHCenter), line)
    painter.setFont(print_font(11))
    line = painter.fontMetrics().height()
    for text in (
        f"数据库：{db_name}",
        f"生成时间：{when}",
        "忘记数据库密码时，在启动时的密码窗口中选择「忘记密码，使用恢复码」，输入下面的恢复码即可打开数据库。",
        "恢复码只显示这一次。请把本页保存在办公室保险柜中，不要与电脑放在一起。",
        "重新设置或更改密码后，本恢复码作废。",
    ):
        block(text, int(Qt.TextFlag.TextWordWrap), line * 0.4)
    y += line * 2
    font = QFont("DejaVu Sans Mono")
    font.setStyleHint(QFont.StyleHint.Monospace)
    font.setPointSize(20)
    font.setBold(True)
    painter.setFont(font)
    block(code, int(Qt.AlignmentFlag.AlignHCenter), 0)


def write_recovery_pdf(path: Path, *, code: str, db_name: str, when: str) -> Path:
    """The recovery sheet as an A4 PDF."""
    from desktop.printing.pdf import write_pdf

    def paint(writer: QPdfWriter) -> None:
        painter = QPainter(writer)
        try:
            paint_recovery_sheet(
                painter,
                QRectF(writer.pageLayout().paintRectPixels(300)).translated(
                    -writer.pageLayout().paintRectPixels(300).topLeft()
                ),
                code=code,
                db_name=db_name,
                when=when,
            )
        finally:
            painter.end()

    write_pdf(
        path,
        title="数据库恢复码",
        paint=paint,
        page_layout=QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(20, 20, 20, 20),
            QPageLayout.Unit.Millimeter,
        ),
    )
    return Path(path)


class PasswordDialog(FormBase):
    """Set / change / remove the password; the auto-lock minutes."""

    changed = Signal(object)  # the recovery code (str) or None after removal

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.code: str | None = None
        self.setWindowTitle(self.tr("数据库密码"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(
            QLayout.SizeConstraint.SetMinimumSize
        )  # grows when the recovery code appears
        has = bool(getattr(ctx.db, "key", None))
        intro = QLabel(
            self.tr(
                "设置密码后，数据库文件和它的备份都会加密保存：电脑丢失或文件被复制，没有密码也看不到任何内容。"
                "设置时会生成一个一次性恢复码，请打印后放进办公室保险柜。"
            )
            if not has
            else self.tr("数据库已设置密码。可以更改密码，或取消密码（文件和备份将不再加密）。"),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.current = QLineEdit(self)
        self.current.setEchoMode(QLineEdit.EchoMode.Password)
        self.current_reason = QLabel(self)
        self.new = QLineEdit(self)
        self.new.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_reason = QLabel(self)
        self.repeat = QLineEdit(self)
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat_reason = QLabel(self)
        for reason in (self.current_reason, self.new_reason, self.repeat_reason):
            reason.setStyleSheet("color: #b02a37;")
        self.current_row = self._row(self.current, self.current_reason)
        form.addRow(self.tr("当前密码："), self.current_row)
        form.setRowVisible(self.current_row, has)
        self.form = form
        form.addRow(self.tr("新密码："), self._row(self.new, self.new_reason))
        form.addRow(self.tr("再输入一次："), self._row(self.repeat, self.repeat_reason))
        self.idle = QSpinBox(self)
        self.idle.setRange(0, 240)
        self.idle.setSuffix(self.tr(" 分钟"))
        self.idle.setSpecialValueText(self.tr("从不"))
        self.idle.setValue(idle_minutes())
        self.idle.valueChanged.connect(set_idle_minutes)
        form.addRow(self.tr("无操作自动锁定："), self.idle)
        layout.addLayout(form)
        self.code_label = QLabel(self)
        self.code_label.setObjectName("recovery_code")
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code_label.setStyleSheet("font-size: 16pt; font-family: monospace; padding: 8px;")
        self.code_label.setVisible(False)
        layout.addWidget(self.code_label)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        buttons = QHBoxLayout()
        # FormBase's save_button may be None; this dialog always has its own button.
        self.password_button = QPushButton(self.tr("更改密码") if has else self.tr("设置密码"), self)
        self.save_button = self.password_button
        self.save_button.clicked.connect(self.save)
        self.remove_button = QPushButton(self.tr("取消密码"), self)
        self.remove_button.setVisible(has)
        self.remove_button.clicked.connect(self.remove)
        self.pdf_button = QPushButton(self.tr("保存恢复码为 PDF…"), self)
        self.pdf_button.setVisible(False)
        self.pdf_button.clicked.connect(self.choose_pdf)
        self.print_button = QPushButton(self.tr("打印恢复码…"), self)
        self.print_button.setVisible(False)
        self.print_button.clicked.connect(self.print_code)
        close = QPushButton(self.tr("关闭"), self)
        close.clicked.connect(self.accept)
        for b in (self.save_button, self.remove_button, self.pdf_button, self.print_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.reasons = {"current": self.current_reason, "new": self.new_reason, "repeat": self.repeat_reason}
        self.watch(self.current, self.new, self.repeat)
        self.finish()
        if getattr(ctx.db, "readonly", False):
            self.status.setText(self.tr("数据库是只读的，不能设置密码。"))

    def _row(self, edit: QLineEdit, reason: QLabel) -> QWidget:
        box = QWidget(self)
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(edit, 1)
        row.addWidget(reason)
        return box

    def _current_ok(self) -> bool:
        key = getattr(self.ctx.db, "key", None)
        return key is None or same_password(self.current.text(), key)

    def problems(self) -> list[Problem]:
        """Reasons beside the fields; an empty field blocks 设置/更改 without a reason."""
        problems = []
        if not self._current_ok():
            problems.append(Problem("current", self.tr("当前密码不正确") if self.current.text() else ""))
        new = self.new.text()
        if len(new) < MIN_LENGTH:
            problems.append(Problem("new", self.tr("至少 {0} 个字符").format(MIN_LENGTH) if new else ""))
        if self.repeat.text() != new:
            problems.append(Problem("repeat", self.tr("两次输入不一致") if self.repeat.text() else ""))
        return problems

    def check(self) -> bool:
        ok = super().check()
        readonly = bool(getattr(self.ctx.db, "readonly", False))
        has_key = bool(getattr(self.ctx.db, "key", None))
        self.remove_button.setEnabled(self._current_ok() and has_key and not readonly)
        return ok

    def show_reason(self, label: QLabel, text: str) -> None:
        """A refusal from saving goes to the status line, which otherwise keeps what it says."""
        if label is self.error:
            if text:
                self.status.setText(text)
            return
        super().show_reason(label, text)

    def validate(self) -> bool:
        """Whether 设置/更改 may run (the name callers used before the form base)."""
        return self.check()

    def _apply(self, new_key: str | None) -> str | None:
        """Change the password through the operation; refused while a background task runs."""
        if _running:
            raise BranchDeskError(self.tr("后台任务（备份、导入或导出）正在进行，请等它完成后再更改密码。"))
        code = security_ops.change_password(self.ctx, new_key=new_key)
        for edit in (self.current, self.new, self.repeat):
            edit.clear()
        return code

    def write(self) -> str | None:
        return self._apply(self.new.text())

    def after_save(self, code: str) -> None:
        """The dialog stays open and shows the one-time recovery code."""
        self.code = code
        self.code_label.setText(code)
        self.code_label.setVisible(True)
        self.pdf_button.setVisible(True)
        self.print_button.setVisible(True)
        self.remove_button.setVisible(True)
        self.form.setRowVisible(self.current_row, True)
        self.password_button.setText(self.tr("更改密码"))
        self.status.setText(
            self.tr(
                "密码已设置，数据库和全部备份已加密。上面是一次性恢复码：只显示这一次，请立即打印或保存为 PDF，"
                "放进办公室保险柜。"
            )
        )
        self.check()
        self.mark_unchanged()
        self.changed.emit(code)

    def remove(self) -> None:
        if not self._current_ok():
            return
        key_before = getattr(self.ctx.db, "key", None)
        try:
            self._apply(None)
        except BranchDeskError as exc:
            self.status.setText(exc.message)
            return
        if getattr(self.ctx.db, "key", None) is None and key_before is not None:
            self.code = None
            self.code_label.setVisible(False)
            self.pdf_button.setVisible(False)
            self.print_button.setVisible(False)
            self.remove_button.setVisible(False)
            self.form.setRowVisible(self.current_row, False)
            self.password_button.setText(self.tr("设置密码"))
            self.status.setText(self.tr("已取消密码：数据库和备份不再加密。"))
            self.check()
            self.mark_unchanged()
            self.changed.emit(None)

    def _sheet_args(self) -> dict[str, Any]:
        from datetime import datetime

        return {
            "code": self.code or "",
            "db_name": self.ctx.db.path.name,
            "when": datetime.now().strftime("%Y-%m-%d %H:%M"),
        }

    def save_pdf(self, path: Path) -> Path:
        return write_recovery_pdf(Path(path), **self._sheet_args())

    def choose_pdf(self) -> None:
        name, _f = QFileDialog.getSaveFileName(
            self,
            self.tr("保存恢复码"),
            str(Path.home() / "支部工作台恢复码.pdf"),
            self.tr("PDF 文件 (*.pdf)"),
        )
        if name:
            self.save_pdf(Path(name))
            self.status.setText(self.tr("恢复码已保存到 {0}。打印后请删除该文件。").format(name))

    def print_code(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        dialog = QPrintDialog(printer, self)

        def do_print() -> None:
            painter = QPainter(printer)
            try:
                rect = QRectF(printer.pageLayout().paintRectPixels(printer.resolution()))
                paint_recovery_sheet(painter, rect.translated(-rect.topLeft()), **self._sheet_args())
            finally:
                painter.end()

        dialog.accepted.connect(do_print)
        self._print_dialog = dialog
        dialog.open()  # type: ignore[call-arg]  # PySide6 stub gap, see [tool.mypy] in pyproject.toml


def screenshot_dialog(ctx: AppContext, parent: QWidget) -> QWidget:
    """For ``desktop.screenshots``: the dialog as opened from the menu (nothing is changed)."""
    return PasswordDialog(ctx, parent)
