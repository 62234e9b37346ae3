"""首页: the first-run choice on an empty database, otherwise the secretary's dashboard.

First run offers two big buttons: set up my branch (the settings page) or open the demo branch in its own database
and window (``desktop.main_window.open_demo``).

The dashboard shows, in one glance: the member counts, this month's and this quarter's meetings (held of
required), the dues collected this month, projects by status, open and overdue findings and the development
pipeline by stage — each figure a button opening the page behind it, filtered (``ctx.navigate``); the branch-size
warnings; the reminders of every part (``db.reminders.gather``; a click opens where to act); three small charts
(QPainter, ``desktop.widgets.charts``): meetings held vs required over 12 months, the dues collection rate by month
and projects by category; and the 月度报送 button opening the guided monthly close.

The figures come from ``dashboard_tiles(db, today=...)`` so tests can compare them with the pages they open.
The day it counts against is ``today()`` (``BasePage``: the real today unless pinned with ``today=``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from db import branch as branch_db
from db import completeness, reminders
from db import members as members_db
from db.compliance import compliance
from db.development import STAGES, stage_counts
from db.dues import month_key, month_totals, months_totals
from db.projects import (
    CATEGORIES,
    PROJECT_STATUSES,
    finding_status_counts,
    list_projects,
    project_status_counts,
)
from db.rules import add_months, date_text
from db.store import Database
from db.transfers import list_mobile_periods
from desktop.changes import Change
from desktop.context import AppContext
from desktop.models.reminders import RECORD_ROLE, SORT_ROLE, ReminderModel
from desktop.pages import BasePage
from desktop.qt import *
from desktop.widgets.charts import BarChart, Series


@dataclass(frozen=True)
class Tile:
    """One dashboard figure: ``value`` (the number shown first), ``text`` (as shown), where a click goes."""

    key: str
    section: str
    title: str
    value: int
    text: str
    page: str
    filters: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    extra: int | None = None  # the "of" number (required meetings, members who owe)

    @classmethod
    def count(
        cls, key: str, section: str, title: str, value: int, page: str, filters: dict[str, Any]
    ) -> Tile:
        """A tile that shows a plain count."""
        return cls(key, section, title, value, str(value), page, filters)


SECTIONS = (
    ("members", "党员"),
    ("meetings", "组织生活"),
    ("dues", "党费"),
    ("projects", "项目"),
    ("findings", "检查整改"),
    ("development", "发展党员"),
)


def _month_start(d: date) -> date:
    return d.replace(day=1)


def meetings_required_held(
    db: Database, *, period: str, year: int, number: int, today: date
) -> tuple[int, int]:
    """(required, held) over a month or quarter: the windows of the kinds due at least that often that have
    started by ``today``, and how many of them had a meeting (``db.compliance.compliance``)."""
    frequencies = {"month": ("month",), "quarter": ("month", "quarter")}[period]
    rows = [
        r
        for r in compliance(db, period=period, year=year, number=number, today=today, heart_talks=False)
        if r.frequency in frequencies
    ]
    return sum(r.required for r in rows), sum(r.satisfied for r in rows)


def dashboard_tiles(db: Database, *, today: date) -> list[Tile]:
    """Every dashboard figure on ``today``, in display order. Parts not built yet are left out."""
    tiles: list[Tile] = []
    counts = members_db.count_members(db)
    for key, title, filters in (
        ("active", "在册党员", {"status": "active"}),
        ("full", "正式党员", {"status": "active", "category": "full"}),
        ("probationary", "预备党员", {"status": "active", "category": "probationary"}),
    ):
        tiles.append(Tile.count(key, "members", title, counts[key], "members", filters))
    mobile = len(list_mobile_periods(db, current_only=True))
    tiles.append(Tile.count("mobile", "members", "流动党员", mobile, "transfers", {"view": "mobile"}))
    archived_year = sum(
        1
        for m in members_db.list_members(db, status=None)
        if m.status != "active" and m.status_on is not None and m.status_on.year == today.year
    )
    tiles.append(
        Tile.count(
            "archived",
            "members",
            "本年转出减员",
            archived_year,
            "members",
            {"status": "archived", "left_in_year": today.year},
        )
    )
    # Members the yearly statistics cannot place yet (issue 19): opens the completeness list.
    tiles.append(
        Tile.count(
            "codes_incomplete",
            "members",
            "统计信息待补全",
            completeness.count_incomplete(db),
            "members",
            {"view": "codes"},
        )
    )
    quarter = (today.month - 1) // 3 + 1
    for key, title, period, number in (
        ("meetings_month", "本月已开/应开", "month", today.month),
        ("meetings_quarter", "本季已开/应开", "quarter", quarter),
    ):
        required, held = meetings_required_held(
            db, period=period, year=today.year, number=number, today=today
        )
        tiles.append(
            Tile(
                key,
                "meetings",
                title,
                held,
                f"{held}/{required}",
                "meetings",
                {
                    "tab": "compliance",
                    "period": period,
                    "period_year": today.year,
                    "period_number": number,
                },
                required,
            )
        )
    from db.rules import fen_to_yuan_text

    t = month_totals(db, month=_month_start(today))
    filters = {"month": month_key(today), "tab": "ledger"}
    tiles.append(
        Tile(
            "dues_amount",
            "dues",
            "本月已收(元)",
            t.paid_fen,
            fen_to_yuan_text(t.paid_fen),
            "dues",
            filters,
        )
    )
    tiles.append(
        Tile(
            "dues_members",
            "dues",
            "已交/应交(人)",
            t.members_paid,
            f"{t.members_paid}/{t.members_due}",
            "dues",
            filters,
            t.members_due,
        )
    )
    by_status = project_status_counts(db)
    for status, label in PROJECT_STATUSES.items():
        tiles.append(
            Tile.count(
                f"project_{status}",
                "projects",
                label,
                by_status[status],
                "projects",
                {"tab": "projects", "status": status},
            )
        )
    f = finding_status_counts(db, today=today)
    tiles.append(
        Tile.count(
            "findings_open",
            "findings",
            "待整改",
            f["open"],
            "projects",
            {"tab": "findings", "status": "open"},
        )
    )
    tiles.append(
        Tile.count(
            "findings_overdue",
            "findings",
            "逾期未整改",
            f["overdue"],
            "projects",
            {"tab": "findings", "status": "open"},
        )
    )
    stages = stage_counts(db)
    for stage, label in STAGES.items():
        tiles.append(
            Tile.count(f"stage_{stage}", "development", label, stages[stage], "development", {"stage": stage})
        )
    return tiles


def chart_data(db: Database, *, today: date) -> dict[str, tuple[list[str], list[Series]]]:
    """The charts' data: ``meetings`` (12 months required vs held), ``dues`` (collection rate by month, %),
    ``projects`` (projects by category: all vs done)."""
    months = [add_months(_month_start(today), -i) for i in range(11, -1, -1)]
    labels = [f"{m.month}月" for m in months]
    out: dict[str, tuple[list[str], list[Series]]] = {}
    pairs = [
        meetings_required_held(db, period="month", year=m.year, number=m.month, today=today) for m in months
    ]
    out["meetings"] = (
        labels,
        [
            Series("应开", "#adb5bd", tuple(float(r) for r, _ in pairs)),
            Series("已开", "#c8102e", tuple(float(h) for _, h in pairs)),
        ],
    )
    rates = [
        100.0 * t.members_paid / t.members_due if t.members_due else 0.0
        for t in months_totals(db, months=months)
    ]
    out["dues"] = (labels, [Series("交纳率", "#d4a017", tuple(rates))])
    projects = list_projects(db)
    all_ = Counter(p.category for p in projects)
    done = Counter(p.category for p in projects if p.status == "done")
    out["projects"] = (
        list(CATEGORIES.values()),
        [
            Series("全部", "#6c8ebf", tuple(float(all_[c]) for c in CATEGORIES)),
            Series("已完成", "#2e7d32", tuple(float(done[c]) for c in CATEGORIES)),
        ],
    )
    return out


class Page(BasePage):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(ctx, parent, today=today)
        self.close_dialog: QWidget | None = None
        self._stack = QStackedLayout(self)

        # --- first run ---
        self.first_run = QWidget(self)
        fl = QVBoxLayout(self.first_run)
        fl.setContentsMargins(80, 60, 80, 60)
        welcome = QLabel(self.tr("欢迎使用支部工作台"), self.first_run)
        welcome.setStyleSheet("font-size: 22pt; font-weight: bold;")
        fl.addWidget(welcome)
        intro = QLabel(
            self.tr("这是一个新的数据库，还没有支部信息和党员。请选择开始的方式："), self.first_run
        )
        intro.setStyleSheet("font-size: 12pt;")
        fl.addWidget(intro)
        fl.addSpacing(20)
        self.setup_button = QCommandLinkButton(
            self.tr("设置我的支部"),
            self.tr("依次：填写支部名称和上级党委 → 建立党小组 → 录入党员 → 任命支委（支委须从党员中任命）"),
            self.first_run,
        )
        self.demo_button = QCommandLinkButton(
            self.tr("打开演示支部"),
            self.tr("在单独的演示数据库中打开一个有 40 名党员的虚构支部，先熟悉各项功能；不影响您自己的数据"),
            self.first_run,
        )
        for button in (self.setup_button, self.demo_button):
            button.setMinimumHeight(90)
            button.setStyleSheet("font-size: 14pt;")
            fl.addWidget(button)
        fl.addStretch(1)
        self.setup_button.clicked.connect(lambda: self.ctx.navigate("settings"))
        self.demo_button.clicked.connect(self.open_demo)
        self._stack.addWidget(self.first_run)

        # --- dashboard ---
        self.dashboard_scroll = QScrollArea(self)
        self.dashboard_scroll.setWidgetResizable(True)
        self.dashboard_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.overview = QWidget(self.dashboard_scroll)
        self.dashboard_scroll.setWidget(self.overview)
        ol = QVBoxLayout(self.overview)
        ol.setContentsMargins(16, 10, 16, 10)
        ol.setSpacing(8)

        header = QHBoxLayout()
        titles = QVBoxLayout()
        self.branch_label = QLabel(self.overview)
        self.branch_label.setStyleSheet("font-size: 17pt; font-weight: bold;")
        titles.addWidget(self.branch_label)
        self.parent_label = QLabel(self.overview)
        self.parent_label.setStyleSheet("color: #495057;")
        titles.addWidget(self.parent_label)
        header.addLayout(titles, 1)
        self.close_button = QPushButton(self.tr("月度报送…"), self.overview)
        self.close_button.setObjectName("monthly_close")
        self.close_button.setToolTip(self.tr("检查本月会议、党费、项目，导出月度报送工作簿并标记为已报送"))
        self.close_button.setMinimumHeight(40)
        self.close_button.setStyleSheet("font-size: 12pt; padding: 4px 18px;")
        self.close_button.clicked.connect(self.open_monthly_close)
        header.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        ol.addLayout(header)

        self.warnings_frame = QFrame(self.overview)
        self.warnings_frame.setStyleSheet(
            "QFrame { background: #fff3cd; border-radius: 4px; } QLabel { color: #664d03; padding: 2px; }"
        )
        self.warnings_layout = QVBoxLayout(self.warnings_frame)
        self.warnings_layout.setContentsMargins(6, 2, 6, 2)
        ol.addWidget(self.warnings_frame)

        # figures: two rows of section boxes, each a row of tile buttons (rows stretch by their tile count)
        self.figure_rows = (QHBoxLayout(), QHBoxLayout())
        self.section_boxes: dict[str, QGroupBox] = {}
        for i, (key, title) in enumerate(SECTIONS):
            box = QGroupBox(self.tr(title), self.overview)
            box_layout = QHBoxLayout()
            box.setLayout(box_layout)
            box_layout.setContentsMargins(6, 2, 6, 6)
            box_layout.setSpacing(4)
            self.section_boxes[key] = box
            self.figure_rows[i // 3].addWidget(box)
        for row in self.figure_rows:
            ol.addLayout(row)
        self.tiles: dict[str, Tile] = {}
        self.tile_buttons: dict[str, QPushButton] = {}
        # the member tiles under their historical name (the first-run tests and the shell use it)
        self.count_buttons: dict[str, QPushButton] = {}

        # reminders (left) and charts (right)
        lower = QHBoxLayout()
        left = QVBoxLayout()
        self.reminders_label = QLabel(self.overview)
        self.reminders_label.setStyleSheet("font-weight: bold;")
        left.addWidget(self.reminders_label)
        self.reminder_model = ReminderModel(self)
        self.reminder_proxy = QSortFilterProxyModel(self)
        self.reminder_proxy.setSourceModel(self.reminder_model)
        self.reminder_proxy.setSortRole(SORT_ROLE)
        self.reminders_view = QTableView(self.overview)
        self.reminders_view.setModel(self.reminder_proxy)
        self.reminders_view.setSortingEnabled(True)
        self.reminders_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.reminders_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.reminders_view.setWordWrap(False)
        self.reminders_view.verticalHeader().setVisible(False)
        self.reminders_view.setToolTip(self.tr("单击（或回车）打开要处理的页面"))
        hh = self.reminders_view.horizontalHeader()
        hh.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for col in (0, 2, 3):
            hh.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.reminders_view.setMinimumHeight(200)
        self.reminders_view.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # urgent first, then oldest
        self.reminders_view.clicked.connect(self.open_reminder)
        self.reminders_view.activated.connect(self.open_reminder)
        left.addWidget(self.reminders_view, 1)
        lower.addLayout(left, 3)
        charts = QVBoxLayout()
        self.charts = {
            "meetings": BarChart(self.tr("近 12 个月会议：应开 / 已开"), self.overview),
            "dues": BarChart(self.tr("近 12 个月党费交纳率"), self.overview, percent=True),
            "projects": BarChart(self.tr("项目按类别"), self.overview),
        }
        for chart in self.charts.values():
            charts.addWidget(chart)
        lower.addLayout(charts, 2)
        ol.addLayout(lower, 1)
        self._stack.addWidget(self.dashboard_scroll)

        # A change elsewhere refreshes the dashboard now if it is shown, otherwise when it is shown next (a refresh
        # reads every part: ~0.25 s on a 400-member branch, not worth paying on each save of another page). The
        # first refresh waits for the first show too: a start that goes straight to another page skips it.
        self._stale = True
        ctx.changed.connect(self._data_changed)

    # --- state -----------------------------------------------------------------------------------------------

    def _data_changed(self, _change: Change) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: Any) -> None:  # Qt API name
        if self._stale:
            self.refresh()
        super().showEvent(event)

    def is_first_run(self) -> bool:
        return self._stack.currentWidget() is self.first_run

    def refresh(self) -> None:
        self._stale = False
        db = self.ctx.db
        if branch_db.is_empty(db):
            self._stack.setCurrentWidget(self.first_run)
            return
        self._stack.setCurrentWidget(self.dashboard_scroll)
        today = self.today()
        branch = branch_db.get_branch(db)
        self.branch_label.setText(branch.name if branch else self.tr("（尚未设置支部名称）"))
        parent = self.tr("上级党委：{0}").format(branch.parent_org) if branch and branch.parent_org else ""
        self.parent_label.setText(
            "　".join(x for x in (parent, self.tr("今天：{0}").format(date_text(today))) if x)
        )
        self._fill_tiles(dashboard_tiles(db, today=today))
        self._fill_warnings(members_db.branch_size_warnings(db))
        self._fill_reminders(today)
        for key, (labels, series) in chart_data(db, today=today).items():
            self.charts[key].set_data(labels, series)
        for key, chart in self.charts.items():
            chart.setVisible(bool(chart.categories))

    def _fill_tiles(self, tiles: list[Tile]) -> None:
        fresh = {t.key: t for t in tiles}
        if list(fresh) != list(self.tiles):
            for button in self.tile_buttons.values():
                button.deleteLater()
            self.tile_buttons.clear()
            self.count_buttons.clear()
            for t in tiles:
                box = self.section_boxes[t.section]
                button = QPushButton(box)
                button.setObjectName(f"tile_{t.key}")
                button.setMinimumSize(80, 54)
                button.setCursor(Qt.CursorShape.PointingHandCursor)
                button.setStyleSheet("QPushButton { font-size: 10pt; padding: 2px 6px; }")
                button.clicked.connect(lambda _=False, k=t.key: self.open_tile(k))
                box_layout = box.layout()
                assert box_layout is not None  # set when the section boxes are built
                box_layout.addWidget(button)
                self.tile_buttons[t.key] = button
                if t.section == "members":
                    self.count_buttons[t.key] = button
            for i, (key, _title) in enumerate(SECTIONS):
                n = sum(1 for t in tiles if t.section == key)
                self.section_boxes[key].setVisible(n > 0)
                row = self.figure_rows[i // 3]
                row.setStretch(row.indexOf(self.section_boxes[key]), n)
        self.tiles = fresh
        for t in tiles:
            button = self.tile_buttons[t.key]
            button.setText(f"{t.text}\n{self.tr(t.title)}")
            button.setProperty("title", t.title)
            button.setToolTip(self.tr("打开{0}").format(self.tr(t.title)))

    def _fill_warnings(self, warnings: list[str]) -> None:
        while self.warnings_layout.count():
            item = self.warnings_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget:
                widget.deleteLater()
        for text in warnings:
            label = QLabel("⚠ " + text, self.warnings_frame)
            label.setWordWrap(True)
            self.warnings_layout.addWidget(label)
        self.warnings_frame.setVisible(bool(warnings))

    def _fill_reminders(self, today: date) -> None:
        # the branch-size warnings have their own banner above
        rows = [r for r in reminders.gather(self.ctx.db, today=today) if r.kind != "branch_size"]
        self.reminder_model.set_reminders(rows)
        n = reminders.counts(rows)
        self.reminders_label.setText(
            self.tr("提醒事项：紧急 {0} 项，一般 {1} 项").format(n["urgent"], n["normal"])
        )

    # --- actions ---------------------------------------------------------------------------------------------

    def open_tile(self, key: str) -> None:
        tile = self.tiles[key]
        self.ctx.navigate(tile.page, dict(tile.filters))

    def open_reminder(self, index: Any) -> None:
        r = index.siblingAtColumn(0).data(RECORD_ROLE) if index.isValid() else None
        if r is not None:
            self.ctx.navigate(r.page, dict(r.filters))

    def open_monthly_close(self) -> QWidget:
        """Open the guided monthly close (non-blocking) and return it."""
        from desktop.dialogs.monthly_close import MonthlyCloseDialog

        dialog = MonthlyCloseDialog(self.ctx, self, today=self.today())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.close_dialog = dialog
        dialog.open()
        return dialog

    def open_demo(self):  # type: ignore[no-untyped-def]
        """Open the demo branch in its own database and window (the main window's ``open_demo``); this database is
        never touched. Returns the demo's window (None when it could not be opened or the page has no window)."""
        opener = getattr(self.window(), "open_demo", None)
        return opener() if callable(opener) else None
