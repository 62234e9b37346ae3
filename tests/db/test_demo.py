"""The demo branch: deterministic, realistic and consistent with every roster rule."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from db import branch, demo, members, parts, store
from db.errors import ValidationError
from db.rules import add_years, is_valid_mobile, parse_citizen_id

TODAY = date(2025, 6, 30)
_VOLATILE = ("id", "created_at", "updated_at", "party_group_uuid")


def _snapshot(db, *, uuids: bool = True) -> list[tuple]:  # type: ignore[no-untyped-def,type-arg]
    skip = _VOLATILE if uuids else (*_VOLATILE, "uuid")
    return sorted(
        tuple(getattr(m, f) for f in members.member_fields() if f not in skip)
        for m in members.list_members(db, status=None)
    )


@pytest.fixture
def roster_only() -> dict[str, bool]:
    """Arguments for the demo without the parts' data: exact roster figures (development adds members)."""
    return {"parts": False}


def _all_uuids(db) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """Every record id of every table that has one."""
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {
        t: sorted(r[0] for r in db.execute(f"SELECT uuid FROM {t}"))
        for t in tables
        if any(col[1] == "uuid" for col in db.execute(f"PRAGMA table_info({t})"))
    }


def _generate(path: Path, **kwargs):  # type: ignore[no-untyped-def]
    db = store.open(path)
    demo.generate(db, today=TODAY, **kwargs)
    return db


def test_same_seed_same_roster_down_to_uuids(tmp_path: Path, roster_only) -> None:  # type: ignore[no-untyped-def]
    a = _generate(tmp_path / "a.sqlite", members=60, seed=7, **roster_only)
    b = _generate(tmp_path / "b.sqlite", members=60, seed=7, **roster_only)
    try:
        assert _snapshot(a) == _snapshot(b)  # uuids included: they are derived from the seed
    finally:
        store.close(a)
        store.close(b)


def test_same_seed_same_branch_other_seed_other_branch(tmp_path: Path) -> None:
    # With every part's data: the same records, down to every record's uuid in every table.
    a = _generate(tmp_path / "a.sqlite", members=60, seed=7)
    b = _generate(tmp_path / "b.sqlite", members=60, seed=7)
    c = _generate(tmp_path / "c.sqlite", members=60, seed=8)
    try:
        assert _snapshot(a) == _snapshot(b)
        assert _snapshot(a, uuids=False) != _snapshot(c, uuids=False)
        ids_a, ids_b = _all_uuids(a), _all_uuids(b)
        assert len(ids_a) >= 10 and all(
            ids_a[t] for t in ("members", "meetings", "dues_payments", "projects")
        )
        assert ids_a == ids_b
        for x, y in ((a, b),):
            bx, by = branch.get_branch(x), branch.get_branch(y)
            assert (bx.name, bx.code, bx.parent_org, bx.term_start) == (
                by.name,
                by.code,
                by.parent_org,
                by.term_start,
            )
            assert [(g.name, g.leader_name, g.member_count) for g in branch.list_party_groups(x)] == [
                (g.name, g.leader_name, g.member_count) for g in branch.list_party_groups(y)
            ]
            assert [(c.member_name, c.role) for c in branch.list_committee(x, on=TODAY)] == [
                (c.member_name, c.role) for c in branch.list_committee(y, on=TODAY)
            ]
    finally:
        for db in (a, b, c):
            store.close(db)


def test_forty_member_branch_is_realistic_and_consistent(db, roster_only) -> None:  # type: ignore[no-untyped-def]
    demo.generate(db, members=40, seed=1, today=TODAY, **roster_only)
    profile = branch.get_branch(db)
    assert profile is not None and profile.name.endswith("党支部") and profile.parent_org.endswith("党委")
    assert profile.term_start < TODAY < profile.term_end
    everyone = members.list_members(db, status=None)
    assert len(everyone) == 40
    counts = members.count_members(db)
    assert counts["probationary"] == 4 and counts["archived"] == 2
    assert {m.status for m in everyone} >= {"active"} and {m.status for m in everyone} - {"active"}
    assert any(m.lost_contact for m in everyone)
    assert not any(m.mobile_member for m in everyone)  # mobile members come with their periods (transfers)
    assert len({m.citizen_id for m in everyone}) == 40 and len({m.mobile for m in everyone}) == 40
    assert sum(m.gender == "male" for m in everyone) > 25
    for m in everyone:
        assert m.citizen_id is not None
        parsed = parse_citizen_id(m.citizen_id, today=TODAY)
        assert (parsed.birth_date, parsed.gender) == (m.birth_date, m.gender), m
        assert date(1965, 1, 1) <= m.birth_date <= date(2000, 12, 31)
        assert is_valid_mobile(m.mobile)
        assert m.joined_on is not None and add_years(m.birth_date, 18) <= m.joined_on <= TODAY
        if m.category == "full":
            assert m.full_on == add_years(m.joined_on, 1) and m.full_on <= TODAY
        else:
            assert m.full_on is None
        assert (
            members.errors_only(
                members.validate_member(db, values=members._as_values(m), uuid=m.uuid, today=TODAY)
            )
            == []
        )
        assert m.party_group_name and m.name_initials
        if m.status != "active":
            assert m.status_reason and m.status_on and m.category == "full"
    groups = branch.list_party_groups(db)
    assert len(groups) == 5 and [g.name for g in groups[:3]] == ["采煤一队", "掘进二队", "机电队"]
    assert all(g.leader_name for g in groups)
    roles = [c.role for c in branch.list_committee(db, on=TODAY)]
    assert roles == ["secretary", "deputy_secretary", "organization", "publicity", "discipline"]
    assert members.branch_size_warnings(db) == []


