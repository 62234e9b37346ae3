"""Which database a window works on: the demo branch in its own file, new and other databases, recent ones.

- 打开演示支部 opens ``demo.sqlite`` in the user data folder (beside the default database), generating the demo
  branch the first time, in a window of its own labelled 演示 in the title and the status bar. The secretary's own
  database is never written.
- 文件 → 新建数据库… / 打开数据库… / 最近打开 open a database in a window of its own; the recent list is kept in
  QSettings (``recent_databases``), newest first.

Each window opened here owns its database: the connection is closed (after the exit backup) when the window is.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QWidget

log = logging.getLogger(__name__)
DEMO_NAME = "demo.sqlite"
RECENT_KEY = "recent_databases"
MAX_RECENT = 8
FILE_FILTER = "支部工作台数据库 (*.sqlite);;所有文件 (*)"
_windows: list[Any] = []  # windows opened here, alive until closed


def _tr(text: str) -> str:
    return QCoreApplication.translate("databases", text)


def demo_db_path() -> Path:
    """The demo branch's own file: ``demo.sqlite`` beside the default database (in the user data folder, or in
    ``data/`` beside the program when portable)."""
    from db import store
    from desktop.cli import portable_base

    return store.data_dir(portable_base=portable_base()) / DEMO_NAME


def is_demo(path: Path) -> bool:
    return Path(path).name == DEMO_NAME


def _same(a: Path, b: Path) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return False


# --- recent databases -------------------------------------------------------------------------------------------


def recent_databases() -> list[Path]:
    """Recently opened databases that still exist, newest first."""
    value = QSettings().value(RECENT_KEY, [])
    paths = [value] if isinstance(value, str) else list(value or [])
    return [Path(p) for p in paths if p and Path(p).exists()]


def remember(path: Path) -> None:
    """Put ``path`` first in the recent list."""
    path = Path(path).resolve()
    paths = [str(path)] + [str(p) for p in recent_databases() if not _same(p, path)]
    QSettings().setValue(RECENT_KEY, paths[:MAX_RECENT])


# --- windows ----------------------------------------------------------------------------------------------------


def label_window(window: Any, path: Path, *, explicit: bool = True) -> None:
    """Title and status bar saying which database the window shows; the demo is labelled 演示 in both."""
    base = _tr("支部工作台")
    if is_demo(path):
        window.setWindowTitle(_tr("{0} - 演示支部（虚构数据）").format(base))
        window.db_label.setText(_tr("演示支部：数据均为虚构，与您自己的数据库无关（{0}）").format(path))
        window.db_label.setStyleSheet("color: #8a4b00; font-weight: bold;")
    elif explicit:
        window.setWindowTitle(f"{base} - {Path(path).name}")


def open_windows() -> list[Any]:
    return list(_windows)


def open_window(path: Path, *, create: bool, parent: QWidget | None = None, demo: bool = False) -> Any:
    """Open the database at ``path`` in a new main window (or raise the window already showing it); returns the
    window, or None when the file was refused (explained in a message box) or the password prompt was left."""
    from db import store
    from db.errors import BranchDeskError

    for window in _windows:
        if _same(window.ctx.db.path, path):
            window.showNormal()
            window.raise_()
            window.activateWindow()
            return window
    current = getattr(parent.window(), "ctx", None) if parent is not None else None
    if current is not None and _same(current.db.path, path):
        return parent.window()  # type: ignore[union-attr]
    try:
        database = store.open(path, create=create)
    except store.PasswordRequired:
        from desktop.app import ask_password

        database, exc, _key = ask_password(path)
        if database is None:
            if exc is not None:
                _refuse(parent, getattr(exc, "message", str(exc)))
            return None
    except (BranchDeskError, OSError) as exc:
        _refuse(parent, getattr(exc, "message", None) or _tr("无法打开「{0}」：{1}").format(path, exc))
        return None
    if demo:
        try:
            _fill_demo(database)
        except BranchDeskError as exc:
            store.close(database)
            _refuse(parent, exc.message)
            return None
    return _show(database, path, demo=demo)


def _fill_demo(database: Any) -> None:
    """Generate the demo branch in an empty demo database (an existing one is opened as it is)."""
    from PySide6.QtWidgets import QApplication

    from db import branch, demo

    if branch.get_branch(database) is not None:
        return
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        # 40 members take well under a second; generate() is one transaction, so a failure leaves nothing.
        demo.generate(database, members=40, seed=1)
    finally:
        QApplication.restoreOverrideCursor()


def _show(database: Any, path: Path, *, demo: bool) -> Any:
    from desktop.context import AppContext
    from desktop.main_window import MainWindow

    ctx = AppContext(database)
    window = MainWindow(ctx)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    label_window(window, path)
    remember(path)
    _windows.append(window)

    def closed() -> None:
        if window in _windows:
            _windows.remove(window)
        _close(ctx)

    window.destroyed.connect(lambda _obj=None: closed())
    window.show()
    if demo:
        window.show_page("members")
    window.statusBar().showMessage(_tr("已打开 {0}").format(path), 10000)
    # No daily backup here: its completion would reach a window the secretary may already have closed; the
    # backup on exit (``_close``) covers a database opened from the 文件 menu.
    return window


def _close(ctx: Any) -> None:
    from db import store
    from desktop.app import exit_backup
    from desktop.tasks import _running

    for task in list(_running):  # let a running backup finish before the connection closes
        task._worker.wait()
    exit_backup(ctx.db)
    store.close(ctx.db)


def _refuse(parent: QWidget | None, message: str) -> None:
    box = QMessageBox(
        QMessageBox.Icon.Warning, _tr("无法打开数据库"), message, QMessageBox.StandardButton.Ok, parent
    )
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()


def open_demo(parent: QWidget | None = None) -> Any:
    """打开演示支部: the demo database in its own window; the current database is not touched."""
    return open_window(demo_db_path(), create=True, parent=parent, demo=True)


# --- the 文件 menu ----------------------------------------------------------------------------------------------


def new_database(parent: QWidget, path: Path | None = None) -> Any:
    """文件 → 新建数据库…: an empty database in a file the secretary names, in a new window."""
    if path is None:
        chosen, _ = QFileDialog.getSaveFileName(
            parent, _tr("新建数据库"), "支部工作台.sqlite", _tr(FILE_FILTER)
        )
        if not chosen:
            return None
        path = Path(chosen if chosen.endswith(".sqlite") else chosen + ".sqlite")
    if path.exists():
        _refuse(parent, _tr("文件「{0}」已存在。要打开它，请用「打开数据库…」。").format(path))
        return None
    return open_window(path, create=True, parent=parent)


def open_database(parent: QWidget, path: Path | None = None) -> Any:
    """文件 → 打开数据库…: an existing database in a new window."""
    if path is None:
        chosen, _ = QFileDialog.getOpenFileName(parent, _tr("打开数据库"), "", _tr(FILE_FILTER))
        if not chosen:
            return None
        path = Path(chosen)
    return open_window(path, create=False, parent=parent)


def add_database_actions(window: Any, menu: QMenu) -> None:
    """新建数据库…, 打开数据库…, 最近打开 and 打开演示支部 at the top of the 文件 menu."""
    new = QAction(_tr("新建数据库(&N)…"), window)
    new.triggered.connect(lambda: new_database(window))
    opened = QAction(_tr("打开数据库(&O)…"), window)
    opened.triggered.connect(lambda: open_database(window))
    recent = QMenu(_tr("最近打开(&J)"), window)
    recent.setObjectName("recent_databases")

    def fill_recent() -> None:
        recent.clear()
        paths = recent_databases()
        for path in paths:
            label = _tr("{0}（演示）").format(path) if is_demo(path) else str(path)
            recent.addAction(label, lambda p=path: open_window(p, create=False, parent=window))
        if not paths:
            none = recent.addAction(_tr("（无）"))
            none.setEnabled(False)

    recent.aboutToShow.connect(fill_recent)
    fill_recent()
    demo = QAction(_tr("打开演示支部(&D)"), window)
    demo.setToolTip(_tr("在单独的演示数据库中打开一个虚构的支部，不影响您自己的数据"))
    demo.triggered.connect(lambda: open_demo(window))
    window.new_database_action, window.open_database_action = new, opened
    window.recent_menu, window.demo_action = recent, demo
    menu.addAction(new)
    menu.addAction(opened)
    menu.addMenu(recent)
    menu.addAction(demo)
    menu.addSeparator()
