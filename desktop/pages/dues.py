"""党费: the dues page.

A month picker with the month's totals on top, and four tabs:

- 月度台账: the ledger of the month (``db.dues.month_ledger``) with a search box; 全部标记已缴 records every unpaid
  member as paid on the chosen date, then exceptions are corrected in the payment dialog (Enter / double-click),
  or 标记未缴. Export to .xlsx (off the GUI thread) and print (preview, PDF) of the ledger.
- 缴纳基数: each member's dues basis in force that month; the basis dialog computes the amount live.
- 欠缴提醒: members behind with their dues (3 months: reminder, 6: urgent), with the reminder texts.
- 统计报表: the year month by month, the publication list (党费收缴公示) and one member's statement.

Filters from other pages: ``{"tab": "ledger"|"bases"|"arrears"|"reports", "member": uuid, "month": "YYYY-MM"}``.
The day it counts against is ``today()`` (``BasePage``: the real today unless pinned with ``today=``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from db import dues as dues_db
from db.errors import BranchDeskError
from db.records import MemberRef
from db.rules import fen_to_yuan_text
from desktop.changes import Change
from desktop.context import AppContext, Filters
from desktop.dialogs.form import to_date, to_qdate
from desktop.models.dues import (
    ArrearsModel,
    BasesModel,
    LedgerModel,
    current_record,
    keep_selection,
    select_member,
)
from desktop.qt import *

if TYPE_CHECKING:
    from desktop.printing.dues import PrintDocument
    from desktop.tasks import Task
from desktop.operations import dues as dues_ops
from desktop.pages import BasePage
from desktop.widgets.dues_reports import ReportsTab, dues_table
from desktop.widgets.files import save_dialog
from desktop.widgets.only_bar import OnlyBar
from desktop.widgets.shortcuts import shortcut

TABS = ("ledger", "bases", "arrears", "reports")


# What this page shows comes from these parts; a change to any of them refreshes it.
_REFRESH_ON = frozenset({Change.DUES, Change.MEMBERS, Change.BRANCH, Change.EXCHANGE})


class Page(BasePage):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(ctx, parent, today=today)
        self.dialog: QWidget | None = None  # the dialog opened last (tests drive it)
        self.confirm_box: QMessageBox | None = None  # the open 全部标记已缴 confirmation
        self._loading = False
        self._paid_on_set = False

        # --- month and totals -----------------------------------------------------------------------------
        self.month = QDateEdit(self)
        self.month.setObjectName("month")
        self.month.setDisplayFormat("yyyy年M月")
        self.month.setCalendarPopup(True)
        self.month.setDate(to_qdate(dues_db.month_start(self.today())))
        prev_button = QPushButton("◀", self)
        prev_button.setToolTip(self.tr("上一个月"))
        prev_button.setFixedWidth(32)
        next_button = QPushButton("▶", self)
        next_button.setToolTip(self.tr("下一个月"))
        next_button.setFixedWidth(32)
        prev_button.clicked.connect(lambda: self.set_month(dues_db.add_month(self.current_month(), -1)))
        next_button.clicked.connect(lambda: self.set_month(dues_db.add_month(self.current_month(), 1)))
        self.totals = QLabel(self)
        self.totals.setObjectName("totals")
        self.totals.setStyleSheet("font-size: 11pt;")
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("月份"), self))
        top.addWidget(prev_button)
        top.addWidget(self.month)
        top.addWidget(next_button)
        top.addSpacing(16)
        top.addWidget(self.totals, 1)

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("tabs")
        self.tabs.addTab(self._ledger_tab(), self.tr("月度台账"))
        self.tabs.addTab(self._bases_tab(), self.tr("缴纳基数"))
        self.tabs.addTab(self._arrears_tab(), self.tr("欠缴提醒"))
        self.reports = ReportsTab(ctx, self, year=self.today().year)
        r = self.reports  # its year, tables and sub-tabs, as the page has always named them
        self.year, self.report_details = r.year, r.report_details
        self.totals_model, self.publication_model = r.totals_model, r.publication_model
        self.totals_view, self.publication_view, self.statement_view = (
            r.totals_view,
            r.publication_view,
            r.statement_view,
        )
        self.year.valueChanged.connect(lambda _v: self._reload_tab())
        self.reports.export.clicked.connect(self.choose_export)
        self.reports.print_publication.clicked.connect(lambda: self.print_preview("publication"))
        self.reports.print_year.clicked.connect(lambda: self.print_preview("year"))
        self.tabs.addTab(self.reports, self.tr("统计报表"))

        self.status = QLabel(self)
        self.status.setObjectName("status")
        self.status.setStyleSheet("color: #555555;")
        # Shown while a link narrows the tables to some members (the monthly close's 去处理).
        self.only_bar = OnlyBar(self)
        self.only_bar.show_all.connect(lambda: self.show_only(None))
        self.only_label, self.show_all_button = self.only_bar.label, self.only_bar.button
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.only_bar)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)

        self.month.dateChanged.connect(self._month_changed)
        self.tabs.currentChanged.connect(lambda _i: self._reload_tab())
        self.refresh_on(_REFRESH_ON)
        shortcut(self, QKeySequence.StandardKey.Print, lambda: self.print_preview("ledger"))
        shortcut(self, QKeySequence.StandardKey.Find, self.search.setFocus)
        shortcut(self, QKeySequence.StandardKey.New, self.edit_current)
        self.show_only(None)
        self.refresh()

    def show_only(self, members: list[str] | None) -> None:
        """Narrow the ledger, bases and arrears tables to these members (None: everyone)."""
        chosen = frozenset(members) if members is not None else None
        for proxy in (self.ledger_proxy, self.bases_proxy, self.arrears_proxy):
            proxy.set_members(chosen)  # type: ignore[attr-defined]
        self.only_bar.set_text(
            self.tr("仅显示月度报送检查指出的 {0} 名党员").format(len(chosen)) if chosen is not None else None
        )

    # --- tabs --------------------------------------------------------------------------------------------------

    def _ledger_tab(self) -> QWidget:
        tab = QWidget(self)
        self.search = QLineEdit(tab)
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("搜索姓名（Ctrl+F）"))
        self.paid_on = QDateEdit(tab)
        self.paid_on.setObjectName("paid_on")
        self.paid_on.setCalendarPopup(True)
        self.paid_on.setDisplayFormat("yyyy-MM-dd")
        self.mark_all = QPushButton(self.tr("全部标记已缴"), tab)
        self.mark_all.setObjectName("mark_all")
        self.mark_all.setToolTip(self.tr("把本月所有未缴党员按应缴金额登记为已缴，再逐个更正例外"))
        self.edit_button = QPushButton(self.tr("登记/修改…"), tab)
        self.edit_button.setObjectName("edit")
        self.unpaid_button = QPushButton(self.tr("标记未缴"), tab)
        self.unpaid_button.setObjectName("unpaid")
        self.export_button = QPushButton(self.tr("导出 Excel…"), tab)
        self.export_button.setObjectName("export")
        self.print_button = QPushButton(self.tr("打印…"), tab)
        self.print_button.setObjectName("print")
        menu = QMenu(self.print_button)
        menu.addAction(self.tr("打印预览：月度台账"), lambda: self.print_preview("ledger"))
        menu.addAction(self.tr("打印预览：党费收缴公示"), lambda: self.print_preview("publication"))
        menu.addAction(self.tr("打印预览：年度汇总"), lambda: self.print_preview("year"))
        menu.addSeparator()
        menu.addAction(self.tr("导出 PDF：月度台账…"), lambda: self.choose_pdf("ledger"))
        menu.addAction(self.tr("导出 PDF：党费收缴公示…"), lambda: self.choose_pdf("publication"))
        self.print_button.setMenu(menu)
        bar = QHBoxLayout()
        bar.addWidget(self.search, 2)
        bar.addWidget(QLabel(self.tr("缴纳日期"), tab))
        bar.addWidget(self.paid_on)
        for b in (self.mark_all, self.edit_button, self.unpaid_button, self.export_button, self.print_button):
            bar.addWidget(b)
        self.ledger_model = LedgerModel(self)
        self.ledger_view, self.ledger_proxy = dues_table(tab, self.ledger_model, "ledger")
        for col, width in enumerate((80, 80, 90, 140, 90, 55, 95, 80, 55, 95, 70)):
            self.ledger_view.setColumnWidth(col, width)
        layout = QVBoxLayout(tab)
        layout.addLayout(bar)
        layout.addWidget(self.ledger_view, 1)
        self.search.textChanged.connect(self.ledger_proxy.setFilterFixedString)
        self.mark_all.clicked.connect(self.confirm_mark_all)
        self.edit_button.clicked.connect(self.edit_current)
        self.unpaid_button.clicked.connect(self.mark_current_unpaid)
        self.export_button.clicked.connect(self.choose_export)
        self.ledger_view.doubleClicked.connect(lambda _i: self.edit_current())
        shortcut(self.ledger_view, QKeySequence(Qt.Key.Key_Return), self.edit_current)
        return tab

    def _bases_tab(self) -> QWidget:
        tab = QWidget(self)
        self.basis_button = QPushButton(self.tr("核定基数…"), tab)
        self.basis_button.setObjectName("set_basis")
        self.mode_label = QLabel(tab)
        bar = QHBoxLayout()
        bar.addWidget(self.mode_label, 1)
        self.quarterly_button = QPushButton(self.tr("按季度交纳…"), tab)
        self.quarterly_button.setObjectName("quarterly")
        self.quarterly_button.setToolTip(self.tr("经党支部同意按季度交纳党费的党员，季度结束前不计为欠缴"))
        bar.addWidget(self.quarterly_button)
        bar.addWidget(self.basis_button)
        self.bases_model = BasesModel(self)
        self.bases_view, self.bases_proxy = dues_table(tab, self.bases_model, "bases")
        for col, width in enumerate((80, 80, 90, 140, 110, 55, 100, 100, 55, 80)):
            self.bases_view.setColumnWidth(col, width)
        hint = QLabel(
            self.tr(
                "标准：在职党员税后月收入 3000 元以下（含）交纳 0.5%，3000–5000 元（含）1%，5000–10000 元（含）"
                "1.5%，10000 元以上 2%，比例适用于全部基数；离退休党员 5000 元以下（含）0.5%，以上 1%；"
                "学生、下岗失业、低保党员每月 0.2 元；农民党员每月 0.2–1 元。"
            ),
            tab,
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555555;")
        layout = QVBoxLayout(tab)
        layout.addLayout(bar)
        layout.addWidget(self.bases_view, 1)
        layout.addWidget(hint)
        self.basis_button.clicked.connect(self.edit_basis)
        self.quarterly_button.clicked.connect(self.edit_quarterly)
        self.bases_view.doubleClicked.connect(lambda _i: self.edit_basis())
        return tab

    def _arrears_tab(self) -> QWidget:
        tab = QWidget(self)
        self.reminders = QLabel(tab)
        self.reminders.setObjectName("reminders")
        self.reminders.setWordWrap(True)
        self.arrears_model = ArrearsModel(self)
        self.arrears_view, self.arrears_proxy = dues_table(tab, self.arrears_model, "arrears")
        for col, width in enumerate((90, 100, 100, 100, 110)):
            self.arrears_view.setColumnWidth(col, width)
        self.back_pay = QPushButton(self.tr("补交…"), tab)
        self.back_pay.setObjectName("back_pay")
        self.back_pay.setToolTip(self.tr("从欠缴的第一个月起登记补交（最多补交 6 个月）"))
        bar = QHBoxLayout()
        bar.addWidget(
            QLabel(self.tr("连续 3 个月未交纳党费应提醒；连续 6 个月不交纳党费，视为自行脱党。"), tab), 1
        )
        bar.addWidget(self.back_pay)
        layout = QVBoxLayout(tab)
        layout.addLayout(bar)
        layout.addWidget(self.reminders)
        layout.addWidget(self.arrears_view, 1)
        self.back_pay.clicked.connect(self.back_pay_current)
        self.arrears_view.doubleClicked.connect(lambda _i: self.back_pay_current())
        return tab

    # --- loading -----------------------------------------------------------------------------------------------

    def current_month(self) -> date:
        return dues_db.month_start(to_date(self.month.date()))

    def set_month(self, month: date) -> None:
        """Show the ledger of ``month`` (any day of it)."""
        self.month.setDate(to_qdate(dues_db.month_start(month)))

    def _month_changed(self) -> None:
        if self._loading:
            return
        self.paid_on.setMaximumDate(to_qdate(self.today()))
        self.paid_on.setDate(to_qdate(dues_db.default_paid_on(self.current_month(), today=self.today())))
        self.year.blockSignals(True)
        self.year.setValue(self.current_month().year)
        self.year.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        self.paid_on.setMaximumDate(to_qdate(self.today()))
        if not self._paid_on_set:
            self._paid_on_set = True
            self.paid_on.setDate(to_qdate(dues_db.default_paid_on(self.current_month(), today=self.today())))
        year_mode = dues_db.basis_mode(self.ctx.db) == "year"
        self.mode_label.setText(
            self.tr("核定方式：{0}").format(dues_db.BASIS_MODES["year" if year_mode else "month"])
        )
        readonly = self.ctx.db.readonly
        for b in (
            self.mark_all,
            self.edit_button,
            self.unpaid_button,
            self.basis_button,
            self.quarterly_button,
            self.back_pay,
        ):
            b.setEnabled(not readonly)
        self._reload_totals()
        self._reload_tab()
        if not self.status.text():
            self.status.setText(self.tr("提示：先「全部标记已缴」，再双击个别党员更正为未缴或修改金额。"))

    def _reload_totals(self) -> None:
        t = dues_db.month_totals(self.ctx.db, month=self.current_month())
        text = self.tr("应缴 {0} 元　实缴 {1} 元　已缴 {2} / {3} 人").format(
            fen_to_yuan_text(t.due_fen), fen_to_yuan_text(t.paid_fen), t.members_paid, t.members_due
        )
        if t.members_without_basis:
            text += self.tr("　<span style='color:#b02a37'>未核定基数 {0} 人</span>").format(
                t.members_without_basis
            )
        self.totals.setText(text)

    def _reload_tab(self) -> None:
        key = TABS[self.tabs.currentIndex()]
        db = self.ctx.db
        if key == "ledger":
            keep_selection(
                self.ledger_view,
                self.ledger_proxy,
                lambda: self.ledger_model.set_rows(dues_db.month_ledger(db, month=self.current_month())),
            )
        elif key == "bases":
            keep_selection(
                self.bases_view,
                self.bases_proxy,
                lambda: self.bases_model.set_rows(dues_db.bases_overview(db, month=self.current_month())),
            )
        elif key == "arrears":
            self.arrears_model.set_rows(dues_db.arrears(db, today=self.today()))
            reminders = dues_db.dues_reminders(db, today=self.today())
            if reminders:
                lines = [
                    (
                        "<b style='color:#b02a37'>%s</b>"
                        if r.urgent
                        else "<span style='color:#b02a37'>%s</span>"
                    )
                    % r.text
                    for r in reminders
                ]
                self.reminders.setText("<br>".join(lines))
            else:
                self.reminders.setText(self.tr("没有连续 3 个月以上未交纳党费的党员。"))
        else:
            self.reports.reload(self.through(self.year.value()))

    def through(self, year: int) -> date | None:
        """The last month the reports of ``year`` run to (``report_through``)."""
        from desktop.printing.dues import report_through

        return report_through(year, self.today())

    def apply_filters(self, filters: Filters) -> None:
        """Filters from links: ``month`` (YYYY-MM), ``tab`` (one of ``TABS``), ``member`` (select one) and
        ``members`` (show only these; a link without it shows everyone)."""
        members = filters.get("members")
        self.show_only(list(members) if members is not None else None)
        if filters.get("month"):
            self.set_month(dues_db.month_from_key(str(filters["month"])))
        tab = filters.get("tab")
        if tab in TABS:
            self.tabs.setCurrentIndex(TABS.index(tab))
        member = filters.get("member")
        if member:
            view = {"ledger": self.ledger_view, "bases": self.bases_view, "arrears": self.arrears_view}.get(
                TABS[self.tabs.currentIndex()]
            )
            if view is not None:
                select_member(view, member)

    def current_entry(self) -> dues_db.LedgerEntry | None:
        entry: dues_db.LedgerEntry | None = current_record(self.ledger_view)
        return entry

    # --- actions -----------------------------------------------------------------------------------------------

    def _show_error(self, exc: BranchDeskError) -> None:
        self.status.setText(f"<span style='color:#b02a37'>{exc.message}</span>")

    def _skipped_text(self, skipped: list[tuple[dues_db.LedgerEntry, str]]) -> str:
        """「跳过 2 人：张三（失联）、李四（停止党籍）」, or "" when nobody is skipped."""
        if not skipped:
            return ""
        names = "、".join(f"{entry.member_name}（{reason}）" for entry, reason in skipped)
        return self.tr("跳过 {0} 人：{1}").format(len(skipped), names)

    def confirm_mark_all(self) -> QMessageBox | None:
        """全部标记已缴: first say how many members will be recorded as paid and whom it skips (who cannot pay this
        month), then record on 登记. Non-blocking; the box is returned (and kept in ``confirm_box``) for tests."""
        if self.ctx.db.readonly:
            return None
        plan = dues_db.mark_all_plan(self.ctx.db, month=self.current_month())
        month = dues_db.month_label(self.current_month())
        skipped = self._skipped_text(plan.skipped)
        if not plan.to_mark:
            self.status.setText(
                self.tr("{0}没有可以一并登记的未缴党员。").format(month) + (f"{skipped}。" if skipped else "")
            )
            return None
        text = self.tr("将 {0} 名党员登记为{1}已缴，缴纳日期 {2}，金额按应缴计。").format(
            len(plan.to_mark), month, self.paid_on.date().toString("yyyy-MM-dd")
        )
        if skipped:
            text += "\n\n" + skipped + self.tr("。他们本月不能一并登记，如需登记请逐个处理。")
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("全部标记已缴"),
            text,
            QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.button(QMessageBox.StandardButton.Ok).setText(self.tr("登记 {0} 人").format(len(plan.to_mark)))
        box.button(QMessageBox.StandardButton.Cancel).setText(self.tr("取消"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.accepted.connect(self.mark_all_paid)
        box.finished.connect(lambda _r: setattr(self, "confirm_box", None))
        self.confirm_box = box
        box.open()
        return box

    def mark_all_paid(self) -> int:
        """Record every unpaid member of the month who can pay as paid on the chosen date; returns how many.
        (The button confirms first through ``confirm_mark_all``.)"""
        if self.ctx.db.readonly:
            return 0
        skipped = self._skipped_text(dues_db.mark_all_plan(self.ctx.db, month=self.current_month()).skipped)
        try:
            count = dues_ops.mark_all_paid(
                self.ctx,
                month=self.current_month(),
                paid_on=to_date(self.paid_on.date()),
                today=self.today(),
            )
        except BranchDeskError as exc:
            self._show_error(exc)
            return 0
        self.status.setText(
            self.tr("已将 {0} 名党员登记为已缴（{1}）。如有例外，请双击该党员更正。").format(
                count, dues_db.month_label(self.current_month())
            )
            + (f"{skipped}。" if skipped else "")
        )
        return count

    def _open_dialog(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def edit_current(self) -> None:
        from desktop.dialogs.dues_payment import DuesPaymentDialog

        entry = self.current_entry()
        if entry is None or self.ctx.db.readonly:
            return
        self._open_dialog(
            DuesPaymentDialog(self.ctx, entry, self, paid_on=to_date(self.paid_on.date()), today=self.today())
        )

    def mark_current_unpaid(self) -> None:
        entry = self.current_entry()
        if entry is None or self.ctx.db.readonly or not entry.paid:
            return
        try:
            dues_ops.mark_unpaid(self.ctx, member_uuid=entry.member_uuid, month=entry.month, note=entry.note)
        except BranchDeskError as exc:
            self._show_error(exc)
            return
        self.status.setText(
            self.tr("已将 {0} {1}更正为未缴。").format(entry.member_name, dues_db.month_label(entry.month))
        )

    def edit_basis(self) -> None:
        from desktop.dialogs.dues_basis import DuesBasisDialog

        row = current_record(self.bases_view)
        if row is None or self.ctx.db.readonly:
            return
        self._open_dialog(
            DuesBasisDialog(
                self.ctx,
                MemberRef(row.member_uuid, row.member_name),
                row.basis,
                self.current_month(),
                self,
                today=self.today(),
            )
        )

    def edit_quarterly(self) -> None:
        from desktop.dialogs.dues_quarterly import DuesQuarterlyDialog

        row = current_record(self.bases_view)
        if row is None or self.ctx.db.readonly:
            return
        self._open_dialog(
            DuesQuarterlyDialog(
                self.ctx, MemberRef(row.member_uuid, row.member_name), self, today=self.today()
            )
        )

    def back_pay_current(self) -> None:
        from desktop.dialogs.dues_payment import DuesPaymentDialog

        arrears = current_record(self.arrears_view)
        if arrears is None or self.ctx.db.readonly:
            return
        entries = dues_db.month_ledger_for(
            self.ctx.db, member_uuid=arrears.member_uuid, months=[arrears.since]
        )
        if entries:
            dialog = DuesPaymentDialog(self.ctx, entries[0], self, paid_on=self.today(), today=self.today())
            dialog.months.setValue(min(arrears.months, dialog.months.maximum()))
            self._open_dialog(dialog)

    # --- export and print --------------------------------------------------------------------------------------

    def export_xlsx(self, path: Path, *, on_done: Callable[[Path], object] | None = None) -> Task[Path]:
        """Write the month's ledger, the year's totals and the publication list in the background; returns the
        Task (tests wait on ``finished``)."""
        from desktop.tasks import Progress, own_connection, run_in_background

        month = self.current_month()
        through = self.through(month.year)

        def work(progress: Progress) -> Path:
            progress.report(0, 1, self.tr("正在导出党费台账…"))
            with own_connection(self.ctx.db) as db:
                return dues_db.export_dues_workbook(db, path=path, month=month, through=through)

        def done(result: Path) -> None:
            self.status.setText(self.tr("已导出到 {0}").format(result))
            if on_done is not None:
                on_done(result)

        return run_in_background(self, title=self.tr("导出党费台账"), fn=work, on_done=done)

    def choose_export(self) -> None:
        name = self.tr("党费台账{0}.xlsx").format(f"{self.current_month():%Y%m}")
        self.dialog = save_dialog(
            self, self.tr("导出党费台账"), name, self.tr("Excel 工作簿 (*.xlsx)"), self.export_xlsx
        )

    def document(self, kind: str) -> PrintDocument:
        """The printed document ``kind`` ("ledger", "publication", "year") for the shown month/year."""
        from desktop.printing import dues as dues_print

        year = self.year.value() if TABS[self.tabs.currentIndex()] == "reports" else self.current_month().year
        return dues_print.document(
            self.ctx.db, kind, month=self.current_month(), year=year, today=self.today()
        )

    def print_preview(self, kind: str) -> None:
        from desktop.printing.dues import preview

        dialog = preview(self, self.document(kind))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()

    def export_pdf(self, kind: str, path: Path) -> Path:
        from desktop.printing.dues import write_pdf

        result = write_pdf(path, self.document(kind))
        self.status.setText(self.tr("已导出到 {0}").format(result))
        return result

    def choose_pdf(self, kind: str) -> None:
        names = {
            "ledger": self.tr("党费台账"),
            "publication": self.tr("党费收缴公示"),
            "year": self.tr("党费年度汇总"),
        }
        self.dialog = save_dialog(
            self,
            self.tr("导出 PDF"),
            f"{names[kind]}.pdf",
            self.tr("PDF 文件 (*.pdf)"),
            lambda path: self.export_pdf(kind, path),
        )
