"""The one ``Migrations`` set of Branch Desk and the helper its steps use; sqlite-utils applies the steps.

``db.store.open`` calls ``migrations.pending``/``migrations.apply``; the steps register themselves on ``migrations``
when ``db.migrations`` imports their modules.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("branchdesk")


def script(db: Database, sql: str) -> None:
    """Run several DDL statements inside the migration's transaction."""
    for statement in sql.split(";"):
        if statement.strip():
            db.execute(statement)
