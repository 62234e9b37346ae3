"""Migration steps 0020–0024 (issue 20: the yearly cycle of organisational life; issue 21: the archive).

Numbers are reserved per piece of work so that parallel branches do not collide: 0020 民主评议, 0021 换届选举,
0022 组织生活会; 0023 the statistics' last gaps (issue 19: 失联情形, 流动党员活动证; the archive needed none).
"""

from __future__ import annotations

from datetime import datetime
from uuid import uuid4

from sqlite_utils import Database

from db.codes import lost_situation_of
from db.migrations.runner import migrations, script

__all__ = ["migrations", "script"]


@migrations(name="0020_appraisal_rounds")
def _0020_appraisal_rounds(db: Database) -> None:
    # Issue 20 (民主评议党员): the appraisal round of a 年度 with its steps' dates and the 民主评议 meeting where the
    # 民主测评 was held; per member the tally of the anonymous ballots (marks per grade; blanks are 弃权, derived
    # from the ballots) and the branch's grade (支部评定) with its feedback talk; and the 组织处置 of a 不合格 member.
    # The grades typed in at 民主评议 meetings before (appraisal_grades) become each 年度's round, nothing lost: the
    # round links the 年度's latest meeting with grades and takes each member's grade as the branch's grade.
    script(
        db,
        """
        CREATE TABLE appraisal_rounds (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            year INTEGER NOT NULL UNIQUE CHECK (year BETWEEN 1921 AND 2999),
            meeting_id INTEGER REFERENCES meetings(id),
            ballots INTEGER CHECK (ballots IS NULL OR ballots >= 0),
            study_on TEXT,
            self_review_on TEXT,
            mutual_review_on TEXT,
            measured_on TEXT,
            decided_on TEXT,
            reported_on TEXT,
            feedback_on TEXT,
            notes TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT;
        CREATE TABLE appraisal_entries (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            round_id INTEGER NOT NULL REFERENCES appraisal_rounds(id),
            member_id INTEGER NOT NULL REFERENCES members(id),
            marks_excellent INTEGER NOT NULL DEFAULT 0 CHECK (marks_excellent >= 0),
            marks_qualified INTEGER NOT NULL DEFAULT 0 CHECK (marks_qualified >= 0),
            marks_basically_qualified INTEGER NOT NULL DEFAULT 0 CHECK (marks_basically_qualified >= 0),
            marks_unqualified INTEGER NOT NULL DEFAULT 0 CHECK (marks_unqualified >= 0),
            grade TEXT CHECK (grade IS NULL OR grade IN
                              ('excellent', 'qualified', 'basically_qualified', 'unqualified')),
            feedback_on TEXT,
            feedback_by TEXT NOT NULL DEFAULT '',
            heart_talk_id INTEGER REFERENCES heart_talks(id),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (round_id, member_id)
        ) STRICT;
        CREATE TABLE appraisal_actions (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            round_id INTEGER NOT NULL REFERENCES appraisal_rounds(id),
            member_id INTEGER NOT NULL REFERENCES members(id),
            kind TEXT NOT NULL CHECK (kind IN ('rectify', 'persuaded', 'removal_persuaded', 'removal_lapsed')),
            decided_on TEXT NOT NULL,
            deadline TEXT,
            meeting_id INTEGER REFERENCES meetings(id),
            event_id INTEGER REFERENCES member_events(id),
            reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
            closed_on TEXT,
            outcome TEXT NOT NULL DEFAULT '' CHECK (outcome IN ('', 'corrected', 'not_corrected')),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX appraisal_actions_round ON appraisal_actions(round_id);
        """,
    )
    meetings = db.execute(
        "SELECT m.id, m.kind, m.review_year, m.planned_on, m.started_at FROM meetings m "
        "WHERE m.kind = 'appraisal' AND m.status <> 'cancelled' "
        "AND EXISTS (SELECT 1 FROM appraisal_grades g WHERE g.meeting_id = m.id) "
        "ORDER BY coalesce(substr(m.started_at, 1, 10), m.planned_on), m.id"
    ).fetchall()
    latest: dict[int, tuple[int, str]] = {}
    for meeting_id, _kind, review_year, planned_on, started_at in meetings:
        held = (started_at or planned_on)[:10]
        year = review_year or (int(held[:4]) - 1 if int(held[5:7]) <= 3 else int(held[:4]))
        latest[year] = (meeting_id, held)
    now = datetime.now().isoformat(timespec="seconds")
    for year, (meeting_id, held) in sorted(latest.items()):
        db.execute(
            "INSERT INTO appraisal_rounds (uuid, year, meeting_id, measured_on, decided_on, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [str(uuid4()), year, meeting_id, held, held, now, now],
        )
        round_id = db.execute("SELECT id FROM appraisal_rounds WHERE year = ?", [year]).fetchone()[0]
        grades = db.execute(
            "SELECT member_id, grade FROM appraisal_grades WHERE meeting_id = ? ORDER BY id", [meeting_id]
        ).fetchall()
        for member_id, grade in grades:
            db.execute(
                "INSERT INTO appraisal_entries (uuid, round_id, member_id, grade, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [str(uuid4()), round_id, member_id, grade, now, now],
            )


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


@migrations(name="0023_lost_situation_and_activity_card")
def _0023_lost_situation_and_activity_card(db: Database) -> None:
    # Issue 19, tables 43 and 33: a lost member's 失联情形 (the national list ① 外出务工经商 … ⑦ 其他; '' = not
    # recorded) and whether a 流动党员 holds the 《流动党员活动证》. A lost member's 失联情形 is coded from the reason of
    # their last 失去联系 event where the text names one unambiguously (codes.lost_situation_of); the rest stay ''.
    situations = (
        "'', 'migrant_work', 'restructured', 'graduated', 'employer_changed', 'abroad', 'moved', 'other'"
    )
    script(
        db,
        f"""
        ALTER TABLE members ADD COLUMN lost_contact_situation TEXT NOT NULL DEFAULT ''
            CHECK (lost_contact_situation IN ({situations}));
        ALTER TABLE mobile_periods ADD COLUMN activity_card INTEGER NOT NULL DEFAULT 0 CHECK (activity_card IN (0, 1))
        """,
    )
    last_reason: dict[int, str] = {}
    for member_id, reason in db.execute(
        "SELECT e.member_id, e.reason FROM member_events e JOIN members m ON m.id = e.member_id"
        " WHERE e.kind = 'lost_contact' AND m.lost_contact = 1 ORDER BY e.happened_on, e.id"
    ).fetchall():
        last_reason[member_id] = reason
    db.conn.executemany(
        "UPDATE members SET lost_contact_situation = ? WHERE id = ?",
        [(lost_situation_of(r), i) for i, r in last_reason.items() if lost_situation_of(r)],
    )
