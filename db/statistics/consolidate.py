"""HQ: many branches' yearly statistics workbooks (``export.write_report``) checked and summed into one
(``branchdesk stats-consolidate``, and the 统计年报 page's 上级汇总 dialog).

Each workbook is read through the guarded reader (``db.workbook.read.Book``: a hostile or damaged file is refused,
never opened further). Then, for each branch, every failure is a ``Finding`` (file, branch, sheet, cell, what, what
to do) on the 校核结果 sheet:

- **figures changed after the export**: the 数据校验码 on the 说明 sheet no longer matches the figures
  (``integrity``); each changed cell is named with its value at the export and now (a deleted row, an added row).
  Such a workbook is not summed;
- **another period or table version** than the majority of the workbooks: not summed;
- **the same branch twice** (by 支部编码, else 支部名称: ``BranchBalance.key``): the newer export replaces the
  older, which is listed as replaced and never summed twice;
- **a balance that does not close** (上年底 + 增加 − 减少 ≠ 应有数, or 实有数 ≠ 应有数 without a 差异说明, or table 1
  disagreeing with the 说明): summed, and flagged;
- **报表校核** (``checks``): totals against their bands and parts, table 1 against tables 2/3/4/10: summed, flagged.

``check_stats`` reads and checks (the preview); ``write_consolidation`` writes the workbook (各支部平衡, one sheet
per table with the sums by (sheet, row label, column label), 校核结果); ``consolidate_stats`` does both;
``consolidation_json`` is the same as JSON. A bad workbook never stops the others.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from db.errors import BranchDeskError
from db.statistics import checks, integrity
from db.statistics import export as ex
from db.statistics.tables import NOT_HELD
from db.store.paths import same_file
from db.workbook import protect
from db.workbook.format import Column
from db.workbook.guards import MAX_FILE_BYTES, ole_kind
from db.workbook.read import Book, WorkbookRefused, col_letter
from db.workbook.writer import SheetSpec, refuse_overwriting_inputs, write_failures, write_xlsx

# Finding kinds (the 校核项目 column) and what the clerk does about each.
UNREADABLE = "无法读取"
NOT_A_REPORT = "不是年报"
CHANGED = "数字被改动"
NO_CODE = "无校验码"
OTHER_PERIOD = "统计期间不符"
OTHER_VERSION = "表式版本不符"
REPLACED = "重复报送"
CHOSEN_TWICE = "重复选择"
BALANCE = "平衡校核"
CONSISTENCY = "报表校核"
REEXPORT = "请支部在支部工作台「统计年报」页重新导出年报工作簿后再报送；不要在 Excel 中修改数字"
ACTIONS = {
    UNREADABLE: "请支部重新导出并报送该文件",
    NOT_A_REPORT: "请选择支部工作台「统计年报」导出的年报工作簿",
    CHANGED: "该工作簿导出后被改动，未汇总。" + REEXPORT,
    NO_CODE: "无法确认数字未被改动（旧版导出）。" + REEXPORT,
    OTHER_PERIOD: "未汇总：请支部按本次汇总的统计期间重新导出",
    OTHER_VERSION: "未汇总：请支部升级支部工作台后按本次的表式重新导出",
    REPLACED: "无需处理：同一支部只汇总最新导出的一份",
    CHOSEN_TWICE: "无需处理：同一文件只汇总一次",
    BALANCE: "平衡校核未通过：请支部在「统计年报」页补记变动原因或填写差异说明后重新导出",
    CONSISTENCY: checks.WHAT_TO_DO,
}
SUMMED = "已汇总"
SUMMED_FLAGGED = "已汇总（有校核问题）"
NOT_SUMMED = "未汇总"
STATUS_REPLACED = "已被替换"

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class BranchBalance:
    file_name: str
    branch: str
    period: str
    previous: int
    added: int
    removed: int
    expected: int
    actual: int
    explanation: str
    ok: bool
    status: str = SUMMED
    exported_at: str = ""
    code: str = ""  # 支部编码 (files exported before it was written have none)

    @property
    def key(self) -> str:
        """Which branch the file is of: its 支部编码, else its 支部名称 (two branches may share a name, e.g. 第一党支部
        under two 党总支, and must not replace each other), else the file."""
        return self.code or self.branch or self.file_name


@dataclass(frozen=True)
class Finding:
    file: str
    branch: str
    sheet: str
    cell: str
    kind: str
    message: str

    @property
    def action(self) -> str:
        return ACTIONS[self.kind]


@dataclass
class StatsConsolidation:
    out: Path | None = None
    period: str = ""
    version: str = ""
    branches: list[BranchBalance] = field(default_factory=list)
    # sheet → (row labels, column labels, sums[(row, column)])
    sums: dict[str, tuple[list[str], list[str], dict[tuple[str, str], float]]] = field(default_factory=dict)
    # sheet → column labels the branches wrote as 未掌握 (``Line.held`` False): summed as 未掌握, never as 0 or blank
    not_held: dict[str, set[str]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)  # the branches' workbooks read (never written over)

    @property
    def problems(self) -> list[tuple[str, str]]:
        """(file, message) of every finding, the branch named in the message."""
        return [(f.file, f"{f.branch}：{f.message}" if f.branch else f.message) for f in self.findings]

    @property
    def summed(self) -> list[BranchBalance]:
        return [b for b in self.branches if b.status in (SUMMED, SUMMED_FLAGGED)]

    @property
    def not_summed(self) -> int:
        """The files left out: branches refused (changed, another period …) and files that are no report at all."""
        unread = {f.file for f in self.findings if f.kind in (UNREADABLE, NOT_A_REPORT)}
        return sum(b.status == NOT_SUMMED for b in self.branches) + len(unread)


@dataclass
class _Submission:
    path: Path
    notes: dict[str, Any]
    tables: dict[str, list[list[Any]]]
    balance: BranchBalance
    findings: list[Finding]
    refused: bool

    def refuse(self, kind: str, message: str) -> None:
        """Leave the whole file out of the sums for what its 说明 says (another period or 表式版本)."""
        self.findings.append(Finding(self.path.name, self.balance.branch, ex.NOTES_SHEET, "", kind, message))
        self.refused = True


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None or value == "":
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        return None


def _notes(book: Book) -> dict[str, Any]:
    if ex.NOTES_SHEET not in book.sheet_names:
        return {}
    out: dict[str, Any] = {}
    for row in book.rows(ex.NOTES_SHEET):
        if row and str(row[0]).strip() and str(row[0]).strip() not in out:
            out[str(row[0]).strip()] = row[1] if len(row) > 1 else ""
    return out


def _check_balance(
    name: str, notes: dict[str, Any], tables: dict[str, list[list[Any]]]
) -> tuple[BranchBalance, list[tuple[str, str, str]]]:
    """The branch's balance and its problems as (sheet, cell, message)."""

    def n(key: str) -> int:
        v = _number(notes.get(key))
        return int(v) if v is not None else 0

    problems: list[tuple[str, str, str]] = []
    b = BranchBalance(
        name,
        str(notes.get(ex.NOTE_BRANCH, "")),
        str(notes.get(ex.NOTE_PERIOD, "")),
        n(ex.NOTE_PREVIOUS),
        n(ex.NOTE_ADDED),
        n(ex.NOTE_REMOVED),
        n(ex.NOTE_EXPECTED),
        n(ex.NOTE_ACTUAL),
        str(notes.get(ex.NOTE_EXPLANATION, "") or ""),
        True,
        exported_at=str(notes.get(ex.NOTE_EXPORTED_AT, "") or ""),
        code=str(notes.get(ex.NOTE_CODE, "") or "").strip(),
    )
    if b.previous + b.added - b.removed != b.expected:
        problems.append(
            (
                ex.NOTES_SHEET,
                "",
                f"上年底总数 {b.previous} + 本年增加 {b.added} − 本年减少 {b.removed} ≠ 本年底应有数 {b.expected}",
            )
        )
    if b.actual != b.expected and not b.explanation.strip():
        problems.append(
            (ex.NOTES_SHEET, "", f"本年底实有数 {b.actual} 与应有数 {b.expected} 不符，且没有差异说明")
        )
    sheet, one = next(((s, rows) for s, rows in tables.items() if s.startswith("表1 ")), ("", None))
    if one is None or len(one) < 3:
        problems.append(("", "", "缺少表1（党员数量变化情况）"))
    else:
        header = [str(h).strip() for h in one[1]]
        total = one[2]
        for label, expected in (
            ("上年底总数", b.previous),
            ("本年增加合计", b.added),
            ("本年减少合计", b.removed),
            ("本年底实有数", b.actual),
        ):
            if label in header:
                ci = header.index(label)
                got = _number(total[ci] if ci < len(total) else None)
                if got is None or int(got) != expected:
                    problems.append(
                        (
                            sheet,
                            f"{col_letter(ci)}{integrity.FIRST_DATA_ROW}",
                            f"表1「{label}」为 {checks.figure_text(got)}，与说明中的 {expected} 不符",
                        )
                    )
    if problems:
        b = replace(b, ok=False)
    return b, problems


