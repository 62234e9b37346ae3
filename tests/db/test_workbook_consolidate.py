"""HQ consolidation of branches' monthly workbooks: figures side by side, totals, and every problem listed."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from db import store
from db.workbook import export, sample
from db.workbook.consolidate import consolidate


def _branch(tmp_path: Path, name: str, code: str, n: int, seed: int, month: str = "2026-05") -> Path:
    db = store.open(tmp_path / f"{code}.sqlite")
    try:
        sample.fill_roster(db, members=n, seed=seed, name=name, code=code)
        return export.export_monthly(db, month=month, path=tmp_path / f"{code}.xlsx").path
    finally:
        store.close(db)


def test_figures_side_by_side_with_totals(tmp_path: Path) -> None:
    a = _branch(tmp_path, "综采一队党支部", "ZC01", 12, 1)
    b = _branch(tmp_path, "掘进二队党支部", "JJ02", 7, 2)
    result = consolidate([a, b], out=tmp_path / "汇总.xlsx")
    assert result.month == "2026-05"
    assert [x.branch for x in result.branches] == ["综采一队党支部", "掘进二队党支部"]
    assert all(x.verified for x in result.branches)
    assert result.totals["党员人数"] == 19
    assert result.problems == ()
    book = CalamineWorkbook.from_path(str(tmp_path / "汇总.xlsx"))
    rows = book.get_sheet_by_name("汇总").to_python()
    col = rows[0].index("党员人数")
    assert [r[col] for r in rows[1:]] == [12, 7, 19]
    assert rows[3][0].startswith("合计")


def test_problems_are_listed_and_good_branches_still_summed(tmp_path: Path) -> None:
    good = _branch(tmp_path, "综采一队党支部", "ZC01", 5, 1)
    late = _branch(tmp_path, "掘进二队党支部", "JJ02", 4, 2, month="2026-04")
    edited = _branch(tmp_path, "机电队党支部", "JD03", 3, 3)
    wb = load_workbook(edited)
    wb["党员名册"]["L2"] = "改过的岗位"  # edited after export
    wb.save(edited)
    template = export.write_template(tmp_path / "模板.xlsx")  # not a monthly workbook
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a zip")
    dup = _branch(tmp_path, "通风队党支部", "TF04", 5, 1)  # same seed as `good`: the same people
    result = consolidate([good, late, edited, template, junk, dup], out=tmp_path / "s.xlsx")
    text = "\n".join(f"{f}：{m}" for f, m in result.problems)
    assert "JJ02.xlsx：报送月份为 2026-04" in text
    assert "JD03.xlsx：数据校验码不符" in text
    assert "模板.xlsx：缺少「说明」工作表" in text
    assert "junk.xlsx：文件「junk.xlsx」不是 Excel 工作簿" in text
    assert "同时出现在：综采一队党支部、通风队党支部" in text
    assert result.totals["党员人数"] == 5 + 4 + 3 + 5
    problems_sheet = (
        CalamineWorkbook.from_path(str(tmp_path / "s.xlsx")).get_sheet_by_name("问题清单").to_python()
    )
    assert len(problems_sheet) == len(result.problems) + 1


def test_missing_data_sheet(tmp_path: Path) -> None:
    path = _branch(tmp_path, "综采一队党支部", "ZC01", 3, 1)
    wb = load_workbook(path)
    del wb["党员名册"]
    wb.save(path)
    result = consolidate([path], out=tmp_path / "s.xlsx")
    assert any("缺少工作表「党员名册」" in m for _, m in result.problems)
    assert not result.branches[0].verified


def test_a_summary_is_never_saved_over_a_branch_workbook(tmp_path: Path) -> None:
    """HQ naming the summary like one of the files (a slip in the save dialog, or ``--out`` copied from the list)
    wrote the summary over that branch's workbook: it is refused before anything is read or written."""
    import os

    import pytest

    from db.errors import BranchDeskError

    a = _branch(tmp_path, "综采一队党支部", "ZC01", 4, 1)
    b = _branch(tmp_path, "掘进二队党支部", "JJ02", 3, 2)
    before = b.read_bytes()
    for out in (b, tmp_path / "." / b.name, Path(os.path.relpath(b))):
        with pytest.raises(BranchDeskError) as info:
            consolidate([a, b], out=out)
        assert f"就是被汇总的文件「{b.name}」" in info.value.message and "换一个文件名" in info.value.message
    assert b.read_bytes() == before


def test_nothing_to_sum_says_so_and_fails(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from desktop.cli import main

    empty = tmp_path / "空.xlsx"
    empty.write_bytes(b"")
    assert main(["consolidate", "--out", str(tmp_path / "s.xlsx"), str(empty)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("没有可汇总的月度报送工作簿") and "（）" not in out
    assert "是空的（0 字节）" in out
