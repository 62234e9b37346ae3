"""统计年报: the branch's 党内统计 tables for a year or half-year (issue 19), each figure opening to the people
behind it, the balance with the people who make a difference, export, save and mark final.

The tables come from ``db.statistics.yearly_report`` (declared in ``db.statistics.tables``); this page only shows
them. Clicking a figure lists its people; double-clicking a person (or 查看党员) opens the roster on them.

A year takes seconds on a large roster, so ``refresh`` computes it in a worker (``desktop.tasks``, on its own
connection): a busy bar shows, the year and half-year pickers and the buttons are disabled until it arrives, a
result for an older request is dropped, and an error is one Chinese message. ``computed`` is emitted with each
report shown (tests wait on it). 上级汇总… opens the HQ consolidation dialog.
"""

from __future__ import annotations

import logging
import time
from datetime import date
from pathlib import Path
from typing import Any

from db import branch, statistics
from db.errors import BranchDeskError
from desktop.changes import Change
from desktop.context import AppContext
from desktop.dialogs.statistics_change_dialog import ChangeReasonDialog
from desktop.operations.base import perform
from desktop.pages import BasePage
from desktop.qt import *
from desktop.tasks import Progress, Task, error_text, own_connection, run_in_background

log = logging.getLogger(__name__)

UUID_ROLE = Qt.ItemDataRole.UserRole


def _wrapped(label: str, width: int = 4) -> str:
    """A long column label on several lines (the forms' headers are narrow and tall)."""
    return "\n".join(label[i : i + width] for i in range(0, len(label), width))


