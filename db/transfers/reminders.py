"""Reminders of transfers and standing: receipts overdue, mobile members away long enough that a transfer is needed,
members lost for six months (停止党籍 to consider) and suspended for two years (the 除名 procedure)."""

from __future__ import annotations

from datetime import date

from db import members as members_db
from db.rules import add_months, add_years
from db.store import Database
from db.transfers.queries import list_events, list_mobile_periods, list_transfers
from db.transfers.records import (
    LOST_CONTACT_SUSPEND_MONTHS,
    MOBILE_TRANSFER_MONTHS,
    SUSPENDED_REMOVAL_YEARS,
    TransferReminder,
)

RULE_LOST = "《中国共产党党员教育管理工作条例》第二十四条"


def transfer_reminders(db: Database, *, today: date) -> list[TransferReminder]:
    """Receipts overdue (no 回执 one month after the letter's validity ended: from the day after the due day) and mobile
    members away 6 months or more at one place (a transfer of the organisational relationship is needed)."""
    out: list[TransferReminder] = []
    for t in list_transfers(db, direction="out"):
        if t.receipt_status(today) == "overdue":
            due = t.receipt_due
            assert due is not None
            out.append(
                TransferReminder(
                    "receipt_overdue",
                    f"{t.member_name} 的组织关系介绍信（{t.serial}，转往{t.to_unit}，有效期至 "
                    f"{t.valid_until:%Y-%m-%d}）回执逾期未收回，应于 {due:%Y-%m-%d} 前收回",
                    due,
                    "transfers",
                    {"receipt": "overdue", "transfer": t.uuid},
                )
            )
    active = {m.uuid for m in members_db.list_members(db)}
    for p in list_mobile_periods(db, current_only=True):
        # a member archived through the roster leaves the reminders even if the period was never ended
        if p.member_uuid in active and today >= add_months(p.started_on, MOBILE_TRANSFER_MONTHS):
            out.append(
                TransferReminder(
                    "mobile_long_absence",
                    f"{p.member_name} 自 {p.started_on:%Y-%m-%d} 起在{p.place}流动已满 {p.months_away(today)} 个月，"
                    "需要转接组织关系",
                    p.started_on,
                    "transfers",
                    {"view": "mobile", "member": p.member_uuid},
                )
            )
    out += standing_reminders(db, today=today)
    out.sort(key=lambda r: r.since)
    return out


def standing_reminders(db: Database, *, today: date) -> list[TransferReminder]:
    """教管条例第二十四条: “对与党组织失去联系6个月以上、通过各种方式查找仍然没有取得联系的党员，予以停止党籍……停止
    党籍2年后确实无法取得联系的，按照自行脱党予以除名。” A member lost (失联) for 6 months whose standing is still normal
    → consider 停止党籍 (from the day the 6 months are complete); a lost member suspended for 2 years (by the latest
    停止党籍 event) → the 除名 procedure."""
    out: list[TransferReminder] = []
    suspended_on: dict[str, date] = {}
    for e in list_events(db):
        if e.kind == "suspended":
            suspended_on[e.member_uuid] = e.happened_on
    for m in members_db.list_members(db):
        if not m.lost_contact or m.lost_contact_on is None:
            continue
        if m.standing == "normal":
            due = add_months(m.lost_contact_on, LOST_CONTACT_SUSPEND_MONTHS)
            if today >= due:
                out.append(
                    TransferReminder(
                        "lost_contact_long",
                        f"{m.name} 自 {m.lost_contact_on.isoformat()} 起与党组织失去联系已满6个月：通过各种方式查找仍然"
                        f"没有取得联系的，予以停止党籍（{RULE_LOST}），由党支部或上级党组织按照有关规定作出决定",
                        due,
                        "transfers",
                        {"view": "events", "member": m.uuid},
                    )
                )
        elif m.standing == "suspended" and m.uuid in suspended_on:
            due = add_years(suspended_on[m.uuid], SUSPENDED_REMOVAL_YEARS)
            if today >= due:
                out.append(
                    TransferReminder(
                        "suspended_long",
                        f"{m.name} 自 {suspended_on[m.uuid].isoformat()} 起停止党籍已满2年：确实无法取得联系的，按照自行"
                        f"脱党予以除名（{RULE_LOST}），由支部党员大会讨论决定，报上级党组织批准（党章第九条）",
                        due,
                        "transfers",
                        {"view": "events", "member": m.uuid},
                    )
                )
    return out
