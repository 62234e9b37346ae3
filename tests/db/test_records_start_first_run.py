"""A new branch starts keeping its records on the day it sets itself up (issue 16, rules issue 14's records start):
its home page shows what to do next, not alarms about the months before it used the program."""

from __future__ import annotations

from datetime import date

from db import branch, members, reminders
from db.rules import make_citizen_id

SET_UP = date(2026, 11, 20)


def _members(db, n: int = 8) -> None:  # type: ignore[no-untyped-def]
    for i in range(n):
        members.add_member(
            db,
            values={
                "name": f"王{'一二三四五六七八'[i]}",
                "category": "full",
                "joined_on": date(2005, 7, 1),
                "full_on": date(2006, 7, 1),
                "citizen_id": make_citizen_id("140402", date(1978, 1, 1 + i), 11 + 2 * i),
            },
        )


def test_the_first_save_of_the_profile_sets_the_records_start(db) -> None:  # type: ignore[no-untyped-def]
    branch.save_branch(db, name="红岭煤矿综采一区党支部", records_from=SET_UP)
    assert branch.records_start(db) == SET_UP
    # editing the profile later never moves it
    branch.save_branch(db, name="红岭煤矿综采一区党支部（更名）", records_from=date(2027, 1, 5))
    assert branch.records_start(db) == SET_UP


def test_an_existing_records_start_is_kept_and_none_is_set_without_the_day(db) -> None:  # type: ignore[no-untyped-def]
    branch.set_records_start(db, on=date(2025, 1, 1))
    branch.save_branch(db, name="甲支部", records_from=SET_UP)
    assert branch.records_start(db) == date(2025, 1, 1)


def test_without_the_day_no_records_start_is_set(db) -> None:  # type: ignore[no-untyped-def]
    branch.save_branch(db, name="甲支部")
    assert branch.records_start(db) is None


def test_a_new_branch_sees_no_alarm_about_the_time_before_it(db) -> None:  # type: ignore[no-untyped-def]
    """The same roster set up with and without the records start: only the latter raises past-period alarms."""
    branch.save_branch(db, name="甲支部", records_from=SET_UP)
    _members(db)
    quiet = [r for r in reminders.gather(db, today=SET_UP) if r.since < SET_UP and r.kind != "branch_size"]
    assert quiet == []
    branch.set_records_start(db, on=None)
    noisy = [r for r in reminders.gather(db, today=SET_UP) if r.since < SET_UP and r.severity == "urgent"]
    assert noisy, "without the records start the months before it raise urgent alarms (the old behaviour)"
