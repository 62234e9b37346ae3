"""Migration steps 0015–0019 (issue 14 continued, then the paper loop; 0017–0018 coded member data and training hours, 0019 the yearly statistics)."""

from __future__ import annotations

from sqlite_utils import Database

from db.codes import education_class_of, post_code_of
from db.migrations.runner import migrations, script


@migrations(name="0015_dues_quarterly")
def _0015_dues_quarterly(db: Database) -> None:
    # Issue 14 (党费规定 allows paying quarterly with the branch's consent): a member who pays by quarter, from a
    # month, with the branch's consent recorded (date and note); ended (until_month) rather than deleted.
    script(
        db,
        """
        CREATE TABLE dues_quarterly (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            member_id INTEGER NOT NULL REFERENCES members(id),
            from_month TEXT NOT NULL CHECK (from_month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
            until_month TEXT CHECK (until_month IS NULL OR until_month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
            consent_on TEXT NOT NULL,
            consent_note TEXT NOT NULL CHECK (length(trim(consent_note)) > 0),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX dues_quarterly_member ON dues_quarterly(member_id)
        """,
    )


@migrations(name="0016_attachments")
def _0016_attachments(db: Database) -> None:
    # Issue 21: scans, photos and documents of a record. The files are encrypted objects in a content-addressed
    # store beside the database (db/store/objects.py); here only the rows. ``attachment_store`` holds the store's
    # id (its folder) and salt (object names and key derivation), made once with SQLite's CSPRNG.
    # ``owner_kind``/``owner_id`` name the record (meeting, member, project, finding, transfer, development_step,
    # printout; appraisal rounds and elections later) so a new kind of record needs no schema change.
    # A replaced or removed file goes to the 回收站 (binned_at), emptied only by an explicit action.
    script(
        db,
        """
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
        """,
    )


@migrations(name="0017_coded_member_data")
def _0017_coded_member_data(db: Database) -> None:
    # Issue 19: the codes the 党内统计 tables group by (db/codes.py, ../shared/STATISTICS.md): 工作岗位 as the
    # national code, 学历 as one of the six classes (the member's own 学历 text stays), 专业技术职务, 生产工作第一线
    # (NULL = not known), and for the development pipeline the same plus 共青团员推优. '' = not yet coded. Today's
    # free text is coded where it names one code unambiguously (codes.education_class_of / post_code_of); the rest
    # is left '' for the completeness list.
    posts = (
        "'', '011', '012', '013', '014', '015', '016', '0164', '021', '022', '023', '024', '025', '0253',"
        " '1', '113', '2', '3', '4', '5'"
    )
    classes = "'', 'graduate', 'bachelor', 'junior_college', 'secondary_vocational', 'high_school', 'junior_or_below'"
    titles = "'', 'senior', 'intermediate', 'junior', 'none'"
    for table in ("members", "development_people"):
        script(
            db,
            f"""
            ALTER TABLE {table} ADD COLUMN post_code TEXT NOT NULL DEFAULT '' CHECK (post_code IN ({posts}));
            ALTER TABLE {table} ADD COLUMN education_class TEXT NOT NULL DEFAULT ''
                CHECK (education_class IN ({classes}));
            ALTER TABLE {table} ADD COLUMN tech_title TEXT NOT NULL DEFAULT '' CHECK (tech_title IN ({titles}));
            ALTER TABLE {table} ADD COLUMN front_line INTEGER CHECK (front_line IN (0, 1))
            """,
        )
        rows = db.execute(f"SELECT id, education, job FROM {table}").fetchall()
        db.conn.executemany(
            f"UPDATE {table} SET education_class = ?, post_code = ? WHERE id = ?",
            [(education_class_of(education), post_code_of(job), row_id) for row_id, education, job in rows],
        )
    db.execute(
        "ALTER TABLE development_people ADD COLUMN league_recommended INTEGER NOT NULL DEFAULT 0"
        " CHECK (league_recommended IN (0, 1))"
    )


@migrations(name="0018_training_hours")
def _0018_training_hours(db: Database) -> None:
    # Issue 19: 党员教育培训学时. A meeting's ``study_hours`` are the hours its attendance credits (NULL: the
    # default of its kind, a branch setting; 0: it is no study); credit from attendance is worked out when asked
    # (db/training), never stored, so it cannot go stale when attendance is corrected. ``training_records`` is the
    # ledger of what is entered by hand or imported: 'external' training (党校, 网络培训 …) and 'meeting' make-up
    # study (补学) of a meeting the member missed, linked to it. Entries are archived, never deleted.
    script(
        db,
        """
        ALTER TABLE meetings ADD COLUMN study_hours REAL CHECK (study_hours IS NULL OR study_hours BETWEEN 0 AND 24);
        CREATE TABLE training_records (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            member_id INTEGER NOT NULL REFERENCES members(id),
            year INTEGER NOT NULL CHECK (year BETWEEN 1921 AND 2200),
            on_date TEXT NOT NULL CHECK (on_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
            hours REAL NOT NULL CHECK (hours > 0 AND hours <= 500),
            kind TEXT NOT NULL DEFAULT 'external' CHECK (kind IN ('external', 'meeting')),
            title TEXT NOT NULL CHECK (length(trim(title)) > 0),
            source TEXT NOT NULL DEFAULT '',
            meeting_id INTEGER REFERENCES meetings(id),
            note TEXT NOT NULL DEFAULT '',
            batch TEXT,
            archived_at TEXT,
            archived_reason TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            CHECK (year = CAST(substr(on_date, 1, 4) AS INTEGER)),
            CHECK ((kind = 'meeting') = (meeting_id IS NOT NULL)),
            CHECK (archived_at IS NULL OR length(trim(archived_reason)) > 0)
        ) STRICT;
        CREATE INDEX training_records_member_year ON training_records (member_id, year)
        """,
    )
