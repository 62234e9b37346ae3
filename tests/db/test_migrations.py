"""The migrations are numbered, unique and applied in their number order (append-only history)."""

from __future__ import annotations

import itertools
import re

from db.migrations import migrations


def test_migration_names_are_numbered_in_file_order() -> None:
    names = [m.name for m in migrations._migrations]
    numbers = [int(re.match(r"^(\d{4})_[a-z_]+$", name).group(1)) for name in names]  # type: ignore[union-attr]
    # Numbers are reserved per piece of work (steps_0020_0024.py), so a branch may land before the numbers below
    # its own: strictly increasing in file order, from 0001, no number twice.
    assert numbers[0] == 1 and all(a < b for a, b in itertools.pairwise(numbers)), names


def test_a_fresh_database_records_every_migration(db) -> None:  # type: ignore[no-untyped-def]
    applied = [row[0] for row in db.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    assert applied == [m.name for m in migrations._migrations]
