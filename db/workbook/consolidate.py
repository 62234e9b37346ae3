"""HQ consolidation: many branches' monthly workbooks → one summary with figures side by side, totals, problems.

Figures come from each workbook's 说明 sheet (【统计指标】, contributed by every sheet's ``figures`` provider), so
a part added later shows up in the summary without changes here. Each workbook is verified: a damaged or
hostile file, a missing 说明 or data sheet, a different month, a row count or checksum that does not match the
data (the workbook was edited after export) and people (citizen IDs) appearing in more than one branch are all
listed as problems; a bad workbook never stops the others from being summed.
"""

from __future__ import annotations

import os
import uuid as uuidlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from db.errors import BranchDeskError
from db.store.leftovers import claim, sweep_partials  # issue 17
from db.workbook import export as ex
from db.workbook.cells import Checksum
from db.workbook.format import ROSTER_SHEET
from db.workbook.read import Book, WorkbookRefused, norm_header, read_notes

ProgressFn = Callable[[int, int, str], None]


@dataclass(frozen=True)
class BranchFigures:
    """One branch's row of the summary."""

    file_name: str
    branch: str
    code: str
    month: str
    figures: dict[str, float]
    verified: bool


@dataclass(frozen=True)
class ConsolidationResult:
    """The summary written to ``out``: branches, figure names in column order, totals, problems (Chinese)."""

    out: Path
    month: str
    branches: tuple[BranchFigures, ...]
    figure_names: tuple[str, ...]
    totals: dict[str, float]
    problems: tuple[tuple[str, str], ...]  # (file name, message)


def _width(header: list[Any]) -> int:
    width = len(header)
    while width and (header[width - 1] is None or str(header[width - 1]).strip() == ""):
        width -= 1
    return width


def _read_one(
    path: Path, password: str | None
) -> tuple[BranchFigures | None, list[str], list[str], set[str]]:
    """(figures, problems, sheet names, citizen IDs) of one workbook."""
    problems: list[str] = []
    try:
        book = Book(path, password=password)
    except WorkbookRefused as exc:
        return None, [exc.message], [], set()
    try:
        notes = read_notes(book)
        if ex.NOTE_MONTH not in notes:
            return (
                None,
                ["缺少「说明」工作表（或其内容不完整），不是支部工作台导出的月度报送工作簿"],
                book.sheet_names,
                set(),
            )
        counts: dict[str, Any] = notes["counts"]
        checksum = Checksum()
        count_ok = True
        cids: set[str] = set()
        for name, expected in counts.items():
            if name not in book.sheet_names:
                problems.append(f"缺少工作表「{name}」")
                count_ok = False
                continue
            rows = book.rows(name)
            if not rows:
                problems.append(f"工作表「{name}」是空的")
                count_ok = False
                continue
            width = _width(rows[0])
            checksum.sheet(name)
            data = 0
            for row in rows:
                cells = list(row[:width]) + [""] * (width - len(row))
                checksum.row(cells)
            data = len(rows) - 1
            if data != int(expected):
                problems.append(f"工作表「{name}」有 {data} 行数据，与说明中的 {int(expected)} 行不符")
                count_ok = False
            if name == ROSTER_SHEET.name:
                headers = [norm_header(h) for h in rows[0]]
                cid_header = norm_header(ROSTER_SHEET.column("citizen_id").header)
                if cid_header in headers:
                    ci = headers.index(cid_header)
                    cids = {str(r[ci]).strip() for r in rows[1:] if ci < len(r) and str(r[ci]).strip()}
        verified = count_ok and checksum.hexdigest() == str(notes.get(ex.NOTE_CHECKSUM, ""))
        if count_ok and not verified:
            problems.append("数据校验码不符：工作簿在导出后被修改过，数据不可信，请让支部重新导出")
        figures = {str(k): float(v) for k, v in notes["figures"].items()}
        fig = BranchFigures(
            path.name,
            str(notes.get(ex.NOTE_BRANCH, "")),
            str(notes.get(ex.NOTE_CODE, "")),
            str(notes.get(ex.NOTE_MONTH, "")),
            figures,
            verified,
        )
        return fig, problems, book.sheet_names, cids
    except WorkbookRefused as exc:
        return None, [exc.message], [], set()
    finally:
        book.close()


