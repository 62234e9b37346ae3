"""The one base of every data-entry dialog: validate as you type, the reason beside its field, Save disabled while
the form is invalid, Ctrl+S, and no silent loss of typing.

A dialog builds its own layout (so each keeps its look), then tells the base what it has:

- ``add_buttons()`` (or ``use_buttons(box)`` for a box of its own): the Save/Cancel box; Save (and Ctrl+S) call
  ``save()``, Cancel calls ``reject()``;
- ``self.reasons[key] = label``: where the reasons for field ``key`` (a ``Problem.field``) are shown; reasons for
  other fields go to ``self.error``;
- ``watch(widget, …)``: re-validate when these widgets change;
- ``finish()``: at the end of the constructor: first validation, and the state the form started from;
- ``self.today``: the day rules are checked against (``today=`` in tests, else the date at opening).

It implements ``problems()`` (the reasons the form cannot be saved, usually from a ``db`` validate function; a
``Problem`` with ``warning=True`` is shown but does not block) and ``write()`` (calls ``desktop.operations`` and
returns what ``saved`` carries). ``save()`` returns that, or None when nothing was saved; errors from the data layer
are shown in the dialog as their Chinese message, never as a traceback.

Esc, 取消 and the window's close button on a form that differs from how it started ask 「放弃未保存的修改？」
first; an unchanged form closes at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from db.errors import BranchDeskError, Problem, ValidationError
from desktop.context import AppContext
from desktop.qt import *
from desktop.widgets.shortcuts import shortcut


def to_qdate(value: date) -> QDate:
    """A Python date as Qt's: the one conversion every form and page uses."""
    return QDate(value.year, value.month, value.day)


def to_date(value: QDate) -> date:
    """Qt's date as a Python date."""
    return date(value.year(), value.month(), value.day())


# The first of these a widget has is the signal that says its value changed.
_CHANGE_SIGNALS = (
    "textChanged",
    "dateChanged",
    "dateTimeChanged",
    "timeChanged",
    "valueChanged",
    "currentIndexChanged",
    "toggled",
    "itemChanged",
    "changed",
)
# The first of these a widget has reads its value (for "has the form changed?").
_VALUE_READERS = (
    "toPlainText",
    "text",
    "dateTime",
    "date",
    "time",
    "value",
    "currentText",
    "checked",
    "entries",
)


def widget_value(widget: QWidget) -> Any:
    """What a form widget currently holds, comparable with ``==``."""
    if isinstance(widget, QAbstractButton):
        return widget.isChecked()
    if isinstance(widget, QListWidget):
        return [(widget.item(i).text(), widget.item(i).checkState()) for i in range(widget.count())]
    for name in _VALUE_READERS:
        reader = getattr(widget, name, None)
        if callable(reader):
            value = reader()
            return list(value) if isinstance(value, (list, tuple)) else value
    return None


ERROR_STYLE = "color: #b02a37;"  # a reason that blocks saving
WARNING_STYLE = "color: #997404;"  # a rule warning: shown, saving allowed


def error_label(name: str = "") -> QLabel:
    """A red, wrapping label for a form's reasons (object name ``name``, e.g. ``"error"``)."""
    label = QLabel()
    if name:
        label.setObjectName(name)
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    return label


