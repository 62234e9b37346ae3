
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
        