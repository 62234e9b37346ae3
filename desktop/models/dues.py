"""Table models of the dues page (党费): the monthly ledger, the bases, the arrears, the year totals and the
publication list.

Each model holds records given by the page (from ``db.dues``) and never opens a connection. Amounts are shown in
yuan with two places (``db.rules.fen_to_yuan_text``) and sort by their fen value (``SORT_ROLE``); ``RECORD_ROLE``
gives the record of a row.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from db.dues import Arrears, BasisRow, DuesTotals, LedgerEntry, PublicationRow
from db.records import CATEGORIES
from db.rules import DUES_CATEGORIES, dues_rate_text, fen_to_yuan_text
from desktop.models.records import RECORD_ROLE, SORT_ROLE, Column, RecordsModel
from desktop.qt import *

__all__ = [
    "RECORD_ROLE",
    "SORT_ROLE",
    "ArrearsModel",
    "BasesModel",
    "LedgerModel",
    "MemberRowsProxy",
    "PublicationModel",
    "StatementModel",
    "TotalsModel",
    "current_record",
    "keep_selection",
    "select_member",
]

R = TypeVar("R")

_RED = QColor("#b02a37")
_GREY = QColor("#888888")


def _d(value: date | None) -> str:
    return value.isoformat() if value else ""


def _money(fen: int | None) -> str:
    return fen_to_yuan_text(fen)


def _fen_sort(fen: int | None) -> int:
    return -1 if fen is None else fen


def _category(code: str | None) -> str:
    return DUES_CATEGORIES.get(code or "", "未核定")


def _amount(header: str, fen: Callable[[R], int | None]) -> Column[R]:
    """An amount in yuan with two places (blank when unknown), sorted by its fen value, right-aligned."""
    return Column(header, lambda r: _money(fen(r)), lambda r: _fen_sort(fen(r)), numeric=True)


def _count(header: str, number: Callable[[R], int]) -> Column[R]:
    """A count (members, months), sorted as a number, right-aligned."""
    return Column(header, lambda r: str(number(r)), number, numeric=True)


# Who a ledger or basis row is about (both records carry member_name, member_category, party_group_name).
_MEMBER_COLUMNS: tuple[Column[Any], ...] = (
    Column("姓名", lambda r: r.member_name),
    Column("人员类别", lambda r: CATEGORIES.get(r.member_category, r.member_category)),
    Column("党小组", lambda r: r.party_group_name),
)


class LedgerModel(RecordsModel[LedgerEntry]):
    """The ledger of one month: who owes what, who paid, when, through whom."""

    context = "LedgerModel"
    id_attribute = "member_uuid"
    columns = (
        *_MEMBER_COLUMNS,
        Column[LedgerEntry]("党费类别", lambda e: _category(e.dues_category)),
        Column[LedgerEntry](
            "缴纳基数",
            lambda e: _money(e.base_fen) if e.dues_category in ("employed", "retired") else "",
            lambda e: _fen_sort(e.base_fen),
            numeric=True,
        ),
        Column[LedgerEntry]("比例", lambda e: dues_rate_text(e.rate) if e.dues_category else ""),
        Column[LedgerEntry](
            "应缴(元)",
            lambda e: _money(e.due_fen) + ("（减免）" if e.reduced else ""),
            lambda e: _fen_sort(e.due_fen),
            numeric=True,
        ),
        _amount("实缴(元)", lambda e: e.paid_fen),
        Column[LedgerEntry]("状态", lambda e: "已缴" if e.paid else ("免缴" if e.due_fen == 0 else "未缴")),
        Column[LedgerEntry]("缴纳日期", lambda e: _d(e.paid_on)),
        Column[LedgerEntry]("代缴人", lambda e: e.proxy_name),
        Column[LedgerEntry]("备注", lambda e: e.note),
    )
    STATUS_COLUMN = 8

    def foreground(self, record: LedgerEntry, column: int) -> QColor | None:
        if column == self.STATUS_COLUMN and not record.settled:
            return _RED
        if record.due_fen is None:
            return _GREY
        return None


class BasesModel(RecordsModel[BasisRow]):
    """Members with the dues basis in force in the chosen month."""

    context = "BasesModel"
    id_attribute = "member_uuid"
    columns = (
        *_MEMBER_COLUMNS,
        Column[BasisRow]("党费类别", lambda r: r.basis.category_label if r.basis else "未核定"),
        Column[BasisRow](
            "月收入基数(元)",
            lambda r: (
                _money(r.basis.base_fen) if r.basis and r.basis.category in ("employed", "retired") else ""
            ),
            lambda r: _fen_sort(r.basis.base_fen if r.basis else None),
            numeric=True,
        ),
        Column[BasisRow]("比例", lambda r: dues_rate_text(r.basis.rate) if r.basis else ""),
        _amount("按标准(元/月)", lambda r: r.basis.computed_fen if r.basis else None),
        _amount("月缴纳额(元)", lambda r: r.basis.amount_fen if r.basis else None),
        Column[BasisRow](
            "减免",
            lambda r: (
                ("免缴" if r.basis.reduced_fen == 0 else "减缴")
                if r.basis and r.basis.reduced_fen is not None
                else ""
            ),
        ),
        Column[BasisRow]("起始月份", lambda r: f"{r.basis.from_month:%Y-%m}" if r.basis else ""),
        Column[BasisRow]("备注", lambda r: r.basis.note if r.basis else ""),
        Column[BasisRow]("交纳方式", lambda r: "按季度（支部同意）" if r.quarterly else "按月"),
    )

    def foreground(self, record: BasisRow, column: int) -> QColor | None:
        return _RED if record.basis is None else None


def _arrears_note(a: Arrears) -> str:
    """The reminder column: no basis, a recorded reason, or the 党章第九条 threshold without one."""
    if a.no_basis:
        return "未核定党费基数，无法收缴"
    if a.reason:
        return f"已记录原因：{a.reason}"
    if a.months >= 6:
        return "满6个月且未记录原因（党章第九条）"
    return "已满3个月，应提醒" if a.months >= 3 else ""


class ArrearsModel(RecordsModel[Arrears]):
    """Members behind with their dues: consecutive unpaid months up to last month."""

    context = "ArrearsModel"
    columns = (
        Column[Arrears]("姓名", lambda a: a.member_name),
        Column[Arrears]("党小组", lambda a: a.party_group_name),
        _count("连续未缴(月)", lambda a: a.months),
        Column[Arrears](
            "起始月份",
            lambda a: "—" if a.no_basis else f"{a.since.year}年{a.since.month}月",
            lambda a: a.since.isoformat(),
        ),
        _amount("欠缴金额(元)", lambda a: a.owed_fen),
        Column[Arrears]("提醒", lambda a: _arrears_note(a)),
    )

    def foreground(self, record: Arrears, column: int) -> QColor | None:
        return _RED if record.months >= 3 or record.no_basis else None


class TotalsModel(RecordsModel[DuesTotals]):
    """Month by month totals of a year, the year's total last."""

    context = "TotalsModel"
    columns = (
        Column[DuesTotals]("月份", lambda t: t.label),
        _amount("应缴金额(元)", lambda t: t.due_fen),
        _amount("实缴金额(元)", lambda t: t.paid_fen),
        _count("应缴人数", lambda t: t.members_due),
        _count("实缴人数", lambda t: t.members_paid),
        Column[DuesTotals](
            "未核定基数",
            lambda t: str(t.members_without_basis) if t.members_without_basis else "",
            lambda t: t.members_without_basis,
            numeric=True,
        ),
    )


