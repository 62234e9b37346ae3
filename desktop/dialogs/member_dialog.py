"""The member form (党员信息): every field of the national record plus party group and notes, and the history.

Validated as you type by ``db.members.validate_member``: each problem is shown beside its field (errors in red,
warnings in amber) and 保存 (Ctrl+S) stays disabled while any error remains. A valid citizen ID fills birth date and
gender. Saving calls ``desktop.operations.members.add_member`` / ``update_member``. The 历史记录 tab lists the
audit log of the member with citizen IDs and phones masked. Open it with ``open()`` (non-blocking) or ``exec()``.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from datetime import date
from typing import Any

from db import audit
from db import branch as branch_db
from db import members as members_db
from db.codes import EDUCATION_CLASSES, LOST_SITUATIONS, POST_CHOICES, TECH_TITLES
from db.errors import Problem
from db.records import CATEGORIES, EDUCATIONS, GENDERS, STANDINGS, STATUSES, Member
from db.rules import CitizenIdError, mask_citizen_id, mask_phone, parse_citizen_id
from desktop.context import AppContext
from desktop.dialogs.form import ERROR_STYLE, WARNING_STYLE, FormBase
from desktop.operations import members as members_ops
from desktop.qt import *
from desktop.widgets.codes import (
    CodeCombo,
    EducationClassCombo,
    PostCodeCombo,
    front_line_combo,
    lost_situation_combo,
    tech_title_combo,
)


class DateField(QWidget):
    """A date that may be empty: a check box (有日期) and a QDateEdit with a calendar popup.

    ``date()`` is None while unchecked. Picking or typing a date is only possible once checked (Space on the
    check box, then Tab into the date).
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.check = QCheckBox(self)
        self.check.setToolTip(self.tr("勾选后填写日期；不勾选表示未填写"))
        self.edit = QDateEdit(self)
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy-MM-dd")
        self.edit.setDateRange(QDate(1900, 1, 1), QDate(2100, 12, 31))
        self.edit.setDate(QDate.currentDate())
        self.edit.setEnabled(False)
        self.empty_label = QLabel(self.tr("未填写"), self)
        self.empty_label.setStyleSheet("color: #888;")
        layout.addWidget(self.check)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.empty_label)
        self.check.toggled.connect(self._toggled)
        self.edit.dateChanged.connect(lambda _d: self.changed.emit())
        self.setFocusProxy(self.check)

    def _toggled(self, on: bool) -> None:
        self.edit.setEnabled(on)
        self.empty_label.setVisible(not on)
        self.changed.emit()

    def date(self) -> date | None:
        if not self.check.isChecked():
            return None
        d = self.edit.date()
        return date(d.year(), d.month(), d.day())

    def set_date(self, value: datetime.date | None) -> None:
        blocked = self.blockSignals(True)
        if value is None:
            self.check.setChecked(False)
        else:
            self.edit.setDate(QDate(value.year, value.month, value.day))
            self.check.setChecked(True)
        self.blockSignals(blocked)
        self.changed.emit()


def _combo(choices: dict[str, str], *, blank: str | None = None) -> QComboBox:
    combo = QComboBox()
    if blank is not None:
        combo.addItem(blank, None)
    for key, label in choices.items():
        combo.addItem(label, key)
    return combo


def _set_combo(combo: QComboBox, value: Any) -> None:
    index = combo.findData(value)
    combo.setCurrentIndex(max(index, 0))


def _show(widget: QWidget, value: Any) -> None:
    """Put a member's stored value into the form widget that edits it."""
    if isinstance(widget, DateField):
        widget.set_date(value)
    elif isinstance(widget, QCheckBox):
        widget.setChecked(value)
    elif isinstance(widget, QPlainTextEdit):
        widget.setPlainText(value)
    elif isinstance(widget, QLineEdit):
        widget.setText(value)
    elif isinstance(widget, CodeCombo):
        widget.set_value(value)
    elif isinstance(widget, QComboBox) and widget.isEditable():
        widget.setCurrentText(value)
    elif isinstance(widget, QComboBox):
        _set_combo(widget, value)


