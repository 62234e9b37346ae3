"""Long work off the GUI thread, with a progress dialog and cancel.

Anything that may take more than ~100 ms (import, export, backup, big reports) goes through
``run_in_background``::

    def work(progress: Progress) -> Path:
        with own_connection(ctx.db) as db:     # the worker's OWN connection: never use ctx.db in fn
            for i, row in enumerate(rows):
                if progress.cancelled():
                    raise Cancelled()          # or simply return early
                progress.report(i + 1, len(rows), "正在写入…")
                ...
            return out_path

    run_in_background(self, title=self.tr("导出名册"), fn=work, on_done=self._exported)

Contract:

- ``fn(progress)`` runs in a worker ``QThread``. It must not touch widgets and must not use the GUI's connection
  (``ctx.db``; SQLite connections belong to the thread that made them): it works in ``with own_connection(ctx.db)``,
  which opens its own and closes it however ``fn`` ends.
- ``on_done(result)`` / ``on_error(exc)`` are called on the GUI thread. Without ``on_error`` a non-blocking Chinese
  message box shows the error (``BranchDeskError.message`` as is; other exceptions with a generic sentence).
- Cancelling (the 取消 button or ``Task.cancel()``) only sets a flag that ``progress.cancelled()`` returns; ``fn``
  decides where it is safe to stop. A ``fn`` that stops on cancel should raise ``Cancelled``: it reaches neither
  callback's error box (``on_error`` receives it only if given).
- ``Task.finished`` (result) / ``Task.failed`` (exception) are emitted on the GUI thread after the callbacks;
  tests wait on them with ``qtbot.waitSignal(task.finished)``.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Generic, TypeVar

from db import store
from db.errors import BranchDeskError
from db.store import Database, disk_full_message, is_disk_full, os_reason
from desktop.i18n import translator
from desktop.qt import *

T = TypeVar("T")
log = logging.getLogger(__name__)

# Tasks still running are kept alive here (a QThread collected while running aborts the process).
_running: set[Task[Any]] = set()
_open_boxes: set[QMessageBox] = set()


class Cancelled(Exception):
    """Raised by a background function that stopped because the user cancelled."""


_tr = translator("tasks")


@contextmanager
def own_connection(db: Database) -> Iterator[Database]:
    """A worker's own connection to the file of ``db`` (the GUI's connection belongs to the GUI thread), closed
    when the block ends, by return or by error."""
    own = store.open_again(db)
    try:
        yield own
    finally:
        store.close(own)


class Progress(QObject):
    """Handed to the background function: report progress, ask whether the user cancelled. Thread-safe."""

    changed = Signal(int, int, str)

    def __init__(self) -> None:
        super().__init__()
        self._cancel = threading.Event()

    def report(self, done: int, total: int, text: str = "") -> None:
        """``done`` of ``total`` steps finished; ``text`` (Chinese) says what is being done."""
        self.changed.emit(int(done), int(total), text)

    def cancelled(self) -> bool:
        """True once the user pressed 取消 (or ``Task.cancel()`` was called)."""
        return self._cancel.is_set()

    def _set_cancelled(self) -> None:
        self._cancel.set()


class _Worker(QThread):
    succeeded = Signal(object)
    errored = Signal(object)

    def __init__(self, fn: Callable[[Progress], Any], progress: Progress) -> None:
        super().__init__()
        self._fn = fn
        self._progress = progress

    def run(self) -> None:  # runs in the worker thread
        try:
            result = self._fn(self._progress)
        except BaseException as exc:  # noqa: BLE001 - everything goes back to the GUI thread
            self.errored.emit(exc)
        else:
            self.succeeded.emit(result)


class Task(QObject, Generic[T]):
    """One running background job. ``finished(result)`` or ``failed(exception)`` is emitted once."""

    finished = Signal(object)
    failed = Signal(object)

    def __init__(
        self,
        parent: QWidget | None,
        *,
        title: str,
        fn: Callable[[Progress], T],
        on_done: Callable[[T], None],
        on_error: Callable[[BaseException], None] | None,
        show_dialog: bool,
    ) -> None:
        super().__init__()
        self._parent = parent
        self._title = title
        self._on_done = on_done
        self._on_error = on_error
        self.progress = Progress()
        self._dialog: QProgressDialog | None = None
        if show_dialog:
            dialog = QProgressDialog(title, _tr("取消"), 0, 0, parent)
            dialog.setWindowTitle(title)
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(300)  # quick jobs finish without a flashing dialog
            dialog.setAutoClose(False)
            dialog.setAutoReset(False)
            dialog.canceled.connect(self.cancel)
            self._dialog = dialog
            self.progress.changed.connect(self._show_progress, Qt.ConnectionType.QueuedConnection)
        self._worker = _Worker(fn, self.progress)
        # Queued: the slots run on the GUI thread (this object lives there), whatever thread emits.
        self._worker.succeeded.connect(self._succeeded, Qt.ConnectionType.QueuedConnection)
        self._worker.errored.connect(self._errored, Qt.ConnectionType.QueuedConnection)

    def start(self) -> None:
        _running.add(self)
        self._worker.start()

    def cancel(self) -> None:
        """Ask the background function to stop (it checks ``progress.cancelled()``)."""
        self.progress._set_cancelled()
        if self._dialog is not None:
            self._dialog.setLabelText(_tr("正在取消…"))

    def is_running(self) -> bool:
        return self._worker.isRunning()

    @Slot(int, int, str)
    def _show_progress(self, done: int, total: int, text: str) -> None:
        dialog = self._dialog
        if dialog is None or self.progress.cancelled():
            return
        # A modal QProgressDialog processes events inside setValue(): the task may finish right there and
        # ``_close`` drop the dialog, so only the local reference is used and the label is set first.
        if text:
            dialog.setLabelText(text)
        dialog.setMaximum(max(total, 0))
        if self._dialog is dialog:
            dialog.setValue(min(max(done, 0), max(total, 0)))

    def _close(self) -> None:
        self._worker.wait()
        if self._dialog is not None:
            self._dialog.canceled.disconnect(self.cancel)
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None
        _running.discard(self)

    @Slot(object)
    def _succeeded(self, result: Any) -> None:
        self._close()
        try:
            self._on_done(result)
        finally:
            self.finished.emit(result)

    @Slot(object)
    def _errored(self, exc: BaseException) -> None:
        self._close()
        try:
            if self._on_error is not None:
                self._on_error(exc)
            elif not isinstance(exc, Cancelled):
                show_error(self._parent, self._title, exc)
        finally:
            self.failed.emit(exc)


def error_text(exc: BaseException) -> str:
    """The Chinese sentence shown for an error: the data layer's own message, or a generic one."""
    if isinstance(exc, BranchDeskError):
        return exc.message
    filename = getattr(exc, "filename", None)
    folder = Path(filename).parent if isinstance(filename, str | os.PathLike) else None
    if is_disk_full(exc, where=folder):  # which disk, and what to do (issue 17)
        return disk_full_message(folder)
    if isinstance(exc, OSError):
        return _tr("读写文件失败：{0}。请检查磁盘空间和权限。").format(os_reason(exc))
    return _tr(
        "操作未完成：发生了意外错误（{0}）。数据没有被部分修改；请重试，若仍失败请联系技术人员。"
    ).format(type(exc).__name__)


