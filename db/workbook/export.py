"""The monthly workbook (月度报送工作簿) and the HQ roster template, written from ``format.SHEETS``.

``export_monthly`` writes with xlsxwriter in ``constant_memory`` mode (rows streamed to disk: memory stays flat in
the row count, and it is the fastest writer measured, see bench/bench_exchange.py). Every string is written as a
string cell (never a formula), a leading ``= + - @`` is escaped with an apostrophe, IDs and phones are text,
dates real Excel dates, money yuan with 2 decimals. The file is written under a temporary name, flushed and then
renamed, so a cut-off export never leaves a half file under the final name. Apart from the export time the output
is deterministic: exporting twice without changes gives the same cells and the same checksum.
"""

from __future__ import annotations

import json
import os
import uuid as uuidlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import db as db_package
from db import audit
from db.errors import BranchDeskError, DiskFull, Problem, ValidationError  # DiskFull: issue 17
from db.ids import fresh_uuid
from db.store import (  # claim, disk_full_message, is_disk_full, sweep_partials: issue 17
    Database,
    claim,
    disk_full_message,
    is_disk_full,
    now_iso,
    sweep_partials,
)
from db.workbook import protect
from db.workbook.cells import Checksum, escape_text
from db.workbook.format import (
    BOOL_LABELS,
    FORMAT_VERSION,
    NOTES_SHEET,
    ROSTER_SHEET,
    Column,
    Sheet,
    data_sheets,
    resolve,
)

ProgressFn = Callable[[int, int, str], None]
# Text columns holding numbers-like codes: their cells keep the '@' format (Excel must never make them numbers).
TEXT_CODES = frozenset({"citizen_id", "mobile", "landline", "phone", "contact", "serial", "code", "number"})

# Labels of the 说明 sheet; read back by consolidation (keep in sync with ``read.read_notes``).
NOTE_TITLE = "月度报送工作簿"
NOTE_BRANCH = "支部名称"
NOTE_CODE = "支部编码"
NOTE_PARENT = "上级党委"
NOTE_MONTH = "报送月份"
NOTE_EXPORTED_AT = "导出时间"
NOTE_APP = "软件版本"
NOTE_FORMAT = "格式版本"
NOTE_CHECKSUM = "数据校验码(SHA-256)"
SECTION_COUNTS = "【各表行数】"
SECTION_FIGURES = "【统计指标】"


@dataclass(frozen=True)
class ExportResult:
    """What ``export_monthly`` wrote: file, month, per-sheet row counts, figures and the data checksum."""

    path: Path
    month: str
    exported_at: str
    row_counts: dict[str, int]
    figures: dict[str, float]
    sha256: str
    batch_uuid: str


def check_month(month: str) -> str:
    """``YYYY-MM`` or ``ValidationError``."""
    try:
        datetime.strptime(month, "%Y-%m")
    except (TypeError, ValueError):
        raise ValidationError(
            [Problem("month", f"月份应为 YYYY-MM 格式（如 2026-03），当前为「{month}」")]
        ) from None
    return month


# --- the roster's providers --------------------------------------------------------------------------------


def roster_rows(db: Database, *, month: str) -> Iterable[dict[str, Any]]:
    """Active members in roster order (as ``db.members.list_members``), keyed by the fields of
    ``format.ROSTER_COLUMNS``. Streams from a cursor: memory does not grow with the roster."""
    from db.branch import get_branch

    branch = get_branch(db)
    branch_name = branch.name if branch else ""
    fields = [c.field for c in ROSTER_SHEET.columns if c.field not in ("seq", "branch_name", "party_group")]
    cursor = db.execute(
        f"SELECT {', '.join('m.' + f for f in fields)}, COALESCE(g.name, '') "
        "FROM members m LEFT JOIN party_groups g ON g.id = m.party_group_id WHERE m.status = 'active' "
        "ORDER BY g.sort_order IS NULL, g.sort_order, CASE m.category WHEN 'full' THEN 0 ELSE 1 END, "
        "m.joined_on IS NULL, m.joined_on, m.name, m.id"
    )
    for seq, row in enumerate(cursor, start=1):
        record = dict(zip(fields, row))
        record.update(seq=seq, branch_name=branch_name, party_group=row[-1])
        yield record


