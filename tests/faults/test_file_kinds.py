"""Issue 17: opening tells every kind of file apart (missing, empty, damaged plain, encrypted, damaged encrypted,
wrong password, too new, another program's file), each with its own error type, reason code and Chinese message
naming the file, and never writes to it. Real files, real SQLite and SQLCipher; the damage is done to the bytes."""

from __future__ import annotations

import hashlib
import os
import random
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from db import backups, members, store
from db.errors import (
    DatabaseCorrupt,
    DatabaseEmpty,
    DatabaseMissing,
    DatabaseTooNew,
    EncryptedDatabaseCorrupt,
    NotBranchDeskDatabase,
    StoreError,
)
from tests.db.test_store import _filled_db
from tests.faults._helpers import cli, roster_workbook

ROOT = Path(__file__).resolve().parents[2]
KEY = "煤矿secret1"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _fill(path: Path, n: int = 150, *, key: str | None = None) -> Path:
    """A real Branch Desk database of ``n`` members spanning many pages; with ``key`` encrypted (and its recovery
    file written beside it)."""
    _filled_db(path, n)
    if key:
        db, _code = store.change_password(store.open(path), new_key=key)
        store.close(db)
    return path


def _refused(path: Path, error: type[StoreError], *, key: str | None = None) -> StoreError:
    """Open must raise ``error`` (exactly that kind), name the file, speak Chinese and write nothing."""
    before = _sha(path) if path.exists() else None
    siblings = set(path.parent.iterdir())
    with pytest.raises(StoreError) as info:
        store.open(path, key=key)
    assert type(info.value) is error, (type(info.value), info.value.message)
    assert _has_chinese(info.value.message)
    assert path.name in info.value.message
    if before is not None:
        assert _sha(path) == before
    extra = {p for p in path.parent.iterdir() if p not in siblings and not p.name.endswith((".lock", "-shm"))}
    assert all(p.name.endswith("-wal") and p.stat().st_size == 0 for p in extra), extra
    return info.value


def test_missing_file_is_missing(tmp_path: Path) -> None:
    path = tmp_path / "none.sqlite"
    with pytest.raises(DatabaseMissing) as info:
        store.open(path, create=False)
    assert info.value.reason == "missing" and path.name in info.value.message
    assert not path.exists()


