
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
        