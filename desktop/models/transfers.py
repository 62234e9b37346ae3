"""Table models of the transfer register page: transfers, mobile-member periods, standing events, timelines.

Models hold lists of ``db.transfers`` records given by the page and never open a connection. ``SORT_ROLE`` gives a
sort key (dates as ISO text), ``RECORD_ROLE`` the record itself. Phones in the mobile list are masked.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

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
from desktop.models.records import header_data

SORT_ROLE = Qt.ItemDataRole.UserRole
RECORD_ROLE = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex
R = TypeVar("R")
_WARN = QBrush(QColor("#b02a37"))
_MUTED = QBrush(QColor("#888888"))


def _t(text: str) -> str:
    return QCoreApplication.translate("transfers_model", text)


def _d(value: date | None) -> str:
    return value.isoformat() if value else ""


class _RecordsModel(QAbstractTableModel, Generic[R]):
    """A read-only table over a list of records; subclasses give ``COLUMNS`` (header, text(record))."""

    COLUMNS: Sequence[tuple[str, Callable[[Any, date], str]]] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[R] = []
        self._today = date.today()

    def set_rows(self, rows: Sequence[R], *, today: date | None = None) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._today = today or date.today()
        self.endResetModel()

    def record(self, row: int) -> R:
        return self._rows[row]

    def records(self) -> list[R]:
        return list(self._rows)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return header_data("transfers_model", [c[0] for c in self.COLUMNS], section, orientation, role)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            not index.isValid()
            or not (0 <= index.row() < len(self._rows))
            or not (0 <= index.column() < len(self.COLUMNS))
        ):
            return None
        rec = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.COLUMNS[index.column()][1](rec, self._today)
        if role == SORT_ROLE:
            return self.sort_key(rec, index.column())
        if role == RECORD_ROLE:
            return rec
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.foreground(rec)
        return None

    def sort_key(self, rec: R, column: int) -> Any:
        return self.COLUMNS[column][1](rec, self._today)

    def foreground(self, rec: R) -> Any:
        return None


class TransfersModel(_RecordsModel[Transfer]):
    """The register: one row per transfer in or out; overdue receipts in red, cancelled rows grey."""

    COLUMNS = (
        ("介绍信编号", lambda t, d: t.serial),
        ("方向", lambda t, d: DIRECTIONS[t.direction]),
        ("姓名", lambda t, d: t.member_name),
        ("转出单位", lambda t, d: t.from_unit or _t("本支部")),
        ("转往单位", lambda t, d: t.to_unit or _t("本支部")),
        ("开具/转入日期", lambda t, d: _d(t.issued_on)),
        ("有效期(天)", lambda t, d: str(t.validity_days) if t.validity_days else ""),
        ("党费交至", lambda t, d: t.dues_paid_to or ""),
        ("回执", lambda t, d: RECEIPT_STATUSES[t.receipt_status(d)]),
        ("回执日期", lambda t, d: _d(t.receipt_on)),
        (
            "状态",
            lambda t, d: TRANSFER_STATUSES[t.status] + (f"：{t.cancel_reason}" if t.cancel_reason else ""),
        ),
    )

    def sort_key(self, rec: Transfer, column: int) -> Any:
        if column == 0:
            return f"{rec.issued_on.isoformat()} {rec.serial}"
        if column == 6:
            return rec.validity_days or 0
        return super().sort_key(rec, column)

    def foreground(self, rec: Transfer) -> Any:
        if rec.status == "cancelled":
            return _MUTED
        if rec.receipt_status(self._today) == "overdue":
            return _WARN
        return None


def _contact(p: MobilePeriod, d: date) -> str:
    return mask_phone(p.contact) if is_valid_mobile(p.contact) else p.contact


class MobileModel(_RecordsModel[MobilePeriod]):
    """Mobile-member periods; current absences of 6 months or more in red."""

    COLUMNS = (
        ("姓名", lambda p, d: p.member_name),
        ("外出流向", lambda p, d: p.place),
        ("外出原因", lambda p, d: p.reason),
        ("外出日期", lambda p, d: _d(p.started_on)),
        ("已外出(月)", lambda p, d: str(p.months_away(d))),
        ("联系方式", _contact),
        ("预计返回", lambda p, d: _d(p.expected_return_on)),
        ("结束日期", lambda p, d: _d(p.ended_on)),
        ("结束原因", lambda p, d: p.end_reason),
    )

    def sort_key(self, rec: MobilePeriod, column: int) -> Any:
        if column == 4:
            return rec.months_away(self._today)
        return super().sort_key(rec, column)

    def foreground(self, rec: MobilePeriod) -> Any:
        if rec.ended_on:
            return _MUTED
        if rec.months_away(self._today) >= MOBILE_TRANSFER_MONTHS:
            return _WARN
        return None


class EventsModel(_RecordsModel[MemberEvent]):
    """Standing and status events (失联、停止党籍、留党察看、开除党籍、除名、去世 …)."""

    COLUMNS = (
        ("日期", lambda e, d: _d(e.happened_on)),
        ("姓名", lambda e, d: e.member_name),
        ("事项", lambda e, d: e.label),
        ("决定机关/文号", lambda e, d: e.decision),
        ("原因/依据", lambda e, d: e.reason),
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


class TimelineModel(_RecordsModel[TimelineEntry]):
    """A member's timeline, oldest first."""

    COLUMNS = (
        ("日期", lambda e, d: _d(e.on)),
        ("类别", lambda e, d: _t(_SOURCES.get(e.source, e.source))),
        ("事项", lambda e, d: timeline_text(e)),
    )
