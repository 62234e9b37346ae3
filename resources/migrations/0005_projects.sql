
        CREATE TABLE projects (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL CHECK (length(trim(title)) > 0),
            kind TEXT NOT NULL CHECK (kind IN ('innovation', 'secretary_project', 'improvement', 'model_post',
                                               'responsibility_area', 'commando_team', 'suggestion')),
            category TEXT NOT NULL CHECK (category IN ('technical', 'operations', 'management', 'party_building')),
            leader_id INTEGER REFERENCES members(id),
            place TEXT NOT NULL DEFAULT '',
            start_on TEXT NOT NULL,
            due_on TEXT,
            status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'ongoing', 'done', 'stopped')),
            status_on TEXT NOT NULL,
            goal TEXT NOT NULL DEFAULT '',
            measures TEXT NOT NULL DEFAULT '',
            outcome TEXT NOT NULL DEFAULT '',
            benefit_fen INTEGER CHECK (benefit_fen IS NULL OR benefit_fen >= 0),
            acceptance_on TEXT,
            acceptance_result TEXT NOT NULL DEFAULT ''
                CHECK (acceptance_result IN ('', 'excellent', 'good', 'passed', 'failed')),
            acceptance_note TEXT NOT NULL DEFAULT '',
            notes TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            CHECK (due_on IS NULL OR due_on >= start_on)
        ) STRICT;
        CREATE INDEX projects_status ON projects(status);
        CREATE INDEX projects_start ON projects(start_on);

        CREATE TABLE project_participants (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            project_id INTEGER NOT NULL REFERENCES projects(id),
            member_id INTEGER NOT NULL REFERENCES members(id),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (project_id, member_id)
        ) STRICT;
        CREATE INDEX project_participants_member ON project_participants(member_id);

        CREATE TABLE project_progress (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            project_id INTEGER NOT NULL REFERENCES projects(id),
            on_date TEXT NOT NULL,
            note TEXT NOT NULL CHECK (length(trim(note)) > 0),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX project_progress_project ON project_progress(project_id, on_date);

        CREATE TABLE project_transitions (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            project_id INTEGER NOT NULL REFERENCES projects(id),
            from_status TEXT NOT NULL CHECK (from_status IN ('planned', 'ongoing', 'done', 'stopped')),
            to_status TEXT NOT NULL CHECK (to_status IN ('planned', 'ongoing', 'done', 'stopped')),
            on_date TEXT NOT NULL,
            reason TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX project_transitions_project ON project_transitions(project_id);

        CREATE TABLE findings (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            found_on TEXT NOT NULL,
            source TEXT NOT NULL CHECK (length(trim(source)) > 0),
            problem TEXT NOT NULL CHECK (length(trim(problem)) > 0),
            measure TEXT NOT NULL DEFAULT '',
            owner_id INTEGER REFERENCES members(id),
            deadline TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'rectified', 'closed')),
            rectified_on TEXT,
            closed_on TEXT,
            evidence TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            CHECK (deadline >= found_on),
            CHECK (rectified_on IS NULL OR rectified_on >= found_on),
            CHECK (status = 'open' OR rectified_on IS NOT NULL),
            CHECK (status != 'closed' OR (closed_on IS NOT NULL AND closed_on >= rectified_on))
        ) STRICT;
        CREATE INDEX findings_status ON findings(status);

        CREATE TABLE finding_events (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            finding_id INTEGER NOT NULL REFERENCES findings(id),
            action TEXT NOT NULL CHECK (action IN ('rectify', 'close', 'reopen')),
            on_date TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX finding_events_finding ON finding_events(finding_id)
        