"""The layout of .ods and .xls sheets that python-calamine does not give: merged ranges, hidden rows and columns and
error cells (read from the file's own XML or BIFF records, nothing evaluated), and the size guard of an .ods before
calamine opens it. The .xlsx counterparts are in ``guards`` (``scan_sheet``), which runs before any workbook is read."""

from __future__ import annotations

import functools
import struct
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element

import olefile  # type: ignore[import-untyped]

from db.workbook.guards import (
    HEADER_SCAN_ROWS,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_ROWS,
    SheetMarks,
    WorkbookRefused,
    col_letter,
    too_large,
)

_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_ODS_CALCEXT = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"
MergedRange = tuple[tuple[int, int], tuple[int, int]]


def _ods_error(cell: Element) -> str | None:
    """The error a formula cell of an .ods shows (``#N/A``, ``#DIV/0!``, LibreOffice's ``Err:502``), which
    python-calamine reads as a blank; None for any other cell. LibreOffice marks it ``calcext:value-type="error"``;
    without that mark (other writers), a formula cell with an empty string value whose text is an error is one."""
    if cell.get(_ODS_TABLE + "formula") is None:
        return None
    text = "".join(cell.itertext()).strip()
    if cell.get(_ODS_CALCEXT + "value-type") == "error":
        return text or "#ERROR"
    if cell.get(_ODS_OFFICE + "string-value") == "" and (
        text in _XLS_ERRORS.values() or text.startswith("Err:")
    ):
        return text
    return None


@functools.lru_cache(maxsize=4)
def _ods_layout_cached(path: str, mtime: float, sheet_name: str) -> tuple[list[MergedRange], SheetMarks]:
    from defusedxml.ElementTree import iterparse  # lazy, as in ``guards._sheet_paths``

    t = _ODS_TABLE
    merged: list[MergedRange] = []
    marks = SheetMarks()
    inside = False
    row = column = 0
    with zipfile.ZipFile(path) as z, z.open("content.xml") as f:
        for event, el in iterparse(f, events=("start", "end")):
            if el.tag == t + "table":
                if event == "start":
                    inside, row, column = el.get(t + "name") == sheet_name, 0, 0
                elif inside:
                    break
                continue
            if inside and event == "end" and el.tag == t + "table-column":
                repeat = min(int(el.get(t + "number-columns-repeated", "1")), MAX_COLUMNS)
                if el.get(t + "visibility") in ("collapse", "filter"):
                    marks.hidden_columns.update(range(column, column + repeat))
                column += repeat
                continue
            if not inside or event != "end" or el.tag != t + "table-row":
                continue
            repeat = int(el.get(t + "number-rows-repeated", "1"))
            col = 0
            for cell in el:
                rows_spanned = int(cell.get(t + "number-rows-spanned", "1"))
                cols_spanned = int(cell.get(t + "number-columns-spanned", "1"))
                if cell.tag == t + "table-cell" and (rows_spanned > 1 or cols_spanned > 1):
                    merged.append(((row, col), (row + rows_spanned - 1, col + cols_spanned - 1)))
                if len(marks.errors) <= 1000 and (error := _ods_error(cell)) is not None:
                    for r in range(row + 1, row + 1 + min(repeat, 1000)):
                        marks.errors[(r, col_letter(col))] = error
                col += int(cell.get(t + "number-columns-repeated", "1"))
            if el.get(t + "visibility") in ("collapse", "filter"):
                marks.hidden_rows.update(range(row + 1, row + 1 + min(repeat, 1000)))
            row += repeat
            el.clear()
            if row > MAX_ROWS + HEADER_SCAN_ROWS and repeat == 1:
                break
    return merged, marks


