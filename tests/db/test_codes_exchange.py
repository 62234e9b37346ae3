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


def _import_codes(db, path: Path) -> dict[str, tuple[object, ...]]:  # type: ignore[no-untyped-def]
    preview = merge.preview_import(db, path=path)
    assert preview.counts["invalid"] == 0, [p.message for p in preview.problems]
    merge.apply_import(db, preview=preview)
    return {
        m.name: (m.post_code, m.education_class, m.tech_title, m.front_line) for m in members.list_members(db)
    }


def test_import_reads_code_and_name_together_and_the_usual_titles(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """HQ writes the 工作岗位代码 as “code name” without the group (014 企业管理人员, 021企业管理人员, 0164 农民工,
    a later table's wording after the code), 学历分类 as the member's own words (硕士研究生, 大学本科毕业), 专业技术职务
    as a title (高级工程师, 副高级职称, 助理工程师) and 生产工作第一线 with a tick or a cross."""
    people = [
        ("甲", "014 企业管理人员", "硕士研究生", "高级工程师", "✔"),
        ("乙", "021企业管理人员", "大学本科毕业", "副高级职称", "✗"),
        ("丙", "0164 农民工", "在职研究生", "助理工程师", "x"),
        ("丁", "14-企业管理人员", "党校大专", "工程师", "√"),
        ("戊", "015 公有经济控制企业专业技术人员", "初中以下", "暂无", "×"),
    ]
    path = _hq_roster(
        tmp_path / "hq.xlsx",
        ["姓名", "公民身份号码", "人员类别", "工作岗位代码", "学历分类", "专业技术职务", "生产工作第一线"],
        [
            [n, make_citizen_id("140402", date(1970 + i, 1, 1), 11), "正式党员", post, edu, title, line]
            for i, (n, post, edu, title, line) in enumerate(people)
        ],
    )
    assert _import_codes(db, path) == {
        "甲": ("014", "graduate", "senior", True),
        "乙": ("021", "bachelor", "senior", False),
        "丙": ("0164", "graduate", "junior", False),
        "丁": ("014", "junior_college", "intermediate", True),
        "戊": ("015", "junior_or_below", "none", False),
    }


def test_a_group_code_a_clash_or_an_ambiguous_name_says_what_to_write(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A parent-level code (01), a code with another code's name, 其中：农民工 (0164 or 0253), a code not in the
    tree and a range of classes (本科及以上) are refused, each naming the cell and what to write; nothing is
    guessed (其中：农民工 was read as 0253, 本科及以上 as 大学本科)."""
    cells = [
        (
            "工作岗位代码",
            "01",
            "「01」是分组（01 公有制单位），不是党员的工作岗位代码；请填写其下的具体代码：011",
        ),
        ("工作岗位代码", "公有制单位", "是分组（01 公有制单位）"),
        ("工作岗位代码", "014 企业专业技术人员", "中的代码 014（企业管理人员）与名称（015 企业专业技术人员"),
        ("工作岗位代码", "其中：农民工", "可以是 0164（在岗职工·公有制单位·工勤技能人员·其中农民工）、0253"),
        ("工作岗位代码", "099", "「099」不是国家统计的工作岗位代码；请按代码表填写"),
        ("学历分类", "本科及以上", "「本科及以上」不是可选值"),
        ("专业技术职务", "高级技师", "「高级技师」不是可选值"),  # a worker's skill level, not a title
    ]
    path = _hq_roster(
        tmp_path / "hq.xlsx",
        ["姓名", "公民身份号码", "人员类别", "工作岗位代码", "学历分类", "专业技术职务"],
        [
            [
                f"人{i}",
                make_citizen_id("140402", date(1970 + i, 1, 1), 11),
                "正式党员",
                value if header == "工作岗位代码" else "014",
                value if header == "学历分类" else "大学本科",
                value if header == "专业技术职务" else "",
            ]
            for i, (header, value, _) in enumerate(cells)
        ],
    )
    preview = merge.preview_import(db, path=path)
    assert preview.counts["invalid"] == len(cells)
    got = {(p.row, p.header): p.message for p in preview.problems}
    for i, (header, _, expected) in enumerate(cells):
        assert expected in got[(i + 2, header)], got
    assert members.list_members(db) == []  # nothing applied


def test_a_real_xls_roster_carries_the_codes(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The same codes from an Excel 97–2003 file (converted by LibreOffice): the number 14 that lost its zero, a
    date as text, an Excel serial and a real date in the rows."""
    import shutil
    import subprocess

    import pytest

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    xlsx = _hq_roster(
        tmp_path / "hq.xlsx",
        [
            "姓名",
            "公民身份号码",
            "人员类别",
            "加入党组织日期",
            "转为正式党员日期",
            "出生日期",
            "岗位代码",
            "学历",
            "职称",
            "生产一线",
        ],
        [
            [
                "甲",
                make_citizen_id("140402", date(1970, 1, 1), 11),
                "正式党员",
                "1995年7月1日",
                35247,
                date(1970, 1, 1),
                14,
                "硕士研究生",
                "正高",
                "Y",
            ],
            [
                "乙",
                make_citizen_id("140402", date(1980, 2, 1), 13),
                "正式党员",
                "2005.07.01",
                "2006/7/1",
                None,
                "016 工勤技能人员",
                "大专",
                "无",
                0,
            ],
        ],
    )
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "xls",
            "--outdir",
            str(tmp_path / "xls"),
            str(xlsx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    got = _import_codes(db, tmp_path / "xls" / "hq.xls")
    assert got == {"甲": ("014", "graduate", "senior", True), "乙": ("016", "junior_college", "none", False)}
    by_name = {m.name: m for m in members.list_members(db)}
    assert (by_name["甲"].joined_on, by_name["甲"].full_on) == (date(1995, 7, 1), date(1996, 7, 1))
    assert by_name["乙"].full_on == date(2006, 7, 1) and by_name["乙"].education == "大专"
