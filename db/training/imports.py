"""Import a list of training hours (学时登记, ``db.workbook.page_columns.TRAINING_SHEET``) from .xlsx: preview, then apply.

The preview reads the file (guarded like every workbook, ``db.workbook.read.Book``), finds the header anywhere in
the first rows (synonyms accepted), matches each row to a member of the roster (by 公民身份号码 when given, else by
name among the active members, its inner spaces removed as the roster import does; two members of one name need the
number) and says per row what importing would do:
add it, skip it (the same entry is already in the ledger: importing a list twice adds nothing) or refuse it (with
row, column and a Chinese message); a 合计 or signature row under the list is ignored and listed. Nothing is written. ``apply_training_import`` writes every row to add in ONE
transaction after a backup, each entry audited under one batch id.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from db import ids
from db.rows import query
from db.rules import canonical_citizen_id, normalize_text
from db.store import Database, backup_before, file_sha256
from db.training import service
from db.workbook.format import Column
from db.workbook.guards import WorkbookRefused, col_letter
from db.workbook.normalize import clean_name
from db.workbook.page_columns import TRAINING_SHEET
from db.workbook.read import Book, CellError, parse_cell
from db.workbook.roster_read import find_header, footer_reason

ROW_STATUSES = {"new": "导入", "duplicate": "已登记（跳过）", "invalid": "有错误", "ignored": "忽略"}
# 4, 2.5, 4学时, 3小时, 2个学时, 1.5课时, 2h: a number of hours and at most its unit.
_HOURS_RE = re.compile(r"(\d+(?:\.\d+)?)(?:个?学时|个?小时|课时|h)?", re.IGNORECASE)


@dataclass(frozen=True)
class TrainingRow:
    """One row of the list: what it says, the member it names, and what importing does with it."""

    row: int  # 1-based, as Excel shows it
    name: str
    member_uuid: str | None
    on: date | None
    hours: float | None
    title: str
    source: str
    note: str
    status: str  # a key of ROW_STATUSES
    problems: tuple[str, ...] = ()

    @property
    def status_label(self) -> str:
        return ROW_STATUSES[self.status]


@dataclass(frozen=True)
class TrainingPreview:
    path: Path
    sha256: str
    sheet: str
    rows: tuple[TrainingRow, ...]

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)


def _find_sheet(book: Book) -> tuple[str, list[list[Any]], int, dict[str, int]]:
    """The first visible sheet with a header naming 姓名, a date, 学时 and 培训名称."""
    needed = {c.field for c in TRAINING_SHEET.columns if c.required}
    for name in book.sheet_names:
        if name in book.hidden_sheets:
            continue
        rows = book.rows(name)
        found = find_header(rows, TRAINING_SHEET)
        if found is not None and needed <= set(found[1]):
            return name, rows, found[0], found[1]
    headers = "、".join(c.header for c in TRAINING_SHEET.columns if c.required)
    raise WorkbookRefused(f"文件「{book.path.name}」中没有找到学时登记表：表头应包含{headers}。")


def _hours(column: Column, value: Any) -> float | None:
    if value in ("", None):
        return None
    if isinstance(value, bool):
        raise CellError(f"「{value}」不是学时数（应为数字，如 4 或 2.5）")
    if isinstance(value, (int, float)):
        hours = float(value)
    else:
        m = _HOURS_RE.fullmatch(re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value))))
        if m is None:
            raise CellError(f"「{value}」不是学时数（应为数字，如 4 或 2.5）")
        hours = float(m.group(1))
    if not 0 < hours <= service.MAX_HOURS:
        raise CellError(f"「{hours:g}」：学时应大于 0、不超过 {service.MAX_HOURS:g}")
    return hours


def _members(db: Database) -> tuple[dict[str, str], dict[str, list[str]], dict[str, tuple[str, str | None]]]:
    """(uuid by 18-digit citizen ID, uuids by name of the active members, (status, its date) by uuid)."""
    by_id: dict[str, str] = {}
    by_name: dict[str, list[str]] = {}
    statuses: dict[str, tuple[str, str | None]] = {}
    for r in query(db, "SELECT uuid, name, citizen_id, status, status_on FROM members"):
        if r["citizen_id"]:
            by_id[canonical_citizen_id(r["citizen_id"])] = r["uuid"]
        if r["status"] == "active":
            by_name.setdefault(r["name"], []).append(r["uuid"])
        statuses[r["uuid"]] = (r["status"], r["status_on"])
    return by_id, by_name, statuses


def _existing(db: Database) -> set[tuple[str, str, float, str]]:
    """(member uuid, date, hours, title) of every entry in the ledger that is not archived."""
    return {
        (r["uuid"], r["on_date"], float(r["hours"]), r["title"])
        for r in query(
            db,
            "SELECT m.uuid, t.on_date, t.hours, t.title FROM training_records t JOIN members m ON m.id = t.member_id"
            " WHERE t.archived_at IS NULL",
        )
    }


def preview_training_import(db: Database, *, path: Path, today: date | None = None) -> TrainingPreview:
    """What importing ``path`` would do, row by row; nothing is written. Raises ``WorkbookRefused`` when the file
    is no workbook or holds no training list."""
    today = today or date.today()
    book = Book(path)
    sheet, rows, header_row, columns = _find_sheet(book)
    by_id, by_name, statuses = _members(db)
    existing = _existing(db)
    seen: set[tuple[str, str, float, str]] = set()
    out = []
    for ri in range(header_row + 1, len(rows)):
        raw = rows[ri]
        if not any(str(v).strip() for v in raw if v is not None):
            continue
        first = next((v for v in raw if v is not None and str(v).strip()), None)
        if (footer := footer_reason(first)) is not None:  # 合计, 制表人, 审核人 … under the list
            out.append(
                TrainingRow(ri + 1, str(first).strip(), None, None, None, "", "", "", "ignored", (footer,))
            )
            continue
        values: dict[str, Any] = {}
        problems: list[str] = []
        for column in TRAINING_SHEET.columns:
            if column.field not in columns:
                continue
            ci = columns[column.field]
            cell = raw[ci] if ci < len(raw) else ""
            try:
                values[column.field] = (
                    _hours(column, cell) if column.field == "hours" else parse_cell(column, cell)
                )
            except CellError as exc:
                problems.append(f"{col_letter(ci)} 列「{column.header}」：{exc}")
        for column in TRAINING_SHEET.columns:
            blank = column.required and column.field in columns and values.get(column.field) in (None, "")
            if column.field == "name" and values.get("citizen_id"):
                blank = False  # the number names the member
            if blank and not any(f"「{column.header}」" in p for p in problems):
                problems.append(f"{col_letter(columns[column.field])} 列「{column.header}」：必须填写")
        name = clean_name(normalize_text(str(values.get("name") or "")))  # 王　一 as the roster writes 王一
        member_uuid = _match(name, values.get("citizen_id"), by_id, by_name, problems)
        on = values.get("on")
        if isinstance(on, date) and on > today:
            problems.append(
                f"{col_letter(columns['on'])} 列「培训日期」：{on.isoformat()} 晚于今天，尚未发生的培训不能登记学时"
            )
        elif (
            isinstance(on, date)
            and member_uuid
            and (left := service.after_leaving(*statuses[member_uuid], on))
        ):
            problems.append(f"{col_letter(columns['on'])} 列「培训日期」：{left}")
        title = normalize_text(str(values.get("title") or ""))
        hours = values.get("hours")
        status = "invalid" if problems else "new"
        if status == "new" and member_uuid and isinstance(on, date) and hours is not None:
            key = (member_uuid, on.isoformat(), float(hours), title)
            if key in existing or key in seen:
                status = "duplicate"
            seen.add(key)
        out.append(
            TrainingRow(
                row=ri + 1,
                name=name,
                member_uuid=member_uuid,
                on=on if isinstance(on, date) else None,
                hours=hours,
                title=title,
                source=normalize_text(str(values.get("source") or "")),
                note=normalize_text(str(values.get("note") or "")),
                status=status,
                problems=tuple(problems),
            )
        )
    return TrainingPreview(path=path, sha256=file_sha256(path), sheet=sheet, rows=tuple(out))


def _match(
    name: str,
    citizen_id: Any,
    by_id: dict[str, str],
    by_name: dict[str, list[str]],
    problems: list[str],
) -> str | None:
    """The member a row names, or None with the reason in ``problems``."""
    if citizen_id:
        found = by_id.get(canonical_citizen_id(str(citizen_id)))
        if found is None:
            problems.append(f"公民身份号码 {citizen_id} 不属于本支部的党员")
        return found
    if not name:
        return None
    candidates = by_name.get(name, [])
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        problems.append(f"在册党员中没有「{name}」，请核对姓名或填写公民身份号码")
    else:
        problems.append(f"在册党员中有 {len(candidates)} 人名为「{name}」，请填写公民身份号码以区分")
    return None


def apply_training_import(db: Database, *, preview: TrainingPreview, source: str = "import") -> int:
    """Write the rows to add (status ``new``) in ONE transaction after a backup; returns how many. The rows with
    errors and those already in the ledger are left out."""
    rows = [r for r in preview.rows if r.status == "new"]
    if not rows:
        return 0
    backup_before(db, "training-import")
    batch = ids.fresh_uuid()
    with db.atomic():
        for r in rows:
            assert r.member_uuid is not None and r.on is not None and r.hours is not None  # status new
            service.add_training(
                db,
                member_uuid=r.member_uuid,
                on=r.on,
                hours=r.hours,
                title=r.title,
                source=r.source or preview.path.name,
                note=r.note,
                origin=source,
                batch=batch,
            )
    return len(rows)
