"""Dues arrears and the reminders they make: 3 or more consecutive unpaid months remind, 6 or more are urgent.

The rules (issue 14, ``docs/rules.md``):

- only months in which the person was a member of this branch count: from the first dues basis, the admission
  meeting (``joined_on``), the latest transfer in and the branch's records start, whichever is latest;
- a partial payment leaves the rest owed and the month unsettled;
- a reason recorded on an unpaid month (住院, 经支部同意缓交…) keeps the reminder but drops the 自行脱党 wording:
  党章第九条 speaks of six months "没有正当理由";
- the urgent wording quotes 党章第九条 (the 支部大会 decides the 除名 and the upper organisation approves), never
  "请支部立即处理";
- a member with no dues basis is listed (``no_basis``) so that the gap is seen: nothing can be collected;
- a member 失联 or 停止党籍 is not sent to the 支部党员大会 under 党章第九条 for dues nobody could collect:
  教管条例第二十四条 suspends a member lost six months and removes them only two years later. A lost member's
  reminder is plain and names that article; a suspended member has none (``standing_reminders`` of the transfers
  part follows them), and both stay in the arrears list;
- a member paying by quarter with the branch's consent (``db.dues.quarterly``) owes a quarter's months only once the
  quarter is over: inside it they are not in arrears.
"""

from __future__ import annotations

from datetime import date

from db.branch import records_start
from db.dues.ledger import ledger_entry, load_state, membership_start, owes_in
from db.dues.quarterly import quarterly_settings, settled_through
from db.dues.records import (
    REMINDER_MONTHS,
    URGENT_MONTHS,
    Arrears,
    DuesMember,
    DuesReminder,
    add_month,
    month_label,
    month_start,
)
from db.rules import CHARTER_ARTICLE_9, fen_to_yuan_text
from db.store import Database

ARTICLE_9 = CHARTER_ARTICLE_9
RULE_LOST = "《中国共产党党员教育管理工作条例》第二十四条"


def arrears(db: Database, *, today: date, min_months: int = 1) -> list[Arrears]:
    """Members on the roster with at least ``min_months`` consecutive unsettled months ending with the last
    completed month before ``today``, longest first; then the members with no dues basis (``no_basis``)."""
    state = load_state(db)
    last = add_month(month_start(today), -1)
    start_of_records = records_start(db)
    by_quarter = {s.member_uuid for s in quarterly_settings(db) if s.covers(last)}
    result, without_basis = [], []
    for member_id, member in state.by_id.items():
        if member.status != "active" or not owes_in(member, last):
            continue
        bases = state.bases.get(member_id)
        if not bases:
            without_basis.append(
                Arrears(
                    member_uuid=member.uuid,
                    member_name=member.name,
                    party_group_name=member.party_group_name,
                    months=0,
                    since=add_month(last, 1),
                    owed_fen=0,
                    no_basis=True,
                )
            )
            continue
        bounds = [bases[0].from_month, membership_start(state, member_id)]
        if start_of_records is not None:
            bounds.append(month_start(start_of_records))
        first = max(b for b in bounds if b is not None)
        end = settled_through(last, member.uuid in by_quarter)  # a quarter not yet over is not owed yet
        count, owed, month, reason = 0, 0, end, ""
        while month >= first:
            entry = ledger_entry(state, member_id, month)
            if entry.settled:
                break
            count += 1
            owed += entry.owed_fen
            reason = reason or entry.note.strip()
            month = add_month(month, -1)
        if count >= min_months:
            standing, standing_since = _standing(member, today)
            result.append(
                Arrears(
                    member_uuid=member.uuid,
                    member_name=member.name,
                    party_group_name=member.party_group_name,
                    months=count,
                    since=add_month(end, -(count - 1)),
                    owed_fen=owed,
                    reason=reason,
                    standing=standing,
                    standing_since=standing_since,
                )
            )
    ordered = sorted(result, key=lambda a: (-a.months, a.member_name))
    return ordered + sorted(without_basis, key=lambda a: a.member_name)


def _standing(member: DuesMember, today: date) -> tuple[str, date | None]:
    """'suspended' (停止党籍), 'lost' (失联 by ``today``, with the day when recorded) or '' for the member."""
    if member.standing == "suspended":
        return "suspended", None
    if member.lost_contact and (member.lost_contact_on is None or member.lost_contact_on <= today):
        return "lost", member.lost_contact_on
    return "", None


def reminder_text(a: Arrears) -> str:
    """The Chinese text of the reminder for one member's arrears."""
    head = (
        f"{a.member_name} 自{month_label(a.since)}起已连续 {a.months} 个月未交纳党费"
        f"（欠缴 {fen_to_yuan_text(a.owed_fen)} 元）"
    )
    if a.standing == "lost":
        since = f"自 {a.standing_since} 起" if a.standing_since else ""
        return (
            f"{head}。该党员{since}失联，欠缴不按党章第九条处理：{RULE_LOST}："
            "“对与党组织失去联系6个月以上、通过各种方式查找仍然没有取得联系的党员，予以停止党籍。”"
        )
    if a.reason:
        return f"{head}，已记录原因：{a.reason}。请跟进补交"
    if a.months >= URGENT_MONTHS:
        return (
            f"{head}，未记录原因。{ARTICLE_9}。请先了解原因：有正当理由的在台账中注明；"
            "确无正当理由的，提交支部党员大会讨论"
        )
    return f"{head}，请及时提醒交纳"


def dues_reminders(db: Database, *, today: date) -> list[DuesReminder]:
    """Reminders about dues as of ``today``: 3 or more consecutive unpaid months (``dues_arrears``), and 6 or more
    without a recorded reason (``dues_urgent``: 党章第九条, the 支部大会 decides)."""
    reminders = []
    for a in arrears(db, today=today, min_months=REMINDER_MONTHS):
        if a.no_basis or a.standing == "suspended":
            continue
        urgent = a.months >= URGENT_MONTHS and not a.reason and not a.standing
        reminders.append(
            DuesReminder(
                kind="dues_urgent" if urgent else "dues_arrears",
                text=reminder_text(a),
                since=a.since,
                filters={"tab": "arrears", "member": a.member_uuid},
                member_uuid=a.member_uuid,
                months=a.months,
                urgent=urgent,
            )
        )
    return reminders
