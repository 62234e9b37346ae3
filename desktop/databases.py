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

from db import backups, branch, store
from db.errors import StoreError
from desktop.dialogs.password_prompt import PasswordPromptDialog
from desktop.i18n import translator
from desktop.paths import portable_base
from desktop.qt import *

log = logging.getLogger(__name__)
DEMO_NAME = "demo.sqlite"
RECENT_KEY = "recent_databases"
MAX_RECENT = 8
FILE_FILTER = "支部工作台数据库 (*.sqlite);;所有文件 (*)"


# A text of the 文件 menu and its windows, translated in the "databases" context.
tr = translator("databases")


def demo_db_path() -> Path:
    """The demo branch's own file: ``demo.sqlite`` beside the default database (in the user data folder, or in
    ``data/`` beside the program when portable)."""
    return store.data_dir(portable_base=portable_base()) / DEMO_NAME


def is_demo(path: Path) -> bool:
    return Path(path).name == DEMO_NAME


def same(a: Path, b: Path) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return False


# --- recent databases -------------------------------------------------------------------------------------------


def recent_databases() -> list[Path]:
    """Recently opened databases that still exist, newest first."""
    value = QSettings().value(RECENT_KEY, [])
    if isinstance(value, str):
        paths = [value]
    elif isinstance(value, list | tuple):
        paths = [str(p) for p in value]
    else:
        paths = []
    return [Path(p) for p in paths if p and Path(p).exists()]


def remember(path: Path) -> None:
    """Put ``path`` first in the recent list."""
    path = Path(path).resolve()
    paths = [str(path)] + [str(p) for p in recent_databases() if not same(p, path)]
    QSettings().setValue(RECENT_KEY, paths[:MAX_RECENT])


# --- windows ----------------------------------------------------------------------------------------------------


def label_window(window: Any, path: Path, *, explicit: bool = True) -> None:
    """Title and status bar saying which database the window shows; the demo is labelled 演示 in both."""
    base = tr("支部工作台")
    if is_demo(path):
        window.setWindowTitle(tr("{0} - 演示支部（虚构数据）").format(base))
        window.db_label.setText(tr("演示支部：数据均为虚构，与您自己的数据库无关（{0}）").format(path))
        window.db_label.setStyleSheet("color: #8a4b00; font-weight: bold;")
    elif explicit:
        window.setWindowTitle(f"{base} - {Path(path).name}")


def fill_demo(database: Any) -> None:
    """Generate the demo branch in an empty demo database (an existing one is opened as it is)."""
    if branch.get_branch(database) is not None:
        return
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        from db import demo  # the demo generator and every part's demo step: only when the demo is opened

        # 40 members take well under a second; generate() is one transaction, so a failure leaves nothing.
        demo.generate(database, members=40, seed=1)
    finally:
        QApplication.restoreOverrideCursor()


def refuse(parent: QWidget | None, message: str) -> None:
    box = QMessageBox(
        QMessageBox.Icon.Warning, tr("无法打开数据库"), message, QMessageBox.StandardButton.Ok, parent
    )
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()


def exit_backup(database) -> None:  # type: ignore[no-untyped-def]
    """The backup on exit (then rotation); a failure is logged, never stops the program from closing."""
    try:
        backups.exit_backup(database)
    except (StoreError, OSError) as exc:
        log.warning("exit backup failed: %s", getattr(exc, "message", type(exc).__name__))


def must_ask_to_create(path: Path, *, explicit: bool) -> bool:
    """A missing database is created without asking only on the very first start (the default file, in a data
    folder that has no backups yet). Otherwise its absence means something: a USB stick not plugged in, a file
    moved or renamed — so the secretary is asked before an empty database appears in its place (issue 17)."""
    if Path(path).exists():
        return False
    return explicit or store.backup_dir(Path(path)).is_dir()


def confirm_create(parent: QWidget | None, path: Path) -> bool:
    """Ask (modal) whether to create a new, empty database at the missing ``path``; True to create it."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        tr("找不到数据库"),
        tr(
            "找不到数据库文件「{0}」。\n\n如果它在U盘或移动硬盘上，请插好后重新打开；如果文件被移动或改名，"
            "请用「打开数据库…」选择它。\n\n要在这个位置新建一个空的支部数据库吗？"
        ).format(path),
        QMessageBox.StandardButton.NoButton,
        parent,
    )
    create = box.addButton(tr("新建空数据库"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(tr("不新建"), QMessageBox.ButtonRole.RejectRole)
    box.setObjectName("confirm_create")
    box.exec()
    return box.clickedButton() is create


def recover(parent: QWidget | None, db_path: Path, message: str, key: str | None = None) -> Path | None:
    """The recovery dialog for a damaged database (modal); the file to open instead, or None."""
    from desktop.dialogs.recovery_dialog import RecoveryDialog

    dialog = RecoveryDialog(db_path, message, parent, key=key)
    if dialog.exec() and dialog.chosen_path is not None:
        return dialog.chosen_path
    return None


def ask_password(db_path: Path):  # type: ignore[no-untyped-def]
    """The password prompt for an encrypted database (modal at start): ``(database, error, key)``, all None when
    the secretary quits. Wrong passwords are handled inside the prompt (with growing waits)."""
    prompt = PasswordPromptDialog(db_path)
    if not prompt.exec():
        return None, None, None
    if prompt.used_recovery_code:
        log.info("database opened with the recovery code")
    return prompt.database, prompt.error, prompt.key
