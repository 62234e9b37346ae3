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
