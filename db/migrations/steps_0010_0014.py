"""Migration steps 0010–0014 (issue 14: rules an 组织部 would sign off)."""

from __future__ import annotations

from sqlite_utils import Database

from db.migrations.runner import migrations, script


@migrations(name="0010_review_year")
def _0010_review_year(db: Database) -> None:
    # 组织生活会 and 民主评议党员 review a year (年度): a "2025年度组织生活会" is often held in January–March 2026.
    # NULL for other kinds, and for rows written before this step (read as the default: the previous year when
    # held in January–March, else the year held).
    script(
        db,
        """
        ALTER TABLE meetings ADD COLUMN review_year INTEGER
            CHECK (review_year IS NULL OR review_year BETWEEN 1921 AND 2200)
        """,
    )


@migrations(name="0011_vote_counts")
def _0011_vote_counts(db: Database) -> None:
    # A branch assembly's vote on a person keeps the counts it was judged by (细则第二十、二十一条): 应到 (entitled,
    # the full members entitled to vote that day less those left out), 实到 (present), and how many the branch
    # left out under the rules with its decision (excluded, excluded_note).
    script(
        db,
        """
        ALTER TABLE development_steps ADD COLUMN entitled INTEGER CHECK (entitled IS NULL OR entitled >= 0);
        ALTER TABLE development_steps ADD COLUMN present INTEGER CHECK (present IS NULL OR present >= 0);
        ALTER TABLE development_steps ADD COLUMN excluded INTEGER CHECK (excluded IS NULL OR excluded >= 0);
        ALTER TABLE development_steps ADD COLUMN excluded_note TEXT NOT NULL DEFAULT ''
        """,
    )


@migrations(name="0012_attachments")
def _0012_attachments(db: Database) -> None:
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
