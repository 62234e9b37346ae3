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


@migrations(name="0012_standing_events")
def _0012_standing_events(db: Database) -> None:
    # The yearly statistics need the kind of each standing event (留党察看 with its period, 开除党籍, 除名 and its
    # forms, 劝退, 退党, 取消预备党员资格, …), not one 出党. SQLite cannot widen a CHECK in place: the table is
    # rebuilt with the new kinds, the end of a period (ends_on: 留党察看) and the decision (decision: the body and
    # its document); every existing row is copied with its id, so nothing is lost ('expelled' stays as 出党).
    script(
        db,
        """
        CREATE TABLE member_events_0012 (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            member_id INTEGER NOT NULL REFERENCES members(id),
            kind TEXT NOT NULL CHECK (kind IN ('lost_contact', 'contact_restored', 'suspended', 'reinstated',
                                               'expelled', 'deceased', 'probation_watch', 'expulsion', 'removal',
                                               'removal_persuaded', 'removal_lapsed', 'persuaded', 'withdrawal',
                                               'probation_cancelled')),
            happened_on TEXT NOT NULL,
            ends_on TEXT CHECK (ends_on IS NULL OR ends_on > happened_on),
            decision TEXT NOT NULL DEFAULT '',
            reason TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT;
        INSERT INTO member_events_0012 (id, uuid, member_id, kind, happened_on, reason, created_at, updated_at)
            SELECT id, uuid, member_id, kind, happened_on, reason, created_at, updated_at FROM member_events;
        DROP TABLE member_events;
        ALTER TABLE member_events_0012 RENAME TO member_events;
        CREATE INDEX member_events_member ON member_events(member_id)
        """,
    )


@migrations(name="0013_election_postponements")
def _0013_election_postponements(db: Database) -> None:
    # 《中国共产党基层组织选举工作条例》第三条: a postponed election needs the upper organisation's approval and is
    # postponed at most a year. Each approval is kept (archived by a later one, never deleted).
    script(
        db,
        """
        CREATE TABLE election_postponements (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            term_end TEXT NOT NULL,
            approved_on TEXT NOT NULL,
            approved_by TEXT NOT NULL CHECK (length(trim(approved_by)) > 0),
            document TEXT NOT NULL DEFAULT '',
            new_deadline TEXT NOT NULL CHECK (new_deadline > term_end),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT
        """,
    )


def _add_check_values(db: Database, table: str, *, after: str, values: tuple[str, ...]) -> None:
    """Rebuild ``table`` with ``values`` added to the CHECK list that contains ``'after'`` (SQLite cannot alter a
    CHECK): the documented rebuild — new table from the old one's SQL, copy, drop, rename, indexes again. Runs with
    foreign keys off (the caller's non-transactional step turns them off around its own transaction), so rows of
    other tables that reference it keep their ids. Does nothing when the values are already allowed."""
    row = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [table]).fetchone()
    sql: str = row[0]
    missing = [v for v in values if f"'{v}'" not in sql]
    if not missing:
        return
    marker = f"'{after}'"
    if marker not in sql:
        raise RuntimeError(f"{table}: no CHECK value {after}")
    rebuilt = f"{table}_rebuilt"
    new_sql = sql.replace(marker, marker + "".join(f", '{v}'" for v in missing), 1)
    new_sql = new_sql.replace(table, rebuilt, 1)
    indexes = [
        r[0]
        for r in db.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", [table]
        ).fetchall()
    ]
    db.execute(new_sql)
    db.execute(f"INSERT INTO {rebuilt} SELECT * FROM {table}")
    db.execute(f"DROP TABLE {table}")
    db.execute(f"ALTER TABLE {rebuilt} RENAME TO {table}")
    for index in indexes:
        db.execute(index)


@migrations(name="0014_probation_votes", transactional=False)
def _0014_probation_votes(db: Database) -> None:
    # Issue 14: 延长预备期 and 取消预备党员资格 are votes of the 支部党员大会 approved by the 上级党委, like admission
    # (党章第七条), so their approvals are steps of their own; the 上级党委派人谈话 before approving an admission is
    # a step (党章第五条); a vote links to the 支部党员大会 meeting where it was taken (meeting_id); a cancelled
    # probation is a standing event of the member (probation_cancelled). Rebuilding tables with a wider CHECK needs
    # foreign keys off, which SQLite ignores inside a transaction: hence a step of its own transaction.
    db.execute("PRAGMA foreign_keys = OFF")
    try:
        with db.atomic():
            _add_check_values(
                db,
                "development_steps",
                after="probation_cancelled",
                values=("upper_talk", "extension_approval", "cancel_approval"),
            )
            columns = {r[1] for r in db.execute("PRAGMA table_info(development_steps)").fetchall()}
            if "meeting_id" not in columns:
                db.execute(
                    "ALTER TABLE development_steps ADD COLUMN meeting_id INTEGER REFERENCES meetings(id)"
                )
            _add_check_values(db, "member_events", after="deceased", values=("probation_cancelled",))
            problems = db.execute("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise RuntimeError(f"foreign keys broken by the rebuild: {problems[:5]}")
    finally:
        db.execute("PRAGMA foreign_keys = ON")
