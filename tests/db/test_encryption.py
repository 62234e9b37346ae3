"""The optional database password (SQLCipher): encrypted at rest with its backups, a wrong password told apart
from a damaged file, safe set/change/remove, and the one-time recovery code."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from db import backups, members, store
from db.errors import DatabaseCorrupt, NotBranchDeskDatabase, StoreError

NAME = "保密测试党员"
ADDRESS = "矿区幸福路十八号" * 5


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _fill(db, n: int = 200) -> None:  # type: ignore[no-untyped-def]
    with db.atomic():
        for i in range(n):
            members.add_member(db, values={"name": f"{NAME}{i}", "category": "full", "address": ADDRESS})


def _reveals_nothing(path: Path) -> bool:
    data = path.read_bytes()
    return NAME.encode() not in data and b"SQLite format 3" not in data[:100] and b"CREATE TABLE" not in data


def _encrypted(tmp_path: Path, key: str = "煤矿secret1") -> tuple[Path, str]:
    path = tmp_path / "branch.sqlite"
    db = store.open(path)
    _fill(db)
    store.backup_before(db, "daily")
    db, code = store.change_password(db, new_key=key)
    store.close(db)
    assert code is not None
    return path, code


def test_setting_a_password_encrypts_the_file_and_every_backup(tmp_path: Path) -> None:
    path, _code = _encrypted(tmp_path)
    assert store.is_encrypted(path) and _reveals_nothing(path)
    listed = backups.list_backups(path, key="煤矿secret1")
    assert {b.reason for b in listed} == {"daily", "before-rekey"}
    for b in listed:
        assert _reveals_nothing(b.path) and b.members == 200
    db = store.open(path, key="煤矿secret1")
    try:
        assert members.count_members(db)["active"] == 200
        # New backups (and backups to a USB stick) are encrypted with the same password.
        new = backups.backup_to(db, folder=tmp_path / "usb")
        assert _reveals_nothing(new) and backups.verify_backup(new, key="煤矿secret1")
        assert not backups.verify_backup(new)
        # A second connection for background work carries the password.
        other = store.open_again(db)
        assert members.count_members(other)["active"] == 200
        store.close(other)
    finally:
        store.close(db)


def test_wrong_or_missing_password_is_not_a_damaged_file(tmp_path: Path) -> None:
    path, _code = _encrypted(tmp_path)
    before = _sha(path)
    with pytest.raises(store.PasswordRequired) as missing:
        store.open(path)
    assert "密码" in missing.value.message
    with pytest.raises(store.WrongPassword) as wrong:
        store.open(path, key="typo")
    assert "密码不正确" in wrong.value.message
    assert not isinstance(wrong.value, DatabaseCorrupt)
    assert _sha(path) == before


def test_a_damaged_encrypted_file_is_damaged_not_a_wrong_password(tmp_path: Path) -> None:
    path, _code = _encrypted(tmp_path)
    size = path.stat().st_size
    with open(path, "r+b") as f:
        f.seek((size // 4096 // 2) * 4096 + 100)
        f.write(b"\x00" * 64)
    before = _sha(path)
    with pytest.raises(DatabaseCorrupt):
        store.open(path, key="煤矿secret1")
    with pytest.raises(store.WrongPassword):  # a typo on a damaged file is still only a typo
        store.open(path, key="typo")
    assert _sha(path) == before
    # The recovery works from the encrypted backups with the password.
    new = backups.recover_to_new_file(path, key="煤矿secret1")
    assert store.password_from_recovery_code(new, code=_code) == "煤矿secret1"
    db = store.open(new, key="煤矿secret1")
    try:
        assert members.count_members(db)["active"] == 200
    finally:
        store.close(db)


def test_a_text_file_is_still_not_ours(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("这不是数据库\n" * 100, encoding="utf-8")
    with pytest.raises(NotBranchDeskDatabase):
        store.open(path, key="whatever")


def test_change_and_remove_the_password(tmp_path: Path) -> None:
    path, first_code = _encrypted(tmp_path)
    db = store.open(path, key="煤矿secret1")
    db, second_code = store.change_password(db, new_key="另一个密码22")
    store.close(db)
    assert second_code != first_code
    with pytest.raises(store.WrongPassword):
        store.open(path, key="煤矿secret1")
    assert all(backups.verify_backup(b.path, key="另一个密码22") for b in backups.list_backups(path))
    db = store.open(path, key="另一个密码22")
    db, code = store.change_password(db, new_key=None)
    try:
        assert code is None and db.key is None
        assert not store.is_encrypted(path) and path.read_bytes()[:16] == store.SQLITE_MAGIC
        assert members.count_members(db)["active"] == 200
        assert not store.recovery_file(path).exists()
        assert all(backups.verify_backup(b.path) for b in backups.list_backups(path))
    finally:
        store.close(db)


def test_recovery_code_gives_the_password_back(tmp_path: Path) -> None:
    path, code = _encrypted(tmp_path)
    assert len(code.replace("-", "")) == 24
    assert store.password_from_recovery_code(path, code=code) == "煤矿secret1"
    assert store.password_from_recovery_code(path, code=code.lower().replace("-", " ")) == "煤矿secret1"
    with pytest.raises(store.WrongPassword):
        store.password_from_recovery_code(path, code="AAAA-BBBB-CCCC-DDDD-EEEE-FFFF")
    # The recovery file alone reveals nothing about the password.
    assert b"secret1" not in store.recovery_file(path).read_bytes()


def test_short_password_and_read_only_database_are_refused(db_path: Path) -> None:
    db = store.open(db_path)
    with pytest.raises(StoreError, match="至少"):
        store.change_password(db, new_key="123")
    store.close(db)
    before = _sha(db_path)
    db = store.open(db_path, readonly=True)
    try:
        with pytest.raises(store.ReadOnlyDatabase):
            store.change_password(db, new_key="secret12")
    finally:
        store.close(db)
    assert _sha(db_path) == before and not store.is_encrypted(db_path)


def test_restore_within_an_encrypted_database(tmp_path: Path) -> None:
    path, _code = _encrypted(tmp_path)
    db = store.open(path, key="煤矿secret1")
    try:
        saved = store.backup_before(db, "manual")
        members.add_member(db, values={"name": "新来的", "category": "full"})
        backups.restore(db, backup_path=saved)
        assert members.count_members(db)["active"] == 200
        counts = {c.table: (c.now, c.backup) for c in backups.compare_with_backup(db, backup_path=saved)}
        assert counts["members"] == (200, 200)
    finally:
        store.close(db)
