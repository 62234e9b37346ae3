
        CREATE TABLE appraisal_rounds (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            year INTEGER NOT NULL UNIQUE CHECK (year BETWEEN 1921 AND 2999),
            meeting_id INTEGER REFERENCES meetings(id),
            ballots INTEGER CHECK (ballots IS NULL OR ballots >= 0),
            study_on TEXT,
            self_review_on TEXT,
            mutual_review_on TEXT,
            measured_on TEXT,
            decided_on TEXT,
            reported_on TEXT,
            feedback_on TEXT,
            notes TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT;
        CREATE TABLE appraisal_entries (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            round_id INTEGER NOT NULL REFERENCES appraisal_rounds(id),
            member_id INTEGER NOT NULL REFERENCES members(id),
            marks_excellent INTEGER NOT NULL DEFAULT 0 CHECK (marks_excellent >= 0),
            marks_qualified INTEGER NOT NULL DEFAULT 0 CHECK (marks_qualified >= 0),
            marks_basically_qualified INTEGER NOT NULL DEFAULT 0 CHECK (marks_basically_qualified >= 0),
            marks_unqualified INTEGER NOT NULL DEFAULT 0 CHECK (marks_unqualified >= 0),
            grade TEXT CHECK (grade IS NULL OR grade IN
                              ('excellent', 'qualified', 'basically_qualified', 'unqualified')),
            feedback_on TEXT,
            feedback_by TEXT NOT NULL DEFAULT '',
            heart_talk_id INTEGER REFERENCES heart_talks(id),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (round_id, member_id)
        ) STRICT;
        CREATE TABLE appraisal_actions (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            round_id INTEGER NOT NULL REFERENCES appraisal_rounds(id),
            member_id INTEGER NOT NULL REFERENCES members(id),
            kind TEXT NOT NULL CHECK (kind IN ('rectify', 'persuaded', 'removal_persuaded', 'removal_lapsed')),
            decided_on TEXT NOT NULL,
            deadline TEXT,
            meeting_id INTEGER REFERENCES meetings(id),
            event_id INTEGER REFERENCES member_events(id),
            reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
            closed_on TEXT,
            outcome TEXT NOT NULL DEFAULT '' CHECK (outcome IN ('', 'corrected', 'not_corrected')),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX appraisal_actions_round ON appraisal_actions(round_id);
        