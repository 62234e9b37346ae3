
        CREATE TABLE attachment_store (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            store_id TEXT NOT NULL,
            salt BLOB NOT NULL
        ) STRICT;
        INSERT INTO attachment_store (id, store_id, salt) VALUES (1, lower(hex(randomblob(8))), randomblob(32));
        CREATE TABLE attachments (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            owner_kind TEXT NOT NULL CHECK (owner_kind <> ''),
            owner_id TEXT NOT NULL CHECK (owner_id <> ''),
            name TEXT NOT NULL,
            mime TEXT NOT NULL DEFAULT 'application/octet-stream',
            size INTEGER NOT NULL CHECK (size >= 0),
            sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
            object TEXT NOT NULL,
            pages INTEGER NOT NULL DEFAULT 1 CHECK (pages >= 1),
            original_object TEXT,
            original_size INTEGER,
            original_sha256 TEXT,
            source TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            replaces TEXT,
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL DEFAULT '',
            binned_at TEXT,
            binned_by TEXT,
            binned_reason TEXT CHECK (binned_reason IS NULL OR binned_reason IN ('removed', 'replaced'))
        ) STRICT;
        CREATE INDEX attachments_owner ON attachments (owner_kind, owner_id)
        