def _integrity(book: Book, name: str, branch: str, notes: dict[str, Any], sheets: list[str]) -> list[Finding]:
    """Findings when the figures no longer match the code (each changed cell when the hidden list says which)."""
    code = str(notes.get(ex.NOTE_CHECKSUM, "") or "").strip()
    if not code:
        return [Finding(name, branch, ex.NOTES_SHEET, "", NO_CODE, "说明中没有数据校验码")]
    now = integrity.book_figures(book, sheets)
    if integrity.verifies(now, code):
        return []
    stored = integrity.stored_figures(book)
    version = integrity.code_version(stored, code) if stored is not None else None
    if stored is not None and version is not None:
        covered = integrity.covered(now, version)
        found = [
            Finding(name, branch, c.sheet, c.cell, CHANGED, c.text)
            for c in integrity.changes(integrity.covered(stored, version), covered)
        ]
        if found:
            return found
    return [
        Finding(
            name,
            branch,
            "",
            "",
            CHANGED,
            "各表数字与说明中的数据校验码不符（校验数据也被改动或删除，无法确定改动了哪个单元格）",
        )
    ]


def _encrypted(path: Path) -> bool:
    """A workbook with an opening password (the export never sets one: it was set in Excel afterwards)."""
    try:
        small = path.is_file() and path.stat().st_size <= MAX_FILE_BYTES
        return small and protect.is_ole(path) and ole_kind(path) == "encrypted"
    except OSError:  # unreadable: the guarded reader says why
        return False


