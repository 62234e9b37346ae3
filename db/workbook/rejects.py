"""The error file for headquarters: every invalid or ignored row of an imported workbook, as it was, plus 问题.

Like CiviCRM's "download errors": the secretary sends it back to HQ, who corrects the rows and sends them again.
The rows are read again from the original file (nothing of them is kept in the preview), so they are exactly as
HQ wrote them; the first column is the row number in HQ's file and the last the reasons.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from db.workbook.format import Column
from db.workbook.preview import ImportPreview
from db.workbook.read import Book, col_letter
from db.workbook.writer import SheetSpec, write_xlsx

ERRORS_SHEET = "问题行"
ROW_COLUMN = Column("原行号", "row", "int", width=8)
PROBLEM_COLUMN = Column("问题", "problem", "text", width=60)


def _as_text(value: Any) -> str:
    """A cell as the secretary saw it in HQ's file."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def problem_rows(preview: ImportPreview) -> dict[int, list[str]]:
    """Row number → reasons, for every invalid or ignored row of the preview (in row order)."""
    out: dict[int, list[str]] = {}
    for r in preview.rows:
        if r.status == "invalid":
            out[r.row] = [
                (f"{p.column} 列（{p.header}）：" if p.column else "") + p.message for p in r.problems
            ]
    for p in preview.ignored_rows:
        out.setdefault(p.row, []).append(p.message)
    return dict(sorted(out.items()))


def write_error_file(
    preview: ImportPreview,
    out: str | os.PathLike[str],
    *,
    password: str | None = None,
) -> Path | None:
    """Write the invalid and ignored rows of ``preview`` to ``out`` (.xlsx); None when there are none.

    ``password`` opens an encrypted source workbook again (the error file itself is not encrypted)."""
    wanted = problem_rows(preview)
    if not wanted:
        return None
    book = Book(preview.path, password=password)
    try:
        header: list[Any] = []
        picked: dict[int, list[Any]] = {}
        last = max(wanted)
        for ri, row in enumerate(book.iter_rows(preview.sheet), start=1):
            if ri == preview.header_row:
                header = row
            elif ri in wanted:
                picked[ri] = row
            if ri >= last:
                break
    finally:
        book.close()
    width = max([len(header), *(len(r) for r in picked.values())])
    columns = [ROW_COLUMN]
    for ci in range(width):
        text = _as_text(header[ci]).strip() if ci < len(header) else ""
        columns.append(Column(text or f"{col_letter(ci)} 列", f"c{ci}", "text", width=14))
    columns.append(PROBLEM_COLUMN)

    def rows() -> Iterator[list[Any]]:
        for number, reasons in wanted.items():
            cells = picked.get(number, [])
            yield [number, *(_as_text(c) for c in cells), *([""] * (width - len(cells))), "；".join(reasons)]

    spec = SheetSpec(
        ERRORS_SHEET,
        columns,
        rows(),
        heading=f"「{preview.file_name}」中未导入的行（工作表「{preview.sheet}」）",
        dropdowns=False,
    )
    return write_xlsx(out, [spec], password=None)
