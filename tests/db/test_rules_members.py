"""Issue 14, the roster's probationary members: the 转正 reminder for every 预备党员 and full_on agreeing with
joined_on, each at its boundary and naming its article (quoted in docs/rules.md)."""

from __future__ import annotations

from datetime import date

import pytest

from db import development as dv
from db.members import add_member, validate_member


@pytest.mark.parametrize(("today", "reminded"), [(date(2026, 10, 31), False), (date(2026, 11, 1), True)])
def test_every_roster_probationary_member_gets_the_full_membership_reminder(
    db, today: date, reminded: bool
) -> None:  # type: ignore[no-untyped-def]
    """党章第七条: 预备党员的预备期为一年…预备期满，党的支部应当及时讨论他能否转为正式党员 — also for a 预备党员 entered
    by hand (joined 2025-12-01, probation ends 2026-12-01; reminded 30 days ahead)."""
    m = add_member(db, values={"name": "周预", "category": "probationary", "joined_on": date(2025, 12, 1)})
    found = [r for r in dv.development_reminders(db, today=today) if r.filters.get("member") == m.uuid]
    assert bool(found) is reminded
    if reminded:
        assert found[0].kind == "probation_ending" and found[0].due == date(2026, 12, 1)
        assert "周预" in found[0].text and found[0].page == "members"


@pytest.mark.parametrize(
    ("full_on", "warned"),
    [
        (date(2021, 6, 1), False),  # one year
        (date(2021, 6, 2), True),
        (date(2021, 11, 30), True),
        (date(2021, 12, 1), False),  # extended 6 months
        (date(2022, 6, 1), False),  # extended 12 months
        (date(2022, 6, 2), True),
    ],
)
def test_full_on_agrees_with_joined_on(db, full_on: date, warned: bool) -> None:  # type: ignore[no-untyped-def]
    """党章第七条: 预备党员的预备期为一年…党员的党龄，从预备期满转为正式党员之日算起 — full_on is joined_on + 1 year,
    or + 1 year and an extension of 6–12 months; otherwise a warning naming both dates."""
    values = {"name": "吴正", "category": "full", "joined_on": date(2020, 6, 1), "full_on": full_on}
    problems = [p for p in validate_member(db, values=values, today=date(2026, 1, 1)) if p.field == "full_on"]
    assert bool(problems) is warned
    if warned:
        assert (
            problems[0].warning
            and "2020-06-01" in problems[0].message
            and str(full_on) in problems[0].message
        )


def test_full_member_without_joined_on_is_incomplete(db) -> None:  # type: ignore[no-untyped-def]
    """Issue 14: a 正式党员 without 加入党组织日期 is incomplete (党龄 cannot be checked) and said so."""
    problems = validate_member(db, values={"name": "郑缺", "category": "full"}, today=date(2026, 1, 1))
    assert [(p.field, p.warning) for p in problems] == [("joined_on", True)]
