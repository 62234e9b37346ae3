"""The yearly 党内统计 (issue 19): a branch whose 2022 is known person by person — every cell of tables 1, 2, 4, 10
and 15 and the balance; a broken balance names the person; a band change in the declarative table changes the
output; the workbook read back with openpyxl and python-calamine; the saved report as next year's 上年底总数; HQ's
consolidation; the CLI end to end."""

from __future__ import annotations

import dataclasses
import json
import subprocess
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from db import members, statistics, transfers
from db.errors import ValidationError
from db.rules import make_citizen_id
from db.statistics import tables as st
from db.statistics.consolidate import NOT_SUMMED, SUMMED, consolidate_stats
from tests.db.test_cli import _run
from tests.db.test_development import _approve, _step, _to_vote, full_members  # noqa: F401 - the fixture

TODAY = date(2025, 6, 30)
YEAR = 2022


def _add(db, name: str, birth: date, seq: int, joined: date, *, category: str = "full", **extra: Any) -> str:  # type: ignore[no-untyped-def]
    values = {
        "name": name,
        "citizen_id": make_citizen_id("140202", birth, seq),
        "birth_date": birth,
        "category": category,
        "joined_on": joined,
        "full_on": date(joined.year + 1, joined.month, joined.day) if category == "full" else None,
        **extra,
    }
    return members.add_member(db, values=values).uuid


def _arrive(db, name: str, birth: date, seq: int, on: date, scope: str, **extra: Any) -> str:  # type: ignore[no-untyped-def]
    t = transfers.transfer_in(
        db,
        values={
            "name": name,
            "citizen_id": make_citizen_id("140202", birth, seq),
            "category": "full",
            **extra,
        },
        from_unit="塔山煤矿第二党支部",
        letter_serial=f"{on.year}-0{seq}",
        arrived_on=on,
        development={"joined_on": date(2012, 7, 1), "full_on": date(2013, 7, 1)},
        today=TODAY,
        scope=scope,
    )
    return t.member_uuid


@pytest.fixture
def branch(db, full_members):  # type: ignore[no-untyped-def]  # noqa: F811 - the imported fixture
    """The four members of ``full_members`` (王强 1970, 李娜 1971, 赵刚 1972 full; 钱多 1973 probationary, all
    joined 2000), and in 2021–2022:

    - 孙小明 (born 1995-03-10, 掘进工: coded 工勤技能人员 016) admitted 2021-06-01, probation extended by 6 months (approved 2022-07-01);
    - 周军 (1980-06-01, joined 2005) expelled 2022-03-10;
    - 吴老 (1940-02-01, joined 1965) died 2022-05-01;
    - 孙某 (1978-03-03, joined 1999) out of contact since 2021-01-01, removed as self-lapsed 2022-10-10;
    - 冯涛 (1985-01-01, joined 2008) transferred out 2022-08-01, receipt 2022-08-15;
    - 郑梅 (1988-08-08, female, 大学本科, 企业专业技术人员 015) transferred in from inside the system 2022-04-01;
    - 马力 (1975-05-05, 回族) transferred in 2022-09-01 without 系统内/外;
    - 钱小 (2000-01-01) admitted 2022-06-20 (no development record: by 加入党组织日期).
    """
    p = _to_vote(db, full_members)
    _approve(db, p, date(2021, 7, 1))
    _step(db, p, "probation_extension", date(2022, 6, 5), months=6, votes_for=3)
    _step(db, p, "extension_approval", date(2022, 7, 1))
    people = {
        "孙小明": members.find_by_citizen_id(
            db, citizen_id=make_citizen_id("140202", date(1995, 3, 10), 123)
        ).uuid
    }  # type: ignore[union-attr]
    people["周军"] = _add(db, "周军", date(1980, 6, 1), 301, date(2005, 7, 1))
    people["吴老"] = _add(db, "吴老", date(1940, 2, 1), 303, date(1965, 7, 1))
    people["孙某"] = _add(db, "孙某", date(1978, 3, 3), 305, date(1999, 7, 1))
    people["冯涛"] = _add(db, "冯涛", date(1985, 1, 1), 307, date(2008, 7, 1))
    people["钱小"] = _add(db, "钱小", date(2000, 1, 1), 309, date(2022, 6, 20), category="probationary")
    people["郑梅"] = _arrive(
        db, "郑梅", date(1988, 8, 8), 402, date(2022, 4, 1), "within", education="大学本科", post_code="015"
    )
    people["马力"] = _arrive(db, "马力", date(1975, 5, 5), 311, date(2022, 9, 1), "", ethnicity="回族")
    event = transfers.record_event
    event(
        db,
        member_uuid=people["周军"],
        kind="expulsion",
        happened_on=date(2022, 3, 10),
        reason="违纪",
        today=TODAY,
    )
    event(
        db,
        member_uuid=people["吴老"],
        kind="deceased",
        happened_on=date(2022, 5, 1),
        reason="病故",
        today=TODAY,
    )
    event(
        db,
        member_uuid=people["孙某"],
        kind="lost_contact",
        happened_on=date(2021, 1, 1),
        reason="失联",
        today=TODAY,
    )
    event(
        db,
        member_uuid=people["孙某"],
        kind="removal_lapsed",
        happened_on=date(2022, 10, 10),
        reason="自行脱党",
        today=TODAY,
    )
    out = transfers.transfer_out(
        db,
        member_uuid=people["冯涛"],
        addressee="塔山煤矿党委",
        to_unit="塔山煤矿第一党支部",
        issued_on=date(2022, 8, 1),
        dues_paid_to="2022-07",
        today=TODAY,
    )
    transfers.record_receipt(db, uuid=out.uuid, returned_on=date(2022, 8, 15), today=TODAY)
    return {**people, **dict(zip(("王强", "李娜", "赵刚", "钱多"), full_members, strict=True))}


