
        CREATE TABLE life_meeting_opinions (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            meeting_id INTEGER NOT NULL REFERENCES meetings(id),
            source_kind TEXT NOT NULL CHECK (source_kind IN ('member', 'masses', 'upper')),
            member_id INTEGER REFERENCES members(id),
            source_name TEXT NOT NULL DEFAULT '',
            received_on TEXT NOT NULL,
            text TEXT NOT NULL CHECK (length(trim(text)) > 0),
            archived_at TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            CHECK ((source_kind = 'member') = (member_id IS NOT NULL))
        ) STRICT;
        CREATE INDEX life_meeting_opinions_meeting ON life_meeting_opinions(meeting_id);

        CREATE TABLE life_meeting_materials (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            meeting_id INTEGER NOT NULL REFERENCES meetings(id),
            member_id INTEGER NOT NULL REFERENCES members(id),
            submitted_on TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (meeting_id, member_id)
        ) STRICT;

        CREATE TABLE life_meeting_criticism (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            meeting_id INTEGER NOT NULL REFERENCES meetings(id),
            member_id INTEGER NOT NULL REFERENCES members(id),
            self_criticism TEXT NOT NULL DEFAULT '',
            criticism TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (meeting_id, member_id)
        ) STRICT;

        ALTER TABLE findings ADD COLUMN meeting_id INTEGER REFERENCES meetings(id);
        CREATE INDEX findings_meeting ON findings(meeting_id)
        