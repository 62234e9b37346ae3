
        CREATE TABLE member_events_0012 (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            member_id INTEGER NOT NULL REFERENCES members(id),
            kind TEXT NOT NULL CHECK (kind IN ('lost_contact', 'contact_restored', 'suspended', 'reinstated',
                                               'expelled', 'deceased', 'probation_watch', 'expulsion', 'removal',
                                               'removal_persuaded', 'removal_lapsed', 'persuaded', 'withdrawal',
                                               'probation_cancelled')),
            happened_on TEXT NOT NULL,
            ends_on TEXT CHECK (ends_on IS NULL OR ends_on > happened_on),
            decision TEXT NOT NULL DEFAULT '',
            reason TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT;
        INSERT INTO member_events_0012 (id, uuid, member_id, kind, happened_on, reason, created_at, updated_at)
            SELECT id, uuid, member_id, kind, happened_on, reason, created_at, updated_at FROM member_events;
        DROP TABLE member_events;
        ALTER TABLE member_events_0012 RENAME TO member_events;
        CREATE INDEX member_events_member ON member_events(member_id)
        