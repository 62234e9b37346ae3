"""QApplication set-up and the GUI entry point.

``create_application`` makes (once) the QApplication with the organisation/application names QSettings uses, the CJK
interface font, the app icon when present, and an excepthook that logs an unexpected error to a rotating log file in
the data folder (citizen IDs and phone numbers scrubbed) and shows a Chinese error dialog instead of dying silently.
``run`` opens the database (a refused file is explained in a Chinese message box, exit code 1, never a traceback)
and shows the main window.
"""

from __future__ import annotations

import faulthandler
import logging
import logging.handlers
import os
import sys
import time
import traceback
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, NoReturn

from db.rules import scrub_personal_data
from desktop import databases, paths
from desktop.i18n import translator
from desktop.qt import *

if TYPE_CHECKING:
    from db.store import Database

ORGANIZATION = "BranchDesk"
APPLICATION = "BranchDesk"
_RESOURCES = paths.RESOURCES
log = logging.getLogger("branchdesk")

# Citizen IDs and mobiles are personal data: never written to the log (db.rules.scrub_personal_data).
scrub = scrub_personal_data


class _ScrubFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info:
            message += "\n" + "".join(traceback.format_exception(*record.exc_info))
            record.exc_info = None
            record.exc_text = None
        record.msg = scrub(message)
        record.args = None
        return True


def log_file() -> Path:
    """The rotating log file, in the data folder beside the default database (beside the program when portable)."""
    return paths.log_file()


_LOG_HANDLER = "branchdesk"  # the name of our handler, so a second start-up does not add another


def _setup_logging() -> None:
    if any(h.get_name() == _LOG_HANDLER for h in log.handlers):
        return
    try:
        path = log_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        handler = logging.StreamHandler(sys.stderr)  # a read-only data folder must not stop the program
    handler.set_name(_LOG_HANDLER)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(_ScrubFilter())
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    # desktop.* modules log under their own names; route them to the same file.
    logging.getLogger("desktop").addHandler(handler)
    _record_native_crashes()


_crash_file: Any = None


def _record_native_crashes() -> None:
    """A crash inside Qt (SIGSEGV, SIGABRT) kills the process before any Python handler runs; faulthandler then
    writes the Python stacks to ``crash.log`` beside the log, so the maintainer has a trace to work from. (Stacks
    hold code locations only, no data.)"""
    global _crash_file
    if _crash_file is not None:
        return
    try:
        path = log_file().with_name("crash.log")
        _crash_file = open(path, "a", encoding="utf-8")  # noqa: SIM115 - must stay open for the process lifetime
    except OSError:
        _crash_file = sys.stderr
    _crash_file.write(f"--- {datetime.now().isoformat(timespec='seconds')} pid {os.getpid()}\n")
    _crash_file.flush()
    faulthandler.enable(file=_crash_file, all_threads=True)


_tr = translator("app")


_error_boxes: list[QMessageBox] = []


def _excepthook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """Log an unexpected error and show it in Chinese; the program keeps running."""
    from db.errors import BranchDeskError

    log.error("未处理的错误", exc_info=(exc_type, exc, tb))
    if issubclass(exc_type, KeyboardInterrupt):
        QApplication.quit()
        return
    if QApplication.instance() is None:
        sys.__excepthook__(exc_type, exc, tb)
        return
    from db.store import is_disk_full
    from desktop.tasks import error_text

    if isinstance(exc, BranchDeskError) or is_disk_full(exc):
        text = error_text(exc)  # a full disk says so, and where (issue 17)
    else:
        text = _tr(
            "发生了意外错误（{0}）。刚才的操作可能没有完成，已保存的数据不受影响。\n错误已记录到日志文件：{1}"
        ).format(exc_type.__name__, log_file())
    box = QMessageBox(
        QMessageBox.Icon.Critical, _tr("支部工作台 - 错误"), text, QMessageBox.StandardButton.Ok
    )
    _error_boxes.append(box)
    box.finished.connect(lambda _r: _error_boxes.remove(box) if box in _error_boxes else None)
    box.open()


def _keep_settings_portable() -> None:
    """In portable mode window geometry and column widths go to an INI file in ``data/settings`` beside the
    program, so nothing is left on the laptop the USB stick was plugged into."""
    if paths.portable_base() is not None:
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(
            QSettings.Format.IniFormat,
            QSettings.Scope.UserScope,
            str(paths.data_dir() / "settings"),
        )


def exit_now(code: int) -> NoReturn:
    """End the program once ``run`` has returned (window closed, tasks finished, backup taken, database closed).

    Qt's own shutdown runs (deleting the QApplication hands a copied text to the system clipboard and closes the
    window system connection), then everything a normal exit runs (``atexit``: logging's flush and close, the
    clean-up of temporary folders); the interpreter's tearing down of its 1,500 modules one by one is skipped: it
    took 50 ms of every close, a tenth of a start measured from launch to exit (issue 22), and saves nothing.
    Only the real program calls this (``branchdesk`` without a sub-command); tests call ``run``."""
    import atexit

    import shiboken6

    app = QApplication.instance()
    if app is not None:
        shiboken6.delete(app)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # closed, or a pipe whose reader has gone
            pass
    os._exit(code)


