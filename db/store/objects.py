"""The attachment store: scans, photos and documents as encrypted, content-addressed files beside the database.

Why not inside the database: every automatic backup is a whole copy of the database file, and rotation keeps about
27 of them (7 days, 8 weeks, 12 months); 500 scans of 300 KB in the database would cost 150 MB per copy, 4 GB in
all. Here the database keeps only the rows (name, owner, SHA-256, object name) and the files live once in
``<database folder>/attachments/<store id>/``; every backup of the same database refers to the same objects, so a
backup costs the size of the rows, not of the files. A backup written elsewhere (a USB stick) gets the objects it
lacks copied beside it (``attachments/<store id>/`` in that folder), so such copies share one store too.

Each object is the file's bytes encrypted with AES-256-GCM (``cryptography``) under a key derived from the
database password and the store's salt (PBKDF2-HMAC-SHA256); the salt and the store id live in the database
(table ``attachment_store``), so with a password set neither the key nor the names can be learnt outside the
program. Names are HMAC-SHA256(salt, bytes): the same file added twice is stored once, and a name tells nothing
about the content to whoever lacks the database. Without a password the key is derived from the salt alone, which
the unencrypted database shows: the files are then as protected as the database, that is not at all (they are
only not greppable). When the password changes the objects are re-encrypted in place (names stay, so every backup,
re-encrypted with the new password too, still finds them): each is written re-encrypted beside itself before the
database file is replaced and renamed into place after, and each object's header carries a check of its key, so a
change interrupted by a power cut is finished object by object when the file is next read.

File format: ``BDA1`` + 8-byte key check + 12-byte nonce + ciphertext with its 16-byte tag (the object name as
associated data, so an object copied over another's name is refused).
"""

from __future__ import annotations

import builtins
import hashlib
import hmac
import os
import secrets
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlite

from db.errors import StoreError

MAGIC = b"BDA1"
_HEADER = len(MAGIC) + 8 + 12
_ITERATIONS = 200_000
FOLDER = "attachments"


@dataclass(frozen=True)
class StoreInfo:
    """The store of one database: its id (the folder name) and its salt (naming and key derivation)."""

    store_id: str
    salt: bytes


def store_info(conn: Any) -> StoreInfo | None:
    """The store row of an open connection (a database or a backup); None for a file of a version before
    attachments (no table) or one that cannot be read."""
    try:
        row = conn.execute("SELECT store_id, salt FROM attachment_store WHERE id = 1").fetchone()
    except sqlite.Error:
        return None
    return StoreInfo(str(row[0]), bytes(row[1])) if row else None


def folder_for(db_path: Path, store_id: str) -> Path:
    """Where the objects of a database at ``db_path`` live."""
    return Path(db_path).resolve().parent / FOLDER / store_id


def candidate_folders(file_path: Path, store_id: str) -> list[Path]:
    """Where the objects of a database file may be: beside it, or beside the database when it is an automatic
    backup (in ``backups/``)."""
    here = Path(file_path).resolve().parent
    return [here / FOLDER / store_id, here.parent / FOLDER / store_id]


@lru_cache(maxsize=8)
def derive_key(password: str | None, salt: bytes) -> bytes:
    """The AES-256 key of a store. With a password: PBKDF2 of it; without: a hash of the salt (no secret)."""
    if not password:
        return hashlib.sha256(b"branchdesk-attachments-nopassword" + salt).digest()
    return hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, _ITERATIONS)


def _check(key: bytes) -> bytes:
    return hmac.new(key, b"branchdesk-attachment-key", hashlib.sha256).digest()[:8]


def object_name(salt: bytes, data: bytes) -> str:
    """The content address of ``data`` in a store with ``salt``."""
    return hmac.new(salt, data, hashlib.sha256).hexdigest()


def object_path(folder: Path, name: str) -> Path:
    return folder / name[:2] / name


def seal(key: bytes, name: str, data: bytes) -> bytes:
    # cryptography is imported when a file is stored or read: 11 ms of CPU off every start of the program.
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = secrets.token_bytes(12)
    return MAGIC + _check(key) + nonce + AESGCM(key).encrypt(nonce, data, name.encode("ascii"))


class ObjectDamaged(StoreError):
    """An object is missing, of another key, or fails its authentication tag."""


