"""The database password (SQLCipher): setting, changing or removing it, and the one-time recovery code."""

from __future__ import annotations

import builtins
import hashlib
import json
import os
import secrets
from pathlib import Path

import sqlcipher3.dbapi2 as sqlite

from db.errors import StoreError
from db.store.backup import backup_before, fsync_dir, unlink_quietly
from db.store.classify import WrongPassword
from db.store.database import APPLICATION_ID, Database, ReadOnlyDatabase, connect, readonly_message
from db.store.leftovers import claim
from db.store.objects import finish_rekey, folder_for, prepare_rekey, store_info
from db.store.opening import close, open
from db.store.paths import backup_dir
from db.store.rekey import rekey_file

RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed from paper
_RECOVERY_ITERATIONS = 200_000


def recovery_file(path: Path) -> Path:
    """The sidecar beside the database that lets the recovery code reveal the password."""
    return Path(path).with_name(Path(path).name + ".recovery")


def _normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch in RECOVERY_ALPHABET)


def _seal(secret: bytes, code: str, salt: bytes) -> bytes:
    pad = hashlib.pbkdf2_hmac(
        "sha256", _normalise_code(code).encode(), salt, _RECOVERY_ITERATIONS, dklen=len(secret)
    )
    return bytes(a ^ b for a, b in zip(secret, pad))


def _write_recovery(path: Path, key: str) -> str:
    """Make a new one-time recovery code for ``key`` and store the sealed password beside the database."""
    code = "-".join("".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(4)) for _ in range(6))
    salt = secrets.token_bytes(16)
    secret = key.encode("utf-8")
    data = {
        "version": 1,
        "salt": salt.hex(),
        "iterations": _RECOVERY_ITERATIONS,
        "sealed": _seal(secret, code, salt).hex(),
        "check": hashlib.sha256(salt + secret).hexdigest(),
    }
    target = recovery_file(path)
    tmp = target.with_name(target.name + ".partial")
    tmp.write_text(json.dumps(data), encoding="utf-8")
    os.replace(tmp, target)
    return code


def password_from_recovery_code(path: str | os.PathLike[str], *, code: str) -> str:
    """The database password recovered with the one-time code shown when it was set. Raises ``WrongPassword``
    (bad code) or ``StoreError`` (no recovery file beside the database)."""
    target = recovery_file(Path(path))
    try:
        data = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StoreError(
            f"找不到恢复文件「{target.name}」（它应与数据库在同一文件夹）。没有它，恢复码无法使用。"
        ) from exc
    salt = bytes.fromhex(data["salt"])
    secret = _seal(bytes.fromhex(data["sealed"]), code, salt)
    if hashlib.sha256(salt + secret).hexdigest() != data["check"]:
        raise WrongPassword("恢复码不正确。请对照打印的恢复码重新输入（字母不区分大小写，短横线可省略）。")
    return secret.decode("utf-8")


def _export_with_key(db: Database, dest: Path, key: str | None) -> None:
    """Write the whole database into ``dest`` (absent or empty) encrypted with ``key`` (plain with None) via
    ``sqlcipher_export``."""
    db.conn.execute("ATTACH DATABASE ? AS rekeyed KEY ?", [str(dest), key or ""])
    try:
        db.conn.execute("SELECT sqlcipher_export('rekeyed')")
        db.conn.execute(f"PRAGMA rekeyed.application_id = {APPLICATION_ID}")
        version = db.conn.execute("PRAGMA main.user_version").fetchone()[0]
        db.conn.execute(f"PRAGMA rekeyed.user_version = {int(version)}")
    finally:
        db.conn.execute("DETACH DATABASE rekeyed")


def change_password(db: Database, *, new_key: str | None) -> tuple[Database, str | None]:
    """Set, change or remove (``new_key=None``) the database password. Returns the database opened again with the
    new password and, when a password was set, the new one-time recovery code (show and print it once).

    ``db`` must be the only open connection to the file; it is closed. Steps: a backup with the old password;
    the whole database is exported with ``sqlcipher_export`` into ``<db>.rekey.partial``, checked, flushed and
    renamed over the file (a power cut leaves either the old or the new file, both whole); the backups are
    re-encrypted with the new password (so none stays readable without it); the recovery file is rewritten; the
    attachment store's objects are re-encrypted under the new password's key.
    Raises ``ReadOnlyDatabase`` or ``StoreError``; on an error before the rename nothing has changed.
    """
    if db.readonly:
        raise ReadOnlyDatabase(readonly_message(db.path))
    new_key = new_key or None
    if new_key is not None and len(new_key) < 6:
        raise StoreError("密码至少需要 6 个字符。")
    path, old_key = db.path, db.key
    backup_before(db, "before-rekey")
    tmp = path.with_name(path.name + ".rekey.partial")
    unlink_quietly(tmp)
    held = claim(tmp)  # marked as being written: a sweep by another connection leaves it alone
    try:
        _export_with_key(db, tmp, new_key)
        check = connect(tmp, key=new_key)
        try:
            sound = [row[0] for row in check.execute("PRAGMA integrity_check")] == ["ok"]
            same = all(
                check.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                == db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("members", "audit_log")
            )
        finally:
            check.close()
        if not (sound and same):
            raise StoreError("设置密码时校验新文件失败，数据库未被修改。")
        info = store_info(db.conn)
        if info is not None:  # the attachments under the new key, beside the old ones (db/store/objects.py)
            prepare_rekey(folder_for(path, info.store_id), info.salt, old_key, new_key)
        with builtins.open(tmp, "rb+") as f:
            os.fsync(f.fileno())
    except (OSError, sqlite.Error) as exc:
        unlink_quietly(tmp)
        raise StoreError(f"无法更改数据库密码：{exc}。数据库未被修改。") from exc
    finally:
        if held is not None:
            held.close()
    close(db)
    for suffix in ("-wal", "-shm"):  # empty after the checkpoint in close(); they belong to the old file
        unlink_quietly(path.with_name(path.name + suffix))
    os.replace(tmp, path)
    fsync_dir(path.parent)
    folder = backup_dir(path)
    if folder.is_dir():
        for old in sorted(folder.glob(f"{path.stem}-*.sqlite")):
            try:
                rekey_file(old, old_key, new_key)
            except (OSError, sqlite.Error):
                pass  # a backup under another (older) password stays as it was
    code = None
    if new_key is not None:
        code = _write_recovery(path, new_key)
    else:
        unlink_quietly(recovery_file(path))
    if info is not None:
        finish_rekey(folder_for(path, info.store_id))
    return open(path, key=new_key), code
