"""Migration steps 0010–0014 (issue 14: rules an 组织部 would sign off)."""

from __future__ import annotations

from sqlite_utils import Database

from db.migrations.runner import migrations, script, step_sql


@migrations(name="0010_review_year")
def _0010_review_year(db: Database) -> None:
    # 组织生活会 and 民主评议党员 review a year (年度): a "2025年度组织生活会" is often held in January–March 2026.
    # NULL for other kinds, and for rows written before this step (read as the default: the previous year when
    # held in January–March, else the year held).
    script(db, step_sql("0010_review_year"))


@migrations(name="0011_vote_counts")
def _0011_vote_counts(db: Database) -> None:
    # A branch assembly's vote on a person keeps the counts it was judged by (细则第二十、二十一条): 应到 (entitled,
    # the full members entitled to vote that day less those left out), 实到 (present), and how many the branch
    # left out under the rules with its decision (excluded, excluded_note).
    script(db, step_sql("0011_vote_counts"))


@migrations(name="0012_standing_events")
def _0012_standing_events(db: Database) -> None:
    # The yearly statistics need the kind of each standing event (留党察看 with its period, 开除党籍, 除名 and its
    # forms, 劝退, 退党, 取消预备党员资格, …), not one 出党. SQLite cannot widen a CHECK in place: the table is
    # rebuilt with the new kinds, the end of a period (ends_on: 留党察看) and the decision (decision: the body and
    # its document); every existing row is copied with its id, so nothing is lost ('expelled' stays as 出党).
    script(db, step_sql("0012_standing_events"))


@migrations(name="0013_election_postponements")
def _0013_election_postponements(db: Database) -> None:
    # 《中国共产党基层组织选举工作条例》第三条: a postponed election needs the upper organisation's approval and is
    # postponed at most a year. Each approval is kept (archived by a later one, never deleted).
    script(db, step_sql("0013_election_postponements"))


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
