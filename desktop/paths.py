"""Where the program's files live: resources, portable mode, the default database, the log. Qt-free, so the command
line, the GUI and the screenshot tool can all use it without importing one another."""

from __future__ import annotations

import sys
from pathlib import Path

RESOURCES = Path(__file__).resolve().parent.parent / "resources"


def portable_base() -> Path | None:
    """The program folder when a ``portable`` marker file sits beside the program (USB-stick use): then the
    database, backups and logs live in ``data/`` beside it instead of the user's data folder."""
    frozen = getattr(sys, "frozen", False)
    base = Path(sys.executable if frozen else sys.argv[0]).resolve().parent
    return base if (base / "portable").exists() else None


def data_dir() -> Path:
    """The data folder: the user's, or ``data/`` beside the program when portable."""
    from db import store

    return store.data_dir(portable_base=portable_base())


def default_db_path() -> Path:
    """The database used when no ``--db`` is given."""
    from db import store

    return store.default_db_path(portable_base=portable_base())


def log_file() -> Path:
    """The rotating log file, in the data folder beside the default database (beside the program when portable)."""
    return data_dir() / "logs" / "branchdesk.log"
