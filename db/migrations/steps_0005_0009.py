"""Schema steps 0005–0009: projects, development, transfers, the audit-log guard and the monthly close.

Shipped steps: never edit or reorder them (see ``db.migrations``).
"""

from __future__ import annotations

from sqlite_utils import Database

from db.migrations.runner import migrations, script


@migrations(name="0005_projects")
def _0005_projects(db: Database) -> None:
    script(
        db,
        """
        CREATE TABLE projects (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL CHECK (length(trim(title)) > 0),
            kind TEXT NOT NULL CHECK (kind IN ('innovation', 'secretary_project', 'improvement', 'model_post',
                                               'responsibility_area', 'commando_team', 'suggestion')),
            category TEXT NOT NULL CHECK (category IN ('technical', 'operations', 'management', 'party_building')),
            leader_id INTEGER REFERENCES members(id),
            place TEXT NOT NULL DEFAULT '',
            start_on TEXT NOT NULL,
            due_on TEXT,
            status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'ongoing', 'done', 'stopped')),
            status_on TEXT NOT NULL,
            goal TEXT NOT NULL DEFAULT '',
            measures TEXT NOT NULL DEFAULT '',
            outcome TEXT NOT NULL DEFAULT '',
            benefit_fen INTEGER CHECK (benefit_fen IS NULL OR benefit_fen >= 0),
            acceptance_on TEXT,
            acceptance_result TEXT NOT NULL DEFAULT ''
                CHECK (acceptance_result IN ('', 'excellent', 'good', 'passed', 'failed')),
            acceptance_note TEXT NOT NULL DEFAULT '',
            notes TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            CHECK (due_on IS NULL OR due_on >= start_on)
        ) STRICT;
        CREATE INDEX projects_status ON projects(status);
        CREATE INDEX projects_start ON projects(start_on);

        CREATE TABLE project_participants (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            project_id INTEGER NOT NULL REFERENCES projects(id),
            member_id INTEGER NOT NULL REFERENCES members(id),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (project_id, member_id)
        ) STRICT;
        CREATE INDEX project_participants_member ON project_participants(member_id);

        CREATE TABLE project_progress (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            project_id INTEGER NOT NULL REFERENCES projects(id),
            on_date TEXT NOT NULL,
            note TEXT NOT NULL CHECK (length(trim(note)) > 0),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX project_progress_project ON project_progress(project_id, on_date);

        CREATE TABLE project_transitions (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            project_id INTEGER NOT NULL REFERENCES projects(id),
            from_status TEXT NOT NULL CHECK (from_status IN ('planned', 'ongoing', 'done', 'stopped')),
            to_status TEXT NOT NULL CHECK (to_status IN ('planned', 'ongoing', 'done', 'stopped')),
            on_date TEXT NOT NULL,
            reason TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX project_transitions_project ON project_transitions(project_id);

        CREATE TABLE findings (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            found_on TEXT NOT NULL,
            source TEXT NOT NULL CHECK (length(trim(source)) > 0),
            problem TEXT NOT NULL CHECK (length(trim(problem)) > 0),
            measure TEXT NOT NULL DEFAULT '',
            owner_id INTEGER REFERENCES members(id),
            deadline TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'rectified', 'closed')),
            rectified_on TEXT,
            closed_on TEXT,
            evidence TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            CHECK (deadline >= found_on),
            CHECK (rectified_on IS NULL OR rectified_on >= found_on),
            CHECK (status = 'open' OR rectified_on IS NOT NULL),
            CHECK (status != 'closed' OR (closed_on IS NOT NULL AND closed_on >= rectified_on))
        ) STRICT;
        CREATE INDEX findings_status ON findings(status);

        CREATE TABLE finding_events (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            finding_id INTEGER NOT NULL REFERENCES findings(id),
            action TEXT NOT NULL CHECK (action IN ('rectify', 'close', 'reopen')),
            on_date TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX finding_events_finding ON finding_events(finding_id)
        """,
    )


