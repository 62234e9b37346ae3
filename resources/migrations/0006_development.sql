
        CREATE TABLE development_people (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL CHECK (length(trim(name)) > 0),
            gender TEXT CHECK (gender IN ('male', 'female')),
            ethnicity TEXT NOT NULL DEFAULT '',
            birth_date TEXT,
            citizen_id TEXT UNIQUE,
            education TEXT NOT NULL DEFAULT '',
            job TEXT NOT NULL DEFAULT '',
            mobile TEXT NOT NULL DEFAULT '',
            party_group_id INTEGER REFERENCES party_groups(id),
            stage TEXT NOT NULL DEFAULT 'applicant'
                CHECK (stage IN ('applicant', 'activist', 'candidate', 'probationary', 'full')),
            status TEXT NOT NULL DEFAULT 'in_pipeline' CHECK (status IN ('in_pipeline', 'admitted', 'left')),
            status_on TEXT,
            status_reason TEXT NOT NULL DEFAULT '',
            member_id INTEGER REFERENCES members(id),
            notes TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX development_people_stage ON development_people(status, stage);

        CREATE TABLE development_steps (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            person_id INTEGER NOT NULL REFERENCES development_people(id),
            kind TEXT NOT NULL CHECK (kind IN (
                'application', 'talk', 'activist_decision', 'activist_filing', 'mentors', 'activist_review',
                'candidate_decision', 'candidate_filing', 'introducers', 'political_review', 'training',
                'committee_review', 'upper_prereview', 'application_form', 'admission_vote', 'upper_approval',
                'oath', 'probation_review', 'full_application', 'full_vote', 'full_approval',
                'probation_extension', 'probation_cancelled')),
            on_date TEXT NOT NULL,
            number TEXT NOT NULL DEFAULT '',
            days INTEGER CHECK (days IS NULL OR days >= 0),
            hours INTEGER CHECK (hours IS NULL OR hours >= 0),
            votes_for INTEGER CHECK (votes_for IS NULL OR votes_for >= 0),
            votes_against INTEGER CHECK (votes_against IS NULL OR votes_against >= 0),
            votes_abstain INTEGER CHECK (votes_abstain IS NULL OR votes_abstain >= 0),
            months INTEGER CHECK (months IS NULL OR months BETWEEN 6 AND 12),
            note TEXT NOT NULL DEFAULT '',
            warnings TEXT NOT NULL DEFAULT '',
            reason TEXT NOT NULL DEFAULT '',
            voided INTEGER NOT NULL DEFAULT 0 CHECK (voided IN (0, 1)),
            void_reason TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            CHECK (warnings = '' OR length(trim(reason)) > 0)
        ) STRICT;
        CREATE INDEX development_steps_person ON development_steps(person_id, on_date);

        CREATE TABLE development_step_members (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            step_id INTEGER NOT NULL REFERENCES development_steps(id),
            member_id INTEGER NOT NULL REFERENCES members(id),
            role TEXT NOT NULL CHECK (role IN ('mentor', 'introducer')),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (step_id, member_id)
        ) STRICT
        