def _row(report: statistics.Report, number: str, row: int = 0) -> list[int | None]:
    t = report.table(number)
    return [t.figure(row, c) for c in range(len(t.table.columns))]


def _names(report: statistics.Report, number: str, row: int, column: str) -> set[str]:
    t = report.table(number)
    ci = [c.label for c in t.table.columns].index(column)
    cell = t.cells[row][ci]
    assert cell is not None
    return {report.names[u] for u in cell.uuids}


def test_the_known_year_table_by_table(db, branch) -> None:  # type: ignore[no-untyped-def]
    r = statistics.yearly_report(db, year=YEAR)
    b = r.balance
    assert (b.previous, b.previous_source, b.added, b.removed, b.expected, b.actual) == (
        9,
        "recomputed",
        3,
        4,
        8,
        8,
    )
    assert b.closes and b.people == ()
    assert [(w.name, w.why) for w in b.warnings] == [("马力", "转入未注明系统内或系统外")]
    # 表1: 上年底, 发展, 重新入党, 恢复党籍, 停止后恢复, 转入, 整建制转入, 出党, 停止党籍, 死亡, 转出, 整建制转出,
    # 增加合计, 减少合计, 应有数, 实有数, 差
    assert _row(r, "1") == [9, 1, 0, 0, 0, 2, 0, 2, 0, 1, 1, 0, 3, 4, 8, 8, 0]
    assert _row(r, "1", 1)[5] == 1 and _row(r, "1", 2)[5] == 0  # 其中 系统内 1 (郑梅), 系统外 0
    assert _names(r, "1", 0, "出党") == {"周军", "孙某"}
    assert _names(r, "1", 0, "转入组织关系") == {"郑梅", "马力"}
    assert _names(r, "1", 0, "本年底实有数") == {
        "王强",
        "李娜",
        "赵刚",
        "钱多",
        "孙小明",
        "郑梅",
        "马力",
        "钱小",
    }
    # 表2 合计: 总数, 预备, 女, 少数民族, 台湾省籍 (未掌握), ages ≤30, 31–35, 36–40, 41–45, 46–50, 51–55, 56–60, 61–65,
    # 66–70, ≥71, 出生日期未填写, 高/中/初级职称 — ages on 2022-12-31: 王强 52, 李娜 51, 赵刚 50, 钱多 49, 孙小明 27,
    # 郑梅 34, 马力 47, 钱小 22
    assert _row(r, "2") == [8, 3, 1, 1, None, 2, 1, 0, 0, 3, 2, 0, 0, 0, 0, 0, 0, 0, 0]
    assert _names(r, "2", 0, "预备党员") == {"钱多", "孙小明", "钱小"}
    rows2 = [line.label for line in r.table("2").table.rows]
    by_post = {label.strip(): _row(r, "2", i)[0] for i, label in enumerate(rows2)}
    assert by_post == {
        "合计": 8,
        "一、在岗职工": 2,
        "党政机关工作人员": 0,
        "事业单位管理人员": 0,
        "事业单位专业技术人员": 0,
        "企业管理人员": 0,
        "企业专业技术人员": 1,
        "民办非企业单位管理人员": 0,
        "民办非企业单位专业技术人员": 0,
        "工勤技能人员": 1,
        "其中：农民工": 0,
        "二、农牧渔民": 0,
        "其中：外出务工经商": 0,
        "三、军人、武警": 0,
        "四、学生": 0,
        "五、离退休人员": 0,
        "六、其他": 0,
        "未填写/未编码": 6,
    }
    assert _names(r, "2", rows2.index("  工勤技能人员"), "总数") == {"孙小明"}
    # 郑梅: 女, 34
    assert _row(r, "2", rows2.index("  企业专业技术人员")) == [1, 0, 1, 0, None, 0, 1] + [0] * 12
    # 表4: 总数, 研究生, 大学本科, 大学专科, 中专, 高中、中技, 初中及以下, 未填写
    assert _row(r, "4") == [8, 0, 1, 0, 0, 0, 0, 7]
    assert _row(r, "4", rows2.index("  企业专业技术人员")) == [1, 0, 1, 0, 0, 0, 0, 0]
    # 表10: 总数, 开除, 退党除名, 劝退, 劝而不退除名, 自行脱党除名, 其中失联, 取消预备资格, 不予承认, 形式未注明
    assert _row(r, "10") == [2, 1, 0, 0, 0, 1, 1, 0, 0, 0]
    rows10 = [line.label for line in r.table("10").table.rows]
    for label in rows10[1:]:
        expected = {
            "36至54岁": [2, 1, 0, 0, 0, 1, 1, 0, 0, 0],
            "2002.11至2012.10": [1, 1, 0, 0, 0, 0, 0, 0, 0, 0],
        }
        expected["1979.1至2002.10"] = [1, 0, 0, 0, 0, 1, 1, 0, 0, 0]
        assert _row(r, "10", rows10.index(label)) == expected.get(label, [0] * 10), label
    # 表15: 预备期满, 转正, 其中延长后转正, 其中推迟讨论转正, 延长, 取消, 尚未讨论或审批, 预备期未满被取消
    assert _row(r, "15") == [1, 0, 0, 0, 1, 0, 0, 0]
    assert _names(r, "15", 0, "延长预备期") == {"孙小明"}
    # 表16: 钱小 developed at 22
    assert _row(r, "16")[:4] == [1, 0, 0, 1]


