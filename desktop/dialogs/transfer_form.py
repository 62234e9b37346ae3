"""What the transfer and mobile-member dialogs share: the ``FormBase`` behaviour (``desktop.dialogs.form``) laid
out as one QFormLayout whose fields each have a reason label beside them, plus the date-edit helpers.

Dialogs are shown with ``open()``/``show()``; ``save()`` can be called directly (tests drive it that way) and
returns the saved record or None. Errors from ``db`` are shown beside their field; nothing is saved then.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any, TypeVar

from db.errors import Problem
from db.records import Member
from desktop.context import AppContext
from desktop.dialogs.form import ERROR_STYLE, FormBase, error_label, to_date
from desktop.qt import *

_WARNING_STYLE = "color: #8a6d3b;"
UNSET = QDate(1900, 1, 1)


W = TypeVar("W", bound=QWidget)


def _name(member: Member) -> str:
    return member.name


def date_edit(
    value: date | None = None,
    *,
    optional: bool = False,
    month_only: bool = False,
    parent: QWidget | None = None,
) -> QDateEdit:
    """A QDateEdit with a calendar popup; ``optional`` ones show 未填写 at their minimum (1900-01-01)."""
    edit = QDateEdit(parent)
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


def field_value(widget: QWidget) -> Any:
    """What a form field holds, as the data layer takes it: a date edit's date, a spin box's number, a combo
    box's data, a line edit's text (as typed)."""
    if isinstance(widget, QDateEdit):
        return to_date(widget.date())
    if isinstance(widget, QSpinBox):
        return widget.value()
    if isinstance(widget, QComboBox):
        return widget.currentData()
    if isinstance(widget, QLineEdit):
        return widget.text()
    raise TypeError(f"no value reader for {type(widget).__name__}")


def optional_date(edit: QDateEdit) -> date | None:
    """The date of an optional date edit, or None when left at 未填写."""
    return None if edit.date() == UNSET else to_date(edit.date())


class FormDialog(FormBase):
    """The one-column form of the transfer dialogs: ``add_field`` adds a row with its reason label beside it;
    subclasses implement ``problems()`` and ``write()`` (see ``FormBase``)."""

    def __init__(
        self,
        ctx: AppContext,
        title: str,
        parent: QWidget | None = None,
        *,
        save_text: str = "",
        today: date | None = None,
    ) -> None:
        super().__init__(ctx, parent, today=today)
        self.setWindowTitle(title)
        self._layout = QVBoxLayout(self)
        self.form = QFormLayout()
        self._layout.addLayout(self.form)
        self.error = error_label("error")
        self._layout.addWidget(self.error)
        buttons = self.add_buttons(save_text)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("save")
        self._layout.addWidget(buttons)
        self._problems: list[Problem] = []
        self.fields: dict[str, QWidget] = {}  # add_field's widgets by key

    def intro(self, text: str) -> None:
        label = QLabel(text)
        label.setWordWrap(True)
        self._layout.insertWidget(0, label)

    def add_member_field(
        self, members: Iterable[Member], selected: str | None, text: Callable[[Member], str] = _name
    ) -> QComboBox:
        """The 党员 * row (field ``member``): ``members`` by name, or by ``text(member)``; ``selected`` (a uuid)
        preselected."""
        combo = QComboBox()
        for m in members:
            combo.addItem(text(m), m.uuid)
        if selected:
            combo.setCurrentIndex(combo.findData(selected))
        return self.add_field("member", self.tr("党员 *"), combo)

    def add_field(self, key: str, label: str, widget: W) -> W:
        """A form row: the widget, then the reason label for field ``key``."""
        widget.setObjectName(key)
        reason = QLabel()
        reason.setObjectName(f"{key}_reason")
        reason.setStyleSheet(ERROR_STYLE)
        reason.setWordWrap(True)
        row = QWidget()
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(widget, 3)
        box.addWidget(reason, 2)
        self.form.addRow(label, row)
        self.reasons[key] = reason
        self.fields[key] = widget
        self.watch(widget)
        return widget

    def field_values(self, *keys: str) -> dict[str, Any]:
        """The values of the fields ``keys`` (``field_value``), by key: a form whose keys are the data layer's
        argument names passes them on as they are."""
        return {key: field_value(self.fields[key]) for key in keys}

    def finish(self) -> None:
        """Call at the end of the subclass constructor: first validation, size."""
        super().finish()
        self.resize(max(560, self.sizeHint().width()), self.sizeHint().height())

    def show_problems(self, problems: Sequence[Problem]) -> None:
        """As ``FormBase``, and a reason made only of warnings is shown in the warning colour."""
        super().show_problems(problems)
        for key, label in self.reasons.items():
            found = [p for p in problems if p.field == key]
            label.setStyleSheet(_WARNING_STYLE if found and all(p.warning for p in found) else ERROR_STYLE)


class MemberFormDialog(FormDialog):
    """A transfer form about one member, chosen in its first row (``member_uuid`` preselects one); ``today`` is for
    tests. Subclasses name the window in ``title()`` (and the Save button in ``save_text()``) and add their rows in
    ``build()``; the form is then finished."""

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None = None,
        *,
        member_uuid: str | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__(ctx, self.title(), parent, save_text=self.save_text(), today=today)
        self.build(member_uuid)
        self.finish()

    def title(self) -> str:
        raise NotImplementedError

    def save_text(self) -> str:
        """The Save button's text; empty for the plain 保存."""
        return ""

    def build(self, member_uuid: str | None) -> None:
        """Add the form's rows (the member's first), ``member_uuid`` preselected."""
        raise NotImplementedError
