"""项目与整改: the projects page, with two tabs — 项目 (every kind of project) and 检查整改 (inspection findings).

At the top, the figures HQ asks for over a chosen period (``db.projects.project_figures``). Each tab has a search
box, filters (类型/类别/状态/年度/人员 for projects; 状态/年度/责任人 for findings), the status counts at a glance,
a sortable table (overdue rows in red) and 新建 (Ctrl+N), 导出 Excel, 导出 PDF and 打印 (Ctrl+P). Enter or a
double-click opens the record's dialog. Filters from other pages (reminders): ``{"tab": "projects"|"findings",
"uuid": …, "kind", "category", "status", "year", "owner"}``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from db import branch as branch_db
from db import members as members_db
from db import projects as projects_db
from db.projects import CATEGORIES, FINDING_STATUSES, KINDS, PROJECT_STATUSES
from desktop.changes import Change
from desktop.context import AppContext, Filters
from desktop.dialogs.form import to_date
from desktop.dialogs.project_common import date_edit
from desktop.models.projects import RECORD_ROLE, SORT_ROLE, FindingsModel, ProjectsModel
from desktop.pages import BasePage
from desktop.qt import *
from desktop.widgets.attachments import AttachmentsDialog, open_attachments
from desktop.widgets.combos import refill_choices
from desktop.widgets.files import save_dialog
from desktop.widgets.only_bar import OnlyBar
from desktop.widgets.shortcuts import open_on_enter, page_shortcuts
from desktop.widgets.tables import fit_columns, record_table

PROJECTS_TAB, FINDINGS_TAB = 0, 1


def _combo(name: str, blank: str, choices: dict[Any, str]) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    combo.addItem(blank, None)
    for key, label in choices.items():
        combo.addItem(label, key)
    return combo


def _table(name: str, model: Any, parent: QWidget) -> tuple[QTableView, QSortFilterProxyModel]:
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    proxy.setSortLocaleAware(True)
    table = record_table(parent, proxy, name)
    table.horizontalHeader().setStretchLastSection(True)
    return table, proxy


# What this page shows comes from these parts; a change to any of them refreshes it.
_REFRESH_ON = frozenset({Change.PROJECTS, Change.EXCHANGE, Change.MEMBERS, Change.TRANSFERS})


class Page(BasePage):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(ctx, parent, today=today)
        self.dialog: QWidget | None = None  # the dialog opened last (tests drive it)
        self.last_export: Any = None  # the background export task started last (tests wait on it)

        # --- figures -------------------------------------------------------------------------------------
        figures_box = QGroupBox(self.tr("统计（上级要求的口径）"), self)
        self.period_start = date_edit(date(self.today().year, 1, 1))
        self.period_end = date_edit(self.today())
        self.period_start.setObjectName("period_start")
        self.period_end.setObjectName("period_end")
        self.figures_labels: list[QLabel] = []
        grid = QGridLayout(figures_box)
        period = QHBoxLayout()
        period.addWidget(QLabel(self.tr("统计期间")))
        period.addWidget(self.period_start)
        period.addWidget(QLabel(self.tr("至")))
        period.addWidget(self.period_end)
        period.addStretch(1)
        grid.addLayout(period, 0, 0, 1, 2)
        for i in range(7):
            label = QLabel(figures_box)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(label, 1 + i // 2, i % 2)
            self.figures_labels.append(label)
        self.period_start.dateChanged.connect(lambda _d: self.show_figures())
        self.period_end.dateChanged.connect(lambda _d: self.show_figures())

        # --- tabs ----------------------------------------------------------------------------------------
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._build_projects_tab(), self.tr("项目"))
        self.tabs.addTab(self._build_findings_tab(), self.tr("检查整改"))

        layout = QVBoxLayout(self)
        layout.addWidget(figures_box)
        layout.addWidget(self.tabs, 1)

        page_shortcuts(
            self,
            (QKeySequence.StandardKey.New, self.new_record),
            (QKeySequence.StandardKey.Print, self.print_preview),
            (QKeySequence.StandardKey.Find, self.focus_search),
        )
        for table, slot in (
            (self.projects_table, self.open_project),
            (self.findings_table, self.open_finding),
        ):
            table.doubleClicked.connect(lambda _i, s=slot: s())
            open_on_enter(table, slot)
        if ctx.db.readonly:
            self.new_project_button.setEnabled(False)
            self.new_finding_button.setEnabled(False)
        self.refresh_on(_REFRESH_ON)
        self.refresh()

    def _build_projects_tab(self) -> QWidget:
        tab = QWidget(self)
        self.project_search = QLineEdit(tab)
        self.project_search.setObjectName("project_search")
        self.project_search.setClearButtonEnabled(True)
        self.project_search.setPlaceholderText(self.tr("搜索：项目名称、地点、人员（Ctrl+F）"))
        self.kind = _combo("kind", self.tr("全部类型"), KINDS)
        self.category = _combo("category", self.tr("全部类别"), CATEGORIES)
        self.status = _combo("status", self.tr("全部状态"), PROJECT_STATUSES)
        self.status.addItem(self.tr("超期未完成"), "overdue")
        self.year = _combo(
            "year", self.tr("全部年度"), {y: f"{y}年" for y in range(self.today().year + 1, 2014, -1)}
        )
        self.member = QComboBox(tab)
        self.member.setObjectName("member")
        filters = QHBoxLayout()
        filters.addWidget(self.project_search, 3)
        for w in (self.kind, self.category, self.status, self.year, self.member):
            filters.addWidget(w, 1)
        self.project_counts = QLabel(tab)
        self.project_counts.setObjectName("project_counts")
        self.new_project_button = QPushButton(self.tr("新建项目"), tab)
        self.new_project_button.setToolTip("Ctrl+N")
        self.export_projects_button = QPushButton(self.tr("导出 Excel"), tab)
        self.pdf_projects_button = QPushButton(self.tr("导出 PDF"), tab)
        self.print_projects_button = QPushButton(self.tr("打印"), tab)
        self.print_projects_button.setToolTip("Ctrl+P")
        self.files_project_button = QPushButton(self.tr("附件…"), tab)
        self.files_project_button.setToolTip(self.tr("所选项目的立项书、照片等附件"))
        self.files_project_button.clicked.connect(self.open_project_attachments)
        actions = QHBoxLayout()
        actions.addWidget(self.project_counts, 1)
        for b in (
            self.new_project_button,
            self.files_project_button,
            self.export_projects_button,
            self.pdf_projects_button,
            self.print_projects_button,
        ):
            actions.addWidget(b)
        self.projects_model = ProjectsModel(self, today=self.today())
        self.projects_table, self.projects_proxy = _table("projects_table", self.projects_model, tab)
        fit_columns(self.projects_table, stretch=(0, 5, 9))  # 项目名称, 地点, 最新进展 share what is left
        self._only: frozenset[str] | None = None  # 去处理 of the monthly close: only the projects it names
        self.only_bar = OnlyBar(tab)
        self.only_bar.show_all.connect(lambda: self.show_only(None))
        layout = QVBoxLayout(tab)
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(self.only_bar)
        layout.addWidget(self.projects_table, 1)
        self.project_search.textChanged.connect(lambda _t: self.reload_projects())
        for c in (self.kind, self.category, self.status, self.year, self.member):
            c.currentIndexChanged.connect(lambda _i: self.reload_projects())
        self.new_project_button.clicked.connect(self.new_project)
        self.export_projects_button.clicked.connect(lambda: self.choose_export("projects"))
        self.pdf_projects_button.clicked.connect(lambda: self.choose_pdf("projects"))
        self.print_projects_button.clicked.connect(self.print_preview)
        return tab

    def _build_findings_tab(self) -> QWidget:
        tab = QWidget(self)
        self.finding_search = QLineEdit(tab)
        self.finding_search.setObjectName("finding_search")
        self.finding_search.setClearButtonEnabled(True)
        self.finding_search.setPlaceholderText(self.tr("搜索：检查名称、问题、责任人（Ctrl+F）"))
        self.finding_status = _combo("finding_status", self.tr("全部状态"), FINDING_STATUSES)
        self.finding_status.addItem(self.tr("逾期未整改"), "overdue")
        self.finding_year = _combo(
            "finding_year", self.tr("全部年度"), {y: f"{y}年" for y in range(self.today().year, 2014, -1)}
        )
        self.owner = QComboBox(tab)
        self.owner.setObjectName("owner")
        filters = QHBoxLayout()
        filters.addWidget(self.finding_search, 3)
        for w in (self.finding_status, self.finding_year, self.owner):
            filters.addWidget(w, 1)
        self.finding_counts = QLabel(tab)
        self.finding_counts.setObjectName("finding_counts")
        self.new_finding_button = QPushButton(self.tr("登记检查问题"), tab)
        self.new_finding_button.setToolTip("Ctrl+N")
        self.export_findings_button = QPushButton(self.tr("导出 Excel"), tab)
        self.pdf_findings_button = QPushButton(self.tr("导出 PDF"), tab)
        self.print_findings_button = QPushButton(self.tr("打印"), tab)
        self.print_findings_button.setToolTip("Ctrl+P")
        self.files_finding_button = QPushButton(self.tr("附件…"), tab)
        self.files_finding_button.setToolTip(self.tr("所选问题的整改佐证材料"))
        self.files_finding_button.clicked.connect(self.open_finding_attachments)
        actions = QHBoxLayout()
        actions.addWidget(self.finding_counts, 1)
        for b in (
            self.new_finding_button,
            self.files_finding_button,
            self.export_findings_button,
            self.pdf_findings_button,
            self.print_findings_button,
        ):
            actions.addWidget(b)
        self.findings_model = FindingsModel(self, today=self.today())
        self.findings_table, self.findings_proxy = _table("findings_table", self.findings_model, tab)
        fit_columns(self.findings_table, stretch=(1, 2, 8))  # 检查名称, 存在问题, 整改措施
        layout = QVBoxLayout(tab)
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(self.findings_table, 1)
        self.finding_search.textChanged.connect(lambda _t: self.reload_findings())
        for c in (self.finding_status, self.finding_year, self.owner):
            c.currentIndexChanged.connect(lambda _i: self.reload_findings())
        self.new_finding_button.clicked.connect(self.new_finding)
        self.export_findings_button.clicked.connect(lambda: self.choose_export("findings"))
        self.pdf_findings_button.clicked.connect(lambda: self.choose_pdf("findings"))
        self.print_findings_button.clicked.connect(self.print_preview)
        return tab

    # --- loading ------------------------------------------------------------------------------------------

    def _fill_people(self) -> None:
        people = members_db.list_members(self.ctx.db, status=None)
        for combo, blank in ((self.member, self.tr("全部人员")), (self.owner, self.tr("全部责任人"))):
            refill_choices(combo, blank, ((m.name, m.uuid) for m in people))

    def refresh(self) -> None:
        self._fill_people()
        self.reload_projects()
        self.reload_findings()
        self.show_figures()

    def reload_projects(self) -> None:
        status = self.status.currentData()
        found = projects_db.list_projects(
            self.ctx.db,
            kind=self.kind.currentData(),
            category=self.category.currentData(),
            status=None if status == "overdue" else status,
            year=self.year.currentData(),
            member_uuid=self.member.currentData(),
            query=self.project_search.text(),
        )
        if status == "overdue":
            found = [p for p in found if p.is_overdue(self.today())]
        if self._only is not None:
            found = [p for p in found if p.uuid in self._only]
        selected = self.current_project()
        self.projects_model.set_rows(found, today=self.today())
        counts = dict.fromkeys(PROJECT_STATUSES, 0)
        for p in found:
            counts[p.status] += 1
        overdue = sum(p.is_overdue(self.today()) for p in found)
        parts = [f"{PROJECT_STATUSES[k]} {v}" for k, v in counts.items()]
        self.project_counts.setText(
            self.tr("共 {0} 个项目：{1}；超期未完成 {2}").format(len(found), " · ".join(parts), overdue)
        )
        if selected is not None:
            self.select("projects", selected.uuid)

    def reload_findings(self) -> None:
        status = self.finding_status.currentData()
        found = projects_db.list_findings(
            self.ctx.db,
            status=None if status == "overdue" else status,
            year=self.finding_year.currentData(),
            owner_uuid=self.owner.currentData(),
            overdue_on=self.today() if status == "overdue" else None,
            query=self.finding_search.text(),
        )
        selected = self.current_finding()
        self.findings_model.set_rows(found, today=self.today())
        counts = dict.fromkeys(FINDING_STATUSES, 0)
        for f in found:
            counts[f.status] += 1
        overdue = sum(f.is_overdue(self.today()) for f in found)
        self.finding_counts.setText(
            self.tr("共 {0} 个问题：待整改 {1}（逾期 {2}） · 已整改 {3} · 已销号 {4}").format(
                len(found), counts["open"], overdue, counts["rectified"], counts["closed"]
            )
        )
        if selected is not None:
            self.select("findings", selected.uuid)

    def figures(self) -> projects_db.ProjectFigures | None:
        start, end = to_date(self.period_start.date()), to_date(self.period_end.date())
        if end < start:
            return None
        return projects_db.project_figures(self.ctx.db, start=start, end=end)

    def show_figures(self) -> None:
        fig = self.figures()
        if fig is None:
            self.figures_labels[0].setText(self.tr("统计截止日期不能早于开始日期"))
            self.figures_labels[0].setStyleSheet("color: #b02a37;")
            for label in self.figures_labels[1:]:
                label.clear()
            return
        self.figures_labels[0].setStyleSheet("")
        for label, (name, value) in zip(self.figures_labels, projects_db.figures_lines(fig)[1:]):
            label.setText(f"<b>{name}</b>：{value}")

    def show_only(self, uuids: list[str] | None) -> None:
        """Show only these projects (None: all again), with the bar that says so and offers 显示全部."""
        self._only = frozenset(uuids) if uuids is not None else None
        self.only_bar.set_text(
            self.tr("仅显示月度报送检查指出的 {0} 个项目").format(len(self._only))
            if self._only is not None
            else None
        )
        self.reload_projects()

    def apply_filters(self, filters: Filters) -> None:
        tab = filters.get("tab", "projects")
        only = filters.get("projects")
        self._only = frozenset(str(u) for u in only) if isinstance(only, list | tuple) else None
        self.only_bar.set_text(
            self.tr("仅显示月度报送检查指出的 {0} 个项目").format(len(self._only))
            if self._only is not None
            else None
        )
        self.tabs.setCurrentIndex(FINDINGS_TAB if tab == "findings" else PROJECTS_TAB)
        combos: tuple[tuple[str, QComboBox], ...]
        if tab == "findings":
            combos = (("status", self.finding_status), ("year", self.finding_year), ("owner", self.owner))
            search = self.finding_search
        else:
            combos = (
                ("kind", self.kind),
                ("category", self.category),
                ("status", self.status),
                ("year", self.year),
                ("owner", self.member),
            )
            search = self.project_search
        for key, combo in combos:
            combo.blockSignals(True)
            combo.setCurrentIndex(max(combo.findData(filters.get(key)), 0) if filters.get(key) else 0)
            combo.blockSignals(False)
        search.blockSignals(True)
        search.setText(str(filters.get("query", "")))
        search.blockSignals(False)
        self.refresh()
        if filters.get("uuid"):
            self.select(tab, str(filters["uuid"]))

    # --- selection ------------------------------------------------------------------------------------------

    def _current(self, table: QTableView) -> Any:
        index = table.currentIndex()
        return index.siblingAtColumn(0).data(RECORD_ROLE) if index.isValid() else None

    def open_project_attachments(self) -> AttachmentsDialog | None:
        p = self.current_project()
        owner = ("project", p.uuid) if p else None
        return open_attachments(self, self.ctx, owner, self.tr("{0}的附件").format(p.title if p else ""))

    def open_finding_attachments(self) -> AttachmentsDialog | None:
        f = self.current_finding()
        owner = ("finding", f.uuid) if f else None
        return open_attachments(self, self.ctx, owner, self.tr("整改问题的附件"))

    def current_project(self) -> projects_db.Project | None:
        project: projects_db.Project | None = self._current(self.projects_table)
        return project

    def current_finding(self) -> projects_db.Finding | None:
        finding: projects_db.Finding | None = self._current(self.findings_table)
        return finding

    def select(self, tab: str, uuid: str) -> None:
        model, proxy, table = (
            (self.findings_model, self.findings_proxy, self.findings_table)
            if tab == "findings"
            else (self.projects_model, self.projects_proxy, self.projects_table)
        )
        row = model.row_of(uuid)
        if row >= 0:
            index = proxy.mapFromSource(model.index(row, 0))
            table.setCurrentIndex(index)
            table.scrollTo(index)

    def visible(self, tab: str) -> list[Any]:
        """The records of a tab in the order shown (what export and print use)."""
        proxy = self.findings_proxy if tab == "findings" else self.projects_proxy
        return [proxy.index(r, 0).data(RECORD_ROLE) for r in range(proxy.rowCount())]

    def _tab_key(self) -> str:
        return "findings" if self.tabs.currentIndex() == FINDINGS_TAB else "projects"

    def focus_search(self) -> None:
        search = self.finding_search if self._tab_key() == "findings" else self.project_search
        search.setFocus()
        search.selectAll()

    # --- dialogs --------------------------------------------------------------------------------------------

    def _open_dialog(self, dialog: Any, tab: str) -> None:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(lambda r: self.select(tab, r.uuid))
        dialog.open()

    def new_record(self) -> None:
        if self._tab_key() == "findings":
            self.new_finding()
        else:
            self.new_project()

    def new_project(self) -> None:
        from desktop.dialogs.project_dialog import ProjectDialog

        if not self.ctx.db.readonly:
            self._open_dialog(ProjectDialog(self.ctx, None, self, today=self.today()), "projects")

    def open_project(self) -> None:
        from desktop.dialogs.project_dialog import ProjectDialog

        p = self.current_project()
        if p is not None:
            fresh = projects_db.get_project(self.ctx.db, uuid=p.uuid)
            self._open_dialog(ProjectDialog(self.ctx, fresh, self, today=self.today()), "projects")

    def new_finding(self) -> None:
        from desktop.dialogs.finding_dialog import FindingDialog

        if not self.ctx.db.readonly:
            self._open_dialog(FindingDialog(self.ctx, None, self, today=self.today()), "findings")

    def open_finding(self) -> None:
        from desktop.dialogs.finding_dialog import FindingDialog

        f = self.current_finding()
        if f is not None:
            fresh = projects_db.get_finding(self.ctx.db, uuid=f.uuid)
            self._open_dialog(FindingDialog(self.ctx, fresh, self, today=self.today()), "findings")

    # --- export and print -----------------------------------------------------------------------------------

    def _branch_name(self) -> str:
        branch = branch_db.get_branch(self.ctx.db)
        return branch.name if branch else ""

    def export_xlsx(self, tab: str, path: Path, *, on_done: Any = None) -> Any:
        """Write the tab's current view (and the figures) to ``path`` in the background; returns the Task."""
        from desktop.tasks import Progress, run_in_background

        records = self.visible(tab)
        figures = self.figures()
        today = self.today()

        def work(progress: Progress) -> Path:
            # Works on records already read: the worker needs no database connection.
            progress.report(0, 1, self.tr("正在写入 {0} 条记录…").format(len(records)))
            kwargs = {"findings": records} if tab == "findings" else {"projects": records}
            return Path(projects_db.write_ledger_xlsx(path, today=today, figures=figures, **kwargs))

        def done(result: Path) -> None:
            window = self.window()
            if hasattr(window, "statusBar"):
                window.statusBar().showMessage(self.tr("已导出到 {0}").format(result), 15000)
            if on_done is not None:
                on_done(result)

        title = self.tr("导出检查整改台账") if tab == "findings" else self.tr("导出项目台账")
        self.last_export = run_in_background(self, title=title, fn=work, on_done=done)
        return self.last_export

    def write_pdf(self, tab: str, path: Path) -> Path:
        from desktop.printing.projects import write_pdf

        return write_pdf(path, tab, self.visible(tab), self._branch_name(), figures=self.figures())

    def choose_export(self, tab: str) -> None:
        name = "检查整改台账.xlsx" if tab == "findings" else "项目台账.xlsx"
        excel = self.tr("Excel 工作簿 (*.xlsx)")
        self.dialog = save_dialog(
            self, self.tr("导出 Excel"), name, excel, lambda p: self.export_xlsx(tab, p)
        )

    def choose_pdf(self, tab: str) -> None:
        name = "检查整改台账.pdf" if tab == "findings" else "项目台账.pdf"
        pdf = self.tr("PDF 文件 (*.pdf)")
        self.dialog = save_dialog(self, self.tr("导出 PDF"), name, pdf, lambda p: self.write_pdf(tab, p))

    def print_preview(self) -> None:
        from desktop.printing.projects import preview

        tab = self._tab_key()
        dialog = preview(self, tab, self.visible(tab), self._branch_name(), figures=self.figures())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()
