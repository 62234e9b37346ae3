"""The monthly workbook, the HQ template and the format document: what HQ receives and how real readers see it."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from db import members
from db.errors import BranchDeskError, ValidationError
from db.workbook import docs, export, merge, sample
from db.workbook.cells import canonical, escape_text, unescape_text
from db.workbook.format import ROSTER_SHEET, SHEETS, data_sheets


def sheet_values(path: Path, name: str) -> list[list[object]]:
    book = CalamineWorkbook.from_path(str(path))
    try:
        return book.get_sheet_by_name(name).to_python()
    finally:
        book.close()


def _with_tricky_member(db) -> str:  # type: ignore[no-untyped-def]
    m = members.list_members(db)[0]
    members.update_member(
        db, uuid=m.uuid, changes={"notes": '=HYPERLINK("http://x")', "job": "@采煤", "address": "-1+2"}
    )
    return m.uuid


def test_export_sheets_header_ids_dates_and_notes(db, tmp_path: Path) -> None:
    sample.fill_roster(db, members=12, seed=3)
    out = tmp_path / "月报.xlsx"
    result = export.export_monthly(db, month="2026-03", path=out)
    names = CalamineWorkbook.from_path(str(out)).sheet_names
    assert names[:2] == ["说明", "党员名册"]
    assert result.row_counts["党员名册"] == 12
    rows = sheet_values(out, "党员名册")
    assert rows[0] == [c.header for c in ROSTER_SHEET.columns]
    assert rows[0][:4] == ["序号", "姓名", "所在党支部", "公民身份号码"]
    first = members.list_members(db)[0]
    cid_col = rows[0].index("公民身份号码")
    assert rows[1][cid_col] == first.citizen_id and isinstance(rows[1][cid_col], str)
    assert rows[1][rows[0].index("编号(勿改)")] == first.uuid
    assert rows[1][rows[0].index("出生日期")] == first.birth_date  # a real Excel date
    assert rows[1][rows[0].index("手机号")] == first.mobile
    notes = {r[0]: r[1] for r in sheet_values(out, "说明") if r[0]}
    assert notes["支部编码"] == "ZC01" and notes["报送月份"] == "2026-03"
    assert notes["数据校验码(SHA-256)"] == result.sha256
    assert notes["党员人数"] == 12
    # the header is frozen and the ID column is text-formatted in the file itself
    with zipfile.ZipFile(out) as z:
        sheet_xml = z.read("xl/worksheets/sheet2.xml").decode()
    assert 'state="frozen"' in sheet_xml and "<dataValidation" in sheet_xml
    assert not list(tmp_path.glob("*.partial"))


def test_export_twice_gives_same_data(db, tmp_path: Path) -> None:
    sample.fill_roster(db, members=20, seed=4)
    a = export.export_monthly(db, month="2026-03", path=tmp_path / "a.xlsx")
    b = export.export_monthly(db, month="2026-03", path=tmp_path / "b.xlsx")
    assert not db.conn.in_transaction  # nothing left uncommitted on the connection
    assert db.execute("SELECT count(*) FROM exchange_snapshot").fetchone()[0] == 20
    assert a.sha256 == b.sha256
    for sheet in ["党员名册", *[s.name for s in data_sheets() if s.name in a.row_counts]]:
        assert sheet_values(tmp_path / "a.xlsx", sheet) == sheet_values(tmp_path / "b.xlsx", sheet)
    members.update_member(db, uuid=members.list_members(db)[0].uuid, changes={"job": "安全员"})
    c = export.export_monthly(db, month="2026-03", path=tmp_path / "c.xlsx")
    assert c.sha256 != a.sha256


def test_formula_injection_is_escaped_and_round_trips(db, tmp_path: Path) -> None:
    sample.fill_roster(db, members=3, seed=5)
    uuid = _with_tricky_member(db)
    out = tmp_path / "x.xlsx"
    export.export_monthly(db, month="2026-03", path=out)
    with zipfile.ZipFile(out) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert "<f>" not in z.read(name).decode()
    rows = sheet_values(out, "党员名册")
    for row in rows[1:]:
        for cell in row:
            assert not (isinstance(cell, str) and cell[:1] and cell[:1] in "=+-@"), cell
    notes_col = rows[0].index("备注")
    assert '\'=HYPERLINK("http://x")' in [r[notes_col] for r in rows]
    # importing our own file back sees no change: the escape is undone on import
    preview = merge.preview_import(db, path=out)
    assert preview.counts["unchanged"] == 3 and preview.counts["changed"] == 0
    assert members.get_member(db, uuid=uuid).notes.startswith("=")
    assert unescape_text(escape_text("'abc")) == "'abc" and unescape_text(escape_text("+86")) == "+86"


def test_bad_month_and_unwritable_path(db, tmp_path: Path) -> None:
    from db.errors import BranchDeskError, ValidationError

    with pytest.raises(ValidationError, match="YYYY-MM"):
        export.export_monthly(db, month="2026-3x", path=tmp_path / "a.xlsx")
    with pytest.raises(BranchDeskError, match="无法写入"):
        export.export_monthly(db, month="2026-03", path=tmp_path / "no" / "such" / "dir" / "a.xlsx")


def test_template_has_hints_dropdowns_and_text_columns(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = export.write_template(tmp_path / "模板.xlsx")
    wb = load_workbook(path)
    ws = wb["党员名册"]
    headers = [c.value for c in ws[1]]
    assert "姓名（必填）" in headers and "公民身份号码（必填）" in headers and "民族" in headers
    cid_letter = ws.cell(row=1, column=headers.index("公民身份号码（必填）") + 1).column_letter
    assert ws[f"{cid_letter}2"].number_format == "@"
    phone_letter = ws.cell(row=1, column=headers.index("手机号") + 1).column_letter
    assert ws[f"{phone_letter}2"].number_format == "@"
    formulas = [dv.formula1 for dv in ws.data_validations.dataValidation]
    assert '"正式党员,预备党员"' in formulas and '"男,女"' in formulas
    assert ws.freeze_panes == "A2"


def test_template_filled_by_hq_imports(db, tmp_path: Path) -> None:
    from datetime import date

    from openpyxl import load_workbook

    from db.rules import make_citizen_id

    path = export.write_template(tmp_path / "t.xlsx")
    wb = load_workbook(path)
    ws = wb["党员名册"]
    headers = [c.value for c in ws[1]]
    row = {
        "姓名（必填）": "王建国",
        "公民身份号码（必填）": make_citizen_id("140202", date(1980, 5, 6), 11),
        "人员类别（必填）": "正式党员",
        "加入党组织日期": date(2005, 7, 1),
        "转为正式党员日期": date(2006, 7, 3),
    }
    for key, value in row.items():
        ws.cell(row=2, column=headers.index(key) + 1, value=value)
    wb.save(path)
    preview = merge.preview_import(db, path=path)
    assert preview.counts["new"] == 1, preview.problems


def test_format_document_is_generated_from_the_table() -> None:
    committed = docs.DOC_PATH.read_text(encoding="utf-8")
    assert committed == docs.render(), (
        "docs/workbook-format.md is stale: run .venv/bin/python -m db.workbook.docs"
    )
    for sheet in SHEETS:
        assert f"## {sheet.name}" in committed


def test_canonical_forms_agree_between_writer_and_reader() -> None:
    from datetime import date, datetime

    assert canonical(date(2020, 7, 1)) == canonical(datetime(2020, 7, 1)) == "2020-07-01"
    assert canonical(3) == canonical(3.0) == "3"
    assert canonical(12.5) == "12.5" and canonical(None) == canonical("") == ""


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_reads_our_file_and_its_resave_imports_unchanged(db, tmp_path: Path) -> None:
    sample.fill_roster(db, members=15, seed=6)
    _with_tricky_member(db)
    src = tmp_path / "月报.xlsx"
    export.export_monthly(db, month="2026-03", path=src)
    outdir = tmp_path / "lo"
    profile = (tmp_path / "lo-profile").resolve().as_uri()
    done = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(outdir),
            str(src),
        ],
        check=False,
        capture_output=True,
        timeout=180,
    )
    resaved = outdir / src.name
    assert resaved.exists(), done.stderr.decode(errors="replace")
    with zipfile.ZipFile(resaved) as z:
        assert b"LibreOffice" in z.read("docProps/app.xml")  # really re-saved by LibreOffice
    ours, theirs = sheet_values(src, "党员名册"), sheet_values(resaved, "党员名册")
    assert theirs[0] == ours[0]
    cid = ours[0].index("公民身份号码")
    assert [r[cid] for r in theirs[1:]] == [r[cid] for r in ours[1:]]
    assert all(isinstance(r[cid], str) and len(r[cid]) == 18 for r in theirs[1:])
    preview = merge.preview_import(db, path=resaved)
    assert preview.counts == {"new": 0, "changed": 0, "unchanged": 15, "conflict": 0, "invalid": 0}, [
        p.text() for p in preview.problems
    ]


def test_command_line_export_import_template_consolidate(db_path: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    import json

    from db import store
    from desktop.cli import main

    database = store.open(db_path)
    sample.fill_roster(database, members=5, seed=12)
    store.close(database)
    out = tmp_path / "m.xlsx"
    assert main(["export", "--db", str(db_path), "--month", "2026-06", "--out", str(out)]) == 0
    assert "党员名册 5 行" in capsys.readouterr().out
    assert main(["import", "--db", str(db_path), str(out), "--json"]) == 0
    preview = json.loads(capsys.readouterr().out)
    assert preview["counts"]["unchanged"] == 5 and preview["problems"] == []
    # the workbook given the database's name (the save dialog does not stop it) is refused: the export replaced
    # the database; the CLI refuses any --out not named .xlsx before it gets there
    before = db_path.read_bytes()
    assert main(["export", "--db", str(db_path), "--month", "2026-06", "--out", str(db_path)]) == 1
    assert "须为 .xlsx 文件" in capsys.readouterr().err and db_path.read_bytes() == before
    database = store.open(db_path)
    try:
        for target in (db_path, db_path.with_name(db_path.name + "-wal")):
            with pytest.raises(BranchDeskError) as info:
                export.export_monthly(database, month="2026-06", path=target)
            assert f"「{target.name}」是数据库文件" in info.value.message
    finally:
        store.close(database)
    assert db_path.read_bytes() == before
    store.close(store.open(tmp_path / "empty.sqlite"))
    assert main(["import", "--db", str(tmp_path / "empty.sqlite"), str(out)]) == 0
    new_lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("第 ")]
    assert len(new_lines) == 5 and all(line.endswith("：新增") for line in new_lines), new_lines
    bad = tmp_path / "bad.xlsx"
    bad.write_text("x", encoding="utf-8")
    assert main(["import", "--db", str(db_path), str(bad)]) == 1
    assert "不是 Excel 工作簿" in capsys.readouterr().err
    assert main(["template", "--out", str(tmp_path / "t.xlsx")]) == 0
    assert main(["consolidate", "--out", str(tmp_path / "s.xlsx"), str(out)]) == 0
    assert "已汇总 1 个支部（2026-06）" in capsys.readouterr().out


def test_export_without_the_roster_sheet_leaves_the_snapshot_as_it_was(db, tmp_path: Path) -> None:
    """An export restricted to other sheets (no 党员名册) writes its file and records it; HQ saw no member, so the
    exchange snapshot stays as the last full export set it (it used to fail in ``snapshot_from_export``)."""
    sample.fill_roster(db, members=5, seed=2)
    export.export_monthly(db, month="2026-03", path=tmp_path / "full.xlsx")
    before = db.execute("SELECT member_uuid, fields, updated_at FROM exchange_snapshot ORDER BY 1").fetchall()
    m = members.list_members(db)[-1]
    members.update_member(db, uuid=m.uuid, changes={"job": "调度员"})
    # A full export that fails while writing (a text longer than a cell) collected part of the roster: the next
    # export does not set what it left behind.
    first = members.list_members(db)[0]
    members.update_member(db, uuid=first.uuid, changes={"notes": "长" * 40_000})
    with pytest.raises(BranchDeskError, match="超过 Excel 单元格上限"):
        export.export_monthly(db, month="2026-04", path=tmp_path / "failed.xlsx")
    out = tmp_path / "dues-only.xlsx"
    result = export.export_monthly(db, month="2026-04", path=out, sheets=["dues"])
    names = CalamineWorkbook.from_path(str(out)).sheet_names
    assert names == ["说明", "党费收缴"] and "党员名册" not in result.row_counts
    assert result.row_counts["党费收缴"] == 5
    assert (
        db.execute("SELECT member_uuid, fields, updated_at FROM exchange_snapshot ORDER BY 1").fetchall()
        == before
    )
    assert db.execute("SELECT count(*) FROM exchange_batches WHERE direction = 'export'").fetchone()[0] == 2
    with pytest.raises(ValidationError, match="没有这样的工作表"):
        export.export_monthly(db, month="2026-04", path=tmp_path / "x.xlsx", sheets=["nonsense"])
