"""Telling what a file is before anything is written to it: a Branch Desk database (plain or encrypted), a foreign
file, a damaged one, one written by a newer version, or an encrypted one opened without or with a wrong password.

``inspect_file`` is the read-only check ``db.store.open`` runs on every existing file; each verdict other than
"ours" is a ``StoreError`` subclass with a Chinese message, and the file is never modified.
"""

from __future__ import annotations

import builtins
import os
import re
from pathlib import Path

import sqlcipher3.dbapi2 as sqlite

from db.errors import (
    DatabaseCorrupt,
    DatabaseEmpty,
    DatabaseTooNew,
    EncryptedDatabaseCorrupt,
    NotBranchDeskDatabase,
    StoreError,
)
from db.migrations import migrations
from db.store.database import APPLICATION_ID, SQLITE_MAGIC, connect, readonly_uri


class PasswordRequired(StoreError, reason="encrypted"):
    """The file is an encrypted (SQLCipher) database and no password was given."""


class WrongPassword(StoreError, reason="wrong_password"):
    """The password does not open the encrypted database (told apart from a damaged file)."""


def _refuse_not_ours(path: Path) -> NotBranchDeskDatabase:
    return NotBranchDeskDatabase(
        f"文件「{path.name}」不是支部工作台的数据库（可能是其他程序的文件）。"
        "请选择支部工作台创建的数据库文件（.sqlite）；该文件未被修改。"
    )


# Magic numbers of files people keep beside a database (zip/xlsx/docx, old Office, PDF, images, archives): their
# compressed contents look like ciphertext, their first bytes do not (a SQLCipher file starts with a random salt;
# four bytes or more, so a salt matches one by chance less than once in 400 million files).
_OTHER_FORMATS = (
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"\xd0\xcf\x11\xe0",
    b"%PDF",
    b"\x89PNG",
    b"\xff\xd8\xff\xe0",
    b"\xff\xd8\xff\xe1",
    b"GIF8",
    b"7z\xbc\xaf",
    b"Rar!",
    b"{\\rtf",
)
_CHUNK = 4096  # SQLite's and SQLCipher's default page size
_SAMPLES = 32