def test_small_branch_has_secretary_but_no_committee(db, roster_only) -> None:  # type: ignore[no-untyped-def]
    demo.generate(db, members=5, seed=3, today=TODAY, **roster_only)
    assert [c.role for c in branch.list_committee(db, on=TODAY)] == ["secretary"]


def test_refuses_non_empty_database_and_leaves_it_alone(db) -> None:  # type: ignore[no-untyped-def]
    branch.save_branch(db, name="我的支部")
    with pytest.raises(ValidationError, match="空数据库"):
        demo.generate(db, members=10, today=TODAY)
    assert members.list_members(db, status=None) == [] and branch.get_branch(db).name == "我的支部"
    with pytest.raises(ValidationError):
        demo.generate(db, members=0, today=TODAY)


def test_failure_inside_generation_leaves_database_empty(db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def broken(database, *, rng, today):  # type: ignore[no-untyped-def]
        raise RuntimeError("extender failed")

    broken_part = dataclasses.replace(parts.MEETINGS, key="broken", demo=broken)
    monkeypatch.setattr(parts, "DEMO_ORDER", (*parts.DEMO_ORDER, broken_part))
    with pytest.raises(RuntimeError):
        demo.generate(db, members=20, today=TODAY)
    assert branch.is_empty(db)


def test_group_names_beyond_the_named_teams() -> None:
    names = demo._group_names(60)
    assert len(set(names)) == 60
    assert names[:5] == ["采煤一队", "掘进二队", "机电队", "通风队", "运输队"]
    assert (
        demo._cn_number(12) == "十二"
        and demo._cn_number(105) == "一百零五"
        and demo._cn_number(2010) == "二千零一十"
    )


def test_with_every_part_every_member_is_consistent(db) -> None:  # type: ignore[no-untyped-def]
    demo.generate(db, members=40, seed=1, today=TODAY)
    everyone = members.list_members(db, status=None)
    assert len(everyone) >= 40
    assert len({m.citizen_id for m in everyone}) == len(everyone)
    for m in everyone:
        if m.citizen_id:
            parsed = parse_citizen_id(m.citizen_id, today=TODAY)
            assert (parsed.birth_date, parsed.gender) == (m.birth_date, m.gender), m


def test_every_mobile_member_of_the_full_demo_has_an_open_mobile_period(db) -> None:  # type: ignore[no-untyped-def]
    from db import transfers

    demo.generate(db, members=40, seed=1, today=TODAY)
    flagged = {m.uuid for m in members.list_members(db) if m.mobile_member}
    open_periods = {p.member_uuid for p in transfers.list_mobile_periods(db) if p.ended_on is None}
    assert flagged and flagged == open_periods
    assert members.count_members(db)["mobile"] == len(open_periods)


def test_the_demo_shows_the_issue_14_cases(db) -> None:  # type: ignore[no-untyped-def]
    """Issue 14: the demo branch has a prepaid transfer (党费交至 after the issue month), a member transferred in
    mid-year with no false arrears, last year's 组织生活会 held in January for its 年度, and an extension of
    probation voted and approved — so the screenshots show them."""
    from db import development, dues, meetings, transfers

    demo.generate(db, members=40, seed=1, today=TODAY)
    outs = [t for t in transfers.list_transfers(db) if t.direction == "out"]
    assert any(t.dues_paid_to and t.dues_paid_to > f"{t.issued_on:%Y-%m}" for t in outs)
    arrived = next(t for t in transfers.list_transfers(db) if t.direction == "in")
    assert arrived.member_uuid not in {a.member_uuid for a in dues.arrears(db, today=TODAY)}
    january = [
        m
        for m in meetings.list_meetings(db, kind="life_meeting")
        if m.planned_on.month == 1 and m.reviewed_year == m.planned_on.year - 1
    ]
    assert january and january[0].title == f"{january[0].planned_on.year - 1}年度组织生活会"
    extended = [
        p
        for p in development.list_people(db)
        if {"probation_extension", "extension_approval"}
        <= {s.kind for s in development.list_steps(db, person_uuid=p.uuid)}
    ]
    assert len(extended) == 1


@pytest.mark.parametrize("today", [TODAY, date(2026, 12, 1)])
def test_last_years_dues_are_kept_so_its_yearly_report_is_clean(tmp_path: Path, today: date) -> None:
    """The dues demo collects the last twelve months; the statistics demo keeps the rest of last year, so last
    year's table 2补 counts nobody under 党费记录不全 (29 of 35 were, when the dues began in January)."""
    from db import statistics

    db = store.open(tmp_path / "d.sqlite")
    try:
        demo.generate(db, today=today)
        report = statistics.yearly_report(db, year=today.year - 1)
        table = report.table("2补")
        row = {c.label: table.figure(0, i) for i, c in enumerate(table.table.columns)}
        assert row["党费记录不全无法判断"] == 0
        assert row["按时按标准交纳党费的党员"] >= len(report.year_end) - 6  # late, exempt and reduced aside
        assert report.balance.closes
    finally:
        store.close(db)
