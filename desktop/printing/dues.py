"""Printed dues documents: the month's ledger (党费收缴台账), the annual publication list (党费收缴公示) and the
year's totals (党费收缴汇总).

The layout is the shared printed table (``desktop.printing.table``: title and header row on every page, cells
wrapped, totals lines under the table). ``ledger_document``, ``publication_document`` and
``year_document`` turn ``db.dues`` records into a ``PrintDocument``. Member IDs never appear.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from db.attachments.tags import PrintCode
from db.dues import DuesTotals, LedgerEntry, PublicationRow, YearReport, month_label
from db.records import CATEGORIES
from db.rules import DUES_CATEGORIES, date_text, dues_rate_text, fen_to_yuan_text
from db.store import Database
from desktop.i18n import translator
from desktop.printing.table import (
    PrintColumn,
    PrintDocument,
    page_layout,
    preview,
    render_table,
    write_pdf,
)
from desktop.qt import *

__all__ = [
    "PrintColumn",
    "PrintDocument",
    "ledger_document",
    "page_layout",
    "preview",
    "publication_document",
    "render_table",
    "write_pdf",
    "year_document",
]


_tr = translator("dues_print")


# --- the documents ----------------------------------------------------------------------------------------------


def _totals_line(t: DuesTotals) -> str:
    return _tr("合计：应缴 {0} 元，实缴 {1} 元；应缴 {2} 人，已缴 {3} 人，未缴 {4} 人").format(
        fen_to_yuan_text(t.due_fen),
        fen_to_yuan_text(t.paid_fen),
        t.members_due,
        t.members_paid,
        t.members_due - t.members_paid,
    )


def ledger_document(
    branch_name: str,
    month: date,
    entries: Sequence[LedgerEntry],
    totals: DuesTotals,
    *,
    printed_on: date | None = None,
) -> PrintDocument:
    """The month's ledger (landscape): one line per member, totals and signature lines under it."""
    printed_on = printed_on or date.today()
    columns = [
        PrintColumn("序号", 4),
        PrintColumn("姓名", 8),
        PrintColumn("人员类别", 8),
        PrintColumn("党费类别", 12),
        PrintColumn("缴纳基数", 9, True),
        PrintColumn("比例", 5),
        PrintColumn("应缴(元)", 8, True),
        PrintColumn("实缴(元)", 8, True),
        PrintColumn("缴纳日期", 10),
        PrintColumn("代缴人", 7),
        PrintColumn("备注", 14, align_left=True),
    ]
    rows = []
    for i, e in enumerate(entries, 1):
        rows.append(
            [
                str(i),
                e.member_name,
                CATEGORIES.get(e.member_category, e.member_category),
                DUES_CATEGORIES.get(e.dues_category or "", "未核定"),
                fen_to_yuan_text(e.base_fen) if e.dues_category in ("employed", "retired") else "",
                dues_rate_text(e.rate) if e.dues_category else "",
                fen_to_yuan_text(e.due_fen),
                fen_to_yuan_text(e.paid_fen) if e.paid else _tr("免缴") if e.due_fen == 0 else _tr("未缴"),
                e.paid_on.isoformat() if e.paid_on else "",
                e.proxy_name,
                "；".join(x for x in (_tr("经批准减免") if e.reduced else "", e.note) if x),
            ]
        )
    return PrintDocument(
        _tr("{0}{1}党费收缴台账").format(branch_name, month_label(month)),
        _tr("共 {0} 人    打印日期：{1}").format(len(entries), date_text(printed_on)),
        columns,
        rows,
        [_totals_line(totals), "", _tr("收款人（签字）：____________        支部书记（签字）：____________")],
        landscape=True,
        code=PrintCode("dues-ledger", month.isoformat()[:7]),
    )


