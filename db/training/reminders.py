"""The training-hours reminder: from the fourth quarter (1 October) on, who is still short of the year's target."""

from __future__ import annotations

from datetime import date

from db.branch import records_start
from db.records import PartReminder
from db.store import Database
from db.training import service, settings
from db.training.records import hours_text

# The fourth quarter starts on 1 October: three months are left to close a shortfall before the year's tables.
REMINDER_FROM = (10, 1)
NAMES_SHOWN = 5


def training_reminders(db: Database, *, today: date) -> list[PartReminder]:
    """One reminder from 1 October on while active members are below their 学时 target of the year: how many,
    the first names with their hours, the targets; it opens the roster narrowed to them. None in a year whose
    records start after 1 January (``db.branch.records_start``): the hours before it are not in the program."""
    start = date(today.year, *REMINDER_FROM)
    if today < start:
        return []
    records_from = records_start(db)
    if records_from is not None and records_from > date(today.year, 1, 1):
        return []  # the year's study before the branch kept its records here is not in the program: no judgement
    short = service.short_of_target(db, year=today.year)
    if not short:
        return []
    names = "、".join(f"{s.name}（{hours_text(s.hours)}）" for s in short[:NAMES_SHOWN])
    more = f"等 {len(short)} 人" if len(short) > NAMES_SHOWN else f"共 {len(short)} 人"
    return [
        PartReminder(
            "training_short",
            f"{today.year}年学时未达标：{names}{more}（目标：党员 {settings.member_target(db)} 学时，"
            f"书记和支部委员 {settings.committee_target(db)} 学时），请在年底前安排集中学习或补学",
            start,
            "members",
            {"training_short": today.year},
        )
    ]