@migrations(name="0006_development")
def _0006_development(db: Database) -> None:
    # People in the development pipeline are not members yet; admission links them to the member they become.
    script(
        db,
        """
        CREATE TABLE development_people (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL CHECK (length(trim(name)) > 0),
            gender TEXT CHECK (gender IN ('male', 'female')),
            ethnicity TEXT NOT NULL DEFAULT '',
            birth_date TEXT,
            citizen_id TEXT UNIQUE,
            education TEXT NOT NULL DEFAULT '',
            job TEXT NOT NULL DEFAULT '',
            mobile TEXT NOT NULL DEFAULT '',
            party_group_id INTEGER REFERENCES party_groups(id),
            stage TEXT NOT NULL DEFAULT 'applicant'
                CHECK (stage IN ('applicant', 'activist', 'candidate', 'probationary', 'full')),
            status TEXT NOT NULL DEFAULT 'in_pipeline' CHECK (status IN ('in_pipeline', 'admitted', 'left')),
            status_on TEXT,
            status_reason TEXT NOT NULL DEFAULT '',
            member_id INTEGER REFERENCES members(id),
            notes TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX development_people_stage ON development_people(status, stage);

        CREATE TABLE development_steps (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            person_id INTEGER NOT NULL REFERENCES development_people(id),
            kind TEXT NOT NULL CHECK (kind IN (
                'application', 'talk', 'activist_decision', 'activist_filing', 'mentors', 'activist_review',
                'candidate_decision', 'candidate_filing', 'introducers', 'political_review', 'training',
                'committee_review', 'upper_prereview', 'application_form', 'admission_vote', 'upper_approval',
                'oath', 'probation_review', 'full_application', 'full_vote', 'full_approval',
                'probation_extension', 'probation_cancelled')),
            on_date TEXT NOT NULL,
            number TEXT NOT NULL DEFAULT '',
            days INTEGER CHECK (days IS NULL OR days >= 0),
            hours INTEGER CHECK (hours IS NULL OR hours >= 0),
            votes_for INTEGER CHECK (votes_for IS NULL OR votes_for >= 0),
            votes_against INTEGER CHECK (votes_against IS NULL OR votes_against >= 0),
            votes_abstain INTEGER CHECK (votes_abstain IS NULL OR votes_abstain >= 0),
            months INTEGER CHECK (months IS NULL OR months BETWEEN 6 AND 12),
            note TEXT NOT NULL DEFAULT '',
            warnings TEXT NOT NULL DEFAULT '',
            reason TEXT NOT NULL DEFAULT '',
            voided INTEGER NOT NULL DEFAULT 0 CHECK (voided IN (0, 1)),
            void_reason TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            CHECK (warnings = '' OR length(trim(reason)) > 0)
        ) STRICT;
        CREATE INDEX development_steps_person ON development_steps(person_id, on_date);

        CREATE TABLE development_step_members (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            step_id INTEGER NOT NULL REFERENCES development_steps(id),
            member_id INTEGER NOT NULL REFERENCES members(id),
            role TEXT NOT NULL CHECK (role IN ('mentor', 'introducer')),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (step_id, member_id)
        ) STRICT
        """,
    )


