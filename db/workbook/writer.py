"""The one .xlsx writer: the HQ monthly workbook, the HQ template, the consolidation summary and every page export.

Three rules hold for every workbook Branch Desk writes, so they live here and nowhere else:

- **Atomic file.** ``atomic_path`` hands out a temporary name in the target folder; only when the workbook is
  complete (and encrypted, with a password) is it flushed to disk (fsync) and renamed over the final name. A
  power cut, a full disk or an error never leaves a half file under the name the secretary chose, and an
  existing file there stays as it was (the same approach as ``desktop/printing/pdf.py``).
- **One formula-escaping rule** (``cells.escape_text``, the strictest of the rules the writers used before): a
  text cell beginning with ``=`` ``+`` ``-`` ``@``, a tab or a carriage return gets an apostrophe in front, and
  a leading apostrophe is doubled (so ``cells.unescape_text`` restores the exact text on import). Every text is
  also written as a string cell, never a formula, number or link, so neither Excel nor a CSV re-save evaluates
  it. Codes (IDs, phones, serials) keep the text number format on every cell.
- **One format table.** Columns are ``format.Column`` (header, field, kind, width, choices), taken from
  ``format.py``: dates are Excel dates shown yyyy-mm-dd, money fen written as yuan with 2 decimals, choices
  their Chinese labels, booleans 是/否.

API: ``write_xlsx(path, [SheetSpec(title, columns, rows), ...], password=None)`` for a page export;
``XlsxBook`` (XlsxWriter, ``constant_memory=True`` for the big monthly workbook: rows streamed to disk, memory
flat in the row count) for writers that need finer control.
"""

from __future__ import annotations

import functools
import gc
import os
import shutil
import sys
import uuid as uuidlib
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from db.errors import BranchDeskError, DiskFull
from db.store.database import disk_full_message, is_disk_full, os_reason
from db.store.leftovers import PRIVATE_PREFIX, claim, private_folder, sweep_partials
from db.store.locking import refuse_overwriting_database
from db.store.paths import same_file
from db.workbook import protect
from db.workbook.cells import ESCAPE, FORMULA_CHARS, Checksum, escape_text
from db.workbook.format import BOOL_LABELS, Column

# Text columns holding numbers-like codes: their cells keep the '@' format (Excel must never make them numbers).
TEXT_CODES = frozenset({"citizen_id", "mobile", "landline", "phone", "contact", "serial", "code", "number"})
NUMBER_FORMATS: dict[str, str | None] = {
    "text": "@",
    "id": "@",
    "choice": "@",
    "bool": "@",
    "date": "yyyy-mm-dd",
    "int": "0",
    "money": "0.00",
    "number": None,
}
HEADER_STYLE = {
    "bold": True,
    "bg_color": "#F2DCDB",
    "border": 1,
    "text_wrap": True,
    "valign": "vcenter",
    "font_name": "宋体",
}
DROPDOWN_ROWS = 1000  # dropdowns reach at least this row, so rows HQ adds get them too
TEMPLATE_ROWS = 500  # rows of the template pre-formatted as text / date

Row = Sequence[Any] | Mapping[str, Any]


@dataclass(frozen=True)
class SheetSpec:
    """One sheet of a workbook: tab ``title``, ``columns`` (from ``format.py``) and ``rows``.

    A row is a mapping keyed by ``Column.field`` (missing keys are blank) or a sequence in column order. Values
    as in ``format.py``: text, ``date`` (or ISO text), int, money in fen, choice code, bool. ``heading`` puts a
    bold title row above the header; ``footer`` is a last row in bold (totals); ``freeze_columns`` keeps that
    many columns visible when scrolling right; ``landscape`` prints on A4 landscape with the header on every page.
    """

    title: str
    columns: Sequence[Column]
    rows: Iterable[Row] = ()
    heading: str | None = None
    footer: Row | None = None
    freeze_columns: int = 0
    landscape: bool = False
    dropdowns: bool = True


# --- cells -------------------------------------------------------------------------------------------------


def cell_value(column: Column, value: Any) -> Any:
    """The value written for ``value`` in ``column``: str, int, float or date (None for a blank cell)."""
    if value is None or value == "":
        return None
    kind = column.type
    if kind == "date":
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        return date.fromisoformat(str(value)[:10])
    if kind == "int":
        return int(value)
    if kind == "money":
        return round(int(value) / 100, 2)
    if kind == "number":
        return value if isinstance(value, (int, float)) and not isinstance(value, bool) else float(value)
    if kind == "bool":
        return BOOL_LABELS[bool(value)]
    if kind == "choice":
        return column.choices.get(value, str(value))
    return escape_text(str(value))


