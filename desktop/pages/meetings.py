"""The meetings page (会议记录): 三会一课 and organisational life, compliance, heart-to-heart talks.

Tab 会议: the list of meetings (year, kind, search as you type), the selected meeting's record on the right
(attendance counts, who was on leave and why, quorum, decisions flagged without quorum, amendments), and the actions
of the secretary: plan (Ctrl+N), record how it went, decisions, lock, correct, cancel, 民主评议 (a 民主评议党员
meeting opens the 民主评议 page on its 年度's round, where the grades are entered), print the sign-in sheet
(Ctrl+P; planned / blank / filled) and the minutes, through the print preview or to PDF.
Tab 合规检查: required vs held per kind for a month, quarter or year, and the reminders of what is due or overdue.
Tab 谈心谈话: the year's talks and the pairs that have not talked yet.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from db import meetings
from db.errors import BranchDeskError
from db.meetings import heart_talk_coverage
from db.meetings.records import KINDS
from desktop.changes import Change
from desktop.context import AppContext, Filters
from desktop.models.meeting_detail import detail_html
from desktop.models.meetings import (
    RECORD_ROLE,
    SORT_ROLE,
    ComplianceModel,
    HeartTalksModel,
    MeetingsModel,
)
from desktop.operations import appraisal as appraisal_ops
from desktop.operations import meetings as meetings_ops
from desktop.pages import BasePage
from desktop.qt import *
from desktop.widgets.attachments import AttachmentsPanel
from desktop.widgets.combos import refill_choices
from desktop.widgets.only_bar import OnlyBar
from desktop.widgets.shortcuts import shortcut
from desktop.widgets.tables import fit_columns

VARIANTS = (("planned", "签到表（预填姓名）"), ("blank", "空白签到表"), ("filled", "签到表（含出席情况）"))


def _table(parent: QWidget) -> QTableView:
    view = QTableView(parent)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSortingEnabled(True)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    return view


# What this page shows comes from these parts; a change to any of them refreshes it.
_REFRESH_ON = frozenset({Change.MEETINGS, Change.MEMBERS, Change.BRANCH})


class Page(BasePage):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(ctx, parent, today=today)
        self._dialog: QWidget | None = None
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._build_meetings_tab(), self.tr("会议"))
        self.tabs.addTab(self._build_compliance_tab(), self.tr("合规检查"))
        self.tabs.addTab(self._build_talks_tab(), self.tr("谈心谈话"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.tabs)
        shortcut(self, QKeySequence.StandardKey.New, self.new_meeting)
        shortcut(self, QKeySequence.StandardKey.Print, lambda: self.preview_signin("planned"))
        shortcut(self, QKeySequence.StandardKey.Find, self.search.setFocus)
        self.refresh_on(_REFRESH_ON)
        self.refresh()

    # --- building ------------------------------------------------------------------------------------------

    def _build_meetings_tab(self) -> QWidget:
        tab = QWidget(self)
        self.year = QComboBox(tab)
        self.kind = QComboBox(tab)
        self.kind.addItem(self.tr("全部类型"), None)
        for key, name in KINDS.items():
            self.kind.addItem(self.tr(name), key)
        self.search = QLineEdit(tab)
        self.search.setPlaceholderText(self.tr("搜索议题、地点、主持人、党小组（Ctrl+F）"))
        self.search.setClearButtonEnabled(True)
        self.new_button = QPushButton(self.tr("新建会议"), tab)
        self.new_button.setToolTip("Ctrl+N")
        self.edit_button = QPushButton(self.tr("编辑"), tab)
        self.record_button = QPushButton(self.tr("登记召开情况"), tab)
        self.decision_button = QPushButton(self.tr("表决事项"), tab)
        self.grades_button = QPushButton(self.tr("民主评议"), tab)
        self.grades_button.setToolTip(self.tr("打开本会议所评议年度的民主评议党员：计票、支部评定、组织处置"))
        self.life_button = QPushButton(self.tr("准备与整改"), tab)
        self.life_button.setToolTip(
            self.tr("组织生活会：征求意见、谈心谈话、对照检查材料、批评与自我批评、整改清单")
        )
        self.lock_button = QPushButton(self.tr("锁定记录"), tab)
        self.amend_button = QPushButton(self.tr("更正"), tab)
        self.cancel_button = QPushButton(self.tr("取消会议"), tab)
        self.print_button = QToolButton(tab)
        self.print_button.setText(self.tr("打印"))
        self.print_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.print_button)

        def preview(key: str) -> Callable[[], object]:
            return lambda: self.preview_signin(key)

        def pdf(key: str) -> Callable[[], object]:
            return lambda: self._ask_pdf("signin", key)

        for key, label in VARIANTS:
            menu.addAction(self.tr(label) + self.tr("…"), preview(key))
        menu.addAction(self.tr("会议记录…"), self.preview_minutes)
        menu.addSeparator()
        for key, label in VARIANTS:
            menu.addAction(self.tr("导出 PDF：") + self.tr(label), pdf(key))
        menu.addAction(self.tr("导出 PDF：会议记录"), lambda: self._ask_pdf("minutes", ""))
        self.print_button.setMenu(menu)

        top = QHBoxLayout()
        top.addWidget(self.year)
        top.addWidget(self.kind)
        top.addWidget(self.search, 1)
        buttons = QHBoxLayout()
        for b in (
            self.new_button,
            self.edit_button,
            self.record_button,
            self.decision_button,
            self.grades_button,
            self.life_button,
            self.lock_button,
            self.amend_button,
            self.cancel_button,
            self.print_button,
        ):
            buttons.addWidget(b)
        buttons.addStretch(1)
        # Shown while a link (the monthly close's 去处理) narrows the list to some meetings.
        self._only: frozenset[str] | None = None
        self.only_bar = OnlyBar(tab)
        self.only_bar.show_all.connect(lambda: self.show_only(None))
        self.only_label, self.show_all_button = self.only_bar.label, self.only_bar.button
        buttons.addWidget(self.only_bar)

        self.model = MeetingsModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = _table(tab)
        self.table.setModel(self.proxy)
        fit_columns(self.table, stretch=(4, 5))  # 议题, 地点
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.detail = QTextBrowser(tab)
        # The meeting's files (the signed sign-in sheet filed from a scan, photos) under its record (issue 21).
        self.attachments = AttachmentsPanel(self.ctx, tab)
        side = QSplitter(Qt.Orientation.Vertical, tab)
        side.addWidget(self.detail)
        side.addWidget(self.attachments)
        side.setStretchFactor(0, 3)
        side.setStretchFactor(1, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal, tab)
        splitter.addWidget(self.table)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([880, 420])
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(top)
        layout.addLayout(buttons)
        layout.addWidget(splitter, 1)

        self.year.currentIndexChanged.connect(self._reload_meetings)
        self.kind.currentIndexChanged.connect(self._reload_meetings)
        self.search.textChanged.connect(self._reload_meetings)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _: self.record_meeting())
        self.new_button.clicked.connect(self.new_meeting)
        self.edit_button.clicked.connect(self.edit_meeting)
        self.record_button.clicked.connect(self.record_meeting)
        self.decision_button.clicked.connect(self.add_decision)
        self.grades_button.clicked.connect(self.open_appraisal)
        self.life_button.clicked.connect(self.open_life_meeting)
        self.lock_button.clicked.connect(self.lock_meeting)
        self.amend_button.clicked.connect(self.amend_meeting)
        self.cancel_button.clicked.connect(self.cancel_meeting)
        return tab

    def _build_compliance_tab(self) -> QWidget:
        tab = QWidget(self)
        self.period = QComboBox(tab)
        for key, name in (("month", "按月"), ("quarter", "按季度"), ("year", "按年")):
            self.period.addItem(self.tr(name), key)
        self.period.setCurrentIndex(1)
        self.c_year = QSpinBox(tab)
        self.c_year.setRange(2000, 2100)
        self.c_number = QSpinBox(tab)
        self.c_number.setRange(1, 12)
        self.compliance_model = ComplianceModel(self)
        c_proxy = QSortFilterProxyModel(self)
        c_proxy.setSourceModel(self.compliance_model)
        c_proxy.setSortRole(SORT_ROLE)
        self.compliance_table = _table(tab)
        self.compliance_table.setModel(c_proxy)
        self.compliance_table.setSortingEnabled(False)
        # The lists of what is missing or due take the room left (whole in the tooltip): 结论 always shows.
        fit_columns(self.compliance_table, stretch=(6, 7))  # 未开, 待开
        self.reminders = QListWidget(tab)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("统计周期"), tab))
        top.addWidget(self.period)
        top.addWidget(self.c_year)
        self.number_label = QLabel(tab)
        top.addWidget(self.c_number)
        top.addWidget(self.number_label)
        top.addStretch(1)
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.compliance_table, 3)
        layout.addWidget(QLabel(self.tr("提醒：本月应开和已逾期的会议"), tab))
        layout.addWidget(self.reminders, 1)
        self.period.currentIndexChanged.connect(self._reload_compliance)
        self.c_year.valueChanged.connect(self._reload_compliance)
        self.c_number.valueChanged.connect(self._reload_compliance)
        return tab

    def _build_talks_tab(self) -> QWidget:
        tab = QWidget(self)
        self.talk_year = QSpinBox(tab)
        self.talk_year.setRange(2000, 2100)
        self.talk_button = QPushButton(self.tr("登记谈心谈话"), tab)
        self.talks_model = HeartTalksModel(self)
        t_proxy = QSortFilterProxyModel(self)
        t_proxy.setSourceModel(self.talks_model)
        t_proxy.setSortRole(SORT_ROLE)
        self.talks_table = _table(tab)
        self.talks_table.setModel(t_proxy)
        self.gaps = QListWidget(tab)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("年度"), tab))
        top.addWidget(self.talk_year)
        top.addWidget(self.talk_button)
        top.addStretch(1)
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.talks_table, 3)
        self.gaps_label = QLabel(tab)
        layout.addWidget(self.gaps_label)
        layout.addWidget(self.gaps, 2)
        self.talk_year.valueChanged.connect(self._reload_talks)
        self.talk_button.clicked.connect(self.new_heart_talk)
        return tab

    # --- loading -------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        today = self.today()
        years = sorted({m.year for m in meetings.list_meetings(self.ctx.db)} | {today.year}, reverse=True)
        choices = ((self.tr("{0}年").format(y), y) for y in years)
        refill_choices(self.year, self.tr("全部年份"), choices, default=today.year)
        for spin in (self.c_year, self.talk_year):
            if spin.property("initialised") is None:
                spin.blockSignals(True)
                spin.setValue(today.year)
                spin.setProperty("initialised", True)
                spin.blockSignals(False)
        if self.c_number.property("initialised") is None:
            self.c_number.blockSignals(True)
            self.c_number.setValue((today.month - 1) // 3 + 1)
            self.c_number.setProperty("initialised", True)
            self.c_number.blockSignals(False)
        self._reload_meetings()
        self._reload_compliance()
        self._reload_talks()

    def _reload_meetings(self) -> None:
        selected = self.selected_meeting()
        rows = meetings.list_meetings(
            self.ctx.db, year=self.year.currentData(), kind=self.kind.currentData(), query=self.search.text()
        )
        if self._only is not None:
            rows = [m for m in rows if m.uuid in self._only]
        self.model.set_meetings(rows)
        self.table.resizeColumnsToContents()
        if not (selected is not None and self.select_meeting(selected.uuid)) and self.proxy.rowCount():
            self.table.selectRow(0)  # the newest meeting, so its record shows at once
        self._selection_changed()

    def _reload_compliance(self) -> None:
        period = self.period.currentData()
        limit = {"month": 12, "quarter": 4, "year": 1}[period]
        self.c_number.setMaximum(limit)
        self.c_number.setVisible(period != "year")
        self.number_label.setText({"month": self.tr("月"), "quarter": self.tr("季度"), "year": ""}[period])
        today = self.today()
        rows = meetings.compliance(
            self.ctx.db,
            period=period,
            year=self.c_year.value(),
            number=min(self.c_number.value(), limit),
            today=today,
        )
        self.compliance_model.set_rows(rows)
        self.compliance_table.resizeColumnsToContents()
        self.reminders.clear()
        for r in meetings.meeting_reminders(self.ctx.db, today=today):
            self.reminders.addItem(f"{r.since:%Y-%m-%d} 起　{r.text}")

    def _reload_talks(self) -> None:
        year = self.talk_year.value()
        self.talks_model.set_talks(meetings.list_heart_talks(self.ctx.db, year=year))
        self.talks_table.resizeColumnsToContents()
        gaps = heart_talk_coverage(self.ctx.db, year=year, today=self.today())
        self.gaps_label.setText(self.tr("尚未谈心谈话（{0} 项）").format(len(gaps)))
        self.gaps.clear()
        self.gaps.addItems([g.text for g in gaps])

    # --- selection and detail ------------------------------------------------------------------------------

    def selected_meeting(self) -> meetings.Meeting | None:
        if not hasattr(self, "table"):
            return None
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        meeting: meetings.Meeting | None = self.proxy.data(rows[0], RECORD_ROLE)
        return meeting

    def select_meeting(self, uuid: str) -> bool:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if self.proxy.data(index, RECORD_ROLE).uuid == uuid:
                self.table.selectRow(row)
                self.table.scrollTo(index)
                return True
        return False

    def _selection_changed(self, *args: object) -> None:
        m = self.selected_meeting()
        held, locked = bool(m and m.status == "held"), bool(m and m.locked)
        self.edit_button.setEnabled(bool(m) and not locked and m is not None and m.status != "cancelled")
        self.record_button.setEnabled(bool(m) and not locked and m is not None and m.status != "cancelled")
        self.decision_button.setEnabled(held and not locked)
        self.grades_button.setEnabled(held and m is not None and m.kind == "appraisal")
        self.life_button.setEnabled(bool(m and m.kind == "life_meeting" and m.status != "cancelled"))
        self.lock_button.setEnabled(held and not locked)
        self.amend_button.setEnabled(locked)
        self.cancel_button.setEnabled(bool(m and m.status == "planned"))
        self.print_button.setEnabled(m is not None)
        self.detail.setHtml(detail_html(self.ctx.db, m) if m else self.tr("<p>选择一次会议查看记录。</p>"))
        self.attachments.set_owner(("meeting", m.uuid) if m else None)

    # --- actions -------------------------------------------------------------------------------------------

    def _show_dialog(self, dialog: QDialog) -> QDialog:
        self._dialog = dialog
        dialog.open()  # window-modal, never a blocking exec()
        return dialog

    def new_meeting(self) -> QWidget:
        from desktop.dialogs.meeting_plan import MeetingPlanDialog

        kind = self.kind.currentData() or "branch_assembly"
        dialog = MeetingPlanDialog(self.ctx, kind=kind, on=self.today(), parent=self)
        dialog.saved.connect(self.select_meeting)
        return self._show_dialog(dialog)

    def edit_meeting(self) -> QWidget | None:
        from desktop.dialogs.meeting_plan import MeetingPlanDialog

        m = self.selected_meeting()
        if m is None:
            return None
        dialog = MeetingPlanDialog(self.ctx, meeting_uuid=m.uuid, parent=self)
        dialog.saved.connect(self.select_meeting)
        return self._show_dialog(dialog)

    def record_meeting(self) -> QWidget | None:
        from desktop.dialogs.meeting_record import MeetingRecordDialog

        m = self.selected_meeting()
        if m is None or m.locked or m.status == "cancelled":
            return None
        dialog = MeetingRecordDialog(self.ctx, meeting_uuid=m.uuid, today=self.today(), parent=self)
        dialog.saved.connect(self.select_meeting)
        return self._show_dialog(dialog)

    def add_decision(self) -> QWidget | None:
        from desktop.dialogs.meeting_decision import MeetingDecisionDialog

        m = self.selected_meeting()
        if m is None or m.status != "held" or m.locked:
            return None
        dialog = MeetingDecisionDialog(self.ctx, meeting_uuid=m.uuid, parent=self)
        dialog.saved.connect(self.select_meeting)
        return self._show_dialog(dialog)

    def open_appraisal(self) -> str | None:
        """A held 民主评议党员 meeting: the 民主评议 page on the round of the 年度 it reviews (opened, and linked to this
        meeting as its 民主测评, when missing); the grades are entered there only. Returns the round's uuid."""
        m = self.selected_meeting()
        if m is None or m.kind != "appraisal" or m.status != "held":
            return None
        try:
            r = appraisal_ops.round_for_meeting(self.ctx, meeting_uuid=m.uuid, today=self.today())
        except BranchDeskError as exc:
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                self.tr("民主评议"),
                exc.message,
                QMessageBox.StandardButton.Ok,
                self,
            )
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self._dialog = box
            box.open()
            return None
        self.ctx.navigate("appraisal", {"round": r.uuid})
        return r.uuid

    def open_life_meeting(self) -> QWidget | None:
        """The 组织生活会's preparation and 整改清单 (issue 20)."""
        from desktop.dialogs.life_meeting import LifeMeetingDialog

        m = self.selected_meeting()
        if m is None or m.kind != "life_meeting" or m.status == "cancelled":
            return None
        return self._show_dialog(
            LifeMeetingDialog(self.ctx, meeting_uuid=m.uuid, today=self.today(), parent=self)
        )

    def lock_meeting(self) -> None:
        m = self.selected_meeting()
        if m is None:
            return
        meetings_ops.lock_minutes(self.ctx, uuid=m.uuid)
        self.select_meeting(m.uuid)

    def amend_meeting(self) -> QWidget | None:
        from desktop.dialogs.meeting_amend import MeetingAmendDialog

        m = self.selected_meeting()
        if m is None or not m.locked:
            return None
        dialog = MeetingAmendDialog(self.ctx, meeting_uuid=m.uuid, today=self.today(), parent=self)
        dialog.saved.connect(self.select_meeting)
        return self._show_dialog(dialog)

    def cancel_meeting(self) -> QWidget | None:
        from desktop.dialogs.meeting_amend import MeetingCancelDialog

        m = self.selected_meeting()
        if m is None or m.status != "planned":
            return None
        dialog = MeetingCancelDialog(self.ctx, meeting_uuid=m.uuid, parent=self)
        dialog.saved.connect(self.select_meeting)
        return self._show_dialog(dialog)

    def new_heart_talk(self) -> QWidget:
        from desktop.dialogs.meeting_heart_talk import HeartTalkDialog

        return self._show_dialog(HeartTalkDialog(self.ctx, today=self.today(), parent=self))

    # --- printing ------------------------------------------------------------------------------------------

    def preview_signin(self, variant: str = "planned") -> QWidget | None:
        from desktop.printing.signin import preview_dialog

        m = self.selected_meeting()
        if m is None:
            return None
        sheet = meetings.signin_sheet(self.ctx.db, meeting_uuid=m.uuid, variant=variant)
        return self._show_dialog(preview_dialog(sheet, self))

    def preview_minutes(self) -> QWidget | None:
        from desktop.printing.minutes import preview_dialog

        m = self.selected_meeting()
        if m is None:
            return None
        from desktop.printing.catalogue import Selection
        from desktop.word import forms

        record = Selection(record=m.uuid)
        word = lambda path: forms.write_docx(self.ctx.db, kind="minutes", out=path, sel=record)
        return self._show_dialog(preview_dialog(self.ctx.db, meeting_uuid=m.uuid, parent=self, word=word))

    def export_pdf(self, what: str, path: str | Path, variant: str = "planned") -> int:
        """Write the selected meeting's sign-in sheet (``what="signin"``) or minutes to ``path``; returns pages."""
        m = self.selected_meeting()
        if m is None:
            return 0
        if what == "signin":
            from desktop.printing.signin import write_pdf

            return write_pdf(meetings.signin_sheet(self.ctx.db, meeting_uuid=m.uuid, variant=variant), path)
        from desktop.printing.minutes import write_pdf as write_minutes

        return write_minutes(self.ctx.db, meeting_uuid=m.uuid, path=path)

    def _ask_pdf(self, what: str, variant: str) -> None:
        m = self.selected_meeting()
        if m is None:
            return
        suffix = "签到表" if what == "signin" else "会议记录"
        name = f"{m.held_on:%Y%m%d}{m.title.replace(' ', '')}{suffix}.pdf"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("导出 PDF"), name, self.tr("PDF 文件 (*.pdf)"))
        if path:
            self.export_pdf(what, path, variant or "planned")

    # --- navigation ----------------------------------------------------------------------------------------

    def show_only(self, uuids: list[str] | None) -> None:
        """Narrow the meetings list to these meetings (None: every meeting of the chosen year and kind)."""
        self._only = frozenset(uuids) if uuids is not None else None
        self.only_bar.set_text(
            self.tr("仅显示月度报送检查指出的 {0} 次会议").format(len(self._only))
            if self._only is not None
            else None
        )
        self._reload_meetings()

    def apply_filters(self, filters: Filters) -> None:
        """Filters from other pages / reminders: ``kind``, ``year``, ``meeting`` (uuid), ``meetings`` (show only
        these uuids; a link without it shows all), ``tab`` (``meetings`` / ``compliance`` / ``heart_talks``),
        ``query``; for the compliance tab ``period`` (month / quarter / year) with ``period_year`` and
        ``period_number``."""
        only = filters.get("meetings")
        self._only = frozenset(only) if only is not None else None
        self.show_only(list(self._only) if self._only is not None else None)
        tab = filters.get("tab")
        if "period" in filters:
            self.period.setCurrentIndex(max(0, self.period.findData(filters["period"])))
            if "period_year" in filters:
                self.c_year.setValue(int(filters["period_year"]))
            if "period_number" in filters:
                self.c_number.setValue(int(filters["period_number"]))
            self._reload_compliance()
        self.tabs.setCurrentIndex({"compliance": 1, "heart_talks": 2}.get(tab or "", 0))
        if "kind" in filters:
            self.kind.setCurrentIndex(max(0, self.kind.findData(filters["kind"])))
        if "year" in filters:
            self.year.setCurrentIndex(max(0, self.year.findData(filters["year"])))
        if "query" in filters:
            self.search.setText(filters["query"])
        if filters.get("party_group"):
            from db import branch

            name = next(
                (g.name for g in branch.list_party_groups(self.ctx.db) if g.uuid == filters["party_group"]),
                "",
            )
            self.search.setText(name)
        if "meeting" in filters:
            try:
                m = meetings.get_meeting(self.ctx.db, uuid=filters["meeting"])
            except Exception:  # noqa: BLE001 - a stale reminder must not break the page
                return
            self.kind.setCurrentIndex(0)
            self.search.clear()
            self.year.setCurrentIndex(max(0, self.year.findData(m.year)))
            self.select_meeting(m.uuid)