@pytest.mark.parametrize("content", [b"", b"\x00" * 4096 * 5], ids=["zero-bytes", "only-zeros"])
def test_an_empty_file_is_never_turned_into_a_new_database(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "cut.sqlite"
    path.write_bytes(content)
    error = _refused(path, DatabaseEmpty)
    assert isinstance(error, DatabaseCorrupt)  # so the GUI leads it to the recovery dialog
    assert error.reason == "empty" and "空" in error.message
    assert path.read_bytes() == content
    with pytest.raises(DatabaseEmpty):
        store.open(path, readonly=True)


def _damage(path: Path, shape: str) -> None:
    size = path.stat().st_size
    rng = random.Random(17)
    with open(path, "r+b") as f:
        if shape == "header-zeroed":
            f.write(b"\x00" * 100)
        elif shape == "magic-zeroed":
            f.write(b"\x00" * 16)
        elif shape == "first-page-random":
            f.write(rng.randbytes(4096))
        elif shape == "middle-page-random":
            f.seek((size // 4096 // 2) * 4096)
            f.write(rng.randbytes(4096))
        elif shape == "truncated":
            f.truncate(size // 3)
        elif shape == "truncated-odd":
            f.truncate(size // 3 + 777)
        elif shape == "random-bytes-everywhere-but-page-1":
            for page in range(1, size // 4096, 3):
                f.seek(page * 4096 + 1000)
                f.write(rng.randbytes(500))


@pytest.mark.parametrize(
    "shape",
    [
        "header-zeroed",
        "magic-zeroed",
        "first-page-random",
        "middle-page-random",
        "truncated",
        "truncated-odd",
        "random-bytes-everywhere-but-page-1",
    ],
)
def test_a_damaged_plain_database_is_damaged_not_encrypted(tmp_path: Path, shape: str) -> None:
    path = _fill(tmp_path / "broken.sqlite")
    _damage(path, shape)
    error = _refused(path, DatabaseCorrupt)
    assert error.reason == "damaged" and "损坏" in error.message
    # A password typed at it changes nothing: still damaged, never "wrong password".
    assert type(_refused(path, DatabaseCorrupt, key="whatever1")) is DatabaseCorrupt
    assert not store.is_encrypted(path)


def test_an_encrypted_database_asks_for_its_password_and_tells_a_typo(tmp_path: Path) -> None:
    path = _fill(tmp_path / "secret.sqlite", key=KEY)
    assert _refused(path, store.PasswordRequired).reason == "encrypted"
    assert _refused(path, store.WrongPassword, key="typo-typo").reason == "wrong_password"
    store.close(store.open(path, key=KEY))


@pytest.mark.parametrize("shape", ["page-1-body", "salt", "middle-page", "truncated"])
def test_a_damaged_encrypted_database_is_damaged_with_the_right_password(tmp_path: Path, shape: str) -> None:
    path = _fill(tmp_path / "secret.sqlite", key=KEY)
    size = path.stat().st_size
    with open(path, "r+b") as f:
        if shape == "page-1-body":
            f.seek(300)
            f.write(b"\x00" * 64)
        elif shape == "salt":
            f.write(b"\x00" * 16)  # the key derivation salt: no page opens, the recovery file tells it apart
        elif shape == "middle-page":
            f.seek((size // 4096 // 2) * 4096 + 100)
            f.write(random.Random(3).randbytes(200))
        else:
            f.truncate(size // 2 + 100)
    assert store.is_encrypted(path)
    error = _refused(path, EncryptedDatabaseCorrupt, key=KEY)
    assert error.reason == "damaged_encrypted" and "密码正确" in error.message
    if shape != "salt":
        assert _refused(path, store.WrongPassword, key="typo-typo").reason == "wrong_password"
    # Like every damaged file it can be recovered from the (encrypted) backups with the password.
    new = backups.recover_to_new_file(path, key=KEY)
    db = store.open(new, key=KEY)
    try:
        assert members.count_members(db)["active"] == 150
    finally:
        store.close(db)


def test_a_newer_database_is_too_new(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('branchdesk', '9999_future', '2099-01-01')"
    )
    conn.commit()
    conn.close()
    assert _refused(db_path, DatabaseTooNew).reason == "too_new"


def _foreign(path: Path, shape: str) -> None:
    if shape == "text":
        path.write_text("这不是数据库\n" * 300, encoding="utf-8")
    elif shape == "zip":
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("a.txt", "hello " * 2000)
    elif shape == "png-like":
        path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64)
    else:
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("INSERT INTO customers (name) VALUES ('x')")
        conn.commit()
        conn.close()


@pytest.mark.parametrize("shape", ["text", "zip", "png-like", "other-sqlite"])
def test_another_programs_file_is_foreign(tmp_path: Path, shape: str) -> None:
    path = tmp_path / "other.sqlite"
    _foreign(path, shape)
    assert _refused(path, NotBranchDeskDatabase).reason == "foreign"
    assert _refused(path, NotBranchDeskDatabase, key="whatever1").reason == "foreign"


def test_every_kind_has_its_own_reason_and_message(tmp_path: Path) -> None:
    """The eight kinds are told apart: eight reason codes, eight different messages."""
    seen: dict[str, str] = {}
    cases = tmp_path / "cases"
    cases.mkdir()

    def record(path: Path, *, key: str | None = None, create: bool = True) -> None:
        with pytest.raises(StoreError) as info:
            store.open(path, key=key, create=create)
        seen[info.value.reason] = info.value.message.replace(str(path), "").replace(path.name, "")

    record(cases / "missing.sqlite", create=False)
    (cases / "empty.sqlite").write_bytes(b"")
    record(cases / "empty.sqlite")
    damaged = _fill(cases / "damaged.sqlite")
    _damage(damaged, "header-zeroed")
    record(damaged)
    secret = _fill(cases / "secret.sqlite", key=KEY)
    record(secret)
    record(secret, key="typo-typo")
    broken_secret = _fill(cases / "broken-secret.sqlite", key=KEY)
    with open(broken_secret, "r+b") as f:
        f.seek(300)
        f.write(b"\x00" * 64)
    record(broken_secret, key=KEY)
    newer = _fill(cases / "newer.sqlite", 1)
    conn = sqlite3.connect(newer)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('branchdesk', 'z', 'x')"
    )
    conn.commit()
    conn.close()
    record(newer)
    _foreign(cases / "text.sqlite", "text")
    record(cases / "text.sqlite")
    assert set(seen) == {
        "missing",
        "empty",
        "damaged",
        "encrypted",
        "wrong_password",
        "damaged_encrypted",
        "too_new",
        "foreign",
    }
    assert len(set(seen.values())) == 8


def test_import_apply_does_not_turn_a_zero_byte_database_into_a_new_one(tmp_path: Path) -> None:
    roster_workbook(tmp_path, 5, seed=2)
    target = tmp_path / "cut.sqlite"
    target.write_bytes(b"")
    result = cli("import", str(tmp_path / "roster.xlsx"), "--apply", "--db", str(target), cwd=tmp_path)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "空" in result.stderr and "cut.sqlite" in result.stderr
    assert target.read_bytes() == b""
    assert not (tmp_path / "cut.sqlite-wal").exists() and not (tmp_path / "backups").exists()


def test_a_new_database_is_created_whole_or_not_at_all(tmp_path: Path) -> None:
    """The first start is killed before the schema is written: no zero-byte file is left under the final name
    (which the next start would have to refuse as empty)."""
    import signal
    import textwrap

    path = tmp_path / "first.sqlite"
    code = textwrap.dedent(
        """
        import sys
        from db.migrations import migrations
        from db import store
        real = migrations.apply
        def apply(db, **kw):
            print("half", flush=True)
            sys.stdin.readline()
            return real(db, **kw)
        migrations.apply = apply
        store.open(sys.argv[1])
        """
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code, str(path)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "half"
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    assert not path.exists()
    db = store.open(path)  # the next start creates it and sweeps the half-built one
    try:
        assert store.integrity_check(db) == ["ok"]
    finally:
        store.close(db)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["first.sqlite", "first.sqlite.lock"]


@pytest.mark.parametrize("shape", ["zero-bytes", "header-zeroed"])
def test_the_gui_leads_an_empty_or_damaged_file_to_the_recovery_dialog(
    qtbot, tmp_path: Path, monkeypatch, shape: str
) -> None:  # type: ignore[no-untyped-def]
    from desktop import app

    path = tmp_path / "branch.sqlite"
    if shape == "zero-bytes":
        path.write_bytes(b"")
    else:
        _fill(path, 20)
        _damage(path, "header-zeroed")
    before = path.read_bytes()
    asked: list[tuple[Path, str]] = []

    def recover(db_path: Path, message: str, key: str | None = None) -> Path | None:
        asked.append((db_path, message))
        return None  # the secretary closes the recovery dialog

    monkeypatch.setattr(app, "recover", recover)
    assert app.run(db_path=path, explicit_db=True) == 1
    assert len(asked) == 1 and asked[0][0] == path and path.name in asked[0][1]
    assert path.read_bytes() == before