def roster_figures(db: Database, *, month: str) -> dict[str, int]:
    """党员人数 / 正式党员 / 预备党员 of the active roster."""
    from db.members import count_members

    counts = count_members(db)
    return {"党员人数": counts["active"], "正式党员": counts["full"], "预备党员": counts["probationary"]}


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
    if kind == "bool":
        return BOOL_LABELS[bool(value)]
    if kind == "choice":
        return column.choices.get(value, str(value))
    return escape_text(str(value))


def _converter(column: Column) -> Callable[[Any], Any]:
    """``cell_value`` for one column, with a short path for plain text (most cells of every sheet)."""
    if column.type not in ("text", "id"):
        return lambda value: cell_value(column, value)
    from db.workbook.cells import ESCAPE, FORMULA_CHARS

    risky = (*FORMULA_CHARS, ESCAPE)

    def text(value: Any) -> Any:
        if type(value) is str:
            if not value:
                return None
            return escape_text(value) if value.startswith(risky) else value
        return cell_value(column, value)

    return text


def available_sheets() -> list[tuple[Sheet, Callable[..., Any], Callable[..., Any] | None]]:
    """Data sheets whose rows provider exists, with the resolved providers."""
    found = []
    for sheet in data_sheets():
        rows = resolve(sheet.rows)
        if rows is None:
            continue
        found.append((sheet, rows, resolve(sheet.figures)))
    return found


class _Writer:
    """xlsxwriter workbook with the formats the sheets share."""

    def __init__(self, path: Path) -> None:
        import xlsxwriter

        self.book = xlsxwriter.Workbook(
            str(path),
            {
                "constant_memory": True,
                # Strings stay strings: never turned into formulas, numbers or links.
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
            },
        )
        b = self.book
        self.header = b.add_format(
            {
                "bold": True,
                "bg_color": "#F2DCDB",
                "border": 1,
                "text_wrap": True,
                "valign": "vcenter",
                "font_name": "宋体",
            }
        )
        self.formats = {
            "text": b.add_format({"num_format": "@"}),
            "id": b.add_format({"num_format": "@"}),
            "choice": b.add_format({"num_format": "@"}),
            "bool": b.add_format({"num_format": "@"}),
            "date": b.add_format({"num_format": "yyyy-mm-dd"}),
            "int": b.add_format({"num_format": "0"}),
            "money": b.add_format({"num_format": "0.00"}),
        }
        self.bold = b.add_format({"bold": True})

    def data_sheet(
        self, sheet: Sheet, rows: Iterable[Mapping[str, Any]], checksum: Checksum, tick: Callable[[], None]
    ) -> int:
        ws = self.book.add_worksheet(sheet.name)
        for ci, col in enumerate(sheet.columns):
            ws.set_column(ci, ci, col.width, self.formats[col.type])
        ws.freeze_panes(1, 0)
        headers = [c.header for c in sheet.columns]
        ws.write_row(0, 0, headers, self.header)
        checksum.sheet(sheet.name)
        checksum.row(headers)
        # Plain text cells go without a cell format (smaller, faster; they are string cells anyway, and the
        # column format is text). Codes keep the text format on every cell so a retyped value stays text.
        formats = [
            None if c.type == "text" and c.field not in TEXT_CODES else self.formats[c.type]
            for c in sheet.columns
        ]
        convert = [(c.field, _converter(c)) for c in sheet.columns]
        n = 0
        for n, record in enumerate(rows, start=1):
            get = record.get
            values = [conv(get(f)) for f, conv in convert]
            for ci, value in enumerate(values):
                if value is None:
                    continue
                if isinstance(value, str):
                    ws.write_string(n, ci, value, formats[ci])
                elif isinstance(value, date):
                    ws.write_datetime(n, ci, datetime(value.year, value.month, value.day), formats[ci])
                else:
                    ws.write_number(n, ci, value, formats[ci])
            checksum.row(values)
            tick()
        last = max(n, 1)
        for ci, col in enumerate(sheet.columns):
            if col.choices:
                ws.data_validation(
                    1, ci, max(last, 1000), ci, {"validate": "list", "source": list(col.choices.values())}
                )
            elif col.type == "bool":
                ws.data_validation(1, ci, max(last, 1000), ci, {"validate": "list", "source": ["是", "否"]})
        ws.autofilter(0, 0, last, len(sheet.columns) - 1)
        return n

    def close(self) -> None:
        self.book.close()


