
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
        