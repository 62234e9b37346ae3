"""The database schema, as named, append-only migrations (sqlite-utils ``Migrations``).

Rules: never edit or reorder a migration that has shipped; add a new one named ``NNNN_what`` at the end. Tables are
STRICT, carry a text ``uuid`` that never changes, ``created_at``/``updated_at``, foreign keys, and CHECK constraints
where the glossary fixes the values. Dates are ISO text (``YYYY-MM-DD``), booleans 0/1, money integer fen.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("branchdesk")


def _script(db: Database, sql: str) -> None:
    """Run several DDL statements inside the migration's transaction."""
    for statement in sql.split(";"):
        if statement.strip():
            db.execute(statement)


@migrations(name="0001_foundation")
def _0001_foundation(db: Database) -> None:
    _script(
        db,
        """
        CREATE TABLE branch (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            uuid TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL CHECK (length(trim(name)) > 0),
            code TEXT NOT NULL DEFAULT '',
            parent_org TEXT NOT NULL DEFAULT '',
            term_start TEXT,
            term_end TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT;

        CREATE TABLE party_groups (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
            leader_id INTEGER REFERENCES members(id),
            sort_order INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT;

        CREATE TABLE members (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL CHECK (length(trim(name)) > 0),
            name_initials TEXT NOT NULL DEFAULT '',
            gender TEXT CHECK (gender IN ('male', 'female')),
            ethnicity TEXT NOT NULL DEFAULT '',
            birth_date TEXT,
            citizen_id TEXT UNIQUE,
            education TEXT NOT NULL DEFAULT '',
            category TEXT NOT NULL CHECK (category IN ('full', 'probationary')),
            joined_on TEXT,
            full_on TEXT,
            job TEXT NOT NULL DEFAULT '',
            mobile TEXT NOT NULL DEFAULT '',
            landline TEXT NOT NULL DEFAULT '',
            address TEXT NOT NULL DEFAULT '',
            standing TEXT NOT NULL DEFAULT 'normal' CHECK (standing IN ('normal', 'suspended')),
            lost_contact INTEGER NOT NULL DEFAULT 0 CHECK (lost_contact IN (0, 1)),
            lost_contact_on TEXT,
            mobile_member INTEGER NOT NULL DEFAULT 0 CHECK (mobile_member IN (0, 1)),
            outflow_place TEXT NOT NULL DEFAULT '',
            party_group_id INTEGER REFERENCES party_groups(id),
            notes TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'transferred_out', 'removed')),
            status_on TEXT,
            status_reason TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX members_status ON members(status);
        CREATE INDEX members_group ON members(party_group_id);

        CREATE TABLE committee_members (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            member_id INTEGER NOT NULL REFERENCES members(id),
            role TEXT NOT NULL CHECK (role IN ('secretary', 'deputy_secretary', 'organization', 'publicity',
                                               'discipline', 'youth', 'united_front')),
            since TEXT,
            until TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT;

        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT;

        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT 'local',
            batch TEXT,
            entity TEXT NOT NULL,
            entity_uuid TEXT NOT NULL,
            action TEXT NOT NULL CHECK (action IN ('create', 'update', 'archive', 'restore', 'delete')),
            field TEXT NOT NULL DEFAULT '',
            old TEXT,
            new TEXT
        ) STRICT;
        CREATE INDEX audit_entity ON audit_log(entity_uuid);
        CREATE INDEX audit_batch ON audit_log(batch)
        """,
    )


# Slots reserved for the parts of the branch's work, in this order. A part fills its own function body with its
# DDL; once a build with the body has shipped, the slot is frozen like any other migration.


@migrations(name="0002_meetings")
def _0002_meetings(db: Database) -> None:
    pass


@migrations(name="0003_exchange")
def _0003_exchange(db: Database) -> None:
    pass


@migrations(name="0004_dues")
def _0004_dues(db: Database) -> None:
    pass


@migrations(name="0005_projects")
def _0005_projects(db: Database) -> None:
    pass


@migrations(name="0006_development")
def _0006_development(db: Database) -> None:
    pass


@migrations(name="0007_transfers")
def _0007_transfers(db: Database) -> None:
    pass
