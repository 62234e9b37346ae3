"""Migration steps 0025–0029.

0025 ends the 外出 periods (流动党员) left open for members who are no longer on the roster: until the fix that came
with it, a 取消预备党员资格 and the 转出/减员 of the member list took a member off the roster without ending their
period, so the home page and the monthly workbook kept counting them as away.
"""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from db.migrations.runner import migrations

__all__ = ["migrations"]


@migrations(name="0025_end_mobile_periods_off_roster")
def _0025_end_mobile_periods_off_roster(db: Database) -> None:
    # The period ends the day the member left (never before it began), with the roster's own words for why
    # (已转出/已减员 and the reason); their 流动党员 flag is cleared as leaving does now. Members still on the roster
    # are not touched.
    now = datetime.now().isoformat(timespec="seconds")  # as db.store.now_iso
    db.execute(
        """
        UPDATE mobile_periods SET
            ended_on = max(coalesce((SELECT m.status_on FROM members m WHERE m.id = member_id), started_on),
                           started_on),
            end_reason = (SELECT CASE m.status WHEN 'transferred_out' THEN '已转出' ELSE '已减员' END
                          || CASE WHEN m.status_reason != '' THEN '：' || m.status_reason ELSE '' END
                          FROM members m WHERE m.id = member_id),
            updated_at = ?
        WHERE ended_on IS NULL AND member_id IN (SELECT id FROM members WHERE status != 'active')
        """,
        [now],
    )
    db.execute(
        "UPDATE members SET mobile_member = 0, outflow_place = '', updated_at = ?"
        " WHERE status != 'active' AND (mobile_member != 0 OR outflow_place != '')",
        [now],
    )