class Page(BasePage):
    computed = Signal(object)  # the report now shown
    compute_failed = Signal(str)  # the Chinese message shown

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(ctx, parent, today=today)
        self.report: statistics.Report | None = None
        self._request = 0  # the newest refresh; a result for an older one is dropped
        self._task: Task[Any] | None = None
        self._busy = False  # a computation is on its way (the busy bar shows it once the page is visible)
        # A page closed while a year is computing: the result that arrives later has nowhere to go.
        self.destroyed.connect(lambda *_: setattr(self, "_request", -1))
        root = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("统计年度")))
        self.year = QSpinBox()
        self.year.setRange(1921, self.today().year)  # a year not begun has no records to count
        self.year.setValue(self.today().year - 1)
        bar.addWidget(self.year)
        self.half = QComboBox()
        self.half.addItem(self.tr("全年（截至12月31日）"), False)
        self.half.addItem(self.tr("上半年（截至6月30日）"), True)
        bar.addWidget(self.half)
        self.reason_button = QPushButton(self.tr("补记变动原因…"))
        self.export_button = QPushButton(self.tr("导出工作簿…"))
        self.save_button = QPushButton(self.tr("保存"))
        self.final_button = QPushButton(self.tr("定稿…"))
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # a busy indicator: no known length
        self.busy.setTextVisible(False)
        self.busy.setMaximumWidth(120)
        self.busy.setToolTip(self.tr("正在计算…"))
        self.busy.hide()
        bar.addWidget(self.busy)
        self.consolidate_button = QPushButton(self.tr("上级汇总…"))
        self.consolidate_button.setToolTip(self.tr("上级：选择多个支部的年报工作簿，校核后汇总"))
        bar.addStretch(1)
        for b in (
            self.reason_button,
            self.export_button,
            self.save_button,
            self.final_button,
            self.consolidate_button,
        ):
            bar.addWidget(b)
        root.addLayout(bar)
        self.balance = QLabel()
        self.balance.setWordWrap(True)
        self.balance.setTextFormat(Qt.TextFormat.PlainText)
        root.addWidget(self.balance)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.tables = QListWidget()
        self.tables.setMaximumWidth(190)
        split.addWidget(self.tables)
        self.grid = QTableWidget()
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        split.addWidget(self.grid)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        self.people_title = QLabel(self.tr("点击数字查看人员"))
        self.people_title.setWordWrap(True)
        side_layout.addWidget(self.people_title)
        self.people = QListWidget()
        side_layout.addWidget(self.people, 1)
        self.open_member = QPushButton(self.tr("查看党员"))
        side_layout.addWidget(self.open_member)
        side_layout.addWidget(QLabel(self.tr("平衡校核：差异人员与待补充")))
        self.differences = QListWidget()
        side_layout.addWidget(self.differences, 1)
        split.addWidget(side)
        split.setStretchFactor(1, 3)
        split.setStretchFactor(2, 1)
        root.addWidget(split, 1)
        self.year.valueChanged.connect(self.refresh)
        self.half.currentIndexChanged.connect(self.refresh)
        self.tables.currentRowChanged.connect(self._show_table)
        self.grid.cellClicked.connect(self.show_people)
        self.people.itemDoubleClicked.connect(self._jump)
        self.differences.itemDoubleClicked.connect(lambda item: self.give_reason(item.data(UUID_ROLE)))
        self.reason_button.clicked.connect(
            lambda: self.give_reason(
                self.differences.currentItem().data(UUID_ROLE) if self.differences.currentItem() else None
            )
        )
        self.open_member.clicked.connect(lambda: self._jump(self.people.currentItem()))
        self.export_button.clicked.connect(self._choose_export)
        self.save_button.clicked.connect(lambda: self.save(final=False))
        self.final_button.clicked.connect(self._ask_final)
        self.consolidate_button.clicked.connect(self.open_consolidation)
        ctx.changed.connect(lambda _changes: self.refresh() if self.isVisible() else None)

    # --- computing and showing --------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Compute the chosen year (or half) in the background; the page shows it when it arrives."""
        self._request += 1
        request = self._request
        year, half = self.year.value(), bool(self.half.currentData())
        db = self.ctx.db
        self._set_busy(True)

        def work(progress: Progress) -> statistics.Report:
            with own_connection(db) as own:
                return statistics.yearly_report(own, year=year, half=half)

        self._task = run_in_background(
            self,
            title=self.tr("统计年报"),
            fn=work,
            on_done=lambda report: self._arrived(request, report),
            on_error=lambda exc: self._failed(request, exc),
            show_dialog=False,
        )

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.busy.setVisible(busy)
        for w in (
            self.year,
            self.half,
            self.reason_button,
            self.export_button,
            self.save_button,
            self.final_button,
        ):
            w.setEnabled(not busy)
        if busy:
            self.balance.setText(self.tr("正在计算{0}年的统计…").format(self.year.value()))

    def is_busy(self) -> bool:
        """A computation is on its way, whether or not the page is shown yet."""
        return self._busy

    def wait_idle(self, seconds: float = 120.0) -> None:
        """Process events until the newest computation is shown (screenshots; never the GUI's own paths)."""
        deadline = time.monotonic() + seconds
        while self.is_busy() and time.monotonic() < deadline:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)

    def _arrived(self, request: int, report: statistics.Report) -> None:
        if request != self._request:
            return  # an older request: the newer one is on its way
        self._set_busy(False)
        self.report = report
        current = max(self.tables.currentRow(), 0)
        self.tables.blockSignals(True)
        self.tables.clear()
        for result in report.tables:
            suffix = "" if result.available else self.tr("（无数据来源）")
            self.tables.addItem(result.table.title + suffix)
        self.tables.blockSignals(False)
        self.tables.setCurrentRow(min(current, self.tables.count() - 1))
        self._show_table(self.tables.currentRow())
        self._show_balance()
        self.computed.emit(report)

    def _failed(self, request: int, exc: BaseException) -> None:
        if request != self._request:
            return
        self._set_busy(False)
        message = self.tr("无法计算{0}年的统计：{1}").format(self.year.value(), error_text(exc))
        self.balance.setText(message)
        if not isinstance(exc, BranchDeskError):
            log.error("statistics computation failed", exc_info=exc)
        box = QMessageBox(
            QMessageBox.Icon.Warning, self.tr("统计年报"), message, QMessageBox.StandardButton.Ok, self
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()  # not modal-blocking: the page stays usable, the worker's thread is already done
        self.error_box = box
        self.compute_failed.emit(message)

    def _show_balance(self) -> None:
        assert self.report is not None
        b = self.report.balance
        source = self.tr("上年已保存的年报") if b.previous_source == "saved" else self.tr("按记录重算")
        result = self.tr("平衡") if b.closes else self.tr("不平衡，差 {0} 人").format(b.difference)
        saved = self.report.saved
        state = ""
        if saved is not None:
            state = self.tr("（已定稿）") if saved["final"] else self.tr("（已保存，未定稿）")
        self.balance.setText(
            self.tr(
                "{0}{1}：上年底总数 {2}（{3}）+ 本年增加 {4} − 本年减少 {5} = 本年底应有数 {6}；本年底实有数 {7}：{8}"
            ).format(
                self.report.period_text,
                state,
                b.previous,
                source,
                b.added,
                b.removed,
                b.expected,
                b.actual,
                result,
            )
        )
        self.final_button.setEnabled(not (saved and saved["final"]))
        self.save_button.setEnabled(not (saved and saved["final"]))
        self.differences.clear()
        for label, people in ((self.tr("差异"), b.people), (self.tr("待补充"), b.warnings)):
            for p in people:
                item = QListWidgetItem(f"{label}：{p.name}：{p.why}")
                item.setData(UUID_ROLE, p.uuid)
                item.setToolTip(p.why)
                self.differences.addItem(item)

    def _show_table(self, index: int) -> None:
        self.grid.clear()
        if self.report is None or index < 0:
            return
        result = self.report.tables[index]
        table = result.table
        self.grid.setRowCount(len(table.rows))
        self.grid.setColumnCount(len(table.columns))
        self.grid.setHorizontalHeaderLabels([_wrapped(c.label) for c in table.columns])
        self.grid.setVerticalHeaderLabels([r.label for r in table.rows])
        for ri in range(len(table.rows)):
            for ci in range(len(table.columns)):
                value = result.figure(ri, ci)
                text = "" if value is None else str(value)
                item = QTableWidgetItem(text if table.columns[ci].held else self.tr("未掌握"))
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.grid.setItem(ri, ci, item)
        self.grid.resizeColumnsToContents()
        self.people.clear()
        note = table.note or (self.tr("本程序尚无该表的数据来源") if not result.available else "")
        self.people_title.setText(note or self.tr("点击数字查看人员"))

    def show_people(self, row: int, column: int) -> None:
        """List the people behind the figure at (row, column) of the table shown."""
        self.people.clear()
        if self.report is None:
            return
        result = self.report.tables[self.tables.currentRow()]
        cell = result.cells[row][column]
        label = f"{result.table.rows[row].label.strip()} · {result.table.columns[column].label}"
        if cell is None:
            self.people_title.setText(self.tr("{0}：该数字不对应具体人员").format(label))
            return
        self.people_title.setText(self.tr("{0}：{1} 人").format(label, cell.count))
        for uuid in cell.uuids:
            item = QListWidgetItem(self.report.names.get(uuid, uuid))
            item.setData(UUID_ROLE, uuid)
            self.people.addItem(item)

    def _jump(self, item: QListWidgetItem | None) -> None:
        if item is None or self.report is None:
            return
        uuid = item.data(UUID_ROLE)
        name = self.report.names.get(uuid, "")
        self.ctx.navigate("members", {"query": name, "status": None})

    def give_reason(self, member_uuid: str | None) -> bool:
        """补记变动原因 for a person the balance names (or anyone): the dialog, then the report again."""
        dialog = ChangeReasonDialog(self.ctx, self, member_uuid=member_uuid, today=self.today())
        saved = dialog.exec() == QDialog.DialogCode.Accepted
        if saved:
            self.refresh()
        return saved

    # --- export, save, final ----------------------------------------------------------------------------------

    def _choose_export(self) -> None:
        if self.report is None:
            return
        suffix = self.tr("上半年") if self.report.half else self.tr("年度")
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("导出统计年报"),
            f"{self.report.year}{suffix}党内统计.xlsx",
            self.tr("Excel 工作簿 (*.xlsx)"),
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> bool:
        assert self.report is not None
        try:
            profile = branch.get_branch(self.ctx.db)
            statistics.write_report(
                self.report,
                path,
                branch=profile.name if profile else "",
                code=profile.code if profile else "",
            )
        except BranchDeskError as exc:  # the file named, why in Chinese, what to do
            QMessageBox.warning(self, self.tr("导出统计年报"), exc.message)
            return False
        self.people_title.setText(self.tr("已导出：{0}").format(path.name))
        return True

    def _ask_final(self) -> None:
        assert self.report is not None
        explanation = ""
        if not self.report.balance.closes:
            text, ok = QInputDialog.getMultiLineText(
                self,
                self.tr("定稿"),
                self.tr("实有数与应有数不一致（差 {0} 人）。请说明差异原因后定稿：").format(
                    self.report.balance.difference
                ),
            )
            if not ok:
                return
            explanation = text
        elif (
            QMessageBox.question(self, self.tr("定稿"), self.tr("定稿后该期统计不能再修改。确定定稿吗？"))
            != QMessageBox.StandardButton.Yes
        ):
            return
        self.save(final=True, explanation=explanation)

    def save(self, *, final: bool, explanation: str = "") -> bool:
        report = self.report
        assert report is not None
        try:
            perform(
                self.ctx,
                [Change.STATISTICS],
                statistics.save_report,
                report=report,
                explanation=explanation,
                final=final,
                today=self.today(),
            )
        except BranchDeskError as exc:
            QMessageBox.warning(self, self.tr("统计年报"), exc.message)
            return False
        self.refresh()
        return True

    # --- HQ consolidation ---------------------------------------------------------------------------------

    def open_consolidation(self) -> QDialog:
        from desktop.dialogs.stats_consolidate_dialog import ConsolidateDialog

        dialog = ConsolidateDialog(self)
        dialog.open()
        return dialog
