"""The yearly 党内统计 against bad input and the edges of the rules (issue 19, QA pass): who the balance names and
why, the workbook written where it cannot be, and HQ's consolidation of files that are not what they seem."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from db import members, statistics, store, transfers
from db.rules import make_citizen_id
from tests.db.test_cli import _one_chinese_error_line, _run

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


@pytest.fixture(scope="module")
def small_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed database of a three-member branch (the CLI opens it itself)."""
    path = tmp_path_factory.mktemp("small") / "branch.sqlite"
    db = store.open(path)
    try:
        for i in range(3):
            _add(db, f"党员{i}", date(2000, 7, 1), 200 + i)
    finally:
        store.close(db)
    return path


@pytest.mark.parametrize("where", ["missing", "folder"])
def test_stats_into_a_place_it_cannot_write_names_the_file_asked_for(
    small_db: Path, tmp_path: Path, where: str
) -> None:
    """--out in a folder that does not exist (a USB stick pulled out) or naming a folder: one Chinese line naming
    the file the user gave and what to do, not the hidden temporary file beside it; nothing left behind."""
    out = tmp_path / "不存在的文件夹" / "年报.xlsx" if where == "missing" else tmp_path / "年报.xlsx"
    if where == "folder":
        out.mkdir()
    line = _one_chinese_error_line(
        _run("stats", "--db", str(small_db), "--year", "2025", "--out", str(out), cwd=tmp_path)
    )
    assert f"「{out}」" in line and ".partial" not in line and "请" in line, line
    assert not [p for p in tmp_path.rglob("*") if p.is_file()], "nothing half-written is left"
    summed = _run("stats-consolidate", "--out", str(out), str(tmp_path / "a.xlsx"), cwd=tmp_path)
    line = _one_chinese_error_line(summed)
    assert f"「{out}」" in line and ".partial" not in line, line
