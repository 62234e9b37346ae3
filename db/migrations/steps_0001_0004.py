"""Schema steps 0001–0004: the foundation (branch, roster, audit log), meetings, the HQ exchange and dues.

Shipped steps: never edit or reorder them (see ``db.migrations``).
"""

from __future__ import annotations

from sqlite_utils import Database

from db.migrations.runner import migrations, script, step_sql


@migrations(name="0001_foundation")
def _0001_foundation(db: Database) -> None:
    script(db, step_sql("0001_foundation"))


# Slots reserved for the parts of the branch's work, in this order. A part fills its own function body with its
# DDL; once a build with the body has shipped, the slot is frozen like any other migration.


@migrations(name="0002_meetings")
def _0002_meetings(db: Database) -> None:
    script(db, step_sql("0002_meetings"))


@migrations(name="0003_exchange")
def _0003_exchange(db: Database) -> None:
    # exchange_batches: every export and import (file, checksum, counts); an import keeps its changes (JSON) so it
    # can be undone as one batch. exchange_snapshot: each member's values as HQ last saw them (set on export and
    # import), so a field changed both at the branch and at HQ since then is detected as a conflict.
    script(db, step_sql("0003_exchange"))


@migrations(name="0004_dues")
def _0004_dues(db: Database) -> None:
    script(db, step_sql("0004_dues"))
