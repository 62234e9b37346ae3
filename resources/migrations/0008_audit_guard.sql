
        CREATE TABLE audit_log_guarded (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT 'local',
            batch TEXT,
            entity TEXT NOT NULL,
            entity_uuid TEXT NOT NULL,
            action TEXT NOT NULL CHECK (action IN ('create', 'update', 'archive', 'restore', 'delete', 'reveal',
                                                   'export')),
            field TEXT NOT NULL DEFAULT '',
            old TEXT,
            new TEXT
        ) STRICT;
        INSERT INTO audit_log_guarded (id, at, actor, source, batch, entity, entity_uuid, action, field, old, new)
            SELECT id, at, actor, source, batch, entity, entity_uuid, action, field, old, new FROM audit_log;
        DROP TABLE audit_log;
        ALTER TABLE audit_log_guarded RENAME TO audit_log;
        CREATE INDEX audit_entity ON audit_log(entity_uuid);
        CREATE INDEX audit_batch ON audit_log(batch)
        