def _read(path: Path) -> _Submission | list[Finding]:
    if _encrypted(path):
        message = (
            f"文件「{path.name}」设置了打开密码，无法读取（支部工作台导出的年报不加密，密码是导出后另加的）"
        )
        return [Finding(path.name, "", "", "", UNREADABLE, message)]
    try:
        book = Book(path)
    except WorkbookRefused as exc:
        return [Finding(path.name, "", "", "", UNREADABLE, exc.message)]
    try:
        notes = _notes(book)
        if notes.get(ex.NOTE_KIND) != ex.NOTE_KIND_VALUE:
            return [
                Finding(
                    path.name,
                    "",
                    ex.NOTES_SHEET,
                    "",
                    NOT_A_REPORT,
                    "不是支部工作台导出的党内统计年报工作簿（缺少「说明」或报表类型不符）",
                )
            ]
        table_sheets = [s for s in book.sheet_names if s.startswith("表") and s not in book.hidden_sheets]
        tables = {s: book.rows(s) for s in table_sheets}
        balance, problems = _check_balance(path.name, notes, tables)
        branch = balance.branch
        findings = _integrity(book, path.name, branch, notes, table_sheets)
        refused = any(f.kind == CHANGED for f in findings)
        findings += [Finding(path.name, branch, s, c, BALANCE, m) for s, c, m in problems]
        sheets = {s: checks.read_sheet(s, rows) for s, rows in tables.items()}
        findings += [
            Finding(path.name, branch, f.sheet, f.cell, CONSISTENCY, f.message)
            for f in checks.check_report(sheets)
        ]
        return _Submission(path, notes, tables, balance, findings, refused)
    except WorkbookRefused as exc:
        return [Finding(path.name, "", "", "", UNREADABLE, exc.message)]
    finally:
        book.close()


