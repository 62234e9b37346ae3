"""The database schema, as named, append-only migrations (sqlite-utils ``Migrations``).

Rules: never edit or reorder a migration that has shipped; add a new one named ``NNNN_what`` at the end (in the
last ``steps_*`` module, or a new one imported below after the others), its DDL in
``resources/migrations/NNNN_what.sql`` (``runner.step_sql``). Tables are STRICT, carry a text ``uuid``
that never changes, ``created_at``/``updated_at``, foreign keys, and CHECK constraints where the glossary fixes the
values. Dates are ISO text (``YYYY-MM-DD``), booleans 0/1, money integer fen.

``runner`` holds the ``migrations`` set; the ``steps_*`` modules hold the steps by number range. Importing them
here registers their steps, in number order.
"""

from __future__ import annotations

# Imported for their registration of the steps, in number order: the order they are applied.
from db.migrations import (  # noqa: F401
    steps_0001_0004,
    steps_0005_0009,
    steps_0010_0014,
    steps_0015_0019,
    steps_0020_0024,
    steps_0025_0029,
)
from db.migrations.runner import migrations, script

__all__ = ["migrations", "script"]