def publication_document(
    branch_name: str,
    year: int,
    rows: Sequence[PublicationRow],
    *,
    through: date | None = None,
    printed_on: date | None = None,
) -> PrintDocument:
    """The annual publication list (党费收缴公示), portrait."""
    printed_on = printed_on or date.today()
    span = (
        _tr("{0}年1月至{1}月").format(year, through.month)
        if through and through.year == year
        else _tr("{0}年全年").format(year)
    )
    columns = [
        PrintColumn("序号", 4),
        PrintColumn("姓名", 8),
        PrintColumn("党费类别", 13),
        PrintColumn("月缴纳额(元)", 10, True),
        PrintColumn("应缴月数", 7, True),
        PrintColumn("实缴月数", 7, True),
        PrintColumn("实缴金额(元)", 10, True),
        PrintColumn("备注", 12, align_left=True),
    ]
    lines = [
        [
            str(i),
            p.member_name,
            p.dues_category,
            fen_to_yuan_text(p.monthly_fen),
            str(p.months_due),
            str(p.months_paid),
            fen_to_yuan_text(p.paid_fen),
            p.note,
        ]
        for i, p in enumerate(rows, 1)
    ]
    due = sum(p.due_fen for p in rows)
    paid = sum(p.paid_fen for p in rows)
    return PrintDocument(
        _tr("{0}{1}年度党费收缴公示").format(branch_name, year),
        _tr("公示范围：{0}    公示日期：{1}").format(span, date_text(printed_on)),
        columns,
        lines,
        [
            _tr("合计：应缴 {0} 元，实缴 {1} 元，共 {2} 人。").format(
                fen_to_yuan_text(due), fen_to_yuan_text(paid), len(rows)
            ),
            _tr("如对公示内容有异议，请于公示之日起 7 日内向党支部反映。"),
            "",
            _tr("{0}（盖章）").format(branch_name),
        ],
        code=PrintCode("dues-publication", str(year)),
    )


def year_document(branch_name: str, report: YearReport, *, printed_on: date | None = None) -> PrintDocument:
    """Month by month totals of a year, portrait."""
    printed_on = printed_on or date.today()
    columns = [
        PrintColumn("月份", 10),
        PrintColumn("应缴金额(元)", 12, True),
        PrintColumn("实缴金额(元)", 12, True),
        PrintColumn("应缴人数", 8, True),
        PrintColumn("实缴人数", 8, True),
        PrintColumn("收缴率", 8, True),
    ]

    def rate(t: DuesTotals) -> str:
        return f"{t.members_paid * 1000 // t.members_due / 10:.1f}%" if t.members_due else ""

    rows = [
        [
            t.label,
            fen_to_yuan_text(t.due_fen),
            fen_to_yuan_text(t.paid_fen),
            str(t.members_due),
            str(t.members_paid),
            rate(t),
        ]
        for t in [*report.months, report.total]
    ]
    return PrintDocument(
        _tr("{0}{1}年党费收缴汇总").format(branch_name, report.year),
        _tr("打印日期：{0}").format(date_text(printed_on)),
        columns,
        rows,
        [_tr("年度合计中，应缴人数为当年应交纳党费的党员数，实缴人数为各月均已交纳的党员数。")],
        code=PrintCode("dues-year", str(report.year)),
    )


def report_through(year: int, today: date) -> date | None:
    """Reports of the current year run to the last completed month (the current one is still being collected),
    or to this month in January; other years are whole (None)."""
    from db import dues

    if year != today.year:
        return None
    last = dues.add_month(today, -1)
    return last if last.year == year else today


def document(db: Database, kind: str, *, month: date, year: int, today: date) -> PrintDocument:
    """The dues printout ``kind``: the ledger of ``month``, the 公示 ("publication") or the summary ("year") of
    ``year``; printed ``today``. The page and ``branchdesk print`` both build them here."""
    from db import branch, dues

    profile = branch.get_branch(db)
    name = profile.name if profile else ""
    if kind == "ledger":
        ledger = dues.month_ledger(db, month=month)
        return ledger_document(name, month, ledger, dues.month_totals(db, month=month), printed_on=today)
    through = report_through(year, today)
    if kind == "publication":
        rows = dues.publication_rows(db, year=year, through=through)
        return publication_document(name, year, rows, through=through, printed_on=today)
    return year_document(name, dues.year_report(db, year=year, through=through), printed_on=today)