def check_stats(
    paths: Iterable[str | os.PathLike[str]], *, progress: Progress | None = None
) -> StatsConsolidation:
    """Read and check every branch's workbook, and sum the ones that pass (nothing is written)."""
    files = [Path(p) for p in paths]
    if not files:
        raise BranchDeskError("请至少选择一个支部的党内统计年报工作簿")
    result = StatsConsolidation(files=files)
    subs: list[_Submission] = []
    seen: list[Path] = []
    for i, path in enumerate(files):
        if progress is not None:
            progress(i, len(files), f"正在读取并校核 {path.name}…")
        if any(same_file(path, earlier) for earlier in seen):
            message = f"文件「{path}」被选择了两次，只汇总一次"
            result.findings.append(Finding(path.name, "", "", "", CHOSEN_TWICE, message))
            continue
        seen.append(path)
        read = _read(path)
        if isinstance(read, list):
            result.findings += read
        else:
            subs.append(read)
    valid = [s for s in subs if not s.refused]
    keys = Counter(
        (str(s.notes.get(ex.NOTE_PERIOD, "")), str(s.notes.get(ex.NOTE_VERSION, ""))) for s in valid
    )
    (result.period, result.version), _ = keys.most_common(1)[0] if keys else (("", ""), 0)
    latest: dict[str, _Submission] = {}
    for s in subs:
        period, version = str(s.notes.get(ex.NOTE_PERIOD, "")), str(s.notes.get(ex.NOTE_VERSION, ""))
        if not s.refused and period != result.period:
            s.refuse(OTHER_PERIOD, f"统计期间为「{period}」，与本次汇总的「{result.period}」不同")
        elif not s.refused and version != result.version:
            s.refuse(OTHER_VERSION, f"表式版本为「{version}」，与本次汇总的「{result.version}」不同")
        if not s.refused:
            older = latest.get(s.balance.key)
            if older is None or s.balance.exported_at >= older.balance.exported_at:
                latest[s.balance.key] = s
    for s in subs:
        kept = latest.get(s.balance.key) is s
        if not s.refused and not kept:
            newer = latest[s.balance.key]
            s.findings.append(
                Finding(
                    s.path.name,
                    s.balance.branch,
                    "",
                    "",
                    REPLACED,
                    f"同一支部报送了两份：「{s.path.name}」（导出时间 {s.balance.exported_at or '未注明'}）"
                    f"已被较新的「{newer.path.name}」（导出时间 {newer.balance.exported_at or '未注明'}）替换，未重复汇总",
                )
            )
        status = (
            STATUS_REPLACED
            if not s.refused and not kept
            else NOT_SUMMED
            if s.refused
            else SUMMED_FLAGGED
            if any(f.kind in (BALANCE, CONSISTENCY, NO_CODE) for f in s.findings)
            else SUMMED
        )
        result.branches.append(replace(s.balance, status=status))
        result.findings += s.findings
        if kept and not s.refused:
            for sheet, rows in s.tables.items():
                _add(result, sheet, rows)
    if progress is not None:
        progress(len(files), len(files), "校核完成")
    return result


def consolidate_stats(
    paths: Iterable[str | os.PathLike[str]], *, out: str | os.PathLike[str], progress: Progress | None = None
) -> StatsConsolidation:
    """Check the branches' yearly statistics workbooks, sum those that pass into ``out`` with the 校核结果."""
    result = check_stats(paths, progress=progress)
    write_consolidation(result, out)
    return result


def _add(result: StatsConsolidation, sheet: str, rows: list[list[Any]]) -> None:
    if len(rows) < 2:
        return
    header = [str(h).strip() for h in rows[1]]
    row_labels, col_labels, sums = result.sums.setdefault(sheet, ([], [], {}))
    for label in header[1:]:
        if label and label not in col_labels:
            col_labels.append(label)
    for row in rows[2:]:
        if not row or not str(row[0]).strip():
            continue
        label = str(row[0])
        if label not in row_labels:
            row_labels.append(label)
        for ci, col in enumerate(header[1:], start=1):
            v = _number(row[ci]) if ci < len(row) else None
            if col and v is not None:
                sums[(label, col)] = sums.get((label, col), 0.0) + v
            elif col and ci < len(row) and str(row[ci]).strip() == NOT_HELD:
                result.not_held.setdefault(sheet, set()).add(col)