@migrations(name="0007_transfers")
def _0007_transfers(db: Database) -> None:
    script(
        db,
        """
        CREATE TABLE transfers (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
            serial TEXT NOT NULL DEFAULT '',
            serial_year INTEGER,
            serial_number INTEGER CHECK (serial_number IS NULL OR serial_number > 0),
            member_id INTEGER NOT NULL REFERENCES members(id),
            addressee TEXT NOT NULL DEFAULT '',
            from_unit TEXT NOT NULL DEFAULT '',
            to_unit TEXT NOT NULL DEFAULT '',
            dues_paid_to TEXT CHECK (dues_paid_to IS NULL OR dues_paid_to GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
            validity_days INTEGER CHECK (validity_days IS NULL OR validity_days BETWEEN 1 AND 90),
            issued_on TEXT NOT NULL,
            receipt_on TEXT,
            applied_on TEXT,
            activist_on TEXT,
            candidate_on TEXT,
            joined_on TEXT,
            full_on TEXT,
            status TEXT NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'cancelled')),
            cancel_reason TEXT NOT NULL DEFAULT '',
            notes TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            CHECK (direction = 'in' OR (serial_year IS NOT NULL AND serial_number IS NOT NULL))
        ) STRICT;
        CREATE UNIQUE INDEX transfers_out_serial ON transfers(serial_year, serial_number) WHERE direction = 'out';
        CREATE INDEX transfers_member ON transfers(member_id);

        CREATE TABLE mobile_periods (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            member_id INTEGER NOT NULL REFERENCES members(id),
            province TEXT NOT NULL DEFAULT '',
            city TEXT NOT NULL DEFAULT '',
            county TEXT NOT NULL DEFAULT '',
            reason TEXT NOT NULL DEFAULT '',
            contact TEXT NOT NULL DEFAULT '',
            started_on TEXT NOT NULL,
            expected_return_on TEXT,
            ended_on TEXT,
            end_reason TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            CHECK (ended_on IS NULL OR ended_on >= started_on)
        ) STRICT;
        CREATE INDEX mobile_periods_member ON mobile_periods(member_id);

        CREATE TABLE member_events (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            member_id INTEGER NOT NULL REFERENCES members(id),
            kind TEXT NOT NULL CHECK (kind IN ('lost_contact', 'contact_restored', 'suspended', 'reinstated',
                                               'expelled', 'deceased')),
            happened_on TEXT NOT NULL,
            reason TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX member_events_member ON member_events(member_id)
        """,
    )


@migrations(name="0008_audit_guard")
def _0008_audit_guard(db: Database) -> None:
    # The audit log is append-only: triggers refuse UPDATE and DELETE from any code path (a restore replaces the
    # whole file through the backup API, which triggers do not see). The table is rebuilt once to allow the
    # actions 'reveal' (personal data shown in full) and 'export' (a file written) besides the edits.
    script(
        db,
        """
        CREATE TABLE audit_log_guarded (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT 'local',
            batch TEXT,
            entity TEXT NOT NULL,
            entity_uuid TEXT NOT NULL,
            action TEXT NOT NULL CHECK (action IN ('create', 'update', 'archive', 'restore', 'delete', 'reveal',
                                                   'export')),
            field TEXT NOT NULL DEFAULT '',
            old TEXT,
            new TEXT
        ) STRICT;
        INSERT INTO audit_log_guarded (id, at, actor, source, batch, entity, entity_uuid, action, field, old, new)
            SELECT id, at, actor, source, batch, entity, entity_uuid, action, field, old, new FROM audit_log;
        DROP TABLE audit_log;
        ALTER TABLE audit_log_guarded RENAME TO audit_log;
        CREATE INDEX audit_entity ON audit_log(entity_uuid);
        CREATE INDEX audit_batch ON audit_log(batch)
        """,
    )
    # Trigger bodies hold semicolons, so they are not split by script().
    db.execute(
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, '修改记录只能追加，不能更改'); END"
    )
    db.execute(
        "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, '修改记录只能追加，不能删除'); END"
    )


@migrations(name="0009_monthly_close")
def _0009_monthly_close(db: Database) -> None:
    # monthly_submissions: every 报送 of a month's workbook (a re-export of a submitted month is another row,
    # marked resubmission); override_reason is set when the month was submitted with incomplete meetings.
    script(
        db,
        """
        CREATE TABLE monthly_submissions (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            month TEXT NOT NULL CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
            file_name TEXT NOT NULL,
            file_path TEXT NOT NULL DEFAULT '',
            sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
            submitted_at TEXT NOT NULL,
            override_reason TEXT NOT NULL DEFAULT '',
            resubmission INTEGER NOT NULL DEFAULT 0 CHECK (resubmission IN (0, 1)),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX monthly_submissions_month ON monthly_submissions(month)
        """,
    )
