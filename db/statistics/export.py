"""The yearly report as HQ receives it: a workbook laid out like the forms (one sheet per table: its title, the
period, the header row, one row per row of the form; a 说明 sheet with the branch, period, table version and the
balance; a 名单 sheet with the people behind each figure) and the same as JSON.

Every .xlsx goes through ``db.workbook.writer`` (atomic file, one escaping rule); each table sheet prints on A4
landscape with its header rows repeated. The 名单 sheet lists the people of every figure except those of the
tables that count the whole roster (表2, 表3, 表4, 表9, and 表1's 上年底总数 and 本年底实有数: their people are the
roster itself), so it stays readable for a large branch; the JSON names everyone behind every figure.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from db.statistics import integrity
from db.statistics.compute import Report, TableResult
from db.statistics.tables import NOT_HELD
from db.workbook.format import Column
from db.workbook.writer import SheetSpec, XlsxBook, atomic_path, write_failures

NOTES_SHEET = "说明"
NAMES_SHEET = "名单"
NOTE_KIND = "报表类型"
NOTE_KIND_VALUE = "党内统计年报（支部）"
NOTE_BRANCH = "支部名称"
NOTE_CODE = "支部编码"  # the branch profile's code: HQ tells two branches of one name apart by it
NOTE_PERIOD = "统计期间"
NOTE_YEAR = "统计年度"
NOTE_HALF = "半年报"
NOTE_END = "统计截止日期"
NOTE_VERSION = "表式版本"
NOTE_CHECKSUM = integrity.NOTE_CHECKSUM
NOTE_PREVIOUS = "上年底总数"
NOTE_PREVIOUS_SOURCE = "上年底总数来源"
NOTE_ADDED = "本年增加"
NOTE_REMOVED = "本年减少"
NOTE_EXPECTED = "本年底应有数"
NOTE_ACTUAL = "本年底实有数"
NOTE_DIFFERENCE = "实有数与应有数之差"
NOTE_RESULT = "平衡校核"
NOTE_EXPLANATION = "差异说明"
NOTE_FINAL = "是否定稿"
NOTE_EXPORTED_AT = "导出时间"
BALANCED = "平衡"
NOT_BALANCED = "不平衡"
ROW_HEADER = "项目"
WHOLE_ROSTER = frozenset({"members", "training"})
SOURCES = {"saved": "上年已保存的年报", "recomputed": "按记录重算的上年底在册人数"}


def sheet_title(result: TableResult) -> str:
    return result.table.title[:31]


def _columns(result: TableResult) -> list[Column]:
    cols = [Column(ROW_HEADER, "label", "text", width=24)]
    cols += [
        Column(line.label, f"c{i}", "int" if line.held else "text", width=max(8, len(line.label) * 1.6))
        for i, line in enumerate(result.table.columns)
    ]
    return cols


def _rows(result: TableResult) -> list[dict[str, Any]]:
    out = []
    for ri, line in enumerate(result.table.rows):
        row: dict[str, Any] = {"label": line.label}
        for ci, col in enumerate(result.table.columns):
            row[f"c{ci}"] = result.figure(ri, ci) if col.held else NOT_HELD
        out.append(row)
    return out


def notes(
    report: Report, *, branch: str, code: str = "", exported_at: datetime | None = None
) -> list[tuple[str, Any]]:
    b = report.balance
    saved = report.saved or {}
    pairs: list[tuple[str, Any]] = [
        (NOTE_KIND, NOTE_KIND_VALUE),
        (NOTE_BRANCH, branch),
        (NOTE_PERIOD, report.period_text),
        (NOTE_YEAR, report.year),
        (NOTE_HALF, "是" if report.half else "否"),
        (NOTE_END, report.end.isoformat()),
        (NOTE_VERSION, report.version),
        (NOTE_CHECKSUM, ""),  # filled by ``write_report`` once the figures are known
        (NOTE_PREVIOUS, b.previous),
        (NOTE_PREVIOUS_SOURCE, SOURCES[b.previous_source]),
        (NOTE_ADDED, b.added),
        (NOTE_REMOVED, b.removed),
        (NOTE_EXPECTED, b.expected),
        (NOTE_ACTUAL, b.actual),
        (NOTE_DIFFERENCE, b.difference),
        (NOTE_RESULT, BALANCED if b.closes else NOT_BALANCED),
        (NOTE_EXPLANATION, str(saved.get("explanation") or "")),
        (NOTE_FINAL, "是" if saved.get("final") else "否"),
        (NOTE_EXPORTED_AT, (exported_at or datetime.now()).isoformat(timespec="seconds")),
        (NOTE_CODE, code),  # last of the fixed items: the rows above keep their places of the first exports
    ]
    for person in b.people:
        pairs.append(("差异人员", f"{person.name}：{person.why}"))
    for person in b.warnings:
        pairs.append(("待补充", f"{person.name}：{person.why}"))
    for result in report.tables:
        if not result.available:
            pairs.append(("未生成", f"{result.table.title}：本程序尚无该表的数据来源"))
        for col in result.table.columns:
            if not col.held:
                pairs.append(
                    (NOT_HELD, f"{result.table.title}「{col.label}」：本程序不记录该项，请按实际填写")
                )
    return pairs


def names_rows(report: Report) -> list[dict[str, Any]]:
    rows = []
    for result in report.tables:
        if result.table.population in WHOLE_ROSTER:
            continue
        for ri, line in enumerate(result.table.rows):
            for ci, col in enumerate(result.table.columns):
                cell = result.cells[ri][ci]
                if cell is None or col.key in ("previous", "actual"):  # the roster itself
                    continue
                for uuid in cell.uuids:
                    rows.append(
                        {
                            "table": result.table.title,
                            "row": line.label,
                            "column": col.label,
                            "name": report.names.get(uuid, uuid),
                            "uuid": uuid,
                        }
                    )
    return rows


NAMES_COLUMNS = (
    Column("表", "table", width=24),
    Column("行", "row", width=16),
    Column("列", "column", width=20),
    Column("姓名", "name", width=10),
    Column("编号", "uuid", "id", width=38),
)
NOTES_COLUMNS = (Column("项目", "label", width=20), Column("内容", "value", width=60))
CHECK_COLUMNS = tuple(Column(h, f"f{i}", width=16) for i, h in enumerate(integrity.CHECK_HEADER))


def write_report(
    report: Report,
    path: str | os.PathLike[str],
    *,
    branch: str,
    code: str = "",
    exported_at: datetime | None = None,
) -> Path:
    """Write the workbook atomically; ``branch`` and ``code`` are the branch profile's name and code. Raises
    ``BranchDeskError`` (``DiskFull``) naming ``path`` when it cannot be written; nothing is then left at ``path``."""
    path = Path(path)
    pairs = notes(report, branch=branch, code=code, exported_at=exported_at)
    figures = integrity.report_figures(report, notes=pairs, title=sheet_title)
    pairs = [(k, integrity.digest(figures) if k == NOTE_CHECKSUM else v) for k, v in pairs]
    with write_failures(path), atomic_path(path) as tmp:
        book = XlsxBook(tmp)
        ws = book.add_sheet(NOTES_SHEET)
        book.write_pairs(ws, NOTES_COLUMNS, pairs, bold=lambda i, _r: i == 0)
        for result in report.tables:
            spec = SheetSpec(
                sheet_title(result),
                _columns(result),
                _rows(result),
                heading=f"{result.table.title}（{branch} {report.period_text}，表式 {result.table.version}）",
                freeze_columns=1,
                landscape=True,
                dropdowns=False,
            )
            book.write_table(spec)
        hidden = book.add_sheet(integrity.CHECK_SHEET)
        hidden.hide()
        book.write_table(
            SheetSpec(
                integrity.CHECK_SHEET,
                CHECK_COLUMNS,
                [dataclasses.astuple(f) for f in figures],
                dropdowns=False,
            ),
            worksheet=hidden,
        )
        book.write_table(
            SheetSpec(NAMES_SHEET, NAMES_COLUMNS, names_rows(report), landscape=True, dropdowns=False)
        )
        book.close()
    return path


def _people(report: Report, uuids: Sequence[str]) -> list[dict[str, str]]:
    return [{"uuid": u, "name": report.names.get(u, u)} for u in uuids]


def figures_json(report: Report, *, branch: str = "", people: bool = True) -> dict[str, Any]:
    """The report as JSON-ready data: every figure, and with ``people`` the uuids and names behind it."""
    b = report.balance
    tables = []
    for result in report.tables:
        rows = []
        for ri, line in enumerate(result.table.rows):
            row: dict[str, Any] = {
                "label": line.label,
                "figures": [result.figure(ri, ci) for ci in range(len(result.table.columns))],
            }
            if people:
                row["people"] = [
                    None if cell is None else _people(report, cell.uuids) for cell in result.cells[ri]
                ]
            rows.append(row)
        tables.append(
            {
                "number": result.table.number,
                "name": result.table.name,
                "version": result.table.version,
                "available": result.available,
                "columns": [c.label for c in result.table.columns],
                "not_held": [c.label for c in result.table.columns if not c.held],
                "rows": rows,
            }
        )
    return {
        "branch": branch,
        "year": report.year,
        "half": report.half,
        "start": report.start.isoformat(),
        "end": report.end.isoformat(),
        "version": report.version,
        "balance": {
            "previous": b.previous,
            "previous_source": b.previous_source,
            "added": b.added,
            "removed": b.removed,
            "expected": b.expected,
            "actual": b.actual,
            "difference": b.difference,
            "closes": b.closes,
            "people": [{"uuid": p.uuid, "name": p.name, "why": p.why} for p in b.people],
            "warnings": [{"uuid": p.uuid, "name": p.name, "why": p.why} for p in b.warnings],
        },
        "tables": tables,
    }


def report_json_text(report: Report, *, branch: str = "") -> str:
    return json.dumps(figures_json(report, branch=branch), ensure_ascii=False, indent=2)
