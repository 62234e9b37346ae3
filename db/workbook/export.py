"""The monthly workbook (月度报送工作簿) and the HQ roster template, written from ``format.SHEETS``.

Both go through ``writer.py`` (the one .xlsx writer: atomic file, one formula-escaping rule, columns from the
format table). ``export_monthly`` uses its ``constant_memory`` mode (rows streamed to disk: memory stays flat in the
row count, and XlsxWriter is the fastest writer measured, see bench/bench_exchange.py). Apart from the export time
the output is deterministic: exporting twice without changes gives the same cells and the same checksum.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import db as db_package
from db import audit
from db.branch import get_branch
from db.errors import Problem, ValidationError
from db.ids import fresh_uuid
from db.parts import sheet_sources
from db.store import Database, now_iso, renamed_with_record
from db.workbook import protect
from db.workbook.cells import Checksum
from db.workbook.format import (
    FORMAT_VERSION,
    GUIDE_CORRECTIONS,
    GUIDE_ID,
    NOTE_APP,
    NOTE_BRANCH,
    NOTE_CHECKSUM,
    NOTE_CODE,
    NOTE_EXPORTED_AT,
    NOTE_FORMAT,
    NOTE_MONTH,
    NOTE_PARENT,
    NOTE_TITLE,
    NOTES_SHEET,
    ROSTER_SHEET,
    SECTION_COUNTS,
    SECTION_FIGURES,
    SECTION_GUIDE,
    SHEET_GUIDE,
    TEMPLATE_GUIDE,
    Sheet,
    data_sheets,
)
from db.workbook.roster import roster_figures, roster_rows
from db.workbook.snapshot import collect_for_export, discard_export_snapshot, snapshot_from_export
from db.workbook.writer import TEXT_CODES, SheetSpec, XlsxBook, atomic_path, cell_value, write_failures

__all__ = [
    "TEXT_CODES",
    "ExportResult",
    "available_sheets",
    "cell_value",
    "check_month",
    "export_monthly",
    "roster_figures",
    "roster_rows",
    "write_template",
]

ProgressFn = Callable[[int, int, str], None]


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
    recorded: bool = True  # False: the database is read-only, the workbook was written but not recorded


READONLY_NOTE = "数据库是只读的：工作簿已写好，但这次导出没有记入交换记录（下次导入时按上次记录的导出比对）。"


def check_month(month: str) -> str:
    """``YYYY-MM`` or ``ValidationError``."""
    try:
        datetime.strptime(month, "%Y-%m")
    except (TypeError, ValueError):
        raise ValidationError(
            [Problem("month", f"月份应为 YYYY-MM 格式（如 2026-03），当前为「{month}」")]
        ) from None
    return month


def available_sheets(
    keys: Collection[str] | None = None,
) -> list[tuple[Sheet, Callable[..., Any], Callable[..., Any] | None]]:
    """Every data sheet with its rows and figures functions (``db.parts``), in the declared order; only those
    whose ``Sheet.key`` is in ``keys`` when given (``ValidationError`` naming an unknown key)."""
    sources = sheet_sources()
    if keys is not None:
        unknown = sorted(set(keys) - {source.sheet.key for source in sources})
        if unknown:
            raise ValidationError(
                [
                    Problem(
                        "sheets",
                        f"没有这样的工作表：{'、'.join(unknown)}（可选：{'、'.join(s.sheet.key for s in sources)}）",
                    )
                ]
            )
        sources = [source for source in sources if source.sheet.key in keys]
    return [(source.sheet, source.rows, source.figures) for source in sources]


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
        ["", ""],
        [SECTION_GUIDE, ""],
        *[
            [sheet.name, SHEET_GUIDE.get(sheet.key, sheet.name)]
            for sheet in data_sheets()
            if sheet.name in counts
        ],
        ["编号(勿改)", GUIDE_ID],
        ["如何发回更正", GUIDE_CORRECTIONS],
        ["数据校验码", "用于发现导出后被改动的工作簿；上级汇总时自动核对。"],
    ]
    return rows


def export_monthly(
    db: Database,
    *,
    month: str,
    path: str | os.PathLike[str],
    progress: ProgressFn | None = None,
    password: str | None = None,
    sheets: Collection[str] | None = None,
) -> ExportResult:
    """Write the monthly workbook for ``month`` (``YYYY-MM``) to ``path``.

    Sheets: 说明 (branch, code, period, export time, versions, per-sheet row counts, the month's figures and a
    SHA-256 of the data cells), 党员名册 in the national order, then each part's sheet whose module exists.
    Records the export (file, checksum, counts) and sets the members' exchange snapshot to the exported values
    (the base for conflict detection on the next import). With ``password`` (agreed with headquarters, at least
    6 characters) the file is encrypted as Excel does it. ``sheets`` (``Sheet.key`` values, e.g. ``["dues"]``)
    restricts the data sheets written; without ``members`` the exchange snapshot is left as it was. Raises
    ``ValidationError`` for a bad month, a short password or an unknown sheet key and ``BranchDeskError`` when the file cannot be written; an existing file at ``path`` is then left
    as it was.
    """
    check_month(month)
    if password is not None:
        protect.check_password(password)
    path = Path(path)
    branch = get_branch(db)
    chosen = available_sheets(sheets)
    total = int(db.execute("SELECT count(*) FROM members WHERE status = 'active'").fetchone()[0]) + len(
        chosen
    )
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress and done % 500 == 0:
            progress(done, total, "正在写入工作簿…")

    exported_at = datetime.now().isoformat(timespec="seconds")
    shown_at = exported_at[:16].replace("T", " ")  # 2026-11-30 14:05, as an HQ clerk reads it
    checksum = Checksum()
    counts: dict[str, int] = {}
    figures: dict[str, float] = {}
    discard_export_snapshot(db)
    batch_uuid = fresh_uuid()

    def record(tmp: Path, final: Path) -> None:
        # The workbook and its record together, or neither, even when killed between them (issue 17).
        with renamed_with_record(db, tmp=tmp, path=final):
            now = now_iso()
            db.execute(
                "INSERT INTO exchange_batches (uuid, direction, month, file_name, sha256, counts, created_at,"
                " updated_at) VALUES (?, 'export', ?, ?, ?, ?, ?, ?)",
                [batch_uuid, month, final.name, digest, json.dumps(counts, ensure_ascii=False), now, now],
            )
            snapshot_from_export(db)
            audit.Trail(db, "exchange", batch_uuid).create("export", new=f"{final.name}（{month}）")

    # A read-only database (a write-protected stick, a read-only copy) still exports; the record is left out.
    rename = os.replace if db.readonly else record
    # a full disk says so, names the disk and what to do (issue 17)
    with write_failures(path), atomic_path(path, password=password, rename=rename) as tmp:
        book = XlsxBook(tmp, constant_memory=True)
        notes_ws = book.add_sheet(NOTES_SHEET.name)  # first tab, filled last (it holds counts and checksum)
        for sheet, rows, figures_fn in chosen:
            records = rows(db, month=month)
            if sheet is ROSTER_SHEET and not db.readonly:
                records = collect_for_export(db, records)
            counts[sheet.name] = book.write_table(
                SheetSpec(sheet.name, sheet.columns, records, landscape=True),
                checksum=checksum,
                tick=tick,
            )
            if figures_fn is not None:
                figures.update({k: v for k, v in figures_fn(db, month=month).items()})
        digest = checksum.hexdigest()
        book.write_pairs(
            notes_ws,
            NOTES_SHEET.columns,
            _notes_rows(branch, month, shown_at, counts, figures, digest),
            bold=lambda ri, row: ri == 0 or str(row[0]).startswith("【"),
        )
        book.print_setup(notes_ws, top=None)
        notes_ws.activate()
        book.close()
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
        recorded=not db.readonly,
    )


def write_template(path: str | os.PathLike[str]) -> Path:
    """An empty roster for HQ to fill: header row with 必填 hints, dropdowns, text-formatted ID/phone columns.

    All 党员名册 columns, also those that are not imported (序号 and 所在党支部 stay, as HQ expects them; 编号 stays
    so returned rows keep their identity). Raises ``BranchDeskError`` when the file cannot be written.
    """
    path = Path(path)
    with write_failures(path, "模板"), atomic_path(path) as tmp:
        book = XlsxBook(tmp)
        book.write_template(ROSTER_SHEET.name, ROSTER_SHEET.columns)
        guide = book.add_sheet(NOTES_SHEET.name)
        book.write_pairs(guide, NOTES_SHEET.columns, _template_guide(), bold=lambda ri, row: ri == 0)
        book.print_setup(guide, top=None)
        book.close()
    return path


def _template_guide() -> list[list[Any]]:
    """The template's 说明 sheet: how to fill it in, the allowed values of each coded column, what 编号 is for."""
    rows: list[list[Any]] = [["党员名册模板填写说明", ""], *[[k, v] for k, v in TEMPLATE_GUIDE]]
    for col in ROSTER_SHEET.columns:
        if col.choices:
            rows.append([f"「{col.header}」可选值", "、".join(col.choices.values())])
        elif col.type == "bool":
            rows.append([f"「{col.header}」可选值", "是、否"])
    rows.append(["格式版本", FORMAT_VERSION])
    return rows
