"""The one ``Migrations`` set of Branch Desk and the helpers its steps use; sqlite-utils applies the steps.

``db.store.open`` calls ``migrations.pending``/``migrations.apply``; the steps register themselves on ``migrations``
when ``db.migrations`` imports their modules.

A step's DDL lives in ``resources/migrations/<step name>.sql`` (as Anki keeps its schema in .sql files), read by
``step_sql`` and run by ``script``; the Python step keeps what SQL alone cannot do (a value computed per row, a
table rebuilt to widen a CHECK, a trigger whose body holds semicolons). Each file is the step's text byte for byte
as it shipped inside the Python step (hence its leading blank line and trailing indentation): SQLite keeps that text
in ``sqlite_master``, so a new database's schema is the same to the byte as one made by an earlier build. Shipped
files are pinned by their SHA-256 in ``tests/db/test_migrations.py``: editing a shipped step fails the suite.
"""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("branchdesk")

# Found like the other resources (db.elections.strokes): beside the packages, in the source tree and the bundle.
SQL_DIR = Path(__file__).resolve().parents[2] / "resources" / "migrations"


def step_sql(name: str) -> str:
    """The DDL of the step ``name`` (``resources/migrations/<name>.sql``), as it shipped."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def script(db: Database, sql: str) -> None:
    """Run several DDL statements inside the migration's transaction."""
    for statement in sql.split(";"):
        if statement.strip():
            db.execute(statement)
