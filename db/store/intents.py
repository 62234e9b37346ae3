"""A file renamed into place together with a database record: both or neither, even when the process is killed.

An export writes its workbook under a temporary name, then records it in the database (``exchange_batches``, the
exchange snapshot, the audit log). A kill between the rename and the commit of that record would leave a file the
database does not know of (or the reverse). ``renamed_with_record`` closes that gap:

1. the intent (the final path, the temporary path and the SHA-256 of the complete temporary file) is committed
   in the ``settings`` table — durable before anything is renamed;
2. the caller's transaction is opened; inside it the intent is deleted, the caller writes its record, and the
   temporary file is renamed over the final name (the folder flushed);
3. the transaction commits.

A kill before 3 rolls the record back and leaves the intent; ``settle_intents`` (run by ``db.store.open`` at the
next start, and at once when step 2 or 3 fails) then removes the file this write put under the final name (only
when its bytes are exactly ours) and its temporary file: no record, no file. After 3 there is no intent, and the
record and the file agree. The folder of the final name may be a USB stick that is gone at the next start: the
intent then stays until the stick is back.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlcipher3.dbapi2 as sqlite

from db.errors import StoreError
from db.store.backup import fsync_dir
from db.store.database import Database, now_iso

_PREFIX = "file_intent:"


def file_sha256(path: Path) -> str:
    """The SHA-256 of the bytes of ``path``."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@contextmanager
def renamed_with_record(db: Database, *, tmp: Path, path: Path) -> Iterator[None]:
    """Open a transaction for the caller's record of ``path``; when the block ends without error, rename the
    complete file ``tmp`` over ``path`` inside that transaction and commit. On any error (or a kill) the record
    is rolled back and ``path`` does not hold this file (see the module's docstring)."""
    key = f"{_PREFIX}{os.urandom(8).hex()}"
    intent = {"path": str(path.resolve()), "tmp": str(tmp.resolve()), "sha256": file_sha256(tmp)}
    with db.atomic():
        db.execute(
            "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)",
            [key, json.dumps(intent, ensure_ascii=False), now_iso()],
        )
    try:
        with db.atomic():
            db.execute("DELETE FROM settings WHERE key = ?", [key])
            yield
            os.replace(tmp, path)
            fsync_dir(path.parent)
    except BaseException:
        _settle(db, key, intent)
        raise


def settle_intents(db: Database) -> None:
    """Undo what a killed ``renamed_with_record`` left (its record was never committed): the file under the final
    name when it is byte for byte the one that write renamed, and its temporary file. Run at the start of the
    program, before anything else writes; an intent whose folder cannot be reached stays for the next start."""
    rows = db.execute("SELECT key, value FROM settings WHERE key LIKE ?", [f"{_PREFIX}%"]).fetchall()
    for key, value in rows:
        try:
            intent = json.loads(value)
        except ValueError:
            intent = {}
        _settle(db, key, intent)


def _settle(db: Database, key: str, intent: dict[str, str]) -> None:
    try:
        path, tmp = Path(intent["path"]), Path(intent["tmp"])
        if not path.parent.is_dir():
            return  # the stick is not plugged in: try again at the next start
        if path.is_file() and file_sha256(path) == intent["sha256"]:
            path.unlink()
            fsync_dir(path.parent)
        tmp.unlink(missing_ok=True)
    except KeyError:
        pass  # not an intent we can read: forget it
    except OSError:
        return  # the folder cannot be read or written now: the next start tries again
    # A full disk or a read-only file: the next start settles it.
    with contextlib.suppress(sqlite.Error, StoreError), db.atomic():
        db.execute("DELETE FROM settings WHERE key = ?", [key])
