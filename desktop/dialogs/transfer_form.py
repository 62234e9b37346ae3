"""What the transfer and mobile-member dialogs share: a QFormLayout whose fields each have a reason label beside
them, validation as you type through a ``db`` validate function, Save disabled while there is an error, Ctrl+S.

Dialogs are shown with ``open()``/``show()``; ``save()`` can be called directly (tests drive it that way) and
returns the saved record or None. Errors from ``db`` are shown beside their field; nothing is saved then.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from db.errors import BranchDeskError, Problem, ValidationError
from desktop.context import AppContext

_ERROR_STYLE = "color: #b02a37;"
_WARNING_STYLE = "color: #8a6d3b;"
UNSET = QDate(1900, 1, 1)


def to_date(qdate: QDate) -> date:
    return date(qdate.year(), qdate.month(), qdate.day())


def date_edit(value: date | None = None, *, optional: bool = False, month_only: bool = False) -> QDateEdit:
    """A QDateEdit with a calendar popup; ``optional`` ones show 未填写 at their minimum (1900-01-01)."""
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM" if month_only else "yyyy-MM-dd")
    if optional:
        edit.setMinimumDate(UNSET)
        edit.setSpecialValueText(QCoreApplication.translate("transfer_form", "未填写"))
    if value is not None:
        edit.setDate(QDate(value.year, value.month, value.day))
    elif optional:
        edit.setDate(UNSET)
    else:
        edit.setDate(QDate.currentDate())
    return edit


def optional_date(edit: QDateEdit) -> date | None:
    """The date of an optional date edit, or None when left at 未填写."""
    return None if edit.date() == UNSET else to_date(edit.date())


class FormDialog(QDialog):
    """Base of the transfer dialogs. Subclasses add fields with ``add_field`` and implement ``problems()`` and
    ``write()``."""

    saved = Signal(object)

    def __init__(
        self, ctx: AppContext, title: str, parent: QWidget | None = None, *, save_text: str = ""
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self._layout = QVBoxLayout(self)
        self.form = QFormLayout()
        self._layout.addLayout(self.form)
        self._reasons: dict[str, QLabel] = {}
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setStyleSheet(_ERROR_STYLE)
        self.error.setWordWrap(True)
        self._layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(save_text or self.tr("保存"))
        self.save_button.setObjectName("save")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self._layout.addWidget(self.buttons)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        self._ready = False

    def intro(self, text: str) -> None:
        label = QLabel(text)
        label.setWordWrap(True)
        self._layout.insertWidget(0, label)

    def add_field(self, key: str, label: str, widget: QWidget) -> QWidget:
        """A form row: the widget, then the reason label for field ``key``."""
        widget.setObjectName(key)
        reason = QLabel()
        reason.setObjectName(f"{key}_reason")
        reason.setStyleSheet(_ERROR_STYLE)
        reason.setWordWrap(True)
        row = QWidget()
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(widget, 3)
        box.addWidget(reason, 2)
        self.form.addRow(label, row)
        self._reasons[key] = reason
        for signal in ("textChanged", "dateChanged", "valueChanged", "currentIndexChanged", "toggled"):
            if hasattr(widget, signal):
                getattr(widget, signal).connect(self.check)
                break
        return widget

    def finish(self) -> None:
        """Call at the end of the subclass constructor: first validation, size."""
        self._ready = True
        self.check()
        self.resize(max(560, self.sizeHint().width()), self.sizeHint().height())

    # --- to implement -----------------------------------------------------------------------------------

    def problems(self) -> list[Problem]:
        return []

    def write(self) -> Any:
        raise NotImplementedError

    # --- behaviour --------------------------------------------------------------------------------------

    def show_problems(self, problems: Sequence[Problem]) -> None:
        by_field: dict[str, list[Problem]] = {}
        other: list[str] = []
        for p in problems:
            if p.field in self._reasons:
                by_field.setdefault(p.field, []).append(p)
            else:
                other.append(p.message)
        for key, label in self._reasons.items():
            found = by_field.get(key, [])
            label.setText("；".join(p.message for p in found))
            label.setStyleSheet(_WARNING_STYLE if found and all(p.warning for p in found) else _ERROR_STYLE)
        self.error.setText("\n".join(other))

    def check(self) -> bool:
        if not self._ready:
            return False
        try:
            problems = self.problems()
        except BranchDeskError as exc:
            problems = [Problem("", exc.message)]
        self.show_problems(problems)
        ok = not any(not p.warning for p in problems) and not self.ctx.db.readonly
        self.save_button.setEnabled(ok)
        return ok

    def save(self) -> Any:
        if not self.check():
            return None
        try:
            record = self.write()
        except ValidationError as exc:
            self.show_problems(exc.problems)
            self.save_button.setEnabled(False)
            return None
        except BranchDeskError as exc:
            self.error.setText(exc.message)
            return None
        self.saved.emit(record)
        self.accept()
        return record