class PublicationModel(RecordsModel[PublicationRow]):
    """The annual publication list (党费收缴公示)."""

    context = "PublicationModel"
    columns = (
        Column[PublicationRow]("姓名", lambda p: p.member_name),
        Column[PublicationRow]("党小组", lambda p: p.party_group_name),
        Column[PublicationRow]("党费类别", lambda p: p.dues_category),
        _amount("月缴纳额(元)", lambda p: p.monthly_fen),
        _count("应缴月数", lambda p: p.months_due),
        _count("实缴月数", lambda p: p.months_paid),
        _amount("应缴金额(元)", lambda p: p.due_fen),
        _amount("实缴金额(元)", lambda p: p.paid_fen),
        Column[PublicationRow]("备注", lambda p: p.note),
    )


class StatementModel(RecordsModel[LedgerEntry]):
    """One member's months of a year."""

    context = "StatementModel"
    columns = (
        Column[LedgerEntry](
            "月份", lambda e: f"{e.month.year}年{e.month.month}月", lambda e: e.month.isoformat()
        ),
        Column[LedgerEntry]("党费类别", lambda e: _category(e.dues_category)),
        _amount("应缴(元)", lambda e: e.due_fen),
        _amount("实缴(元)", lambda e: e.paid_fen),
        Column[LedgerEntry]("缴纳日期", lambda e: _d(e.paid_on)),
        Column[LedgerEntry]("代缴人", lambda e: e.proxy_name),
        Column[LedgerEntry]("备注", lambda e: e.note),
    )

    def foreground(self, record: LedgerEntry, column: int) -> QColor | None:
        return None if record.settled else _RED


