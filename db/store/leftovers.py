"""Our own half-written files, left by a killed process or a power cut, and their sweeping.

Every file the program writes goes first to a temporary name beside its target and is renamed when complete:
``<name>.partial`` (backups, recovery file), ``<db>.rekey.partial`` (a password change), ``.<db>.new.partial`` (a
new database), ``.<name>.partial``, ``.<name>.<8 hex>.partial`` and ``.<name>.text.partial`` (workbooks, PDFs).
A writer holds an OS lock on its temporary file while it writes (``hold``); the sweep removes only files that match
these shapes and that nobody holds, so a copy still being written by another process is never touched.
``db.store.open`` sweeps the database's folder and its backups folder; the writers of exports and PDFs sweep
their target folder before they write (the next run of the same command).
"""

from __future__ import annotations

import builtins
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

if sys.platform != "win32":
    import fcntl

# Exports, PDFs and reports: "[.]<name>.<ext>[.<8 hex>][.text].partial[.enc]" beside the target.
_DOT_PARTIAL = re.compile(
    r"^\.?.+\.(xlsx|xlsm|pdf|csv|docx|sqlite|zip)(\.[0-9a-f]{8})?(\.new|\.text)?\.partial(\.enc)?$"
)
# Temporary files whose writers hold them while writing (``hold``/``claim``): unheld means abandoned.
_MARKED = re.compile(
    r"(\.[0-9a-f]{8}\.partial(\.enc)?|\.pdf\.partial|\.text\.partial|\.sqlite\.partial|\.rekey\.partial|\.new\.partial)$"
)
_UNMARKED_AGE = 60  # seconds without a write after which an unmarked temporary file is taken as abandoned
_WINDOWS_AGE = 3600  # seconds: without flock on Windows only old leftovers are removed


def claim(tmp: Path) -> IO[bytes] | None:
    """Mark ``tmp`` as being written by this process until the returned handle is closed (or the process ends);
    ``hold`` as a call for writers that cannot wrap their work in a block. None when it cannot be marked."""
    if sys.platform == "win32":  # pragma: no cover
        return None
    try:
        handle = builtins.open(tmp, "ab")  # noqa: SIM115 - returned to the caller, who keeps it open
    except OSError:
        return None
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
    except OSError:
        handle.close()
        return None
    return handle


@contextmanager
def hold(tmp: Path) -> Iterator[None]:
    """Mark ``tmp`` as being written by this process for as long as the block runs (an OS lock on it)."""
    if sys.platform == "win32":  # pragma: no cover - Windows: the sweep goes by age there
        yield
        return
    try:
        handle = builtins.open(tmp, "ab")  # noqa: SIM115 - held for the block
    except OSError:
        yield
        return
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        yield
    finally:
        handle.close()


def _unused(path: Path) -> bool:
    """True when no process is writing ``path``: nobody holds it (see ``hold``), and, for the shapes of writers that
    do not hold their temporary file (``.<name>.xlsx.partial`` of the simple workbook writers), it has not been
    written to for ``_UNMARKED_AGE`` seconds."""
    try:
        age = time.time() - path.stat().st_mtime
    except OSError:
        return False
    if sys.platform == "win32":  # pragma: no cover
        return age > _WINDOWS_AGE
    if not _MARKED.search(path.name) and age < _UNMARKED_AGE:
        return False
    return _lock_free(path)


def _lock_free(path: Path) -> bool:
    """True when nobody holds an OS lock on ``path`` (POSIX flock; see ``hold``/``claim``)."""
    try:
        with builtins.open(path, "rb") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _remove(paths: list[Path]) -> list[Path]:
    removed = []
    for path in paths:
        try:
            if path.is_file() and _unused(path):
                path.unlink()
                removed.append(path)
        except OSError:
            pass  # a read-only medium: left for a later run
    return removed


def sweep_partials(target: Path) -> list[Path]:
    """Remove the leftovers of killed writes in the folder of ``target`` (an export, a PDF); returns them."""
    folder = Path(target).parent
    try:
        names = [p for p in folder.iterdir() if _DOT_PARTIAL.match(p.name)]
    except OSError:
        return []
    return _remove(names)


def leftovers_of(db_path: Path) -> list[Path]:
    """The temporary files a killed write on the database at ``db_path`` may have left (not yet swept)."""
    db_path = Path(db_path)
    folder = db_path.parent
    found: list[Path] = []
    try:
        found += [
            p
            for p in folder.iterdir()
            if _DOT_PARTIAL.match(p.name)
            or (
                p.name.endswith(".partial")
                and p.name.startswith((db_path.name, f".{db_path.name}", f"{db_path.stem}-"))
            )
        ]
    except OSError:
        pass
    backups = folder.resolve() / "backups"
    if backups.is_dir():
        found += [
            p for p in backups.iterdir() if p.name.endswith(".partial") and p.name.startswith(db_path.stem)
        ]
    return found


def sweep_leftovers(db_path: Path) -> list[Path]:
    """Remove what ``leftovers_of`` finds and nobody holds (``db.store.open`` calls it with the lock held), and the
    private plaintext folders of killed encrypted exports and imports (``sweep_private_folders``)."""
    return _remove(leftovers_of(db_path)) + sweep_private_folders()


# --- private plaintext folders ------------------------------------------------------------------------------------

PRIVATE_PREFIX = (
    "branchdesk-"  # private folders in the system's temporary folder (mode 700, from tempfile.mkdtemp)
)
HELD_NAME = ".held"  # held (flock) by the process writing plaintext there; absent in folders of short reads
_PRIVATE_AGE = 3600  # seconds: a folder without a held marker is left alone for an hour


def private_folder() -> tuple[Path, IO[bytes] | None]:
    """A new folder only this user can read, on the local temporary disk (never the USB stick a workbook goes to),
    for plaintext that must not reach the output folder; with the handle that marks it in use until closed."""
    folder = Path(tempfile.mkdtemp(prefix=PRIVATE_PREFIX))
    return folder, claim(folder / HELD_NAME)


def _not_held(marker: Path) -> bool:
    """True when no process holds ``marker`` (its writer died); on Windows, when it is older than an hour."""
    if sys.platform == "win32":  # pragma: no cover - no flock: go by age
        return time.time() - marker.stat().st_mtime > _PRIVATE_AGE
    return _lock_free(marker)


def sweep_private_folders() -> list[Path]:
    """Remove the private plaintext folders killed processes left behind: those whose marker nobody holds, and
    unmarked ones older than an hour. Returns them."""
    removed = []
    try:
        folders = [p for p in Path(tempfile.gettempdir()).iterdir() if p.name.startswith(PRIVATE_PREFIX)]
    except OSError:
        return []
    for folder in folders:
        try:
            if not folder.is_dir():
                continue
            marker = folder / HELD_NAME
            if marker.exists():
                stale = _not_held(marker)
            else:
                stale = time.time() - folder.stat().st_mtime > _PRIVATE_AGE
            if stale:
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
        except OSError:
            pass
    return removed
