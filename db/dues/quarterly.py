"""Paying dues by quarter (按季度交纳) with the branch's consent: a member setting, recorded with the consent.

《关于中国共产党党费收缴、使用和管理的规定》 lets a member pay several months at once with the branch's agreement; a
member who pays once a quarter is not in arrears for the months of a quarter not yet over. The setting runs from a
month (``from_month``) until it is ended (``until_month``, the last month paid by quarter); it is ended, never deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from db import audit, edits
from db.dues.ledger import member_row_id
from db.dues.records import add_month, month_from_key, month_index, month_key, month_label, month_start
from db.errors import Problem, ValidationError, date_problems
from db.rows import query, where
from db.store import Database, now_iso


@dataclass(frozen=True)
class QuarterlySetting:
    """A member's 按季度交纳 from ``from_month`` (first of the month) to ``until_month`` (None: still so)."""

    uuid: str
    member_uuid: str
    member_name: str
    from_month: date
    until_month: date | None
    consent_on: date
    consent_note: str

    def covers(self, month: date) -> bool:
        return self.from_month <= month and (self.until_month is None or month <= self.until_month)


def quarterly_settings(db: Database, *, member_uuid: str | None = None) -> list[QuarterlySetting]:
    """Every 按季度交纳 setting (of one member when given), oldest first."""
    sql = (
        "SELECT q.uuid AS uuid, m.uuid AS member_uuid, m.name AS member_name, q.from_month AS from_month, "
        "q.until_month AS until_month, q.consent_on AS consent_on, q.consent_note AS consent_note "
        "FROM dues_quarterly q JOIN members m ON m.id = q.member_id"
    )
    clause, params = where({"m.uuid = ?": member_uuid})
    sql += clause
    return [
        QuarterlySetting(
            uuid=r["uuid"],
            member_uuid=r["member_uuid"],
            member_name=r["member_name"],
            from_month=month_from_key(r["from_month"]),
            until_month=month_from_key(r["until_month"]) if r["until_month"] else None,
            consent_on=date.fromisoformat(r["consent_on"]),
            consent_note=r["consent_note"],
        )
        for r in query(db, sql + " ORDER BY q.from_month, q.id", params)
    ]


def current_quarterly(db: Database, *, member_uuid: str) -> QuarterlySetting | None:
    """The member's setting still in force (not ended), or None."""
    return next((s for s in quarterly_settings(db, member_uuid=member_uuid) if s.until_month is None), None)


def quarter_end(month: date) -> date:
    """The last month of the calendar quarter of ``month`` (March, June, September, December)."""
    start = month_start(month)
    return add_month(start, 2 - (start.month - 1) % 3)


def settled_through(month: date, quarterly: bool) -> date:
    """The last month whose dues must be in by the end of ``month``: that month, or for a member paying by quarter
    the last month of the last quarter already over."""
    if not quarterly or quarter_end(month) == month_start(month):
        return month_start(month)
    return add_month(quarter_end(month), -3)


def quarterly_problems(
    db: Database, *, member_uuid: str, consent_on: date, consent_note: str, today: date | None = None
) -> list[Problem]:
    """What keeps a 按季度交纳 setting from being recorded: no consent note, a consent dated in the future, or a
    setting already in force. The dialog shows these as the user types; ``set_quarterly`` refuses with them."""
    today = today or date.today()
    problems = []
    if not (consent_note or "").strip():
        problems.append(Problem("consent_note", "按季度交纳须经党支部同意：请写明支部同意的会议或决定"))
    problems += date_problems("consent_on", "支部同意日期", consent_on, today=today)
    if current_quarterly(db, member_uuid=member_uuid) is not None:
        problems.append(Problem("member", "该党员已按季度交纳"))
    return problems


def set_quarterly(
    db: Database,
    *,
    member_uuid: str,
    consent_on: date,
    consent_note: str,
    from_month: date | None = None,
    today: date | None = None,
    source: str = "local",
) -> QuarterlySetting:
    """Record that the member pays by quarter from ``from_month`` (default: the quarter of the consent), with the
    branch's consent (its date and a note: the meeting or decision). Refused without the consent, with a consent
    dated in the future, or while a setting is already in force."""
    note = (consent_note or "").strip()
    problems = quarterly_problems(
        db, member_uuid=member_uuid, consent_on=consent_on, consent_note=note, today=today
    )
    if problems:
        raise ValidationError(problems)
    start = month_start(from_month) if from_month else add_month(quarter_end(consent_on), -2)
    with db.atomic():
        columns = {
            "member_id": member_row_id(db, member_uuid),
            "from_month": month_key(start),
            "consent_on": consent_on.isoformat(),
            "consent_note": note,
        }
        new_uuid = edits.insert_row(db, "dues_quarterly", columns)
        audit.Trail(db, "dues_quarterly", new_uuid, source=source).create(
            "from_month", new=f"{month_label(start)}起按季度交纳：{note}"
        )
    setting = current_quarterly(db, member_uuid=member_uuid)
    assert setting is not None  # just written
    return setting


def end_quarterly(
    db: Database, *, member_uuid: str, until_month: date, source: str = "local"
) -> QuarterlySetting:
    """The member pays monthly again after ``until_month`` (the last month paid by quarter; kept, not deleted)."""
    setting = current_quarterly(db, member_uuid=member_uuid)
    if setting is None:
        raise ValidationError([Problem("member", "该党员未按季度交纳")])
    until = month_start(until_month)
    if month_index(until) < month_index(setting.from_month):
        raise ValidationError(
            [Problem("until_month", f"结束月份不能早于开始月份（{month_label(setting.from_month)}）")]
        )
    with db.atomic():
        db.execute(
            "UPDATE dues_quarterly SET until_month = ?, updated_at = ? WHERE uuid = ?",
            [month_key(until), now_iso(), setting.uuid],
        )
        audit.Trail(db, "dues_quarterly", setting.uuid, source=source).update(
            "until_month", new=month_key(until)
        )
    return next(s for s in quarterly_settings(db, member_uuid=member_uuid) if s.uuid == setting.uuid)
