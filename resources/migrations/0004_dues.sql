
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
        