def test_a_broken_balance_names_the_person_and_blocks_final(db, branch) -> None:  # type: ignore[no-untyped-def]
    members.archive_member(db, uuid=branch["王强"], status="removed", on=date(2022, 11, 1), reason="误操作")
    r = statistics.yearly_report(db, year=YEAR)
    b = r.balance
    assert (b.expected, b.actual, b.difference, b.closes) == (8, 7, -1, False)
    assert [p.name for p in b.people] == ["王强"]
    assert "已减员但没有出党、死亡等事项记录" in b.people[0].why
    assert _names(r, "1", 0, "实有数与应有数之差") == {"王强"}
    with pytest.raises(ValidationError, match="请说明差异"):
        statistics.save_report(db, report=r, final=True)
    # the reason given by hand: the change counts as 死亡 and the balance closes
    died = statistics.ManualChange(branch["王强"], "remove", date(2022, 11, 1), "deceased", note="家属告知")
    statistics.record_change(db, change=died)
    fixed = statistics.yearly_report(db, year=YEAR)
    assert fixed.balance.closes and _row(fixed, "1")[9] == 2
    saved = statistics.save_report(db, report=fixed, final=True, today=TODAY)
    assert saved["final"] == 1 and saved["actual_total"] == 7
    with pytest.raises(ValidationError, match="已经定稿"):
        statistics.save_report(db, report=fixed)
    # next year's 上年底总数 comes from the saved report
    nxt = statistics.yearly_report(db, year=YEAR + 1)
    assert (nxt.balance.previous, nxt.balance.previous_source, nxt.balance.closes) == (7, "saved", True)
    # put back on the roster without a reason: this year's report names him
    members.restore_member(db, uuid=branch["王强"], reason="恢复")
    now = statistics.yearly_report(db, year=date.today().year)
    assert [p.name for p in now.balance.people] == ["王强"] and not now.balance.closes
    assert "已恢复在册，但没有重新入党、恢复党籍或转入等记录" in now.balance.people[0].why


def test_a_band_change_in_the_definition_changes_the_output(db, branch) -> None:  # type: ignore[no-untyped-def]
    two = st.table_by_number("2")
    split = dataclasses.replace(
        two, columns=(st.TOTAL, *st.bands("age", ((None, 40, "40岁及以下"), (41, None, "41岁及以上"))))
    )
    r = statistics.yearly_report(db, year=YEAR, tables=(split,))
    assert [c.label for c in r.table("2").table.columns] == ["总数", "40岁及以下", "41岁及以上"]
    assert _row(r, "2") == [8, 3, 5]


def test_half_year_counts_to_june_30(db, branch) -> None:  # type: ignore[no-untyped-def]
    r = statistics.yearly_report(db, year=YEAR, half=True)
    assert r.end == date(2022, 6, 30)
    # by June 30: in 郑梅, developed 钱小; out 周军 (expelled), 吴老 (died)
    assert (r.balance.previous, r.balance.added, r.balance.removed, r.balance.actual) == (9, 2, 2, 9)