def _collect_snapshot(db: Database, records: Iterable[Mapping[str, Any]]) -> Iterable[Mapping[str, Any]]:
    """Pass the roster's records through, keeping each member's exported values (the exchange snapshot) in a
    connection-private TEMP table: memory stays flat and the main database is not locked while the file is written."""
    from db.workbook.merge import IMPORT_FIELDS, field_text

    db.execute(
        "CREATE TEMP TABLE IF NOT EXISTS export_snapshot (member_uuid TEXT PRIMARY KEY, fields TEXT NOT NULL)"
    )
    db.execute("DELETE FROM temp.export_snapshot")
    buffer: list[tuple[str, str]] = []
    for record in records:
        buffer.append(
            (
                record["uuid"],
                json.dumps(
                    {f: field_text(f, record.get(f)) for f in IMPORT_FIELDS},
                    ensure_ascii=False,
                    sort_keys=True,
                ),
            )
        )
        if len(buffer) >= 2000:
            _flush(db, buffer)
        yield record
    _flush(db, buffer)


def _flush(db: Database, buffer: list[tuple[str, str]]) -> None:
    # Its own short transaction: a bare executemany would leave an implicit transaction open on the connection.
    with db.atomic():
        db.conn.executemany("INSERT INTO temp.export_snapshot VALUES (?, ?)", buffer)
    buffer.clear()


def _notes_rows(
    branch: Any, month: str, exported_at: str, counts: dict[str, int], figures: dict[str, float], digest: str
) -> list[list[Any]]:
    rows: list[list[Any]] = [
        [NOTE_TITLE, ""],
        [NOTE_BRANCH, branch.name if branch else ""],
        [NOTE_CODE, branch.code if branch else ""],
        [NOTE_PARENT, branch.parent_org if branch else ""],
        [NOTE_MONTH, month],
        [NOTE_EXPORTED_AT, exported_at],
        [NOTE_APP, f"支部工作台 {db_package.__version__}"],
        [NOTE_FORMAT, FORMAT_VERSION],
        [NOTE_CHECKSUM, digest],
        ["", ""],
        [SECTION_COUNTS, ""],
        *[[name, count] for name, count in counts.items()],
        ["", ""],
        [SECTION_FIGURES, ""],
        *[[name, value] for name, value in figures.items()],
    ]
    return rows


