"""上级汇总 of the yearly 党内统计 (issue 19), for HQ clerks who use the GUI: pick several branches' report workbooks,
see the 校核结果 (each branch's 汇总情况 and balance, every failure with file, sheet and cell and what to do), then
save the consolidated workbook — the exchange page's preview-then-apply pattern. Reading and writing run in the
background (``desktop.tasks``); ``check_files`` and ``save_to`` are what the buttons call, and what tests call.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from db.statistics import consolidate as c
from desktop.qt import *
from desktop.tasks import Progress, Task, run_in_background

BRANCH_HEADERS = ("文件", "支部", "汇总情况", "上年底", "增加", "减少", "应有数", "实有数", "平衡")
FINDING_HEADERS = ("文件", "支部", "工作表", "单元格", "校核项目", "问题", "处理办法")


def _fill(table: QTableWidget, headers: tuple[str, ...], rows: list[list[Any]]) -> None:
    table.clear()
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setRowCount(len(rows))
    for ri, row in enumerate(rows):
        for ci, value in enumerate(row):
            item = QTableWidgetItem(str(value))
            item.setToolTip(str(value))
            table.setItem(ri, ci, item)
    table.resizeColumnsToContents()


class ConsolidateDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("党内统计年报：上级汇总"))
        self.resize(1100, 640)
        self.checked: c.StatsConsolidation | None = None
        self.last_task: Task[Any] | None = None
        root = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.choose_button = QPushButton(self.tr("选择各支部的年报工作簿…"))
        self.save_button = QPushButton(self.tr("保存汇总工作簿…"))
        self.save_button.setEnabled(False)
        bar.addWidget(self.choose_button)
        bar.addWidget(self.save_button)
        bar.addStretch(1)
        root.addLayout(bar)
        self.summary = QLabel(self.tr("先选择各支部报来的年报工作簿（可多选）：校核后再保存汇总。"))
        self.summary.setWordWrap(True)
        root.addWidget(self.summary)
        self.branches = QTableWidget()
        self.findings = QTableWidget()
        for table in (self.branches, self.findings):
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.setWordWrap(True)
        root.addWidget(QLabel(self.tr("各支部")))
        root.addWidget(self.branches, 1)
        root.addWidget(QLabel(self.tr("校核结果")))
        root.addWidget(self.findings, 2)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        root.addWidget(buttons)
        self.choose_button.clicked.connect(self._choose)
        self.save_button.clicked.connect(self._choose_save)

    def _choose(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, self.tr("选择各支部的党内统计年报工作簿"), "", self.tr("Excel 工作簿 (*.xlsx)")
        )
        if paths:
            self.check_files([Path(p) for p in paths])

    def check_files(self, paths: list[Path]) -> Task[Any]:
        """Read and check the workbooks in the background, then show the 校核结果 (nothing is written)."""
        self.save_button.setEnabled(False)

        def work(progress: Progress) -> c.StatsConsolidation:
            return c.check_stats(paths, progress=progress.report)

        self.last_task = run_in_background(
            self, title=self.tr("校核各支部的年报"), fn=work, on_done=self._show
        )
        return self.last_task

    def _show(self, result: c.StatsConsolidation) -> None:
        self.checked = result
        self.summary.setText(
            self.tr(
                "{0}：可汇总 {1} 个支部，未汇总 {2} 个，校核问题 {3} 项。确认后点「保存汇总工作簿…」。"
            ).format(
                result.period or self.tr("（无可汇总的年报）"),
                len(result.summed),
                result.not_summed,
                len(result.findings),
            )
        )
        _fill(
            self.branches,
            BRANCH_HEADERS,
            [
                [b.file_name, b.branch, b.status, b.previous, b.added, b.removed, b.expected, b.actual]
                + [self.tr("平衡") if b.ok else self.tr("不平衡")]
                for b in result.branches
            ],
        )
        _fill(
            self.findings,
            FINDING_HEADERS,
            [[f.file, f.branch, f.sheet, f.cell, f.kind, f.message, f.action] for f in result.findings],
        )
        self.save_button.setEnabled(bool(result.summed))

    def _choose_save(self) -> None:
        if self.checked is None:
            return
        name = f"{self.checked.period}党内统计汇总.xlsx"
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("保存汇总工作簿"), name, self.tr("Excel 工作簿 (*.xlsx)")
        )
        if path:
            self.save_to(Path(path))

    def save_to(self, path: Path) -> Task[Any]:
        """Write the consolidated workbook (with its 校核结果 sheet) of the result shown, in the background."""
        result = self.checked
        assert result is not None

        def work(progress: Progress) -> Path:
            return c.write_consolidation(result, path)

        def done(out: Path) -> None:
            self.summary.setText(self.tr("已保存汇总工作簿：{0}").format(out))

        self.last_task = run_in_background(self, title=self.tr("保存汇总工作簿"), fn=work, on_done=done)
        return self.last_task
