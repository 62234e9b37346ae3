"""Protection while the program runs: growing delays after wrong passwords, the idle-lock setting.

``TryDelay`` counts wrong tries and says how long the next try must wait (none for the first two, then 2, 4, 8 …
seconds, at most a minute), so guessing a password at the keyboard is slow.

The idle auto-lock lives in ``desktop.idle_lock`` (it shows the unlock dialog, which uses this module).
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Callable
from typing import Any

from desktop.qt import *

DEFAULT_IDLE_MINUTES = 10


def idle_minutes() -> int:
    """The configured idle time before the lock (minutes; 0 = never)."""
    try:
        stored: Any = QSettings().value(
            "security/idle_minutes", DEFAULT_IDLE_MINUTES
        )  # a str from an .ini file
        return max(0, int(stored))
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
