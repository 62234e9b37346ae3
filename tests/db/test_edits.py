"""The shared write steps of every part (db.edits, db.errors.raise_if) and the one vocabulary the format table and
the parts' records name (db.vocabulary)."""

from __future__ import annotations

import pytest

from db import audit, edits, members, projects, transfers
from db import development as development_db
from db.errors import Problem, ValidationError, raise_if
from db.rules import DUES_CATEGORIES
from db.workbook.format import sheet_by_key


def test_insert_row_writes_the_record_with_its_uuid_and_times(db) -> None:  # type: ignore[no-untyped-def]
    with db.atomic():
        given = edits.insert_row(db, "party_groups", {"name": "一组", "sort_order": 1}, uuid="g-given")
        fresh = edits.insert_row(db, "party_groups", {"name": "二组", "sort_order": 2})
    assert given == "g-given" and fresh and fresh != given
    rows = db.execute(
        "SELECT uuid, name, created_at, updated_at FROM party_groups WHERE uuid IN (?, ?) ORDER BY sort_order",
        [given, fresh],
    ).fetchall()
    assert [(r[0], r[1]) for r in rows] == [("g-given", "一组"), (fresh, "二组")]
    assert all(r[2] and r[2] == r[3] for r in rows)


def test_raise_if_refuses_on_blocking_problems_only() -> None:
    warning = Problem("joined_on", "记录不完整", warning=True)
    raise_if([])
    raise_if([warning])  # a warning alone does not block saving
    with pytest.raises(ValidationError) as refused:
        raise_if([warning, Problem("name", "请填写姓名")])
    assert [p.field for p in refused.value.problems] == ["name"]


@pytest.mark.parametrize(
    ("sheet", "column", "vocabulary"),
    [
        ("projects", "kind", projects.KINDS),
        ("projects", "category", projects.CATEGORIES),
        ("projects", "status", projects.PROJECT_STATUSES),
        ("projects", "acceptance_result", projects.ACCEPTANCE_RESULTS),
        ("findings", "status", projects.FINDING_STATUSES),
        ("development", "stage", development_db.STAGES),
        ("development", "status", development_db.PERSON_STATUSES),
        ("transfers", "direction", transfers.DIRECTIONS),
        ("transfers", "status", transfers.TRANSFER_STATUSES),
        ("dues", "dues_category", DUES_CATEGORIES),
        ("dues", "member_category", members.CATEGORIES),
    ],
)
def test_the_workbook_dropdowns_are_the_parts_vocabulary(sheet: str, column: str, vocabulary: object) -> None:
    # The same object, not a copy: a label changed in a part changes the workbook's dropdown with it.
    assert sheet_by_key(sheet).column(column).choices is vocabulary


def test_update_changed_writes_only_what_changed_with_one_entry_each(db) -> None:  # type: ignore[no-untyped-def]
    with db.atomic():
        uuid = edits.insert_row(db, "party_groups", {"name": "一组", "sort_order": 1})
    before = {"name": "一组", "sort_order": 1}
    with db.atomic():
        same = edits.update_changed(
            db, table="party_groups", entity="party_group", uuid=uuid, before=before, new=dict(before)
        )
    assert same == {} and audit.history(db, entity_uuid=uuid) == []
    with db.atomic():
        changed = edits.update_changed(
            db,
            table="party_groups",
            entity="party_group",
            uuid=uuid,
            before=before,
            new={"name": "一组", "sort_order": 3},
        )
    assert changed == {"sort_order": 3}
    assert db.execute("SELECT name, sort_order FROM party_groups WHERE uuid = ?", [uuid]).fetchone() == (
        "一组",
        3,
    )
    assert [(e.field, e.old, e.new) for e in audit.history(db, entity_uuid=uuid)] == [
        ("sort_order", "1", "3")
    ]
