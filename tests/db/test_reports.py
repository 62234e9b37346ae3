"""db.reports: the roster workbook in the national 汇总表 order, read back with python-calamine."""

from __future__ import annotations

from datetime import date

from python_calamine import CalamineWorkbook

from db import members as members_db
from db import reports
from db.rules import make_citizen_id


def _add(db, name: str, *, cid: str, mobile: str = "13812345678", **extra):  # type: ignore[no-untyped-def]
    values = {
        "name": name,
        "category": "full",
        "citizen_id": cid,
        "mobile": mobile,
        "joined_on": date(2010, 7, 1),
        "full_on": date(2011, 7, 1),
        **extra,
    }
    return members_db.add_member(db, values=values)


def _rows(path):  # type: ignore[no-untyped-def]
    wb = CalamineWorkbook.from_path(str(path))
    return wb.get_sheet_by_name("党员名册").to_python()


def test_roster_columns_ids_as_text_and_real_dates(db, tmp_path) -> None:
    cid = make_citizen_id("110105", date(1985, 3, 7), 123)
    member = _add(db, "张三", cid=cid, notes="=SUM(A1)")
    out = reports.write_roster_xlsx(
        tmp_path / "名册.xlsx", members=[member], reveal=True, branch_name="采煤一队党支部"
    )
    rows = _rows(out)
    assert tuple(rows[0]) == reports.ROSTER_HEADERS
    row = dict(zip(rows[0], rows[1]))
    assert row["姓名"] == "张三"
    assert row["所在党支部"] == "采煤一队党支部"
    assert row["公民身份号码"] == cid and isinstance(row["公民身份号码"], str)
    assert row["手机号"] == "13812345678" and isinstance(row["手机号"], str)
    assert row["出生日期"] == date(1985, 3, 7)
    assert row["加入党组织日期"] == date(2010, 7, 1)
    assert row["人员类别"] == "正式党员"
    assert row["备注"] == "'=SUM(A1)"  # never a live formula
    assert not list(tmp_path.glob("*.partial"))


def test_roster_masks_ids_unless_revealed(db, tmp_path) -> None:
    cid = make_citizen_id("110105", date(1985, 3, 7), 123)
    member = _add(db, "李四", cid=cid)
    rows = _rows(reports.write_roster_xlsx(tmp_path / "r.xlsx", members=[member]))
    row = dict(zip(rows[0], rows[1]))
    assert row["公民身份号码"] == "110105********" + cid[-4:]
    assert row["手机号"] == "138****5678"
    assert cid not in str(rows)
