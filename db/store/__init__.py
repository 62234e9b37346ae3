"""Opening, checking and backing up the Branch Desk database file.

``open(path)`` is the only way the program gets a database. The file is opened through ``sqlcipher3`` (it bundles
SQLite 3.53, which has the fix for the WAL corruption bug of SQLite 3.7.0–3.51.2; without a key it is plain SQLite)
and wrapped in ``sqlite_utils.Database``. Before anything is written the file is inspected read-only: a file that is
not a Branch Desk database, is damaged, is held by another running copy, or was written by a newer version is refused
with a Chinese message and is never modified.

The package, by job: ``database`` (the ``Database`` class and raw connections), ``classify`` (what an existing file
is: ours, foreign, damaged, encrypted, newer — the read-only check before opening), ``opening`` (``open``/``close``),
``locking`` (one running copy per file), ``paths`` (data and backup folders), ``backup`` (verified copies) and
``password`` (SQLCipher password and recovery code), ``leftovers`` (sweeping our own half-written files), ``intents`` (a file renamed into place together with its
record). Every name callers use is re-exported here
(with the ``db.errors`` classes ``open`` raises).
"""

from __future__ import annotations

from db.errors import (
    DatabaseCorrupt,
    DatabaseEmpty,
    DatabaseLocked,
    DatabaseMissing,
    DatabaseTooNew,
    DiskFull,
    EncryptedDatabaseCorrupt,
    NotBranchDeskDatabase,
    StoreError,
)
from db.store.backup import (
    BACKUP_NAME_RE,
    ProgressFn,
    backup,
    backup_before,
    backup_name,
    copy_connection,
)
from db.store.classify import PasswordRequired, WrongPassword, file_kind, is_encrypted, known_migrations
from db.store.classify import inspect_file as _inspect
from db.store.database import (
    APPLICATION_ID,
    SQLITE_MAGIC,
    Database,
    ReadOnlyDatabase,
    WritesPaused,
    connect,
    disk_full_message,
    is_disk_full,
    key_pragma,
    now_iso,
    os_reason,
    readonly_uri,
    row_dicts,
)
from db.store.intents import file_sha256, renamed_with_record, settle_intents
from db.store.leftovers import claim, hold, leftovers_of, sweep_leftovers, sweep_partials
from db.store.locking import refuse_overwriting_database
from db.store.opening import close, integrity_check, open, open_again
from db.store.password import RECOVERY_ALPHABET, change_password, password_from_recovery_code, recovery_file
from db.store.paths import APP_NAME, backup_dir, data_dir, default_db_path, same_file

__all__ = [
    "APPLICATION_ID",
    "APP_NAME",
    "BACKUP_NAME_RE",
    "RECOVERY_ALPHABET",
    "SQLITE_MAGIC",
    "Database",
    "DatabaseCorrupt",
    "DatabaseEmpty",
    "DatabaseLocked",
    "DatabaseMissing",
    "DatabaseTooNew",
    "DiskFull",
    "EncryptedDatabaseCorrupt",
    "NotBranchDeskDatabase",
    "PasswordRequired",
    "ProgressFn",
    "ReadOnlyDatabase",
    "StoreError",
    "WritesPaused",
    "WrongPassword",
    "_inspect",
    "backup",
    "backup_before",
    "backup_dir",
    "backup_name",
    "change_password",
    "claim",
    "close",
    "connect",
    "copy_connection",
    "data_dir",
    "default_db_path",
    "disk_full_message",
    "file_kind",
    "file_sha256",
    "hold",
    "integrity_check",
    "is_disk_full",
    "is_encrypted",
    "key_pragma",
    "known_migrations",
    "leftovers_of",
    "now_iso",
    "open",
    "open_again",
    "os_reason",
    "password_from_recovery_code",
    "readonly_uri",
    "recovery_file",
    "refuse_overwriting_database",
    "renamed_with_record",
    "row_dicts",
    "same_file",
    "settle_intents",
    "sweep_leftovers",
    "sweep_partials",
]
