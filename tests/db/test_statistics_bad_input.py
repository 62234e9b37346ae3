"""The yearly 党内统计 against bad input and the edges of the rules (issue 19, QA pass): who the balance names and
why, the workbook written where it cannot be, and HQ's consolidation of files that are not what they seem."""

from __future__ import annotations

from datetime import date
from typing import Any

from db import members, statistics, transfers
from db.rules import make_citizen_id

TODAY = date(2026, 12, 1)


def _add(db, name: str, joined: date, seq: int, *, category: str = "full", **extra: Any) -> str:  # type: ignore[no-untyped-def]
    birth = date(1980, 1, 1)
    values = {
        "name": name,
        "citizen_id": make_citizen_id("140202", birth, seq),
        "birth_date": birth,
        "category": category,
        "joined_on": joined,
        "full_on": date(joined.year + 1, joined.month, joined.day) if category == "full" else None,
        **extra,
    }
    return members.add_member(db, values=values).uuid


def test_each_person_of_a_difference_is_told_only_their_own_reason(db) -> None:  # type: ignore[no-untyped-def]
    """Two members archived without an event beside a year of ordinary changes: each is named with the one
    change of their own that lacks its reason, not with every change of the year (which read 死亡：变动原因不明
    for a death fully recorded, and the same list for everyone)."""
    _add(db, "老党员", date(2000, 7, 1), 101)
    died = _add(db, "甲", date(2001, 7, 1), 102)
    transfers.record_event(
        db, member_uuid=died, kind="deceased", happened_on=date(2025, 12, 31), reason="病故", today=TODAY
    )
    _add(db, "乙", date(2025, 1, 1), 103, category="probationary")
    for name, seq, on in (("丙", 104, date(2025, 5, 5)), ("丁", 105, date(2025, 8, 8))):
        uuid = _add(db, name, date(2003, 7, 1), seq)
        members.archive_member(db, uuid=uuid, status="removed", on=on, reason="不明")
    b = statistics.yearly_report(db, year=2025).balance
    assert (b.previous, b.added, b.removed, b.actual) == (4, 1, 1, 2)
    assert {p.name for p in b.people} == {"丙", "丁"}
    for person in b.people:
        assert person.why == "原因不明：已减员但没有出党、死亡等事项记录（减员：不明）", person.why
