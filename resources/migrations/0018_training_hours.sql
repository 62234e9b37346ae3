
        ALTER TABLE meetings ADD COLUMN study_hours REAL CHECK (study_hours IS NULL OR study_hours BETWEEN 0 AND 24);
        CREATE TABLE training_records (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            member_id INTEGER NOT NULL REFERENCES members(id),
            year INTEGER NOT NULL CHECK (year BETWEEN 1921 AND 2200),
            on_date TEXT NOT NULL CHECK (on_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
            hours REAL NOT NULL CHECK (hours > 0 AND hours <= 500),
            kind TEXT NOT NULL DEFAULT 'external' CHECK (kind IN ('external', 'meeting')),
            title TEXT NOT NULL CHECK (length(trim(title)) > 0),
            source TEXT NOT NULL DEFAULT '',
            meeting_id INTEGER REFERENCES meetings(id),
            note TEXT NOT NULL DEFAULT '',
            batch TEXT,
            archived_at TEXT,
            archived_reason TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            CHECK (year = CAST(substr(on_date, 1, 4) AS INTEGER)),
            CHECK ((kind = 'meeting') = (meeting_id IS NOT NULL)),
            CHECK (archived_at IS NULL OR length(trim(archived_reason)) > 0)
        ) STRICT;
        CREATE INDEX training_records_member_year ON training_records (member_id, year)
        