def converter(column: Column) -> Callable[[Any], Any]:
    """``cell_value`` for one column, with short paths for the values most cells hold (plain text, a choice
    code, a date) so that the per-cell cost of a large export stays near the writer's own."""
    kind = column.type
    if kind in ("text", "id"):
        risky = (*FORMULA_CHARS, ESCAPE)

        def text(value: Any) -> Any:
            if type(value) is str:
                if not value:
                    return None
                return escape_text(value) if value.startswith(risky) else value
            return cell_value(column, value)

        return text
    if kind == "choice":
        labels = column.choices

        def choice(value: Any) -> Any:
            label = labels.get(value) if type(value) is str else None
            return label if label is not None else cell_value(column, value)

        return choice
    if kind == "date":

        def day(value: Any) -> Any:
            if type(value) is date:
                return value
            if type(value) is str and len(value) == 10:  # ISO text as stored
                return date.fromisoformat(value)
            return cell_value(column, value)

        return day
    return lambda value: cell_value(column, value)


# Excel and WPS Office limit a list validation's source to 255 characters (WPS reports a damaged file beyond).
MAX_DROPDOWN_CHARS = 255


def dropdown(column: Column) -> list[str]:
    """The labels offered in a column's dropdown: its choices, 是/否 for a bool, none otherwise (and none when
    the list would exceed ``MAX_DROPDOWN_CHARS``, which WPS Office does not open without a repair prompt)."""
    options = (
        list(column.choices.values())
        if column.choices
        else list(BOOL_LABELS.values())
        if column.type == "bool"
        else []
    )
    return options if len(",".join(options)) < MAX_DROPDOWN_CHARS else []


MAX_CELL_CHARS = 32_767  # what an Excel cell holds; longer text is refused, never cut


def _too_long(sheet: str, column: Column, record: Row, length: int) -> BranchDeskError:
    """The refusal for a text longer than a cell holds, naming the record (its name or title) and the field."""
    who = ""
    if isinstance(record, Mapping):
        who = str(
            record.get("name") or record.get("title") or record.get("topic") or record.get("uuid") or ""
        )
    return BranchDeskError(
        f"「{sheet}」中{('「' + who + '」的') if who else ''}「{column.header}」有 {length} 个字符，"
        f"超过 Excel 单元格上限 {MAX_CELL_CHARS} 个字符。为避免截断，未导出；请先缩短该内容。"
    )


# --- the file ----------------------------------------------------------------------------------------------


@contextmanager
def write_failures(path: Path, what: str = "工作簿") -> Iterator[None]:
    """A failed write of ``path`` as one Chinese error naming ``path`` (not the temporary file beside it that the
    system names) and what to do: ``DiskFull`` naming the disk when it is full, else ``BranchDeskError``."""
    try:
        yield
    except OSError as exc:
        if is_disk_full(exc):
            raise DiskFull(disk_full_message(path.parent)) from exc
        raise BranchDeskError(
            f"无法写入{what}「{path}」：{os_reason(exc)}。请检查该文件夹是否存在、可以写入，"
            "以及同名文件是否正在 Excel 中打开，然后重试。"
        ) from exc


def refuse_overwriting_inputs(
    out: str | os.PathLike[str], inputs: Iterable[str | os.PathLike[str]], *, what: str
) -> None:
    """Refuse to write ``out`` over one of the files being read (HQ saving a summary under a branch's file name
    destroyed that branch's workbook): the same file however the path is written (relative, ``..``, a link, another
    case on Windows). ``what`` names the input files in the message (e.g. 该支部的月度报送工作簿)."""
    out = Path(out)
    for source in map(Path, inputs):
        if same_file(out, source):
            raise BranchDeskError(
                f"汇总工作簿「{out.name}」就是被汇总的文件「{source.name}」，保存会覆盖{what}：请换一个文件名保存汇总。"
            )


