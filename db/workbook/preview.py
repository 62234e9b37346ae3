"""Roster import from HQ, first step: read a returned workbook and say what importing it would do (new / changed /
unchanged / conflict / invalid); nothing is written. ``apply.py`` applies a preview and undoes it.

Matching: by the stable id column (编号), else by citizen ID. Blank cells never erase data. A field is a
*conflict* when the file differs from the snapshot of what HQ last saw (``snapshot.py``, set on every export and
import), the database differs from that snapshot too, and the file differs from the database: both sides changed
it since the last exchange, so the secretary decides; undecided conflicts keep the branch's value. A field the
branch changed while HQ still sends the old snapshot value is not a change. Validation is ``db.members``'s own
(``validate_member``); every problem is reported with sheet, row, column letter and header.
"""

from __future__ import annotations

import gc
import json
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from db.branch import get_branch, list_party_groups
from db.errors import Problem
from db.members import _as_values, clean_values, errors_only, get_member, validate_member
from db.rules import canonical_citizen_id
from db.store import Database, file_sha256
from db.workbook.cells import ESCAPE, FORMULA_CHARS, escape_text
from db.workbook.format import (
    FORMAT_VERSION,
    NOTE_BRANCH,
    NOTE_CODE,
    NOTE_EXPORTED_AT,
    NOTE_FORMAT,
    NOTE_PARENT,
    ROSTER_SHEET,
)
from db.workbook.read import Book, WorkbookRefused, read_notes
from db.workbook.roster_read import CellProblem, read_roster
from db.workbook.snapshot import IMPORT_FIELDS, field_text, snapshot_of

ProgressFn = Callable[[int, int, str], None]
STATUSES = {"new": "新增", "changed": "修改", "unchanged": "无变化", "conflict": "冲突", "invalid": "无效"}
_FIELD_ORDER = {f: i for i, f in enumerate(IMPORT_FIELDS)}


def display(name: str, text: str) -> str:
    """A compared text as the secretary reads it (Chinese labels of choices, 是/否)."""
    if text == "":
        return "（空）"
    col = ROSTER_SHEET.column(name)
    if col.choices:
        return col.choices.get(text, text)
    if col.type == "bool":
        return "是" if text == "1" else "否"
    return text


class StoredRoster:
    """Every member (archived too) column by column, in ``field_text`` form, straight from one SQL query.

    Stored dates are already ISO text and booleans 0/1, so a whole roster is compared without building records.
    """

    def __init__(self, db: Database) -> None:
        cols = ", ".join("COALESCE(g.name, '')" if f == "party_group" else f"m.{f}" for f in IMPORT_FIELDS)
        rows = db.execute(
            f"SELECT m.uuid, {cols} FROM members m LEFT JOIN party_groups g ON g.id = m.party_group_id"
        ).fetchall()
        columns = list(zip(*rows)) if rows else [() for _ in range(len(IMPORT_FIELDS) + 1)]
        self.uuids: list[str] = list(columns[0])
        self.columns: dict[str, list[str]] = {
            f: ["" if v is None else v if type(v) is str else str(v) for v in col]
            for f, col in zip(IMPORT_FIELDS, columns[1:])
        }
        self.index = {u: i for i, u in enumerate(self.uuids)}

    def __contains__(self, member_uuid: object) -> bool:
        return member_uuid in self.index

    def __getitem__(self, member_uuid: str) -> dict[str, str]:
        i = self.index[member_uuid]
        return {f: col[i] for f, col in self.columns.items()}

    def by_citizen_id(self) -> dict[str, str]:
        """Member uuid by the 18-digit form of the stored number: a member stored with a legacy 15-digit number is
        the same person as the file's 18-digit row (the import upgrades 15-digit numbers)."""
        return {canonical_citizen_id(c): self.uuids[i] for i, c in enumerate(self.columns["citizen_id"]) if c}

    def expected_cells(self, fields: list[str]) -> dict[str, tuple[Any, ...]]:
        """Per member uuid, the raw cells (as python-calamine returns them) the export writes for ``fields``."""

        risky = (*FORMULA_CHARS, ESCAPE)
        out_cols: list[list[Any]] = []
        for name in fields:
            if name == "uuid":
                out_cols.append(self.uuids)
                continue
            col, spec = self.columns[name], ROSTER_SHEET.column(name)
            if spec.type == "date":
                iso = date.fromisoformat
                out_cols.append([iso(t) if t else "" for t in col])
            elif spec.choices:
                labels = spec.choices
                out_cols.append([labels.get(t, t) if t else "" for t in col])
            elif spec.type == "bool":
                out_cols.append(["是" if t == "1" else "否" if t == "0" else "" for t in col])
            else:
                out_cols.append([escape_text(t) if t.startswith(risky) else t for t in col])
        return dict(zip(self.uuids, zip(*out_cols)))


