"""The preparation and follow-up of a 组织生活会 (issue 20), opened from the meeting of that kind on the meetings page.

Tabs: 征求意见 (the opinions gathered; add, withdraw), 谈心谈话 (the pairs expected before the meeting, missing ones
highlighted; 登记谈心谈话 opens the talk form with the pair ticked), 对照检查材料 (each member, submitted on, the file
as an attachment), 批评与自我批评 (per member, a few words), 整改清单 (add an item: it becomes a finding on the 检查整改
page; its state there is shown here). 打印情况报告 previews the 组织生活会情况报告; 导出 PDF writes it.

Each action runs at once through ``desktop.operations.lifemeeting``; a refusal is shown in red under the tab, in
Chinese, and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path

from db import lifemeeting, members
from db.errors import BranchDeskError
from desktop.changes import Change
from desktop.context import AppContext
from desktop.dialogs.form import error_label, to_date
from desktop.dialogs.transfer_form import date_edit
from desktop.operations import lifemeeting as ops
from desktop.qt import *
from desktop.widgets.attachments import AttachmentsPanel

MISSING_COLOR = QColor("#f8d7da")  # a talk pair still missing, a material not handed in


def _table(parent: QWidget, headers: Sequence[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels(list(headers))
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.setAlternatingRowColors(True)
    return table


def _fill(
    table: QTableWidget,
    rows: Sequence[Sequence[str]],
    keys: Sequence[object],
    marked: Sequence[bool] = (),
) -> None:
    """Replace the rows; each row's first cell carries its key (UserRole); ``marked`` rows are highlighted."""
    table.setRowCount(len(rows))
    for r, (values, key) in enumerate(zip(rows, keys, strict=True)):
        for c, value in enumerate(values):
            item = QTableWidgetItem(value)
            if c == 0:
                item.setData(Qt.ItemDataRole.UserRole, key)
            if r < len(marked) and marked[r]:
                item.setBackground(MISSING_COLOR)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()


def _selected_key(table: QTableWidget) -> object:
    """The key of the selected row (None: no row selected)."""
    chosen = table.selectionModel().selectedRows()
    item = table.item(chosen[0].row(), 0) if chosen else None
    return item.data(Qt.ItemDataRole.UserRole) if item is not None else None


