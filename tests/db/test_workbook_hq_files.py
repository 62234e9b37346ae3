"""Rosters as HQ clerks really send them (QA pass with real files): codes and short forms their systems write,
dates copied out of other systems as text, columns they hid. Real files, real SQLite, through ``preview_import``
and ``apply_import`` as the GUI and the CLI call them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from db import members
from db.rules import make_citizen_id
from db.workbook import merge
from tests.db.test_workbook_offices import convert

CID_M = make_citizen_id("140202", date(1985, 3, 7), 11)  # odd sequence: male
CID_F = make_citizen_id("140202", date(1990, 8, 9), 22)  # even sequence: female
CID_M2 = make_citizen_id("140203", date(1979, 1, 2), 33)
CID_F2 = make_citizen_id("140203", date(1982, 10, 20), 44)


def _save(path: Path, header: list[str], *rows: list[object]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "花名册"
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
def test_gender_written_as_codes_or_letters(db, tmp_path: Path, fmt: str) -> None:
    src = _save(
        tmp_path / "gender.xlsx",
        ["姓名", "公民身份号码", "性别", "人员类别"],
        ["甲", CID_M, 1, "正式党员"],  # GB/T 2261.1 code as a number
        ["乙", CID_F, "2", "正式党员"],
        ["丙", CID_M2, "M", "正式党员"],
        ["丁", CID_F2, "女性", "正式党员"],
    )
    path = src if fmt == "xlsx" else convert(src, fmt, tmp_path)
    preview = merge.preview_import(db, path=path)
    assert not preview.problems, [p.text() for p in preview.problems]
    genders = {r.name: r.values["gender"] for r in preview.rows}
    assert genders == {"甲": "male", "乙": "female", "丙": "male", "丁": "female"}


def test_a_gender_that_is_no_code_still_names_its_cell(db, tmp_path: Path) -> None:
    path = _save(
        tmp_path / "g.xlsx", ["姓名", "公民身份号码", "性别", "人员类别"], ["甲", CID_M, "3", "正式党员"]
    )
    preview = merge.preview_import(db, path=path)
    assert [p.text() for p in preview.problems] == [
        "「花名册」第 2 行 C 列（性别）：「3」不是可选值（可选：男、女）"
    ]


def test_han_without_zu_is_no_change(db, tmp_path: Path) -> None:
    """HQ's roster says 汉 (or 蒙古) where the branch has 汉族: the same 民族, not a change to review and apply."""
    han = members.add_member(
        db, values={"name": "甲", "citizen_id": CID_M, "category": "full", "ethnicity": "汉族"}
    )
    mongol = members.add_member(
        db, values={"name": "乙", "citizen_id": CID_F, "category": "full", "ethnicity": "蒙古族"}
    )
    hui = members.add_member(
        db, values={"name": "丙", "citizen_id": CID_M2, "category": "full", "ethnicity": "汉"}
    )
    with db.atomic():
        merge.snapshot_members(db)  # the roster as HQ last saw it
    path = _save(
        tmp_path / "eth.xlsx",
        ["姓名", "公民身份号码", "民族", "人员类别"],
        ["甲", CID_M, "汉", "正式党员"],
        ["乙", CID_F, "蒙古", "正式党员"],
        ["丙", CID_M2, "回族", "正式党员"],  # a real change still is one
    )
    preview = merge.preview_import(db, path=path)
    status = {r.member_uuid: r.status for r in preview.rows}
    assert status == {han.uuid: "unchanged", mongol.uuid: "unchanged", hui.uuid: "changed"}
    merge.apply_import(db, preview=preview)
    assert members.get_member(db, uuid=han.uuid).ethnicity == "汉族"
    assert members.get_member(db, uuid=hui.uuid).ethnicity == "回族"


def test_dates_copied_from_other_systems_as_text(db, tmp_path: Path) -> None:
    path = _save(
        tmp_path / "dates.xlsx",
        ["姓名", "公民身份号码", "人员类别", "入党时间", "转正时间"],
        ["甲", CID_M, "正式党员", "2010-07-01 00:00:00", "2011-07-01T00:00:00"],
        ["乙", CID_F, "正式党员", "2012年7月1号", "2013/7/1 8:30"],
        ["丙", CID_M2, "正式党员", "10.7.1", None],  # a two-digit year is not guessed
    )
    preview = merge.preview_import(db, path=path)
    rows = {r.name: r for r in preview.rows}
    assert rows["甲"].values["joined_on"] == date(2010, 7, 1) and rows["甲"].values["full_on"] == date(
        2011, 7, 1
    )
    assert rows["乙"].values["joined_on"] == date(2012, 7, 1) and rows["乙"].values["full_on"] == date(
        2013, 7, 1
    )
    assert rows["丙"].status == "invalid"
    assert [p.text() for p in rows["丙"].problems] == [
        "「花名册」第 4 行 D 列（加入党组织日期）：「10.7.1」不是可识别的日期（请写成 2020-07-01 或 2020年7月1日）"
    ]
