"""The branch profile page (支部设置): name, code, upper committee, committee term, party groups, committee.

Everything is written through ``desktop.operations.branch`` (which announces ``Change.BRANCH``). Forms validate as the
user types, show the reason beside the field and keep their button disabled while something is invalid. The page
warns three months before the committee term ends (GLOSSARY: 换届).
"""

from __future__ import annotations

import itertools
from datetime import date

from db import branch as branch_db
from db import elections
from db import members as members_db
from db.errors import BranchDeskError, ValidationError
from db.records import COMMITTEE_ROLES, PartyGroup
from db.rules import add_years
from desktop.changes import Change
from desktop.context import AppContext, Filters
from desktop.dialogs.election_postponement import PostponementDialog
from desktop.dialogs.form import to_date, to_qdate
from desktop.dialogs.transfer_form import date_edit
from desktop.models.branch import CommitteeModel, PartyGroupsModel, term_warning
from desktop.operations import branch as branch_ops
from desktop.pages import BasePage
from desktop.qt import *
from desktop.widgets.combos import search_combo
from desktop.widgets.shortcuts import PAGE, shortcut

_ERROR_STYLE = "color: #c0392b;"
_WARNING_STYLE = "color: #b9770e; font-weight: bold;"


# What this page shows comes from these parts; a change to any of them refreshes it.
_REFRESH_ON = frozenset(
    {Change.BRANCH, Change.MEMBERS, Change.EXCHANGE, Change.TRANSFERS, Change.DEVELOPMENT}
)


