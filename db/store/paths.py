"""Where Branch Desk keeps its files: the data folder, the default database and the backups folder."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "BranchDesk"


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Do two paths name one file, however they are written (relative, ``.`` or ``..``, a link, another case on
    Windows)? Both existing: the file system says; otherwise compared as the paths resolve."""
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet)
        try:
            return Path(a).resolve() == Path(b).resolve()
        except OSError:  # pragma: no cover - an unreadable path: compared as written
            return Path(a).absolute() == Path(b).absolute()


def data_dir(*, portable_base: Path | None = None) -> Path:
    """Folder where the default database and backups live.

    With ``portable_base`` (the folder of the program, when a ``portable`` marker file sits beside it) data stays
    beside the program, for use from a USB stick; otherwise the per-user data folder of the platform.
    """
    if portable_base is not None:
        return portable_base / "data"
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_db_path(*, portable_base: Path | None = None) -> Path:
    """The database opened when no ``--db`` is given."""
    return data_dir(portable_base=portable_base) / "branchdesk.sqlite"


def backup_dir(db_path: Path) -> Path:
    """Folder of automatic backups for the database at ``db_path`` (beside it, under ``backups``)."""
    return Path(db_path).resolve().parent / "backups"
