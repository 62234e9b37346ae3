"""Schema steps 0001–0004: the foundation (branch, roster, audit log), meetings, the HQ exchange and dues.

Shipped steps: never edit or reorder them (see ``db.migrations``).
"""

from __future__ import annotations

from sqlite_utils import Database

from db.migrations.runner import migrations, script


@migrations(name="0001_foundation")
def _0001_foundation(db: Database) -> None:
    script(
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
    script(
        db,
        """
        CREATE TABLE meetings (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL CHECK (kind IN ('branch_assembly', 'committee_meeting', 'group_meeting',
                                               'party_lecture', 'theme_day', 'life_meeting', 'appraisal')),
            year INTEGER NOT NULL,
            seq INTEGER NOT NULL CHECK (seq > 0),
            party_group_id INTEGER REFERENCES party_groups(id),
            planned_on TEXT NOT NULL,
            planned_time TEXT NOT NULL DEFAULT '',
            started_at TEXT,
            ended_at TEXT,
            place TEXT NOT NULL DEFAULT '',
            topic TEXT NOT NULL DEFAULT '',
            host_id INTEGER REFERENCES members(id),
            recorder_id INTEGER REFERENCES members(id),
            lecturer TEXT NOT NULL DEFAULT '',
            content TEXT NOT NULL DEFAULT '',
            speaking_points TEXT NOT NULL DEFAULT '',
            is_election INTEGER NOT NULL DEFAULT 0 CHECK (is_election IN (0, 1)),
            status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'held', 'cancelled')),
            cancel_reason TEXT NOT NULL DEFAULT '',
            locked_at TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (kind, year, seq),
            CHECK ((kind = 'group_meeting') = (party_group_id IS NOT NULL)),
            CHECK (status = 'held' OR locked_at IS NULL)
        ) STRICT;
        CREATE INDEX meetings_date ON meetings(planned_on);
        CREATE INDEX meetings_kind ON meetings(kind, status);

        CREATE TABLE meeting_attendance (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            meeting_id INTEGER NOT NULL REFERENCES meetings(id),
            member_id INTEGER REFERENCES members(id),
            observer_name TEXT NOT NULL DEFAULT '',
            category TEXT CHECK (category IN ('full', 'probationary')),
            state TEXT NOT NULL CHECK (state IN ('expected', 'present', 'leave', 'absent', 'observer')),
            reason TEXT NOT NULL DEFAULT '',
            sort_order INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (meeting_id, member_id),
            CHECK (member_id IS NOT NULL OR (length(trim(observer_name)) > 0 AND state = 'observer')),
            CHECK (state NOT IN ('leave', 'absent') OR length(trim(reason)) > 0)
        ) STRICT;
        CREATE INDEX attendance_meeting ON meeting_attendance(meeting_id);
        CREATE INDEX attendance_member ON meeting_attendance(member_id);

        CREATE TABLE meeting_decisions (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            meeting_id INTEGER NOT NULL REFERENCES meetings(id),
            seq INTEGER NOT NULL,
            subject TEXT NOT NULL CHECK (length(trim(subject)) > 0),
            votes_for INTEGER CHECK (votes_for >= 0),
            votes_against INTEGER CHECK (votes_against >= 0),
            votes_abstain INTEGER CHECK (votes_abstain >= 0),
            resolution TEXT NOT NULL DEFAULT '',
            is_election INTEGER NOT NULL DEFAULT 0 CHECK (is_election IN (0, 1)),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX decisions_meeting ON meeting_decisions(meeting_id);

        CREATE TABLE meeting_amendments (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            meeting_id INTEGER NOT NULL REFERENCES meetings(id),
            at TEXT NOT NULL,
            reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
            field TEXT NOT NULL,
            old TEXT,
            new TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX amendments_meeting ON meeting_amendments(meeting_id);

        CREATE TABLE appraisal_grades (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            meeting_id INTEGER NOT NULL REFERENCES meetings(id),
            member_id INTEGER NOT NULL REFERENCES members(id),
            grade TEXT NOT NULL CHECK (grade IN ('excellent', 'qualified', 'basically_qualified', 'unqualified')),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (meeting_id, member_id)
        ) STRICT;

        CREATE TABLE heart_talks (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            held_on TEXT NOT NULL,
            place TEXT NOT NULL DEFAULT '',
            topic TEXT NOT NULL CHECK (length(trim(topic)) > 0),
            summary TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX heart_talks_date ON heart_talks(held_on);

        CREATE TABLE heart_talk_participants (
            heart_talk_id INTEGER NOT NULL REFERENCES heart_talks(id),
            member_id INTEGER NOT NULL REFERENCES members(id),
            PRIMARY KEY (heart_talk_id, member_id)
        ) STRICT
        """,
    )


@migrations(name="0003_exchange")
def _0003_exchange(db: Database) -> None:
    # exchange_batches: every export and import (file, checksum, counts); an import keeps its changes (JSON) so it
    # can be undone as one batch. exchange_snapshot: each member's values as HQ last saw them (set on export and
    # import), so a field changed both at the branch and at HQ since then is detected as a conflict.
    script(
        db,
        """
        CREATE TABLE exchange_batches (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            direction TEXT NOT NULL CHECK (direction IN ('export', 'import')),
            month TEXT NOT NULL DEFAULT '',
            file_name TEXT NOT NULL,
            sha256 TEXT NOT NULL DEFAULT '',
            counts TEXT NOT NULL DEFAULT '{}',
            changes TEXT NOT NULL DEFAULT '[]',
            last_audit_id INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL DEFAULT 'done' CHECK (status IN ('done', 'undone')),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT;
        CREATE TABLE exchange_snapshot (
            member_uuid TEXT PRIMARY KEY REFERENCES members(uuid) ON DELETE CASCADE,
            fields TEXT NOT NULL CHECK (json_valid(fields)),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT
        """,
    )


@migrations(name="0004_dues")
def _0004_dues(db: Database) -> None:
    script(
        db,
        """
        CREATE TABLE dues_bases (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            member_id INTEGER NOT NULL REFERENCES members(id),
            from_month TEXT NOT NULL CHECK (from_month GLOB '[12][0-9][0-9][0-9]-[01][0-9]'),
            category TEXT NOT NULL CHECK (category IN ('employed', 'retired', 'relief', 'farmer', 'fixed')),
            base_fen INTEGER NOT NULL DEFAULT 0 CHECK (base_fen >= 0),
            fixed_fen INTEGER CHECK (fixed_fen IS NULL OR fixed_fen >= 0),
            computed_fen INTEGER NOT NULL CHECK (computed_fen >= 0),
            reduced_fen INTEGER CHECK (reduced_fen IS NULL OR reduced_fen >= 0),
            decision_on TEXT,
            decision_note TEXT NOT NULL DEFAULT '',
            approved_on TEXT,
            approval_note TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (member_id, from_month),
            CHECK (reduced_fen IS NULL OR (decision_on IS NOT NULL AND approved_on IS NOT NULL))
        ) STRICT;

        CREATE TABLE dues_payments (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            member_id INTEGER NOT NULL REFERENCES members(id),
            month TEXT NOT NULL CHECK (month GLOB '[12][0-9][0-9][0-9]-[01][0-9]'),
            due_fen INTEGER CHECK (due_fen IS NULL OR due_fen >= 0),
            paid_fen INTEGER CHECK (paid_fen IS NULL OR paid_fen >= 0),
            paid_on TEXT,
            proxy_id INTEGER REFERENCES members(id),
            note TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (member_id, month),
            CHECK ((paid_fen IS NULL) = (paid_on IS NULL))
        ) STRICT;
        CREATE INDEX dues_payments_month ON dues_payments(month)
        """,
    )