class Page(BasePage):
    """The branch profile page (key ``settings``)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(ctx, parent, today=today)
        self._loading = False
        self._stale = False
        self._profile_dirty = False
        # A read-only database (file not writable) shows everything but offers no write.
        self._writable = not getattr(ctx.db, "readonly", False)
        self._build()
        ctx.changed.connect(self._on_changed)
        self.refresh()

    # --- construction ------------------------------------------------------------------------------------

    def _date_edit(self) -> QDateEdit:
        edit = date_edit(self.today(), parent=self)
        edit.setMinimumWidth(130)
        return edit

    def _error_label(self) -> QLabel:
        label = QLabel(self)
        label.setStyleSheet(_ERROR_STYLE)
        label.setWordWrap(True)
        return label

    def _with_error(self, field: QWidget, error: QLabel) -> QWidget:
        row = QWidget(self)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(field)
        layout.addWidget(error, 1)
        error.setMinimumWidth(260)
        return row

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        title = QLabel(self.tr("支部设置"), self)
        title.setStyleSheet("font-size: 18px; font-weight: bold;")
        outer.addWidget(title)

        # Profile
        profile_box = QGroupBox(self.tr("支部基本信息"), self)
        form = QFormLayout(profile_box)
        # Fields keep a readable width instead of stretching across a wide screen.
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.name_edit = QLineEdit(profile_box)
        self.name_edit.setPlaceholderText(self.tr("如：某某煤矿综采一区党支部"))
        self.name_error = self._error_label()
        self.code_edit = QLineEdit(profile_box)
        self.code_edit.setPlaceholderText(self.tr("上级党委编定的支部编码（可不填）"))
        self.parent_edit = QLineEdit(profile_box)
        self.parent_edit.setPlaceholderText(self.tr("如：某某煤业公司党委"))
        # The term is optional: a check box says whether it is recorded (an unset date cannot be typed over).
        self.term_check = QCheckBox(self.tr("记录本届支委任期"), profile_box)
        self.term_start_edit = self._date_edit()
        self.term_end_edit = self._date_edit()
        self.term_error = self._error_label()
        for edit in (self.name_edit, self.code_edit, self.parent_edit):
            edit.setMinimumWidth(420)
        self.term_warning = QLabel(profile_box)
        self.term_warning.setStyleSheet(_WARNING_STYLE)
        self.term_warning.setWordWrap(True)
        form.addRow(self.tr("支部名称"), self._with_error(self.name_edit, self.name_error))
        form.addRow(self.tr("支部编码"), self.code_edit)
        form.addRow(self.tr("上级党委"), self.parent_edit)
        term_row = QHBoxLayout()
        term_row.addWidget(self.term_check)
        term_row.addSpacing(12)
        term_row.addWidget(QLabel(self.tr("开始"), profile_box))
        term_row.addWidget(self.term_start_edit)
        term_row.addWidget(QLabel(self.tr("届满"), profile_box))
        term_row.addWidget(self.term_end_edit)
        term_row.addWidget(self.term_error, 1)
        self.postpone_button = QPushButton(self.tr("登记延期换届…"), profile_box)
        self.postpone_button.setObjectName("postpone")
        self.postpone_button.setToolTip(self.tr("上级党组织批准延期换届后登记（延长期限一般不超过1年）"))
        self.postpone_button.clicked.connect(self.postpone_election)
        self.postpone_button.setEnabled(self._writable)
        term_row.addWidget(self.postpone_button)
        self.election_button = QPushButton(self.tr("换届选举…"), profile_box)
        self.election_button.setObjectName("election")
        self.election_button.setToolTip(
            self.tr("从向上级党委请示到上级批准，新一届支委和任期在批准后写入本页")
        )
        self.election_button.clicked.connect(lambda: self.ctx.navigate("elections", {}))
        term_row.addWidget(self.election_button)
        form.addRow(self.tr("本届任期"), self._wrap(term_row))
        form.addRow("", self.term_warning)
        self.term_warning.setVisible(False)
        buttons = QHBoxLayout()
        self.save_button = QPushButton(self.tr("保存支部信息 (Ctrl+S)"), profile_box)
        self.save_button.clicked.connect(self.save_profile)
        self.profile_status = QLabel(profile_box)
        self.rules_button = QPushButton(self.tr("规则设置…"), profile_box)
        self.rules_button.setObjectName("rules")
        self.rules_button.setToolTip(
            self.tr("党课频次、主题党日日期、党费基数核定方式、农民党员党费、舍入、预交期限：默认值及依据")
        )
        self.rules_button.clicked.connect(self.open_rule_settings)
        self.word_button = QPushButton(self.tr("Word 模板…"), profile_box)
        self.word_button.setObjectName("word_templates")
        self.word_button.setToolTip(self.tr("会议记录、介绍信等用本单位的 Word 模板生成 .docx"))
        self.word_button.clicked.connect(self.open_word_templates)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.profile_status, 1)
        buttons.addWidget(self.word_button)
        buttons.addWidget(self.rules_button)
        form.addRow("", self._wrap(buttons))
        outer.addWidget(profile_box)

        lower = QHBoxLayout()
        lower.addWidget(self._build_groups(), 1)
        lower.addWidget(self._build_committee(), 1)
        outer.addLayout(lower, 1)

        for edit in (self.name_edit, self.code_edit, self.parent_edit):
            edit.textEdited.connect(self._profile_edited)
        for term_edit in (self.term_start_edit, self.term_end_edit):
            term_edit.dateChanged.connect(self._profile_edited)
        self.term_check.toggled.connect(self._term_toggled)
        self.name_edit.returnPressed.connect(self.save_profile)
        shortcut(self, QKeySequence.StandardKey.Save, self.save_profile, PAGE)
        shortcut(self, QKeySequence.StandardKey.New, self.new_group, PAGE)

        # Tab order follows reading order: profile, then groups, then committee.
        chain = [
            self.name_edit,
            self.code_edit,
            self.parent_edit,
            self.term_check,
            self.term_start_edit,
            self.term_end_edit,
            self.save_button,
            self.groups_view,
            self.group_name_edit,
            self.leader_combo,
            self.add_group_button,
            self.rename_group_button,
            self.committee_view,
            self.member_combo,
            self.role_combo,
            self.since_edit,
            self.appoint_button,
            self.until_edit,
            self.end_service_button,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _wrap(self, layout: QHBoxLayout) -> QWidget:
        widget = QWidget(self)
        layout.setContentsMargins(0, 0, 0, 0)
        widget.setLayout(layout)
        return widget

    def _table(self, model: QAbstractItemModel) -> QTableView:
        view = QTableView(self)
        view.setModel(model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        view.verticalHeader().setVisible(False)
        view.setAlternatingRowColors(True)
        return view

    def _build_groups(self) -> QGroupBox:
        box = QGroupBox(self.tr("党小组"), self)
        layout = QVBoxLayout(box)
        self.groups_model = PartyGroupsModel(self)
        self.groups_view = self._table(self.groups_model)
        self.groups_view.selectionModel().selectionChanged.connect(self._group_selected)
        layout.addWidget(self.groups_view, 1)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.group_name_edit = QLineEdit(box)
        self.group_name_edit.setPlaceholderText(self.tr("如：采煤一队"))
        self.group_name_edit.setMinimumWidth(240)
        self.group_error = self._error_label()
        self.leader_combo = search_combo(self, self.tr("输入姓名查找（可不设组长）"))
        form.addRow(self.tr("党小组名称"), self._with_error(self.group_name_edit, self.group_error))
        form.addRow(self.tr("组长"), self.leader_combo)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        self.add_group_button = QPushButton(self.tr("新增党小组 (Ctrl+N)"), box)
        self.rename_group_button = QPushButton(self.tr("保存所选党小组"), box)
        self.add_group_button.clicked.connect(self.add_group)
        self.rename_group_button.clicked.connect(self.update_group)
        buttons.addWidget(self.add_group_button)
        buttons.addWidget(self.rename_group_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.group_name_edit.textChanged.connect(self._validate_group)
        self.leader_combo.currentTextChanged.connect(self._validate_group)
        self.group_name_edit.returnPressed.connect(self._group_enter)
        return box

    def _build_committee(self) -> QGroupBox:
        box = QGroupBox(self.tr("支部委员会"), self)
        layout = QVBoxLayout(box)
        self.committee_model = CommitteeModel(self)
        self.committee_view = self._table(self.committee_model)
        self.committee_view.selectionModel().selectionChanged.connect(self._validate_committee)
        self.committee_hint = QLabel(box)
        self.committee_hint.setWordWrap(True)
        self.committee_hint.setStyleSheet(_WARNING_STYLE)
        layout.addWidget(self.committee_view, 1)
        layout.addWidget(self.committee_hint)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.member_combo = search_combo(self, self.tr("输入姓名查找在册党员"))
        self.member_error = self._error_label()
        self.role_combo = QComboBox(box)
        for key, label in COMMITTEE_ROLES.items():
            self.role_combo.addItem(self.tr(label), key)
        self.since_edit = self._date_edit()
        form.addRow(self.tr("党员"), self._with_error(self.member_combo, self.member_error))
        form.addRow(self.tr("职务"), self.role_combo)
        form.addRow(self.tr("任职日期"), self.since_edit)
        layout.addLayout(form)
        row = QHBoxLayout()
        self.appoint_button = QPushButton(self.tr("任命"), box)
        self.appoint_button.clicked.connect(self.appoint)
        row.addWidget(self.appoint_button)
        row.addSpacing(24)
        row.addWidget(QLabel(self.tr("离任日期"), box))
        self.until_edit = self._date_edit()
        row.addWidget(self.until_edit)
        self.end_service_button = QPushButton(self.tr("结束所选支委任职"), box)
        self.end_service_button.clicked.connect(self.end_service)
        row.addWidget(self.end_service_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.committee_error = self._error_label()
        layout.addWidget(self.committee_error)
        self.member_combo.currentTextChanged.connect(self._validate_committee)
        return box

    # --- loading -----------------------------------------------------------------------------------------

    def _on_changed(self, change: Change) -> None:
        if change not in _REFRESH_ON:
            return
        # Reloading the member choosers costs ~0.2 s on 20,000 members: a hidden page waits until it is shown.
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self.refresh()
        super().showEvent(event)

    def apply_filters(self, filters: Filters) -> None:
        """``{"tab": "committee"}`` (the committee-term reminder): put the cursor on the term's end date, beside
        which the page shows how long the term has left; the committee table is below it."""
        if filters.get("tab") == "committee":
            target = self.term_end_edit if self.term_end_edit.isEnabled() else self.term_check
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def refresh(self) -> None:
        db = self.ctx.db
        self._stale = False
        self._loading = True
        try:
            if not self._profile_dirty:
                profile = branch_db.get_branch(db)
                self.name_edit.setText(profile.name if profile else "")
                self.code_edit.setText(profile.code if profile else "")
                self.parent_edit.setText(profile.parent_org if profile else "")
                has_term = bool(profile and profile.term_start and profile.term_end)
                self.term_check.setChecked(has_term)
                if profile and profile.term_start:
                    self.term_start_edit.setDate(to_qdate(profile.term_start))
                if profile and profile.term_end:
                    self.term_end_edit.setDate(to_qdate(profile.term_end))
                self._term_enabled()
            self._groups = branch_db.list_party_groups(db)
            self.groups_model.set_rows(self._groups)
            self._committee = branch_db.list_committee(db, on=self.today())
            self.committee_model.set_rows(self._committee)
            active = members_db.list_members(db)
            for combo, blank in ((self.leader_combo, True), (self.member_combo, False)):
                text = combo.currentText()
                combo.blockSignals(True)
                combo.clear()
                if blank:
                    combo.addItem(self.tr("（不设组长）"), None)
                for m in active:
                    label = f"{m.name}（{m.party_group_name}）" if m.party_group_name else m.name
                    combo.addItem(label, m.uuid)
                combo.setCurrentIndex(-1 if not blank else 0)
                combo.setEditText(text if not blank else combo.currentText())
                combo.blockSignals(False)
        finally:
            self._loading = False
        self._validate_profile()
        self._validate_group()
        self._validate_committee()
        self._update_committee_hint()

    # --- profile -----------------------------------------------------------------------------------------

    def _profile_edited(self, *_: object) -> None:
        if self._loading:
            return
        self._profile_dirty = True
        self.profile_status.clear()
        self._validate_profile()

    def _term_enabled(self) -> None:
        for edit in (self.term_start_edit, self.term_end_edit):
            edit.setEnabled(self.term_check.isChecked())

    def _term_toggled(self, checked: bool) -> None:
        self._term_enabled()
        if checked and not self._loading:
            # A fresh term: starts today and lasts the branch's term length (setting, default 3 years).
            years = int(branch_db.get_setting(self.ctx.db, key="term_years", default=3))
            start = self.today()
            self.term_start_edit.setDate(to_qdate(start))
            self.term_end_edit.setDate(to_qdate(add_years(start, years)))
        self._profile_edited()

    def _term(self) -> tuple[date | None, date | None]:
        if not self.term_check.isChecked():
            return None, None
        return to_date(self.term_start_edit.date()), to_date(self.term_end_edit.date())

    def _validate_profile(self) -> bool:
        name_ok = bool(self.name_edit.text().strip())
        self.name_error.setText("" if name_ok else self.tr("请填写支部名称"))
        start, end = self._term()
        term_ok = not (start and end and end <= start)
        self.term_error.setText("" if term_ok else self.tr("届满日期必须晚于本届开始日期"))
        self.save_button.setEnabled(name_ok and term_ok and self._writable)
        self._update_term_warning(end)
        return name_ok and term_ok

    def _update_term_warning(self, end: date | None) -> None:
        self.term_warning.setText(term_warning(self.ctx.db, end, today=self.today()))
        self.term_warning.setVisible(bool(self.term_warning.text()))

    def postpone_election(self) -> PostponementDialog | None:
        """Open the form recording an approved postponement of the election (the stored term must have an end)."""
        profile = branch_db.get_branch(self.ctx.db)
        if profile is None or profile.term_end is None:
            self.profile_status.setText(self.tr("请先填写并保存本届任期，再登记延期换届"))
            return None
        dialog = PostponementDialog(self.ctx, term_end=profile.term_end, parent=self, today=self.today())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.dialog = dialog
        return dialog

    def save_profile(self) -> None:
        if not self._validate_profile():
            return
        try:
            branch_ops.save_branch(
                self.ctx,
                name=self.name_edit.text(),
                code=self.code_edit.text(),
                parent_org=self.parent_edit.text(),
                term_start=self._term()[0],
                term_end=self._term()[1],
                records_from=self.today(),  # a branch setting itself up starts its records today
            )
        except ValidationError as exc:
            for problem in exc.problems:
                label = self.term_error if problem.field.startswith("term") else self.name_error
                label.setText(problem.message)
            self.save_button.setEnabled(False)
            return
        self._profile_dirty = False
        self.profile_status.setText(self.tr("已保存"))

    # --- party groups ------------------------------------------------------------------------------------

    def _selected(self, view: QTableView) -> int | None:
        rows = view.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def _selected_group(self) -> PartyGroup | None:
        row = self._selected(self.groups_view)
        return self._groups[row] if row is not None and row < len(self._groups) else None

    def _group_selected(self, *_: object) -> None:
        group = self._selected_group()
        if group is None:
            self._validate_group()
            return
        self.group_name_edit.setText(group.name)
        index = self.leader_combo.findData(group.leader_uuid) if group.leader_uuid else 0
        self.leader_combo.setCurrentIndex(max(index, 0))
        self._validate_group()

    def open_rule_settings(self) -> QWidget:
        """规则设置… (non-blocking); returns the dialog."""
        from desktop.dialogs.rule_settings import RuleSettingsDialog

        dialog = RuleSettingsDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if self.ctx.db.readonly:
            dialog.save_button.setToolTip(self.tr("只读模式，不能保存"))  # type: ignore[union-attr]
        self.rule_dialog = dialog
        dialog.open()
        return dialog

    def open_word_templates(self) -> QWidget:
        """Word 模板… (non-blocking); returns the dialog."""
        from desktop.dialogs.word_templates import WordTemplatesDialog

        dialog = WordTemplatesDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.word_dialog = dialog
        dialog.open()
        return dialog

    def new_group(self) -> None:
        """Ctrl+N: start a new party group (clears the selection and focuses the name). A name typed for a new
        group is kept; only the name of the group that was selected is cleared."""
        was_selected = self._selected_group() is not None
        self.groups_view.clearSelection()
        if was_selected:
            self.group_name_edit.clear()
            self.leader_combo.setCurrentIndex(0)
        self.group_name_edit.setFocus()
        self._validate_group()

    def _leader_uuid(self) -> tuple[bool, str | None]:
        """(valid, uuid) of the chosen leader: the blank entry or a member picked from the list."""
        text = self.leader_combo.currentText().strip()
        if not text or self.leader_combo.currentIndex() == 0 and text == self.leader_combo.itemText(0):
            return True, None
        index = self.leader_combo.findText(text)
        if index <= 0:
            return False, None
        return True, self.leader_combo.itemData(index)

    def _validate_group(self, *_: object) -> bool:
        name = self.group_name_edit.text().strip()
        selected = self._selected_group()
        message = ""
        if not name:
            message = self.tr("请填写党小组名称")
        clash_new = any(g.name == name for g in getattr(self, "_groups", []))
        clash_rename = any(
            g.name == name and (selected is None or g.uuid != selected.uuid)
            for g in getattr(self, "_groups", [])
        )
        leader_ok, _leader = self._leader_uuid()
        if name and not leader_ok:
            message = self.tr("请从列表中选择组长")
        if name and clash_new and (selected is None or clash_rename):
            message = self.tr("已有名为「%1」的党小组").replace("%1", name)
        self.group_error.setText(message if name or self.group_name_edit.hasFocus() or selected else "")
        self.add_group_button.setEnabled(bool(name) and leader_ok and not clash_new and self._writable)
        self.rename_group_button.setEnabled(
            selected is not None and bool(name) and leader_ok and not clash_rename and self._writable
        )
        return not message

    def _group_enter(self) -> None:
        if self._selected_group() is not None and self.rename_group_button.isEnabled():
            self.update_group()
        elif self.add_group_button.isEnabled():
            self.add_group()

    def add_group(self) -> None:
        if not self.add_group_button.isEnabled():
            return
        self._write_group(group_uuid=None)

    def update_group(self) -> None:
        group = self._selected_group()
        if group is None or not self.rename_group_button.isEnabled():
            return
        self._write_group(group_uuid=group.uuid)

    def _write_group(self, *, group_uuid: str | None) -> None:
        _, leader = self._leader_uuid()
        try:
            saved = branch_ops.save_party_group(
                self.ctx, name=self.group_name_edit.text(), leader_uuid=leader, group_uuid=group_uuid
            )
        except BranchDeskError as exc:
            self.group_error.setText(exc.message)
            return
        # ``notify`` refreshed the table; keep the saved group selected for the next edit.
        for row, group in enumerate(self._groups):
            if group.uuid == saved.uuid:
                self.groups_view.selectRow(row)
        self.group_error.clear()

    # --- committee ---------------------------------------------------------------------------------------

    def _chosen_member(self) -> str | None:
        index = self.member_combo.findText(self.member_combo.currentText().strip())
        return self.member_combo.itemData(index) if index >= 0 else None

    def _validate_committee(self, *_: object) -> bool:
        text = self.member_combo.currentText().strip()
        member = self._chosen_member()
        if not text:
            self.member_error.setText("")
        elif member is None:
            self.member_error.setText(self.tr("请从列表中选择在册党员"))
        else:
            self.member_error.setText("")
        self.appoint_button.setEnabled(member is not None and self._writable)
        self.end_service_button.setEnabled(self._selected(self.committee_view) is not None and self._writable)
        return member is not None

    def _update_committee_hint(self) -> None:
        counts = members_db.count_members(self.ctx.db)
        roles = {c.role for c in self._committee}
        # the committee's size, term and members under 留党察看 (db.elections, the same as the reminders)
        hints = list(elections.committee_warnings(self.ctx.db, today=self.today()))
        if counts["full"] < 7 and len(self._committee) > 1:
            hints.append(self.tr("正式党员不足 7 人，按规定不设支部委员会，只设书记（可设副书记）"))
        if self._committee and "secretary" not in roles:
            hints.append(self.tr("尚未任命书记"))
        self.committee_hint.setText("；".join(hints))

    def appoint(self) -> None:
        member = self._chosen_member()
        if member is None:
            return
        value = self.since_edit.date()
        since = date(value.year(), value.month(), value.day())
        try:
            branch_ops.appoint_committee_member(
                self.ctx, member_uuid=member, role=self.role_combo.currentData(), since=since
            )
        except BranchDeskError as exc:
            self.committee_error.setText(exc.message)
            return
        self.committee_error.clear()
        self.member_combo.setEditText("")

    def end_service(self) -> None:
        row = self._selected(self.committee_view)
        if row is None:
            return
        record = self._committee[row]
        value = self.until_edit.date()
        until = date(value.year(), value.month(), value.day())
        if record.since and until < record.since:
            self.committee_error.setText(self.tr("离任日期不能早于任职日期"))
            return
        try:
            branch_ops.end_committee_service(self.ctx, committee_uuid=record.uuid, until=until)
        except BranchDeskError as exc:
            self.committee_error.setText(exc.message)
            return
        self.committee_error.clear()
