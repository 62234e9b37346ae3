
        CREATE TABLE branch (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            uuid TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL CHECK (length(trim(name)) > 0),
            code TEXT NOT NULL DEFAULT '',
            parent_org TEXT NOT NULL DEFAULT '',
            term_start TEXT,
            term_end TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT;

        CREATE TABLE party_groups (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
            leader_id INTEGER REFERENCES members(id),
            sort_order INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT;

        CREATE TABLE members (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL CHECK (length(trim(name)) > 0),
            name_initials TEXT NOT NULL DEFAULT '',
            gender TEXT CHECK (gender IN ('male', 'female')),
            ethnicity TEXT NOT NULL DEFAULT '',
            birth_date TEXT,
            citizen_id TEXT UNIQUE,
            education TEXT NOT NULL DEFAULT '',
            category TEXT NOT NULL CHECK (category IN ('full', 'probationary')),
            joined_on TEXT,
            full_on TEXT,
            job TEXT NOT NULL DEFAULT '',
            mobile TEXT NOT NULL DEFAULT '',
            landline TEXT NOT NULL DEFAULT '',
            address TEXT NOT NULL DEFAULT '',
            standing TEXT NOT NULL DEFAULT 'normal' CHECK (standing IN ('normal', 'suspended')),
            lost_contact INTEGER NOT NULL DEFAULT 0 CHECK (lost_contact IN (0, 1)),
            lost_contact_on TEXT,
            mobile_member INTEGER NOT NULL DEFAULT 0 CHECK (mobile_member IN (0, 1)),
            outflow_place TEXT NOT NULL DEFAULT '',
            party_group_id INTEGER REFERENCES party_groups(id),
            notes TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'transferred_out', 'removed')),
            status_on TEXT,
            status_reason TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX members_status ON members(status);
        CREATE INDEX members_group ON members(party_group_id);

        CREATE TABLE committee_members (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            member_id INTEGER NOT NULL REFERENCES members(id),
            role TEXT NOT NULL CHECK (role IN ('secretary', 'deputy_secretary', 'organization', 'publicity',
                                               'discipline', 'youth', 'united_front')),
            since TEXT,
            until TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT;

        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT;

        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT 'local',
            batch TEXT,
            entity TEXT NOT NULL,
            entity_uuid TEXT NOT NULL,
            action TEXT NOT NULL CHECK (action IN ('create', 'update', 'archive', 'restore', 'delete')),
            field TEXT NOT NULL DEFAULT '',
            old TEXT,
            new TEXT
        ) STRICT;
        CREATE INDEX audit_entity ON audit_log(entity_uuid);
        CREATE INDEX audit_batch ON audit_log(batch)
        