"""The branch profile of db.branch: profile, settings, party groups, committee."""

from __future__ import annotations

from datetime import date

import pytest

from db import audit, branch, members
from db.errors import NotFound, ValidationError
from db.rules import make_citizen_id


def _member(db, name: str, seq: int, **over):  # type: ignore[no-untyped-def]
    values = {
        "name": name,
        "category": "full",
        "citizen_id": make_citizen_id("140402", date(1980, 1, 1), seq),
        "joined_on": date(2005, 1, 1),
        "full_on": date(2006, 1, 1),
    }
    values.update(over)
    return members.add_member(db, values=values)


def test_empty_database_then_profile(db) -> None:  # type: ignore[no-untyped-def]
    assert branch.is_empty(db) and branch.get_branch(db) is None
    b = branch.save_branch(
        db,
        name=" 红岭煤矿综采一区党支部 ",
        code="A01",
        parent_org="晋北煤业公司党委",
        term_start=date(2023, 9, 1),
        term_end=date(2026, 9, 1),
    )
    assert b.name == "红岭煤矿综采一区党支部" and b.term_end == date(2026, 9, 1)
    assert not branch.is_empty(db)
    again = branch.save_branch(
        db, name=b.name, code="A02", parent_org=b.parent_org, term_start=b.term_start, term_end=b.term_end
    )
    assert again.uuid == b.uuid and again.code == "A02"
    changes = [(e.action, e.field, e.old, e.new) for e in audit.history(db, entity_uuid=b.uuid)]
    assert changes == [("create", "", None, None), ("update", "code", "A01", "A02")]


def test_members_alone_make_database_non_empty(db) -> None:  # type: ignore[no-untyped-def]
    _member(db, "张三", 1)
    assert not branch.is_empty(db)


@pytest.mark.parametrize(
    "name,start,end,field",
    [
        ("", None, None, "name"),
        ("支部", date(2024, 1, 1), date(2024, 1, 1), "term_end"),
        ("支部", date(2024, 1, 1), date(2023, 1, 1), "term_end"),
    ],
)
def test_profile_refusals(db, name, start, end, field) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as info:
        branch.save_branch(db, name=name, term_start=start, term_end=end)
    assert field in {p.field for p in info.value.problems}
    assert branch.get_branch(db) is None


def test_settings_round_trip(db) -> None:  # type: ignore[no-untyped-def]
    assert branch.get_setting(db, key="party_lecture_per_year", default=4) == 4
    branch.set_setting(db, key="party_lecture_per_year", value=6)
    branch.set_setting(db, key="theme_day", value={"day": 15, "名称": "主题党日"})
    assert branch.get_setting(db, key="party_lecture_per_year") == 6
    assert branch.get_setting(db, key="theme_day") == {"day": 15, "名称": "主题党日"}


def test_party_groups_create_rename_leader(db) -> None:  # type: ignore[no-untyped-def]
    g1 = branch.save_party_group(db, name="采煤一队")
    g2 = branch.save_party_group(db, name="掘进二队")
    assert [g.name for g in branch.list_party_groups(db)] == ["采煤一队", "掘进二队"]
    assert g2.sort_order > g1.sort_order
    leader = _member(db, "李四", 1, party_group=g1.uuid)
    renamed = branch.save_party_group(db, name="综采一队", group_uuid=g1.uuid, leader_uuid=leader.uuid)
    assert (renamed.name, renamed.leader_name, renamed.member_count) == ("综采一队", "李四", 1)
    assert members.get_member(db, uuid=leader.uuid).party_group_name == "综采一队"
    with pytest.raises(ValidationError, match="掘进二队"):
        branch.save_party_group(db, name="掘进二队", group_uuid=g1.uuid)
    with pytest.raises(ValidationError):
        branch.save_party_group(db, name="  ")
    with pytest.raises(NotFound):
        branch.save_party_group(db, name="新组", group_uuid="missing")
    fields = [e.field for e in audit.history(db, entity_uuid=g1.uuid)]
    assert fields == ["name", "name", "leader"]


def test_committee_appoint_and_end(db) -> None:  # type: ignore[no-untyped-def]
    a = _member(db, "王书记", 1)
    b = _member(db, "赵委员", 3)
    sec = branch.appoint_committee_member(db, member_uuid=a.uuid, role="secretary", since=date(2023, 9, 1))
    branch.appoint_committee_member(db, member_uuid=b.uuid, role="organization", since=date(2023, 9, 1))
    on = date(2024, 1, 1)
    assert [(c.role, c.member_name) for c in branch.list_committee(db, on=on)] == [
        ("secretary", "王书记"),
        ("organization", "赵委员"),
    ]
    assert branch.list_committee(db, on=date(2023, 8, 31)) == []
    branch.end_committee_service(db, committee_uuid=sec.uuid, until=date(2024, 6, 30))
    assert [c.role for c in branch.list_committee(db, on=date(2024, 7, 1))] == ["organization"]
    assert [c.role for c in branch.list_committee(db, on=date(2024, 6, 30))] == ["secretary", "organization"]
    with pytest.raises(NotFound):
        branch.end_committee_service(db, committee_uuid="missing", until=date(2024, 1, 1))


def test_committee_refusals(db) -> None:  # type: ignore[no-untyped-def]
    a = _member(db, "王五", 1)
    with pytest.raises(ValidationError):
        branch.appoint_committee_member(db, member_uuid=a.uuid, role="chairman")
    members.archive_member(db, uuid=a.uuid, status="removed", on=date(2024, 1, 1), reason="去世")
    with pytest.raises(ValidationError, match="王五"):
        branch.appoint_committee_member(db, member_uuid=a.uuid, role="secretary")
    with pytest.raises(NotFound):
        branch.appoint_committee_member(db, member_uuid="missing", role="secretary")


def test_branch_size_warnings(db) -> None:  # type: ignore[no-untyped-def]
    _member(db, "甲", 1)
    assert len(members.branch_size_warnings(db)) == 2  # fewer than 3 and fewer than 7 full members
    for i in range(2, 8):
        _member(db, f"乙{i}", 2 * i + 1)
    assert members.branch_size_warnings(db) == []


def test_set_term_keeps_the_profile_and_audits_the_term(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as info:
        branch.set_term(db, start=date(2023, 9, 1), end=date(2026, 9, 1))  # no profile yet
    assert [p.field for p in info.value.problems] == ["branch"]
    b = branch.save_branch(db, name="综采一区党支部", code="A01", parent_org="晋北煤业公司党委")
    after = branch.set_term(db, start=date(2023, 9, 1), end=date(2026, 9, 1))
    assert (after.uuid, after.name, after.code, after.parent_org) == (
        b.uuid,
        b.name,
        "A01",
        "晋北煤业公司党委",
    )
    assert (after.term_start, after.term_end) == (date(2023, 9, 1), date(2026, 9, 1))
    changes = [(e.field, e.new) for e in audit.history(db, entity_uuid=b.uuid) if e.action == "update"]
    assert changes == [("term_start", "2023-09-01"), ("term_end", "2026-09-01")]
    with pytest.raises(ValidationError):
        branch.set_term(db, start=date(2026, 9, 1), end=date(2026, 9, 1))
    assert branch.get_branch(db) == after