class MemberRowsProxy(QSortFilterProxyModel):
    """Sorts by ``SORT_ROLE`` and filters on the name column with the search text, and to ``members`` (uuids)
    while a link (the monthly close's 去处理) names them."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setFilterKeyColumn(0)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.members: frozenset[str] | None = None

    def set_members(self, members: frozenset[str] | None) -> None:
        # begin/endFilterChange came with Qt 6.10 (which deprecates invalidateFilter); the glibc 2.31 .deb runs
        # PySide6 6.9.3 (x86_64) or 6.8.0.2 (aarch64), which has invalidateFilter only, and their stubs lack the
        # new names (hence the ignores, silent under the newer stubs).
        if not hasattr(self, "endFilterChange"):
            self.members = members
            self.invalidateFilter()
            return
        self.beginFilterChange()  # type: ignore[attr-defined, unused-ignore]
        self.members = members
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)  # type: ignore[attr-defined, unused-ignore]

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if self.members is not None:
            record = self.sourceModel().index(source_row, 0, source_parent).data(RECORD_ROLE)
            if getattr(record, "member_uuid", None) not in self.members:
                return False
        return super().filterAcceptsRow(source_row, source_parent)


def current_record(view: QTableView) -> Any:
    """The record of the view's current row, or None."""
    index = view.currentIndex()
    return index.data(RECORD_ROLE) if index.isValid() else None


def keep_selection(view: QTableView, proxy: QSortFilterProxyModel, reload: Callable[[], object]) -> None:
    """Reload the view's model, keeping the same member's row current."""
    index = view.currentIndex()
    record = index.data(RECORD_ROLE) if index.isValid() else None
    reload()
    if record is None:
        return
    source = proxy.sourceModel()
    assert isinstance(source, RecordsModel)  # the dues tables are all record models
    for row in range(source.rowCount()):
        if source.record(row).member_uuid == record.member_uuid:
            view.setCurrentIndex(proxy.mapFromSource(source.index(row, 0)))
            break


def select_member(view: QTableView, member_uuid: str) -> None:
    """Make the row of ``member_uuid`` current and visible."""
    proxy = view.model()
    for row in range(proxy.rowCount()):
        record = proxy.index(row, 0).data(RECORD_ROLE)
        if record is not None and record.member_uuid == member_uuid:
            view.setCurrentIndex(proxy.index(row, 0))
            view.scrollTo(proxy.index(row, 0))
            return