def test_workbook_read_back_with_two_readers(db, branch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    r = statistics.yearly_report(db, year=YEAR)
    path = statistics.write_report(r, tmp_path / "年报.xlsx", branch="=综采一区党支部")
    book = openpyxl.load_workbook(path)
    assert (
        book.sheetnames[0] == "说明"
        and "表1 党员数量变化情况" in book.sheetnames
        and book.sheetnames[-1] == "名单"
    )
    notes = {row[0].value: row[1].value for row in book["说明"].iter_rows()}
    assert notes["支部名称"] == "'=综采一区党支部"  # the one escaping rule: never a formula
    assert (notes["表式版本"], notes["本年底应有数"], notes["本年底实有数"], notes["平衡校核"]) == (
        "2018",
        8,
        8,
        "平衡",
    )
    one = book["表1 党员数量变化情况"]
    assert one.page_setup.orientation == "landscape" and one.page_setup.paperSize == 9
    assert one.print_title_rows == "$2:$2"
    assert [c.value for c in one[3]][:3] == ["合计", 9, 1]
    cal = CalamineWorkbook.from_path(str(path))
    rows = cal.get_sheet_by_name("表2 党员基本情况").to_python()
    assert rows[1][:3] == ["项目", "总数", "预备党员"] and rows[2][:3] == ["合计", 8.0, 3.0]
    names = cal.get_sheet_by_name("名单").to_python()
    assert ["表10 党员出党情况", "合计", "开除党籍", "周军"] in [row[:4] for row in names]
    data = statistics.figures_json(r)
    one_json = data["tables"][0]
    assert {p["name"] for p in one_json["rows"][0]["people"][7]} == {"周军", "孙某"}


def test_hq_consolidation_sums_and_checks_each_balance(db, branch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    r = statistics.yearly_report(db, year=YEAR)
    a = statistics.write_report(r, tmp_path / "a.xlsx", branch="一区党支部")
    b = statistics.write_report(r, tmp_path / "b.xlsx", branch="二区党支部")
    bad = tmp_path / "c.xlsx"
    book = openpyxl.load_workbook(b)
    ws = book["说明"]
    for row in ws.iter_rows():
        if row[0].value == "本年底实有数":
            row[1].value = 10
        if row[0].value == "支部名称":
            row[1].value = "三区党支部"
    book.save(bad)
    result = consolidate_stats([a, b, bad, tmp_path / "missing.xlsx"], out=tmp_path / "sum.xlsx")
    assert [(x.branch, x.ok) for x in result.branches] == [
        ("一区党支部", True),
        ("二区党支部", True),
        ("三区党支部", False),
    ]
    messages = [m for f, m in result.problems if f == "c.xlsx"]
    assert any("实有数 10 与应有数 8 不符" in m for m in messages)
    assert any("missing.xlsx" == f for f, _ in result.problems)
    # c.xlsx is b.xlsx with its 说明 typed over: the 数据校验码 covers the 说明 sheet, so it is not summed as a third
    # branch (one branch's figures twice in HQ's totals)
    assert [x.status for x in result.branches] == [SUMMED, SUMMED, NOT_SUMMED]
    assert any("「支部名称」导出时为 二区党支部，现为 三区党支部" in m for m in messages)
    summed = openpyxl.load_workbook(tmp_path / "sum.xlsx")["表1 党员数量变化情况"]
    assert [c.value for c in summed[3]][:2] == ["合计", 18]


def test_two_branches_of_one_name_are_told_apart_by_their_code(db, branch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """第一党支部 under two 党总支: the same 支部名称, two 支部编码. Both are summed; a resubmission of one (same
    code) still replaces its earlier file."""
    from datetime import datetime

    r = statistics.yearly_report(db, year=YEAR)
    first = datetime(2026, 1, 10, 9, 0)
    a = statistics.write_report(r, tmp_path / "a.xlsx", branch="第一党支部", code="0101", exported_at=first)
    b = statistics.write_report(r, tmp_path / "b.xlsx", branch="第一党支部", code="0201", exported_at=first)
    b2 = statistics.write_report(
        r, tmp_path / "b2.xlsx", branch="第一党支部", code="0201", exported_at=datetime(2026, 1, 12, 9, 0)
    )
    result = consolidate_stats([a, b, b2], out=tmp_path / "sum.xlsx")
    assert [(x.file_name, x.code, x.status) for x in result.branches] == [
        ("a.xlsx", "0101", SUMMED),
        ("b.xlsx", "0201", "已被替换"),
        ("b2.xlsx", "0201", SUMMED),
    ]
    summed = openpyxl.load_workbook(tmp_path / "sum.xlsx")
    assert [c.value for c in summed["表1 党员数量变化情况"][3]][:2] == ["合计", 18]
    header = [c.value for c in summed["各支部平衡"][2]]
    assert header[:3] == ["文件", "支部", "支部编码"]
    # the code is covered by the 数据校验码: typed over, the file is not summed
    book = openpyxl.load_workbook(a)
    for row in book["说明"].iter_rows():
        if row[0].value == "支部编码":
            row[1].value = "0301"
    book.save(tmp_path / "c.xlsx")
    result = consolidate_stats([tmp_path / "c.xlsx"], out=tmp_path / "sum2.xlsx")
    assert [x.status for x in result.branches] == [NOT_SUMMED]


def test_cli_stats_end_to_end(tmp_path: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return _run(*args, cwd=tmp_path)

    path = tmp_path / "demo.sqlite"
    assert run("demo", "--db", str(path), "--members", "40").returncode == 0
    year = date.today().year - 1
    result = run("stats", "--db", str(path), "--year", str(year), "--out", str(tmp_path / "r.xlsx"), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["balance"]["closes"] is True
    one = data["tables"][0]["rows"][0]["figures"]
    assert all(n >= 1 for n in one[1:12]), one  # the demo's last year: someone in every column of table 1
    assert "平衡" in result.stderr and (tmp_path / "r.xlsx").is_file()
    refused = run("stats", "--db", str(path), "--year", "20", "--out", str(tmp_path / "x.xlsx"))
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    assert refused.stderr.strip().startswith("错误：年份")
    summed = run("stats-consolidate", "--out", str(tmp_path / "s.xlsx"), str(tmp_path / "r.xlsx"))
    assert summed.returncode == 0 and "平衡 1 个" in summed.stdout


def test_table_8_from_the_appraisal_meeting_reviewing_the_year(db, branch) -> None:  # type: ignore[no-untyped-def]
    """Table 8 is the appraisal part's figures of the 年度's round: the meeting of January 2023 reviews 2022 (its
    民主测评), the tally and 支部评定 grade 王强 优秀 and 赵刚 不合格, whose 限期改正 ends corrected (结束评议).
    孙某's removal as self-lapsed in 2022 is a standing event, not a 组织处置 of the appraisal: not counted here."""
    from datetime import datetime

    from db import appraisal, meetings
    from db.meetings import AttendanceEntry

    on = date(2023, 1, 15)  # held in January: it reviews 2022
    m = meetings.plan_meeting(db, kind="appraisal", planned_on=on, topic="2022年度民主评议党员")
    entries = [
        AttendanceEntry(a.member_uuid, "present") for a in meetings.list_attendance(db, meeting_uuid=m.uuid)
    ]
    meetings.hold_meeting(
        db, uuid=m.uuid, started_at=datetime(2023, 1, 15, 14), attendance=entries, today=TODAY
    )
    appraisal.open_round(db, year=YEAR, today=TODAY)
    r = appraisal.round_for_meeting(db, meeting_uuid=m.uuid, today=TODAY)
    assert (r.year, r.meeting_uuid, r.measured_on) == (YEAR, m.uuid, on)
    people = appraisal.participants(db, round_uuid=r.uuid, today=TODAY)
    graded = [p.member_uuid for p in people if p.group == "graded"]
    appraisal.save_tally(
        db, round_uuid=r.uuid, ballots=6, marks={u: (1, 5, 0, 0) for u in graded}, today=TODAY
    )
    grades: dict[str, str | None] = {u: "qualified" for u in graded}
    grades.update({branch["王强"]: "excellent", branch["赵刚"]: "unqualified"})
    appraisal.set_grades(db, round_uuid=r.uuid, grades=grades, today=TODAY)
    a = appraisal.record_action(
        db,
        round_uuid=r.uuid,
        member_uuid=branch["赵刚"],
        kind="rectify",
        decided_on=date(2023, 2, 1),
        deadline=date(2023, 8, 1),
        reason="全年多次无故不参加组织生活",
        today=TODAY,
    )
    appraisal.close_rectify(db, uuid=a.uuid, closed_on=date(2023, 8, 1), outcome="corrected", today=TODAY)
    report = statistics.yearly_report(db, year=YEAR)
    assert [c.label for c in report.table("8").table.columns] == [
        "参加评议的党员",
        "表彰党员",
        "评定为不合格党员",
        "组织处置：限期改正",
        "组织处置：劝退",
        "组织处置：劝而不退除名",
        "组织处置：自行脱党除名",
        "结束评议",
    ]
    assert len(people) == 8 and _row(report, "8") == [8, 1, 1, 1, 0, 0, 0, 1]
    # the roster on the day of the 民主测评
    took_part = {"王强", "李娜", "赵刚", "钱多", "孙小明", "郑梅", "马力", "钱小"}
    assert _names(report, "8", 0, "参加评议的党员") == took_part
    assert _names(report, "8", 0, "表彰党员") == {"王强"}
    assert _names(report, "8", 0, "评定为不合格党员") == {"赵刚"}
    assert _names(report, "8", 0, "组织处置：限期改正") == {"赵刚"}
    assert _names(report, "8", 0, "结束评议") == {"赵刚"}
    for empty in ("组织处置：劝退", "组织处置：劝而不退除名", "组织处置：自行脱党除名"):
        assert _names(report, "8", 0, empty) == set()
    assert _row(statistics.yearly_report(db, year=YEAR + 1), "8") == [0] * 8


def test_table_9_counts_the_year_s_hours_against_the_targets(db, branch) -> None:  # type: ignore[no-untyped-def]
    from db import training

    for name, hours in (("王强", 40.0), ("李娜", 10.0), ("郑梅", 32.0)):
        training.add_training(
            db, member_uuid=branch[name], on=date(2022, 5, 10), hours=hours, title="党校轮训", today=TODAY
        )
    training.add_training(
        db, member_uuid=branch["赵刚"], on=date(2023, 5, 10), hours=40.0, title="党校轮训", today=TODAY
    )
    r = statistics.yearly_report(db, year=YEAR)
    # 参加培训的党员, 年度集中学习培训达标 (32 学时), 书记和班子成员, 其达标
    assert r.table("9").available and _row(r, "9") == [3, 2, 0, 0]
    assert _names(r, "9", 0, "年度集中学习培训达标") == {"王强", "郑梅"}


@pytest.fixture
def fuller(db, branch):  # type: ignore[no-untyped-def]
    """``branch`` and, in the same 2022, what the last tables count (表2补充, 10, 15, 33, 43):

    - 周红 (1996-05-05, female) admitted 2021-03-01 through the development record; her probation ended 2022-03-01,
      the 支部党员大会 discussed it only on 2022-04-20 (50 days late) and the 上级党委 approved 2022-05-10;
    - 陈某 (1990-02-02, joined 2019) taken off the roster 2022-11-20: the upper 党委 did not recognise his 党籍;
    - dues (in 2022, by the year's basis): 王强 pays every month by the 10th, and in December 1,000 yuan more at
      once; 李娜 pays March's dues on 4 April; 赵刚's dues are reduced with approval and paid on time; 钱多 is
      exempt; nobody else has a dues basis;
    - the branch is in 山西: 王强 away to 广东深圳 with the 《流动党员活动证》, 李娜 to 山西太原, 钱多 to 境外;
    - 马力 out of contact since 2022-03-01 (外出务工经商, chosen), 钱小 since 2022-06-25 (the reason says
      毕业后去向不明); 郑梅 holds a 中级 professional title.
    """
    from db import dues
    from db.statistics import populations
    from tests.db.test_development import _person

    zhou = _person(
        db,
        applied_on=date(2018, 9, 3),
        name="周红",
        citizen_id=make_citizen_id("140202", date(1996, 5, 5), 404),
        job="技术员",
    )
    mentors = [branch["王强"], branch["李娜"]]
    for kind, on, values in (
        ("talk", date(2018, 9, 20), {}),
        ("activist_decision", date(2018, 12, 3), {}),
        ("mentors", date(2018, 12, 8), {"members": mentors}),
        ("activist_review", date(2019, 6, 3), {}),
        ("candidate_decision", date(2019, 12, 3), {}),
        ("introducers", date(2020, 10, 10), {"members": mentors}),
        ("political_review", date(2020, 11, 1), {}),
        ("training", date(2020, 11, 10), {"days": 3}),
        ("upper_prereview", date(2020, 12, 20), {}),
        ("application_form", date(2021, 1, 5), {"number": "2021002"}),
        ("admission_vote", date(2021, 3, 1), {"votes_for": 7, "votes_against": 0, "votes_abstain": 0}),
    ):
        _step(db, zhou, kind, on, **values)
    _approve(db, zhou, date(2021, 3, 20))
    _step(db, zhou, "full_application", date(2022, 2, 10))
    _step(db, zhou, "full_vote", date(2022, 4, 20), reason="本人外出学习，推迟讨论", votes_for=7)
    _step(db, zhou, "full_approval", date(2022, 5, 10))
    people = {"周红": members.find_by_citizen_id(db, citizen_id=zhou.citizen_id).uuid}  # type: ignore[union-attr]
    people["陈某"] = _add(db, "陈某", date(1990, 2, 2), 313, date(2019, 7, 1))
    members.archive_member(
        db, uuid=people["陈某"], status="removed", on=date(2022, 11, 20), reason="党籍不予承认"
    )
    statistics.record_change(
        db,
        change=statistics.ManualChange(
            member_uuid=people["陈某"],
            direction="remove",
            happened_on=date(2022, 11, 20),
            reason="left_party",
            detail="not_recognised",
            note="矿党委组〔2022〕5号：违反规定发展，党籍不予承认",
        ),
        today=TODAY,
    )
    year = [date(2022, m, 1) for m in range(1, 13)]
    dues.set_basis(
        db, member_uuid=branch["王强"], from_month=year[0], category="employed", base_fen=500_000, today=TODAY
    )
    dues.set_basis(
        db, member_uuid=branch["李娜"], from_month=year[0], category="employed", base_fen=400_000, today=TODAY
    )
    for name, base_fen, reduced_fen, why in (
        ("赵刚", 300_000, 1_000, "家庭困难"),
        ("钱多", 200_000, 0, "重病"),
    ):
        dues.set_basis(
            db,
            member_uuid=branch[name],
            from_month=year[0],
            category="employed",
            base_fen=base_fen,
            reduced_fen=reduced_fen,
            decision_on=date(2021, 12, 20),
            decision_note=why,
            approved_on=date(2021, 12, 28),
            approval_note="矿党委批复",
            today=TODAY,
        )
    for month in year:
        late = month.month == 3
        for name in ("王强", "李娜", "赵刚"):
            paid_on = date(2022, 4, 5) if late and name == "李娜" else month.replace(day=10)
            extra = 100_000 if month.month == 12 and name == "王强" else 0
            entry = dues.month_ledger_for(db, member_uuid=branch[name], months=[month])[0]
            assert entry.due_fen is not None
            dues.record_payments(
                db,
                member_uuid=branch[name],
                months=[month],
                paid_on=paid_on,
                paid_fen=entry.due_fen + extra,
                note="自愿多交" if extra else "",
                today=TODAY,
            )
    from db import branch as branch_db

    branch_db.set_setting(db, key=populations.PROVINCE_KEY, value="山西")
    for name, province, card in (
        ("王强", "广东省", True),
        ("李娜", "山西省", False),
        ("钱多", "境外", False),
    ):
        transfers.start_mobile(
            db,
            member_uuid=branch[name],
            province=province,
            city="深圳市" if province == "广东省" else "",
            reason="外出务工",
            started_on=date(2022, 3, 1),
            activity_card=card,
            today=TODAY,
        )
    for name, on, reason, situation in (
        ("马力", date(2022, 3, 1), "电话停机，多方联系未果", "migrant_work"),
        ("钱小", date(2022, 6, 25), "大学毕业后去向不明，多方联系未果", ""),  # the situation from the reason
    ):
        transfers.record_event(
            db,
            member_uuid=branch[name],
            kind="lost_contact",
            happened_on=on,
            reason=reason,
            situation=situation,
            today=TODAY,
        )
    members.update_member(db, uuid=branch["郑梅"], changes={"tech_title": "intermediate"})
    return {**branch, **people}


def _cells_of(report: statistics.Report, number: str) -> dict[str, int | None]:
    t = report.table(number)
    return {c.label: t.figure(0, i) for i, c in enumerate(t.table.columns)}


def test_the_last_tables_of_the_known_year(db, fuller) -> None:  # type: ignore[no-untyped-def]
    r = statistics.yearly_report(db, year=YEAR)
    b = r.balance
    # 周红 and 陈某 were on the roster at the end of 2021; 陈某 left in 2022 (出党: 不予承认)
    assert (b.previous, b.added, b.removed, b.expected, b.actual, b.closes) == (11, 3, 5, 9, 9, True)
    # 表2 补充资料
    assert _cells_of(r, "2补") == {
        "按时按标准交纳党费的党员": 2,
        "经批准少交党费的党员": 1,
        "经批准免交党费的党员": 1,
        "自愿一次性多交纳1000元以上党费的党员": 1,
        "生活不能自理、丧失劳动能力的党员": None,  # not held: never a made-up 0
        "党费记录不全无法判断": 5,
        "高级专业技术职务": 0,
        "高级：女": 0,
        "高级：35岁及以下": 0,
        "中级专业技术职务": 1,
        "中级：女": 1,
        "中级：35岁及以下": 1,
        "初级专业技术职务": 0,
        "初级：女": 0,
        "初级：35岁及以下": 0,
    }
    assert _names(r, "2补", 0, "按时按标准交纳党费的党员") == {"王强", "赵刚"}  # 李娜 paid March late
    assert _names(r, "2补", 0, "经批准少交党费的党员") == {"赵刚"}
    assert _names(r, "2补", 0, "经批准免交党费的党员") == {"钱多"}
    assert _names(r, "2补", 0, "自愿一次性多交纳1000元以上党费的党员") == {"王强"}
    assert _names(r, "2补", 0, "党费记录不全无法判断") == {"孙小明", "郑梅", "马力", "钱小", "周红"}
    assert _names(r, "2补", 0, "中级：女") == {"郑梅"}
    assert r.table("2补").cells[0][4] is None
    # 表10: 总数, 开除, 退党除名, 劝退, 劝而不退除名, 自行脱党除名, 其中失联, 取消预备资格, 不予承认, 形式未注明
    assert _row(r, "10") == [3, 1, 0, 0, 0, 1, 1, 0, 1, 0]
    assert _names(r, "10", 0, "不予承认") == {"陈某"}
    rows10 = [line.label for line in r.table("10").table.rows]
    assert _row(r, "10", rows10.index("35岁及以下")) == [1, 0, 0, 0, 0, 0, 0, 0, 1, 0]
    assert _row(r, "10", rows10.index("2012.11及以后")) == [1, 0, 0, 0, 0, 0, 0, 0, 1, 0]
    # 表15: 预备期满, 转正, 其中延长后转正, 其中推迟讨论转正, 延长, 取消, 尚未讨论或审批, 预备期未满被取消
    assert _row(r, "15") == [2, 1, 0, 1, 1, 0, 0, 0]
    assert _names(r, "15", 0, "其中：推迟讨论转正") == {"周红"}
    assert _names(r, "15", 0, "预备期满的党员") == {"周红", "孙小明"}
    # 表33: 流出, 跨省, 省内, 其中省内跨市, 省内未能判断是否跨市 (no city set), 未能判断, 活动证, 掌握流向,
    # 不掌握流向, 其中预备党员, 女
    assert _row(r, "33") == [3, 1, 1, 0, 1, 1, 1, 3, 0, 1, 0]
    assert _names(r, "33", 0, "跨省（区、市）流出") == {"王强"}
    assert _names(r, "33", 0, "省内流出") == {"李娜"}
    assert _names(r, "33", 0, "未能判断跨省或省内") == {"钱多"}
    assert _names(r, "33", 0, "持《流动党员活动证》") == {"王强"}
    # 表43: 总数, 预备, 女, 少数民族; ages ≤35, 36–45, 46–60, ≥61, 出生日期未填写; 党龄 <1, 1–5, 6–10, 11–20, ≥21,
    # 入党日期未填写; 失联 6个月–1年, 1–5年, 6–10年, 11年以上; 失联情形 ①–⑦, 未填写
    assert _row(r, "43") == [2, 1, 0, 1, 1, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 2, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0]
    assert _names(r, "43", 0, "失联情形：外出务工经商") == {"马力"}
    assert _names(r, "43", 0, "失联情形：毕业后去向不明") == {"钱小"}  # from the reason's words
    # contact restored: the 失联情形 goes with it
    transfers.record_event(
        db,
        member_uuid=fuller["马力"],
        kind="contact_restored",
        happened_on=date(2023, 2, 1),
        reason="本人返回",
        today=TODAY,
    )
    assert members.get_member(db, uuid=fuller["马力"]).lost_contact_situation == ""


def test_the_new_rows_are_data_too(db, fuller) -> None:  # type: ignore[no-untyped-def]
    """Next year's template: 推迟讨论转正 from 60 days late, and 失联情形 in two columns — a change of the definition."""
    fifteen = st.table_by_number("15")
    later = dataclasses.replace(
        fifteen,
        columns=(
            st.Line("转为正式党员", st.Has("tags", "full")),
            st.Line(
                "其中：推迟讨论转正", st.And((st.Has("tags", "full"), st.Range("vote_delay_days", 61, None)))
            ),
        ),
    )
    lost = dataclasses.replace(
        st.table_by_number("43"),
        columns=(
            st.TOTAL,
            st.Line("外出务工经商", st.Is("lost_situation", "migrant_work")),
            st.Line("其他情形", st.In("lost_situation", ("graduated", "other"))),
        ),
    )
    r = statistics.yearly_report(db, year=YEAR, tables=(later, lost))
    assert _row(r, "15") == [1, 0]
    assert _row(r, "43") == [2, 1, 1]


def test_the_workbook_and_json_carry_the_new_rows(db, fuller, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    r = statistics.yearly_report(db, year=YEAR)
    path = statistics.write_report(r, tmp_path / "年报.xlsx", branch="综采一区党支部")
    cal = CalamineWorkbook.from_path(str(path))
    sheet = cal.get_sheet_by_name("表2补 党员基本情况（补充资料）").to_python()
    header, total = sheet[1], sheet[2]
    assert header[:2] == ["项目", "按时按标准交纳党费的党员"]
    assert dict(zip(header[1:6], total[1:6], strict=True)) == {
        "按时按标准交纳党费的党员": 2.0,
        "经批准少交党费的党员": 1.0,
        "经批准免交党费的党员": 1.0,
        "自愿一次性多交纳1000元以上党费的党员": 1.0,
        "生活不能自理、丧失劳动能力的党员": "未掌握",
    }
    notes = cal.get_sheet_by_name("说明").to_python()
    assert [
        "未掌握",
        "表2补 党员基本情况（补充资料）「生活不能自理、丧失劳动能力的党员」：本程序不记录该项，请按实际填写",
    ] in [row[:2] for row in notes]
    names = [row[:4] for row in cal.get_sheet_by_name("名单").to_python()]
    assert ["表10 党员出党情况", "合计", "不予承认", "陈某"] in names
    assert ["表15 预备党员转正情况", "合计", "其中：推迟讨论转正", "周红"] in names
    assert ["表33 流动党员情况", "合计", "持《流动党员活动证》", "王强"] in names
    assert ["表43 失去联系党员情况", "合计", "失联情形：外出务工经商", "马力"] in names
    data = statistics.figures_json(r)
    two = next(t for t in data["tables"] if t["number"] == "2补")
    assert two["not_held"] == ["生活不能自理、丧失劳动能力的党员"]
    assert two["rows"][0]["figures"][4] is None and two["rows"][0]["people"][4] is None
    assert {p["name"] for p in two["rows"][0]["people"][0]} == {"王强", "赵刚"}


def test_dues_by_quarter_and_before_the_records_start(db, branch) -> None:  # type: ignore[no-untyped-def]
    """按时 for a member paying by quarter with the branch's consent is by the quarter's end: 王强 pays each quarter
    in its last month and is on time; 李娜 pays the same days without the consent and is not. Months before the
    branch's records start cannot be told: 赵刚, who paid every month, counts as 记录不全 once the records start in
    July."""
    from db import branch as branch_db
    from db import dues

    dues.set_quarterly(
        db,
        member_uuid=branch["王强"],
        consent_on=date(2021, 12, 20),
        consent_note="支委会同意按季度交纳",
        from_month=date(2022, 1, 1),
        today=TODAY,
    )
    for name in ("王强", "李娜", "赵刚"):
        dues.set_basis(
            db,
            member_uuid=branch[name],
            from_month=date(2022, 1, 1),
            category="employed",
            base_fen=400_000,
            today=TODAY,
        )
        for quarter_end in (3, 6, 9, 12):
            months = [date(2022, m, 1) for m in range(quarter_end - 2, quarter_end + 1)]
            paid_on = date(2022, quarter_end, 20)
            if name == "赵刚":  # monthly, each on time
                for month in months:
                    dues.record_payments(
                        db,
                        member_uuid=branch[name],
                        months=[month],
                        paid_on=month.replace(day=5),
                        today=TODAY,
                    )
            else:
                dues.record_payments(
                    db, member_uuid=branch[name], months=months, paid_on=paid_on, today=TODAY
                )
    standing = dues.period_standing(db, start=date(2022, 1, 1), end=date(2022, 12, 31))
    assert (standing[branch["王强"]].on_time, standing[branch["李娜"]].on_time) == (True, False)
    assert (standing[branch["赵刚"]].on_time, standing[branch["赵刚"]].unknown) == (True, False)
    branch_db.set_records_start(db, on=date(2022, 7, 1))
    r = statistics.yearly_report(db, year=YEAR)
    assert _names(r, "2补", 0, "按时按标准交纳党费的党员") == set()
    assert {"王强", "李娜", "赵刚"} <= _names(r, "2补", 0, "党费记录不全无法判断")


def test_dues_on_the_last_day_and_a_basis_changed_mid_year(db, branch) -> None:  # type: ignore[no-untyped-def]
    """A month paid on its last day is on time, the next day is late; by quarter, the quarter's last day. 王强 pays
    every month on its last day and has an approved reduction from July (少交); 李娜 pays June on July 1st (late);
    赵刚 pays by quarter on each quarter's last day; 钱多 pays January to June and is exempt from July (免交):
    nothing due in the months exempt, so still on time."""
    from db import dues
    from db.branch import set_setting

    set_setting(db, key="dues_basis_mode", value="month")
    consent = {"consent_on": date(2021, 12, 20), "consent_note": "支委会同意按季度交纳"}
    dues.set_quarterly(db, member_uuid=branch["赵刚"], from_month=date(2022, 1, 1), today=TODAY, **consent)
    tier: dict[str, Any] = {"category": "employed", "base_fen": 400_000}
    months = [date(2022, m, 1) for m in range(1, 13)]
    last_day = {m: dues.add_month(m, 1) - timedelta(days=1) for m in months}
    for name in ("王强", "李娜", "赵刚", "钱多"):
        dues.set_basis(
            db,
            member_uuid=branch[name],
            from_month=months[0],
            today=TODAY,
            **tier,
        )
    for name, reduced in (("王强", 1000), ("钱多", 0)):
        approval = {"decision_note": "家庭困难，支委会研究同意", "approval_note": "上级党委批复同意"}
        dues.set_basis(
            db,
            member_uuid=branch[name],
            from_month=date(2022, 7, 1),
            **tier,
            reduced_fen=reduced,
            decision_on=date(2022, 7, 5),
            approved_on=date(2022, 7, 10),
            today=date(2022, 7, 15),
            **approval,
        )
    for month in months:
        dues.record_payments(
            db, member_uuid=branch["王强"], months=[month], paid_on=last_day[month], today=TODAY
        )
        paid_on = date(2022, 7, 1) if month.month == 6 else last_day[month]
        dues.record_payments(db, member_uuid=branch["李娜"], months=[month], paid_on=paid_on, today=TODAY)
        if month.month <= 6:
            dues.record_payments(db, member_uuid=branch["钱多"], months=[month], paid_on=month, today=TODAY)
    for end in (3, 6, 9, 12):
        quarter = months[end - 3 : end]
        dues.record_payments(
            db, member_uuid=branch["赵刚"], months=quarter, paid_on=last_day[quarter[-1]], today=TODAY
        )
    assert dues.member_statement(db, member_uuid=branch["王强"], year=YEAR)[6].due_fen == 1000
    standing = dues.period_standing(db, start=date(2022, 1, 1), end=date(2022, 12, 31))
    got = {
        n: (s.on_time, s.reduced, s.exempt, s.unknown)
        for n in ("王强", "李娜", "赵刚", "钱多")
        for s in [standing[branch[n]]]
    }
    assert got == {
        "王强": (True, True, False, False),
        "李娜": (False, False, False, False),
        "赵刚": (True, False, False, False),
        "钱多": (True, False, True, False),
    }
    first_half = dues.period_standing(db, start=date(2022, 1, 1), end=date(2022, 6, 30))
    assert (first_half[branch["王强"]].reduced, first_half[branch["钱多"]].exempt) == (False, False)
    r = statistics.yearly_report(db, year=YEAR)
    assert {"王强", "赵刚", "钱多"} <= _names(r, "2补", 0, "按时按标准交纳党费的党员")
    assert "李娜" not in _names(r, "2补", 0, "按时按标准交纳党费的党员")


def test_the_lost_situation_travels_in_the_hq_workbook(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Table 43's 失联情形 is a roster column of the HQ workbook: exported as its label, read back from the label,
    its number ① … ⑦, the number before the label, a usual word or a header synonym (失联原因)."""
    from db.workbook import export, merge
    from tests.db.test_codes_exchange import _hq_roster

    people = [
        ("甲", make_citizen_id("140402", date(1970, 1, 1), 11), "外出务工经商"),
        ("乙", make_citizen_id("140402", date(1971, 1, 1), 13), "②"),
        ("丙", make_citizen_id("140402", date(1972, 1, 1), 15), "⑤出国（境）"),
        ("丁", make_citizen_id("140402", date(1973, 1, 1), 17), "毕业去向不明"),
    ]
    path = _hq_roster(
        tmp_path / "hq.xlsx",
        ["姓名", "公民身份号码", "人员类别", "失联党员", "失联日期", "失联原因"],
        [[n, cid, "正式党员", "是", date(2024, 3, 1), s] for n, cid, s in people],
    )
    preview = merge.preview_import(db, path=path)
    assert preview.counts["new"] == 4 and preview.counts["invalid"] == 0, preview.problems
    merge.apply_import(db, preview=preview)
    got = {m.name: m.lost_contact_situation for m in members.list_members(db)}
    assert got == {"甲": "migrant_work", "乙": "restructured", "丙": "abroad", "丁": "graduated"}
    export.export_monthly(db, month="2026-04", path=tmp_path / "out.xlsx")
    rows = list(
        openpyxl.load_workbook(tmp_path / "out.xlsx", read_only=True)["党员名册"].iter_rows(values_only=True)
    )
    column = rows[0].index("失联情形")
    assert sorted(r[column] for r in rows[1:]) == sorted(
        ["外出务工经商", "单位改制或破产", "出国（境）", "毕业后去向不明"]
    )
    again = merge.preview_import(db, path=tmp_path / "out.xlsx")
    assert again.counts["unchanged"] == 4 and again.counts["invalid"] == 0
