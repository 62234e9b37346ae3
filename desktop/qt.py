"""Every Qt name the GUI uses, from one place: ``from desktop.qt import *`` (as Anki's ``aqt.qt``).

A module of the GUI starts with that one line instead of a list of the Qt classes it happens to use, which changed
with every edit and repeated itself from dialog to dialog. Qt's names carry their own prefix (``QDialog``, ``Qt``,
``Signal``), so a reader still sees where each comes from; mypy checks every name used, and ruff's star-import
rules (F403, F405) are off for ``desktop/`` only (see ``pyproject.toml``). Only the Qt modules the application
ships are here (``packaging/branchdesk.spec`` lists them); the command line's Qt-free commands never import this.
"""

# Each module also defines its own container aliases (QIntList, QPointList, QPointFList) and qFuzzyCompare, none of
# which the application uses: the later import wins, which mypy reports as an incompatible import (the one PySide6
# stub gap silenced here, listed in pyproject.toml). `Qt` comes from QtGui at run time: QtCore's namespace plus two
# text helpers, with the same enums.
from PySide6.QtCore import *
from PySide6.QtGui import *  # type: ignore[assignment]
from PySide6.QtPrintSupport import *  # type: ignore[assignment]
from PySide6.QtWidgets import *  # type: ignore[assignment]
