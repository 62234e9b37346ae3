"""The coded member data travels in the HQ monthly workbook (issue 19): exported as the national labels, read back
from codes, labels or the usual words, refused with a Chinese message naming the cell otherwise."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import Workbook, load_workbook

from db import members
from db.rules import make_citizen_id
from db.workbook import export, merge

CID = make_citizen_id("140402", date(1980, 5, 1), 17)


def _coded_member(db):  # type: ignore[no-untyped-def]
    return members.add_member(
        db,
        values={
            "name": "张三",
            "category": "full",
            "citizen_id": CID,
            "education": "在职研究生",
            "job": "综采队技术员",
            "post_code": "015",
            "tech_title": "intermediate",
            "front_line": True,
        },
    )


def test_export_writes_the_labels_and_a_round_trip_changes_nothing(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    m = _coded_member(db)
    members.add_member(db, values={"name": "李四", "category": "full", "education": "大学"})  # not coded
    export.export_monthly(db, month="2026-04", path=tmp_path / "out.xlsx")
    ws = load_workbook(tmp_path / "out.xlsx", read_only=True)["党员名册"]
    rows = [[c for c in r] for r in ws.iter_rows(values_only=True)]
    header = rows[0]
    by_name = {r[header.index("姓名")]: r for r in rows[1:]}
    coded, blank = by_name["张三"], by_name["李四"]
    assert coded[header.index("学历分类")] == "研究生"
    assert coded[header.index("工作岗位代码")] == "015 企业专业技术人员（公有制单位）"
    assert coded[header.index("专业技术职务")] == "中级"
    assert coded[header.index("生产工作第一线")] == "是"
    assert [
        blank[header.index(h)] for h in ("学历分类", "工作岗位代码", "专业技术职务", "生产工作第一线")
    ] == [
        None,
        None,
        None,
        None,
    ]
    preview = merge.preview_import(db, path=tmp_path / "out.xlsx")
    assert preview.counts["unchanged"] == 2 and preview.counts["invalid"] == 0
    assert m.uuid in {r.member_uuid for r in preview.rows}


def _hq_roster(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_import_accepts_codes_labels_and_usual_words(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """HQ writes a code with its leading zero lost to Excel (14), a bare name (离退休人员), a usual word (本科,
    副高, 退休), a header synonym (职称, 岗位代码); each lands as the stored code."""
    people = [
        ("甲", make_citizen_id("140402", date(1970, 1, 1), 11), 14, "本科", "副高", "否"),
        ("乙", make_citizen_id("140402", date(1950, 1, 1), 13), "退休", "初中", "无", None),
        ("丙", make_citizen_id("140402", date(1990, 1, 1), 15), "016", "高中、中技", "", "是"),
        ("丁", make_citizen_id("140402", date(1985, 1, 1), 19), "4 离退休人员", "中专", "中级", 1),
    ]
    path = _hq_roster(
        tmp_path / "hq.xlsx",
        ["姓名", "公民身份号码", "人员类别", "岗位代码", "学历类别", "职称", "是否一线"],
        [[n, cid, "正式党员", post, edu, title, line] for n, cid, post, edu, title, line in people],
    )
    preview = merge.preview_import(db, path=path)
    assert preview.counts["new"] == 4 and preview.counts["invalid"] == 0, preview.problems
    merge.apply_import(db, preview=preview)
    got = {
        m.name: (m.post_code, m.education_class, m.tech_title, m.front_line) for m in members.list_members(db)
    }
    assert got == {
        "甲": ("014", "bachelor", "senior", False),
        "乙": ("4", "junior_or_below", "none", None),
        "丙": ("016", "high_school", "", True),
        "丁": ("4", "secondary_vocational", "intermediate", True),
    }


def test_an_unknown_code_is_refused_naming_the_cell(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _hq_roster(
        tmp_path / "hq.xlsx",
        ["姓名", "公民身份号码", "人员类别", "工作岗位代码"],
        [["甲", make_citizen_id("140402", date(1970, 1, 1), 11), "正式党员", "班组长"]],
    )
    preview = merge.preview_import(db, path=path)
    assert preview.counts["invalid"] == 1
    problem = preview.problems[0]
    assert (
        problem.header == "工作岗位代码"
        and problem.column == "D"
        and "「班组长」不是可选值" in problem.message
    )
