"""Dues in the HQ monthly workbook (the 党费收缴 sheet's rows and the month's headline figures) and the dues page's
own .xlsx export.

The export is split in two: ``dues_workbook_sheets`` decides which sheets, columns and rows there are (plain values,
fen already turned into yuan), and ``db.dues.xlsx.write_sheets`` writes them to a file, so the writer can be swapped
for the shared one without touching the content.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from db.branch import get_branch
from db.dues.ledger import month_ledger
from db.dues.records import month_from_key, month_label, month_start
from db.dues.reports import month_totals, publication_rows, year_report
from db.dues.xlsx import Sheet, write_sheets
from db.records import CATEGORIES
from db.rules import DUES_CATEGORIES, dues_rate_text
from db.store import Database

# (field, header) of the ledger sheet of ``export_dues_workbook``; money fields are fen.
MONTHLY_DUES_COLUMNS: tuple[tuple[str, str], ...] = (
    ("member_name", "姓名"),
    ("member_category", "人员类别"),
    ("dues_category", "党费类别"),
    ("base_fen", "缴纳基数"),
    ("rate", "缴纳比例"),
    ("due_fen", "应缴"),
    ("paid_fen", "实缴"),
    ("paid_on", "缴纳日期"),
    ("proxy", "代缴人"),
    ("note", "备注"),
)

_YEAR_HEADERS = ["月份", "应缴金额", "实缴金额", "应缴人数", "实缴人数"]
_PUBLICATION_HEADERS = [
    "序号",
    "姓名",
    "党小组",
    "党费类别",
    "月缴纳额",
    "应缴月数",
    "实缴月数",
    "应缴金额",
    "实缴金额",
    "备注",
]


def _month_arg(month: str | date) -> date:
    return month_from_key(month) if isinstance(month, str) else month_start(month)


def _decimal(fen: int | None) -> Decimal | None:
    return None if fen is None else Decimal(fen).scaleb(-2).quantize(Decimal("0.01"))


# --- monthly workbook (党费收缴 sheet) ------------------------------------------------------------------------


def monthly_dues_rows(db: Database, *, month: str | date) -> list[dict[str, Any]]:
    """The month's ledger for the monthly workbook's 党费收缴 sheet (``db.workbook.format`` contract).

    ``month`` is ``"YYYY-MM"`` (or a date in it). One dict per member on the ledger, in roster order, keyed:
    ``member_name``, ``member_category`` (full/probationary), ``dues_category`` (a key of
    ``db.rules.DUES_CATEGORIES``, None without a basis), ``base_fen`` (None unless employed/retired), ``rate``
    (``"1.5%"``/``"定额"``), ``due_fen``, ``paid_fen`` (None when unpaid), ``paid_on`` (date or None), ``proxy``
    (name), ``note``, ``member_uuid``. Money is integer fen.
    """
    rows = []
    for e in month_ledger(db, month=_month_arg(month)):
        rows.append(
            {
                "member_name": e.member_name,
                "member_category": e.member_category,
                "dues_category": e.dues_category,
                "base_fen": e.base_fen if e.dues_category in ("employed", "retired") else None,
                "rate": dues_rate_text(e.rate) if e.dues_category else "",
                "due_fen": e.due_fen,
                "paid_fen": e.paid_fen,
                "paid_on": e.paid_on,
                "proxy": e.proxy_name,
                "note": "；".join(x for x in ("经批准减免" if e.reduced else "", e.note) if x),
                "member_uuid": e.member_uuid,
            }
        )
    return rows


def monthly_dues_figures(db: Database, *, month: str | date) -> dict[str, int | float]:
    """Headline figures of the month for HQ consolidation: 党费应缴人数, 党费已缴人数, 应缴党费(元), 已缴党费(元).

    The amounts are yuan converted from exact fen at this output boundary (HQ sums them as numbers).
    """
    t = month_totals(db, month=_month_arg(month))
    return {
        "党费应缴人数": t.members_due,
        "党费已缴人数": t.members_paid,
        "应缴党费(元)": float(_decimal(t.due_fen) or 0),
        "已缴党费(元)": float(_decimal(t.paid_fen) or 0),
    }


# --- the dues page's export -----------------------------------------------------------------------------------


def dues_workbook_sheets(
    db: Database, *, month: date, year: int | None = None, through: date | None = None
) -> list[Sheet]:
    """The sheets of the dues export: the month's ledger, the year's month-by-month totals and the publication list.

    Codes become Chinese labels and fen become ``Decimal`` yuan; member IDs are never included.
    """
    start = month_start(month)
    year = year or start.year
    branch = get_branch(db)
    branch_name = branch.name if branch else ""
    rows = monthly_dues_rows(db, month=start)
    for r in rows:  # codes → Chinese labels, fen → yuan
        r["member_category"] = CATEGORIES.get(r["member_category"], r["member_category"])
        r["dues_category"] = DUES_CATEGORIES.get(r["dues_category"] or "", "未核定")
        for key in ("base_fen", "due_fen", "paid_fen"):
            r[key] = _decimal(r[key])
    ledger = Sheet(
        title="月度台账",
        heading=f"{branch_name}{month_label(start)}党费收缴台账",
        headers=["序号"] + [h for _, h in MONTHLY_DUES_COLUMNS],
        rows=[[i, *(r[k] for k, _ in MONTHLY_DUES_COLUMNS)] for i, r in enumerate(rows, 1)],
    )
    report = year_report(db, year=year, through=through)
    totals = Sheet(
        title="年度汇总",
        heading=f"{branch_name}{year}年党费收缴汇总",
        headers=_YEAR_HEADERS,
        rows=[
            [t.label, _decimal(t.due_fen), _decimal(t.paid_fen), t.members_due, t.members_paid]
            for t in [*report.months, report.total]
        ],
    )
    publication = Sheet(
        title="党费收缴公示",
        heading=f"{branch_name}{year}年度党费收缴公示",
        headers=_PUBLICATION_HEADERS,
        rows=[
            [
                i,
                p.member_name,
                p.party_group_name,
                p.dues_category,
                _decimal(p.monthly_fen),
                p.months_due,
                p.months_paid,
                _decimal(p.due_fen),
                _decimal(p.paid_fen),
                p.note,
            ]
            for i, p in enumerate(publication_rows(db, year=year, through=through), 1)
        ],
    )
    return [ledger, totals, publication]


def export_dues_workbook(
    db: Database, *, path: str | Path, month: date, year: int | None = None, through: date | None = None
) -> Path:
    """Write an .xlsx with the month's ledger, the year's month-by-month totals and the publication list.

    Amounts are numbers (format ``0.00``), member IDs are never written. Written to a temporary name and renamed,
    so a failure never leaves a half-written file. Returns the path.
    """
    return write_sheets(Path(path), dues_workbook_sheets(db, month=month, year=year, through=through))
