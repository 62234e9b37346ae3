"""The idle auto-lock: ``IdleLock`` watches keyboard and mouse input of the whole application. When a database with
a password has seen no input for ``minutes`` (QSettings ``security/idle_minutes``, default 10; 0 turns it off), it
hides the main window's content and every other window of the program (dialogs, modal or not, progress windows,
other databases' windows), pauses every write on the database (``Database.writes_paused``: a save tried anyway
is refused, nothing is written) and shows the unlock dialog, which only the database password (or closing the
program) ends; then the hidden windows come back as they were. Without a password there is nothing to check a
person against, so nothing locks.

Kept apart from ``desktop.security`` (which the password dialogs use) so that module does not import a dialog.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import shiboken6

from desktop.dialogs.password_prompt import UnlockDialog
from desktop.qt import *
from desktop.security import idle_minutes

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

_INPUT_EVENTS = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


class IdleLock(QObject):
    """Locks ``window`` after ``minutes`` without input when its database has a password."""

    locked = Signal()
    unlocked = Signal()

    def __init__(
        self, window: MainWindow, *, minutes: int | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__(window)
        self.window = window
        self.minutes = idle_minutes() if minutes is None else minutes
        self._clock = clock
        self.last_input = clock()
        self.dialog: UnlockDialog | None = None
        self.hidden: list[QWidget] = []  # the windows hidden by the lock, shown again at unlock
        self.timer = QTimer(self)
        self.timer.setInterval(15_000)
        self.timer.timeout.connect(self.check)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS and self.dialog is None:
            self.last_input = self._clock()
        return False

    def _has_password(self) -> bool:
        ctx = getattr(self.window, "ctx", None)
        return bool(ctx is not None and getattr(ctx.db, "key", None))

    def check(self) -> bool:
        """Lock when idle long enough; returns True when the window is (now) locked."""
        if self.dialog is not None:
            return True
        if self.minutes <= 0 or not self._has_password():
            return False
        if self._clock() - self.last_input >= self.minutes * 60:
            self.lock()
            return True
        return False

    def lock(self) -> None:
        """Hide the data and ask for the password (non-blocking ``open()``)."""
        if self.dialog is not None or not self._has_password():
            return
        central = self.window.centralWidget()
        if central is not None:
            central.setVisible(False)
        self.window.menuBar().setEnabled(False)
        self.window.ctx.db.writes_paused = True
        # Every other window of the program goes out of sight (a popup menu is closed, not brought back).
        self.hidden = [w for w in QApplication.topLevelWidgets() if w.isVisible() and w is not self.window]
        for widget in self.hidden:
            widget.hide()
        self.hidden = [w for w in self.hidden if w.windowType() != Qt.WindowType.Popup]
        dialog = UnlockDialog(lambda: self.window.ctx.db.key, self.window)
        dialog.accepted.connect(self._unlock)
        dialog.rejected.connect(self.window.close)
        self.dialog = dialog
        dialog.open()
        self.locked.emit()

    def _unlock(self) -> None:
        central = self.window.centralWidget()
        if central is not None:
            central.setVisible(True)
        self.window.menuBar().setEnabled(True)
        self.window.ctx.db.writes_paused = False
        for widget in self.hidden:
            if shiboken6.isValid(widget):  # closed meanwhile (a finished task's progress window): stays away
                widget.show()
        self.hidden = []
        self.dialog = None
        self.last_input = self._clock()
        self.unlocked.emit()

    def is_locked(self) -> bool:
        return self.dialog is not None