class FormBase(QDialog):
    """A data-entry dialog over ``ctx``; see the module docstring."""

    saved = Signal(object)
    # How reasons for fields without their own label are joined in ``self.error``.
    error_separator = "\n"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today = today or date.today()  # the day rules are checked against; tests pass a fixed one
        self.reasons: dict[str, QLabel] = {}
        self.error = QLabel()
        self.save_button: QPushButton | None = None
        self.discard_box: QMessageBox | None = None
        self._watched: list[QWidget] = []
        self._ready = False
        self._start_state: Any = None

    # --- set-up ---------------------------------------------------------------------------------------------

    def use_buttons(self, buttons: QDialogButtonBox) -> QPushButton:
        """The Save (or OK)/Cancel box: Save and Ctrl+S save, Cancel asks before discarding changes."""
        self.buttons = buttons
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save) or buttons.button(
            QDialogButtonBox.StandardButton.Ok
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        shortcut(self, QKeySequence.StandardKey.Save, self.save)
        return self.save_button

    def add_buttons(self, save_text: str = "", cancel_text: str = "") -> QDialogButtonBox:
        """A Save/Cancel box, 保存 and 取消 unless named otherwise, wired by ``use_buttons``; Save's tooltip says
        Ctrl+S. The dialog places it in its layout."""
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        save = self.use_buttons(buttons)
        save.setText(save_text or self.tr("保存"))
        save.setToolTip("Ctrl+S")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(cancel_text or self.tr("取消"))
        return buttons

    def watch(self, *widgets: QWidget) -> None:
        """Validate again whenever one of ``widgets`` changes; their values make up ``form_state()``."""
        for widget in widgets:
            self._watched.append(widget)
            for signal in _CHANGE_SIGNALS:
                if hasattr(widget, signal):
                    getattr(widget, signal).connect(self.check)
                    break

    def finish(self) -> None:
        """Call at the end of the subclass constructor: first validation; the form's starting state."""
        self._ready = True
        self.check()
        self.mark_unchanged()

    def mark_unchanged(self) -> None:
        """Take the current values as the saved state (e.g. after filling a form programmatically)."""
        self._start_state = self.form_state()

    # --- to implement ---------------------------------------------------------------------------------------

    def problems(self) -> list[Problem]:
        return []

    def write(self) -> Any:
        raise NotImplementedError

    def form_state(self) -> Any:
        """The values of the form; a form whose state differs from the start asks before discarding."""
        return [widget_value(w) for w in self._watched]

    # --- behaviour ------------------------------------------------------------------------------------------

    def is_changed(self) -> bool:
        return self._ready and self.form_state() != self._start_state

    def show_problems(self, problems: Sequence[Problem]) -> None:
        """Each reason beside its field (fields may share a label), the rest in ``self.error``."""
        texts: dict[int, list[str]] = {id(label): [] for label in self.reasons.values()}
        other: list[str] = []
        for p in problems:
            if p.field in self.reasons:
                texts[id(self.reasons[p.field])].append(p.message)
            else:
                other.append(p.message)
        for label in {id(label): label for label in self.reasons.values()}.values():
            self.show_reason(label, "；".join(texts[id(label)]))
        self.show_reason(self.error, self.error_separator.join(other))

    def show_reason(self, label: QLabel, text: str) -> None:
        """Put ``text`` (maybe empty) in a field's reason label; labels with the ``hide_when_empty`` property
        are shown only while they hold a reason."""
        label.setText(text)
        if label.property("hide_when_empty"):
            label.setVisible(bool(text))

    def check(self) -> bool:
        """Validate now: show the reasons, enable Save only when nothing blocks; True when the form can be saved."""
        if not self._ready:
            return False
        try:
            problems = self.problems()
        except BranchDeskError as exc:
            problems = [Problem("", exc.message)]
        self.show_problems(problems)
        ok = not any(not p.warning for p in problems) and not self.ctx.db.readonly
        if self.save_button is not None:
            self.save_button.setEnabled(ok)
        return ok

    def save(self) -> Any:
        if not self.check():
            return None
        try:
            result = self.write()
        except ValidationError as exc:
            self.show_problems(exc.problems)
            if self.save_button is not None:
                self.save_button.setEnabled(False)
            return None
        except BranchDeskError as exc:
            self.show_reason(self.error, exc.message)
            return None
        self.saved.emit(result)
        self.after_save(result)
        return result

    def after_save(self, result: Any) -> None:
        """What happens once saved: the dialog closes. A dialog that stays open overrides this (and should
        ``mark_unchanged()``)."""
        self._ready = False  # saved: closing no longer asks
        self.accept()

    def reject(self) -> None:
        """Esc, 取消 or the close button: a changed form asks first (``discard_box``) and closes only on 放弃修改;
        继续编辑 keeps the dialog and its data."""
        if self.is_changed():
            self.ask_discard()
            return
        super().reject()

    def ask_discard(self) -> QMessageBox:
        """The non-blocking 「放弃未保存的修改？」 question (one at a time)."""
        if self.discard_box is not None:
            return self.discard_box
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.windowTitle(),
            self.tr("放弃未保存的修改？"),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            self,
        )
        discard = box.button(QMessageBox.StandardButton.Discard)
        discard.setText(self.tr("放弃修改"))
        box.button(QMessageBox.StandardButton.Cancel).setText(self.tr("继续编辑"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setEscapeButton(QMessageBox.StandardButton.Cancel)
        box.buttonClicked.connect(lambda button: self._discard_answered(button is discard))
        self.discard_box = box
        box.open()
        return box

    def _discard_answered(self, discard: bool) -> None:
        self.discard_box = None
        if discard:
            self._ready = False
            super().reject()