def consolidate(
    paths: Iterable[str | os.PathLike[str]],
    *,
    out: str | os.PathLike[str],
    progress: ProgressFn | None = None,
    password: str | None = None,
) -> ConsolidationResult:
    """Merge branches' monthly workbooks into one summary workbook at ``out`` (see the module docstring).
    ``password`` opens the workbooks that branches encrypted with the agreed password (plain ones read as usual).

    Raises ``BranchDeskError`` when no path is given or ``out`` cannot be written.
    """
    files = [Path(p) for p in paths]
    if not files:
        raise BranchDeskError("请至少选择一个支部的月度报送工作簿")
    out = Path(out)
    branches: list[BranchFigures] = []
    problems: list[tuple[str, str]] = []
    sheets_seen: dict[str, list[str]] = {}
    cid_owner: dict[str, list[str]] = {}
    for i, path in enumerate(files):
        if progress:
            progress(i, len(files), f"正在读取 {path.name}…")
        fig, probs, book_sheets, cids = _read_one(path, password)
        problems.extend((path.name, p) for p in probs)
        if fig is None:
            continue
        branches.append(fig)
        sheets_seen[path.name] = book_sheets
        label = fig.branch or path.name
        for cid in cids:
            cid_owner.setdefault(cid, []).append(label)
    month = Counter(b.month for b in branches).most_common(1)[0][0] if branches else ""
    for b in branches:
        if b.month != month:
            problems.append((b.file_name, f"报送月份为 {b.month}，与其他支部的 {month} 不同"))
    all_sheets = {s for seen in sheets_seen.values() for s in seen}
    for file_name, seen in sheets_seen.items():
        for s in sorted(all_sheets - set(seen)):
            problems.append((file_name, f"缺少工作表「{s}」（其他支部的工作簿中有）"))
    codes = Counter(b.code for b in branches if b.code)
    for b in branches:
        if b.code and codes[b.code] > 1:
            problems.append((b.file_name, f"支部编码 {b.code} 出现在多个文件中（重复报送？）"))
    for cid, owners in sorted(cid_owner.items()):
        if len(owners) > 1:
            problems.append(("", f"公民身份号码 {cid[:6]}********{cid[-4:]} 同时出现在：{'、'.join(owners)}"))
    names: list[str] = []
    for b in branches:
        for k in b.figures:
            if k not in names:
                names.append(k)
    totals = {k: sum(b.figures.get(k, 0.0) for b in branches) for k in names}
    _write_summary(out, month, branches, names, totals, problems)
    if progress:
        progress(len(files), len(files), "汇总完成")
    return ConsolidationResult(out, month, tuple(branches), tuple(names), totals, tuple(problems))


def _write_summary(
    out: Path,
    month: str,
    branches: list[BranchFigures],
    names: list[str],
    totals: dict[str, float],
    problems: list[tuple[str, str]],
) -> None:
    import xlsxwriter
    import xlsxwriter.exceptions

    from db.workbook.cells import escape_text

    tmp = out.with_name(f".{out.name}.{uuidlib.uuid4().hex[:8]}.partial")
    sweep_partials(out)  # issue 17: leftovers of a killed earlier run go first…
    _held = claim(tmp)  # …and this run's temporary file is marked as in use (released when the function ends)
    try:
        book = xlsxwriter.Workbook(
            str(tmp), {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
        )
        head = book.add_format({"bold": True, "bg_color": "#F2DCDB", "border": 1, "text_wrap": True})
        bold = book.add_format({"bold": True})
        ws = book.add_worksheet("汇总")
        headers = ["支部名称", "支部编码", "报送月份", "校验", "文件", *names]
        ws.write_row(0, 0, headers, head)
        ws.freeze_panes(1, 2)
        ws.set_column(0, 0, 22)
        ws.set_column(4, 4, 24)
        ws.set_column(5, 5 + len(names), 12)
        for ri, b in enumerate(branches, start=1):
            ws.write_string(ri, 0, escape_text(b.branch))
            ws.write_string(ri, 1, escape_text(b.code))
            ws.write_string(ri, 2, b.month)
            ws.write_string(ri, 3, "通过" if b.verified else "未通过")
            ws.write_string(ri, 4, escape_text(b.file_name))
            for ci, k in enumerate(names, start=5):
                if k in b.figures:
                    ws.write_number(ri, ci, b.figures[k])
        last = len(branches) + 1
        ws.write_string(last, 0, f"合计（{len(branches)} 个支部，{month}）", bold)
        for ci, k in enumerate(names, start=5):
            ws.write_number(last, ci, totals[k], bold)
        ps = book.add_worksheet("问题清单")
        ps.write_row(0, 0, ["文件", "问题"], head)
        ps.set_column(0, 0, 28)
        ps.set_column(1, 1, 80)
        for ri, (file_name, message) in enumerate(problems, start=1):
            ps.write_string(ri, 0, escape_text(file_name))
            ps.write_string(ri, 1, escape_text(message))
        book.close()
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, out)
    except (OSError, xlsxwriter.exceptions.FileCreateError) as exc:
        tmp.unlink(missing_ok=True)
        raise BranchDeskError(f"无法写入汇总表「{out}」：{exc.strerror or exc}") from exc