@contextmanager
def atomic_path(
    path: str | os.PathLike[str],
    *,
    password: str | None = None,
    rename: Callable[[Path, Path], None] = os.replace,
) -> Iterator[Path]:
    """A temporary path to write to; the file is renamed over ``path`` when the block ends without error.

    Without a password the temporary file lies beside ``path``. With ``password`` the plaintext is written in a
    private folder on the local temporary disk (``private_folder``) and only the encrypted file reaches the output
    folder, so no plaintext workbook is ever left on the USB stick, even when the process is killed (the private
    folder is removed at once, or swept at the next start). The file is flushed to disk before the rename; on any
    error the temporary files are removed and ``path`` is untouched. ``rename(tmp, path)`` puts the complete file
    in place (an export renames it together with its record: ``db.store.renamed_with_record``).
    """
    path = Path(path)
    refuse_overwriting_database(path)  # a document never replaces a database (an export given its name did)
    tmp = path.with_name(f".{path.name}.{uuidlib.uuid4().hex[:8]}.partial")
    sweep_partials(path)  # what a killed earlier write left in this folder goes first (issue 17)…
    held = claim(
        tmp
    )  # …and this write's temporary file is marked in use, so a sweep elsewhere leaves it alone
    private, private_held = private_folder() if password is not None else (None, None)
    write_to = private / path.name if private is not None else tmp
    try:
        yield write_to
        if password is not None:
            protect.encrypt_file(write_to, tmp, password=password)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        rename(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        for handle in (held, private_held):
            if handle is not None:
                handle.close()
        if private is not None:
            shutil.rmtree(private, ignore_errors=True)


class XlsxBook:
    """An XlsxWriter workbook with the shared formats. Strings stay strings: never formulas, numbers or links.

    ``constant_memory`` streams each sheet's rows to disk (for the monthly workbook; rows must then be written
    top to bottom, which every method here does). ``close`` raises ``OSError`` when the file cannot be written.
    """

    def __init__(self, path: Path, *, constant_memory: bool = False) -> None:
        # Lazy: importing xlsxwriter costs ~130 ms (python -X importtime), and the GUI imports the workbook layer
        # at start-up through the exchange page; only an export needs it.
        import xlsxwriter

        options: dict[str, Any] = {
            "constant_memory": constant_memory,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        }
        if Path(path).parent.name.startswith(PRIVATE_PREFIX):
            # An encrypted export writes its plaintext in a private folder: XlsxWriter's own temporary row files
            # (constant memory) stay there too, never in the shared temporary folder.
            options["tmpdir"] = str(Path(path).parent)
        self.book = xlsxwriter.Workbook(str(path), options)
        b = self.book
        self.header = b.add_format(HEADER_STYLE)
        self.formats = {
            kind: b.add_format({"num_format": fmt}) if fmt else None for kind, fmt in NUMBER_FORMATS.items()
        }
        self.bold = b.add_format({"bold": True})
        self.title = b.add_format({"bold": True, "font_size": 14, "align": "center"})

    def add_sheet(self, title: str) -> Any:
        """A new worksheet (tabs are in the order they are added; fill it later with ``write_table``)."""
        return self.book.add_worksheet(title, worksheet_class=_worksheet_class())

    def _columns(self, ws: Any, columns: Sequence[Column]) -> None:
        for ci, col in enumerate(columns):
            ws.set_column(ci, ci, col.width, self.formats[col.type])

    @staticmethod
    def _write_row(ws: Any, ri: int, values: Sequence[Any], formats: Sequence[Any]) -> int:
        """Write one row; the index of a text XlsxWriter had to cut (longer than a cell holds), else -1."""
        cut = -1
        write_string = ws.write_string
        for ci, value in enumerate(values):
            if value is None:
                continue
            if type(value) is str:
                if write_string(ri, ci, value, formats[ci]) == -2:  # -2: the string was truncated
                    cut = ci
            elif isinstance(value, date):
                ws.write_datetime(ri, ci, datetime(value.year, value.month, value.day), formats[ci])
            else:
                ws.write_number(ri, ci, value, formats[ci])
        return cut

    def write_table(
        self,
        spec: SheetSpec,
        *,
        worksheet: Any = None,
        checksum: Checksum | None = None,
        tick: Callable[[], None] | None = None,
    ) -> int:
        """Write ``spec`` (header row, rows, dropdowns, filter, frozen header) and return the number of data rows.
        ``checksum`` receives the sheet name, header and every row as written; ``tick`` is called per row."""
        ws = worksheet if worksheet is not None else self.add_sheet(spec.title)
        columns = spec.columns
        self._columns(ws, columns)
        top = 0
        if spec.heading is not None:
            ws.merge_range(0, 0, 0, max(len(columns) - 1, 1), spec.heading, self.title)
            top = 1
        ws.freeze_panes(top + 1, spec.freeze_columns)
        headers = [c.header for c in columns]
        ws.write_row(top, 0, headers, self.header)
        if checksum is not None:
            checksum.sheet(spec.title)
            checksum.row(headers)
        # Plain text cells go without a cell format (smaller, faster; they are string cells anyway, and the
        # column format is text). Codes keep the text format on every cell so a retyped value stays text.
        formats = [
            None if c.type == "text" and c.field not in TEXT_CODES else self.formats[c.type] for c in columns
        ]
        convert = [(c.field, converter(c)) for c in columns]
        n = 0
        for n, record in enumerate(spec.rows, start=1):
            values = self._values(record, convert)
            if (cut := self._write_row(ws, top + n, values, formats)) >= 0:
                raise _too_long(spec.title, columns[cut], record, len(values[cut]))
            if checksum is not None:
                checksum.row(values)
            if tick is not None:
                tick()
        last = top + max(n, 1)
        if spec.dropdowns:
            for ci, col in enumerate(columns):
                if options := dropdown(col):
                    ws.data_validation(
                        top + 1, ci, max(last, DROPDOWN_ROWS), ci, {"validate": "list", "source": options}
                    )
        ws.autofilter(top, 0, last, len(columns) - 1)
        if spec.footer is not None:
            values = self._values(spec.footer, convert)
            self._write_row(ws, top + n + 1, values, [self.bold] * len(values))
        if spec.landscape:
            self.print_setup(ws, top=top, columns=columns, last_row=top + n + (spec.footer is not None))
        return n

    @staticmethod
    def print_setup(
        ws: Any, *, top: int | None, columns: Sequence[Column] = (), last_row: int | None = None
    ) -> None:
        """A4 landscape, fitted to the page width, the header row (``top``) repeated on every page and a
        trailing ``编号`` (id) column left outside the print area (it means nothing on paper)."""
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        if top is not None:
            ws.repeat_rows(top)
        if columns and columns[-1].type == "id" and len(columns) > 1 and last_row is not None:
            ws.print_area(0, 0, max(last_row, top or 0), len(columns) - 2)

    @staticmethod
    def _values(record: Row, convert: list[tuple[str, Callable[[Any], Any]]]) -> list[Any]:
        # A blank (None) is blank in every column (``cell_value``): no converter call for it.
        if isinstance(record, Mapping):
            get = record.get
            return [None if (v := get(f)) is None else conv(v) for f, conv in convert]
        return [None if v is None else conv(v) for (_, conv), v in zip(convert, record)]

    def write_pairs(
        self,
        worksheet: Any,
        columns: Sequence[Column],
        rows: Iterable[Sequence[Any]],
        *,
        bold: Callable[[int, Sequence[Any]], bool],
    ) -> None:
        """A label / value sheet without header row (the 说明 sheet): labels are text, a value is a number when
        it is one and escaped text otherwise; rows where ``bold(index, row)`` holds are bold."""
        self._columns_plain(worksheet, columns)
        for ri, row in enumerate(rows):
            fmt = self.bold if bold(ri, row) else None
            if row[0] != "":
                worksheet.write_string(ri, 0, str(row[0]), fmt)
            value = row[1]
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                worksheet.write_number(ri, 1, value)
            elif value != "":
                worksheet.write_string(ri, 1, escape_text(str(value)))

    @staticmethod
    def _columns_plain(ws: Any, columns: Sequence[Column]) -> None:
        for ci, col in enumerate(columns):
            ws.set_column(ci, ci, col.width)

    def write_template(self, title: str, columns: Sequence[Column]) -> None:
        """An empty sheet for HQ to fill: header with 必填 hints in red, dropdowns with an error message, and
        the first ``TEMPLATE_ROWS`` rows of text / date columns pre-formatted (blank cells with the format)."""
        b = self.book
        ws = self.add_sheet(title)
        required = b.add_format({**HEADER_STYLE, "font_color": "#C00000"})
        for ci, col in enumerate(columns):
            # ID and phone columns are text in the whole column, not only the pre-formatted rows.
            whole = self.formats["text"] if col.type == "id" or col.field in TEXT_CODES else None
            ws.set_column(ci, ci, col.width + (4 if col.required else 0), whole)
            ws.write_string(
                0,
                ci,
                f"{col.header}（必填）" if col.required else col.header,
                required if col.required else self.header,
            )
        for ri in range(1, TEMPLATE_ROWS + 1):
            for ci, col in enumerate(columns):
                if col.type in ("text", "id", "date"):
                    ws.write_blank(ri, ci, None, self.formats["date" if col.type == "date" else "text"])
        for ci, col in enumerate(columns):
            if options := dropdown(col):
                ws.data_validation(
                    1,
                    ci,
                    1048575,
                    ci,
                    {
                        "validate": "list",
                        "source": options,
                        "error_title": "取值无效",
                        "error_message": "请从下拉列表中选择",
                    },
                )
        ws.freeze_panes(1, 0)
        self.print_setup(ws, top=0, columns=columns, last_row=TEMPLATE_ROWS)

    def close(self) -> None:
        """Finish the file. Raises ``OSError`` (the cause of XlsxWriter's ``FileCreateError``) on failure."""
        from xlsxwriter.exceptions import FileCreateError  # xlsxwriter is loaded by now (see ``__init__``)

        try:
            self.book.close()
        except FileCreateError as exc:
            _drop_abandoned_zip(exc)
            cause = exc.args[0] if exc.args else exc
            raise cause if isinstance(cause, OSError) else OSError(str(cause)) from exc
        except OSError as exc:
            _drop_abandoned_zip(exc)
            raise


@functools.cache
def _worksheet_class() -> type[Any]:
    """XlsxWriter's worksheet with two shortcuts in its innermost loop, for the values that need no escaping
    (subclassing the worksheet is how XlsxWriter is extended). Each returns its argument exactly when XlsxWriter's
    own method would return it unchanged, and hands every other value to that method, so the file is the same byte
    for byte (``tests/db/test_workbook_writer.py`` compares the two on awkward values):

    - a cell's style index (an int) and its reference (``B7``, letters and digits) are attributes without XML
      specials; XlsxWriter finds that out for an int by catching a ``TypeError``, once for every styled cell, and
      every cell Branch Desk writes is styled (its column's number format): a seventh of a large export's time;
    - a printable text without ``_x`` holds no control character to encode (XlsxWriter runs two regular
      expressions over every text cell to find out)."""
    import xlsxwriter  # loaded by ``XlsxBook`` by now (lazily, see there)

    stock: Any = xlsxwriter.worksheet.Worksheet

    class StyledWorksheet(stock):  # type: ignore[misc]  # xlsxwriter has no type stubs
        def _escape_attributes(self, attribute: Any) -> Any:
            if type(attribute) is int or (type(attribute) is str and attribute.isalnum()):
                return attribute
            return super()._escape_attributes(attribute)

        @staticmethod
        def _escape_control_characters(data: Any) -> Any:
            if type(data) is str and data.isprintable() and "_x" not in data:
                return data
            return stock._escape_control_characters(data)

    return StyledWorksheet


def _drop_abandoned_zip(exc: BaseException) -> None:
    """XlsxWriter leaves its half-written zip open when a write fails (a full disk), held by the failure's traceback
    (``_store_workbook``'s frame), which the caller keeps to report it: collected whenever that goes, it tries to
    finish the file, fails again and Python prints the second failure on stderr, and until then the temporary file
    stays open (on Windows it could not be removed). Close it now, quietly: the failure that counts is being
    raised."""
    seen: set[int] = set()
    for failure in (exc, exc.__cause__, exc.__context__, *(exc.args[:1] if exc.args else ())):
        tb = failure.__traceback__ if isinstance(failure, BaseException) else None
        while tb is not None:
            for value in list(tb.tb_frame.f_locals.values()):
                if isinstance(value, zipfile.ZipFile) and id(value) not in seen:
                    seen.add(id(value))
                    with suppress(OSError, ValueError):
                        value.close()  # its end record cannot be written; the file is closed all the same
            tb = tb.tb_next
    hook = sys.unraisablehook
    sys.unraisablehook = lambda _unraisable: None
    try:
        gc.collect()  # anything else the failed write left behind
    finally:
        sys.unraisablehook = hook


def write_xlsx(
    path: str | os.PathLike[str],
    sheets: Iterable[SheetSpec],
    *,
    password: str | None = None,
    constant_memory: bool = False,
) -> Path:
    """Write ``sheets`` (in order) as one .xlsx at ``path``, atomically, encrypted with ``password`` if given.
    Returns the path. Raises ``OSError`` when the folder is not writable; ``path`` is then left as it was."""
    path = Path(path)
    with atomic_path(path, password=password) as tmp:
        book = XlsxBook(tmp, constant_memory=constant_memory)
        for spec in sheets:
            book.write_table(spec)
        book.close()
    return path