class LifeMeetingDialog(QDialog):
    """The 组织生活会's preparation view; ``today`` is the day rules are checked against (tests pin it)."""

    def __init__(
        self, ctx: AppContext, *, meeting_uuid: str, today: date | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.meeting_uuid = meeting_uuid
        self.today = today or date.today()
        self._dialog: QWidget | None = None
        meeting = lifemeeting.life_meeting(ctx.db, meeting_uuid)
        # preparation is dated before the meeting: the date fields start at its day (or today, if it is ahead)
        self.prepared_on = min(meeting.held_on, self.today)
        self.setWindowTitle(self.tr("{0}：准备与整改").format(meeting.title))
        self.resize(1100, 680)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._build_opinions(), self.tr("征求意见"))
        self.tabs.addTab(self._build_talks(), self.tr("谈心谈话"))
        self.tabs.addTab(self._build_materials(), self.tr("对照检查材料"))
        self.tabs.addTab(self._build_criticism(), self.tr("批评与自我批评"))
        self.tabs.addTab(self._build_items(), self.tr("整改清单"))
        self.print_report_button = QPushButton(self.tr("打印情况报告…"), self)
        self.pdf_button = QPushButton(self.tr("导出 PDF：情况报告"), self)
        self.close_button = QPushButton(self.tr("关闭"), self)
        bottom = QHBoxLayout()
        bottom.addWidget(self.print_report_button)
        bottom.addWidget(self.pdf_button)
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)
        self.print_report_button.clicked.connect(self.preview_report)
        self.pdf_button.clicked.connect(self._ask_pdf)
        self.close_button.clicked.connect(self.accept)
        ctx.changed.connect(self._on_changed)
        self.refresh()

    # --- building ----------------------------------------------------------------------------------------------

    def _tab(self, table: QTableWidget, *rows: QLayout | QWidget) -> tuple[QWidget, QLabel]:
        tab = QWidget(self)
        error = error_label()
        layout = QVBoxLayout(tab)
        layout.addWidget(table, 1)
        for row in rows:
            if isinstance(row, QLayout):
                layout.addLayout(row)
            else:
                layout.addWidget(row)
        layout.addWidget(error)
        return tab, error

    def _member_combo(self, parent: QWidget) -> QComboBox:
        combo = QComboBox(parent)
        for m in members.list_members(self.ctx.db):
            combo.addItem(m.name, m.uuid)
        return combo

    def _build_opinions(self) -> QWidget:
        self.opinions = _table(
            self, [self.tr("来源"), self.tr("提出人"), self.tr("收到日期"), self.tr("意见内容")]
        )
        self.opinion_source = QComboBox(self)
        for key, label in lifemeeting.OPINION_SOURCES.items():
            self.opinion_source.addItem(self.tr(label), key)
        self.opinion_member = self._member_combo(self)
        self.opinion_from = QLineEdit(self)
        self.opinion_from.setPlaceholderText(self.tr("群众或上级党委：谁提出的（可不填）"))
        self.opinion_on = date_edit(self.prepared_on, parent=self)
        self.opinion_text = QLineEdit(self)
        self.opinion_text.setPlaceholderText(self.tr("意见内容"))
        self.add_opinion_button = QPushButton(self.tr("添加意见"), self)
        self.archive_opinion_button = QPushButton(self.tr("撤回所选意见"), self)
        form = QHBoxLayout()
        for w in (self.opinion_source, self.opinion_member, self.opinion_from, self.opinion_on):
            form.addWidget(w)
        form.addWidget(self.opinion_text, 1)
        form.addWidget(self.add_opinion_button)
        form.addWidget(self.archive_opinion_button)
        tab, self.opinion_error = self._tab(self.opinions, form)
        self.opinion_source.currentIndexChanged.connect(self._source_changed)
        self.add_opinion_button.clicked.connect(self.add_opinion)
        self.archive_opinion_button.clicked.connect(self.archive_opinion)
        self._source_changed()
        return tab

    def _source_changed(self) -> None:
        is_member = self.opinion_source.currentData() == "member"
        self.opinion_member.setVisible(is_member)
        self.opinion_from.setVisible(not is_member)

    def _build_talks(self) -> QWidget:
        self.talks = _table(
            self, [self.tr("类别"), self.tr("谈话人"), self.tr("谈话对象"), self.tr("谈话日期")]
        )
        self.talks_summary = QLabel(self)
        self.record_talk_button = QPushButton(self.tr("登记谈心谈话…"), self)
        row = QHBoxLayout()
        row.addWidget(self.talks_summary, 1)
        row.addWidget(self.record_talk_button)
        tab, self.talk_error = self._tab(self.talks, row)
        self.record_talk_button.clicked.connect(self.record_talk)
        return tab

    def _build_materials(self) -> QWidget:
        self.materials = _table(self, [self.tr("党员"), self.tr("提交日期"), self.tr("备注")])
        self.material_on = date_edit(self.prepared_on, parent=self)
        self.material_note = QLineEdit(self)
        self.material_note.setPlaceholderText(self.tr("备注（可不填）"))
        self.material_button = QPushButton(self.tr("登记所选党员已提交"), self)
        self.material_files = AttachmentsPanel(self.ctx, self)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("提交日期"), self))
        row.addWidget(self.material_on)
        row.addWidget(self.material_note, 1)
        row.addWidget(self.material_button)
        tab, self.material_error = self._tab(self.materials, row, self.material_files)
        self.material_button.clicked.connect(self.set_material)
        self.materials.itemSelectionChanged.connect(self._material_selected)
        return tab

    def _build_criticism(self) -> QWidget:
        self.criticism = _table(self, [self.tr("党员"), self.tr("自我批评"), self.tr("收到的批评意见")])
        self.self_criticism = QLineEdit(self)
        self.self_criticism.setPlaceholderText(self.tr("自我批评（几句话）"))
        self.received_criticism = QLineEdit(self)
        self.received_criticism.setPlaceholderText(self.tr("收到的批评意见（几句话）"))
        self.criticism_button = QPushButton(self.tr("保存所选党员"), self)
        row = QHBoxLayout()
        row.addWidget(self.self_criticism, 1)
        row.addWidget(self.received_criticism, 1)
        row.addWidget(self.criticism_button)
        tab, self.criticism_error = self._tab(self.criticism, row)
        self.criticism_button.clicked.connect(self.set_criticism)
        self.criticism.itemSelectionChanged.connect(self._criticism_selected)
        return tab

    def _build_items(self) -> QWidget:
        self.items = _table(
            self,
            [
                self.tr("存在问题"),
                self.tr("整改措施"),
                self.tr("责任人"),
                self.tr("整改时限"),
                self.tr("状态"),
            ],
        )
        self.item_problem = QLineEdit(self)
        self.item_problem.setPlaceholderText(self.tr("存在问题"))
        self.item_measure = QLineEdit(self)
        self.item_measure.setPlaceholderText(self.tr("整改措施"))
        self.item_owner = self._member_combo(self)
        self.item_deadline = date_edit(self.today + timedelta(days=30), parent=self)
        self.add_item_button = QPushButton(self.tr("列入整改清单"), self)
        hint = QLabel(self.tr("整改事项同时列入「项目与整改」页的检查整改，在那里登记整改完成和销号。"), self)
        row = QHBoxLayout()
        row.addWidget(self.item_problem, 2)
        row.addWidget(self.item_measure, 2)
        row.addWidget(self.item_owner)
        row.addWidget(self.item_deadline)
        row.addWidget(self.add_item_button)
        tab, self.item_error = self._tab(self.items, row, hint)
        self.add_item_button.clicked.connect(self.add_item)
        return tab

    # --- reading -----------------------------------------------------------------------------------------------

    def _on_changed(self, change: Change) -> None:
        if change in (Change.MEETINGS, Change.PROJECTS, Change.MEMBERS):
            self.refresh()

    def refresh(self) -> None:
        db, uuid = self.ctx.db, self.meeting_uuid
        r = lifemeeting.report(db, meeting_uuid=uuid, today=self.today)
        self.summary.setText(
            self.tr(
                "{0}（{1}）　征求意见 {2} 条　谈心谈话 已谈 {3}/{4} 对　对照检查材料 已交 {5}/{6} 份　"
                "批评与自我批评 {7} 人　整改清单 {8} 项（已销号 {9} 项）"
            ).format(
                r.title,
                r.held_on.isoformat(),
                r.opinions_total,
                r.talks_held,
                r.talks_expected,
                r.materials_submitted,
                r.materials_expected,
                r.criticism_recorded,
                r.items_total,
                r.items["closed"],
            )
        )
        opinions = lifemeeting.list_opinions(db, meeting_uuid=uuid)
        _fill(
            self.opinions,
            [
                (o.source_label, o.member_name or o.source_name, o.received_on.isoformat(), o.text)
                for o in opinions
            ],
            [o.uuid for o in opinions],
        )
        # the missing pairs first: they are what the secretary still has to do
        pairs = sorted(lifemeeting.talk_pairs(db, meeting_uuid=uuid), key=lambda p: not p.missing)
        _fill(
            self.talks,
            [
                (p.kind_label, p.a_name, p.b_name, p.talk_on.isoformat() if p.talk_on else self.tr("未谈"))
                for p in pairs
            ],
            [(p.a_uuid, p.b_uuid) for p in pairs],
            [p.missing for p in pairs],
        )
        self._pairs = pairs
        missing = sum(p.missing for p in pairs)
        self.talks_summary.setText(
            self.tr("应谈 {0} 对，已谈 {1} 对，未谈 {2} 对（红色）。").format(
                len(pairs), len(pairs) - missing, missing
            )
        )
        materials = lifemeeting.list_materials(db, meeting_uuid=uuid)
        _fill(
            self.materials,
            [
                (m.member_name, m.submitted_on.isoformat() if m.submitted_on else self.tr("未提交"), m.note)
                for m in materials
            ],
            [m.member_uuid for m in materials],
            [m.submitted_on is None for m in materials],
        )
        self._material_uuids = {m.member_uuid: m.uuid for m in materials}
        self._material_selected()
        criticism = lifemeeting.list_criticism(db, meeting_uuid=uuid)
        _fill(
            self.criticism,
            [(c.member_name, c.self_criticism, c.criticism) for c in criticism],
            [c.member_uuid for c in criticism],
        )
        self._criticism_texts = {c.member_uuid: (c.self_criticism, c.criticism) for c in criticism}
        items = lifemeeting.list_items(db, meeting_uuid=uuid)
        _fill(
            self.items,
            [
                (
                    f.problem,
                    f.measure,
                    f.owner.name if f.owner else "",
                    f.deadline.isoformat(),
                    f.status_label + (self.tr("（逾期）") if f.is_overdue(self.today) else ""),
                )
                for f in items
            ],
            [f.uuid for f in items],
        )

    def _material_selected(self) -> None:
        key = _selected_key(self.materials)
        material = self._material_uuids.get(str(key)) if key else None
        self.material_files.set_owner((lifemeeting.MATERIAL_KIND, material) if material else None)

    def _criticism_selected(self) -> None:
        key = _selected_key(self.criticism)
        own, received = self._criticism_texts.get(str(key), ("", "")) if key else ("", "")
        self.self_criticism.setText(own)
        self.received_criticism.setText(received)

    # --- actions -----------------------------------------------------------------------------------------------

    def _run(self, error: QLabel, action: Callable[[], object]) -> bool:
        """Run one action; a refusal goes to ``error`` in Chinese. True when it was saved."""
        try:
            action()
        except BranchDeskError as exc:
            error.setText(str(exc))
            return False
        error.setText("")
        return True

    def add_opinion(self) -> bool:
        kind = self.opinion_source.currentData()
        saved = self._run(
            self.opinion_error,
            lambda: ops.add_opinion(
                self.ctx,
                meeting_uuid=self.meeting_uuid,
                source_kind=kind,
                member_uuid=self.opinion_member.currentData() if kind == "member" else None,
                source_name=self.opinion_from.text(),
                received_on=to_date(self.opinion_on.date()),
                text=self.opinion_text.text(),
                today=self.today,
            ),
        )
        if saved:
            self.opinion_text.clear()
            self.opinion_from.clear()
        return saved

    def archive_opinion(self) -> bool:
        key = _selected_key(self.opinions)
        if key is None:
            self.opinion_error.setText(self.tr("请先在列表中选择要撤回的意见"))
            return False
        return self._run(self.opinion_error, lambda: ops.archive_opinion(self.ctx, uuid=str(key)))

    def record_talk(self) -> QWidget:
        """The talk form with the selected pair (or the first missing one) ticked."""
        from desktop.dialogs.meeting_heart_talk import HeartTalkDialog

        pair = _selected_key(self.talks)
        if pair is None:
            pair = next(((p.a_uuid, p.b_uuid) for p in self._pairs if p.missing), None)
        meeting = lifemeeting.life_meeting(self.ctx.db, self.meeting_uuid)
        dialog = HeartTalkDialog(
            self.ctx,
            today=self.today,
            participants=tuple(pair) if isinstance(pair, tuple) else (),
            on=min(meeting.held_on, self.today),
            topic=self.tr("组织生活会前谈心谈话"),
            parent=self,
        )
        self._dialog = dialog
        dialog.open()
        return dialog

    def set_material(self) -> bool:
        key = _selected_key(self.materials)
        if key is None:
            self.material_error.setText(self.tr("请先在列表中选择提交材料的党员"))
            return False
        return self._run(
            self.material_error,
            lambda: ops.set_material(
                self.ctx,
                meeting_uuid=self.meeting_uuid,
                member_uuid=str(key),
                submitted_on=to_date(self.material_on.date()),
                note=self.material_note.text(),
                today=self.today,
            ),
        )

    def set_criticism(self) -> bool:
        key = _selected_key(self.criticism)
        if key is None:
            self.criticism_error.setText(self.tr("请先在列表中选择党员"))
            return False
        return self._run(
            self.criticism_error,
            lambda: ops.set_criticism(
                self.ctx,
                meeting_uuid=self.meeting_uuid,
                member_uuid=str(key),
                self_criticism=self.self_criticism.text(),
                criticism=self.received_criticism.text(),
            ),
        )

    def add_item(self) -> bool:
        saved = self._run(
            self.item_error,
            lambda: ops.add_item(
                self.ctx,
                meeting_uuid=self.meeting_uuid,
                problem=self.item_problem.text(),
                measure=self.item_measure.text(),
                owner_uuid=self.item_owner.currentData(),
                deadline=to_date(self.item_deadline.date()),
                today=self.today,
            ),
        )
        if saved:
            self.item_problem.clear()
            self.item_measure.clear()
        return saved

    # --- printing ----------------------------------------------------------------------------------------------

    def preview_report(self) -> QWidget:
        from desktop.printing.catalogue import Selection
        from desktop.printing.life_meeting import preview_dialog
        from desktop.word import forms

        record = Selection(record=self.meeting_uuid, today=self.today)
        dialog = preview_dialog(
            self.ctx.db,
            meeting_uuid=self.meeting_uuid,
            parent=self,
            today=self.today,
            word=lambda path: forms.write_docx(self.ctx.db, kind="life-meeting-report", out=path, sel=record),
        )
        self._dialog = dialog
        dialog.open()
        return dialog

    def export_pdf(self, path: str | Path) -> int:
        from desktop.printing.life_meeting import write_pdf

        return write_pdf(self.ctx.db, meeting_uuid=self.meeting_uuid, path=path, today=self.today)

    def _ask_pdf(self) -> None:
        title = lifemeeting.life_meeting(self.ctx.db, self.meeting_uuid).title
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("导出 PDF"), self.tr("{0}情况报告.pdf").format(title), self.tr("PDF 文件 (*.pdf)")
        )
        if path:
            try:
                self.export_pdf(path)
            except OSError as exc:
                QMessageBox.warning(self, self.tr("导出 PDF"), self.tr("无法写入文件：{0}").format(exc))


