"""HQ consolidation of the yearly 党内统计 (issue 19): real workbooks made by the export, edited the way a clerk would
(a cell changed with openpyxl, a row deleted, the file saved again by LibreOffice headless), read back with calamine:
the changed cell is named and the workbook not summed; another period or table version refused; a resubmission
replaces the older file; 报表校核 failures listed with sheet and cell; a table added to the declarative list is
covered by the code without a change; the CLI's --json is the 校核结果 sheet."""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from db import demo, statistics, store
from db.statistics import consolidate as c
from db.statistics import export as ex
from db.statistics import integrity
from db.statistics import tables as st
from tests.db.test_cli import _run

TODAY = date(2026, 3, 15)
T2 = "表2 党员基本情况"
T4 = "表4 党员学历情况"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> statistics.Report:
    path = tmp_path_factory.mktemp("stats") / "demo.sqlite"
    db = store.open(path)
    try:
        demo.generate(db, members=40, seed=1, today=TODAY)
        return statistics.yearly_report(db, year=2025)
    finally:
        store.close(db)


def _export(report: statistics.Report, path: Path, branch: str, at: datetime | None = None) -> Path:
    return statistics.write_report(report, path, branch=branch, exported_at=at or datetime(2026, 1, 10, 9, 0))


def _findings_sheet(path: Path) -> list[list[object]]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(c.FINDINGS_SHEET).to_python()


