
        ALTER TABLE transfers ADD COLUMN scope TEXT NOT NULL DEFAULT ''
            CHECK (scope IN ('', 'within', 'outside'));
        ALTER TABLE transfers ADD COLUMN whole_unit INTEGER NOT NULL DEFAULT 0 CHECK (whole_unit IN (0, 1));
        CREATE TABLE statistics_changes (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            member_id INTEGER NOT NULL REFERENCES members(id),
            direction TEXT NOT NULL CHECK (direction IN ('add', 'remove')),
            happened_on TEXT NOT NULL,
            reason TEXT NOT NULL CHECK (length(reason) > 0),
            detail TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX statistics_changes_member ON statistics_changes(member_id);
        CREATE TABLE statistics_reports (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            year INTEGER NOT NULL CHECK (year BETWEEN 1921 AND 2200),
            half INTEGER NOT NULL DEFAULT 0 CHECK (half IN (0, 1)),
            table_version TEXT NOT NULL,
            figures TEXT NOT NULL,
            year_end_members TEXT NOT NULL,
            previous_total INTEGER NOT NULL,
            expected_total INTEGER NOT NULL,
            actual_total INTEGER NOT NULL,
            explanation TEXT NOT NULL DEFAULT '',
            final INTEGER NOT NULL DEFAULT 0 CHECK (final IN (0, 1)),
            final_on TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (year, half)
        ) STRICT
        