def same_ethnicity(a: str, b: str) -> bool:
    """汉 and 汉族, 蒙古 and 蒙古族 name one 民族: HQ rosters often drop the 族, and that is not a change."""
    return a.removesuffix("族") == b.removesuffix("族")


def stored_texts(db: Database) -> dict[str, dict[str, str]]:
    """Every member (archived too) as ``{uuid: {field: text}}`` in ``field_text`` form."""
    roster = StoredRoster(db)
    return {u: roster[u] for u in roster.uuids}


# --- records -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    """One field of a row: stored value (``before``), the file's (``after``), HQ's last known (``snapshot``)."""

    field: str
    label: str
    before: str
    after: str
    snapshot: str | None
    conflict: bool

    def describe(self) -> str:
        return f"{self.label}：{display(self.field, self.before)} → {display(self.field, self.after)}"


@dataclass(frozen=True)
class PreviewRow:
    """One data row of the file and what applying it would do."""

    row: int
    status: str  # new / changed / unchanged / conflict / invalid
    member_uuid: str | None
    name: str
    changes: tuple[FieldChange, ...]
    problems: tuple[CellProblem, ...]
    values: Mapping[str, Any] = field(compare=False, repr=False)
    same: bool = False  # unchanged, recognised without parsing (cells equal to our export of the member)
    notes: tuple[CellProblem, ...] = ()  # what was cleaned or filled in (the row stays valid)


@dataclass(frozen=True)
class ImportPreview:
    """What an import would do; nothing has been written. ``counts`` keys are the five statuses."""

    path: Path
    file_name: str
    sha256: str
    sheet: str
    counts: dict[str, int]
    rows: tuple[PreviewRow, ...]
    ignored_columns: tuple[str, ...]
    new_groups: tuple[str, ...]
    branch_from_file: tuple[str, str, str] | None  # (name, code, parent) when the database has no branch yet
    # Rows not read as members (合计, 制表人, repeated header) and notes about the sheet and cleaned cells.
    ignored_rows: tuple[CellProblem, ...] = ()
    notes: tuple[CellProblem, ...] = ()
    header_row: int = 1
    # When the file was made, to refuse one older than a file already applied: the 说明 sheet's 导出时间 (our own
    # workbooks returned by HQ), and the last-saved time of its document properties (also without 说明).
    exported_at: str = ""
    saved_at: str = ""
    hidden_sheets: tuple[str, ...] = ()
    already_imported: str = ""  # the 已导入过 message when this very file (SHA-256) was applied before

    @property
    def row_notes(self) -> list[CellProblem]:
        """Notes about the file (hidden sheets, merged cells) and about cleaned cells of its rows."""
        return [*self.notes, *(n for r in self.rows for n in r.notes)]

    @property
    def problems(self) -> list[CellProblem]:
        return [p for r in self.rows for p in r.problems]

    def to_json(self) -> dict[str, Any]:
        """The preview as plain JSON data (for ``branchdesk import --json``)."""
        return {
            "file": self.file_name,
            "sha256": self.sha256,
            "already_imported": self.already_imported,
            "sheet": self.sheet,
            "counts": self.counts,
            "ignored_columns": list(self.ignored_columns),
            "new_groups": list(self.new_groups),
            "rows": [
                {
                    "row": r.row,
                    "status": r.status,
                    "member": r.member_uuid,
                    "name": r.name,
                    "changes": [
                        {
                            "field": c.field,
                            "label": c.label,
                            "before": c.before,
                            "after": c.after,
                            "conflict": c.conflict,
                        }
                        for c in r.changes
                    ],
                }
                for r in self.rows
                if r.status != "unchanged"
            ],
            "problems": [_problem_json(p) for p in self.problems],
            "ignored_rows": [_problem_json(p) for p in self.ignored_rows],
            "notes": [_problem_json(p) for p in self.row_notes],
        }


def _problem_json(p: CellProblem) -> dict[str, Any]:
    return {"sheet": p.sheet, "row": p.row, "column": p.column, "header": p.header, "message": p.message}


# --- preview -----------------------------------------------------------------------------------------------


