"""Keyboard shortcuts built one way: the key, the widget it belongs to, the slot, and where it applies.

PySide6 accepts ``QShortcut(key, parent, activated=slot)`` at run time, but its stubs know no signal keywords, and
the stubs' own ``QShortcut(key, parent, slot, context=…)`` overload silently ignores ``context``; so the shortcut is
made plainly and connected here, once.
"""

from __future__ import annotations

from collections.abc import Callable

from desktop.qt import *

Key = QKeySequence | QKeySequence.StandardKey
PAGE = Qt.ShortcutContext.WidgetWithChildrenShortcut


def shortcut(
    parent: QWidget,
    key: Key,
    slot: Callable[[], object],
    context: Qt.ShortcutContext = Qt.ShortcutContext.WindowShortcut,
) -> QShortcut:
    """``key`` on ``parent`` runs ``slot``; a standard key keeps all its platform bindings."""
    made = QShortcut(key, parent)
    made.setContext(context)
    made.activated.connect(slot)
    return made


def page_shortcuts(page: QWidget, *pairs: tuple[Key, Callable[[], object]]) -> None:
    """Shortcuts that work anywhere inside ``page`` (and only while it is shown), e.g. New, Find, Print."""
    for key, slot in pairs:
        shortcut(page, QKeySequence(key), slot, PAGE)


def open_on_enter(view: QAbstractItemView, slot: Callable[[], object]) -> None:
    """Return and Enter on the focused ``view`` run ``slot`` (open the current row)."""
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
        shortcut(view, QKeySequence(key), slot, Qt.ShortcutContext.WidgetShortcut)
