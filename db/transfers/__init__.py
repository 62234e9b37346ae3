"""Member lifecycle: transfers of organisational relationship (组织关系转接), mobile members (流动党员) and
standing/status events (失联、停止党籍、出党、去世) — GLOSSARY "Transfers and mobile members" and "Members".

Contracts:
- ``transfer_out`` issues an introduction letter with a serial ``YYYY-NNN`` (year of issue + running number). A
  serial is never reused: cancelled transfers stay in the register with their reason and keep their number. The
  member is archived as ``transferred_out`` on the issue date through ``db.members.archive_member``; the record and
  its history stay readable.
- ``transfer_in`` creates the member, or reactivates the archived member with the same citizen ID (same record,
  not a duplicate), and keeps the development dates the member brings on the transfer record.
- Mobile periods keep ``members.mobile_member`` / ``outflow_place`` in sync through ``db.members.update_member``.
- Standing events are dated, with a reason; nothing here deletes anything.
- ``transfer_reminders`` lists receipts overdue (no 回执 one month after issue) and mobile absences of 6 months or
  more at one place (a transfer is then needed).

Every write is one transaction with its audit entries; bad input raises ``ValidationError`` with Chinese reasons
and writes nothing.

The package: ``records`` (dataclasses and vocabulary), ``queries`` (reading, serials, timeline), ``service``
(transfers out and in, receipts, cancelling), ``standing`` (mobile periods and standing events), ``reminders``,
``exchange`` (monthly workbook sheets and the register export), ``demo``. Every name callers used on the former
``db.transfers`` module is re-exported here, so ``db.transfers.<name>`` keeps working (string lookups in
``db.reminders``, ``db.workbook.format`` and ``db.demo`` included).
"""

from __future__ import annotations

from db.transfers.demo import demo_transfers
from db.transfers.exchange import (
    export_register_xlsx,
    monthly_mobile_figures,
    monthly_mobile_rows,
    monthly_transfer_figures,
    monthly_transfer_rows,
    register_sheets,
)
from db.transfers.queries import (
    get_event,
    get_mobile_period,
    get_transfer,
    last_paid_month,
    list_events,
    list_mobile_periods,
    list_transfers,
    member_timeline,
    next_serial,
    roster_marks,
    transfer_years,
    transfers_in_progress,
)
from db.transfers.records import (
    DEFAULT_VALIDITY_DAYS,
    DEVELOPMENT_DATES,
    DIRECTIONS,
    EVENT_CHOICES,
    EVENT_KINDS,
    EVENT_KINDS_RECORDED_ELSEWHERE,
    LEAVING_KINDS,
    MAX_VALIDITY_DAYS,
    MOBILE_TRANSFER_MONTHS,
    RECEIPT_DUE_MONTHS,
    RECEIPT_STATUSES,
    TRANSFER_SCOPES,
    TRANSFER_STATUSES,
    MemberEvent,
    MobilePeriod,
    TimelineEntry,
    Transfer,
    TransferReminder,
    month_text,
    outflow_place,
)
from db.transfers.reminders import transfer_reminders
from db.transfers.service import (
    cancel_transfer,
    record_receipt,
    settle_transfers_out,
    transfer_in,
    transfer_out,
    validate_transfer_in,
    validate_transfer_out,
)
from db.transfers.standing import end_mobile, leave_roster, record_event, start_mobile

__all__ = [
    "DEFAULT_VALIDITY_DAYS",
    "DEVELOPMENT_DATES",
    "DIRECTIONS",
    "EVENT_CHOICES",
    "EVENT_KINDS",
    "EVENT_KINDS_RECORDED_ELSEWHERE",
    "LEAVING_KINDS",
    "MAX_VALIDITY_DAYS",
    "MOBILE_TRANSFER_MONTHS",
    "RECEIPT_DUE_MONTHS",
    "RECEIPT_STATUSES",
    "TRANSFER_SCOPES",
    "TRANSFER_STATUSES",
    "MemberEvent",
    "MobilePeriod",
    "TimelineEntry",
    "Transfer",
    "TransferReminder",
    "cancel_transfer",
    "demo_transfers",
    "end_mobile",
    "export_register_xlsx",
    "get_event",
    "get_mobile_period",
    "get_transfer",
    "last_paid_month",
    "leave_roster",
    "list_events",
    "list_mobile_periods",
    "list_transfers",
    "member_timeline",
    "month_text",
    "monthly_mobile_figures",
    "monthly_mobile_rows",
    "monthly_transfer_figures",
    "monthly_transfer_rows",
    "next_serial",
    "outflow_place",
    "record_event",
    "record_receipt",
    "register_sheets",
    "roster_marks",
    "settle_transfers_out",
    "start_mobile",
    "transfer_in",
    "transfer_out",
    "transfer_reminders",
    "transfer_years",
    "transfers_in_progress",
    "validate_transfer_in",
    "validate_transfer_out",
]
