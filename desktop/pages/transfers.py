"""The 组织关系 page: the transfer register (转出/转入, receipts), mobile members, standing events and the members
who left the roster (archived, readable with their timeline).

Every action opens a dialog with ``open()`` (never a blocking ``exec``) and the dialog calls ``db.transfers``; the
page then refreshes on ``ctx.changed``. Filters: year, direction, receipt status (register) and current/all
(mobile members); a search box filters the visible list as you type. Export writes the register to .xlsx.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from db import branch as branch_db
from db import members as members_db
from db import transfers as transfers_db
from db.records import Member
from db.transfers import DIRECTIONS, RECEIPT_STATUSES
from desktop.changes import Change
from desktop.context import AppContext, Filters
from desktop.models.members import COLUMN_KEYS, MEMBER_ROLE, OPTIONAL_COLUMNS, MembersModel
from desktop.models.transfers import RECORD_ROLE, SORT_ROLE, EventsModel, MobileModel, TransfersModel
from desktop.pages import BasePage
from desktop.qt import *
from desktop.widgets.attachments import AttachmentsDialog, open_attachments
from desktop.widgets.combos import refill_choices
from desktop.widgets.files import save_dialog
from desktop.widgets.shortcuts import page_shortcuts
from desktop.widgets.tables import fit_columns, record_table

TAB_TRANSFERS, TAB_MOBILE, TAB_EVENTS, TAB_ARCHIVED = range(4)


def _table(name: str, model: Any, parent: QWidget) -> tuple[QTableView, QSortFilterProxyModel]:
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    proxy.setFilterKeyColumn(-1)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    view = record_table(parent, proxy, name)
    view.horizontalHeader().setStretchLastSection(True)
    return view, proxy


# What this page shows comes from these parts; a change to any of them refreshes it.
_REFRESH_ON = frozenset({Change.TRANSFERS, Change.MEMBERS, Change.BRANCH, Change.EXCHANGE, Change.DUES})


class Page(BasePage):
    """The transfer register page (key ``transfers``); its day is ``today()`` (``BasePage``)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(ctx, parent, today=today)
        self.dialog: QWidget | None = None

        # --- filters and search
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText(self.tr("搜索姓名、编号、单位（Ctrl+F）"))
        self.search.setClearButtonEnabled(True)
        self.year = QComboBox()
        self.year.setObjectName("year")
        self.direction = QComboBox()
        self.direction.setObjectName("direction")
        self.direction.addItem(self.tr("全部方向"), None)
        for key, label in DIRECTIONS.items():
            self.direction.addItem(label, key)
        self.receipt = QComboBox()
        self.receipt.setObjectName("receipt")
        self.receipt.addItem(self.tr("全部回执状态"), None)
        for key in ("pending", "overdue", "returned"):
            self.receipt.addItem(RECEIPT_STATUSES[key], key)
        self.current_only = QCheckBox(self.tr("只看当前流动"))
        self.current_only.setChecked(True)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        for w in (self.year, self.direction, self.receipt, self.current_only):
            filters.addWidget(w)

        # --- reminders banner
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "QLabel { background: #fff3cd; color: #664d03; padding: 6px; border-radius: 4px; }"
        )

        # --- actions
        def button(name: str, text: str, slot: Any, tip: str = "") -> QPushButton:
            b = QPushButton(text)
            b.setObjectName(name)
            if tip:
                b.setToolTip(tip)
            b.clicked.connect(slot)
            return b

        self.out_button = button("transfer_out", self.tr("转出…"), self.transfer_out, self.tr("Ctrl+N"))
        self.in_button = button("transfer_in", self.tr("转入…"), self.transfer_in)
        self.receipt_button = button("record_receipt", self.tr("登记回执…"), self.record_receipt)
        self.cancel_button = button("cancel_transfer", self.tr("撤销…"), self.cancel_transfer)
        self.print_button = button(
            "print_letter", self.tr("打印介绍信…"), self.print_letter, self.tr("Ctrl+P")
        )
        self.pdf_button = button("letter_pdf", self.tr("介绍信 PDF…"), self.choose_letter_pdf)
        self.mobile_button = button("start_mobile", self.tr("登记流动…"), self.start_mobile)
        self.end_mobile_button = button("end_mobile", self.tr("结束流动…"), self.end_mobile)
        self.event_button = button("standing_event", self.tr("党籍事项…"), self.standing_event)
        self.timeline_button = button("timeline", self.tr("时间线"), self.show_timeline)
        self.files_button = button("attachments", self.tr("附件…"), self.open_attachments)
        self.export_button = button("export", self.tr("导出 Excel…"), self.choose_export)
        actions = QHBoxLayout()
        for b in (
            self.out_button,
            self.in_button,
            self.receipt_button,
            self.cancel_button,
            self.print_button,
            self.pdf_button,
            self.mobile_button,
            self.end_mobile_button,
            self.event_button,
            self.timeline_button,
            self.files_button,
        ):
            actions.addWidget(b)
        actions.addStretch(1)
        actions.addWidget(self.export_button)

        # --- tabs
        self.transfers_model = TransfersModel(self)
        self.mobile_model = MobileModel(self)
        self.events_model = EventsModel(self)
        self.archived_model = MembersModel(self)
        self.transfers_view, self.transfers_proxy = _table("transfers_table", self.transfers_model, self)
        fit_columns(self.transfers_view, stretch=(3, 4))  # 转出单位, 转往单位 share the room left
        self.mobile_view, self.mobile_proxy = _table("mobile_table", self.mobile_model, self)
        self.events_view, self.events_proxy = _table("events_table", self.events_model, self)
        self.archived_view, self.archived_proxy = _table("archived_table", self.archived_model, self)
        # Who left: the roster's identifying columns are not needed here (the roster has them), so the rest fits.
        for key in ("birth_date", "citizen_id", "education", "job", "mobile", *OPTIONAL_COLUMNS):
            self.archived_view.setColumnHidden(COLUMN_KEYS.index(key), True)
        fit_columns(self.archived_view, stretch=(COLUMN_KEYS.index("party_group"),))
        self.tabs = QTabWidget()
        self.tabs.setObjectName("tabs")
        self.tabs.addTab(self.transfers_view, self.tr("转接登记"))
        self.tabs.addTab(self.mobile_view, self.tr("流动党员"))
        self.tabs.addTab(self.events_view, self.tr("党籍事项"))
        self.tabs.addTab(self.archived_view, self.tr("已转出/减员"))
        self.count_label = QLabel()
        self.count_label.setObjectName("count")

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.banner)
        layout.addLayout(actions)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.count_label)

        self.search.textChanged.connect(self._apply_search)
        for combo in (self.year, self.direction, self.receipt):
            combo.currentIndexChanged.connect(self._reload_transfers)
        self.current_only.toggled.connect(self._reload_mobile)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.transfers_view.doubleClicked.connect(lambda _i: self.show_timeline())
        self.archived_view.doubleClicked.connect(lambda _i: self.show_timeline())
        for view in (self.transfers_view, self.mobile_view, self.events_view, self.archived_view):
            view.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())

        page_shortcuts(
            self,
            (QKeySequence.StandardKey.Find, self.search.setFocus),
            (QKeySequence.StandardKey.New, self.transfer_out),
            (QKeySequence.StandardKey.Print, self.print_letter),
        )
        self.refresh_on(_REFRESH_ON)
        self._tab_changed(TAB_TRANSFERS)
        self.refresh()

    # --- data -------------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        self._fill_years()
        self._reload_transfers()
        self._reload_mobile()
        self.events_model.set_rows(transfers_db.list_events(self.ctx.db), today=self.today())
        archived = [m for m in members_db.list_members(self.ctx.db, status=None) if m.status != "active"]
        self.archived_model.set_members(archived)
        reminders = transfers_db.transfer_reminders(self.ctx.db, today=self.today())
        self.banner.setText(
            "\n".join(r.text for r in reminders[:4])
            + (self.tr("\n……另有 {0} 条").format(len(reminders) - 4) if len(reminders) > 4 else "")
        )
        self.banner.setVisible(bool(reminders))
        self._update_count()
        self._update_buttons()

    def _fill_years(self) -> None:
        years = transfers_db.transfer_years(self.ctx.db)
        if self.today().year not in years:
            years = sorted({*years, self.today().year}, reverse=True)
        refill_choices(self.year, self.tr("全部年份"), ((self.tr("{0} 年").format(y), y) for y in years))

    def _reload_transfers(self) -> None:
        rows = transfers_db.list_transfers(
            self.ctx.db,
            year=self.year.currentData(),
            direction=self.direction.currentData(),
            receipt=self.receipt.currentData(),
            today=self.today(),
        )
        self.transfers_model.set_rows(rows, today=self.today())
        self.transfers_view.resizeColumnsToContents()
        self._update_count()

    def _reload_mobile(self) -> None:
        rows = transfers_db.list_mobile_periods(self.ctx.db, current_only=self.current_only.isChecked())
        self.mobile_model.set_rows(rows, today=self.today())
        self.mobile_view.resizeColumnsToContents()
        self._update_count()

    def _apply_search(self) -> None:
        text = self.search.text().strip()
        for proxy in (self.transfers_proxy, self.mobile_proxy, self.events_proxy, self.archived_proxy):
            proxy.setFilterFixedString(text)
        self._update_count()

    def _tab_changed(self, index: int) -> None:
        transfers_tab = index == TAB_TRANSFERS
        for w in (self.year, self.direction, self.receipt):
            w.setVisible(transfers_tab)
        self.current_only.setVisible(index == TAB_MOBILE)
        self._update_count()
        self._update_buttons()

    def _update_count(self) -> None:
        view = self.tabs.currentWidget()
        if isinstance(view, QTableView):
            self.count_label.setText(self.tr("共 {0} 条").format(view.model().rowCount()))

    def _update_buttons(self) -> None:
        t = self.current_transfer() if self.tabs.currentIndex() == TAB_TRANSFERS else None
        writable = not self.ctx.db.readonly
        for b in (self.out_button, self.in_button, self.mobile_button, self.event_button):
            b.setEnabled(writable)
        is_out_valid = t is not None and t.direction == "out" and t.status == "valid"
        self.receipt_button.setEnabled(writable and is_out_valid and t is not None and t.receipt_on is None)
        self.cancel_button.setEnabled(
            writable and t is not None and t.status == "valid" and t.receipt_on is None
        )
        self.print_button.setEnabled(is_out_valid)
        self.pdf_button.setEnabled(is_out_valid)
        p = self.current_mobile() if self.tabs.currentIndex() == TAB_MOBILE else None
        self.end_mobile_button.setEnabled(writable and p is not None and p.ended_on is None)
        self.timeline_button.setEnabled(self.current_member_uuid() is not None)

    # --- selection --------------------------------------------------------------------------------------------

    def _current(self, view: QTableView, role: int = RECORD_ROLE) -> Any:
        index = view.currentIndex()
        return index.data(role) if index.isValid() else None

    def open_attachments(self) -> AttachmentsDialog | None:
        """附件…: the selected transfer's files (the signed 存根, the returned 回执)."""
        t = self.current_transfer()
        owner = ("transfer", t.uuid) if t else None
        return open_attachments(self, self.ctx, owner, self.tr("转接记录的附件"))

    def current_transfer(self) -> transfers_db.Transfer | None:
        transfer: transfers_db.Transfer | None = self._current(self.transfers_view)
        return transfer

    def current_mobile(self) -> transfers_db.MobilePeriod | None:
        period: transfers_db.MobilePeriod | None = self._current(self.mobile_view)
        return period

    def current_member_uuid(self) -> str | None:
        index = self.tabs.currentIndex()
        if index == TAB_ARCHIVED:
            member: Member | None = self._current(self.archived_view, MEMBER_ROLE)
            return member.uuid if member else None
        view = (self.transfers_view, self.mobile_view, self.events_view)[index]
        record = self._current(view)
        return record.member_uuid if record is not None else None

    def select_transfer(self, uuid: str) -> None:
        self.tabs.setCurrentIndex(TAB_TRANSFERS)
        for row in range(self.transfers_proxy.rowCount()):
            index = self.transfers_proxy.index(row, 0)
            if index.data(RECORD_ROLE).uuid == uuid:
                self.transfers_view.setCurrentIndex(index)
                break
        self._update_buttons()

    def apply_filters(self, filters: Filters) -> None:
        """``{"receipt": "overdue"}``, ``{"view": "mobile"}``, ``{"view": "archived"}``, ``{"year": 2026}``,
        ``{"direction": "out"}``, ``{"transfer": uuid}`` (select it)."""
        view = filters.get("view")
        if view == "mobile":
            self.tabs.setCurrentIndex(TAB_MOBILE)
        elif view == "archived":
            self.tabs.setCurrentIndex(TAB_ARCHIVED)
        elif view == "events":
            self.tabs.setCurrentIndex(TAB_EVENTS)
        else:
            self.tabs.setCurrentIndex(TAB_TRANSFERS)
        for key, combo in (("year", self.year), ("direction", self.direction), ("receipt", self.receipt)):
            if key in filters:
                combo.setCurrentIndex(max(combo.findData(filters[key]), 0))
            elif filters:
                combo.setCurrentIndex(0)
        if filters.get("transfer"):
            self.select_transfer(filters["transfer"])

    # --- actions ----------------------------------------------------------------------------------------------

    def _open(self, dialog: Any) -> Any:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def transfer_out(self) -> Any:
        from desktop.dialogs.transfer_out_dialog import TransferOutDialog

        if self.ctx.db.readonly:
            return None
        member = self.current_member_uuid() if self.tabs.currentIndex() == TAB_MOBILE else None
        dialog = TransferOutDialog(self.ctx, self, member_uuid=member, today=self.today())
        dialog.saved.connect(lambda t: self.select_transfer(t.uuid))
        return self._open(dialog)

    def transfer_in(self) -> Any:
        from desktop.dialogs.transfer_in_dialog import TransferInDialog

        if self.ctx.db.readonly:
            return None
        dialog = TransferInDialog(self.ctx, self, today=self.today())
        dialog.saved.connect(lambda t: self.select_transfer(t.uuid))
        return self._open(dialog)

    def record_receipt(self) -> Any:
        from desktop.dialogs.transfer_receipt_dialog import ReceiptDialog

        t = self.current_transfer()
        if t is None or not self.receipt_button.isEnabled():
            return None
        dialog = ReceiptDialog(self.ctx, t, self, today=self.today())
        dialog.saved.connect(lambda t: self.select_transfer(t.uuid))
        return self._open(dialog)

    def cancel_transfer(self) -> Any:
        from desktop.dialogs.transfer_cancel_dialog import CancelTransferDialog

        t = self.current_transfer()
        if t is None or not self.cancel_button.isEnabled():
            return None
        dialog = CancelTransferDialog(self.ctx, t, self)
        dialog.saved.connect(lambda t: self.select_transfer(t.uuid))
        return self._open(dialog)

    def letter_data(self) -> Any:
        from desktop.printing.transfer_letter import letter_data

        t = self.current_transfer()
        if t is None or t.direction != "out" or t.status != "valid":
            return None
        branch = branch_db.get_branch(self.ctx.db)
        member = members_db.get_member(self.ctx.db, uuid=t.member_uuid)
        return letter_data(
            t,
            member,
            branch_name=branch.name if branch else "",
            upper_name=branch.parent_org if branch else "",
        )

    def print_letter(self) -> Any:
        from desktop.printing.transfer_letter import preview_letter

        data = self.letter_data()
        if data is None:
            return None
        from desktop.printing.catalogue import Selection
        from desktop.word import forms

        record = Selection(record=data.transfer_uuid)
        dialog = preview_letter(
            self,
            data,
            word=lambda path: forms.write_docx(self.ctx.db, kind="transfer-letter", out=path, sel=record),
        )
        return self._open(dialog)

    def save_letter_pdf(self, path: Path) -> Path | None:
        """Write the selected transfer's letter as a PDF (the same layout as the print preview)."""
        from desktop.printing.transfer_letter import write_letter_pdf

        data = self.letter_data()
        if data is None:
            return None
        result = write_letter_pdf(path, data)
        window = self.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(self.tr("已导出到 {0}").format(result), 15000)
        return result

    def choose_letter_pdf(self) -> None:
        data = self.letter_data()
        if data is None:
            return
        self.dialog = save_dialog(
            self,
            self.tr("导出介绍信 PDF"),
            f"组织关系介绍信{data.serial}.pdf",
            self.tr("PDF 文件 (*.pdf)"),
            self.save_letter_pdf,
        )

    def start_mobile(self) -> Any:
        from desktop.dialogs.mobile_start_dialog import MobileStartDialog

        if self.ctx.db.readonly:
            return None
        dialog = MobileStartDialog(self.ctx, self, today=self.today())
        dialog.saved.connect(lambda _p: self.tabs.setCurrentIndex(TAB_MOBILE))
        return self._open(dialog)

    def end_mobile(self) -> Any:
        from desktop.dialogs.mobile_end_dialog import MobileEndDialog

        p = self.current_mobile()
        if p is None or not self.end_mobile_button.isEnabled():
            return None
        return self._open(MobileEndDialog(self.ctx, p, self, today=self.today()))

    def standing_event(self) -> Any:
        from desktop.dialogs.transfer_standing_dialog import StandingEventDialog

        if self.ctx.db.readonly:
            return None
        dialog = StandingEventDialog(
            self.ctx, self, member_uuid=self.current_member_uuid(), today=self.today()
        )
        dialog.saved.connect(lambda _e: self.tabs.setCurrentIndex(TAB_EVENTS))
        return self._open(dialog)

    def show_timeline(self) -> Any:
        from desktop.dialogs.transfer_timeline_dialog import TimelineDialog

        uuid = self.current_member_uuid()
        if uuid is None:
            return None
        return self._open(TimelineDialog(self.ctx, uuid, self))

    def export_xlsx(self, path: Path) -> Path:
        """Write the register (filtered by year and direction) and the mobile members to ``path``.

        Small (a register has tens of rows), so it runs on the GUI thread rather than through ``desktop.tasks``.
        """
        result: Path = transfers_db.export_register_xlsx(
            self.ctx.db,
            path=path,
            year=self.year.currentData(),
            direction=self.direction.currentData(),
            today=self.today(),
        )
        window = self.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(self.tr("已导出到 {0}").format(result), 15000)
        return result

    def choose_export(self) -> None:
        self.dialog = save_dialog(
            self,
            self.tr("导出组织关系转接登记"),
            "组织关系转接登记.xlsx",
            self.tr("Excel 工作簿 (*.xlsx)"),
            self.export_xlsx,
        )