# The fields ``_load`` shows through ``_show``, by widget name, in the order they are loaded: those before the
# 学历分类 (which follows the 学历 text), then the rest. The citizen ID and phones go through ``_show_numbers``.
_LOADED_FIRST = ("gender", "birth_date", "ethnicity", "education")
_LOADED_THEN = (
    "category",
    "party_group",
    "joined_on",
    "full_on",
    "job",
    "post_code",
    "tech_title",
    "front_line",
    "address",
    "standing",
    "lost_contact",
    "lost_contact_on",
    "lost_contact_situation",
    "mobile_member",
    "outflow_place",
    "notes",
)
_MEMBER_FIELD = {"party_group": "party_group_uuid"}  # a widget whose member field has another name

# The party-group entry of a new member before a group (or 未分组) is chosen.
_CHOOSE = "__choose__"

_ACTIONS = {
    "create": "新增",
    "update": "修改",
    "archive": "转出/减员",
    "restore": "恢复在册",
    "import": "导入",
}


def _history_value(field: str, value: str | None) -> str:
    if value is None:
        return ""
    if field == "citizen_id":
        return mask_citizen_id(value)
    if field in ("mobile", "landline"):
        return mask_phone(value)
    choices = {
        "gender": GENDERS,
        "category": CATEGORIES,
        "standing": STANDINGS,
        "status": STATUSES,
        "education_class": EDUCATION_CLASSES,
        "post_code": POST_CHOICES,
        "tech_title": TECH_TITLES,
        "lost_contact_situation": LOST_SITUATIONS,
    }.get(field)
    if choices:
        if value in choices:
            return choices[value]
        head, sep, rest = value.partition("：")  # archive entries read "transferred_out：reason（date）"
        if sep and head in choices:
            return f"{choices[head]}：{rest}"
    if value in ("0", "1") and field in ("lost_contact", "mobile_member", "front_line"):
        return "是" if value == "1" else "否"
    return value


