"""The roster functions of db.members: add, update, archive, restore, audit history, validation, search."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from db import audit, branch, members
from db.errors import NotFound, ValidationError
from db.rules import make_citizen_id

TODAY = date(2025, 6, 30)
BIRTH = date(1990, 5, 20)
CID = make_citizen_id("140402", BIRTH, 401)  # a man born 1990-05-20


def _values(**over: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": "张三",
        "category": "full",
        "citizen_id": CID,
        "joined_on": date(2012, 7, 1),
        "full_on": date(2013, 7, 1),
        "mobile": "13812345678",
        "ethnicity": "汉族",
        "job": "支架工",
    }
    values.update(over)
    return values


def _fields(problems: list) -> dict[str, str]:  # type: ignore[type-arg]
    return {p.field: p.message for p in problems if not p.warning}


def test_add_fills_birth_date_and_gender_from_id(db) -> None:  # type: ignore[no-untyped-def]
    m = members.add_member(db, values=_values())
    assert (m.birth_date, m.gender, m.status, m.standing) == (BIRTH, "male", "active", "normal")
    assert m.name_initials == "zs"
    assert members.get_member(db, uuid=m.uuid) == m
    assert [e.action for e in audit.history(db, entity_uuid=m.uuid)] == ["create"]


def test_add_keeps_given_uuid(db) -> None:  # type: ignore[no-untyped-def]
    uid = "00000000-0000-4000-8000-000000000001"
    assert members.add_member(db, values=_values(), member_uuid=uid).uuid == uid


def test_invalid_member_is_not_saved(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as info:
        members.add_member(db, values=_values(citizen_id=CID[:-1] + ("0" if CID[-1] != "0" else "1")))
    assert "校验位" in info.value.message
    assert members.list_members(db, status=None) == []


def test_update_writes_history_with_old_and_new(db) -> None:  # type: ignore[no-untyped-def]
    m = members.add_member(db, values=_values())
    group = branch.save_party_group(db, name="采煤一队")
    updated = members.update_member(db, uuid=m.uuid, changes={"job": "班组长", "party_group": group.uuid})
    assert updated.job == "班组长" and updated.party_group_name == "采煤一队"
    entries = [(e.action, e.field, e.old, e.new) for e in audit.history(db, entity_uuid=m.uuid)]
    assert ("update", "job", "支架工", "班组长") in entries
    assert ("update", "party_group", "", "采煤一队") in entries
    # An edit that changes nothing writes nothing.
    members.update_member(db, uuid=m.uuid, changes={"job": "班组长"})
    assert len(audit.history(db, entity_uuid=m.uuid)) == len(entries)


def test_update_refuses_invalid_merge_and_unknown_member(db) -> None:  # type: ignore[no-untyped-def]
    m = members.add_member(db, values=_values())
    with pytest.raises(ValidationError):
        members.update_member(db, uuid=m.uuid, changes={"full_on": date(2012, 7, 1)})
    assert members.get_member(db, uuid=m.uuid).full_on == date(2013, 7, 1)
    with pytest.raises(NotFound):
        members.update_member(db, uuid="nope", changes={"job": "x"})


def test_archive_and_restore(db) -> None:  # type: ignore[no-untyped-def]
    m = members.add_member(db, values=_values())
    archived = members.archive_member(
        db, uuid=m.uuid, status="transferred_out", on=date(2024, 3, 1), reason="转出至机关党支部"
    )
    assert (archived.status, archived.status_on, archived.status_reason) == (
        "transferred_out",
        date(2024, 3, 1),
        "转出至机关党支部",
    )
    assert members.list_members(db) == []
    assert [x.uuid for x in members.list_members(db, status=None)] == [m.uuid]
    with pytest.raises(ValidationError, match="已经是"):
        members.archive_member(db, uuid=m.uuid, status="removed", on=date(2024, 4, 1), reason="去世")
    restored = members.restore_member(db, uuid=m.uuid, reason="误操作")
    assert restored.status == "active" and restored.status_on is None
    actions = [e.action for e in audit.history(db, entity_uuid=m.uuid)]
    assert actions == ["create", "archive", "restore"]


@pytest.mark.parametrize(
    "status,on,reason,field",
    [
        ("active", date(2024, 1, 1), "x", "status"),
        ("removed", date(2024, 1, 1), " ", "status_reason"),
        ("removed", date(2011, 1, 1), "去世", "status_on"),
        ("removed", date(2999, 1, 1), "去世", "status_on"),
    ],
)
def test_archive_refusals(db, status: str, on: date, reason: str, field: str) -> None:  # type: ignore[no-untyped-def]
    m = members.add_member(db, values=_values())
    with pytest.raises(ValidationError) as info:
        members.archive_member(db, uuid=m.uuid, status=status, on=on, reason=reason)
    assert field in {p.field for p in info.value.problems}
    assert members.get_member(db, uuid=m.uuid).status == "active"


def test_duplicate_citizen_id_names_the_holder(db) -> None:  # type: ignore[no-untyped-def]
    holder = members.add_member(db, values=_values(name="李四"))
    with pytest.raises(ValidationError) as info:
        members.add_member(db, values=_values(name="王五", citizen_id=CID.lower() if CID[-1] == "X" else CID))
    assert "李四" in info.value.message
    # Archived holders are named too, with their status.
    members.archive_member(db, uuid=holder.uuid, status="removed", on=date(2024, 1, 1), reason="去世")
    problems = members.validate_member(db, values=_values(name="王五"), today=TODAY)
    assert "李四（已减员）" in _fields(problems)["citizen_id"]
    # The holder's own record is not a duplicate of itself.
    assert "citizen_id" not in _fields(
        members.validate_member(db, values=_values(), uuid=holder.uuid, today=TODAY)
    )


def test_joined_exactly_on_18th_birthday_ok_day_before_refused(db) -> None:  # type: ignore[no-untyped-def]
    ok = members.validate_member(
        db, values=_values(joined_on=date(2008, 5, 20), full_on=date(2009, 5, 20)), today=TODAY
    )
    assert "joined_on" not in _fields(ok)
    early = members.validate_member(
        db, values=_values(joined_on=date(2008, 5, 19), full_on=date(2009, 5, 20)), today=TODAY
    )
    assert "18" in _fields(early)["joined_on"]


def test_full_on_rules(db) -> None:  # type: ignore[no-untyped-def]
    same = members.validate_member(db, values=_values(full_on=date(2012, 7, 1)), today=TODAY)
    assert "晚于" in _fields(same)["full_on"]
    after = members.validate_member(db, values=_values(full_on=date(2012, 7, 2)), today=TODAY)
    assert "full_on" not in _fields(after)
    probationary = members.validate_member(db, values=_values(category="probationary"), today=TODAY)
    assert "预备党员" in _fields(probationary)["full_on"]
    assert "full_on" not in _fields(
        members.validate_member(db, values=_values(category="probationary", full_on=None), today=TODAY)
    )


@pytest.mark.parametrize(
    "mobile,ok",
    [
        ("13812345678", True),
        ("138 1234 5678", True),
        ("+86 13812345678", True),
        ("1381234567", False),
        ("23812345678", False),
        ("", True),
    ],
)
def test_mobile_rules(db, mobile: str, ok: bool) -> None:  # type: ignore[no-untyped-def]
    problems = _fields(members.validate_member(db, values=_values(mobile=mobile), today=TODAY))
    assert ("mobile" not in problems) is ok


def test_id_must_agree_with_birth_date_and_gender(db) -> None:  # type: ignore[no-untyped-def]
    problems = _fields(
        members.validate_member(
            db, values=_values(birth_date=date(1990, 5, 21), gender="female"), today=TODAY
        )
    )
    assert "1990-05-20" in problems["birth_date"]
    assert "男" in problems["gender"]


def test_future_dates_and_missing_fields(db) -> None:  # type: ignore[no-untyped-def]
    problems = _fields(
        members.validate_member(
            db, values={"name": " ", "category": None, "joined_on": date(2025, 7, 1)}, today=TODAY
        )
    )
    assert {"name", "category", "joined_on"} <= set(problems)


def test_legacy_id_only_warns(db) -> None:  # type: ignore[no-untyped-def]
    problems = members.validate_member(db, values=_values(citizen_id="140402900520401"), today=TODAY)
    assert [p.warning for p in problems if p.field == "citizen_id"] == [True]


def test_lost_contact_needs_date(db) -> None:  # type: ignore[no-untyped-def]
    problems = _fields(members.validate_member(db, values=_values(lost_contact=True), today=TODAY))
    assert "lost_contact_on" in problems


def _member(name: str, **over: Any):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from db.records import Member

    base = Member(
        id=1,
        uuid="u",
        name=name,
        name_initials=members.name_initials(name),
        gender="male",
        ethnicity="汉族",
        birth_date=BIRTH,
        citizen_id=CID,
        education="",
        education_class="",
        category="full",
        joined_on=None,
        full_on=None,
        job="",
        post_code="",
        tech_title="",
        front_line=None,
        mobile="13812345678",
        landline="",
        address="",
        standing="normal",
        lost_contact=False,
        lost_contact_on=None,
        lost_contact_situation="",
        mobile_member=False,
        outflow_place="",
        party_group_uuid=None,
        party_group_name="",
        notes="",
        status="active",
        status_on=None,
        status_reason="",
        created_at="",
        updated_at="",
    )
    return replace(base, **over)


def test_search_matches_name_initials_and_heteronym_surnames() -> None:
    zhang = _member("张三")
    assert members.matches(zhang, "")
    assert members.matches(zhang, "张") and members.matches(zhang, "三")
    assert members.matches(zhang, "zs") and members.matches(zhang, "ZS") and members.matches(zhang, "z")
    assert not members.matches(zhang, "ls")
    zeng = _member("曾华")
    assert members.matches(zeng, "zh") and members.matches(zeng, "ch")
    shan = _member("单田")
    assert members.matches(shan, "st") and members.matches(shan, "dt")


def test_search_by_last_digits_of_id_or_phone() -> None:
    m = _member("张三", landline="03512223344")
    assert members.matches(m, CID[-4:])
    assert members.matches(m, "5678")
    assert members.matches(m, "3344")
    assert not members.matches(m, "56")  # too short to mean anything
    assert not members.matches(m, "9999")
    x_member = _member("李四", citizen_id="11010519491231002X")
    assert members.matches(x_member, "002x") and members.matches(x_member, "002X")


def test_list_filters_and_query(db) -> None:  # type: ignore[no-untyped-def]
    group = branch.save_party_group(db, name="机电队")
    a = members.add_member(db, values=_values(party_group=group.uuid))
    b = members.add_member(
        db,
        values=_values(
            name="曾华",
            citizen_id=make_citizen_id("140402", BIRTH, 403),
            category="probationary",
            full_on=None,
            mobile="13900001111",
        ),
    )
    assert [m.uuid for m in members.list_members(db)] == [a.uuid, b.uuid]
    assert [m.uuid for m in members.list_members(db, party_group_uuid=group.uuid)] == [a.uuid]
    assert [m.uuid for m in members.list_members(db, category="probationary")] == [b.uuid]
    assert [m.uuid for m in members.list_members(db, query="zh")] == [b.uuid]  # 曾华, not 张三 (zs)
    assert [m.uuid for m in members.list_members(db, query="ch")] == [b.uuid]
    assert [m.uuid for m in members.list_members(db, query="zs")] == [a.uuid]
    assert [m.uuid for m in members.list_members(db, query="1111")] == [b.uuid]
    counts = members.count_members(db)
    assert (counts["full"], counts["probationary"], counts["active"]) == (1, 1, 2)


@pytest.mark.parametrize(
    "over",
    [
        {},  # valid
        {"full_on": date(2013, 9, 1)},  # probation warning only
        {"category": "probationary"},  # an error beside the probation rule
        {"citizen_id": CID[:6] + CID[8:17]},  # legacy 15-digit ID: a warning
        {
            "citizen_id": make_citizen_id("000000", BIRTH, 401),
            "category": "probationary",
        },  # warning and error
        {"citizen_id": "000000" + CID[6:]},  # a wrong check character
        {"mobile_member": True, "lost_contact": True, "joined_on": date(2030, 1, 1), "mobile": "2381234567"},
        {"name": "", "category": None, "gender": "female"},
    ],
)
def test_import_path_validation_gives_the_same_errors(db, over: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    """The roster import validates values the reader has already cleaned, errors only: ``clean=False`` and
    ``warnings=False`` must give exactly the errors of the full validation (same fields, messages and order)."""
    values = members.clean_values(_values(**over))
    full = members.errors_only(
        members.validate_member(db, values=values, today=TODAY, check_duplicates=False)
    )
    fast = members.validate_member(
        db, values=values, today=TODAY, check_duplicates=False, clean=False, warnings=False
    )
    assert fast == full
    assert all(not p.warning for p in fast)
