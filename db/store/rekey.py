"""Re-encrypting a closed database file (a backup), used by a password change and by finishing one at start."""

from __future__ import annotations

import builtins
import os
from pathlib import Path

from db.store.classify import is_encrypted
from db.store.database import APPLICATION_ID, connect


def rekey_file(path: Path, old_key: str | None, new_key: str | None) -> None:
    """Re-encrypt a closed database file (a backup) from ``old_key`` to ``new_key`` through a temporary file."""
    tmp = path.with_name(path.name + ".rekey.partial")
    src = connect(path, key=old_key if is_encrypted(path) else None)
    try:
        src.execute("SELECT count(*) FROM sqlite_master").fetchone()
        src.execute("ATTACH DATABASE ? AS rekeyed KEY ?", [str(tmp), new_key or ""])
        src.execute("SELECT sqlcipher_export('rekeyed')")
        src.execute(f"PRAGMA rekeyed.application_id = {APPLICATION_ID}")
        src.execute("PRAGMA rekeyed.journal_mode = DELETE")
        src.execute("DETACH DATABASE rekeyed")
    finally:
        src.close()
    with builtins.open(tmp, "rb+") as f:
        os.fsync(f.fileno())
    os.replace(tmp, path)
