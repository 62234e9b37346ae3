"""The migrations are numbered, unique and applied in their number order (append-only history)."""

from __future__ import annotations

import re

from db.migrations import migrations


def test_migration_names_are_numbered_in_file_order() -> None:
    names = [m.name for m in migrations._migrations]
    numbers = [int(re.match(r"^(\d{4})_[a-z_]+$", name).group(1)) for name in names]  # type: ignore[union-attr]
    # Numbers are reserved per piece of work (steps_0020_0024.py), so a branch may land 0022 before 0020: the
    # numbers rise in file order and none repeats, with gaps allowed only for reserved, not yet landed steps.
    assert numbers[0] == 1 and numbers == sorted(set(numbers)), names


def test_a_fresh_database_records_every_migration(db) -> None:  # type: ignore[no-untyped-def]
    applied = [row[0] for row in db.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    assert applied == [m.name for m in migrations._migrations]
