"""发展党员: the development pipeline page.

At the top one button per stage with its count (入党申请人 … 正式党员, and 全部) filters the table; a search box
filters as you type (name, pinyin initials, last digits of the ID); 显示已退出 lists people who left. The table
shows each person's stage, next step and its deadline (overdue in red) and the number of broken rules. Below it,
the reminders of ``db.development.development_reminders`` (overdue and due within 30 days). Ctrl+N enters a new
applicant, Enter/double-click opens the person (``PersonDialog``: timeline, add step, warnings). Filters from other
pages: ``{"stage": key}`` and ``{"person": uuid}`` (selects and opens that person).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from db import development as dev_db
from desktop.changes import Change
from desktop.context import AppContext, Filters
from desktop.models.development import PEOPLE_KEYS, PERSON_ROLE, SORT_ROLE, DevelopmentPeopleModel
from desktop.pages import BasePage
from desktop.qt import *
from desktop.widgets.shortcuts import open_on_enter, page_shortcuts
from desktop.widgets.tables import fit_columns, record_table

if TYPE_CHECKING:
    from desktop.dialogs.form import FormBase
    from desktop.printing.dues import PrintDocument

_ALL = ""


# What this page shows comes from these parts; a change to any of them refreshes it.
_REFRESH_ON = frozenset({Change.DEVELOPMENT, Change.MEMBERS, Change.BRANCH, Change.EXCHANGE})


class Page(BasePage):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(ctx, parent, today=today)
        self.dialog: QWidget | None = None  # the dialog opened last (tests drive it)

        self.stage_buttons: dict[str, QPushButton] = {}
        self.stage_group = QButtonGroup(self)
        self.stage_group.setExclusive(True)
        stages = QHBoxLayout()
        for key, label in ((_ALL, self.tr("全部")), *dev_db.STAGES.items()):
            button = QPushButton(label, self)
            button.setObjectName(f"stage_{key or 'all'}")
            button.setCheckable(True)
            button.setMinimumHeight(44)
            button.setProperty("stage_label", label)
            self.stage_group.addButton(button)
            self.stage_buttons[key] = button
            stages.addWidget(button, 1)
            if key and key != "full":
                arrow = QLabel("→", self)
                arrow.setStyleSheet("color: #888;")
                stages.addWidget(arrow)
        self.stage_buttons[_ALL].setChecked(True)

        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("搜索：姓名、拼音首字母或身份证号后几位（Ctrl+F）"))
        self.show_left = QCheckBox(self.tr("显示已退出"), self)
        self.show_left.setObjectName("show_left")
        self.reveal = QCheckBox(self.tr("显示证件号码"), self)
        self.new_button = QPushButton(self.tr("新增入党申请人"), self)
        self.new_button.setObjectName("new_person")
        self.new_button.setToolTip("Ctrl+N")
        self.open_button = QPushButton(self.tr("打开"), self)
        self.print_button = QPushButton(self.tr("打印"), self)
        self.print_button.setToolTip("Ctrl+P")
        self.count_label = QLabel(self)
        self.count_label.setObjectName("count")
        bar = QHBoxLayout()
        bar.addWidget(self.search, 3)
        bar.addWidget(self.show_left)
        bar.addWidget(self.reveal)
        bar.addWidget(self.count_label, 1)
        bar.addWidget(self.new_button)
        bar.addWidget(self.open_button)
        bar.addWidget(self.print_button)

        self.model = DevelopmentPeopleModel(self, today=self.today())
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setSortLocaleAware(True)
        self.table = record_table(self, self.proxy, "development_table")
        fit_columns(
            self.table, stretch=(PEOPLE_KEYS.index("next_step"),)
        )  # 状态 in sight at 1366×768 and 150%

        self.reminders = QListWidget(self)
        self.reminders.setObjectName("reminders")
        reminders_box = QWidget(self)
        r = QVBoxLayout(reminders_box)
        r.setContentsMargins(0, 0, 0, 0)
        self.reminders_label = QLabel(self)
        self.reminders_label.setStyleSheet("font-weight: bold;")
        r.addWidget(self.reminders_label)
        r.addWidget(self.reminders, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(reminders_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(stages)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)

        self.stage_group.buttonClicked.connect(lambda _b: self.reload())
        self.search.textChanged.connect(lambda _t: self.reload())
        self.show_left.toggled.connect(lambda _c: self.reload())
        self.reveal.toggled.connect(self.model.set_reveal)
        self.new_button.clicked.connect(self.new_person)
        self.open_button.clicked.connect(self.open_current)
        self.print_button.clicked.connect(self.print_preview)
        self.table.doubleClicked.connect(lambda _i: self.open_current())
        self.reminders.itemActivated.connect(self._reminder_activated)
        page_shortcuts(
            self,
            (QKeySequence.StandardKey.New, self.new_person),
            (QKeySequence.StandardKey.Find, self.search.setFocus),
            (QKeySequence.StandardKey.Print, self.print_preview),
        )
        open_on_enter(self.table, self.open_current)
        if ctx.db.readonly:
            self.new_button.setEnabled(False)
        self.refresh_on(_REFRESH_ON, self.reload)
        self.reload()

    # --- loading ----------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        self.reload()

    def stage(self) -> str:
        return next((k for k, b in self.stage_buttons.items() if b.isChecked()), _ALL)

    def reload(self) -> None:
        db = self.ctx.db
        include_left = self.show_left.isChecked()
        counts = dev_db.stage_counts(db, include_left=include_left)
        for key, button in self.stage_buttons.items():
            n = sum(counts.values()) if key == _ALL else counts[key]
            button.setText(f"{button.property('stage_label')}\n{n} 人")
        selected = self.current_person()
        people = dev_db.list_people(
            db, stage=self.stage() or None, include_left=include_left, query=self.search.text()
        )
        self.model.set_people(people, today=self.today())
        self.count_label.setText(self.tr("共 {0} 人").format(len(people)))
        if selected is not None:
            self.select_person(selected.uuid)
        reminders = dev_db.development_reminders(db, today=self.today())
        self.reminders.clear()
        self.reminders_label.setText(self.tr("提醒事项（逾期及 30 天内到期）：{0} 条").format(len(reminders)))
        for reminder in reminders:
            overdue = reminder.due is not None and reminder.due < self.today()
            item = QListWidgetItem(("【逾期】" if overdue else "") + reminder.text, self.reminders)
            item.setData(Qt.ItemDataRole.UserRole, reminder.person_uuid)
            if overdue:
                item.setForeground(Qt.GlobalColor.darkRed)

    def apply_filters(self, filters: Filters) -> None:
        stage = filters.get("stage", _ALL)
        self.stage_buttons.get(stage, self.stage_buttons[_ALL]).setChecked(True)
        if "person" in filters:
            self.show_left.setChecked(True)
            self.stage_buttons[_ALL].setChecked(True)
        self.reload()
        if "person" in filters:
            self.select_person(str(filters["person"]))
            self.open_current()

    # --- selection and actions --------------------------------------------------------------------------------

    def current_person(self) -> dev_db.DevelopmentPerson | None:
        index = self.table.currentIndex()
        return index.siblingAtColumn(0).data(PERSON_ROLE) if index.isValid() else None

    def select_person(self, uuid: str) -> None:
        row = self.model.row_of(uuid)
        if row >= 0:
            index = self.proxy.mapFromSource(self.model.index(row, 0))
            self.table.setCurrentIndex(index)
            self.table.scrollTo(index)

    def visible_people(self) -> list[dev_db.DevelopmentPerson]:
        return [self.proxy.index(r, 0).data(PERSON_ROLE) for r in range(self.proxy.rowCount())]

    def _open(self, dialog: FormBase) -> None:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(lambda p: self.select_person(p.uuid))
        dialog.open()

    def new_person(self) -> None:
        from desktop.dialogs.development_person import PersonDialog

        if not self.ctx.db.readonly:
            self._open(PersonDialog(self.ctx, None, self, today=self.today()))

    def open_current(self) -> None:
        from desktop.dialogs.development_person import PersonDialog

        person = self.current_person()
        if person is not None:
            self._open(
                PersonDialog(
                    self.ctx, dev_db.get_person(self.ctx.db, uuid=person.uuid), self, today=self.today()
                )
            )

    def _reminder_activated(self, item: QListWidgetItem) -> None:
        self.apply_filters({"person": item.data(Qt.ItemDataRole.UserRole)})

    # --- printing ---------------------------------------------------------------------------------------------

    def print_document(self) -> PrintDocument:
        """The current view as a printable table (A4 landscape, IDs masked): 发展党员工作台账."""
        from db import branch as branch_db

        branch = branch_db.get_branch(self.ctx.db)
        stage = self.stage()
        return pipeline_document(
            self.visible_people(),
            branch.name if branch else "",
            stage_label=dev_db.STAGES.get(stage, ""),
            printed_on=self.today(),
        )

    def print_preview(self) -> None:
        from desktop.printing.dues import preview

        dialog = preview(self, self.print_document())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()


def pipeline_document(
    people: list[dev_db.DevelopmentPerson],
    branch_name: str,
    *,
    stage_label: str = "",
    printed_on: date | None = None,
) -> PrintDocument:
    """The pipeline table for printing through ``desktop.printing.dues.render_table`` (one QPainter layout for
    preview, printer and PDF). Citizen IDs are always masked on paper."""
    from db.attachments.tags import PrintCode
    from db.records import GENDERS
    from db.rules import mask_citizen_id
    from desktop.printing.dues import PrintColumn, PrintDocument

    def d(value: date | None) -> str:
        return value.isoformat() if value else ""

    columns = [
        PrintColumn(h, w)
        for h, w in (
            ("序号", 4),
            ("姓名", 8),
            ("性别", 4),
            ("出生日期", 9),
            ("公民身份号码", 15),
            ("党小组", 9),
            ("发展阶段", 10),
            ("递交申请日期", 10),
            ("本阶段起始", 10),
            ("下一步", 16),
            ("期限", 9),
            ("规则提醒", 7),
        )
    ]
    rows = [
        [
            str(i),
            p.name,
            GENDERS.get(p.gender or "", ""),
            d(p.birth_date),
            mask_citizen_id(p.citizen_id),
            p.party_group_name,
            dev_db.STAGES[p.stage] + ("（已退出）" if p.status == "left" else ""),
            d(p.applied_on),
            d(p.stage_since),
            p.next_step,
            d(p.next_due),
            f"{p.warning_count} 条" if p.warning_count else "",
        ]
        for i, p in enumerate(people, 1)
    ]
    printed_on = printed_on or date.today()
    scope = f"{stage_label}　" if stage_label else ""
    return PrintDocument(
        title=f"{branch_name}发展党员工作台账".strip(),
        subtitle=f"{scope}共 {len(people)} 人　打印日期：{printed_on.isoformat()}",
        columns=columns,
        rows=rows,
        footer_lines=("说明：规则提醒依据《中国共产党发展党员工作细则》，详见各人发展进程。",),
        landscape=True,
        code=PrintCode("development", printed_on.isoformat()),
    )
