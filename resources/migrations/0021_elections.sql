
        CREATE TABLE elections (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            old_term_start TEXT,
            old_term_end TEXT,
            request_on TEXT NOT NULL,
            proposed_size INTEGER NOT NULL CHECK (proposed_size BETWEEN 1 AND 15),
            proposed_method TEXT NOT NULL CHECK (proposed_method IN ('competitive', 'equal')),
            request_note TEXT NOT NULL DEFAULT '',
            reply_on TEXT,
            reply_by TEXT NOT NULL DEFAULT '',
            reply_document TEXT NOT NULL DEFAULT '',
            approved_size INTEGER CHECK (approved_size IS NULL OR approved_size BETWEEN 1 AND 15),
            method TEXT CHECK (method IS NULL OR method IN ('competitive', 'equal')),
            officers_on TEXT,
            report_on TEXT,
            approved_on TEXT,
            approved_by TEXT NOT NULL DEFAULT '',
            approval_document TEXT NOT NULL DEFAULT '',
            term_start TEXT,
            term_end TEXT,
            archived_at TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT;
        CREATE TABLE election_candidates (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            election_id INTEGER NOT NULL REFERENCES elections(id),
            member_id INTEGER NOT NULL REFERENCES members(id),
            role TEXT CHECK (role IS NULL OR role IN ('secretary', 'deputy_secretary', 'organization', 'publicity',
                                                      'discipline', 'youth', 'united_front')),
            removed_at TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (election_id, member_id)
        ) STRICT;
        CREATE TABLE election_rounds (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            election_id INTEGER NOT NULL REFERENCES elections(id),
            seq INTEGER NOT NULL CHECK (seq >= 1),
            held_on TEXT NOT NULL,
            seats INTEGER NOT NULL CHECK (seats >= 1),
            entitled INTEGER CHECK (entitled IS NULL OR entitled >= 0),
            present INTEGER CHECK (present IS NULL OR present >= 0),
            issued INTEGER CHECK (issued IS NULL OR issued >= 0),
            returned INTEGER CHECK (returned IS NULL OR returned >= 0),
            valid INTEGER CHECK (valid IS NULL OR valid >= 0),
            invalid INTEGER CHECK (invalid IS NULL OR invalid >= 0),
            counted_at TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (election_id, seq)
        ) STRICT;
        CREATE TABLE election_votes (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            round_id INTEGER NOT NULL REFERENCES election_rounds(id),
            candidate_id INTEGER REFERENCES election_candidates(id),
            write_in TEXT NOT NULL DEFAULT '',
            votes INTEGER CHECK (votes IS NULL OR votes >= 0),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            CHECK ((candidate_id IS NULL) <> (write_in = ''))
        ) STRICT;
        CREATE INDEX election_candidates_election ON election_candidates (election_id);
        CREATE INDEX election_rounds_election ON election_rounds (election_id);
        CREATE INDEX election_votes_round ON election_votes (round_id)
        