def _check_branch(db: Database, notes: Mapping[str, Any], file_name: str) -> tuple[str, str, str] | None:

    file_name_branch = str(notes.get(NOTE_BRANCH) or "").strip()
    file_code = str(notes.get(NOTE_CODE) or "").strip()
    if not file_name_branch and not file_code:
        return None
    branch = get_branch(db)
    if branch is None:
        return (file_name_branch, file_code, str(notes.get(NOTE_PARENT) or "").strip())
    if (file_code and branch.code and file_code != branch.code) or (
        not (file_code and branch.code) and file_name_branch and file_name_branch != branch.name
    ):
        raise WorkbookRefused(
            f"文件「{file_name}」是「{file_name_branch}」（编码 {file_code or '无'}）的工作簿，"
            f"不是本支部「{branch.name}」（编码 {branch.code or '无'}）的，已拒绝导入。"
        )
    return None


def _duplicates(rows: list[Any], key: str, label: str, sheet: str, letter: str) -> dict[int, CellProblem]:
    """Rows (by number) whose ``key`` value another row of the file also has, each with a problem naming both."""
    first: dict[str, int] = {}
    seen: dict[str, list[int]] = {}
    for r in rows:
        value = r.values.get(key)
        if not value:
            continue
        row = first.setdefault(value, r.row)
        if row != r.row:
            seen.setdefault(value, [row]).append(r.row)
    out: dict[int, CellProblem] = {}
    for value, numbers in seen.items():
        shown = value[-4:] if key == "citizen_id" else value
        for n in numbers:
            others = "、".join(f"第 {o} 行" for o in numbers if o != n)
            out[n] = CellProblem(
                sheet,
                n,
                letter,
                label,
                f"{label}与{others}重复（尾号 {shown}），两行都不导入，请核对"
                if key == "citizen_id"
                else f"{label}与{others}重复（{shown}），两行都不导入，请核对",
            )
    return out


def _check_format(notes: Mapping[str, Any], file_name: str) -> None:
    version = str(notes.get(NOTE_FORMAT) or "").strip()
    if version and version.split(".")[0].isdigit() and int(version.split(".")[0]) > int(FORMAT_VERSION):
        raise WorkbookRefused(
            f"文件「{file_name}」是新版本格式（格式版本 {version}），本软件只认识格式版本 {FORMAT_VERSION}。"
            "请先升级支部工作台再导入。"
        )


def _other_branch_rows(db: Database, row_branches: Mapping[int, str], file_name: str) -> set[int]:
    """Rows whose 所在党支部 names another branch. A workbook where no row names this branch is refused (even
    without its 说明 sheet); in a whole-committee roster the other branches' rows are left out."""
    branch = get_branch(db)
    if branch is None or not branch.name or not row_branches:
        return set()
    ours = re.sub(r"\s+", "", branch.name)

    def same(name: str) -> bool:
        return name == ours or name in ours or ours in name

    others = {row for row, name in row_branches.items() if not same(name)}
    if len(others) == len(row_branches):
        shown = "、".join(sorted(set(row_branches.values()))[:3])
        raise WorkbookRefused(
            f"文件「{file_name}」的「所在党支部」列是「{shown}」，不是本支部「{branch.name}」，已拒绝导入。"
        )
    return others


def _already_imported(db: Database, sha256: str, file_name: str) -> str:
    """The message for a file already imported (same SHA-256, not undone); '' otherwise."""
    row = db.execute(
        "SELECT file_name, created_at FROM exchange_batches WHERE direction = 'import' AND status = 'done' "
        "AND sha256 = ? ORDER BY id DESC LIMIT 1",
        [sha256],
    ).fetchone()
    if row is None:
        return ""
    return (
        f"文件「{file_name}」已导入过（{row[1][:16].replace('T', ' ')} 导入的「{row[0]}」与它完全相同），"
        "不会再次应用，也不会记录任何内容。"
    )


def _check_history(db: Database, exported_at: str, saved_at: str, file_name: str) -> None:
    """Refuse a file made before a workbook already applied (it would revert newer values).

    Times are compared like with like: the 说明 sheets' export times when both files have one and they differ,
    else the last-saved times of the document properties (a roster HQ typed has no 说明; two corrections HQ made
    to the same export have the same export time). A file with neither is not dated and not refused."""
    if not exported_at and not saved_at:
        return
    for file_before, changes in db.execute(
        "SELECT file_name, changes FROM exchange_batches WHERE direction = 'import' AND status = 'done'"
    ):
        meta: dict[str, Any] = next((c for c in json.loads(changes) if c.get("action") == "meta"), {})
        before_export, before_saved = meta.get("exported_at", ""), meta.get("saved_at", "")
        if exported_at and before_export and exported_at != before_export:
            older = (before_export > exported_at, f"导出于 {exported_at}", f"导出于 {before_export}")
        elif saved_at and before_saved:
            older = (
                before_saved > saved_at,
                f"最后保存于 {saved_at}（按文件属性）",
                f"最后保存于 {before_saved}",
            )
        else:
            continue
        if older[0]:
            raise WorkbookRefused(
                f"文件「{file_name}」{older[1]}，比已导入的「{file_before}」（{older[2]}）更旧。"
                "应用旧文件会把较新的数据改回去，已拒绝导入；请向上级索取最新的工作簿。"
            )


