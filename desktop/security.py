"""Protection while the program runs: growing delays after wrong passwords, and the idle auto-lock.

``TryDelay`` counts wrong tries and says how long the next try must wait (none for the first two, then 2, 4, 8 …
seconds, at most a minute), so guessing a password at the keyboard is slow.

``IdleLock`` watches keyboard and mouse input of the whole application. When a database with a password has seen
no input for ``minutes`` (QSettings ``security/idle_minutes``, default 10; 0 turns it off), it hides the main
window's content and shows the unlock dialog, which only the database password (or closing the program) ends.
Without a password there is nothing to check a person against, so nothing locks.
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMainWindow

DEFAULT_IDLE_MINUTES = 10
_INPUT_EVENTS = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


def idle_minutes() -> int:
    """The configured idle time before the lock (minutes; 0 = never)."""
    try:
        return max(0, int(QSettings().value("security/idle_minutes", DEFAULT_IDLE_MINUTES)))
    except (TypeError, ValueError):
        return DEFAULT_IDLE_MINUTES


def set_idle_minutes(minutes: int) -> None:
    QSettings().setValue("security/idle_minutes", max(0, int(minutes)))


def same_password(given: str, expected: str | None) -> bool:
    """Constant-time comparison of a typed password with the database's."""
    return expected is not None and hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


class TryDelay:
    """Wrong tries and the wait they impose: 0, 0, then 2, 4, 8 … seconds (at most ``cap``)."""

    def __init__(self, *, cap: int = 60, clock: Callable[[], float] = time.monotonic) -> None:
        self.failures = 0
        self.cap = cap
        self._clock = clock
        self._until = 0.0

    def delay_for(self, failures: int) -> int:
        return 0 if failures < 3 else min(2 ** (failures - 2), self.cap)

    def failed(self) -> int:
        """Count a wrong try; returns the seconds to wait before the next one."""
        self.failures += 1
        wait = self.delay_for(self.failures)
        self._until = self._clock() + wait
        return wait

    def succeeded(self) -> None:
        self.failures = 0
        self._until = 0.0

    def remaining(self) -> float:
        """Seconds still to wait (0 when a try is allowed now)."""
        return max(0.0, self._until - self._clock())


class IdleLock(QObject):
    """Locks ``window`` after ``minutes`` without input when its database has a password."""

    locked = Signal()
    unlocked = Signal()

    def __init__(
        self, window: QMainWindow, *, minutes: int | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__(window)
        self.window = window
        self.minutes = idle_minutes() if minutes is None else minutes
        self._clock = clock
        self.last_input = clock()
        self.dialog = None
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
        from desktop.dialogs.password_prompt import UnlockDialog

        if self.dialog is not None or not self._has_password():
            return
        central = self.window.centralWidget()
        if central is not None:
            central.setVisible(False)
        self.window.menuBar().setEnabled(False)
        dialog = UnlockDialog(lambda: self.window.ctx.db.key, self.window)  # type: ignore[attr-defined]
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
        self.dialog = None
        self.last_input = self._clock()
        self.unlocked.emit()

    def is_locked(self) -> bool:
        return self.dialog is not None
