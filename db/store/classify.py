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

from db.errors import DatabaseCorrupt, DatabaseTooNew, NotBranchDeskDatabase, StoreError
from db.migrations import migrations
from db.store.database import APPLICATION_ID, SQLITE_MAGIC, connect, readonly_uri


class PasswordRequired(StoreError):
    """The file is an encrypted (SQLCipher) database and no password was given."""


class WrongPassword(StoreError):
    """The password does not open the encrypted database (told apart from a damaged file)."""


def _refuse_not_ours(path: Path) -> NotBranchDeskDatabase:
    return NotBranchDeskDatabase(
        f"文件「{path.name}」不是支部工作台的数据库。请选择支部工作台创建的数据库文件（.sqlite）；该文件未被修改。"
    )


def is_encrypted(path: Path) -> bool:
    """True when ``path`` looks like an encrypted SQLCipher database: no plaintext SQLite header, a size that is a
    whole number of pages. (A text or other file fails the second test and is refused as not ours.)"""
    path = Path(path)
    try:
        size = path.stat().st_size
        with builtins.open(path, "rb") as f:
            header = f.read(len(SQLITE_MAGIC))
    except OSError:
        return False
    return header != SQLITE_MAGIC and size >= 1024 and size % 512 == 0


def inspect_file(path: Path, key: str | None = None) -> bool:
    """Check an existing file read-only. Returns True when it already holds a Branch Desk schema.

    Raises the matching ``StoreError`` for a foreign, damaged, newer or encrypted file (``PasswordRequired``
    without ``key``, ``WrongPassword`` when ``key`` does not open it). ``key`` is ignored for a plain file.
    """
    with builtins.open(path, "rb") as f:
        header = f.read(len(SQLITE_MAGIC))
    if header != SQLITE_MAGIC:
        if not is_encrypted(path):
            raise _refuse_not_ours(path)
        if not key:
            raise PasswordRequired(f"数据库「{path.name}」已设置密码，请输入密码后打开。")
    else:
        key = None
    try:
        conn = connect(readonly_uri(path), key=key, uri=True)
    except sqlite.Error as exc:
        raise _unreadable(path, exc) from exc
    try:
        if key:
            # cipher_integrity_check verifies every page's HMAC without reading the schema. A wrong password fails
            # on page 1 (and on every other page); the right one fails only on damaged pages, so a damaged
            # encrypted file is told apart from a typo. (Reading sqlite_master instead would report a damaged
            # schema page as "file is not a database", i.e. as a wrong password.)
            try:
                cipher = [row[0] for row in conn.execute("PRAGMA cipher_integrity_check")]
            except sqlite.Error as exc:
                raise _unreadable(path, exc) from exc
            if any(re.search(r"\bpage 1\b", line) for line in cipher):
                raise WrongPassword(f"密码不正确，无法打开数据库「{path.name}」。请重新输入；文件未被修改。")
            if cipher:
                raise DatabaseCorrupt(_corrupt_message(path))
        try:
            result = [row[0] for row in conn.execute("PRAGMA quick_check")]
        except sqlite.Error as exc:
            raise _unreadable(path, exc) from exc
        if result != ["ok"]:
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
    finally:
        conn.close()


def _unreadable(path: Path, exc: Exception) -> StoreError:
    """A file SQLite cannot read: damaged, unless it only cannot be opened where it lies (a read-only folder
    holding an unmerged ``-wal``), which is not a reason to start the recovery."""
    if "unable to open" in str(exc) and not os.access(Path(path).resolve().parent, os.W_OK):
        return StoreError(
            f"无法读取数据库「{path.name}」：它所在的文件夹是只读的，且还有未合并的日志文件（-wal）。"
            "请把数据库文件连同同名的 -wal、-shm 文件一起复制到可写的位置后再打开；文件未被修改。"
        )
    return DatabaseCorrupt(_corrupt_message(path))


def _corrupt_message(path: Path) -> str:
    return (
        f"数据库「{path.name}」已损坏（完整性检查未通过），为避免数据丢失已拒绝打开，文件未被修改。"
        "请从备份恢复，或把该文件交给技术人员处理。"
    )


def known_migrations() -> list[str]:
    """Names of the migrations this version of the code knows, in order."""
    return [m.name for m in migrations._migrations]
