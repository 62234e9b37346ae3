"""What the project and finding dialogs share: ``FieldsForm`` (each field's reason right under it), dates, member
pickers, text boxes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from db import members as members_db
from db.errors import BranchDeskError
from db.records import Member
from db.store import Database
from desktop.context import AppContext
from desktop.dialogs.form import ERROR_STYLE, FormBase, error_label, to_date, to_qdate
from desktop.qt import *


def date_edit(value: date, parent: QWidget | None = None) -> QDateEdit:
    """A QDateEdit with a calendar popup showing ``yyyy-MM-dd``."""
    edit = QDateEdit(parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setDateRange(QDate(1950, 1, 1), QDate(2100, 12, 31))
    edit.setDate(to_qdate(value))
    return edit


class OptionalDate(QWidget):
    """A date that may be left empty: a check box and a QDateEdit; ``value()`` is None while unchecked."""

    changed = Signal()

    def __init__(self, text: str, default: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.check = QCheckBox(text, self)
        self.edit = date_edit(default, self)
        self.edit.setEnabled(False)
        layout.addWidget(self.check)
        layout.addWidget(self.edit, 1)
        self.check.toggled.connect(self.edit.setEnabled)
        self.check.toggled.connect(lambda _on: self.changed.emit())
        self.edit.dateChanged.connect(lambda _d: self.changed.emit())
        self.setFocusProxy(self.check)

    def value(self) -> date | None:
        return to_date(self.edit.date()) if self.check.isChecked() else None

    def set_value(self, value: date | None) -> None:
        if value is not None:
            self.edit.setDate(to_qdate(value))
        self.check.setChecked(value is not None)


class Field(QWidget):
    """A form field with its reason shown right under it (red) while the value is refused."""

    def __init__(self, widget: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        self.widget = widget
        self.reason = QLabel(self)
        self.reason.setStyleSheet(ERROR_STYLE)
        self.reason.setWordWrap(True)
        self.reason.setProperty("hide_when_empty", True)
        self.reason.hide()
        layout.addWidget(widget)
        layout.addWidget(self.reason)
        self.setFocusProxy(widget)

    def show_reason(self, text: str) -> None:
        self.reason.setText(text)
        self.reason.setVisible(bool(text))


def member_label(member: Member) -> str:
    group = f"（{member.party_group_name}）" if member.party_group_name else ""
    return f"{member.name}{group}"


def fill_member_combo(combo: QComboBox, members: list[Member], *, blank: str, current: str | None) -> None:
    """Fill ``combo`` with a blank entry and ``members`` (data = uuid) and select ``current``."""
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(blank, None)
    for m in members:
        combo.addItem(member_label(m), m.uuid)
    combo.setCurrentIndex(max(combo.findData(current), 0) if current else 0)
    combo.blockSignals(False)


class MemberChecklist(QWidget):
    """Members to tick (participants), with a filter box (name or pinyin initials, as the roster search)."""

    changed = Signal()

    def __init__(self, members: list[Member], checked: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Those already chosen first, so the dialog opens showing who takes part.
        members = sorted(members, key=lambda m: m.uuid not in checked)
        self._members = members
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.filter = QLineEdit(self)
        self.filter.setClearButtonEnabled(True)
        self.filter.setPlaceholderText(self.tr("筛选：姓名或拼音首字母"))
        self.list = QListWidget(self)
        self.list.setMinimumHeight(110)
        for m in members:
            item = QListWidgetItem(member_label(m), self.list)
            item.setData(Qt.ItemDataRole.UserRole, m.uuid)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if m.uuid in checked else Qt.CheckState.Unchecked)
        self.count = QLabel(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.count)
        self.filter.textChanged.connect(self._filter)
        self.list.itemChanged.connect(lambda _i: self._changed())
        self._update_count()

    def _filter(self, text: str) -> None:
        for row, m in enumerate(self._members):
            self.list.item(row).setHidden(not members_db.matches(m, text))

    def _changed(self) -> None:
        self._update_count()
        self.changed.emit()

    def _update_count(self) -> None:
        self.count.setText(self.tr("已选 {0} 人").format(len(self.checked())))

    def checked(self) -> list[str]:
        return [
            self.list.item(r).data(Qt.ItemDataRole.UserRole)
            for r in range(self.list.count())
            if self.list.item(r).checkState() == Qt.CheckState.Checked
        ]

    def set_checked(self, uuid: str, on: bool = True) -> None:
        for r in range(self.list.count()):
            item = self.list.item(r)
            if item.data(Qt.ItemDataRole.UserRole) == uuid:
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)


def roster_for(db: Database, keep: list[str]) -> list[Member]:
    """Active members, plus the archived members in ``keep`` (already on a record, so they stay visible)."""
    active = members_db.list_members(db)
    seen = {m.uuid for m in active}
    extra = [members_db.get_member(db, uuid=u) for u in keep if u and u not in seen]
    return active + extra


def text_edit(text: str = "", height: int = 54) -> QPlainTextEdit:
    """A few lines of plain text; Tab moves on to the next field."""
    edit = QPlainTextEdit()
    edit.setPlainText(text)
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(height)
    return edit


class FieldsForm(FormBase):
    """The form of one recorded item (a project, a finding): each field shows its reason right under it (``Field``,
    in ``self.fields``); reasons of no field go to ``self.error``, which the dialog places above its buttons.

    Once recorded, the item also has actions saved at once (进展, 状态, 销号 …): ``run_action`` runs one, shows a
    refusal in ``action_error`` (placed by the dialog beside the actions) and emits ``changed`` with the item."""

    changed = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(ctx, parent, today=today)
        self.fields: dict[str, Field] = {}
        self.error = error_label()
        self.action_error = error_label("action_error")

    def add_rows(self, form: QFormLayout, rows: Iterable[tuple[str, str, QWidget]]) -> None:
        """Each ``(key, label, widget)`` as a row of ``form``, its reasons (``Problem.field == key``) under it,
        validated as it changes."""
        for key, label, widget in rows:
            self.fields[key] = Field(widget)
            self.reasons[key] = self.fields[key].reason
            form.addRow(label, self.fields[key])
            self.watch(widget)

    def save(self) -> bool:
        """Save when valid; on success emit ``saved`` and close. Returns whether it saved."""
        return super().save() is not None

    def run_action(self, fn: Callable[[], Any]) -> bool:
        """Run one action on the recorded item (``fn`` returns the item as it is now); True when done: then
        ``action_done(item)`` shows it and ``changed`` carries it. Refused: the reason in ``action_error``.
        Nothing runs on a read-only database."""
        if self.ctx.db.readonly:
            return False
        try:
            item = fn()
        except BranchDeskError as exc:
            self.action_error.setText(exc.message)
            return False
        self.action_error.clear()
        self.action_done(item)
        self.changed.emit(item)
        return True

    def action_done(self, item: Any) -> None:
        """Keep and show the item after an action (subclasses)."""
