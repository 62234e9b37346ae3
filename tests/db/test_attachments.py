"""Attachments (issue 21): stored once, encrypted, checksummed; kept through backup, restore, re-key and recovery;
removed only through the 回收站; listed in the monthly workbook."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from db import attachments, audit, backups, meetings, store
from db.store import objects

MARKER = b"BRANCHDESK-KNOWN-BYTES-0123456789-attachment"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def meeting_uuid(db: store.Database) -> str:
    m = meetings.plan_meeting(db, kind="branch_assembly", planned_on=date(2026, 10, 15), topic="学习")
    return m.uuid


def _photo(width: int = 4000, height: int = 3000) -> bytes:
    """A large noisy JPEG, like a phone photo."""
    im = Image.effect_noise((width // 4, height // 4), 60).convert("RGB").resize((width, height))
    out = io.BytesIO()
    im.save(out, "JPEG", quality=95)
    return out.getvalue()


def _text_file() -> bytes:
    return MARKER * 50


def _grep(folder: Path, needle: bytes) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and needle in p.read_bytes()]


def test_a_photo_is_reduced_and_reads_back_with_its_checksum(db: store.Database, meeting_uuid: str) -> None:
    data = _photo()
    a = attachments.add_attachment(
        db, owner_kind="meeting", owner_id=meeting_uuid, name="会场.jpg", data=data
    )
    assert a.mime == "image/jpeg" and a.size < len(data) / 3
    with Image.open(io.BytesIO(attachments.read_bytes(db, uuid=a.uuid))) as im:
        assert max(im.size) == 2000
    assert a.original_object is None  # the original only on request
    kept = attachments.add_attachment(
        db, owner_kind="meeting", owner_id=meeting_uuid, name="原图.jpg", data=data, keep_original=True
    )
    assert attachments.read_bytes(db, uuid=kept.uuid, original=True) == data
    assert [e.action for e in audit.history(db, entity_uuid=a.uuid)] == ["create"]


def test_the_same_file_twice_is_stored_once(db: store.Database, meeting_uuid: str) -> None:
    for name in ("a.txt", "b.txt"):
        attachments.add_attachment(
            db, owner_kind="meeting", owner_id=meeting_uuid, name=name, data=_text_file()
        )
    folder = attachments.service.store_of(db).folder
    assert len(objects.names_in(folder)) == 1


def test_a_file_for_a_record_that_does_not_exist_is_refused(db: store.Database) -> None:
    with pytest.raises(attachments.service.NotFound, match="找不到要添加附件的会议"):
        attachments.add_attachment(db, owner_kind="meeting", owner_id="nope", name="a.txt", data=b"x")


def test_replace_and_remove_go_to_the_bin_until_it_is_emptied(db: store.Database, meeting_uuid: str) -> None:
    a = attachments.add_attachment(
        db, owner_kind="meeting", owner_id=meeting_uuid, name="v1.txt", data=b"one"
    )
    b = attachments.replace_attachment(db, uuid=a.uuid, name="v2.txt", data=b"two")
    assert [
        x.name for x in attachments.list_attachments(db, owner_kind="meeting", owner_id=meeting_uuid)
    ] == ["v2.txt"]
    attachments.remove_attachment(db, uuid=b.uuid)
    assert attachments.list_attachments(db, owner_kind="meeting", owner_id=meeting_uuid) == []
    assert {x.binned_reason for x in attachments.list_bin(db)} == {"replaced", "removed"}
    attachments.restore_attachment(db, uuid=b.uuid)
    assert attachments.read_bytes(db, uuid=b.uuid) == b"two"
    attachments.remove_attachment(db, uuid=b.uuid)
    # a backup taken now still refers to both files: emptying keeps their objects
    store.backup_before(db, "manual")
    result = attachments.empty_bin(db)
    assert result.removed == 2 and result.files_removed == 0
    assert attachments.list_bin(db) == [] and attachments.list_all(db, include_binned=True) == []
    for f in backups.list_backups(db.path, with_counts=False):
        f.path.unlink()
    assert attachments.collect_garbage(db) == (2, "")
    actions = [e.action for e in audit.history(db, entity_uuid=b.uuid)]
    assert actions == [
        "update",
        "archive",
        "restore",
        "archive",
        "delete",
    ]  # a replacement starts with "update"


def test_with_a_password_no_attachment_is_readable_outside_the_program(
    db: store.Database, meeting_uuid: str
) -> None:
    a = attachments.add_attachment(
        db, owner_kind="meeting", owner_id=meeting_uuid, name="k.txt", data=_text_file()
    )
    folder = db.path.parent
    db, _code = store.change_password(db, new_key="geheim-123")
    try:
        assert attachments.read_bytes(db, uuid=a.uuid) == _text_file()
        b = attachments.add_attachment(
            db, owner_kind="meeting", owner_id=meeting_uuid, name="k2.txt", data=MARKER + b"-2" * 10
        )
        store.backup_before(db, "manual")
        assert _grep(folder, MARKER) == []  # not in the database, the backups nor the store
        assert attachments.read_bytes(db, uuid=b.uuid).startswith(MARKER)
    finally:
        store.close(db)


def test_attachments_survive_rekey_restore_and_recovery(db_path: Path) -> None:
    db = store.open(db_path)
    m = meetings.plan_meeting(db, kind="branch_assembly", planned_on=date(2026, 10, 15), topic="学习")
    a = attachments.add_attachment(db, owner_kind="meeting", owner_id=m.uuid, name="a.txt", data=b"alpha" * 9)
    db, _ = store.change_password(db, new_key="first-pass")
    db, _ = store.change_password(db, new_key="second-pass")
    assert attachments.read_bytes(db, uuid=a.uuid) == b"alpha" * 9
    taken = store.backup_before(db, "manual")
    attachments.remove_attachment(db, uuid=a.uuid)
    attachments.empty_bin(db)  # the backup still refers to the object: it stays
    backups.restore(db, backup_path=taken)
    assert attachments.read_bytes(db, uuid=a.uuid) == b"alpha" * 9
    key = db.key
    store.close(db)
    recovered = backups.recover_to_new_file(db_path, backup_path=taken, key=key)
    db2 = store.open(recovered, key=key)
    try:
        assert attachments.read_bytes(db2, uuid=a.uuid) == b"alpha" * 9
        assert attachments.verify_attachments(db2) == []
    finally:
        store.close(db2)


def test_a_backup_on_a_stick_carries_its_files_to_another_computer(
    db: store.Database, meeting_uuid: str, tmp_path: Path
) -> None:
    a = attachments.add_attachment(
        db, owner_kind="meeting", owner_id=meeting_uuid, name="a.txt", data=b"beta" * 9
    )
    stick = tmp_path / "stick"
    first = backups.backup_to(db, folder=stick)
    second = backups.backup_to(db, folder=stick)
    assert first != second
    assert len(objects.names_in(next((stick / "attachments").iterdir()))) == 1  # shared, not per copy
    other = tmp_path / "other" / "branch.sqlite"
    other.parent.mkdir()
    fresh = store.open(other)
    try:
        backups.restore(fresh, backup_path=second)
        assert attachments.read_bytes(fresh, uuid=a.uuid) == b"beta" * 9
    finally:
        store.close(fresh)


def test_check_reports_a_damaged_attachment(db: store.Database, meeting_uuid: str) -> None:
    a = attachments.add_attachment(
        db, owner_kind="meeting", owner_id=meeting_uuid, name="坏.txt", data=b"gamma" * 9
    )
    path = objects.object_path(attachments.service.store_of(db).folder, a.object)
    blob = bytearray(path.read_bytes())
    blob[-3] ^= 0xFF
    path.write_bytes(bytes(blob))
    damaged = attachments.verify_attachments(db)
    assert [d.name for d in damaged] == ["坏.txt"] and "损坏" in damaged[0].problem
    with pytest.raises(store.StoreError, match="坏.txt"):
        attachments.read_bytes(db, uuid=a.uuid)
    db_file = db.path
    store.close(db)
    done = subprocess.run(
        [sys.executable, "-m", "desktop", "--db", str(db_file), "check"],
        check=False,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen"},
        timeout=120,
    )
    assert done.returncode == 1
    assert "附件损坏：附件「坏.txt」" in done.stdout
    store.close(store.open(db_file))  # the database still opens after the check (its lock released again)


def test_the_monthly_workbook_lists_the_months_attachments(db: store.Database, meeting_uuid: str) -> None:
    a = attachments.add_attachment(
        db, owner_kind="meeting", owner_id=meeting_uuid, name="签到表.txt", data=b"d" * 9
    )
    rows = attachments.monthly_attachment_rows(db, month="2026-10")
    assert [(r["name"], r["sha256"]) for r in rows] == [("签到表.txt", a.sha256)]
    assert attachments.monthly_attachment_rows(db, month="2020-01") == []


def test_a_password_change_cut_short_is_finished_when_a_file_is_read(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from db.store import password

    db = store.open(db_path)
    m = meetings.plan_meeting(db, kind="branch_assembly", planned_on=date(2026, 10, 15), topic="学习")
    a = attachments.add_attachment(db, owner_kind="meeting", owner_id=m.uuid, name="a.txt", data=b"delta" * 9)
    # the power fails after the database file was replaced, before the re-encrypted files took their names
    monkeypatch.setattr(password, "finish_rekey", lambda folder: 0)
    db, _ = store.change_password(db, new_key="after-the-cut")
    try:
        folder = attachments.service.store_of(db).folder
        assert list(folder.glob("??/*.rekeyed"))
        assert attachments.read_bytes(db, uuid=a.uuid) == b"delta" * 9
        assert not list(folder.glob("??/*.rekeyed")) and attachments.verify_attachments(db) == []
    finally:
        store.close(db)
