"""Migration steps 0020–0024 (issue 20: the yearly cycle of organisational life; issue 21: the archive).

Numbers are reserved per piece of work so that parallel branches do not collide: 0020 民主评议, 0021 换届选举,
0022 组织生活会; 0023 the statistics' last gaps (issue 19: 失联情形, 流动党员活动证; the archive needed none); 0024 the
indexes that let the yearly statistics read a year of dues payments at roster scale (issue 19).
"""

from __future__ import annotations

from datetime import datetime
from uuid import uuid4

from sqlite_utils import Database

from db.codes import lost_situation_of
from db.migrations.runner import migrations, script, step_sql

__all__ = ["migrations", "script"]


@migrations(name="0020_appraisal_rounds")
def _0020_appraisal_rounds(db: Database) -> None:
    # Issue 20 (民主评议党员): the appraisal round of a 年度 with its steps' dates and the 民主评议 meeting where the
    # 民主测评 was held; per member the tally of the anonymous ballots (marks per grade; blanks are 弃权, derived
    # from the ballots) and the branch's grade (支部评定) with its feedback talk; and the 组织处置 of a 不合格 member.
    # The grades typed in at 民主评议 meetings before (appraisal_grades) become each 年度's round, nothing lost: the
    # round links the 年度's latest meeting with grades and takes each member's grade as the branch's grade.
    script(db, step_sql("0020_appraisal_rounds"))
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
    script(db, step_sql("0021_elections"))


@migrations(name="0022_life_meeting")
def _0022_life_meeting(db: Database) -> None:
    # Issue 20: the preparation and follow-up of a 组织生活会 (a meeting of kind life_meeting). 征求意见: the opinions
    # gathered (from a member, the masses or the upper 党委), withdrawn by archiving, never deleted. 对照检查材料: one
    # row per member (submitted on; the file, if any, is an attachment of kind life_meeting_material).
    # 批评与自我批评: per member, a few words of each, changed in place with audit entries. The 整改清单 are findings
    # (检查整改) linked to the meeting by ``findings.meeting_id``.
    script(db, step_sql("0022_life_meeting"))


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


@migrations(name="0024_dues_payments_period_indexes")
def _0024_dues_payments_period_indexes(db: Database) -> None:
    # Issue 19 (table 2's 补充资料 of a 20,000-member roster): the period's payments are read by month and by day paid,
    # every column the dues standing needs kept in the index, so SQLite never visits the table rows (scattered, as
    # payments are written member by member). The month index of 0004 is a prefix of the new one and goes.
    script(db, step_sql("0024_dues_payments_period_indexes"))