def check_ods_size(path: Path) -> None:
    """``check_sheet_size`` for every sheet of an .ods, which python-calamine reads whole when it opens the file: the rows and cells that hold something, with their repeat counts
    (a row of values "repeated" a million times is a few bytes in the file and a million rows in a parser's
    memory); empty repeated rows and cells (LibreOffice's trailing blank area) do not count."""
    from defusedxml.ElementTree import ParseError, iterparse  # lazy, as in ``guards._sheet_paths``

    t, office = _ODS_TABLE, "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
    limit = MAX_ROWS + HEADER_SCAN_ROWS
    sheet_name, row, cells = "", 0, 0
    try:
        with zipfile.ZipFile(path) as z, z.open("content.xml") as f:
            for event, el in iterparse(f, events=("start", "end")):
                if el.tag == t + "table" and event == "start":
                    sheet_name, row, cells = el.get(t + "name", ""), 0, 0
                if event != "end" or el.tag != t + "table-row":
                    continue
                repeat = int(el.get(t + "number-rows-repeated", "1"))
                filled = width = last = 0
                for cell in el:
                    span = int(cell.get(t + "number-columns-repeated", "1"))
                    width += span
                    if cell.get(office + "value-type") or len(cell):
                        filled, last = filled + span, width
                el.clear()
                if filled:
                    cells += filled * repeat
                    if row + repeat > limit or last > MAX_COLUMNS or cells > MAX_CELLS:
                        rows = row + repeat if row + repeat > limit else 0
                        raise too_large(sheet_name, rows=rows, columns=last, cells=0 if rows else cells)
                row += repeat
    except (ParseError, ValueError, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise WorkbookRefused(f"工作表「{sheet_name}」已损坏，无法读取（{type(exc).__name__}）。") from exc


def ods_layout(path: Path, sheet_name: str) -> tuple[list[MergedRange], SheetMarks]:
    """Merged ranges (0-based), hidden rows (1-based) and error cells of an .ods sheet, which python-calamine
    does not give (it reads an error cell as a blank)."""
    try:
        return _ods_layout_cached(str(path), path.stat().st_mtime, sheet_name)
    except (
        OSError,
        ValueError,
        SyntaxError,
        zipfile.BadZipFile,
    ):  # the values are read anyway; layout is extra
        return [], SheetMarks()


_XLS_ERRORS = {
    0x00: "#NULL!",
    0x07: "#DIV/0!",
    0x0F: "#VALUE!",
    0x17: "#REF!",
    0x1D: "#NAME?",
    0x24: "#NUM!",
    0x2A: "#N/A",
}


def _xls_records(data: bytes, pos: int) -> Iterator[tuple[int, int, bytes]]:
    """BIFF8 records (type, offset, body) from ``pos`` up to and including the next EOF record."""
    while pos + 4 <= len(data):
        kind, length = struct.unpack_from("<HH", data, pos)
        yield kind, pos, data[pos + 4 : pos + 4 + length]
        pos += 4 + length
        if kind == 0x000A:  # EOF
            return


@functools.lru_cache(maxsize=4)
def _xls_marks_cached(path: str, mtime: float, sheet_name: str) -> SheetMarks:
    marks = SheetMarks()
    with olefile.OleFileIO(path) as ole:
        stream = "Workbook" if ole.exists("Workbook") else "Book"
        data = ole.openstream(stream).read()
    offset = None
    for kind, _, body in _xls_records(data, 0):  # the workbook globals: BOUNDSHEET records name the sheets
        if kind == 0x0085 and len(body) >= 8:
            count, high = body[6], body[7]
            raw = body[8 : 8 + count * (2 if high else 1)]
            name = raw.decode("utf-16-le" if high else "latin-1", "replace")
            if name == sheet_name:
                offset = struct.unpack_from("<I", body, 0)[0]
    if offset is None:
        return marks
    for kind, _, body in _xls_records(data, offset):
        if (
            kind == 0x0208 and len(body) >= 16 and struct.unpack_from("<H", body, 12)[0] & 0x20
        ):  # ROW, fDyZero
            marks.hidden_rows.add(struct.unpack_from("<H", body, 0)[0] + 1)
        elif kind == 0x007D and len(body) >= 10 and struct.unpack_from("<H", body, 8)[0] & 0x0001:
            first, last = struct.unpack_from("<HH", body, 0)  # COLINFO, fHidden: columns first..last, 0-based
            marks.hidden_columns.update(range(first, min(last, MAX_COLUMNS - 1) + 1))
        elif kind == 0x0205 and len(body) >= 8 and body[7] == 1:  # BOOLERR holding an error
            row, col = struct.unpack_from("<HH", body, 0)
            marks.errors[(row + 1, col_letter(col))] = _XLS_ERRORS.get(body[6], "#ERROR")
        elif kind == 0x0006 and len(body) >= 14 and body[6] == 2 and body[12:14] == b"\xff\xff":
            # FORMULA whose cached result is an error (calamine reads it as a blank)
            row, col = struct.unpack_from("<HH", body, 0)
            marks.errors[(row + 1, col_letter(col))] = _XLS_ERRORS.get(body[8], "#ERROR")
    return marks


def xls_marks(path: Path, sheet_name: str) -> SheetMarks:
    """Hidden rows and error cells of an .xls sheet (BIFF8 ROW, BOOLERR and FORMULA records), which calamine does not
    give; empty when the stream cannot be walked (the values are read anyway)."""
    try:
        return _xls_marks_cached(str(path), path.stat().st_mtime, sheet_name)
    except (OSError, ValueError, struct.error):
        return SheetMarks()
