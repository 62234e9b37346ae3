
        CREATE TABLE election_postponements (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            term_end TEXT NOT NULL,
            approved_on TEXT NOT NULL,
            approved_by TEXT NOT NULL CHECK (length(trim(approved_by)) > 0),
            document TEXT NOT NULL DEFAULT '',
            new_deadline TEXT NOT NULL CHECK (new_deadline > term_end),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT
        