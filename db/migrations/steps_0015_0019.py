"""Migration steps 0015–0019 (issue 14 continued, then the paper loop; 0017–0018 coded member data and training hours, 0019 the yearly statistics)."""

from __future__ import annotations

from sqlite_utils import Database

from db.codes import education_class_of, post_code_of
from db.migrations.runner import migrations, script, step_sql


@migrations(name="0015_dues_quarterly")
def _0015_dues_quarterly(db: Database) -> None:
    # Issue 14 (党费规定 allows paying quarterly with the branch's consent): a member who pays by quarter, from a
    # month, with the branch's consent recorded (date and note); ended (until_month) rather than deleted.
    script(db, step_sql("0015_dues_quarterly"))


@migrations(name="0016_attachments")
def _0016_attachments(db: Database) -> None:
    # Issue 21: scans, photos and documents of a record. The files are encrypted objects in a content-addressed
    # store beside the database (db/store/objects.py); here only the rows. ``attachment_store`` holds the store's
    # id (its folder) and salt (object names and key derivation), made once with SQLite's CSPRNG.
    # ``owner_kind``/``owner_id`` name the record (meeting, member, project, finding, transfer, development_step,
    # printout; appraisal rounds and elections later) so a new kind of record needs no schema change.
    # A replaced or removed file goes to the 回收站 (binned_at), emptied only by an explicit action.
    script(db, step_sql("0016_attachments"))


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
    script(db, step_sql("0018_training_hours"))


@migrations(name="0019_statistics")
def _0019_statistics(db: Database) -> None:
    # Issue 19, the yearly 党内统计. A transfer in is 系统内 or 系统外 (the national table splits 转入组织关系 by
    # it; '' for transfers recorded before, counted but named in the balance check) and may be 整建制 (a whole
    # organisation moved, its own column). ``statistics_changes`` gives a change of the roster the national reason
    # the other records cannot tell (重新入党, 恢复党籍, 整建制, or the reason of a member archived without one): it
    # replaces the change derived from the records for that member, direction and day, or adds one.
    # ``statistics_reports`` keeps a saved yearly (or half-yearly) report: its figures and the uuids behind the
    # year-end total as JSON, next year's 上年底总数, the explanation of a balance that does not close, and whether
    # it is final (a final report is not changed again).
    script(db, step_sql("0019_statistics"))