def export_monthly(
    db: Database,
    *,
    month: str,
    path: str | os.PathLike[str],
    progress: ProgressFn | None = None,
    password: str | None = None,
) -> ExportResult:
    """Write the monthly workbook for ``month`` (``YYYY-MM``) to ``path``.

    Sheets: 说明 (branch, code, period, export time, versions, per-sheet row counts, the month's figures and a
    SHA-256 of the data cells), 党员名册 in the national order, then each part's sheet whose module exists.
    Records the export (file, checksum, counts) and sets the members' exchange snapshot to the exported values
    (the base for conflict detection on the next import). With ``password`` (agreed with headquarters, at least
    6 characters) the file is encrypted as Excel does it. Raises ``ValidationError`` for a bad month or a short
    password and ``BranchDeskError`` when the file cannot be written; an existing file at ``path`` is then left
    as it was.
    """
    from xlsxwriter.exceptions import FileCreateError

    from db.branch import get_branch
    from db.workbook import merge

    check_month(month)
    if password is not None:
        protect.check_password(password)
    path = Path(path)
    branch = get_branch(db)
    sheets = available_sheets()
    total = int(db.execute("SELECT count(*) FROM members WHERE status = 'active'").fetchone()[0]) + len(
        sheets
    )
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress and done % 500 == 0:
            progress(done, total, "正在写入工作簿…")

    exported_at = datetime.now().isoformat(timespec="seconds")
    tmp = path.with_name(f".{path.name}.{uuidlib.uuid4().hex[:8]}.partial")
    sweep_partials(path)  # issue 17: leftovers of a killed earlier export in this folder go first…
    _held = claim(tmp)  # …and this run's temporary file is marked as in use (released when the function ends)
    checksum = Checksum()
    counts: dict[str, int] = {}
    figures: dict[str, float] = {}
    try:
        writer = _Writer(tmp)
        notes_ws = writer.book.add_worksheet(NOTES_SHEET.name)
        for sheet, rows, figures_fn in sheets:
            records = rows(db, month=month)
            if sheet is ROSTER_SHEET:
                records = _collect_snapshot(db, records)
            counts[sheet.name] = writer.data_sheet(sheet, records, checksum, tick)
            if figures_fn is not None:
                figures.update({k: v for k, v in figures_fn(db, month=month).items()})
        digest = checksum.hexdigest()
        notes_ws.set_column(0, 0, NOTES_SHEET.columns[0].width)
        notes_ws.set_column(1, 1, NOTES_SHEET.columns[1].width)
        for ri, row in enumerate(_notes_rows(branch, month, exported_at, counts, figures, digest)):
            fmt = writer.bold if ri == 0 or str(row[0]).startswith("【") else None
            if row[0] != "":
                notes_ws.write_string(ri, 0, str(row[0]), fmt)
            value = row[1]
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                notes_ws.write_number(ri, 1, value)
            elif value != "":
                notes_ws.write_string(ri, 1, escape_text(str(value)))
        notes_ws.activate()
        writer.close()
        if password is not None:
            encrypted = tmp.with_name(tmp.name + ".enc")
            try:
                protect.encrypt_file(tmp, encrypted, password=password)
                os.replace(encrypted, tmp)
            finally:
                encrypted.unlink(missing_ok=True)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except (OSError, FileCreateError) as exc:
        tmp.unlink(missing_ok=True)
        exc = exc.args[0] if isinstance(exc, FileCreateError) and exc.args else exc
        if is_disk_full(exc):  # issue 17: a full disk says so, names the disk and what to do
            raise DiskFull(disk_full_message(path.parent)) from exc
        raise BranchDeskError(
            f"无法写入工作簿「{path}」：{getattr(exc, 'strerror', None) or exc}。请检查磁盘空间和权限，"
            "以及文件是否正在 Excel 中打开。"
        ) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    batch_uuid = fresh_uuid()
    with db.atomic():
        now = now_iso()
        db.execute(
            "INSERT INTO exchange_batches (uuid, direction, month, file_name, sha256, counts, created_at, updated_at)"
            " VALUES (?, 'export', ?, ?, ?, ?, ?, ?)",
            [batch_uuid, month, path.name, digest, json.dumps(counts, ensure_ascii=False), now, now],
        )
        merge.snapshot_from_export(db)
        audit.record(
            db,
            entity="exchange",
            entity_uuid=batch_uuid,
            action="create",
            field="export",
            new=f"{path.name}（{month}）",
        )
    if progress:
        progress(total, total, "导出完成")
    return ExportResult(
        path=path,
        month=month,
        exported_at=exported_at,
        row_counts=counts,
        figures=figures,
        sha256=digest,
        batch_uuid=batch_uuid,
    )


def write_template(path: str | os.PathLike[str]) -> Path:
    """An empty roster for HQ to fill: header row with 必填 hints, dropdowns, text-formatted ID/phone columns.

    Written with openpyxl (its DataValidation and per-column number formats); 党员名册 columns that are not
    imported (序号 and 所在党支部 stay, as HQ expects them; 编号 stays so returned rows keep their identity).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    path = Path(path)
    wb = Workbook()
    ws = wb.active
    ws.title = ROSTER_SHEET.name
    fill = PatternFill("solid", fgColor="F2DCDB")
    for ci, col in enumerate(ROSTER_SHEET.columns, start=1):
        letter = get_column_letter(ci)
        cell = ws.cell(row=1, column=ci, value=f"{col.header}（必填）" if col.required else col.header)
        cell.font = Font(bold=True, color="C00000" if col.required else "000000")
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[letter].width = col.width + (4 if col.required else 0)
        if col.type in ("text", "id"):
            for r in range(2, 502):
                ws.cell(row=r, column=ci).number_format = "@"
        elif col.type == "date":
            for r in range(2, 502):
                ws.cell(row=r, column=ci).number_format = "yyyy-mm-dd"
        options = (
            list(col.choices.values()) if col.choices else (["是", "否"] if col.type == "bool" else None)
        )
        if options:
            dv = DataValidation(
                type="list",
                formula1='"' + ",".join(options) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="取值无效",
                error="请从下拉列表中选择",
            )
            dv.add(f"{letter}2:{letter}1048576")
            ws.add_data_validation(dv)
    ws.freeze_panes = "A2"
    tmp = path.with_name(f".{path.name}.partial")
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise BranchDeskError(f"无法写入模板「{path}」：{exc.strerror or exc}") from exc
    return path