def show_error(parent: QWidget | None, title: str, exc: BaseException) -> QMessageBox:
    """A non-blocking (``open()``) Chinese message box for ``exc``; returned so tests can inspect and close it."""
    if not isinstance(exc, BranchDeskError):
        log.error("background task %r failed", title, exc_info=exc)
    box = QMessageBox(QMessageBox.Icon.Warning, title, error_text(exc), QMessageBox.StandardButton.Ok, parent)
    # Keep the Python wrapper alive until the box is dismissed: a parentless box would otherwise be destroyed at once.
    _open_boxes.add(box)
    box.finished.connect(lambda _result: _open_boxes.discard(box))
    box.open()
    return box


def wait_for_running() -> None:
    """Block until every running task's worker thread has ended: before the connection closes (a running backup
    finishes) and before the process exits (a QThread destroyed while running aborts it)."""
    for task in list(_running):
        task._worker.wait()


def run_in_background(
    parent: QWidget | None,
    *,
    title: str,
    fn: Callable[[Progress], T],
    on_done: Callable[[T], None],
    on_error: Callable[[BaseException], None] | None = None,
    show_dialog: bool = True,
) -> Task[T]:
    """Run ``fn(progress)`` in a worker thread; see the module docstring for the contract. Returns the started Task."""
    task: Task[T] = Task(
        parent, title=title, fn=fn, on_done=on_done, on_error=on_error, show_dialog=show_dialog
    )
    task.start()
    return task
