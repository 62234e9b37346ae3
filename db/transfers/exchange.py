"""Transfers in exchange files: the 组织关系转接 and 流动党员 sheets of the HQ monthly workbook (rows and headline
figures) and the register export (.xlsx). Which columns and rows a file holds is kept apart from writing it."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from db.rules import add_months, parse_date
from db.store import Database
from db.transfers.queries import list_mobile_periods, list_transfers
from db.transfers.records import DIRECTIONS, RECEIPT_STATUSES, TRANSFER_STATUSES, month_text
from db.workbook.cells import escape_text

# --- monthly workbook rows --------------------------------------------------------------------------------


def _month_bounds(month: object) -> tuple[str, str]:
    text = month_text(month)
    if text is None:
        raise ValueError("month is required")
    return f"{text}-01", f"{text}-31"


def monthly_transfer_rows(db: Database, *, month: object) -> list[dict[str, Any]]:
    """Rows of the 组织关系转接 sheet for ``month`` ('YYYY-MM' or a date in it): transfers issued or received in
    that month, oldest first, keyed by the field identifiers of ``TRANSFER_COLUMNS``. No citizen ID (the roster
    sheet carries it)."""
    start, end = _month_bounds(month)
    rows = []
    for t in reversed(list_transfers(db)):
        if not start <= t.issued_on.isoformat() <= end:
            continue
        rows.append(
            {
                "uuid": t.uuid,
                "direction": t.direction,
                "serial": t.serial,
                "member_name": t.member_name,
                "addressee": t.addressee,
                "from_unit": t.from_unit,
                "to_unit": t.to_unit,
                "dues_paid_to": t.dues_paid_to or "",
                "validity_days": t.validity_days,
                "issued_on": t.issued_on,
                "receipt_on": t.receipt_on,
                "status": t.status,
                "cancel_reason": t.cancel_reason,
                "notes": t.notes,
            }
        )
    return rows


def monthly_mobile_rows(db: Database, *, month: object) -> list[dict[str, Any]]:
    """Rows of the 流动党员 sheet for ``month``: every mobile period that overlaps the month, oldest first, keyed
    by the field identifiers of ``MOBILE_COLUMNS``."""
    start, end = _month_bounds(month)
    rows = []
    for p in reversed(list_mobile_periods(db)):
        if p.started_on.isoformat() > end or (p.ended_on and p.ended_on.isoformat() < start):
            continue
        rows.append(
            {
                "uuid": p.uuid,
                "member_name": p.member_name,
                "outflow_place": p.place,
                "reason": p.reason,
                "started_on": p.started_on,
                "contact": p.contact,
                "expected_return_on": p.expected_return_on,
                "ended_on": p.ended_on,
                "end_reason": p.end_reason,
            }
        )
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

TRANSFER_HEADERS = (
    "介绍信编号",
    "方向",
    "姓名",
    "介绍信抬头",
    "转出单位",
    "转往单位",
    "党费交至",
    "有效期(天)",
    "开具/转入日期",
    "回执",
    "回执日期",
    "状态",
    "撤销原因",
    "备注",
)
MOBILE_HEADERS = (
    "姓名",
    "外出流向",
    "外出原因",
    "外出日期",
    "已外出(月)",
    "联系方式",
    "预计返回日期",
    "结束日期",
    "结束原因",
)


@dataclass(frozen=True)
class RegisterSheet:
    """One sheet of the register export: its name, header row and value rows (text, numbers, dates, None)."""

    name: str
    headers: Sequence[str]
    rows: list[list[Any]]


def register_sheets(
    db: Database, *, year: int | None = None, direction: str | None = None, today: date
) -> list[RegisterSheet]:
    """Which sheets, columns and rows the register export holds: 组织关系转接 (filtered by ``year`` and
    ``direction``) and 流动党员, values as the secretary reads them (labels, receipts as of ``today``)."""
    transfers = [
        [
            t.serial,
            DIRECTIONS[t.direction],
            t.member_name,
            t.addressee,
            t.from_unit,
            t.to_unit,
            t.dues_paid_to or "",
            t.validity_days,
            t.issued_on,
            RECEIPT_STATUSES[t.receipt_status(today)],
            t.receipt_on,
            TRANSFER_STATUSES[t.status],
            t.cancel_reason,
            t.notes,
        ]
        for t in list_transfers(db, year=year, direction=direction, today=today)
    ]
    mobile = [
        [
            p.member_name,
            p.place,
            p.reason,
            p.started_on,
            p.months_away(today),
            p.contact,
            p.expected_return_on,
            p.ended_on,
            p.end_reason,
        ]
        for p in list_mobile_periods(db)
    ]
    return [
        RegisterSheet("组织关系转接", TRANSFER_HEADERS, transfers),
        RegisterSheet("流动党员", MOBILE_HEADERS, mobile),
    ]


def export_register_xlsx(
    db: Database,
    *,
    path: Any,
    year: int | None = None,
    direction: str | None = None,
    today: date | None = None,
) -> Any:
    """Write the transfer register (and the mobile members) to an .xlsx file at ``path``; returns the path.

    Sheets 组织关系转接 and 流动党员; every value is text or a date cell (serials, phones never numbers), text
    escaped against formula injection. Written under a temporary name, then renamed.
    """
    today = today or date.today()
    return write_sheets_xlsx(Path(path), register_sheets(db, year=year, direction=direction, today=today))


def write_sheets_xlsx(path: Path, sheets: Sequence[RegisterSheet]) -> Path:
    """Write ``sheets`` to an .xlsx file at ``path``: bold header row, text escaped against formula injection,
    dates shown yyyy-mm-dd, columns 16 wide; written under a temporary name, then renamed. (To be replaced by the
    shared writer of ``db.workbook``.)"""
    wb = Workbook()
    for index, sheet in enumerate(sheets):
        ws = wb.active if index == 0 else wb.create_sheet(sheet.name)
        ws.title = sheet.name
        ws.append(list(sheet.headers))
        for values in sheet.rows:
            ws.append([escape_text(v) if isinstance(v, str) else v for v in values])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
        for column in ws.columns:
            ws.column_dimensions[column[0].column_letter].width = 16
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.partial")
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path