def test_clean_branches_pass_and_add_up(report, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a = _export(report, tmp_path / "a.xlsx", "一区党支部")
    b = _export(report, tmp_path / "b.xlsx", "二区党支部")
    result = c.consolidate_stats([a, b], out=tmp_path / "sum.xlsx")
    assert result.findings == [] and [x.status for x in result.branches] == [c.SUMMED, c.SUMMED]
    rows = _findings_sheet(tmp_path / "sum.xlsx")
    assert rows[0][0] == "校核结果：未发现问题"
    summed = CalamineWorkbook.from_path(str(tmp_path / "sum.xlsx")).get_sheet_by_name(T2).to_python()
    assert summed[2][:2] == ["合计", 2.0 * report.balance.actual]
    # a figure no branch holds (生活不能自理…, 未掌握 in every file) is 未掌握 in the sum, never a blank or 0
    supplement = next(r for r in report.tables if r.table.number == "2补")
    unheld = [c.label for c in supplement.table.columns if not c.held]
    sheet = CalamineWorkbook.from_path(str(tmp_path / "sum.xlsx")).get_sheet_by_name(
        ex.sheet_title(supplement)
    )
    grid = sheet.to_python()
    assert unheld and [grid[2][grid[1].index(label)] for label in unheld] == ["未掌握"] * len(unheld)
    # the code is on the 说明 sheet beside the period and the table version, the canonical list hidden
    book = openpyxl.load_workbook(a)
    labels = [r[0].value for r in book["说明"].iter_rows()]
    assert labels[labels.index("表式版本") + 1] == integrity.NOTE_CHECKSUM
    assert book[integrity.CHECK_SHEET].sheet_state == "hidden"


def test_a_cell_changed_by_hand_is_named_and_not_summed(report, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a = _export(report, tmp_path / "a.xlsx", "一区党支部")
    b = _export(report, tmp_path / "b.xlsx", "二区党支部")
    book = openpyxl.load_workbook(b)
    ws = book[T4]
    before = ws["C3"].value
    ws["C3"] = before + 2  # 表4 合计 · 研究生
    book.save(b)
    result = c.consolidate_stats([a, b], out=tmp_path / "sum.xlsx")
    changed = [f for f in result.findings if f.kind == c.CHANGED]
    assert [(f.file, f.branch, f.sheet, f.cell) for f in changed] == [("b.xlsx", "二区党支部", T4, "C3")]
    assert f"导出时为 {before}，现为 {before + 2}" in changed[0].message and "研究生" in changed[0].message
    assert "重新导出" in changed[0].action
    assert [x.status for x in result.branches] == [c.SUMMED, c.NOT_SUMMED]
    # the edit also breaks the table's own sums, listed as 报表校核 with the cell
    assert any(f.kind == c.CONSISTENCY and f.sheet == T4 and f.cell == "B3" for f in result.findings)
    rows = _findings_sheet(tmp_path / "sum.xlsx")
    assert ["b.xlsx", "二区党支部", T4, "C3", c.CHANGED] in [r[:5] for r in rows]
    summed = CalamineWorkbook.from_path(str(tmp_path / "sum.xlsx")).get_sheet_by_name(T4).to_python()
    assert summed[2][2] == before  # one branch only


def test_a_deleted_row_and_a_libreoffice_save(report, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    a = _export(report, tmp_path / "a.xlsx", "一区党支部")
    book = openpyxl.load_workbook(a)
    book[T2].delete_rows(5)  # row 3 合计, 4 在岗职工, 5 党政机关工作人员
    edited = tmp_path / "edited" / "a.xlsx"
    edited.parent.mkdir()
    book.save(edited)
    out = tmp_path / "lo"
    for src in (a, edited):
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{tmp_path / 'profile'}",
                "--headless",
                "--convert-to",
                "xlsx:Calc MS Excel 2007 XML",
                "--outdir",
                str(out / src.parent.name),
                str(src),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
    clean = c.check_stats([out / tmp_path.name / "a.xlsx"])
    assert clean.findings == [], clean.problems  # LibreOffice's save changes no figure
    result = c.check_stats([out / "edited" / "a.xlsx"])
    changed = [f for f in result.findings if f.kind == c.CHANGED]
    assert [(f.sheet, f.cell) for f in changed] == [(T2, "B5")]
    assert "第 5 行「党政机关工作人员」被删除" in changed[0].message


def test_other_period_version_and_a_resubmission(report, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a = _export(report, tmp_path / "a.xlsx", "一区党支部", datetime(2026, 1, 10, 9, 0))
    again = _export(report, tmp_path / "a2.xlsx", "一区党支部", datetime(2026, 1, 12, 15, 30))
    b = _export(report, tmp_path / "b.xlsx", "二区党支部")
    half = _export(dataclasses.replace(report, half=True), tmp_path / "h.xlsx", "三区党支部")
    version = _export(dataclasses.replace(report, version="2099"), tmp_path / "v.xlsx", "四区党支部")
    result = c.consolidate_stats([again, a, b, half, version], out=tmp_path / "sum.xlsx")
    status = {x.file_name: x.status for x in result.branches}
    assert status == {
        "a2.xlsx": c.SUMMED,
        "a.xlsx": c.STATUS_REPLACED,
        "b.xlsx": c.SUMMED,
        "h.xlsx": c.NOT_SUMMED,
        "v.xlsx": c.NOT_SUMMED,
    }
    kinds = {(f.file, f.kind) for f in result.findings}
    assert kinds == {("a.xlsx", c.REPLACED), ("h.xlsx", c.OTHER_PERIOD), ("v.xlsx", c.OTHER_VERSION)}
    replaced = next(f for f in result.findings if f.kind == c.REPLACED)
    assert "a2.xlsx" in replaced.message and "未重复汇总" in replaced.message
    summed = CalamineWorkbook.from_path(str(tmp_path / "sum.xlsx")).get_sheet_by_name(T2).to_python()
    assert summed[2][1] == 2.0 * report.balance.actual  # a2 and b, never a twice


def test_report_checks_name_the_cell(report, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A workbook whose code matches but whose tables do not agree (as a program error would make it)."""
    two = report.table("2")
    total = two.figure(0, 0)
    broken = dataclasses.replace(two, values={(0, 0): (total or 0) + 1})
    bad = dataclasses.replace(report, tables=tuple(broken if t is two else t for t in report.tables))
    path = _export(bad, tmp_path / "bad.xlsx", "一区党支部")
    result = c.check_stats([path])
    found = {(f.sheet, f.cell) for f in result.findings if f.kind == c.CONSISTENCY}
    assert (T2, "B3") in found  # 总数 ≠ the age bands, and ≠ 表1 本年底实有数
    messages = [f.message for f in result.findings if f.cell == "B3"]
    assert any("各列之和" in m for m in messages) and any(
        "表1单元格" in m and "本年底实有数" in m for m in messages
    )
    assert result.branches[0].status == c.SUMMED_FLAGGED


def test_a_table_added_to_the_declaration_is_covered(report, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "x.sqlite"
    db = store.open(path)
    try:
        demo.generate(db, members=40, seed=1, today=TODAY)
        extra = st.Table("99", "试验表", "members", columns=(st.TOTAL, st.FEMALE))
        r = statistics.yearly_report(db, year=2025, tables=(*st.TABLES, extra))
    finally:
        store.close(db)
    out = _export(r, tmp_path / "a.xlsx", "一区党支部")
    book = openpyxl.load_workbook(out)
    book["表99 试验表"]["C3"] = 0
    book.save(out)
    changed = [f for f in c.check_stats([out]).findings if f.kind == c.CHANGED]
    assert [(f.sheet, f.cell) for f in changed] == [("表99 试验表", "C3")]


def test_cli_json_is_the_findings_sheet(report, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a = _export(report, tmp_path / "a.xlsx", "一区党支部")
    b = _export(report, tmp_path / "b.xlsx", "二区党支部")
    book = openpyxl.load_workbook(b)
    book["说明"]["B3"] = "2024年度"
    book.save(b)
    run = _run("stats-consolidate", "--json", "--out", str(tmp_path / "s.xlsx"), str(a), str(b), cwd=tmp_path)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    data = json.loads(run.stdout)
    assert [x["status"] for x in data["branches"]] == [c.SUMMED, c.NOT_SUMMED]
    rows = _findings_sheet(tmp_path / "s.xlsx")[2:]
    assert [
        [f[k] for k in ("file", "branch", "sheet", "cell", "kind", "message", "action")]
        for f in data["findings"]
    ] == rows
    assert "说明 单元格 B3" in run.stderr and "「统计期间」导出时为 2025年度，现为 2024年度" in run.stderr


def test_without_the_hidden_list_or_without_a_code(report, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The hidden list deleted: the change is still found, without its cell. No code at all (an older export):
    summed, and flagged as not verifiable."""
    a = _export(report, tmp_path / "a.xlsx", "一区党支部")
    book = openpyxl.load_workbook(a)
    del book[integrity.CHECK_SHEET]
    book[T4]["C3"] = 99
    book.save(a)
    b = _export(report, tmp_path / "b.xlsx", "二区党支部")
    book = openpyxl.load_workbook(b)
    for row in book["说明"].iter_rows():
        if row[0].value == integrity.NOTE_CHECKSUM:
            row[1].value = None
    book.save(b)
    result = c.check_stats([a, b])
    first = [f for f in result.findings if f.file == "a.xlsx" and f.kind == c.CHANGED]
    assert len(first) == 1 and first[0].cell == "" and "无法确定改动了哪个单元格" in first[0].message
    assert [(f.file, f.kind) for f in result.findings if f.file == "b.xlsx"] == [("b.xlsx", c.NO_CODE)]
    assert [x.status for x in result.branches] == [c.NOT_SUMMED, c.SUMMED_FLAGGED]
