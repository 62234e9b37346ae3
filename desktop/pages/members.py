"""党员名册: the roster page.

A table over ``MembersModel`` (sortable through a QSortFilterProxyModel), a search box that filters as you type
(``db.members.matches``: name, pinyin initials, last digits of ID or phone), filters for party group, category,
standing and status, and a 显示证件号码 toggle (masked otherwise). The statistical codes and this year's 学时 are
columns (red below the target); 统计信息补全 opens the completeness list (``{"view": "codes"}`` from a link) and 学时
the selected member's ledger or the import of a list (``{"training_short": year}`` lists who is below target). Keyboard: Ctrl+F search, Ctrl+N new,
Enter/double-click open, Delete archive (the archive dialog is the confirmation), Ctrl+P print preview.
The current view exports to .xlsx (``db.reports.write_roster_xlsx``, off the GUI thread) and prints
(``desktop.printing.roster``). Filters from other pages: ``{"status", "party_group", "category", "standing",
"query", "left_in_year"}``, status being a glossary status, ``"archived"`` (both archived kinds) or ``"all"``;
``left_in_year`` narrows ``"archived"`` to those who left in that year (until the user changes a filter).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from db import branch as branch_db
from db import completeness
from db import members as members_db
from db import training as training_db
from db import transfers as transfers_db
from db.records import CATEGORIES, STANDINGS, STATUSES, Member
from desktop.changes import Change
from desktop.context import AppContext, Filters
from desktop.models.members import COLUMN_KEYS, MEMBER_ROLE, OPTIONAL_COLUMNS, SORT_ROLE, MembersModel
from desktop.pages import BasePage
from desktop.qt import *
from desktop.widgets.attachments import AttachmentsDialog, open_attachments
from desktop.widgets.combos import refill_choices
from desktop.widgets.files import save_dialog
from desktop.widgets.shortcuts import open_on_enter, page_shortcuts, shortcut
from desktop.widgets.tables import record_table

if TYPE_CHECKING:
    from desktop.dialogs.form import FormBase
    from desktop.tasks import Task

_SETTINGS_HEADER = "members_page/header_state"
_ALL = "all"


# What this page shows comes from these parts; a change to any of them refreshes it.
_REFRESH_ON = frozenset(
    {
        Change.MEMBERS,
        Change.BRANCH,
        Change.EXCHANGE,
        Change.TRANSFERS,
        Change.DEVELOPMENT,
        Change.TRAINING,
        Change.MEETINGS,  # attendance credits 学时
    }
)


class Page(BasePage):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._all: list[Member] = []  # the members matching the combo filters; the search narrows this list
        self.dialog: QWidget | None = None  # the dialog opened last (tests drive it)
        self.status_message = ""  # the last confirmation shown in the status bar

        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(
            self.tr("搜索：姓名、拼音首字母（如 zs）、身份证号或手机号后几位（Ctrl+F）")
        )
        self.party_group = QComboBox(self)
        self.party_group.setObjectName("party_group")
        self.category = QComboBox(self)
        self.category.setObjectName("category")
        self.category.addItem(self.tr("全部类别"), None)
        for key, label in CATEGORIES.items():
            self.category.addItem(label, key)
        self.standing = QComboBox(self)
        self.standing.setObjectName("standing")
        self.standing.addItem(self.tr("全部党籍状态"), None)
        for key, label in STANDINGS.items():
            self.standing.addItem(label, key)
        self.status = QComboBox(self)
        self.status.setObjectName("status")
        for label, key in (
            (self.tr("在册"), "active"),
            (self.tr("已转出"), "transferred_out"),
            (self.tr("已减员"), "removed"),
            (self.tr("已转出/已减员"), "archived"),
            (self.tr("全部"), _ALL),
        ):
            self.status.addItem(label, key)
        self.reveal = QCheckBox(self.tr("显示证件号码"), self)
        self.reveal.setObjectName("reveal")
        self.reveal.setToolTip(self.tr("显示完整的公民身份号码和手机号（注意保护党员个人信息）"))

        self.new_button = QPushButton(self.tr("新增党员"), self)
        self.new_button.setToolTip("Ctrl+N")
        self.archive_button = QPushButton(self.tr("转出/减员…"), self)
        self.archive_button.setToolTip(
            self.tr("Delete：转出或减员（不会删除记录）；已转出/已减员的可恢复在册")
        )
        self.export_button = QPushButton(self.tr("导出 Excel"), self)
        self.print_button = QPushButton(self.tr("打印"), self)
        self.print_button.setToolTip("Ctrl+P")
        self.files_button = QPushButton(self.tr("附件…"), self)
        self.files_button.setToolTip(self.tr("所选党员的扫描件、照片和文档"))
        self.files_button.clicked.connect(self.open_attachments)
        self.codes_button = QPushButton(self.tr("统计信息补全"), self)
        self.codes_button.setObjectName("codes")
        self.codes_button.setToolTip(self.tr("补全年度党内统计所需的工作岗位代码、学历分类、生产工作第一线"))
        self.codes_button.clicked.connect(self.open_completeness)
        self.training_button = QToolButton(self)
        self.training_button.setText(self.tr("学时"))
        self.training_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        training_menu = QMenu(self.training_button)
        training_menu.addAction(self.tr("所选党员的学时台账…"), self.open_training)
        import_action = training_menu.addAction(self.tr("导入学时登记表…"), self.choose_training_import)
        import_action.setEnabled(not ctx.db.readonly)
        self.training_button.setMenu(training_menu)

        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        for w in (self.party_group, self.category, self.standing, self.status):
            filters.addWidget(w, 1)
        filters.addWidget(self.reveal)
        actions = QHBoxLayout()
        self.count_label = QLabel(self)
        self.count_label.setObjectName("count")
        actions.addWidget(self.count_label, 1)
        actions.addWidget(self.codes_button)
        actions.addWidget(self.training_button)
        for b in (
            self.new_button,
            self.archive_button,
            self.files_button,
            self.export_button,
            self.print_button,
        ):
            actions.addWidget(b)

        self.model = MembersModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setSortLocaleAware(True)
        self.table = record_table(self, self.proxy, "members_table")  # roster order until a header is clicked
        self.table.horizontalHeader().setStretchLastSection(True)
        self._restore_columns()
        self.table.horizontalHeader().setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.horizontalHeader().customContextMenuRequested.connect(self.column_menu)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)

        self.search.textChanged.connect(self._apply_search)
        self._left_in_year: int | None = None  # set by a link such as the home page's 本年转出减员
        self._training_short: int | None = (
            None  # set by the 学时 reminder: only those below the year's target
        )
        for combo in (self.party_group, self.category, self.standing, self.status):
            combo.currentIndexChanged.connect(self._filter_changed)
        self.reveal.toggled.connect(self._reveal_toggled)
        self.table.doubleClicked.connect(lambda _i: self.open_current())
        self.new_button.clicked.connect(self.new_member)
        self.archive_button.clicked.connect(self.archive_current)
        self.export_button.clicked.connect(self.choose_export)
        self.print_button.clicked.connect(self.print_preview)
        self._save_timer = QTimer(self)
        self.table.horizontalHeader().sectionResized.connect(lambda *_: self._save_timer.start())
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(500)
        self._save_timer.timeout.connect(self._save_columns)

        page_shortcuts(
            self,
            (QKeySequence.StandardKey.Find, self.focus_search),
            (QKeySequence.StandardKey.New, self.new_member),
            (QKeySequence.StandardKey.Print, self.print_preview),
        )
        open_on_enter(self.table, self.open_current)
        only_here = Qt.ShortcutContext.WidgetShortcut
        shortcut(self.table, QKeySequence(Qt.Key.Key_Delete), self.archive_current, only_here)
        # Down from the search box goes to the table, so the keyboard never needs the mouse.
        shortcut(self.search, QKeySequence(Qt.Key.Key_Down), self._focus_table, only_here)

        if ctx.db.readonly:
            for b in (self.new_button, self.archive_button):
                b.setEnabled(False)
        self.refresh_on(_REFRESH_ON)
        self._fill_groups()
        self.reload()

    # --- loading and filtering --------------------------------------------------------------------------------

    def _fill_groups(self) -> None:
        groups = branch_db.list_party_groups(self.ctx.db)
        refill_choices(self.party_group, self.tr("全部党小组"), ((g.name, g.uuid) for g in groups))

    def refresh(self) -> None:
        self._fill_groups()
        self.reload()

    def _filter_changed(self) -> None:
        self._left_in_year = None  # the user chose other filters: a link's year no longer applies
        self._training_short = None
        self.reload()

    def reload(self) -> None:
        """Query the members for the combo filters, then apply the search text."""
        status = self.status.currentData()
        db_status = None if status in (_ALL, "archived") else status
        members = members_db.list_members(
            self.ctx.db,
            status=db_status,
            party_group_uuid=self.party_group.currentData(),
            category=self.category.currentData(),
            standing=self.standing.currentData(),
        )
        if status == "archived":
            members = [m for m in members if m.status != "active"]
            if self._left_in_year is not None:
                members = [
                    m for m in members if m.status_on is not None and m.status_on.year == self._left_in_year
                ]
        year = self.today().year
        short = {s.member_uuid: s.target for s in training_db.short_of_target(self.ctx.db, year=year)}
        if self._training_short is not None:
            members = [m for m in members if m.uuid in short]
        self._all = members
        self.model.set_marks(transfers_db.roster_marks(self.ctx.db))
        self.model.set_hours(training_db.hours_by_member(self.ctx.db, year=year), short)
        incomplete = completeness.count_incomplete(self.ctx.db)
        self.codes_button.setText(
            self.tr("统计信息补全（{0}）").format(incomplete) if incomplete else self.tr("统计信息补全")
        )
        # 状态 says nothing while only 在册 members are listed; it shows where it varies.
        self.table.setColumnHidden(COLUMN_KEYS.index("status"), status == "active")
        self._apply_search()

    def _apply_search(self) -> None:
        query = self.search.text()
        selected = self.current_member()
        shown = members_db.filter_members(self._all, query)
        self.model.set_members(shown)
        self.count_label.setText(
            self.tr("共 {0} 人").format(len(shown))
            if len(shown) == len(self._all)
            else self.tr("找到 {0} 人（共 {1} 人）").format(len(shown), len(self._all))
        )
        if self._left_in_year is not None:
            self.count_label.setText(
                self.count_label.text() + self.tr("，{0}年转出/减员").format(self._left_in_year)
            )
        if self._training_short is not None:
            self.count_label.setText(self.count_label.text() + self.tr("，本年学时未达标"))
        if selected is not None:
            self.select_member(selected.uuid)

    def apply_filters(self, filters: Filters) -> None:
        # A link defines the whole view: a filter it does not name goes back to 全部 (status to 在册), so what was
        # chosen by hand before does not silently narrow the list the link promised.
        for key, combo in (
            ("party_group", self.party_group),
            ("category", self.category),
            ("standing", self.standing),
            ("status", self.status),
        ):
            value = filters.get(key, "active" if key == "status" else None)
            combo.blockSignals(True)
            combo.setCurrentIndex(max(combo.findData(value), 0))
            combo.blockSignals(False)
        self._left_in_year = filters.get("left_in_year")
        self._training_short = filters.get("training_short")
        if "query" in filters:
            self.search.blockSignals(True)
            self.search.setText(str(filters["query"]))
            self.search.blockSignals(False)
        self.reload()
        if filters.get("view") == "codes":
            self.open_completeness()

    # --- selection --------------------------------------------------------------------------------------------

    def visible_members(self) -> list[Member]:
        """The members of the current view, in the order shown (this is what export and print use)."""
        return [self.proxy.index(r, 0).data(MEMBER_ROLE) for r in range(self.proxy.rowCount())]

    def open_attachments(self) -> AttachmentsDialog | None:
        """附件…: the selected member's files."""
        m = self.current_member()
        owner = ("member", m.uuid) if m else None
        return open_attachments(self, self.ctx, owner, self.tr("{0}的附件").format(m.name if m else ""))

    def current_member(self) -> Member | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        member: Member | None = index.siblingAtColumn(0).data(MEMBER_ROLE)
        return member

    def select_member(self, uuid: str) -> None:
        row = self.model.row_of(uuid)
        if row < 0:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _focus_table(self) -> None:
        self.table.setFocus()
        if not self.table.currentIndex().isValid() and self.proxy.rowCount():
            self.table.setCurrentIndex(self.proxy.index(0, 0))

    # --- actions ----------------------------------------------------------------------------------------------

    def _open_dialog(self, dialog: FormBase, *, show_saved: bool = True) -> None:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if show_saved:
            dialog.saved.connect(self.show_saved)
        else:
            dialog.saved.connect(lambda m: self.select_member(m.uuid))
        dialog.open()

    def show_saved(self, member: Member) -> None:
        """After a save: the member is shown and selected (the filters are cleared when they would hide them), and
        the status bar confirms it."""
        self.reload()
        if self.model.row_of(member.uuid) < 0:
            self.search.blockSignals(True)
            self.search.clear()
            self.search.blockSignals(False)
            self.apply_filters({"status": member.status if member.status == "active" else "archived"})
        self.select_member(member.uuid)
        self.table.setFocus()
        if member.status == "active":
            self.status_message = self.tr("已保存党员 {0}").format(member.name)
        else:
            self.status_message = self.tr("已保存党员 {0}（{1}）").format(
                member.name, STATUSES[member.status]
            )
        window = self.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(self.status_message, 10000)

    def new_member(self) -> None:
        from desktop.dialogs.member_dialog import MemberDialog

        if self.ctx.db.readonly:
            return
        dialog = MemberDialog(self.ctx, None, self)
        group = self.party_group.currentData()
        if group:
            dialog.party_group.setCurrentIndex(max(dialog.party_group.findData(group), 0))
        self._open_dialog(dialog)

    def open_current(self) -> None:
        from desktop.dialogs.member_dialog import MemberDialog

        member = self.current_member()
        if member is not None:
            self._open_dialog(
                MemberDialog(
                    self.ctx,
                    members_db.get_member(self.ctx.db, uuid=member.uuid),
                    self,
                    reveal=self.reveal.isChecked(),  # already revealed (and audited) in the list
                )
            )

    def archive_current(self) -> None:
        from desktop.dialogs.archive_dialog import ArchiveDialog

        member = self.current_member()
        if member is None or self.ctx.db.readonly:
            return
        self._open_dialog(
            ArchiveDialog(self.ctx, members_db.get_member(self.ctx.db, uuid=member.uuid), self),
            show_saved=False,
        )

    def open_completeness(self) -> QWidget:
        """统计信息补全: the members whose statistical codes are incomplete (non-blocking)."""
        from desktop.dialogs.completeness_dialog import CompletenessDialog

        dialog = CompletenessDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()
        return dialog

    def open_training(self) -> QWidget | None:
        """The selected member's 学时 ledger of the year."""
        from desktop.dialogs.training_dialog import TrainingLedgerDialog, notice

        member = self.current_member()
        if member is None:
            self.dialog = notice(self, self.tr("学时台账"), self.tr("请先在列表中选择一名党员"))
            return None
        dialog = TrainingLedgerDialog(self.ctx, member, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()
        return dialog

    def choose_training_import(self) -> None:
        from desktop.dialogs.training_dialog import choose_training_import

        self.dialog = choose_training_import(self, self.ctx)

    def _reveal_toggled(self, on: bool) -> None:
        """Showing IDs and phones in full is recorded in the audit log first; if it cannot be recorded (a
        read-only database) nothing is revealed."""
        from db import audit
        from db.errors import BranchDeskError

        if on:
            try:
                audit.record_reveal(
                    self.ctx.db,
                    what="citizen_id,mobile",
                    count=len(self.visible_members()),
                    where=self.tr("党员名册"),
                )
            except BranchDeskError as exc:
                from desktop.tasks import show_error

                self.reveal.blockSignals(True)
                self.reveal.setChecked(False)
                self.reveal.blockSignals(False)
                self.reveal_refused = show_error(self, self.tr("显示证件号码"), exc)
                return
        self.model.set_reveal(on)

    def _branch_name(self) -> str:
        branch = branch_db.get_branch(self.ctx.db)
        return branch.name if branch else ""

    def export_xlsx(self, path: Path, *, on_done: Callable[[Path], object] | None = None) -> Task[Path]:
        """Write the current view to ``path`` in the background; returns the Task (tests wait on ``finished``)."""
        from db.reports import write_roster_xlsx
        from desktop.tasks import Progress, run_in_background

        members = self.visible_members()
        reveal = self.reveal.isChecked()
        branch_name = self._branch_name()

        def work(progress: Progress) -> Path:
            # Works on the records already read: no database connection is needed in the worker.
            progress.report(0, 1, self.tr("正在写入 {0} 名党员…").format(len(members)))
            return write_roster_xlsx(path, members=members, reveal=reveal, branch_name=branch_name)

        def done(result: Path) -> None:
            from db import audit
            from db.errors import BranchDeskError

            try:
                audit.record_export(
                    self.ctx.db,
                    what=self.tr("党员名册") + (self.tr("（完整证件号码）") if reveal else ""),
                    path=str(result),
                    count=len(members),
                )
            except BranchDeskError:
                pass  # a read-only database cannot hold the entry; the file is written all the same
            window = self.window()
            if hasattr(window, "statusBar"):
                window.statusBar().showMessage(self.tr("已导出到 {0}").format(result), 15000)
            if on_done is not None:
                on_done(result)

        return run_in_background(self, title=self.tr("导出党员名册"), fn=work, on_done=done)

    def choose_export(self) -> None:
        self.dialog = save_dialog(
            self,
            self.tr("导出党员名册"),
            "党员名册.xlsx",
            self.tr("Excel 工作簿 (*.xlsx)"),
            self.export_xlsx,
        )

    def print_preview(self) -> None:
        from desktop.printing.roster import preview_roster

        dialog = preview_roster(self, self.visible_members(), self._branch_name())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()

    # --- column widths ----------------------------------------------------------------------------------------

    def column_menu(self, pos: QPoint | None = None) -> QMenu:
        """The header's menu: show or hide the statistical columns and 学时 (kept with the column widths)."""
        header = self.table.horizontalHeader()
        menu = QMenu(self)
        for key in OPTIONAL_COLUMNS:
            col = COLUMN_KEYS.index(key)
            action = menu.addAction(str(self.model.headerData(col, Qt.Orientation.Horizontal)))
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(col))
            action.toggled.connect(lambda on, c=col: self._show_column(c, on))
        if pos is not None:
            menu.popup(header.mapToGlobal(pos))
        return menu

    def _show_column(self, col: int, on: bool) -> None:
        self.table.horizontalHeader().setSectionHidden(col, not on)
        self._save_columns()

    def _restore_columns(self) -> None:
        state = QSettings().value(_SETTINGS_HEADER)
        header = self.table.horizontalHeader()
        if state is None or not header.restoreState(state):
            # Every column in sight at 1366×768 and on a 1280-wide screen at 150% (状态 shows only where it varies);
            # 学历分类 and 一线 are shown from the header's menu.
            widths = (64, 40, 90, 150, 70, 80, 100, 116, 80, 100, 100, 64, 56, 72, 56, 36, 44)
            for col, width in enumerate(widths):
                header.resizeSection(col, width)
            for key in ("education_class", "front_line"):
                header.setSectionHidden(COLUMN_KEYS.index(key), True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)

    def _save_columns(self) -> None:
        QSettings().setValue(_SETTINGS_HEADER, self.table.horizontalHeader().saveState())
