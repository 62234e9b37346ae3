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