BALANCE_COLUMNS = (
    Column("文件", "file_name", width=24),
    Column("支部", "branch", width=24),
    Column("支部编码", "code", width=14),
    Column("统计期间", "period", width=18),
    Column("上年底总数", "previous", "int", width=10),
    Column("本年增加", "added", "int", width=10),
    Column("本年减少", "removed", "int", width=10),
    Column("本年底应有数", "expected", "int", width=12),
    Column("本年底实有数", "actual", "int", width=12),
    Column("差异说明", "explanation", width=30),
    Column("平衡校核", "result", width=10),
    Column("汇总情况", "status", width=20),
    Column("导出时间", "exported_at", width=20),
)
FINDINGS_SHEET = "校核结果"
FINDING_COLUMNS = (
    Column("文件", "file", width=22),
    Column("支部", "branch", width=20),
    Column("工作表", "sheet", width=22),
    Column("单元格", "cell", width=8),
    Column("校核项目", "kind", width=12),
    Column("问题", "message", width=60),
    Column("处理办法", "action", width=50),
)


def finding_rows(result: StatsConsolidation) -> list[dict[str, str]]:
    return [{**asdict(f), "action": f.action} for f in result.findings]


def write_consolidation(result: StatsConsolidation, out: str | os.PathLike[str]) -> Path:
    """Write the consolidated workbook atomically. Raises ``BranchDeskError`` (``DiskFull``) naming ``out`` when
    it cannot be written."""
    refuse_overwriting_inputs(out, result.files, what="该支部的年报")
    result.out = Path(out)
    sheets = [
        SheetSpec(
            "各支部平衡",
            BALANCE_COLUMNS,
            [{**b.__dict__, "result": ex.BALANCED if b.ok else ex.NOT_BALANCED} for b in result.branches],
            heading=f"党内统计年报汇总（{result.period}，汇总 {len(result.summed)} 个支部）",
            landscape=True,
            dropdowns=False,
        )
    ]
    for sheet, (row_labels, col_labels, sums) in result.sums.items():
        # A column no branch holds a figure of (未掌握 in every file) stays 未掌握 in the sum.
        unheld = {c for c in result.not_held.get(sheet, set()) if not any((r, c) in sums for r in row_labels)}
        columns = [Column(ex.ROW_HEADER, "label", width=24)]
        columns += [
            Column(c, f"c{i}", "text" if c in unheld else "number", width=10)
            for i, c in enumerate(col_labels)
        ]
        rows = [
            {
                "label": r,
                **{f"c{i}": NOT_HELD if c in unheld else sums.get((r, c)) for i, c in enumerate(col_labels)},
            }
            for r in row_labels
        ]
        sheets.append(
            SheetSpec(
                sheet,
                columns,
                rows,
                heading=f"{sheet}（汇总）",
                freeze_columns=1,
                landscape=True,
                dropdowns=False,
            )
        )
    count = len(result.findings)
    sheets.append(
        SheetSpec(
            FINDINGS_SHEET,
            FINDING_COLUMNS,
            finding_rows(result),
            heading=f"校核结果：{count} 个问题" if count else "校核结果：未发现问题",
            landscape=True,
            dropdowns=False,
        )
    )
    with write_failures(result.out):
        write_xlsx(result.out, sheets)
    return result.out


def consolidation_json(result: StatsConsolidation) -> dict[str, Any]:
    """The consolidation as JSON-ready data: the branches, the 校核结果 and the summed tables."""
    return {
        "out": str(result.out) if result.out else None,
        "period": result.period,
        "version": result.version,
        "branches": [asdict(b) for b in result.branches],
        "findings": finding_rows(result),
        "tables": [
            {
                "sheet": sheet,
                "columns": cols,
                "rows": [{"label": r, "figures": [sums.get((r, c)) for c in cols]} for r in rows],
            }
            for sheet, (rows, cols, sums) in result.sums.items()
        ],
    }
