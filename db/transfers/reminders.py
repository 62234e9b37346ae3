"""Reminders of transfers: receipts overdue and mobile members away long enough that a transfer is needed."""

from __future__ import annotations

from datetime import date

from db import members as members_db
from db.rules import add_months
from db.store import Database
from db.transfers.queries import list_mobile_periods, list_transfers
from db.transfers.records import MOBILE_TRANSFER_MONTHS, TransferReminder


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
    out.sort(key=lambda r: r.since)
    return out
