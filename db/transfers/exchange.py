"""Transfers in exchange files: the 组织关系转接 and 流动党员 sheets of the HQ monthly workbook (rows and headline
figures) and the register export (.xlsx). Which columns and rows a file holds is kept apart from writing it."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from db.rules import add_months, parse_date
from db.store import Database
from db.transfers.queries import list_mobile_periods, list_transfers
from db.transfers.records import RECEIPT_STATUSES, MobilePeriod, Transfer, month_text
from db.workbook.format import sheet_by_key
from db.workbook.page_columns import REGISTER_MOBILE_COLUMNS, REGISTER_TRANSFER_COLUMNS
from db.workbook.writer import SheetSpec, write_xlsx

# --- monthly workbook rows --------------------------------------------------------------------------------


def _month_bounds(month: object) -> tuple[str, str]:
    text = month_text(month)
    if text is None:
        raise ValueError("month is required")
    return f"{text}-01", f"{text}-31"


def _transfer_row(t: Transfer) -> dict[str, Any]:
    """A transfer keyed by the fields of the 组织关系转接 columns (codes, dates as stored)."""
    row = {c.field: getattr(t, c.field) for c in sheet_by_key("transfers").columns}
    return {**row, "dues_paid_to": t.dues_paid_to or ""}


def _mobile_row(p: MobilePeriod) -> dict[str, Any]:
    """A mobile period keyed by the fields of the 流动党员 columns (its place is the 外出流向)."""
    columns = sheet_by_key("mobile_members").columns
    return {c.field: p.place if c.field == "outflow_place" else getattr(p, c.field) for c in columns}


def monthly_transfer_rows(db: Database, *, month: object) -> list[dict[str, Any]]:
    """Rows of the 组织关系转接 sheet for ``month`` ('YYYY-MM' or a date in it): transfers issued or received in
    that month, oldest first, keyed by the field identifiers of ``TRANSFER_COLUMNS``. No citizen ID (the roster
    sheet carries it)."""
    start, end = _month_bounds(month)
    rows = []
    for t in reversed(list_transfers(db)):
        if not start <= t.issued_on.isoformat() <= end:
            continue
        rows.append(_transfer_row(t))
    return rows


def monthly_mobile_rows(db: Database, *, month: object) -> list[dict[str, Any]]:
    """Rows of the 流动党员 sheet for ``month``: every mobile period that overlaps the month, oldest first, keyed
    by the field identifiers of ``MOBILE_COLUMNS``."""
    start, end = _month_bounds(month)
    rows = []
    for p in reversed(list_mobile_periods(db)):
        if p.started_on.isoformat() > end or (p.ended_on and p.ended_on.isoformat() < start):
            continue
        rows.append(_mobile_row(p))
    return rows


def monthly_transfer_figures(db: Database, *, month: object) -> dict[str, int]:
    """Headline numbers for HQ consolidation: transfers out and in during ``month`` (cancelled ones left out) and
    receipts overdue at the end of the month."""
    start, _end = _month_bounds(month)
    rows = [r for r in monthly_transfer_rows(db, month=month) if r["status"] == "valid"]
    end_day = parse_date(start)
    assert end_day is not None
    end_day = add_months(end_day, 1) - timedelta(days=1)
    overdue = [
        t
        for t in list_transfers(db, direction="out")
        if t.issued_on <= end_day and t.receipt_status(end_day) == "overdue"
    ]
    return {
        "转出人数": sum(r["direction"] == "out" for r in rows),
        "转入人数": sum(r["direction"] == "in" for r in rows),
        "回执逾期": len(overdue),
    }


def monthly_mobile_figures(db: Database, *, month: object) -> dict[str, int]:
    """Headline number for HQ consolidation: mobile periods current at some time during ``month``."""
    return {"流动党员人数": len(monthly_mobile_rows(db, month=month))}


# --- register export --------------------------------------------------------------------------------------


def register_sheets(
    db: Database, *, year: int | None = None, direction: str | None = None, today: date
) -> list[SheetSpec]:
    """Which sheets and rows the register export holds: 组织关系转接 (filtered by ``year`` and ``direction``) and
    流动党员, columns ``db.workbook.page_columns.REGISTER_*_COLUMNS``; receipts as of ``today`` (a label), months away
    up to ``today``."""
    transfers = [
        {**_transfer_row(t), "receipt": RECEIPT_STATUSES[t.receipt_status(today)]}
        for t in list_transfers(db, year=year, direction=direction, today=today)
    ]
    mobile = [{**_mobile_row(p), "months_away": p.months_away(today)} for p in list_mobile_periods(db)]
    return [
        SheetSpec("组织关系转接", REGISTER_TRANSFER_COLUMNS, transfers, dropdowns=False),
        SheetSpec("流动党员", REGISTER_MOBILE_COLUMNS, mobile, dropdowns=False),
    ]


def export_register_xlsx(
    db: Database,
    *,
    path: Any,
    year: int | None = None,
    direction: str | None = None,
    today: date | None = None,
) -> Path:
    """Write the transfer register (and the mobile members) to an .xlsx file at ``path``; returns the path.

    Sheets 组织关系转接 and 流动党员; serials and phones stay text, dates are date cells, text is escaped
    against formula injection. Written atomically (``db.workbook.writer``); a missing folder is created.
    """
    today = today or date.today()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_xlsx(path, register_sheets(db, year=year, direction=direction, today=today))