def _chunks(path: Path, size: int) -> list[bytes]:
    """Up to ``_SAMPLES`` page-sized pieces of the file: the first eight and the rest spread evenly."""
    pages = max(1, size // _CHUNK)
    picks = sorted({*range(min(8, pages)), *(pages * i // (_SAMPLES - 8) for i in range(_SAMPLES - 8))})
    out = []
    with builtins.open(path, "rb") as f:
        for page in picks:
            f.seek(page * _CHUNK)
            data = f.read(_CHUNK)
            if len(data) >= 512:
                out.append(data)
    return out


def _looks_random(chunk: bytes) -> bool:
    """True for a piece of ciphertext: no byte value much more frequent than chance (a page of a plain database
    has runs of zeros, text, repeated b-tree structure)."""
    expected = len(chunk) / 256
    return max(chunk.count(bytes([b])) for b in set(chunk)) <= expected * 2 + 16


def _looks_like_btree_page(chunk: bytes) -> bool:
    """A plain SQLite b-tree page: a page-type byte, a plausible cell count and content offset."""
    if len(chunk) < _CHUNK or chunk[0] not in (2, 5, 10, 13):
        return False
    cells = int.from_bytes(chunk[3:5], "big")
    content = int.from_bytes(chunk[5:7], "big")
    return 0 < cells * 2 + 8 <= _CHUNK and (content == 0 or 8 <= content <= _CHUNK)


def file_kind(path: Path) -> str:
    """What a file is, judged from its bytes alone (nothing is opened through SQLite): ``empty`` (zero bytes, or
    nothing but zero bytes), ``plain`` (a SQLite header), ``encrypted`` (ciphertext throughout: SQLCipher),
    ``damaged`` (a plain SQLite database whose header is gone: its pages still show b-tree structure or schema
    text) or ``foreign`` (anything else)."""
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        return "empty"
    with builtins.open(path, "rb") as f:
        header = f.read(len(SQLITE_MAGIC))
    if header == SQLITE_MAGIC:
        return "plain"
    if header.startswith(_OTHER_FORMATS):
        return "foreign"
    chunks = _chunks(path, size)
    if not chunks:
        return "foreign"
    if all(not any(chunk) for chunk in chunks) and not any(header):
        return "empty"
    schema_text = any(b"CREATE TABLE" in c or b"_sqlite_migrations" in c for c in chunks)
    random_share = sum(_looks_random(c) for c in chunks) / len(chunks)
    if not schema_text and size >= 1024 and random_share >= 0.5:
        return "encrypted"
    btree_pages = sum(_looks_like_btree_page(c) for c in chunks)
    if size % 512 == 0 and (schema_text or btree_pages >= 2):
        return "damaged"
    return "foreign"


def is_encrypted(path: Path) -> bool:
    """True when ``path`` looks like an encrypted SQLCipher database: no plaintext SQLite header and ciphertext
    throughout (also when a few pages or the first one are damaged). A text, zero-filled or otherwise structured
    file is not."""
    try:
        return file_kind(Path(path)) == "encrypted"
    except OSError:
        return False


def _empty_message(path: Path) -> str:
    return (
        f"数据库文件「{path}」是空的（0 字节或全为零），可能是复制或保存时被中断。为避免覆盖，程序没有写入它。"
        "请从备份恢复；如果确定这是新建时中断留下的空文件，可把它删除后重新打开，程序会新建数据库。"
    )


def _recovery_confirms(path: Path, key: str) -> bool:
    """True when the recovery file beside ``path`` was sealed for ``key``: the password is the right one even
    though no page opens with it (page 1 with the salt is damaged)."""
    import hashlib
    import json

    sidecar = path.with_name(path.name + ".recovery")
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
        salt = bytes.fromhex(data["salt"])
        return bool(hashlib.sha256(salt + key.encode("utf-8")).hexdigest() == data["check"])
    except (OSError, ValueError, KeyError, TypeError):
        return False


def inspect_file(path: Path, key: str | None = None) -> bool:
    """Check an existing file read-only. Returns True when it already holds a Branch Desk schema.

    Raises the matching ``StoreError`` for a zero-byte (``DatabaseEmpty``), foreign, damaged (plain or
    encrypted), newer or encrypted file (``PasswordRequired`` without ``key``, ``WrongPassword`` when ``key``
    does not open it). ``key`` is ignored for a plain file.
    """
    kind = file_kind(path)
    if kind == "empty":
        raise DatabaseEmpty(_empty_message(path))
    if kind == "foreign":
        raise _refuse_not_ours(path)
    if kind == "damaged":
        raise DatabaseCorrupt(_corrupt_message(path))
    if kind == "encrypted":
        if not key:
            raise PasswordRequired(f"数据库「{path.name}」已设置密码，请输入密码后打开。")
    else:
        key = None
    created = [side for side in _side_files(path) if not side.exists()]
    try:
        conn = connect(readonly_uri(path), key=key, uri=True)
    except sqlite.Error as exc:
        _remove_created(created)
        raise _unreadable(path, exc, encrypted=bool(key)) from exc
    refused = True
    try:
        ours = _check(conn, path, key)
        refused = False
        return ours
    finally:
        conn.close()
        if refused:
            _remove_created(created)


def _side_files(path: Path) -> tuple[Path, Path]:
    """The ``-wal`` and ``-shm`` files SQLite keeps beside a database in WAL mode."""
    return path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")


def _remove_created(created: list[Path]) -> None:
    """Remove the side files the read-only check itself created beside a file it refused: a read-only connection
    to a WAL-mode file makes an empty ``-wal`` and its ``-shm`` but cannot remove them at close, so a damaged or
    foreign file was left with two new files beside it although the message says it was not modified. Only files
    that were not there before, and only while the ``-wal`` is empty (nothing could be lost)."""
    wal = [side for side in created if side.name.endswith("-wal")]
    if any(side.exists() and side.stat().st_size > 0 for side in wal):
        return
    for side in created:
        try:
            side.unlink(missing_ok=True)
        except OSError:
            pass  # a folder that refuses: the files stay, as before


def _check(conn: sqlite.Connection, path: Path, key: str | None) -> bool:
    """The checks of ``inspect_file`` on its read-only connection (see there)."""
    if key:
        # cipher_integrity_check verifies every page's HMAC without reading the schema. A wrong password fails
        # on page 1 (and on every other page); the right one fails only on damaged pages, so a damaged
        # encrypted file is told apart from a typo. (Reading sqlite_master instead would report a damaged
        # schema page as "file is not a database", i.e. as a wrong password.)
        try:
            cipher = [row[0] for row in conn.execute("PRAGMA cipher_integrity_check")]
        except (sqlite.Error, UnicodeDecodeError) as exc:
            raise _unreadable(path, exc, encrypted=bool(key)) from exc
        pages = max(1, path.stat().st_size // _CHUNK)
        every_page_fails = len(cipher) >= pages and any(re.search(r"\bpage 1\b", line) for line in cipher)
        if every_page_fails and not _recovery_confirms(path, key):
            raise WrongPassword(f"密码不正确，无法打开数据库「{path.name}」。请重新输入；文件未被修改。")
        if cipher:
            raise EncryptedDatabaseCorrupt(_encrypted_corrupt_message(path))
    try:
        result = [row[0] for row in conn.execute("PRAGMA quick_check")]
    except sqlite.Error as exc:
        raise _unreadable(path, exc, encrypted=bool(key)) from exc
    except UnicodeDecodeError:  # damaged pages put undecodable bytes into the check's report
        result = ["unreadable report"]
    if result != ["ok"]:
        if key:
            raise EncryptedDatabaseCorrupt(_encrypted_corrupt_message(path))
        raise DatabaseCorrupt(_corrupt_message(path))
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    tables = {
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        )
    }
    if app_id != APPLICATION_ID:
        if tables:
            raise _refuse_not_ours(path)
        return False
    if "_sqlite_migrations" in tables:
        applied = {
            row[0]
            for row in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", [migrations.name]
            )
        }
        unknown = applied - set(known_migrations())
        if unknown:
            raise DatabaseTooNew(
                f"数据库「{path.name}」由更新版本的支部工作台创建，当前版本无法安全打开。"
                "请安装最新版本的支部工作台后再打开；该文件未被修改。"
            )
    return True


def _unreadable(path: Path, exc: Exception, *, encrypted: bool = False) -> StoreError:
    """A file SQLite cannot read: damaged, unless it only cannot be opened where it lies (a read-only folder
    holding an unmerged ``-wal``), which is not a reason to start the recovery."""
    if "unable to open" in str(exc) and not os.access(Path(path).resolve().parent, os.W_OK):
        return StoreError(
            f"无法读取数据库「{path.name}」：它所在的文件夹是只读的，且还有未合并的日志文件（-wal）。"
            "请把数据库文件连同同名的 -wal、-shm 文件一起复制到可写的位置后再打开；文件未被修改。"
        )
    if encrypted:
        return EncryptedDatabaseCorrupt(_encrypted_corrupt_message(path))
    return DatabaseCorrupt(_corrupt_message(path))


def _encrypted_corrupt_message(path: Path) -> str:
    return (
        f"数据库「{path}」已设置密码，密码正确，但文件的部分内容已损坏，为避免数据丢失已拒绝打开，文件未被修改。"
        "请从备份恢复（备份使用同一密码），或把该文件交给技术人员处理。"
    )


def _corrupt_message(path: Path) -> str:
    return (
        f"数据库「{path}」已损坏（完整性检查未通过），为避免数据丢失已拒绝打开，文件未被修改。"
        "请从备份恢复，或把该文件交给技术人员处理。"
    )


def known_migrations() -> list[str]:
    """Names of the migrations this version of the code knows, in order."""
    return [m.name for m in migrations._migrations]