def create_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication, created once with names, font, icon, logging and the error dialog; idempotent."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        app = QApplication(list(argv) if argv is not None else [sys.argv[0]])
    if app.property("branchdesk_ready"):
        return app
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    _keep_settings_portable()
    app.setApplicationDisplayName(_tr("支部工作台"))
    from desktop.fonts import apply_app_font
    from desktop.i18n import install_translations

    install_translations(app)
    apply_app_font(app)
    for name in ("app.svg", "app.png", "icons/app.svg", "icons/app.png"):
        icon_path = _RESOURCES / name
        if icon_path.exists():
            app.setWindowIcon(QIcon(str(icon_path)))
            break
    _setup_logging()
    sys.excepthook = _excepthook
    app.setProperty("branchdesk_ready", True)
    return app


def _refuse(message: str) -> int:
    box = QMessageBox(
        QMessageBox.Icon.Critical, _tr("无法打开数据库"), message, QMessageBox.StandardButton.Ok
    )
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.exec()
    return 1


def open_database(db_path: Path) -> tuple[Database | None, str | None]:
    """``(database, None)`` or ``(None, Chinese message saying what to do)`` when the file cannot be used."""
    database, problem, _exc = _open_database(db_path)
    return database, problem


def _open_database(
    db_path: Path, key: str | None = None
) -> tuple[Database | None, str | None, BaseException | None]:
    """``open_database`` plus the refusal itself (so a damaged file can lead to the recovery dialog)."""
    from db import store
    from db.errors import StoreError

    try:
        return store.open(db_path, key=key), None, None
    except StoreError as exc:
        log.warning("database refused: %s", exc.message)
        return None, exc.message, exc
    except OSError as exc:
        return (
            None,
            _tr("无法打开数据库「{0}」：{1}。请检查文件夹是否存在、是否有写入权限。").format(
                db_path, store.os_reason(exc)
            ),
            exc,
        )


def recover(db_path: Path, message: str, key: str | None = None) -> Path | None:
    """The recovery dialog for a damaged database (modal at start); the file to open instead, or None to quit."""
    return databases.recover(None, db_path, message, key)


def _startup_probe(app: QApplication, budget: dict[str, float]) -> None:
    """With ``BRANCHDESK_QUIT_AFTER_MS`` set (the bundle smoke test and the start-up benchmark), print the start-up
    budget on stderr once the first page has painted, then quit after that many milliseconds."""
    quit_after = os.environ.get("BRANCHDESK_QUIT_AFTER_MS")
    if quit_after is None:
        return
    from desktop import STARTED

    app.processEvents()
    shown = time.perf_counter()
    parts = {
        "imports": budget["imports"] - STARTED,
        "db_open": budget["db_open"] - budget["imports"],
        "window": shown - budget["db_open"],
        "total": shown - STARTED,
    }
    print(
        "startup " + " ".join(f"{k}={v * 1000:.0f}ms" for k, v in parts.items()), file=sys.stderr, flush=True
    )
    QTimer.singleShot(int(quit_after), app.quit)


def run(*, db_path: Path, explicit_db: bool) -> int:
    """Open the database at ``db_path`` and run the main window until it closes; returns the exit code.

    An encrypted database asks for its password (or the recovery code). A damaged one leads to the recovery dialog
    (restore the latest good backup into a new file, or save a copy for experts; the damaged file is never
    written). Any other refusal (not ours, locked by another copy, too new) is explained in a Chinese message box
    and the exit code is 1. ``explicit_db`` says the user chose the file with ``--db`` (its name is shown in the
    title so two windows on different files can be told apart). The day's backup is taken after the window shows
    and a backup on exit when it closes.
    """
    from db import store
    from db.errors import DatabaseCorrupt

    app = create_application()
    budget = {"imports": time.perf_counter()}
    if databases.must_ask_to_create(db_path, explicit=explicit_db) and not databases.confirm_create(
        None, db_path
    ):
        return 1  # nothing was created
    database, problem, exc = _open_database(db_path)
    budget["db_open"] = time.perf_counter()
    key: str | None = None
    if isinstance(exc, store.PasswordRequired):
        database, exc, key = databases.ask_password(db_path)
        if database is None and exc is None:
            return 1
        problem = getattr(exc, "message", "") if exc is not None else None
    if isinstance(exc, DatabaseCorrupt):
        # The damaged file stays as it is; a copy restored from a backup is opened instead.
        recovered = recover(db_path, problem or "", key)
        if recovered is None:
            return 1
        db_path, explicit_db = recovered, True
        database, problem, exc = _open_database(db_path, key)
    if database is None:
        return _refuse(problem or "")  # a refusal always comes with its message
    from desktop.context import AppContext
    from desktop.idle_lock import IdleLock
    from desktop.main_window import MainWindow

    ctx = AppContext(database)
    window = MainWindow(ctx)

    databases.label_window(window, db_path, explicit=explicit_db)  # the demo database is labelled 演示
    databases.remember(db_path)
    window.idle_lock = IdleLock(window)
    window.show()
    log.info("started on %s", db_path)
    window.start_daily_backup()
    _startup_probe(app, budget)
    try:
        return int(app.exec())
    finally:
        from desktop.tasks import wait_for_running

        wait_for_running()  # let a running backup finish before the connection closes
        window.deleteLater()
        # ctx.db, not database: setting a password replaces the connection while the program runs.
        databases.exit_backup(ctx.db)
        store.close(ctx.db)
