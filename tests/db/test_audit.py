"""The audit log: reveals and exports are recorded; entries can be appended, never changed or removed."""

from __future__ import annotations

import inspect
import pkgutil
import re
from pathlib import Path

import pytest

import db as db_package
from db import audit, members, store


def test_reveal_and_export_are_recorded(db) -> None:  # type: ignore[no-untyped-def]
    event = audit.record_reveal(db, what="citizen_id,mobile", count=42, where="党员名册")
    audit.record_export(db, what="党员名册", path="/media/usb/名册.xlsx", count=42)
    reveals = audit.list_entries(db, action="reveal")
    assert len(reveals) == 1
    assert reveals[0].entity_uuid == event and reveals[0].field == "citizen_id,mobile"
    assert reveals[0].new == "党员名册：42 人" and reveals[0].actor == audit.current_actor()
    exports = audit.list_entries(db, action="export")
    assert exports[0].field == "党员名册" and "/media/usb/名册.xlsx" in (exports[0].new or "")
    assert [e.action for e in audit.list_entries(db)] == ["export", "reveal"]


def test_a_trail_names_the_record_and_source_once_for_each_entry(db) -> None:  # type: ignore[no-untyped-def]
    trail = audit.Trail(db, "project", "p-1", source="import", batch="b-1")
    with db.atomic():
        trail.create("title", new="矿井通风改造")
        trail.update("title", old="矿井通风改造", new="矿井通风系统改造")
        trail.add("archive", "status", old="ongoing", new="stopped（2026-03-01）")
    entries = audit.history(db, entity_uuid="p-1")
    assert [(e.action, e.field, e.old, e.new) for e in entries] == [
        ("create", "title", None, "矿井通风改造"),
        ("update", "title", "矿井通风改造", "矿井通风系统改造"),
        ("archive", "status", "ongoing", "stopped（2026-03-01）"),
    ]
    assert {(e.entity, e.source, e.batch) for e in entries} == {("project", "import", "b-1")}


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_log SET new = 'forged'",
        "UPDATE audit_log SET actor = 'someone' WHERE id = 1",
        "DELETE FROM audit_log",
        "DELETE FROM audit_log WHERE id = 1",
    ],
)
def test_a_trigger_forbids_changing_the_audit_log(db, sql: str) -> None:  # type: ignore[no-untyped-def]
    members.add_member(db, values={"name": "张三", "category": "full"})
    before = db.execute("SELECT * FROM audit_log ORDER BY id").fetchall()
    assert before
    with pytest.raises(Exception, match="修改记录只能追加"):
        db.execute(sql)
    with pytest.raises(Exception, match="修改记录只能追加"), db.atomic():
        db.execute(sql)
    assert db.execute("SELECT * FROM audit_log ORDER BY id").fetchall() == before


def test_sqlite_utils_table_methods_cannot_change_it_either(db) -> None:  # type: ignore[no-untyped-def]
    members.add_member(db, values={"name": "张三", "category": "full"})
    with pytest.raises(Exception, match="修改记录只能追加"):
        db["audit_log"].update(1, {"new": "forged"})
    with pytest.raises(Exception, match="修改记录只能追加"):
        db["audit_log"].delete(1)
    with pytest.raises(Exception, match="修改记录只能追加"):
        db["audit_log"].delete_where()
    assert db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == 1


def test_the_guard_is_in_every_database_the_store_opens(db) -> None:  # type: ignore[no-untyped-def]
    triggers = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert {"audit_log_no_update", "audit_log_no_delete"} <= triggers
    assert "0008_audit_guard" in store.known_migrations()


def test_old_entries_survive_the_migration(tmp_path: Path) -> None:
    import sqlite_utils

    from db.migrations import migrations

    path = tmp_path / "old.sqlite"
    old = sqlite_utils.Database(path)
    migrations.apply(old, stop_before="0008_audit_guard")
    old.execute(f"PRAGMA application_id = {store.APPLICATION_ID}")
    old.execute(
        "INSERT INTO audit_log (at, entity, entity_uuid, action, new) VALUES ('2025-01-01T08:00:00', "
        "'member', 'u1', 'create', '张三')"
    )
    old.conn.commit()
    old.close()
    database = store.open(path)
    try:
        rows = database.execute("SELECT id, entity_uuid, new FROM audit_log").fetchall()
        assert rows == [(1, "u1", "张三")]
        with pytest.raises(Exception, match="修改记录只能追加"):
            database.execute("DELETE FROM audit_log")
    finally:
        store.close(database)


def test_no_db_function_updates_or_deletes_audit_entries() -> None:
    """Scan every module of ``db``: SQL that changes audit_log, or a sqlite-utils table handle on it, is absent."""
    forbidden = re.compile(
        r"(UPDATE\s+audit_log|DELETE\s+FROM\s+audit_log|\[\s*[\"']audit_log[\"']\s*\]|"
        r"table\(\s*[\"']audit_log[\"']\s*\))",
        re.IGNORECASE,
    )
    found = []
    root = Path(db_package.__file__).parent
    for source in root.rglob("*.py"):
        if source.name == "migrations.py":
            continue
        for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
            if forbidden.search(line):
                found.append(f"{source.relative_to(root)}:{number}: {line.strip()}")
    assert found == []
    # The audit module offers appending and reading only.
    public = {
        name
        for name, obj in inspect.getmembers(audit, inspect.isfunction)
        if obj.__module__ == "db.audit" and not name.startswith("_")
    }
    assert public <= {"record", "record_reveal", "record_export", "history", "list_entries", "current_actor"}
    assert [m.name for m in pkgutil.iter_modules(db_package.__path__)]  # the scan saw the package
