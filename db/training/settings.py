"""The branch settings of the training hours: how many 学时 a meeting of each kind counts for, how many a day of
full-time training counts for, and the yearly targets. Defaults from ../shared/STATISTICS.md: the national plan for
2019–2023 (《2019—2023年全国党员教育培训工作规划》) asked at least 32 学时 of concentrated study a year of each member
and 56 of branch secretaries and committee members; companies convert activities (a day of full-time training 8, a
half-day lecture 4, an hour of branch study 1). These are plan figures, not articles of a regulation: the current
plan's figures are confirmed with HQ and set here."""

from __future__ import annotations

from db.branch import get_setting
from db.store import Database

DEFAULT_MEMBER_TARGET = 32
DEFAULT_COMMITTEE_TARGET = 56
DEFAULT_DAY_HOURS = 8
# Hours a meeting of each kind counts for unless the meeting records its own (党课 a half-day lecture; 主题党日 two
# hours of branch study). Other kinds count 0 unless the meeting says otherwise (a 党小组会 held as 集中学习).
DEFAULT_MEETING_HOURS: dict[str, int] = {"party_lecture": 4, "theme_day": 2}

MEMBER_TARGET_KEY = "training_target_member"
COMMITTEE_TARGET_KEY = "training_target_committee"
DAY_HOURS_KEY = "training_hours_per_day"
MEETING_HOURS_KEYS: dict[str, str] = {kind: f"training_hours_{kind}" for kind in DEFAULT_MEETING_HOURS}
SOURCE = "《2019—2023年全国党员教育培训工作规划》的要求（规划指标，以上级党委当年要求为准）"


def _int_setting(db: Database, key: str, default: int, low: int, high: int) -> int:
    value = get_setting(db, key=key, default=default)
    return value if isinstance(value, int) and low <= value <= high else default


def member_target(db: Database) -> int:
    return _int_setting(db, MEMBER_TARGET_KEY, DEFAULT_MEMBER_TARGET, 0, 500)


def committee_target(db: Database) -> int:
    return _int_setting(db, COMMITTEE_TARGET_KEY, DEFAULT_COMMITTEE_TARGET, 0, 500)


def day_hours(db: Database) -> int:
    return _int_setting(db, DAY_HOURS_KEY, DEFAULT_DAY_HOURS, 1, 24)


def meeting_hours(db: Database, kind: str) -> float:
    """The hours a meeting of ``kind`` counts for when it records none (0 for kinds that are no study)."""
    if kind not in MEETING_HOURS_KEYS:
        return 0.0
    return float(_int_setting(db, MEETING_HOURS_KEYS[kind], DEFAULT_MEETING_HOURS[kind], 0, 24))


def party_lecture_hours(db: Database) -> int:
    return int(meeting_hours(db, "party_lecture"))


def theme_day_hours(db: Database) -> int:
    return int(meeting_hours(db, "theme_day"))
