"""首页: the first-run choice on an empty database, otherwise a simple overview of the branch.

First run offers two big buttons: set up my branch (the settings page) or open a demo branch (``db.demo.generate``).
The overview shows the branch name, the member counts (each opens the roster filtered to it) and the branch-size
warnings. The full dashboard comes later.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from db import branch as branch_db
from db import members as members_db
from desktop.context import AppContext
from desktop.pages import BasePage


class Page(BasePage):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._stack = QStackedLayout(self)

        # --- first run ---
        self.first_run = QWidget(self)
        fl = QVBoxLayout(self.first_run)
        fl.setContentsMargins(80, 60, 80, 60)
        welcome = QLabel(self.tr("欢迎使用支部工作台"), self.first_run)
        welcome.setStyleSheet("font-size: 22pt; font-weight: bold;")
        fl.addWidget(welcome)
        intro = QLabel(self.tr("这是一个新的数据库，还没有支部信息和党员。请选择开始的方式："), self.first_run)
        intro.setStyleSheet("font-size: 12pt;")
        fl.addWidget(intro)
        fl.addSpacing(20)
        self.setup_button = QCommandLinkButton(
            self.tr("设置我的支部"), self.tr("填写支部名称、上级党委、支委和党小组，然后录入党员"), self.first_run
        )
        self.demo_button = QCommandLinkButton(
            self.tr("打开演示支部"), self.tr("生成一个有 40 名党员的演示支部，先熟悉各项功能（数据均为虚构）"),
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

        # --- overview ---
        self.overview = QWidget(self)
        ol = QVBoxLayout(self.overview)
        ol.setContentsMargins(40, 30, 40, 30)
        self.branch_label = QLabel(self.overview)
        self.branch_label.setStyleSheet("font-size: 20pt; font-weight: bold;")
        ol.addWidget(self.branch_label)
        self.parent_label = QLabel(self.overview)
        ol.addWidget(self.parent_label)
        ol.addSpacing(16)
        grid = QGridLayout()
        self.count_buttons: dict[str, QPushButton] = {}
        tiles = (
            ("active", self.tr("在册党员"), {"status": "active"}),
            ("full", self.tr("正式党员"), {"status": "active", "category": "full"}),
            ("probationary", self.tr("预备党员"), {"status": "active", "category": "probationary"}),
            ("archived", self.tr("已转出/已减员"), {"status": "archived"}),
        )
        for col, (key, title, filters) in enumerate(tiles):
            button = QPushButton(self.overview)
            button.setObjectName(f"count_{key}")
            button.setMinimumSize(160, 90)
            button.setStyleSheet("font-size: 13pt;")
            button.setToolTip(self.tr("打开党员名册：{0}").format(title))
            button.setProperty("title", title)
            button.clicked.connect(lambda _=False, f=filters: self.ctx.navigate("members", f))
            grid.addWidget(button, 0, col)
            self.count_buttons[key] = button
        ol.addLayout(grid)
        ol.addSpacing(16)
        self.warnings_frame = QFrame(self.overview)
        self.warnings_frame.setStyleSheet("QFrame { background: #fff3cd; border-radius: 4px; } "
                                          "QLabel { color: #664d03; padding: 4px; }")
        self.warnings_layout = QVBoxLayout(self.warnings_frame)
        ol.addWidget(self.warnings_frame)
        ol.addStretch(1)
        self._stack.addWidget(self.overview)

        ctx.changed.connect(lambda _part: self.refresh())
        self.refresh()

    def is_first_run(self) -> bool:
        return self._stack.currentWidget() is self.first_run

    def refresh(self) -> None:
        db = self.ctx.db
        if branch_db.is_empty(db):
            self._stack.setCurrentWidget(self.first_run)
            return
        self._stack.setCurrentWidget(self.overview)
        branch = branch_db.get_branch(db)
        self.branch_label.setText(branch.name if branch else self.tr("（尚未设置支部名称）"))
        self.parent_label.setText(self.tr("上级党委：{0}").format(branch.parent_org) if branch and branch.parent_org
                                  else "")
        counts = members_db.count_members(db)
        for key, button in self.count_buttons.items():
            button.setText(f"{counts[key]}\n{button.property('title')}")
        while self.warnings_layout.count():
            item = self.warnings_layout.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        warnings = members_db.branch_size_warnings(db)
        for text in warnings:
            label = QLabel("⚠ " + text, self.warnings_frame)
            label.setWordWrap(True)
            self.warnings_layout.addWidget(label)
        self.warnings_frame.setVisible(bool(warnings))

    def open_demo(self) -> None:
        """Fill this (empty) database with the demo branch, then show the roster."""
        from PySide6.QtWidgets import QApplication

        from db import demo
        from db.errors import BranchDeskError
        from desktop.tasks import show_error

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            # 40 members take well under a second; generate() is one transaction, so a failure leaves nothing.
            demo.generate(self.ctx.db, members=40, seed=1)
        except BranchDeskError as exc:
            show_error(self, self.tr("打开演示支部"), exc)
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.ctx.notify("members")
        self.ctx.notify("branch")
        self.ctx.navigate("members")
