"""How every user action runs: the db call, the error as one Chinese message, the typed change notification."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from db.errors import BranchDeskError
from desktop.changes import Change
from desktop.context import AppContext
from desktop.qt import *
from desktop.tasks import Progress, Task, error_text, own_connection, run_in_background

T = TypeVar("T")
log = logging.getLogger(__name__)


class OperationFailed(BranchDeskError):
    """An action failed for an unexpected reason; ``message`` is the Chinese sentence shown to the user."""


def perform(ctx: AppContext, changes: Iterable[Change], fn: Callable[..., T], /, **values: Any) -> T:
    """Run ``fn(ctx.db, **values)``; on success notify ``changes`` and return the result.

    ``BranchDeskError`` (validation, not found, …) passes through unchanged; any other exception is logged and
    raised as ``OperationFailed`` with a generic Chinese message.
    """
    try:
        result = fn(ctx.db, **values)
    except BranchDeskError:
        raise
    except Exception as exc:
        log.error("operation %s failed", getattr(fn, "__qualname__", fn), exc_info=exc)
        raise OperationFailed(error_text(exc)) from exc
    ctx.notify(*changes)
    return result


def perform_in_background(
    parent: QWidget | None,
    ctx: AppContext,
    changes: Iterable[Change],
    fn: Callable[..., T],
    /,
    *,
    title: str,
    on_done: Callable[[T], None],
    on_error: Callable[[BaseException], None] | None = None,
    **values: Any,
) -> Task[T]:
    """Like ``perform`` but in a worker thread on its own connection, with the progress dialog of
    ``desktop.tasks``; ``changes`` are notified on the GUI thread before ``on_done`` runs. Without ``on_error`` a
    Chinese message box shows the error."""
    wanted = tuple(changes)

    def work(_progress: Progress) -> T:
        with own_connection(ctx.db) as db:
            return fn(db, **values)

    def done(result: T) -> None:
        ctx.notify(*wanted)
        on_done(result)

    return run_in_background(parent, title=title, fn=work, on_done=done, on_error=on_error)