def unseal(key: bytes, name: str, blob: bytes) -> bytes:
    if len(blob) < _HEADER + 16 or blob[:4] != MAGIC:
        raise ObjectDamaged("附件文件已损坏（文件头不对）")
    if blob[4:12] != _check(key):
        raise ObjectDamaged("附件文件不是用当前数据库密码加密的")
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        return AESGCM(key).decrypt(blob[12:_HEADER], blob[_HEADER:], name.encode("ascii"))
    except InvalidTag as exc:
        raise ObjectDamaged("附件文件已损坏（校验失败）") from exc


def _write_atomic(path: Path, blob: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".partial")
    with builtins.open(tmp, "wb") as f:
        f.write(blob)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def put(folder: Path, key: bytes, salt: bytes, data: bytes) -> str:
    """Store ``data`` (once: an object already there is kept) and return its name."""
    name = object_name(salt, data)
    path = object_path(folder, name)
    if not path.exists():
        _write_atomic(path, seal(key, name, data))
    return name


def get(folder: Path, key: bytes, name: str) -> bytes:
    """The bytes of object ``name``; ``ObjectDamaged`` when it is missing or damaged. An object a password
    change had re-encrypted but not yet put in place (a power cut) is put in place first."""
    path = object_path(folder, name)
    try:
        blob = path.read_bytes()
    except FileNotFoundError as exc:
        raise ObjectDamaged("附件文件不见了") from exc
    if blob[4:12] != _check(key):
        pending = path.with_name(path.name + REKEYED)
        if pending.exists() and pending.read_bytes()[4:12] == _check(key):
            os.replace(pending, path)
            blob = path.read_bytes()
    return unseal(key, name, blob)


def names_in(folder: Path) -> set[str]:
    """Every object name present in a store folder."""
    if not folder.is_dir():
        return set()
    return {p.name for p in folder.glob("??/*") if len(p.name) == 64 and not p.name.endswith(".partial")}


def copy_objects(names: Iterable[str], *, sources: Iterable[Path], dest: Path) -> list[str]:
    """Copy the objects ``names`` missing in ``dest`` from the first of ``sources`` holding them (the encrypted
    bytes as they are). Returns the names found nowhere."""
    missing = []
    source_list = [s for s in sources if s.resolve() != dest.resolve()]
    for name in sorted(set(names)):
        target = object_path(dest, name)
        if target.exists():
            continue
        for source in source_list:
            found = object_path(source, name)
            if found.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                tmp = target.with_name(target.name + ".partial")
                shutil.copyfile(found, tmp)
                os.replace(tmp, target)
                break
        else:
            missing.append(name)
    return missing


REKEYED = ".rekeyed"  # an object re-encrypted for a password change, put in place once the database is


def prepare_rekey(folder: Path, salt: bytes, old_password: str | None, new_password: str | None) -> int:
    """First half of a password change for the store, before the database file is replaced: every object is
    re-encrypted under the new password's key beside itself (``<name>.rekeyed``). Returns how many."""
    old, new = derive_key(old_password, salt), derive_key(new_password, salt)
    if old == new:
        return 0
    done = 0
    for name in sorted(names_in(folder)):
        path = object_path(folder, name)
        blob = path.read_bytes()
        if blob[4:12] == _check(new):
            continue
        try:
            data = unseal(old, name, blob)
        except ObjectDamaged:
            continue  # a damaged file stays as it is; `branchdesk check` names it
        _write_atomic(path.with_name(path.name + REKEYED), seal(new, name, data))
        done += 1
    return done


def finish_rekey(folder: Path) -> int:
    """Second half, after the database file was replaced: the re-encrypted objects take their names (names stay,
    so every backup still finds them). A power cut in between is finished by ``get`` object by object."""
    done = 0
    for pending in sorted(folder.glob(f"??/*{REKEYED}")) if folder.is_dir() else []:
        os.replace(pending, pending.with_name(pending.name[: -len(REKEYED)]))
        done += 1
    return done


def referenced_names(conn: Any) -> set[str]:
    """Every object a database (or backup) refers to: current files, originals kept, and the 回收站."""
    try:
        rows = conn.execute(
            "SELECT object FROM attachments UNION SELECT original_object FROM attachments "
            "WHERE original_object IS NOT NULL"
        ).fetchall()
    except sqlite.Error:
        return set()
    return {str(r[0]) for r in rows}
