"""Migration steps 0020–0024 (issue 20: the yearly cycle of organisational life; issue 21: the archive).

Numbers are reserved per piece of work so that parallel branches do not collide: 0020 民主评议, 0021 换届选举,
0022 组织生活会, 0023 the archive and handover.
"""

from __future__ import annotations

from sqlite_utils import Database

from db.migrations.runner import migrations, script

__all__ = ["migrations", "script"]


@migrations(name="0021_elections")
def _0021_elections(db: Database) -> None:
    # Issue 20, 换届选举: the 请示 to the upper 党委 and its reply, the candidates (预备人选), each round of voting
    # with its ballots and votes (a tie at the last seat is another round among the tied), the officers the new
    # committee elects, and the upper 党委's approval, which writes the new committee and term to 支部设置.
    # An election given up is archived (archived_at), never deleted.
    script(
        db,
        """
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
        """,
    )


@migrations(name="0022_life_meeting")
def _0022_life_meeting(db: Database) -> None:
    # Issue 20: the preparation and follow-up of a 组织生活会 (a meeting of kind life_meeting). 征求意见: the opinions
    # gathered (from a member, the masses or the upper 党委), withdrawn by archiving, never deleted. 对照检查材料: one
    # row per member (submitted on; the file, if any, is an attachment of kind life_meeting_material).
    # 批评与自我批评: per member, a few words of each, changed in place with audit entries. The 整改清单 are findings
    # (检查整改) linked to the meeting by ``findings.meeting_id``.
    script(
        db,
        """
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
        """,
    )
