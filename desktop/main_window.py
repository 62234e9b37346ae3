"""The shell: navigation on the left, the pages in a stack, menus and the status bar.

Pages come from ``desktop.navigation.PAGES`` (a part adds its page there); a page's module is imported and the
page built the first time it is shown, so start-up stays quick (the window opens on the home page). Any page can ask for another with
``ctx.navigate("members", {"party_group": uuid})``; the window shows it and hands it the filters.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from db import store
from db.errors import BranchDeskError, DatabaseCorrupt
from desktop import databases
from desktop.changes import Change
from desktop.context import AppContext, Filters
from desktop.navigation import PAGES, page_class
from desktop.pages import BasePage, PageInfo, page_title
from desktop.paths import RESOURCES
from desktop.qt import *

if TYPE_CHECKING:
    from desktop.dialogs.password_dialog import PasswordDialog
    from desktop.dialogs.restore_dialog import RestoreDialog
    from desktop.idle_lock import IdleLock
    from desktop.tasks import Task

log = logging.getLogger(__name__)
_ICONS = RESOURCES / "icons"


class MainWindow(QMainWindow):
    """The main window over one open database (``ctx.db``)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.idle_lock: IdleLock | None = None  # set by desktop.app at start-up
        self.setWindowTitle(self.tr("支部工作台"))
        self._pages: dict[str, BasePage] = {}
        self._open_dialogs: dict[str, QDialog] = {}  # non-modal dialogs kept alive while open (_open_kept)
        self._placeholders: dict[str, QWidget] = {}
        self._infos: list[PageInfo] = []

        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.nav = QListWidget(central)
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(150)
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setStyleSheet(
            "QListWidget#navigation { font-size: 11pt; } QListWidget#navigation::item { padding: 8px 10px; }"
        )
        self.stack = QStackedWidget(central)
        layout.addWidget(self.nav)
        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        self.readonly_banner = QLabel(
            self.tr("只读模式：数据库文件不可写，不能保存任何修改。请把文件复制到可写的位置后再打开。"),
            central,
        )
        self.readonly_banner.setStyleSheet("background: #fff3cd; color: #664d03; padding: 6px;")
        self.readonly_banner.setVisible(bool(getattr(ctx.db, "readonly", False)))
        right.addWidget(self.readonly_banner)
        right.addWidget(self.stack, 1)
        layout.addLayout(right, 1)
        self.setCentralWidget(central)

        for info in PAGES:
            self._infos.append(info)
            item = QListWidgetItem(page_title(info))
            icon_path = _ICONS / info.icon
            if icon_path.exists():
                item.setIcon(QIcon(str(icon_path)))
            item.setData(Qt.ItemDataRole.UserRole, info.key)
            self.nav.addItem(item)
            placeholder = QWidget(self.stack)
            self._placeholders[info.key] = placeholder
            self.stack.addWidget(placeholder)
        self.nav.currentRowChanged.connect(self._row_changed)

        self._build_menus()
        self.db_label = QLabel(self.tr("数据库：{0}").format(ctx.db.path))
        self.statusBar().addWidget(self.db_label, 1)
        if getattr(ctx.db, "readonly", False):
            self.statusBar().addPermanentWidget(QLabel(self.tr("只读")))
        self.backup_label = QLabel(self)
        self.backup_label.setObjectName("last_backup")
        self.statusBar().addPermanentWidget(self.backup_label)
        self.refresh_backup_label()
        ctx.changed.connect(lambda change: self.refresh_backup_label() if change is Change.BACKUPS else None)
        ctx.navigate_requested.connect(self.show_page)
        self._restore_geometry()
        if self._infos:
            self.show_page(self._infos[0].key)

    # --- pages --------------------------------------------------------------------------------------------

    def page_keys(self) -> list[str]:
        """Keys of the pages in navigation order."""
        return [info.key for info in self._infos]

    def page(self, key: str) -> BasePage:
        """The page with this key, built on first use. Raises ``KeyError`` for a page that does not exist."""
        if key in self._pages:
            return self._pages[key]
        placeholder = self._placeholders[key]  # KeyError for a page that does not exist
        page = page_class(key)(self.ctx, self.stack)
        page.setObjectName(f"page_{key}")
        del self._placeholders[key]
        index = self.stack.indexOf(placeholder)
        self.stack.insertWidget(index, page)
        self.stack.removeWidget(placeholder)
        placeholder.deleteLater()
        self._pages[key] = page
        return page

    def current_key(self) -> str | None:
        row = self.nav.currentRow()
        return self._infos[row].key if 0 <= row < len(self._infos) else None

    def show_page(self, key: str, filters: Filters | None = None) -> BasePage | None:
        """Show a page, built on first use (and apply ``filters`` to it); unknown keys are ignored."""
        if key not in self.page_keys():
            log.info("page %s is not available", key)
            return None
        page = self.page(key)
        self.stack.setCurrentWidget(page)
        row = self.page_keys().index(key)
        if self.nav.currentRow() != row:
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(row)
            self.nav.blockSignals(False)
        if filters:
            page.apply_filters(dict(filters))
        return page

    def _row_changed(self, row: int) -> None:
        if 0 <= row < len(self._infos):
            self.show_page(self._infos[row].key)

    # --- menus --------------------------------------------------------------------------------------------

    def open_demo(self) -> Any:
        """打开演示支部 from this window (the home page's button): the demo database in its own window."""
        return open_demo(self)

    def open_scans_dialog(self) -> QDialog:
        """文件 → 导入扫描件…: non-modal; returned for tests."""
        from desktop.dialogs.scans_dialog import ScansDialog

        return self._open_kept(ScansDialog(self.ctx, self))

    def open_bin_dialog(self) -> QDialog:
        """文件 → 附件回收站…: non-modal; returned for tests."""
        from desktop.widgets.attachments import BinDialog

        return self._open_kept(BinDialog(self.ctx, self))

    def open_archive_dialog(self) -> QDialog:
        """文件 → 档案立卷与交接…: non-modal; returned for tests."""
        from desktop.dialogs.archive_volumes import ArchiveVolumesDialog

        return self._open_kept(ArchiveVolumesDialog(self.ctx, self))

    def _open_kept(self, dialog: QDialog) -> QDialog:
        """Open a non-modal dialog, deleted on close, its wrapper kept alive (by its class) while open."""
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._open_dialogs[type(dialog).__name__] = dialog
        dialog.open()
        return dialog

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("文件(&F)"))
        add_database_actions(self, file_menu)  # 新建数据库…, 打开数据库…, 最近打开, 打开演示支部
        self.backup_action = QAction(self.tr("备份数据库(&B)…"), self)
        self.backup_action.triggered.connect(self.backup)
        file_menu.addAction(self.backup_action)
        self.backup_to_action = QAction(self.tr("备份到(&U)…"), self)
        self.backup_to_action.setToolTip(self.tr("把数据库备份到选定的文件夹，例如U盘"))
        self.backup_to_action.triggered.connect(self.choose_backup_folder)
        file_menu.addAction(self.backup_to_action)
        self.restore_action = QAction(self.tr("从备份恢复(&R)…"), self)
        self.restore_action.triggered.connect(self.open_restore_dialog)
        self.restore_action.setEnabled(not getattr(self.ctx.db, "readonly", False))
        file_menu.addAction(self.restore_action)
        self.password_action = QAction(self.tr("数据库密码(&P)…"), self)
        self.password_action.setToolTip(self.tr("设置、更改或取消数据库密码（加密数据库和备份）"))
        self.password_action.triggered.connect(self.open_password_dialog)
        self.password_action.setEnabled(not getattr(self.ctx.db, "readonly", False))
        file_menu.addAction(self.password_action)
        file_menu.addSeparator()
        # Issue 21: signed printouts back to their records by their QR codes; the attachments' 回收站.
        self.scans_action = QAction(self.tr("导入扫描件(&S)…"), self)
        self.scans_action.setToolTip(self.tr("按打印件上的二维码，把扫描或拍照的签字页归档到对应记录"))
        self.scans_action.triggered.connect(self.open_scans_dialog)
        self.scans_action.setEnabled(not getattr(self.ctx.db, "readonly", False))
        file_menu.addAction(self.scans_action)
        self.bin_action = QAction(self.tr("附件回收站(&T)…"), self)
        self.bin_action.triggered.connect(self.open_bin_dialog)
        file_menu.addAction(self.bin_action)
        self.archive_action = QAction(self.tr("档案立卷与交接(&A)…"), self)
        self.archive_action.setToolTip(self.tr("生成年度档案（分卷 PDF、卷内目录）和书记交接材料"))
        self.archive_action.triggered.connect(self.open_archive_dialog)
        file_menu.addAction(self.archive_action)
        file_menu.addSeparator()
        quit_action = QAction(self.tr("退出(&X)"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu(self.tr("帮助(&H)"))
        self.guide_action = QAction(self.tr("使用说明(&G)"), self)
        self.guide_action.setShortcut(QKeySequence.StandardKey.HelpContents)
        self.guide_action.triggered.connect(self.open_guide)
        help_menu.addAction(self.guide_action)
        about = QAction(self.tr("关于支部工作台(&A)"), self)
        about.triggered.connect(self.about)
        help_menu.addAction(about)

    def backup(self) -> None:
        """Back up the database into the backups folder beside it, off the GUI thread."""
        from db import store
        from desktop.tasks import Progress, own_connection, run_in_background

        db = self.ctx.db

        def work(progress: Progress) -> Path:
            progress.report(0, 1, self.tr("正在备份数据库…"))
            with own_connection(db) as own:
                return store.backup_before(own, "manual")

        def done(path: Path) -> None:
            self.statusBar().showMessage(self.tr("已备份到 {0}").format(path), 15000)
            self.refresh_backup_label()

        self._backup_task = run_in_background(self, title=self.tr("备份数据库"), fn=work, on_done=done)

    # --- backups and restore ------------------------------------------------------------------------------

    def refresh_backup_label(self) -> None:
        """Status bar: when the newest automatic backup was taken."""
        from db import backups

        try:
            last = backups.last_backup_time(self.ctx.db.path)
        except OSError:
            last = None
        if last is None:
            self.backup_label.setText(self.tr("尚无备份"))
        else:
            self.backup_label.setText(self.tr("上次备份：{0}").format(last.strftime("%Y-%m-%d %H:%M")))

    def start_daily_backup(self) -> Task[Path | None] | None:
        """The day's automatic backup (once a day, then rotation), off the GUI thread, without a dialog.

        Returns the Task (None on a read-only database)."""
        from db import backups
        from desktop.tasks import Progress, own_connection, run_in_background

        if getattr(self.ctx.db, "readonly", False):
            return None
        db = self.ctx.db

        def work(progress: Progress) -> Path | None:
            with own_connection(db) as own:
                return backups.daily_backup(own)

        def done(path: Path | None) -> None:
            if path is not None:
                self.statusBar().showMessage(self.tr("已完成今天的自动备份"), 10000)
            self.refresh_backup_label()

        def failed(exc: BaseException) -> None:
            from desktop.tasks import error_text

            log.warning("daily backup failed: %s", type(exc).__name__)
            self.statusBar().showMessage(self.tr("今天的自动备份失败：{0}").format(error_text(exc)), 60000)

        self._daily_task = run_in_background(
            self, title=self.tr("自动备份"), fn=work, on_done=done, on_error=failed, show_dialog=False
        )
        return self._daily_task

    def choose_backup_folder(self) -> None:
        """文件 → 备份到…: pick a folder (a USB stick), then back up there."""
        folder = QFileDialog.getExistingDirectory(self, self.tr("选择备份保存的文件夹（例如U盘）"))
        if folder:
            self.backup_to_folder(Path(folder))

    def backup_to_folder(self, folder: Path) -> Task[Path]:
        """A verified backup in ``folder`` off the GUI thread; returns the Task."""
        from db import backups
        from desktop.tasks import Progress, own_connection, run_in_background

        db = self.ctx.db

        def work(progress: Progress) -> Path:
            progress.report(0, 1, self.tr("正在备份到 {0}…").format(folder))
            with own_connection(db) as own:
                return backups.backup_to(own, folder=folder)

        def done(path: Path) -> None:
            self.statusBar().showMessage(self.tr("已备份到 {0}").format(path), 15000)

        self._backup_to_task = run_in_background(self, title=self.tr("备份到…"), fn=work, on_done=done)
        return self._backup_to_task

    def open_password_dialog(self) -> PasswordDialog:
        """文件 → 数据库密码…: set / change / remove the password (non-modal ``open()``); returned for tests."""
        from desktop.dialogs.password_dialog import PasswordDialog

        dialog = PasswordDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._password_dialog = dialog
        dialog.open()
        return dialog

    def open_restore_dialog(self) -> RestoreDialog:
        """文件 → 从备份恢复…: the restore dialog (non-modal ``open()``); returned for tests."""
        from desktop.dialogs.restore_dialog import RestoreDialog

        dialog = RestoreDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.restored.connect(lambda _p: self.refresh_backup_label())
        self._restore_dialog = dialog
        dialog.open()
        return dialog

    def open_guide(self) -> QWidget:
        """帮助 → 使用说明 (F1): the offline guide, non-modal, one window at a time."""
        from desktop.dialogs.guide import GuideDialog

        dialog = getattr(self, "guide_dialog", None)
        if dialog is None:
            dialog = GuideDialog(self)
            self.guide_dialog = dialog
        dialog.show()
        dialog.raise_()
        return dialog

    def about(self) -> QMessageBox:
        import db as db_package

        box = QMessageBox(
            QMessageBox.Icon.Information,
            self.tr("关于支部工作台"),
            self.tr(
                "支部工作台 {0}\n\n党支部书记的离线工作台：党员名册、发展党员、会议记录、党费、项目与报送。\n"
                "数据保存在本机：{1}"
            ).format(db_package.__version__, self.ctx.db.path),
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.open()
        return box

    # --- geometry -----------------------------------------------------------------------------------------

    def _restore_geometry(self) -> None:
        settings = QSettings()
        geometry = settings.value("main_window/geometry")
        if geometry is not None and not self.restoreGeometry(geometry):
            geometry = None
        if geometry is None:
            self.resize(1366, 768)

    def closeEvent(self, event: QCloseEvent) -> None:
        QSettings().setValue("main_window/geometry", self.saveGeometry())
        super().closeEvent(event)


# --- windows on other databases (文件 menu, 打开演示支部) ------------------------------------------------------

_windows: list[MainWindow] = []  # windows opened here, alive until closed


def open_windows() -> list[Any]:
    return list(_windows)


def open_window(path: Path, *, create: bool, parent: QWidget | None = None, demo: bool = False) -> Any:
    """Open the database at ``path`` in a new main window (or raise the window already showing it); returns the
    window, or None when the file was refused (explained in a message box) or the password prompt was left."""
    for window in _windows:
        if databases.same(window.ctx.db.path, path):
            window.showNormal()
            window.raise_()
            window.activateWindow()
            return window
    current = getattr(parent.window(), "ctx", None) if parent is not None else None
    if current is not None and databases.same(current.db.path, path):
        return parent.window()  # type: ignore[union-attr]
    try:
        database = store.open(path, create=create)
    except store.PasswordRequired:
        database, exc, key = databases.ask_password(path)
        if database is None:
            if isinstance(exc, DatabaseCorrupt):
                return _recover(parent, path, exc.message, key)
            if exc is not None:
                databases.refuse(parent, getattr(exc, "message", str(exc)))
            return None
    except DatabaseCorrupt as exc:  # zero bytes, damaged: never written; a restored copy is opened instead
        return _recover(parent, path, exc.message, None)
    except (BranchDeskError, OSError) as exc:
        databases.refuse(
            parent, getattr(exc, "message", None) or databases.tr("无法打开「{0}」：{1}").format(path, exc)
        )
        return None
    if demo:
        try:
            databases.fill_demo(database)
        except BranchDeskError as exc:
            store.close(database)
            databases.refuse(parent, exc.message)
            return None
    return _show(database, path, demo=demo)


def _recover(parent: QWidget | None, path: Path, message: str, key: str | None) -> Any:
    """The recovery dialog for a damaged database; the restored copy (a new file) opens in a window."""
    recovered = databases.recover(parent, path, message, key)
    if recovered is None:
        return None
    return open_window(recovered, create=False, parent=parent)


def _show(database: Any, path: Path, *, demo: bool) -> Any:
    ctx = AppContext(database)
    window = MainWindow(ctx)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    databases.label_window(window, path)
    databases.remember(path)
    _windows.append(window)

    def closed() -> None:
        if window in _windows:
            _windows.remove(window)
        _close(ctx)

    window.destroyed.connect(lambda _obj=None: closed())
    window.show()
    if demo:
        window.show_page("members")
    window.statusBar().showMessage(databases.tr("已打开 {0}").format(path), 10000)
    # No daily backup here: its completion would reach a window the secretary may already have closed; the
    # backup on exit (``_close``) covers a database opened from the 文件 menu.
    return window


def _close(ctx: Any) -> None:
    from db import store
    from desktop.tasks import wait_for_running

    wait_for_running()  # let a running backup finish before the connection closes
    databases.exit_backup(ctx.db)
    store.close(ctx.db)


def open_demo(parent: QWidget | None = None) -> Any:
    """打开演示支部: the demo database in its own window; the current database is not touched."""
    return open_window(databases.demo_db_path(), create=True, parent=parent, demo=True)


def new_database(parent: QWidget, path: Path | None = None) -> Any:
    """文件 → 新建数据库…: an empty database in a file the secretary names, in a new window."""
    if path is None:
        chosen, _ = QFileDialog.getSaveFileName(
            parent, databases.tr("新建数据库"), "支部工作台.sqlite", databases.tr(databases.FILE_FILTER)
        )
        if not chosen:
            return None
        path = Path(chosen if chosen.endswith(".sqlite") else chosen + ".sqlite")
    if path.exists():
        databases.refuse(
            parent, databases.tr("文件「{0}」已存在。要打开它，请用「打开数据库…」。").format(path)
        )
        return None
    return open_window(path, create=True, parent=parent)


def open_database(parent: QWidget, path: Path | None = None) -> Any:
    """文件 → 打开数据库…: an existing database in a new window."""
    if path is None:
        chosen, _ = QFileDialog.getOpenFileName(
            parent, databases.tr("打开数据库"), "", databases.tr(databases.FILE_FILTER)
        )
        if not chosen:
            return None
        path = Path(chosen)
    return open_window(path, create=False, parent=parent)


def add_database_actions(window: Any, menu: QMenu) -> None:
    """新建数据库…, 打开数据库…, 最近打开 and 打开演示支部 at the top of the 文件 menu."""
    new = QAction(databases.tr("新建数据库(&N)…"), window)
    new.triggered.connect(lambda: new_database(window))
    opened = QAction(databases.tr("打开数据库(&O)…"), window)
    opened.triggered.connect(lambda: open_database(window))
    recent = QMenu(databases.tr("最近打开(&J)"), window)
    recent.setObjectName("recent_databases")

    def fill_recent() -> None:
        recent.clear()
        paths = databases.recent_databases()
        for path in paths:
            label = databases.tr("{0}（演示）").format(path) if databases.is_demo(path) else str(path)
            action = recent.addAction(label)
            action.triggered.connect(
                lambda _checked=False, p=path: open_window(p, create=False, parent=window)
            )
        if not paths:
            none = recent.addAction(databases.tr("（无）"))
            none.setEnabled(False)

    recent.aboutToShow.connect(fill_recent)
    fill_recent()
    demo = QAction(databases.tr("打开演示支部(&D)"), window)
    demo.setToolTip(databases.tr("在单独的演示数据库中打开一个虚构的支部，不影响您自己的数据"))
    demo.triggered.connect(lambda: open_demo(window))
    window.new_database_action, window.open_database_action = new, opened
    window.recent_menu, window.demo_action = recent, demo
    menu.addAction(new)
    menu.addAction(opened)
    menu.addMenu(recent)
    menu.addAction(demo)
    menu.addSeparator()
