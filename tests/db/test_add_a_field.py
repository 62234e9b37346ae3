"""Adding a member field (docs/architecture.md, "Adding a member field"): one migration and one line in ``db.records.Member``, and members
load, save and audit the new field while every other field stays in place.

The first release built members from row positions (``_DATE_POSITIONS``); one new field in the middle of the
record shifted those positions and every member load failed. Here the new fields are inserted in the middle of
``Member`` on purpose: a date field and a text field between existing ones.
"""

from __future__ import annotations

import dataclasses
import importlib
import typing
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from sqlite_utils.migrations import Migrations

from db import audit, branch, members, records
from db.records import Member, member_field
from db.rules import make_citizen_id
from db.workbook.format import ROSTER_COLUMNS

TODAY = date(2025, 6, 30)
CID = make_citizen_id("140402", date(1990, 5, 20), 401)

# The throwaway migration: what a real ``NNNN_member_email`` migration in db/migrations.py would do.
throwaway = Migrations("add-a-field-test")


@throwaway(name="0001_member_email_and_retired_on")
def _add_columns(db: Any) -> None:
    db.execute("ALTER TABLE members ADD COLUMN email TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE members ADD COLUMN retired_on TEXT")


def _member_with_new_fields() -> type[Any]:
    """``Member`` as it reads after adding ``retired_on: date | None`` after ``full_on`` and ``email: str`` after
    ``mobile`` in db/records.py — the one line per field the recipe asks for."""
    new = {
        "full_on": ("retired_on", "date | None", member_field("退休日期", "date")),
        "mobile": ("email", "str", member_field("电子邮箱", "text")),
    }
    spec: list[tuple[str, Any, Any]] = []
    for f in dataclasses.fields(Member):
        spec.append((f.name, f.type, dataclasses.field(metadata=f.metadata)))
        if f.name in new:
            name, type_, meta = new[f.name]
            spec.append((name, type_, dataclasses.field(metadata=meta)))
    # module="db.records" so the annotations resolve exactly as they do for the real record
    return dataclasses.make_dataclass("Member", spec, frozen=True, namespace={"__module__": "db.records"})


@pytest.fixture
def extended(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[Any]]:
    """db.members rebuilt on the extended record (as after the edit), and restored afterwards."""
    record = _member_with_new_fields()
    monkeypatch.setattr(records, "Member", record)
    importlib.reload(members)
    yield record
    monkeypatch.undo()
    importlib.reload(members)


def _rich_member(db: Any) -> Member:
    group = branch.save_party_group(db, name="综采一队")
    return members.add_member(
        db,
        values={
            "name": "张三",
            "category": "full",
            "citizen_id": CID,
            "joined_on": date(2012, 7, 1),
            "full_on": date(2013, 7, 1),
            "mobile": "13812345678",
            "landline": "0352-1234567",
            "lost_contact": True,
            "lost_contact_on": date(2024, 3, 1),
            "mobile_member": True,
            "outflow_place": "山西省/大同市",
            "party_group": group.uuid,
            "notes": "备注",
        },
    )


def test_a_new_column_does_not_disturb_loading(db) -> None:  # type: ignore[no-untyped-def]
    before = _rich_member(db)
    throwaway.apply(db)
    assert members.get_member(db, uuid=before.uuid) == before
    assert members.list_members(db) == [before]


def test_a_new_field_loads_saves_and_is_audited_with_every_field_in_place(  # type: ignore[no-untyped-def]
    db, extended
) -> None:
    original = [f.name for f in dataclasses.fields(Member)]
    throwaway.apply(db)
    saved = _rich_member(db)
    assert type(saved) is extended

    loaded = members.get_member(db, uuid=saved.uuid)
    assert loaded.email == "" and loaded.retired_on is None
    assert loaded.joined_on == date(2012, 7, 1) and loaded.full_on == date(2013, 7, 1)
    assert loaded.lost_contact is True and loaded.lost_contact_on == date(2024, 3, 1)
    assert loaded.mobile_member is True and loaded.party_group_name == "综采一队"
    hints = typing.get_type_hints(extended)
    for name in original:  # every existing field holds its own value with its own type
        value = getattr(loaded, name)
        if value is not None:
            assert isinstance(value, typing.get_args(hints[name]) or hints[name]), name

    # derived, not listed by hand: editable with a kind, labelled for the form and the audit history
    assert members.EDITABLE_FIELDS["email"] == "text" and members.EDITABLE_FIELDS["retired_on"] == "date"
    assert members.FIELD_LABELS["email"] == "电子邮箱"

    changed = members.update_member(
        db, uuid=saved.uuid, changes={"email": " zhangsan@example.cn ", "retired_on": "2025-05-31"}
    )
    assert changed.email == "zhangsan@example.cn" and changed.retired_on == date(2025, 5, 31)
    assert members.list_members(db)[0] == changed
    assert {e.field for e in audit.history(db, entity_uuid=saved.uuid) if e.action == "update"} == {
        "email",
        "retired_on",
    }
    for name in original:
        if name != "updated_at":
            assert getattr(changed, name) == getattr(loaded, name), name

    other = members.add_member(db, values={"name": "李四", "category": "full", "email": "lisi@example.cn"})
    assert members.get_member(db, uuid=other.uuid).email == "lisi@example.cn"


def test_the_restored_module_builds_the_real_record(db) -> None:  # type: ignore[no-untyped-def]
    assert type(_rich_member(db)) is Member and "email" not in members.EDITABLE_FIELDS


def test_member_fields_declare_kinds_that_match_their_types() -> None:
    hints = typing.get_type_hints(Member)
    for f in dataclasses.fields(Member):
        kind, options = f.metadata.get("kind"), typing.get_args(hints[f.name]) or (hints[f.name],)
        if kind == "date":
            assert date in options, f.name
        elif kind == "bool":
            assert options == (bool,), f.name
        elif kind == "flag":  # yes, no or not known
            assert set(options) == {bool, type(None)}, f.name
        elif kind is not None:
            assert date not in options and bool not in options, f.name


def test_every_roster_column_is_a_member_field() -> None:
    """The format line of a new field (db/workbook/format.py) must name an editable member field."""
    synthetic = {"seq", "branch_name", "uuid"}
    assert {c.field for c in ROSTER_COLUMNS} - synthetic <= set(members.EDITABLE_FIELDS)
