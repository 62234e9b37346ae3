"""Issue 15: workbooks as offices really send them (.xls, .ods, WPS, messy layouts, messy text), read by the same
path a user takes (``preview_import`` as the GUI calls it, ``branchdesk import`` on the command line)."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from python_calamine import CalamineWorkbook

from db import members
from db.rules import citizen_id_check_char, make_citizen_id
from db.workbook import merge, protect
from db.workbook.read import WorkbookRefused
from db.workbook.roster_read import SheetChoiceNeeded
from desktop.cli import main

CID_A = make_citizen_id("140202", date(1985, 3, 7), 11)
CID_B = make_citizen_id("140202", date(1990, 8, 9), 22)
CID_C = make_citizen_id("140203", date(1979, 1, 2), 33)
CID_D = make_citizen_id("140203", date(1982, 10, 20), 44)


def messy_roster(path: Path) -> Path:
    """A roster as an HQ office types it: a title, a two-level header with merged group cells, 党小组 merged
    down, names aligned with full-width spaces, 出生年月 as year and month, phones with +86 and dashes, a blank
    row inside the table, and 合计 / 制表人 rows at the foot."""
    wb = Workbook()
    ws = wb.active
    ws.title = "花名册"
    ws.append(["某某煤矿党委第一党支部党员花名册"])
    ws.merge_cells("A1:H1")
    ws.append(["序号", "姓名", "基本信息", None, None, "组织情况", None, "联系方式"])
    ws.append([None, None, "公民身份号码", "出生年月", "性别", "人员类别", "党小组", "手机号码"])
    for col in "AB":
        ws.merge_cells(f"{col}2:{col}3")
    ws.merge_cells("C2:E2")
    ws.merge_cells("F2:G2")
    ws.append([1, "廖　磊峰", CID_A, "1985.03", "男", "正式党员", "一组", "+86 138-0013-8000"])
    ws.append(
        [
            2,
            "阿依 古丽",
            " " + CID_B.replace("1", "１") + " ",
            "1990年8月",
            "女",
            "正式党员",
            None,
            "139 0013 9000",
        ]
    )
    ws.append([])
    ws.append([3, "买买提•艾力", CID_C, 1979.01, "男", "预备党员", "二组", "13700137000"])
    ws.merge_cells("G4:G5")
    ws.append(["合计", "3人"])
    ws.append(["制表人：张三", None, "审核人：李四", None, "填报日期：2026年11月30日"])
    wb.save(path)
    return path


def convert(src: Path, fmt: str, tmp_path: Path) -> Path:
    """``src`` converted by LibreOffice (headless) to ``fmt`` (xls, ods): the files offices send."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            fmt,
            "--outdir",
            str(tmp_path / fmt),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    out = tmp_path / fmt / (src.stem + "." + fmt)
    assert out.exists()
    return out


def _by_name(preview: merge.ImportPreview) -> dict[str, merge.PreviewRow]:
    return {r.name: r for r in preview.rows}


def _check_messy(preview: merge.ImportPreview) -> None:
    assert preview.sheet == "花名册" and preview.header_row == 3
    rows = _by_name(preview)
    assert set(rows) == {"廖磊峰", "阿依古丽", "买买提·艾力"}, [p.text() for p in preview.problems]
    assert all(r.status == "new" for r in rows.values()), [p.text() for p in preview.problems]
    liao = rows["廖磊峰"].values
    assert liao["birth_date"] == date(1985, 3, 7) and liao["mobile"] == "13800138000"
    assert liao["party_group"] == "一组"
    ayi = rows["阿依古丽"].values
    assert ayi["citizen_id"] == CID_B and ayi["mobile"] == "13900139000"
    assert ayi["party_group"] == "一组"  # merged down from the row above
    assert rows["买买提·艾力"].values["birth_date"] == date(1979, 1, 2)
    ignored = {p.row: p.message for p in preview.ignored_rows}
    assert sorted(ignored) == [8, 9] and "合计" in ignored[8] and "制表人" in ignored[9]
    assert any("合并单元格" in n.message for n in preview.row_notes)


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_a_messy_roster_in_every_format(db, tmp_path: Path, fmt: str) -> None:
    src = messy_roster(tmp_path / "roster.xlsx")
    path = src if fmt == "xlsx" else convert(src, fmt, tmp_path)
    preview = merge.preview_import(db, path=path)
    _check_messy(preview)
    merge.apply_import(db, preview=preview)
    liao = members.find_by_citizen_id(db, citizen_id=CID_A)
    assert liao is not None and liao.name == "廖磊峰" and liao.mobile == "13800138000"


