
        CREATE TABLE dues_quarterly (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            member_id INTEGER NOT NULL REFERENCES members(id),
            from_month TEXT NOT NULL CHECK (from_month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
            until_month TEXT CHECK (until_month IS NULL OR until_month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
            consent_on TEXT NOT NULL,
            consent_note TEXT NOT NULL CHECK (length(trim(consent_note)) > 0),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX dues_quarterly_member ON dues_quarterly(member_id)
        