def _exported_at(notes: Mapping[str, Any]) -> str:
    value = notes.get(NOTE_EXPORTED_AT)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    return str(value or "").strip().replace("T", " ")


def preview_import(
    db: Database,
    *,
    path: str | Path,
    progress: ProgressFn | None = None,
    password: str | None = None,
    sheet: str | None = None,
) -> ImportPreview:
    """Read ``path`` and say what importing it would do; nothing is written.

    Raises ``WorkbookRefused`` (Chinese message) for a hostile or foreign file: not an .xlsx, password-protected,
    damaged, zip bomb, too many rows, formulas, duplicate citizen IDs or ids, another branch's workbook.
    """
    with _cyclic_gc_paused():
        return _preview(db, Path(path), progress, password, sheet)


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Cyclic garbage collection paused while up to 60,000 rows become parsed rows and preview rows: they hold no
    reference cycles (reference counting frees them), yet every collection walks all the rows built so far (~8 % of
    a 50,000-row preview, bench/bench_exchange.py). Resumed as it was, whatever happens."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _preview(
    db: Database, path: Path, progress: ProgressFn | None, password: str | None, sheet: str | None
) -> ImportPreview:
    if progress:
        progress(0, 100, "正在检查文件…")
    book = Book(path, password=password)
    texts = StoredRoster(db)
    sha256 = file_sha256(path)
    try:
        notes = read_notes(book)
        _check_format(notes, path.name)
        exported_at = _exported_at(notes)
        saved = book.saved_at()
        saved_at = saved.isoformat(sep=" ", timespec="seconds") if saved is not None else ""
        _check_history(db, exported_at, saved_at, path.name)
        already = _already_imported(db, sha256, path.name)
        branch_from_file = _check_branch(db, notes, path.name)
        table = read_roster(book, expected_for=texts.expected_cells, sheet=sheet)
        hidden_sheets = tuple(book.hidden_sheets)
    finally:
        book.close()
    other_rows = _other_branch_rows(db, table.row_branches, path.name)
    if other_rows:
        table.ignored_rows.extend(
            CellProblem(table.sheet, r.row, *table.letter("branch_name"), "其他支部的党员，未导入")
            for r in table.rows
            if r.row in other_rows
        )
        table.ignored_rows.sort(key=lambda p: p.row)
        table.rows = [r for r in table.rows if r.row not in other_rows]
    clashes = {
        **_duplicates(table.rows, "uuid", "编号", table.sheet, table.letter("uuid")[0]),
        **_duplicates(table.rows, "citizen_id", "公民身份号码", table.sheet, table.letter("citizen_id")[0]),
    }
    archived = {u for (u,) in db.execute("SELECT uuid FROM members WHERE status != 'active'")}

    by_cid = texts.by_citizen_id()

    group_names = {g.name for g in list_party_groups(db)}
    new_groups: list[str] = []
    out: list[PreviewRow] = []
    total = len(table.rows)

    def located(problems: list[Problem], row: int) -> list[CellProblem]:
        result = []
        for p in problems:
            letter, header = table.letter(p.field)
            result.append(CellProblem(table.sheet, row, letter, header, p.message))
        return result

    required = [c for c in ROSTER_SHEET.columns if c.required]
    today = date.today()  # once, not once per new row
    for i, r in enumerate(table.rows):
        if progress and i % 1000 == 0:
            progress(i, total, "正在比对名册…")
        values = r.values
        name = str(values.get("name", ""))
        file_uuid = values.get("uuid", "")
        member_uuid = (
            file_uuid
            if file_uuid in texts
            # into an empty roster (the first import) no number is stored: none to bring to its 18-digit form
            else by_cid.get(canonical_citizen_id(values.get("citizen_id", "")))
            if by_cid
            else None
        )
        row_notes = tuple(r.notes)
        if r.row in clashes:
            problems = (*r.problems, clashes[r.row])
            out.append(PreviewRow(r.row, "invalid", member_uuid, name, (), problems, values, notes=row_notes))
            continue
        if r.same:
            out.append(PreviewRow(r.row, "unchanged", member_uuid, name, (), (), values, same=True))
            continue
        if r.problems:
            out.append(
                PreviewRow(
                    r.row, "invalid", member_uuid, name, (), tuple(r.problems), values, notes=row_notes
                )
            )
            continue
        group = values.get("party_group")
        if group and group not in group_names and group not in new_groups:
            new_groups.append(group)
        if member_uuid is None:
            missing = [
                Problem(c.field, f"新增党员必须填写{c.header}") for c in required if c.field not in values
            ]
            # validate_member takes a missing birth date and gender from the citizen ID itself; the ID is known
            # not to be stored (``by_cid`` above), so its per-row duplicate query is skipped, and the reader has
            # already parsed every cell to its stored form, so the values are not cleaned a second time (uncleaned,
            # its uuid and party_group keys are simply not looked at)
            errors = missing + validate_member(
                db, values=values, today=today, check_duplicates=False, clean=False, warnings=False
            )
            if errors:
                out.append(
                    PreviewRow(
                        r.row,
                        "invalid",
                        None,
                        name,
                        (),
                        tuple(located(errors, r.row)),
                        values,
                        notes=row_notes,
                    )
                )
                continue
            # No per-field changes for a new row (its values are the row itself): keeps a 50,000-row preview small.
            out.append(PreviewRow(r.row, "new", values.get("uuid"), name, (), (), values, notes=row_notes))
            continue
        stored = texts[member_uuid]
        snap: dict[str, str] | None = None
        changes_list: list[FieldChange] = []
        # Only the file's non-blank cells are in ``values``: blank cells never erase.
        differing = [
            (f, t)
            for f, v in values.items()
            if f in stored
            and (t := (v if type(v) is str else field_text(f, v))) != stored[f]
            and not (f == "ethnicity" and same_ethnicity(t, stored[f]))
        ]
        for f, new_text in sorted(differing, key=lambda item: _FIELD_ORDER[item[0]]):
            old_text = stored[f]
            if snap is None:  # looked up only for rows that differ: an unchanged roster never parses it
                snap = snapshot_of(db, member_uuid)
            base = snap.get(f)
            label = ROSTER_SHEET.column(f).header
            if f == "citizen_id" and canonical_citizen_id(old_text) == canonical_citizen_id(new_text):
                # the 18-digit form of the legacy number stored here: the same person, the number brought up to date
                changes_list.append(FieldChange(f, label, old_text, new_text, base, False))
            elif member_uuid in archived and new_text != base:
                # an archived member: HQ's change is never applied silently
                changes_list.append(FieldChange(f, label, old_text, new_text, base, True))
            elif base is None and old_text:
                # HQ never saw this value (a member or field added at the branch since the last exchange)
                changes_list.append(FieldChange(f, label, old_text, new_text, base, True))
            elif base is None or old_text == base:
                changes_list.append(FieldChange(f, label, old_text, new_text, base, False))
            elif new_text == base:
                continue  # only the branch changed it since the last exchange: keep the branch's value
            else:
                changes_list.append(FieldChange(f, label, old_text, new_text, base, True))
        if not changes_list:
            out.append(
                PreviewRow(
                    r.row, "unchanged", member_uuid, name or stored["name"], (), (), values, notes=row_notes
                )
            )
            continue
        member = get_member(db, uuid=member_uuid)
        merged = {
            **_as_values(member),
            **clean_values({c.field: values[c.field] for c in changes_list if c.field != "party_group"}),
        }
        merged.pop("party_group", None)
        errors = errors_only(validate_member(db, values=merged, uuid=member.uuid))
        if errors:
            out.append(
                PreviewRow(
                    r.row,
                    "invalid",
                    member.uuid,
                    name or member.name,
                    tuple(changes_list),
                    tuple(located(errors, r.row)),
                    values,
                    notes=row_notes,
                )
            )
            continue
        status = "conflict" if any(c.conflict for c in changes_list) else "changed"
        out.append(
            PreviewRow(
                r.row,
                status,
                member.uuid,
                name or member.name,
                tuple(changes_list),
                (),
                values,
                notes=row_notes,
            )
        )

    counts = {k: 0 for k in STATUSES}
    for row in out:
        counts[row.status] += 1
    if progress:
        progress(total, total, "预览完成")
    return ImportPreview(
        path=path,
        file_name=path.name,
        sha256=sha256,
        sheet=table.sheet,
        counts=counts,
        rows=tuple(out),
        ignored_columns=tuple(table.ignored),
        new_groups=tuple(new_groups),
        branch_from_file=branch_from_file,
        ignored_rows=tuple(table.ignored_rows),
        notes=tuple(table.notes),
        header_row=table.header_row,
        exported_at=exported_at,
        saved_at=saved_at,
        hidden_sheets=hidden_sheets,
        already_imported=already,
    )