class MemberDialog(FormBase):
    """Add (``member=None``) or edit a member. Emits ``saved(Member)`` after a successful save."""

    def __init__(
        self,
        ctx: AppContext,
        member: Member | None = None,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
        reveal: bool = False,
    ) -> None:
        super().__init__(ctx, parent)
        self.member = member
        # An existing member's citizen ID and phones are shown masked until 显示 (audited), as in the roster.
        self.hidden = (
            member is not None and not reveal and bool(member.citizen_id or member.mobile or member.landline)
        )
        self.reveal_refused: Any = None
        self.reveal_button = QPushButton(self.tr("显示号码"))
        self.reveal_button.setObjectName("reveal")
        self.reveal_button.setToolTip(
            self.tr("显示完整的公民身份号码和电话以便修改（会记入操作日志，注意保护党员个人信息）")
        )
        self.reveal_button.clicked.connect(self.reveal)
        self.reveal_button.setVisible(self.hidden)
        self._today = today
        self.current_problems: list[Problem] = []
        self.setWindowTitle(
            self.tr("新增党员") if member is None else self.tr("党员信息 - {0}").format(member.name)
        )
        self.resize(760, 700)

        self.tabs = QTabWidget(self)
        form_page = QWidget()
        self.form = QFormLayout(form_page)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.fields: dict[str, QWidget] = {}
        self.messages: dict[str, QLabel] = {}

        self.name = QLineEdit()
        self.citizen_id = QLineEdit()
        self.citizen_id.setMaxLength(18)
        self.citizen_id.setPlaceholderText(self.tr("18 位，末位可为 X；填写后自动带出出生日期和性别"))
        self.gender = _combo(GENDERS, blank=self.tr("（未填写）"))
        self.ethnicity = QLineEdit(self.tr("汉族"))
        self.birth_date = DateField()
        self.education = QComboBox()
        self.education.setEditable(True)
        self.education.addItems(["", *EDUCATIONS])
        self.education_class = EducationClassCombo()  # follows the 学历 text until chosen by hand
        self.category = _combo(CATEGORIES)
        self.party_group = QComboBox()
        groups = branch_db.list_party_groups(ctx.db)
        if member is None and groups:
            # A new member's group is chosen on purpose: a group, or 未分组 said explicitly.
            self.party_group.addItem(self.tr("（请选择）"), _CHOOSE)
        self.party_group.addItem(self.tr("（未分组）"), None)
        for group in groups:
            self.party_group.addItem(group.name, group.uuid)
        self.joined_on = DateField()
        self.full_on = DateField()
        self.job = QLineEdit()
        self.post_code = PostCodeCombo()
        self.post_code.setToolTip(self.tr("党内统计用的工作岗位代码"))
        self.tech_title = tech_title_combo()
        self.front_line = front_line_combo()
        self.mobile = QLineEdit()
        self.mobile.setPlaceholderText(self.tr("11 位手机号"))
        self.landline = QLineEdit()
        self.address = QLineEdit()
        self.standing = _combo(STANDINGS)
        self.lost_contact = QCheckBox(self.tr("是失联党员"))
        self.lost_contact_on = DateField()
        self.lost_contact_situation = lost_situation_combo()
        self.lost_contact_situation.setToolTip(self.tr("党内统计表43：失去联系的情形"))
        self.mobile_member = QCheckBox(self.tr("是流动党员"))
        self.outflow_place = QLineEdit()
        self.outflow_place.setPlaceholderText(self.tr("省/市/县"))
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(60)
        self.notes.setTabChangesFocus(True)

        rows: list[tuple[str, QWidget]] = [
            ("name", self.name),
            ("citizen_id", self.citizen_id),
            ("gender", self.gender),
            ("birth_date", self.birth_date),
            ("ethnicity", self.ethnicity),
            ("education", self.education),
            ("education_class", self.education_class),
            ("category", self.category),
            ("party_group", self.party_group),
            ("joined_on", self.joined_on),
            ("full_on", self.full_on),
            ("job", self.job),
            ("post_code", self.post_code),
            ("tech_title", self.tech_title),
            ("front_line", self.front_line),
            ("mobile", self.mobile),
            ("landline", self.landline),
            ("address", self.address),
            ("standing", self.standing),
            ("lost_contact", self.lost_contact),
            ("lost_contact_on", self.lost_contact_on),
            ("lost_contact_situation", self.lost_contact_situation),
            ("mobile_member", self.mobile_member),
            ("outflow_place", self.outflow_place),
            ("notes", self.notes),
        ]
        for key, widget in rows:
            widget.setObjectName(key)
            self.fields[key] = widget
            message = QLabel()
            message.setObjectName(f"{key}_message")
            message.setWordWrap(True)
            message.setMinimumWidth(220)
            message.setMaximumWidth(300)
            self.messages[key] = message
            row = QHBoxLayout()
            row.addWidget(widget, 1)
            if key == "citizen_id":
                row.addWidget(self.reveal_button)
            row.addWidget(message)
            label = members_db.FIELD_LABELS[key]
            if key in ("name", "category", "party_group", "joined_on"):
                label += " *"
            self.form.addRow(self.tr(label), row)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(form_page)
        self.tabs.addTab(scroll, self.tr("基本信息"))

        self.history = QTableWidget(0, 5)
        self.history.setObjectName("history")
        self.history.setHorizontalHeaderLabels(
            [self.tr("时间"), self.tr("操作人/来源"), self.tr("项目"), self.tr("原值"), self.tr("新值")]
        )
        self.history.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.history.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.history.horizontalHeader().setStretchLastSection(True)
        self.tabs.addTab(self.history, self.tr("历史记录"))

        self.buttons = self.add_buttons(self.tr("保存 (Ctrl+S)"))
        self.summary = QLabel()
        self.summary.setStyleSheet(ERROR_STYLE)
        self.summary.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)

        if member is not None:
            self._load(member)
            self._load_history(member)
        else:
            self.tabs.setTabEnabled(1, False)
        self.citizen_id.textChanged.connect(self._citizen_id_changed)
        self.error = self.summary
        self.watch(
            self.name,
            self.gender,
            self.birth_date,
            self.ethnicity,
            self.education,
            self.education_class,
            self.category,
            self.party_group,
            self.joined_on,
            self.full_on,
            self.job,
            self.post_code,
            self.tech_title,
            self.front_line,
            self.mobile,
            self.landline,
            self.address,
            self.standing,
            self.lost_contact,
            self.lost_contact_on,
            self.lost_contact_situation,
            self.mobile_member,
            self.outflow_place,
            self.notes,
        )
        self._watched.append(self.citizen_id)  # validated through _citizen_id_changed
        self.education.currentTextChanged.connect(self.education_class.follow)
        if ctx.db.readonly:
            self.buttons.button(QDialogButtonBox.StandardButton.Save).setToolTip(
                self.tr("只读模式，不能保存")
            )
        self.finish()
        self.name.setFocus()

    # --- values -------------------------------------------------------------------------------------------

    def _load(self, m: Member) -> None:
        self.name.setText(m.name)
        self._show_numbers(m)
        for key in _LOADED_FIRST:
            _show(getattr(self, key), getattr(m, key))
        self.education_class.load(m.education_class, m.education)  # after the 学历 text it may follow
        for key in _LOADED_THEN:
            _show(getattr(self, key), getattr(m, _MEMBER_FIELD.get(key, key)))

    def _show_numbers(self, m: Member) -> None:
        """The citizen ID and phones: masked and read-only while hidden, the real values (editable) otherwise."""
        hidden = self.hidden
        self.citizen_id.setText(mask_citizen_id(m.citizen_id) if hidden else m.citizen_id or "")
        self.mobile.setText(mask_phone(m.mobile) if hidden else m.mobile)
        self.landline.setText(mask_phone(m.landline) if hidden else m.landline)
        for edit in (self.citizen_id, self.mobile, self.landline):
            edit.setReadOnly(hidden)
        self.reveal_button.setVisible(hidden)

    def reveal(self) -> bool:
        """显示号码: record the reveal in the audit log first, then show the numbers for editing. Refused (nothing
        shown) when it cannot be recorded, e.g. on a read-only database. Returns whether the numbers are shown."""
        from db.errors import BranchDeskError
        from desktop.tasks import show_error

        if not self.hidden or self.member is None:
            return not self.hidden
        try:
            audit.record_reveal(self.ctx.db, what="citizen_id,mobile", count=1, where=self.tr("党员信息"))
        except BranchDeskError as exc:
            self.reveal_refused = show_error(self, self.tr("显示号码"), exc)
            return False
        was_changed = self.is_changed()
        self.hidden = False
        self._show_numbers(self.member)
        if not was_changed:
            self.mark_unchanged()
        self.citizen_id.setFocus()
        return True

    def _number(self, edit: QLineEdit, key: str) -> str:
        """What a number field holds: the stored value while it is shown masked."""
        if self.hidden and self.member is not None:
            return str(getattr(self.member, key) or "")
        return edit.text()

    def values(self) -> dict[str, Any]:
        """The form's content in the shape ``validate_member`` / ``add_member`` take."""
        return {
            "name": self.name.text(),
            "gender": self.gender.currentData(),
            "ethnicity": self.ethnicity.text(),
            "birth_date": self.birth_date.date(),
            "citizen_id": self._number(self.citizen_id, "citizen_id"),
            "education": self.education.currentText(),
            "education_class": self.education_class.value(),
            "category": self.category.currentData(),
            "joined_on": self.joined_on.date(),
            "full_on": self.full_on.date(),
            "job": self.job.text(),
            "post_code": self.post_code.value(),
            "tech_title": self.tech_title.value(),
            "front_line": self.front_line.value(),
            "mobile": self._number(self.mobile, "mobile"),
            "landline": self._number(self.landline, "landline"),
            "address": self.address.text(),
            "standing": self.standing.currentData(),
            "lost_contact": self.lost_contact.isChecked(),
            "lost_contact_on": self.lost_contact_on.date(),
            "lost_contact_situation": self.lost_contact_situation.value(),
            "mobile_member": self.mobile_member.isChecked(),
            "outflow_place": self.outflow_place.text(),
            "party_group": None
            if self.party_group.currentData() == _CHOOSE
            else self.party_group.currentData(),
            "notes": self.notes.toPlainText(),
        }

    def _citizen_id_changed(self, text: str) -> None:
        """A complete valid ID fills birth date and gender (the user may still change them; validation checks)."""
        if self.hidden:
            return
        try:
            parsed = parse_citizen_id(text, today=self._today)
        except CitizenIdError:
            pass
        else:
            if self.birth_date.date() != parsed.birth_date:
                self.birth_date.set_date(parsed.birth_date)
            if self.gender.currentData() != parsed.gender:
                _set_combo(self.gender, parsed.gender)
        self.check()

    # --- validation ---------------------------------------------------------------------------------------

    def problems(self) -> list[Problem]:
        """What ``validate_member`` says about the form (errors and warnings)."""
        values = self.values()
        self.current_problems = members_db.validate_member(
            self.ctx.db, values=values, uuid=self.member.uuid if self.member else None, today=self._today
        )
        required = members_db.category_requirements(values)
        if self.party_group.currentData() == _CHOOSE:
            required.append(Problem("party_group", self.tr("请选择党小组；不属于任何党小组请选「未分组」")))
        # A field the form requires says so once: the data layer's "incomplete record" warning for it is dropped.
        blocked = {p.field for p in required}
        kept = [p for p in self.current_problems if not (p.warning and p.field in blocked)]
        self.current_problems = kept + required
        return self.current_problems

    def show_problems(self, problems: Sequence[Problem]) -> None:
        """Each problem beside its field (those of other fields beside 姓名), warnings in their own colour, and
        how many errors remain under the form."""
        by_field: dict[str, list[Problem]] = {}
        for p in problems:
            by_field.setdefault(p.field if p.field in self.messages else "name", []).append(p)
        for key, label in self.messages.items():
            items = by_field.get(key, [])
            label.setText("\n".join(p.message for p in items))
            has_error = any(not p.warning for p in items)
            label.setStyleSheet(ERROR_STYLE if has_error else WARNING_STYLE)
        errors = [p for p in problems if not p.warning]
        self.summary.setText(self.tr("还有 {0} 处需要修改后才能保存").format(len(errors)) if errors else "")

    def message(self, field: str) -> str:
        """The text shown beside a field (for tests and accessibility)."""
        return self.messages[field].text()

    # --- saving -------------------------------------------------------------------------------------------

    def save(self) -> bool:
        """Save when valid; on success emit ``saved`` and close. Returns whether it saved."""
        return super().save() is not None

    def write(self) -> Member:
        values = self.values()
        if self.member is None:
            saved = members_ops.add_member(self.ctx, values=values)
        else:
            saved = members_ops.update_member(self.ctx, uuid=self.member.uuid, changes=values)
        self.member = saved
        return saved

    # --- history ------------------------------------------------------------------------------------------

    def _load_history(self, member: Member) -> None:
        entries = audit.history(self.ctx.db, entity_uuid=member.uuid)
        self.history.setRowCount(len(entries))
        for row, e in enumerate(reversed(entries)):  # newest first
            who = e.actor or ""
            if e.source and e.source != "local":
                who = f"{who}（{e.source}）" if who else e.source
            what = _ACTIONS.get(e.action, e.action)
            if e.field and e.action == "update":
                what = f"{what}：{members_db.FIELD_LABELS.get(e.field, e.field)}"
            cells = [
                e.at.replace("T", " "),
                who,
                what,
                _history_value(e.field, e.old),
                _history_value(e.field, e.new),
            ]
            for col, text in enumerate(cells):
                self.history.setItem(row, col, QTableWidgetItem(text))
