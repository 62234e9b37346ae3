"""HQ consolidation: many branches' monthly workbooks → one summary with figures side by side, totals, problems.

Figures come from each workbook's 说明 sheet (【统计指标】, contributed by every sheet's ``figures`` provider), so
a part added later shows up in the summary without changes here. Each workbook is verified: a damaged or
hostile file, a missing 说明 or data sheet, a different month, a row count or checksum that does not match the
data (the workbook was edited after export) and people (citizen IDs) appearing in more than one branch are all
listed as problems; a bad workbook never stops the others from being summed. Each branch is summed once: a
resubmission replaces the earlier workbook of the same month, and a branch's workbook of another month left in
the folder beside the one of the summary's month is listed, not summed.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from db.errors import BranchDeskError
from db.workbook.cells import Checksum
from db.workbook.format import (
    NOTE_BRANCH,
    NOTE_CHECKSUM,
    NOTE_CODE,
    NOTE_EXPORTED_AT,
    NOTE_MONTH,
    ROSTER_SHEET,
    Column,
)
from db.workbook.page_columns import PROBLEM_COLUMNS, SUMMARY_COLUMNS
from db.workbook.read import Book, WorkbookRefused, norm_header, read_notes
from db.workbook.writer import SheetSpec, refuse_overwriting_inputs, write_failures, write_xlsx

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
    exported_at: str = ""
    problem_count: int = 0


@dataclass(frozen=True)
class ConsolidationResult:
    """The summary written to ``out``: branches, figure names in column order, totals, problems (Chinese)."""

    out: Path
    month: str
    branches: tuple[BranchFigures, ...]
    figure_names: tuple[str, ...]
    totals: dict[str, float]
    problems: tuple[tuple[str, str], ...]  # (file name, message), summarised: one line per kind and branch
    details: tuple[tuple[str, str], ...] = ()  # every problem, one line per person (the 问题明细 sheet)
    replaced: tuple[
        tuple[str, str], ...
    ] = ()  # (replaced file, the later file kept for that branch and month)


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
        if NOTE_MONTH not in notes:
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
        verified = count_ok and checksum.hexdigest() == str(notes.get(NOTE_CHECKSUM, ""))
        if count_ok and not verified:
            problems.append("数据校验码不符：工作簿在导出后被修改过，数据不可信，请让支部重新导出")
        figures = {str(k): float(v) for k, v in notes["figures"].items()}
        fig = BranchFigures(
            path.name,
            str(notes.get(NOTE_BRANCH, "")),
            str(notes.get(NOTE_CODE, "")),
            str(notes.get(NOTE_MONTH, "")),
            figures,
            verified,
            str(notes.get(NOTE_EXPORTED_AT, "")).replace("T", " "),
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
    refuse_overwriting_inputs(out, files, what="该支部的月度报送工作簿")
    read: list[tuple[BranchFigures, list[str], set[str]]] = []
    problems: list[tuple[str, str]] = []
    for i, path in enumerate(files):
        if progress:
            progress(i, len(files), f"正在读取 {path.name}…")
        fig, probs, book_sheets, cids = _read_one(path, password)
        if fig is None:
            problems.extend((path.name, p) for p in probs)
            continue
        read.append((fig, book_sheets, cids))
        problems.extend((path.name, p) for p in probs)
    # A resubmission replaces the earlier workbook of the same branch and month (the latest export wins).
    latest: dict[tuple[str, str], int] = {}
    for i, (fig, _, _) in enumerate(read):
        key = (fig.code or fig.branch or fig.file_name, fig.month)
        j = latest.get(key)
        if j is None or (fig.exported_at, i) >= (read[j][0].exported_at, j):
            latest[key] = i
    kept_index = set(latest.values())
    replaced: list[tuple[str, str]] = []
    for i, (fig, _, _) in enumerate(read):
        if i not in kept_index:
            winner = read[latest[(fig.code or fig.branch or fig.file_name, fig.month)]][0]
            replaced.append((fig.file_name, winner.file_name))
    # One workbook per branch: a branch whose workbooks of other months are in the folder too is summed once,
    # with the workbook of the summary's month (the most common one), else its latest export.
    month = Counter(read[i][0].month for i in kept_index).most_common(1)[0][0] if kept_index else ""
    per_branch: dict[str, list[int]] = {}
    for i in sorted(kept_index):
        fig = read[i][0]
        per_branch.setdefault(fig.code or fig.branch or fig.file_name, []).append(i)
    other_months: list[tuple[str, str]] = []
    for indexes in per_branch.values():
        if len(indexes) > 1:
            keep = max(indexes, key=lambda i: (read[i][0].month == month, read[i][0].exported_at, i))
            for i in indexes:
                if i != keep:
                    kept_index.discard(i)
                    other_months.append((read[i][0].file_name, read[keep][0].file_name))
    dropped = {name for name, _ in replaced} | {name for name, _ in other_months}
    problems = [(f, m) for f, m in problems if f not in dropped]
    for name, kept_file in replaced:
        problems.append((name, f"已被同一支部同一月份较新的「{kept_file}」取代（重新报送），未计入汇总"))
    for name, kept_file in other_months:
        fig = next(f for f, _, _ in read if f.file_name == name)
        problems.append(
            (
                name,
                f"报送月份为 {fig.month}，本次汇总的是 {month}；同一支部只计入「{kept_file}」，本文件未计入汇总",
            )
        )
    branches = [fig for i, (fig, _, _) in enumerate(read) if i in kept_index]
    sheets_seen = {fig.file_name: seen for i, (fig, seen, _) in enumerate(read) if i in kept_index}
    cid_owner: dict[str, list[str]] = {}
    for i, (fig, _, cids) in enumerate(read):
        if i in kept_index:
            for cid in cids:
                cid_owner.setdefault(cid, []).append(fig.branch or fig.file_name)
    for b in branches:
        if b.month != month:
            problems.append((b.file_name, f"报送月份为 {b.month}，与其他支部的 {month} 不同"))
    all_sheets = {s for seen in sheets_seen.values() for s in seen}
    for file_name, seen in sheets_seen.items():
        for s in sorted(all_sheets - set(seen)):
            problems.append((file_name, f"缺少工作表「{s}」（其他支部的工作簿中有）"))
    details = list(problems)
    shared: dict[tuple[str, ...], int] = {}
    for cid, owners in sorted(cid_owner.items()):
        if len(owners) > 1:
            details.append(("", f"公民身份号码 {cid[:6]}********{cid[-4:]} 同时出现在：{'、'.join(owners)}"))
            shared[tuple(owners)] = shared.get(tuple(owners), 0) + 1
    for group, n in shared.items():
        problems.append(("", f"{n} 人同时出现在：{'、'.join(group)}（名单见「问题明细」）"))
    per_file = Counter(f for f, _ in details if f)
    for group, n in shared.items():
        for b in branches:
            if (b.branch or b.file_name) in group:
                per_file[b.file_name] += n
    branches = [
        BranchFigures(
            b.file_name,
            b.branch,
            b.code,
            b.month,
            b.figures,
            b.verified,
            b.exported_at,
            per_file[b.file_name],
        )
        for b in branches
    ]
    names: list[str] = []
    for b in branches:
        for k in b.figures:
            if k not in names:
                names.append(k)
    totals = {k: sum(b.figures.get(k, 0.0) for b in branches) for k in names}
    _write_summary(out, month, branches, names, totals, problems, details)
    if progress:
        progress(len(files), len(files), "汇总完成")
    return ConsolidationResult(
        out, month, tuple(branches), tuple(names), totals, tuple(problems), tuple(details), tuple(replaced)
    )


def _write_summary(
    out: Path,
    month: str,
    branches: list[BranchFigures],
    names: list[str],
    totals: dict[str, float],
    problems: list[tuple[str, str]],
    details: list[tuple[str, str]],
) -> None:
    figure_columns = tuple(Column(k, f"figure{i}", "number") for i, k in enumerate(names))
    summary = SheetSpec(
        "汇总",
        (*SUMMARY_COLUMNS, *figure_columns),
        rows=(
            [
                b.branch,
                b.code,
                b.month,
                "通过" if b.verified else "未通过",
                b.file_name,
                b.problem_count,
                *(b.figures.get(k) for k in names),
            ]
            for b in branches
        ),
        footer=[
            f"合计（{len(branches)} 个支部，{month}）",
            None,
            None,
            None,
            None,
            sum(b.problem_count for b in branches),
            *(totals[k] for k in names),
        ],
        freeze_columns=2,
        dropdowns=False,
        landscape=True,
    )
    listing = SheetSpec("问题清单", PROBLEM_COLUMNS, rows=problems, dropdowns=False, landscape=True)
    detail = SheetSpec("问题明细", PROBLEM_COLUMNS, rows=details, dropdowns=False, landscape=True)
    with write_failures(out, "汇总表"):
        write_xlsx(out, [summary, listing, detail])
