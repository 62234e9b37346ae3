"""Issue 15, the HQ side: resubmissions replace earlier workbooks in consolidation, problems summarised per branch,
the template's and the monthly workbook's 说明 sheets, print setup, and only WPS-safe features in the files."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from db import members, store
from db.workbook import export, sample
from db.workbook.consolidate import consolidate
from db.workbook.format import SHEET_GUIDE, SHEETS
from db.workbook.writer import MAX_DROPDOWN_CHARS, dropdown


def _branch(
    tmp_path: Path, code: str, n: int, seed: int, out: str, *, more: int = 0, month: str = "2026-05"
) -> Path:
    db = store.open(tmp_path / f"{code}.sqlite")
    try:
        if not members.list_members(db):
            sample.fill_roster(db, members=n, seed=seed, name=f"{code}党支部", code=code)
        for i in range(more):
            members.add_member(
                db, values={"name": f"补录{i}", "citizen_id": f"14020219900102{i:03d}", "category": "full"}
            )
        return export.export_monthly(db, month=month, path=tmp_path / out).path
    finally:
        store.close(db)


def _set_exported_at(path: Path, value: str) -> None:
    wb = load_workbook(path)
    for row in wb["说明"].iter_rows():
        if row[0].value == "导出时间":
            row[1].value = value
    wb.save(path)


def test_a_resubmission_replaces_the_earlier_workbook(tmp_path: Path) -> None:
    first = _branch(tmp_path, "ZC01", 5, 1, "ZC01-第一次.xlsx")
    second = _branch(tmp_path, "ZC01", 5, 1, "ZC01-重报.xlsx")
    other = _branch(tmp_path, "JJ02", 4, 2, "JJ02.xlsx")
    _set_exported_at(first, "2026-06-01 09:00")
    _set_exported_at(second, "2026-06-02 10:30")
    result = consolidate([second, other, first], out=tmp_path / "汇总.xlsx")
    assert [b.file_name for b in result.branches] == ["ZC01-重报.xlsx", "JJ02.xlsx"]
    assert result.replaced == (("ZC01-第一次.xlsx", "ZC01-重报.xlsx"),)
    assert result.totals["党员人数"] == 9
    text = "\n".join(f"{f}：{m}" for f, m in result.problems)
    assert "ZC01-第一次.xlsx：已被同一支部同一月份较新的「ZC01-重报.xlsx」取代" in text
    assert "多个文件" not in text and "同时出现在" not in text  # not counted as a second branch


def test_last_months_workbook_of_the_same_branch_is_not_a_second_branch(tmp_path: Path) -> None:
    """HQ's folder still holds a branch's April workbook beside its May one: May is summed once; April is listed
    as not summed, and its people are not reported as appearing in two branches."""
    april = _branch(tmp_path, "ZC01", 5, 1, "ZC01-4月.xlsx", month="2026-04")
    may = _branch(tmp_path, "ZC01", 5, 1, "ZC01-5月.xlsx")
    other = _branch(tmp_path, "JJ02", 4, 2, "JJ02.xlsx")
    result = consolidate([april, other, may], out=tmp_path / "汇总.xlsx")
    assert result.month == "2026-05"
    assert [b.file_name for b in result.branches] == ["JJ02.xlsx", "ZC01-5月.xlsx"]
    assert result.totals["党员人数"] == 9
    text = "\n".join(f"{f}：{m}" for f, m in result.problems)
    assert "ZC01-4月.xlsx：报送月份为 2026-04，本次汇总的是 2026-05；同一支部只计入「ZC01-5月.xlsx」" in text
    assert "同时出现在" not in text


def test_problems_summarised_per_branch_with_a_detail_sheet(tmp_path: Path) -> None:
    a = _branch(tmp_path, "ZC01", 6, 1, "a.xlsx")
    b = _branch(tmp_path, "TF04", 6, 1, "b.xlsx")  # the same seed: the same six people
    result = consolidate([a, b], out=tmp_path / "s.xlsx")
    summary = [m for _, m in result.problems]
    assert summary == ["6 人同时出现在：ZC01党支部、TF04党支部（名单见「问题明细」）"]
    assert sum("同时出现在" in m for _, m in result.details) == 6
    book = CalamineWorkbook.from_path(str(tmp_path / "s.xlsx"))
    assert book.sheet_names == ["汇总", "问题清单", "问题明细"]
    rows = book.get_sheet_by_name("汇总").to_python()
    col = rows[0].index("问题数")
    assert [r[col] for r in rows[1:3]] == [6, 6]
    assert len(book.get_sheet_by_name("问题明细").to_python()) == 7


def test_template_has_a_notes_sheet_and_text_columns(tmp_path: Path) -> None:
    path = export.write_template(tmp_path / "模板.xlsx")
    book = CalamineWorkbook.from_path(str(path))
    assert book.sheet_names == ["党员名册", "说明"]
    notes = {r[0]: r[1] for r in book.get_sheet_by_name("说明").to_python() if r[0]}
    assert "填写方法" in notes and "编号(勿改)" in notes
    assert notes["「人员类别」可选值"] == "正式党员、预备党员"
    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    # the citizen ID column (D) is text in the whole column, not only the first rows
    cols = re.findall(r'<col min="(\d+)" max="(\d+)"[^>]*style="(\d+)"', xml)
    assert any(lo == hi == "4" for lo, hi, _ in cols), cols
    assert "<pageSetup" in xml and 'orientation="landscape"' in xml and 'fitToHeight="0"' in xml


def test_monthly_notes_explain_themselves_and_every_sheet_prints(db, tmp_path: Path) -> None:
    sample.fill_roster(db, members=5, seed=3)
    result = export.export_monthly(db, month="2026-05", path=tmp_path / "m.xlsx")
    book = CalamineWorkbook.from_path(str(result.path))
    notes = {r[0]: r[1] for r in book.get_sheet_by_name("说明").to_python() if r[0]}
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", notes["导出时间"])
    for name in result.row_counts:
        key = next(s.key for s in SHEETS if s.name == name)
        assert notes[name] == SHEET_GUIDE[key]
    assert "编号(勿改)" in notes and "如何发回更正" in notes
    with zipfile.ZipFile(result.path) as z:
        workbook_xml = z.read("xl/workbook.xml").decode()
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                xml = z.read(name).decode()
                assert 'orientation="landscape"' in xml and 'fitToHeight="0"' in xml, name
    # the roster's print area stops before 编号(勿改) (the last column) and repeats the header row
    assert "_xlnm.Print_Titles" in workbook_xml
    area = re.search(r'_xlnm.Print_Area" localSheetId="1"[^>]*>([^<]+)<', workbook_xml)
    assert area and area.group(1).endswith(
        "$AA$6"
    )  # 27 columns without 编号(勿改): A..AA (失联情形 added, issue 19)


def test_only_wps_safe_features(db, tmp_path: Path) -> None:
    for sheet in SHEETS:
        for col in sheet.columns:
            options = dropdown(col)
            assert len(",".join(options)) < MAX_DROPDOWN_CHARS, (sheet.name, col.header)
    sample.fill_roster(db, members=5, seed=3)
    monthly = export.export_monthly(db, month="2026-05", path=tmp_path / "m.xlsx").path
    template = export.write_template(tmp_path / "t.xlsx")
    for path in (monthly, template):
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
            assert not [
                n for n in names if "table" in n.lower() or "slicer" in n.lower() or "vba" in n.lower()
            ]
            for name in names:
                if name.startswith("xl/worksheets/sheet"):
                    xml = z.read(name).decode()
                    assert "<tableParts" not in xml
                    for formula in re.findall(r"<formula1>([^<]*)</formula1>", xml):
                        assert len(formula) < MAX_DROPDOWN_CHARS


def test_text_longer_than_a_cell_is_refused_naming_the_record(db, tmp_path: Path) -> None:
    import pytest

    from db.errors import BranchDeskError

    sample.fill_roster(db, members=3, seed=3)
    m = members.list_members(db)[1]
    db.execute("UPDATE members SET notes = ? WHERE uuid = ?", ["备" * 40_000, m.uuid])
    (tmp_path / "m.xlsx").write_bytes(b"old")
    with pytest.raises(BranchDeskError, match=f"「{m.name}」的「备注」有 40000 个字符"):
        export.export_monthly(db, month="2026-05", path=tmp_path / "m.xlsx")
    assert (tmp_path / "m.xlsx").read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []
