"""The completeness list of the coded member data (issue 19): who lacks a code, completing them one member at a
time with audit, the reminder on the home page and the count in ``branchdesk check``."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from db import audit, completeness, members, reminders, store
from db.errors import ValidationError


def _add(db, name: str, **values):  # type: ignore[no-untyped-def]
    return members.add_member(db, values={"name": name, "category": "full", **values})


def test_the_list_names_who_lacks_which_code(db) -> None:  # type: ignore[no-untyped-def]
    done = _add(db, "甲", education="本科", job="退休", front_line=False)
    no_line = _add(db, "乙", education="大专", job="采煤工")
    nothing = _add(db, "丙", education="大学", job="班组长")
    left = _add(db, "丁")
    members.archive_member(db, uuid=left.uuid, status="removed", on=date(2025, 1, 1), reason="去世")
    found = {i.member.uuid: i for i in completeness.incomplete_members(db)}
    assert set(found) == {no_line.uuid, nothing.uuid}  # archived members are not asked for
    assert found[no_line.uuid].missing == ("front_line",)
    assert found[nothing.uuid].missing_labels == "工作岗位代码、学历分类、生产工作第一线"
    assert completeness.count_incomplete(db) == 2 and done.uuid not in found


def test_completing_a_member_saves_and_audits_only_the_codes(db) -> None:  # type: ignore[no-untyped-def]
    m = _add(db, "乙", education="大学", job="班组长")
    saved = completeness.complete_member(
        db, uuid=m.uuid, values={"post_code": "016", "education_class": "bachelor", "front_line": True}
    )
    assert (saved.post_code, saved.education_class, saved.front_line) == ("016", "bachelor", True)
    assert completeness.count_incomplete(db) == 0
    changed = {e.field: e.new for e in audit.history(db, entity_uuid=m.uuid) if e.action == "update"}
    assert changed == {"post_code": "016", "education_class": "bachelor", "front_line": "1"}
    with pytest.raises(KeyError):
        completeness.complete_member(db, uuid=m.uuid, values={"name": "改名"})
    with pytest.raises(ValidationError, match="不在国家统计代码表中"):
        completeness.complete_member(
            db, uuid=m.uuid, values={"post_code": "0"}
        )  # a group, not a member's code


def test_the_home_page_reminder_says_how_many_and_opens_the_list(db) -> None:  # type: ignore[no-untyped-def]
    assert not [r for r in reminders.gather(db, today=date(2026, 5, 1)) if r.kind == "codes_incomplete"]
    _add(db, "乙")
    _add(db, "丙")
    (r,) = [r for r in reminders.gather(db, today=date(2026, 5, 1)) if r.kind == "codes_incomplete"]
    assert (
        r.what.startswith("2 名在册党员的统计信息") and r.page == "members" and r.filters == {"view": "codes"}
    )


def test_check_prints_the_count(db, db_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from desktop import cli

    _add(db, "乙")
    store.close(db)
    cli.main(["check", "--db", str(db_path), "--json"])
    assert json.loads(capsys.readouterr().out)["incomplete_codes"] == 1
    cli.main(["check", "--db", str(db_path)])
    assert "统计信息待补全：1 名在册党员" in capsys.readouterr().out


def test_a_member_out_of_contact_without_the_situation_is_listed_until_it_is_filled_in(db) -> None:  # type: ignore[no-untyped-def]
    coded = {"post_code": "016", "education_class": "bachelor", "front_line": False}
    lost = _add(db, "戊", lost_contact=True, lost_contact_on=date(2025, 3, 1), **coded)
    told = _add(
        db,
        "己",
        lost_contact=True,
        lost_contact_on=date(2025, 3, 1),
        lost_contact_situation="migrant_work",
        **coded,
    )
    _add(db, "庚", **coded)  # in contact: no 失联情形 asked for
    found = {i.member.uuid: i for i in completeness.incomplete_members(db)}
    assert set(found) == {lost.uuid} and told.uuid not in found
    assert found[lost.uuid].missing == ("lost_contact_situation",)
    assert found[lost.uuid].missing_labels == "失联情形"
    assert completeness.count_incomplete(db) == 1
    (r,) = [r for r in reminders.gather(db, today=date(2026, 5, 1)) if r.kind == "codes_incomplete"]
    assert "失联情形" in r.what
    saved = completeness.complete_member(db, uuid=lost.uuid, values={"lost_contact_situation": "abroad"})
    assert saved.lost_contact_situation == "abroad"
    assert completeness.incomplete_members(db) == [] and completeness.count_incomplete(db) == 0
    changed = {e.field: e.new for e in audit.history(db, entity_uuid=lost.uuid) if e.action == "update"}
    assert changed == {"lost_contact_situation": "abroad"}