def test_cli_reads_an_xls_and_saves_the_error_file(db_path: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    src = messy_roster(tmp_path / "roster.xlsx")
    wb = load_workbook(src)
    ws = wb.active
    ws["D7"] = "1979.05"  # disagrees with the ID
    ws["B9"] = None
    wb.save(src)
    xls = convert(src, "xls", tmp_path)
    errors = tmp_path / "问题.xlsx"
    code = main(["import", "--db", str(db_path), str(xls), "--json", "--errors", str(errors)])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["sheet"] == "花名册"
    assert out["counts"]["new"] == 2 and out["counts"]["invalid"] == 1
    assert any("不一致" in p["message"] and p["row"] == 7 and p["column"] == "D" for p in out["problems"])
    assert [r["row"] for r in out["ignored_rows"]] == [8, 9]
    book = CalamineWorkbook.from_path(str(errors))
    rows = book.get_sheet_by_name("问题行").to_python()
    header = rows[1]
    assert header[0] == "原行号" and header[-1] == "问题" and "公民身份号码" in header
    assert [r[0] for r in rows[2:]] == [7, 8, 9]
    assert rows[2][3] == CID_C and "出生年月「1979.05」" in rows[2][-1]
    assert rows[3][1] == "合计" and "合计" in rows[3][-1]


def test_cli_json_refusal_and_missing_database(db_path: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    et = tmp_path / "名册.et"
    et.write_bytes(protect.OLE_MAGIC + b"\0" * 1024)
    assert main(["import", "--db", str(db_path), str(et), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["file"] == str(et) and "WPS" in out["error"] and ".xlsx" in out["error"]
    missing = tmp_path / "nowhere.sqlite"
    roster = messy_roster(tmp_path / "r.xlsx")
    assert main(["import", "--db", str(missing), str(roster)]) == 1
    assert "找不到数据库" in capsys.readouterr().err and not missing.exists()
    assert main(["import", "--db", str(missing), str(roster), "--json"]) == 1
    assert "找不到数据库" in json.loads(capsys.readouterr().out)["error"]


# --- what the file is ------------------------------------------------------------------------------------------


def _refusal(db, path: Path, **kw: object) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(WorkbookRefused) as info:
        merge.preview_import(db, path=path, **kw)  # type: ignore[arg-type]
    return info.value.message


def test_password_protected_and_old_files_are_told_apart(db, tmp_path: Path) -> None:
    src = messy_roster(tmp_path / "roster.xlsx")
    protect.encrypt_file(src, tmp_path / "locked.xlsx", password="secret-123")
    assert "设置了打开密码" in _refusal(db, tmp_path / "locked.xlsx")
    assert "旧版" not in _refusal(db, tmp_path / "locked.xlsx")
    preview = merge.preview_import(db, path=tmp_path / "locked.xlsx", password="secret-123")
    assert preview.counts["new"] == 3
    # a renamed .xls is read, not blamed on a password
    xls = convert(src, "xls", tmp_path)
    renamed = tmp_path / "roster-old.xlsx"
    shutil.copy(xls, renamed)
    assert merge.preview_import(db, path=renamed).counts["new"] == 3


def test_other_files_say_what_they_are(db, tmp_path: Path) -> None:
    (tmp_path / "a.et").write_bytes(protect.OLE_MAGIC + b"\0" * 600)
    assert "WPS" in _refusal(db, tmp_path / "a.et")
    (tmp_path / "b.xls").write_text("<html><body><table><tr><td>姓名</td></tr></table></body></html>")
    assert "网页" in _refusal(db, tmp_path / "b.xls")
    (tmp_path / "c.xlsx").write_text("姓名,公民身份号码\n王,1\n", encoding="gbk")
    assert "CSV" in _refusal(db, tmp_path / "c.xlsx")
    with zipfile.ZipFile(tmp_path / "d.xlsx", "w") as z:
        z.writestr("word/document.xml", "<w/>")
    assert "Word" in _refusal(db, tmp_path / "d.xlsx")
    (tmp_path / "e.xlsx").write_bytes(protect.OLE_MAGIC + b"\0" * 600)
    message = _refusal(db, tmp_path / "e.xlsx")
    assert "密码" in message and "损坏" in message
    # a copy cut off on the way: nothing in it, or only zeros (not "an unrecognised file": it is nobody's format)
    (tmp_path / "f.xlsx").write_bytes(b"")
    assert "是空的（0 字节）" in _refusal(db, tmp_path / "f.xlsx")
    (tmp_path / "g.xls").write_bytes(b"\0" * 70_000)
    message = _refusal(db, tmp_path / "g.xls")
    assert "内容全为零" in message and "重新复制" in message
    (tmp_path / "h.xlsx").write_bytes(b"\0" * 600 + b"x")  # zeros first, then something: not empty
    assert "无法识别的文件" in _refusal(db, tmp_path / "h.xlsx")
    # the database itself, or a photo of the paper list, chosen by mistake: not told to 另存为 from Excel
    message = _refusal(db, Path(db.path))
    assert "是数据库文件" in message and "另存为" not in message
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\0" * 600)
    message = _refusal(db, tmp_path / "photo.jpg")
    assert "是图片" in message and "导入扫描件" in message


# --- layouts -------------------------------------------------------------------------------------------------


def test_roster_on_any_sheet_several_candidates_and_hidden(db, tmp_path: Path) -> None:
    wb = Workbook()
    first = wb.active
    first.title = "封面"
    first.append(["2026年党员统计"])
    for title, cid in (("一支部", CID_A), ("二支部", CID_B)):
        ws = wb.create_sheet(title)
        ws.append(["姓名", "公民身份号码", "人员类别"])
        ws.append([f"{title}党员", cid, "正式党员"])
    secret = wb.create_sheet("旧名册")
    secret.append(["姓名", "公民身份号码", "人员类别"])
    secret.sheet_state = "hidden"
    wb.save(tmp_path / "two.xlsx")
    with pytest.raises(SheetChoiceNeeded) as info:
        merge.preview_import(db, path=tmp_path / "two.xlsx")
    assert info.value.sheets == ["一支部", "二支部", "旧名册"] and "（隐藏）" in info.value.message
    preview = merge.preview_import(db, path=tmp_path / "two.xlsx", sheet="二支部")
    assert preview.sheet == "二支部" and preview.rows[0].name == "二支部党员"
    assert any("「旧名册」是隐藏的" in n.message for n in preview.row_notes)
    # only a hidden candidate: the secretary is asked, never read silently
    del wb["一支部"], wb["二支部"]
    wb.save(tmp_path / "hidden.xlsx")
    with pytest.raises(SheetChoiceNeeded, match="隐藏"):
        merge.preview_import(db, path=tmp_path / "hidden.xlsx")


def test_hidden_rows_error_cells_booleans_and_control_characters(db, tmp_path: Path) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(tmp_path / "raw.xlsx"), {"strings_to_numbers": False})
    ws = book.add_worksheet("Sheet1")
    ws.write_row(0, 0, ["姓名", "公民身份号码", "人员类别", "工作岗位", "备注"])
    ws.write_row(1, 0, ["王\x07建国", CID_A, "正式党员", True, "ok"])
    ws.write_row(2, 0, ["李红", CID_B, "正式党员", "调度员", "ERROR-CELL"])
    ws.write_row(3, 0, ["赵强", CID_C, "正式党员", "\ufeff班长\u200b", ""])
    ws.set_row(3, None, None, {"hidden": True})
    book.close()
    # an error value pasted as a value (t="e"), as Excel writes it
    with zipfile.ZipFile(tmp_path / "raw.xlsx") as src, zipfile.ZipFile(tmp_path / "e.xlsx", "w") as out:
        for name in src.namelist():
            data = src.read(name)
            if name == "xl/worksheets/sheet1.xml":
                start = data.index(b'<c r="E3"')
                end = data.index(b"</c>", start) + 4
                data = data[:start] + b'<c r="E3" t="e"><v>#N/A</v></c>' + data[end:]
            out.writestr(name, data)
    preview = merge.preview_import(db, path=tmp_path / "e.xlsx")
    rows = {r.row: r for r in preview.rows}
    assert rows[2].status == "invalid" and "逻辑值" in rows[2].problems[0].message
    assert rows[2].problems[0].column == "D"
    assert rows[3].status == "invalid" and "错误值「#N/A」" in rows[3].problems[0].message
    assert rows[4].status == "new" and rows[4].values["job"] == "班长"
    notes = [n.text() for n in preview.row_notes]
    assert any("控制字符" in n and "第 2 行 A 列" in n for n in notes), notes
    assert any("第 4 行是隐藏行" in n for n in notes), notes


def test_ids_and_phones_as_offices_type_them(db, tmp_path: Path) -> None:
    n18 = make_citizen_id("140202", date(1965, 4, 3), 51)
    n15 = n18[:6] + n18[8:17]
    assert n15[:6] + "19" + n15[6:] + citizen_id_check_char(n15[:6] + "19" + n15[6:]) == n18
    members.add_member(db, values={"name": "老党员", "citizen_id": n18, "category": "full"})
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "公民身份号码", "人员类别", "固定电话", "出生年月"])
    ws.append(["老党员", n15, "正式党员", 3512345678, None])
    ws.append(["新党员", CID_D, "正式党员", None, 1982.1])  # 1982.10 as Excel shows it
    wb.save(tmp_path / "ids.xlsx")
    preview = merge.preview_import(db, path=tmp_path / "ids.xlsx")
    rows = {r.row: r for r in preview.rows}
    assert rows[2].member_uuid is not None and rows[2].status == "changed"  # the 15-digit ID matched
    notes = [n.message for n in preview.row_notes]
    assert any("15 位号码" in n for n in notes) and any("丢失了开头的 0" in n for n in notes)
    assert rows[3].status == "new" and rows[3].values["birth_date"] == date(1982, 10, 20)


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_hidden_rows_are_reported_in_every_format(db, tmp_path: Path, fmt: str) -> None:
    src = messy_roster(tmp_path / "roster.xlsx")
    wb = load_workbook(src)
    wb.active.row_dimensions[5].hidden = True
    wb.save(src)
    path = src if fmt == "xlsx" else convert(src, fmt, tmp_path)
    preview = merge.preview_import(db, path=path)
    assert any("第 5 行是隐藏行" in n.message for n in preview.row_notes), [
        n.text() for n in preview.row_notes
    ]
    assert "阿依古丽" in _by_name(preview)  # read, not skipped silently


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_hidden_columns_are_reported_in_every_format(db, tmp_path: Path, fmt: str) -> None:
    """A hidden column the import reads (here 手机号码, H) is named, as a hidden row is: its values went into the
    members unseen by the clerk who checked the visible sheet. A hidden column the import does not read is not."""
    src = messy_roster(tmp_path / "roster.xlsx")
    wb = load_workbook(src)
    wb.active.column_dimensions["H"].hidden = True
    wb.active.column_dimensions["A"].hidden = True  # 序号: not imported, nothing to say
    wb.save(src)
    path = src if fmt == "xlsx" else convert(src, fmt, tmp_path)
    preview = merge.preview_import(db, path=path)
    notes = [n.text() for n in preview.row_notes if "隐藏列" in n.message]
    assert notes == ["「花名册」第 3 行 H 列（手机号）：这一列是隐藏列，已一并读取，请核对"], [
        n.text() for n in preview.row_notes
    ]


@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_error_cells_of_xls_and_ods_are_reported_like_xlsx(db, tmp_path: Path, fmt: str) -> None:
    """A formula left showing #N/A or #DIV/0! in a sheet LibreOffice or Excel saved as .xls / .ods: calamine
    reads the cell as blank; the preview names the error and the cell, as for an .xlsx, and the row is
    invalid (the other rows can still be applied)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "名册"
    ws.append(["姓名", "公民身份号码", "人员类别", "工作岗位", "手机号码"])
    ws.append(["张三", CID_A, "正式党员", "=NA()", "=1/0"])
    ws.append(["李四", CID_B, "正式党员", "调度员", '="a"+1'])
    ws.append(["王五", CID_C, "正式党员", "采煤工", "13800138000"])
    wb.save(tmp_path / "err.xlsx")
    preview = merge.preview_import(db, path=convert(tmp_path / "err.xlsx", fmt, tmp_path))
    rows = {r.row: r for r in preview.rows}
    assert [(p.column, p.message) for p in rows[2].problems] == [
        ("D", "单元格是错误值「#N/A」，请改正后再导入"),
        ("E", "单元格是错误值「#DIV/0!」，请改正后再导入"),
    ]
    assert rows[2].status == "invalid" and rows[3].status == "invalid"
    assert "错误值「#VALUE!」" in rows[3].problems[0].message and rows[3].problems[0].column == "E"
    assert rows[4].status == "new" and rows[4].values["mobile"] == "13800138000"
    merge.apply_import(db, preview=preview)
    assert members.find_by_citizen_id(db, citizen_id=CID_C) is not None
    assert members.find_by_citizen_id(db, citizen_id=CID_A) is None


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_year_month_date_cells_and_year_month_only_dates(db, tmp_path: Path, fmt: str) -> None:
    """出生年月 typed into a date cell formatted 「yyyy.mm」 is stored by Excel as the 1st of the month: the ID
    gives the day when it agrees (else the date stays and the mismatch is reported). Other dates given as a year
    and month only (入党时间 1998.07, as text or as a number) are invalid with a reason; the day is never guessed
    (the number 1998.07 used to be read as an Excel serial, a day in 1905)."""
    from datetime import datetime

    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "公民身份号码", "出生年月", "入党时间", "人员类别"])
    ws.append(["甲", CID_A, datetime(1985, 3, 1), datetime(2010, 7, 1), "正式党员"])
    ws.append(["乙", CID_B, datetime(1990, 7, 1), datetime(2015, 7, 1), "正式党员"])  # the ID says August
    ws.append(["丙", CID_C, datetime(1979, 1, 1), "1998.07", "正式党员"])
    ws.append(["丁", CID_D, None, 1998.07, "正式党员"])
    for row in range(2, 6):
        ws.cell(row, 3).number_format = "yyyy.mm"
    wb.save(tmp_path / "ym.xlsx")
    path = tmp_path / "ym.xlsx" if fmt == "xlsx" else convert(tmp_path / "ym.xlsx", fmt, tmp_path)
    rows = {r.row: r for r in merge.preview_import(db, path=path).rows}
    assert rows[2].status == "new" and rows[2].values["birth_date"] == date(1985, 3, 7)
    assert rows[3].status == "invalid" and "出生日期与公民身份号码不一致" in rows[3].problems[0].message
    for n in (4, 5):
        assert rows[n].status == "invalid"
        assert [(p.column, p.message) for p in rows[n].problems] == [
            (
                "D",
                "「1998.07」只有年和月，缺少日；请写明完整日期（年-月-日，如 2005-07-01），本软件不猜测日期",
            )
        ]
    assert rows[4].values["birth_date"] == date(1979, 1, 2)
