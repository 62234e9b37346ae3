"""Dues in the HQ monthly workbook (the 党费收缴 sheet's rows and the month's headline figures) and the dues page's
own .xlsx export.

The export is split in two: ``dues_workbook_sheets`` decides which sheets and rows there are (codes, fen and dates as
stored; the columns are ``db.workbook.format``'s ``DUES_*_COLUMNS``), and ``db.workbook.writer`` writes them.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from dataclasses import asdict
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from db.branch import get_branch
from db.dues.ledger import month_ledger
from db.dues.records import LedgerEntry, month_from_key, month_label, month_start
from db.dues.reports import ledger_totals, publication_rows, year_report
from db.rules import dues_rate_text
from db.store import Database
from db.workbook.page_columns import DUES_LEDGER_COLUMNS, DUES_PUBLICATION_COLUMNS, DUES_YEAR_COLUMNS
from db.workbook.writer import SheetSpec, write_xlsx

UNASSESSED = "未核定"  # the 党费类别 of a member without a basis (not a code: written as it is)


def _month_arg(month: str | date) -> date:
    return month_from_key(month) if isinstance(month, str) else month_start(month)


def _decimal(fen: int | None) -> Decimal | None:
    return None if fen is None else Decimal(fen).scaleb(-2).quantize(Decimal("0.01"))


# --- monthly workbook (党费收缴 sheet) ------------------------------------------------------------------------

# The month's ledger read for the 党费收缴 rows, kept for the figures the export asks for next (one read of the
# roster, bases and payments instead of two: the costly part of exporting a large branch). Keyed by the
# database object (gone with it) and valid only while nothing was written since: this connection's
# ``total_changes`` and SQLite's ``data_version`` (which changes when another connection commits).
_HELD: weakref.WeakKeyDictionary[Database, tuple[tuple[date, int, int], list[LedgerEntry]]] = (
    weakref.WeakKeyDictionary()
)


def _month_entries(db: Database, month: date, *, keep: bool) -> list[LedgerEntry]:
    """The ledger of ``month``; ``keep`` holds it for the next call on the same unchanged database (the rows
    keep it, the figures take it)."""
    key = (month, db.conn.total_changes, int(db.execute("PRAGMA data_version").fetchone()[0]))
    held = _HELD.pop(db, None)
    entries = held[1] if held is not None and held[0] == key else month_ledger(db, month=month)
    if keep:
        _HELD[db] = (key, entries)
    return entries


def _dues_row(e: LedgerEntry) -> dict[str, Any]:
    return {
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


def monthly_dues_rows(db: Database, *, month: str | date) -> Iterator[dict[str, Any]]:
    """The month's ledger for the monthly workbook's 党费收缴 sheet (``db.workbook.format`` contract).

    ``month`` is ``"YYYY-MM"`` (or a date in it). One dict per member on the ledger, in roster order, keyed:
    ``member_name``, ``member_category`` (full/probationary), ``dues_category`` (a key of
    ``db.rules.DUES_CATEGORIES``, None without a basis), ``base_fen`` (None unless employed/retired), ``rate``
    (``"1.5%"``/``"定额"``), ``due_fen``, ``paid_fen`` (None when unpaid), ``paid_on`` (date or None), ``proxy``
    (name), ``note``, ``member_uuid``. Money is integer fen. The ledger is read at the call; the dicts are made
    one at a time as they are consumed (memory stays flat in the branch's size).
    """
    return map(_dues_row, _month_entries(db, _month_arg(month), keep=True))


def monthly_dues_figures(db: Database, *, month: str | date) -> dict[str, int | float]:
    """Headline figures of the month for HQ consolidation: 党费应缴人数, 党费已缴人数, 应缴党费(元), 已缴党费(元).

    The amounts are yuan converted from exact fen at this output boundary (HQ sums them as numbers). The same
    totals as ``db.dues.month_totals``, from the ledger ``monthly_dues_rows`` just read when nothing changed since.
    """
    start = _month_arg(month)
    t = ledger_totals(start, _month_entries(db, start, keep=False))
    return {
        "党费应缴人数": t.members_due,
        "党费已缴人数": t.members_paid,
        "应缴党费(元)": float(_decimal(t.due_fen) or 0),
        "已缴党费(元)": float(_decimal(t.paid_fen) or 0),
    }


# --- the dues page's export -----------------------------------------------------------------------------------


def dues_workbook_sheets(
    db: Database, *, month: date, year: int | None = None, through: date | None = None
) -> list[SheetSpec]:
    """The sheets of the dues export: the month's ledger, the year's month-by-month totals and the publication list.

    Rows carry codes, fen and dates (the writer turns them into labels, yuan and Excel dates); member IDs are
    never included.
    """
    start = month_start(month)
    year = year or start.year
    branch = get_branch(db)
    branch_name = branch.name if branch else ""
    ledger = [
        {**r, "seq": i, "dues_category": r["dues_category"] or UNASSESSED}
        for i, r in enumerate(map(_dues_row, month_ledger(db, month=start)), 1)
    ]
    report = year_report(db, year=year, through=through)
    publication = [
        {**asdict(p), "seq": i} for i, p in enumerate(publication_rows(db, year=year, through=through), 1)
    ]
    return [
        SheetSpec(
            "月度台账",
            DUES_LEDGER_COLUMNS,
            ledger,
            heading=f"{branch_name}{month_label(start)}党费收缴台账",
            dropdowns=False,
        ),
        SheetSpec(
            "年度汇总",
            DUES_YEAR_COLUMNS,
            [asdict(t) for t in [*report.months, report.total]],
            heading=f"{branch_name}{year}年党费收缴汇总",
            dropdowns=False,
        ),
        SheetSpec(
            "党费收缴公示",
            DUES_PUBLICATION_COLUMNS,
            publication,
            heading=f"{branch_name}{year}年度党费收缴公示",
            dropdowns=False,
        ),
    ]


def export_dues_workbook(
    db: Database, *, path: str | Path, month: date, year: int | None = None, through: date | None = None
) -> Path:
    """Write an .xlsx with the month's ledger, the year's month-by-month totals and the publication list.

    Amounts are numbers (format ``0.00``), member IDs are never written, text is formula-escaped. Written
    atomically (``db.workbook.writer``), so a failure never leaves a half-written file. Returns the path.
    """
    return write_xlsx(path, dues_workbook_sheets(db, month=month, year=year, through=through))