def _latest_life_meeting(ctx: AppContext) -> str | None:
    from db import meetings

    held = meetings.list_meetings(ctx.db, kind="life_meeting", status="held")
    return max(held, key=lambda m: m.held_on).uuid if held else None


def _shot(ctx: AppContext, parent: QWidget, tab: int) -> QWidget:
    uuid = _latest_life_meeting(ctx)
    if uuid is None:  # an empty database: say so
        box = QDialog(parent)
        QVBoxLayout(box).addWidget(QLabel(box.tr("还没有召开过的组织生活会。"), box))
        return box
    dialog = LifeMeetingDialog(ctx, meeting_uuid=uuid, parent=parent)
    dialog.tabs.setCurrentIndex(tab)
    return dialog


def screenshot_dialog(ctx: AppContext, parent: QWidget) -> QWidget:
    """The demo's 组织生活会 on its 整改清单 (for ``desktop.screenshots``)."""
    return _shot(ctx, parent, 4)


def screenshot_talks_dialog(ctx: AppContext, parent: QWidget) -> QWidget:
    """The demo's 组织生活会 on its talk pairs, the missing ones highlighted (for ``desktop.screenshots``)."""
    return _shot(ctx, parent, 1)


def screenshot_findings_page(ctx: AppContext, parent: QWidget) -> QWidget:
    """The 检查整改 tab of the projects page narrowed to the 组织生活会's items (for ``desktop.screenshots``)."""
    from desktop.pages.projects import Page

    page = Page(ctx, parent)
    page.setWindowFlag(Qt.WindowType.Dialog)
    page.resize(1200, 560)
    page.tabs.setCurrentIndex(1)
    page.finding_search.setText("组织生活会")
    return page
