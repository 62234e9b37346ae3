"""Where Branch Desk keeps its files: the data folder, the default database and the backups folder."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "BranchDesk"


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
