"""The 统计报表 tab of the dues page (党费): the year month by month, the publication list (党费收缴公示) and one
member's statement, each in its own sub-tab at the full width; and the dues page's tables of members."""

from __future__ import annotations

from datetime import date
from typing import Any

from db import dues as dues_db
from db.members import list_members
from db.rules import fen_to_yuan_text
from desktop.context import AppContext
from desktop.models.dues import MemberRowsProxy, PublicationModel, StatementModel, TotalsModel
from desktop.models.records import RecordsModel
from desktop.qt import *
from desktop.widgets.tables import fit_columns, record_table


def dues_table(
    parent: QWidget, model: RecordsModel[Any], name: str
) -> tuple[QTableView, QSortFilterProxyModel]:
    """A table of the dues page over ``model``: sorted by value, searchable by name, narrowed to some members."""
    proxy = MemberRowsProxy(parent)
    proxy.setSourceModel(model)
    view = record_table(parent, proxy, name)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    return view, proxy


class ReportsTab(QWidget):
    """The year's reports; ``year`` is the year shown first. The page connects the buttons (``export``,
    ``print_publication``, ``print_year``) and reloads through ``reload`` when the year or the data change."""

    def __init__(self, ctx: AppContext, parent: QWidget, *, year: int) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.year = QSpinBox(self)
        self.year.setObjectName("year")
        self.year.setRange(2000, 2100)
        self.year.setSuffix(self.tr(" 年"))
        self.year.setValue(year)
        self.year_totals = QLabel(self)
        self.year_totals.setObjectName("year_totals")
        self.export = QPushButton(self.tr("导出 Excel…"), self)
        self.print_publication = QPushButton(self.tr("打印公示…"), self)
        self.print_year = QPushButton(self.tr("打印汇总…"), self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("年度"), self))
        bar.addWidget(self.year)
        bar.addWidget(self.year_totals, 1)
        for b in (self.export, self.print_year, self.print_publication):
            bar.addWidget(b)
        self.totals_model = TotalsModel(self)
        self.totals_view, _ = dues_table(self, self.totals_model, "year_report")
        self.totals_view.setSortingEnabled(False)
        for col, width in enumerate((85, 95, 95, 65, 65)):
            self.totals_view.setColumnWidth(col, width)
        self.publication_model = PublicationModel(self)
        self.publication_view, _ = dues_table(self, self.publication_model, "publication")
        for col, width in enumerate((70, 80, 120, 95, 70, 70, 95, 95)):
            self.publication_view.setColumnWidth(col, width)
        self.statement_member = QComboBox(self)
        self.statement_member.setObjectName("statement_member")
        self.statement_model = StatementModel(self)
        self.statement_view, _ = dues_table(self, self.statement_model, "statement")
        self.statement_view.setSortingEnabled(False)
        for col, width in enumerate((85, 90, 70, 70, 90, 60)):
            self.statement_view.setColumnWidth(col, width)

        # Each report in its own sub-tab at the full width, so every table shows all its columns at 1366×768
        # instead of three narrow panes scrolling sideways.
        details = QTabWidget(self)
        details.setObjectName("report_details")
        details.addTab(self.totals_view, self.tr("逐月汇总"))
        details.addTab(self.publication_view, self.tr("党费收缴公示"))
        statement = QWidget(details)
        rlayout = QVBoxLayout(statement)
        rlayout.addWidget(self.statement_member)
        rlayout.addWidget(self.statement_view)
        details.addTab(statement, self.tr("个人缴费明细"))
        self.report_details = details
        for view in (self.totals_view, self.publication_view, self.statement_view):
            fit_columns(view, stretch=(view.model().columnCount() - 1,))
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(details, 1)
        self.statement_member.currentIndexChanged.connect(lambda _i: self.reload_statement())

    def reload(self, through: date | None) -> None:
        """The reports of the year chosen, run to ``through`` (None: the whole year)."""
        year = self.year.value()
        report = dues_db.year_report(self.ctx.db, year=year, through=through)
        self.totals_model.set_rows([*report.months, report.total])
        t = report.total
        self.year_totals.setText(
            self.tr("{0}：应缴 {1} 元，实缴 {2} 元").format(
                t.label, fen_to_yuan_text(t.due_fen), fen_to_yuan_text(t.paid_fen)
            )
        )
        self.publication_model.set_rows(dues_db.publication_rows(self.ctx.db, year=year, through=through))
        current = self.statement_member.currentData()
        self.statement_member.blockSignals(True)
        self.statement_member.clear()
        for m in list_members(self.ctx.db, status=None):
            self.statement_member.addItem(m.name, m.uuid)
        if current:
            self.statement_member.setCurrentIndex(max(0, self.statement_member.findData(current)))
        self.statement_member.blockSignals(False)
        self.reload_statement()

    def reload_statement(self) -> None:
        member = self.statement_member.currentData()
        rows = (
            dues_db.member_statement(self.ctx.db, member_uuid=member, year=self.year.value())
            if member
            else []
        )
        self.statement_model.set_rows(rows)
