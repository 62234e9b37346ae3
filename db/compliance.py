"""Old name of ``db.meetings.reminders``: compliance of organisational life, heart-talk coverage, reminders.

Kept because callers and string lookups name it (``db/reminders.py`` PARTS, ``desktop/pages/home.py``,
``db/monthly_close.py``, tests). It imports only the meetings package, which never imports it back.
"""

from __future__ import annotations

from db.meetings.records import (
    FREQUENCIES,
    FREQUENCY_NAMES,
    PERIOD_NAMES,
    ComplianceRow,
    HeartTalkGap,
    Reminder,
    Window,
)
from db.meetings.reminders import (
    DEFAULT_LECTURE_FREQUENCY,
    DEFAULT_THEME_DAY,
    compliance,
    frequencies,
    heart_talk_coverage,
    lecture_frequency,
    meeting_reminders,
    period_range,
    theme_day_of_month,
    window_label,
    window_of,
)

__all__ = [
    "DEFAULT_LECTURE_FREQUENCY",
    "DEFAULT_THEME_DAY",
    "FREQUENCIES",
    "FREQUENCY_NAMES",
    "PERIOD_NAMES",
    "ComplianceRow",
    "HeartTalkGap",
    "Reminder",
    "Window",
    "compliance",
    "frequencies",
    "heart_talk_coverage",
    "lecture_frequency",
    "meeting_reminders",
    "period_range",
    "theme_day_of_month",
    "window_label",
    "window_of",
]
