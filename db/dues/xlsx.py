"""The dues page's own .xlsx writer: one sheet per ``Sheet`` (a bold centred heading over a bold header row, values
below, panes frozen under the header), saved under a temporary name and renamed.

Only "write the file" lives here; which sheets, columns and rows is ``db.dues.exchange``. A later step replaces this
module with the shared workbook writer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from db.store.leftovers import sweep_partials


@dataclass(frozen=True)
class Sheet:
    """One sheet of an export: its tab title, the heading above the table, the column headers and the rows."""

    title: str
    heading: str
    headers: list[str]
    rows: list[list[Any]]


def _cell(ws: Any, row: int, col: int, value: Any) -> Any:
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"  # always text: a note starting with "=" must never become a formula
    else:
        cell.value = value
    if isinstance(value, Decimal):
        cell.number_format = "0.00"
    elif isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"
    return cell


def _sheet(wb: Any, sheet: Sheet) -> None:
    ws = wb.create_sheet(sheet.title)
    _cell(ws, 1, 1, sheet.heading).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(sheet.headers))
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    for c, h in enumerate(sheet.headers, 1):
        _cell(ws, 2, c, h).font = Font(bold=True)
        ws.column_dimensions[ws.cell(row=2, column=c).column_letter].width = max(10, len(h) * 2 + 4)
    for r, values in enumerate(sheet.rows, 3):
        for c, v in enumerate(values, 1):
            _cell(ws, r, c, v)
    ws.freeze_panes = "A3"


def write_sheets(path: Path, sheets: list[Sheet]) -> Path:
    """Write ``sheets`` to the .xlsx file ``path`` (through ``path.partial``, so a failure leaves no half-written
    file). Returns the path."""
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in sheets:
        _sheet(wb, sheet)
    tmp = path.with_name(path.name + ".partial")
    sweep_partials(path)  # what a killed earlier write left in this folder (issue 17)
    try:
        wb.save(tmp)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path
