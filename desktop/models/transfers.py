"""Table models of the transfer register page: transfers, mobile-member periods, standing events, timelines.

Models hold lists of ``db.transfers`` records given by the page and never open a connection. ``SORT_ROLE`` gives a
sort key (dates as ISO text), ``RECORD_ROLE`` the record itself. Phones in the mobile list are masked.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from db.records import STATUSES
from db.rules import is_valid_mobile, mask_phone
from db.transfers import (
    DIRECTIONS,
    MOBILE_TRANSFER_MONTHS,
    RECEIPT_STATUSES,
    TRANSFER_STATUSES,
    MemberEvent,
    MobilePeriod,
    TimelineEntry,
    Transfer,
)
from desktop.i18n import translator
from desktop.models.records import RECORD_ROLE, SORT_ROLE, Column, DatedRecordsModel
from desktop.qt import *

__all__ = ["RECORD_ROLE", "SORT_ROLE", "EventsModel", "MobileModel", "TimelineModel", "TransfersModel"]

_WARN = QColor("#b02a37")
_MUTED = QColor("#888888")
_CONTEXT = "transfers_model"
_t = translator(_CONTEXT)


def _d(value: date | None) -> str:
    return value.isoformat() if value else ""


class TransfersModel(DatedRecordsModel[Transfer]):
    """The register: one row per transfer in or out; overdue receipts in red, cancelled rows grey."""

    context = _CONTEXT

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = [
            Column("介绍信编号", lambda t: t.serial, lambda t: f"{t.issued_on.isoformat()} {t.serial}"),
            Column("方向", lambda t: DIRECTIONS[t.direction]),
            Column("姓名", lambda t: t.member_name),
            Column("转出单位", lambda t: t.from_unit or _t("本支部")),
            Column("转往单位", lambda t: t.to_unit or _t("本支部")),
            Column("开具/转入日期", lambda t: _d(t.issued_on)),
            Column(
                "有效期(天)",
                lambda t: str(t.validity_days) if t.validity_days else "",
                lambda t: t.validity_days or 0,
            ),
            Column("党费交至", lambda t: t.dues_paid_to or ""),
            Column("回执", lambda t: RECEIPT_STATUSES[t.receipt_status(self.today)]),  # overdue as of today
            Column("回执日期", lambda t: _d(t.receipt_on)),
            Column(
                "状态",
                lambda t: TRANSFER_STATUSES[t.status] + (f"：{t.cancel_reason}" if t.cancel_reason else ""),
            ),
        ]

    def foreground(self, record: Transfer, column: int) -> QColor | None:
        if record.status == "cancelled":
            return _MUTED
        if record.receipt_status(self.today) == "overdue":
            return _WARN
        return None


def _contact(p: MobilePeriod) -> str:
    return mask_phone(p.contact) if is_valid_mobile(p.contact) else p.contact


class MobileModel(DatedRecordsModel[MobilePeriod]):
    """Mobile-member periods; current absences of 6 months or more in red."""

    context = _CONTEXT

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = [
            Column("姓名", lambda p: p.member_name),
            Column("外出流向", lambda p: p.place),
            Column("外出原因", lambda p: p.reason),
            Column("外出日期", lambda p: _d(p.started_on)),
            # months away as of today
            Column(
                "已外出(月)", lambda p: str(p.months_away(self.today)), lambda p: p.months_away(self.today)
            ),
            Column("联系方式", _contact),
            Column("预计返回", lambda p: _d(p.expected_return_on)),
            Column("结束日期", lambda p: _d(p.ended_on)),
            Column("结束原因", lambda p: p.end_reason),
        ]

    def foreground(self, record: MobilePeriod, column: int) -> QColor | None:
        if record.ended_on:
            return _MUTED
        if record.months_away(self.today) >= MOBILE_TRANSFER_MONTHS:
            return _WARN
        return None


class EventsModel(DatedRecordsModel[MemberEvent]):
    """Standing and status events (失联、停止党籍、留党察看、开除党籍、除名、去世 …)."""

    context = _CONTEXT
    columns = (
        Column("日期", lambda e: _d(e.happened_on)),
        Column("姓名", lambda e: e.member_name),
        Column("事项", lambda e: e.label),
        Column("决定机关/文号", lambda e: e.decision),
        Column("原因/依据", lambda e: e.reason),
    )


_SOURCES = {"event": "党籍事项", "transfer": "组织关系", "mobile": "流动", "audit": "修改记录"}


def timeline_text(entry: TimelineEntry) -> str:
    """The line as the secretary reads it: an archive or restore recorded in the audit log carries the status
    identifier ("减员/转出：transferred_out：reason"), shown by its Chinese name (已转出)."""
    if not entry.kind.startswith("audit_"):
        return entry.text
    label, sep, rest = entry.text.partition("：")
    head, sep2, tail = rest.partition("：")
    if sep and head in STATUSES:
        return f"{label}{sep}{STATUSES[head]}{sep2}{tail}"
    return entry.text


class TimelineModel(DatedRecordsModel[TimelineEntry]):
    """A member's timeline, oldest first."""

    context = _CONTEXT
    columns = (
        Column("日期", lambda e: _d(e.on)),
        Column("类别", lambda e: _t(_SOURCES.get(e.source, e.source))),
        Column("事项", timeline_text),
    )
