"""User actions: one function per thing a secretary does (add a member, plan a meeting, record a payment, …).

Each function takes the ``AppContext`` first and the action's values as keywords, runs the ``db`` call, and on
success announces what changed with ``ctx.notify(Change…)`` so every page showing that data refreshes. Errors reach
the caller as ``BranchDeskError`` carrying one Chinese message (``ValidationError`` keeps its per-field problems);
anything unexpected is logged with its traceback and turned into ``OperationFailed``, so no traceback ever reaches a
user. Dialogs call these from ``FormBase.write()``; pages call them from their buttons.

Work that may take long runs off the GUI thread through ``perform_in_background`` (``desktop.tasks``).

The functions live in one module per part: ``desktop.operations.members``, ``.meetings``, ``.dues``, ``.projects``,
``.development``, ``.transfers``, ``.branch``.
"""

from desktop.operations.base import OperationFailed, perform, perform_in_background

__all__ = ["OperationFailed", "perform", "perform_in_background"]
