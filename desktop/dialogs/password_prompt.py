"""Asking for the database password: at start (``PasswordPromptDialog``) and after the idle lock (``UnlockDialog``).

Wrong tries make the next one wait longer (``desktop.security.TryDelay``). A wrong password is only ever a wrong
password: the store tells it apart from a damaged file, so a typo never leads to the recovery dialog. At start the
one-time recovery code can be used instead (it recovers the password from the ``.recovery`` file beside the
database); the secretary is then asked to set a new password.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop.i18n import translator
from desktop.qt import *
from desktop.security import TryDelay, same_password

_tr = translator("password")


class _PasswordBase(QDialog):
    """A password field, a message line, 确定 with the growing wait after wrong tries."""

    def __init__(self, title: str, intro: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.delay = TryDelay()
        layout = QVBoxLayout(self)
        head = QLabel(intro, self)
        head.setWordWrap(True)
        layout.addWidget(head)
        self.form = QFormLayout()
        self.password = QLineEdit(self)
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.addRow(self.tr("密码："), self.password)
        layout.addLayout(self.form)
        self.message = QLabel("", self)
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b02a37;")
        layout.addWidget(self.message)
        self.buttons = QHBoxLayout()
        self.ok_button = QPushButton(self.tr("确定"), self)
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(self.try_password)
        self.password.returnPressed.connect(self.try_password)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.ok_button)
        layout.addLayout(self.buttons)
        self._tick = QTimer(self)
        self._tick.setInterval(500)
        self._tick.timeout.connect(self._update_wait)

    def _wrong(self, text: str) -> None:
        wait = self.delay.failed()
        self.password.selectAll()
        self.message.setText(text)
        if wait:
            self.ok_button.setEnabled(False)
            self._tick.start()
            self._update_wait()

    def _update_wait(self) -> None:
        left = self.delay.remaining()
        if left <= 0:
            self._tick.stop()
            self.ok_button.setEnabled(True)
            self.ok_button.setText(self.tr("确定"))
        else:
            self.ok_button.setText(self.tr("请等待 {0} 秒").format(int(left + 0.999)))

    def try_password(self) -> None:
        raise NotImplementedError


class PasswordPromptDialog(_PasswordBase):
    """At start: the password (or the recovery code) for an encrypted database.

    After ``accept()``: ``database`` is the open database, or ``error`` a refusal other than a wrong password
    (e.g. ``DatabaseCorrupt``) with ``key`` the password that was right, for the recovery dialog.
    ``used_recovery_code`` says the password came from the recovery code.
    """

    def __init__(
        self, db_path: Path, parent: QWidget | None = None, opener: Callable[..., Any] | None = None
    ) -> None:
        from db import store

        super().__init__(
            _tr("输入数据库密码"),
            _tr("数据库「{0}」已设置密码。请输入密码。").format(Path(db_path).name),
            parent,
        )
        self.db_path = Path(db_path)
        self._open = opener or store.open
        self.database: Any = None
        self.error: BaseException | None = None
        self.key: str | None = None
        self.used_recovery_code = False
        self.with_code = False  # typing the recovery code instead of the password
        self.code = QLineEdit(self)
        self.code.setObjectName("recovery_code")
        self.code.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
        self.code_label = QLabel(self.tr("恢复码："), self)
        self.form.addRow(self.code_label, self.code)
        self.code.setVisible(False)
        self.code_label.setVisible(False)
        self.code_button = QPushButton(self.tr("忘记密码，使用恢复码…"), self)
        self.code_button.clicked.connect(self.use_recovery_code)
        self.quit_button = QPushButton(self.tr("退出"), self)
        self.quit_button.clicked.connect(self.reject)
        self.buttons.insertWidget(0, self.code_button)
        self.buttons.addWidget(self.quit_button)

    def use_recovery_code(self) -> None:
        """Switch to typing the recovery code instead of the password."""
        self.with_code = True
        self.code.setVisible(True)
        self.code_label.setVisible(True)
        self.password.setEnabled(False)
        self.code.setFocus()

    def try_password(self) -> None:
        from db import store
        from db.errors import StoreError

        if self.delay.remaining() > 0:
            return
        key = self.password.text()
        if self.with_code:
            try:
                key = store.password_from_recovery_code(self.db_path, code=self.code.text())
            except StoreError as exc:
                self._wrong(exc.message)
                return
        if not key:
            self.message.setText(self.tr("请输入密码。"))
            return
        try:
            self.database = self._open(self.db_path, key=key)
        except store.WrongPassword as exc:
            self._wrong(exc.message)
            return
        except StoreError as exc:
            self.error = exc
        self.key = key
        self.used_recovery_code = self.with_code
        self.delay.succeeded()
        self.accept()


class UnlockDialog(_PasswordBase):
    """After the idle lock: only the database's password unlocks (``expected()`` returns it)."""

    def __init__(self, expected: Callable[[], str | None], parent: QWidget | None = None) -> None:
        super().__init__(
            _tr("支部工作台已锁定"),
            _tr("长时间未操作，支部工作台已锁定以保护党员信息。请输入数据库密码解锁。"),
            parent,
        )
        self._expected = expected
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.close_button = QPushButton(self.tr("退出程序"), self)
        self.close_button.clicked.connect(self.reject)
        self.buttons.addWidget(self.close_button)

    def try_password(self) -> None:
        if self.delay.remaining() > 0:
            return
        if same_password(self.password.text(), self._expected()):
            self.delay.succeeded()
            self.password.clear()
            self.accept()
        else:
            self._wrong(self.tr("密码不正确。"))

    def keyPressEvent(self, event: Any) -> None:
        if event.key() == Qt.Key.Key_Escape:
            return
        super().keyPressEvent(event)
