"""The bands and boundaries of the yearly 党内统计 tables (../shared/STATISTICS.md), cell by cell as of the period's
end (12-31, or 06-30 for the half-year): ages in full years on that day, 入党时间 by 加入党组织日期, 工作岗位 rows
adding up to their group, members without a birth or join date shown beside the bands, 失联 from six full months;
and every table passing the 报表校核 (``checks.check_report``) with such members in it."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from db import codes, members, statistics, transfers
from db.statistics import checks
from tests.db.test_development import _approve, _step, _to_vote, full_members  # noqa: F401 - the fixture

YEAR = 2022
TODAY = date(2025, 6, 30)


def _add(db, name: str, birth: date | None, joined: date | None, **extra: Any) -> str:  # type: ignore[no-untyped-def]
    values: dict[str, Any] = {"name": name, "category": "full", "birth_date": birth, "joined_on": joined}
    if joined is not None and "full_on" not in extra and extra.get("category", "full") == "full":
        values["full_on"] = date(joined.year + 1, joined.month, joined.day)
    return members.add_member(db, values={**values, **extra}).uuid


def _sheets(report: statistics.Report) -> dict[str, checks.Sheet]:
    """The report's tables as the workbook's sheets read back (a blank or 未掌握 cell as 0)."""
    out = {}
    for t in report.tables:
        title = t.table.title[:31]
        rows = [
            (line.label, [float(t.figure(ri, ci) or 0) for ci in range(len(t.table.columns))])
            for ri, line in enumerate(t.table.rows)
        ]
        out[title] = checks.Sheet(title, [c.label for c in t.table.columns], rows)
    return out


def _consistent(report: statistics.Report) -> None:
    assert [f.message for f in checks.check_report(_sheets(report))] == []


def _cells(report: statistics.Report, number: str, row: int = 0) -> dict[str, set[str]]:
    """Column label → the names counted in it (columns with nobody left out; 未掌握 columns as None)."""
    t = report.table(number)
    out = {}
    for ci, col in enumerate(t.table.columns):
        cell = t.cells[row][ci]
        if cell is not None and cell.uuids:
            out[col.label] = {report.names[u] for u in cell.uuids}
    return out


def _row_of(report: statistics.Report, number: str, label: str) -> int:
    return [line.label.strip() for line in report.table(number).table.rows].index(label)


@pytest.mark.parametrize(
    ("half", "end"),
    [(False, date(YEAR, 12, 31)), (True, date(YEAR, 6, 30))],
)
def test_age_bands_are_full_years_on_the_period_end(db, half: bool, end: date) -> None:  # type: ignore[no-untyped-def]
    """30岁及以下 includes 30: born exactly 30 years before the end is 30; a day earlier 31, a day later 29."""

    def born(years: int, days: int = 0) -> date:
        return date.fromordinal(end.replace(year=end.year - years).toordinal() + days)

    joined = date(2015, 7, 1)
    _add(db, "满30", born(30), joined)
    _add(db, "差一天满30", born(30, 1), joined)
    _add(db, "满31", born(31), joined)
    _add(db, "31岁前一天", born(31, 1), joined)
    _add(db, "满35", born(35), joined)
    _add(db, "满36", born(36), joined)
    _add(db, "满70", born(70), joined)
    _add(db, "差一天满71", born(71, 1), joined)
    _add(db, "满71", born(71), joined)
    r = statistics.yearly_report(db, year=YEAR, half=half)
    assert r.end == end
    cells = _cells(r, "2")
    assert cells["30岁及以下"] == {"满30", "差一天满30", "31岁前一天"}
    assert cells["31至35岁"] == {"满31", "满35"}
    assert cells["36至40岁"] == {"满36"}
    assert cells["66至70岁"] == {"满70", "差一天满71"}
    assert cells["71岁及以上"] == {"满71"}
    assert r.table("2").cells[0][[c.label for c in r.table("2").table.columns].index("台湾省籍")] is None
    _consistent(r)


def test_joined_bands_by_the_admission_day_with_probationary_members(db) -> None:  # type: ignore[no-untyped-def]
    """表3's bands end the day before the next one begins; the day is 加入党组织日期 (not 转正), and 预备党员 count."""
    edges = [
        (date(1937, 7, 6), "1937.7.6及以前"),
        (date(1937, 7, 7), "1937.7.7至1945.9.2"),
        (date(1945, 9, 2), "1937.7.7至1945.9.2"),
        (date(1945, 9, 3), "1945.9.3至1949.9"),
        (date(1949, 9, 30), "1945.9.3至1949.9"),
        (date(1949, 10, 1), "1949.10至1966.4"),
        (date(1966, 4, 30), "1949.10至1966.4"),
        (date(1966, 5, 1), "1966.5至1976.10"),
        (date(1976, 10, 31), "1966.5至1976.10"),
        (date(1976, 11, 1), "1976.11至1978.12"),
        (date(1978, 12, 31), "1976.11至1978.12"),
        (date(1979, 1, 1), "1979.1至2002.10"),
        (date(2002, 10, 31), "1979.1至2002.10"),
        (date(2002, 11, 1), "2002.11至2012.10"),
        (date(2012, 10, 31), "2002.11至2012.10"),
        (date(2012, 11, 1), "2012.11及以后"),
    ]
    expected: dict[str, set[str]] = {}
    for i, (joined, band) in enumerate(edges):
        name = f"入党{joined.isoformat()}"
        _add(db, name, date(1900 + i, 1, 1) if joined.year < 1990 else date(1960, 1, 1), joined)
        expected.setdefault(band, set()).add(name)
    # full on 2012-11-01, but joined 2011-10-31: the band of 2002.11至2012.10
    _add(db, "转正跨界", date(1980, 1, 1), date(2011, 10, 31), full_on=date(2012, 11, 1))
    expected["2002.11至2012.10"].add("转正跨界")
    _add(db, "预备党员", date(1990, 1, 1), date(2022, 12, 31), category="probationary")
    expected["2012.11及以后"].add("预备党员")
    r = statistics.yearly_report(db, year=YEAR)
    cells = _cells(r, "3")
    assert cells.pop("总数") == {n for names in expected.values() for n in names}
    assert cells == expected
    _consistent(r)


def test_probationary_on_the_end_day_by_the_day_made_full(db) -> None:  # type: ignore[no-untyped-def]
    _add(db, "年底转正", date(1990, 1, 1), date(2021, 12, 31), full_on=date(2022, 12, 31))
    _add(db, "次年转正", date(1990, 1, 2), date(2022, 1, 1), full_on=date(2023, 1, 1))
    _add(db, "汉族", date(1990, 1, 3), date(2010, 1, 1), ethnicity="汉族", gender="female")
    _add(db, "回族", date(1990, 1, 4), date(2010, 1, 1), ethnicity="回族")
    r = statistics.yearly_report(db, year=YEAR)
    cells = _cells(r, "2")
    assert cells["预备党员"] == {"次年转正"}
    assert cells["女"] == {"汉族"} and cells["少数民族"] == {"回族"}


def test_members_without_birth_or_join_date_are_beside_the_bands(db) -> None:  # type: ignore[no-untyped-def]
    """Counted in every total and shown in 出生日期未填写 / 入党日期未填写, so the bands still add up to the total
    (the 报表校核 of table 2, 3, 10, 16 and 43)."""
    _add(db, "有全部日期", date(1980, 1, 1), date(2005, 7, 1))
    no_birth = _add(db, "无出生日期", None, date(2005, 7, 1))
    no_join = _add(db, "无入党日期", date(1980, 1, 2), None)
    _add(db, "新党员无出生日期", None, date(2022, 3, 1), category="probationary")
    for uuid in (no_birth, no_join):
        transfers.record_event(
            db,
            member_uuid=uuid,
            kind="lost_contact",
            happened_on=date(2021, 1, 1),
            reason="失联",
            today=TODAY,
        )
    r = statistics.yearly_report(db, year=YEAR)
    two = _cells(r, "2")
    assert len(two["总数"]) == 4 and two["出生日期未填写"] == {"无出生日期", "新党员无出生日期"}
    three = _cells(r, "3")
    assert len(three["总数"]) == 4 and three["入党日期未填写"] == {"无入党日期"}
    assert _cells(r, "16")["出生日期未填写"] == {"新党员无出生日期"}
    lost = _cells(r, "43")
    assert lost["总数"] == {"无出生日期", "无入党日期"}
    assert lost["出生日期未填写"] == {"无出生日期"} and lost["入党日期未填写"] == {"无入党日期"}
    _consistent(r)
    # 表10: the rows of ages and of 入党时间 each add up to its 合计
    transfers.record_event(
        db, member_uuid=no_birth, kind="expulsion", happened_on=date(2022, 5, 1), reason="违纪", today=TODAY
    )
    transfers.record_event(
        db, member_uuid=no_join, kind="withdrawal", happened_on=date(2022, 6, 1), reason="退党", today=TODAY
    )
    r = statistics.yearly_report(db, year=YEAR)
    assert _cells(r, "10", _row_of(r, "10", "出生日期未填写"))["总数"] == {"无出生日期"}
    assert _cells(r, "10", _row_of(r, "10", "入党日期未填写"))["总数"] == {"无入党日期"}
    _consistent(r)


def test_post_rows_add_up_to_their_group(db) -> None:  # type: ignore[no-untyped-def]
    """One member in each national 工作岗位 code: each row counts its codes, 工勤技能人员 and 农民工 of both ownerships
    (016/0164 and 025/0253, as 企业管理人员 counts 014 and 021), and the rows under 一、在岗职工 add up to it."""
    for i, code in enumerate(codes.MEMBER_POST_CODES):
        _add(db, f"岗位{code}", date(1980, 1, 1 + i), date(2005, 7, 1), post_code=code)
    r = statistics.yearly_report(db, year=YEAR)
    rows = [line.label for line in r.table("2").table.rows]
    by_row = {label.strip(): _cells(r, "2", i).get("总数", set()) for i, label in enumerate(rows)}

    def of(*post: str) -> set[str]:
        return {f"岗位{p}" for p in post}

    assert by_row["一、在岗职工"] == {n for n in by_row["合计"] if n.startswith("岗位0")}
    assert by_row["工勤技能人员"] == of("016", "0164", "025", "0253")
    assert by_row["其中：农民工"] == of("0164", "0253")
    assert by_row["企业管理人员"] == of("014", "021")
    assert by_row["二、农牧渔民"] == of("1", "113") and by_row["其中：外出务工经商"] == of("113")
    children = [label.strip() for label in rows if label.startswith("  ") and not label.startswith("    ")]
    in_work = rows.index("一、在岗职工")
    under_work = [c for c in children if rows.index("  " + c) < rows.index("二、农牧渔民")]
    assert rows.index("  " + under_work[0]) == in_work + 1
    assert sum(len(by_row[c]) for c in under_work) == len(by_row["一、在岗职工"])
    assert set().union(*(by_row[c] for c in under_work)) == by_row["一、在岗职工"]
    _consistent(r)


@pytest.mark.parametrize(
    ("half", "lost_on", "band"),
    [
        # six months on 06-30, as the 6-month reminder counts them (db.rules.add_months)
        (True, date(2021, 12, 31), "失联6个月至1年"),
        (True, date(2022, 1, 1), None),  # 5 months 29 days: not yet a 失联党员 of table 43
        (False, date(2022, 6, 30), "失联6个月至1年"),
        (False, date(2022, 7, 1), None),
        (False, date(2022, 1, 1), "失联6个月至1年"),  # 11 months 30 days
        (False, date(2021, 12, 31), "失联1至5年"),  # a full year
        (False, date(2017, 1, 1), "失联1至5年"),  # 5 years 11 months
        (False, date(2016, 12, 31), "失联6至10年"),  # six full years on 2022-12-31
    ],
)
def test_lost_contact_from_six_full_months(db, half: bool, lost_on: date, band: str | None) -> None:  # type: ignore[no-untyped-def]
    uuid = _add(db, "失联", date(1980, 1, 1), date(2005, 7, 1))
    transfers.record_event(
        db, member_uuid=uuid, kind="lost_contact", happened_on=lost_on, reason="失联", today=TODAY
    )
    r = statistics.yearly_report(db, year=YEAR, half=half)
    cells = _cells(r, "43")
    if band is None:
        assert cells == {}
    else:
        assert cells["总数"] == {"失联"} and cells[band] == {"失联"}
    _consistent(r)


def test_new_members_age_on_the_period_end(db) -> None:  # type: ignore[no-untyped-def]
    """表16: a member admitted in the period, with the age in full years on its last day (STATISTICS.md)."""
    _add(db, "满25", date(1997, 12, 31), date(2022, 6, 1), category="probationary")
    _add(db, "满26", date(1996, 12, 31), date(2022, 6, 1), category="probationary")
    _add(db, "满59", date(1963, 1, 1), date(2022, 6, 1), category="probationary")
    _add(db, "满60", date(1962, 12, 31), date(2022, 6, 1), category="probationary")
    _add(db, "上年发展", date(1990, 1, 1), date(2021, 12, 31), category="probationary")
    r = statistics.yearly_report(db, year=YEAR)
    cells = _cells(r, "16")
    assert cells["总数"] == {"满25", "满26", "满59", "满60"}
    assert cells["25岁及以下"] == {"满25"} and cells["26至30岁"] == {"满26"}
    assert cells["41至59岁"] == {"满59"} and cells["60岁及以上"] == {"满60"}
    _consistent(r)


def test_a_december_admission_approved_in_january_is_next_years(db, full_members) -> None:  # type: ignore[no-untyped-def]  # noqa: F811 - the imported fixture
    """发展党员 and 转正 are counted by the 上级党委's approval (2017 填报说明: “依据上级党组织审批情况进行统计”): a
    支部党员大会 vote of 2021-12-20 approved 2022-01-10 is 2022's 发展党员 and a 发展对象 at the end of 2021, so the
    2021 report saved before the approval and the 2022 report agree; a 转正 voted in December and approved in January
    is 尚未讨论或审批 at the end of the year."""
    p = _to_vote(db, full_members, vote_on=date(2021, 12, 20))
    r = statistics.yearly_report(db, year=2021)
    assert "总数" not in _cells(r, "16") and _cells(r, "18")["总数"] == {"孙小明"}
    statistics.save_report(db, report=r, final=True, today=date(2022, 1, 5))
    _approve(db, p, date(2022, 1, 10))
    again = statistics.yearly_report(db, year=2021)  # recomputed after the approval: the same figures
    assert "总数" not in _cells(again, "16") and _cells(again, "18")["总数"] == {"孙小明"}
    assert again.balance.actual == 4 and again.balance.closes
    r = statistics.yearly_report(db, year=2022)
    assert _cells(r, "16")["总数"] == {"孙小明"} and _cells(r, "1")["发展党员"] == {"孙小明"}
    assert (r.balance.previous_source, r.balance.actual, r.balance.closes) == ("saved", 5, True)
    _consistent(r)
    _step(db, p, "full_vote", date(2022, 12, 25), reason="补记转正申请", votes_for=3)
    _step(db, p, "full_approval", date(2023, 1, 8))
    fifteen = _cells(statistics.yearly_report(db, year=2022), "15")
    assert fifteen == {"预备期满的党员": {"孙小明"}, "尚未讨论或审批": {"孙小明"}}
    assert _cells(statistics.yearly_report(db, year=2023), "15") == {"转为正式党员": {"孙小明"}}


def test_a_workbook_without_the_unknown_column_has_its_bands_checked_alone(db) -> None:  # type: ignore[no-untyped-def]
    _add(db, "有出生日期", date(1980, 1, 1), date(2005, 7, 1))
    _add(db, "无出生日期", None, date(2005, 7, 1))
    sheets = _sheets(statistics.yearly_report(db, year=YEAR))
    two = sheets["表2 党员基本情况"]
    gone = two.columns.index("出生日期未填写")
    two.columns.pop(gone)
    for _, values in two.rows:
        values.pop(gone)
    failures = [f.message for f in checks.check_report(sheets)]
    assert failures == [
        "行「合计」的总数 2 ≠ 「30岁及以下」至「71岁及以上」各列之和 1",
        "行「未填写/未编码」的总数 2 ≠ 「30岁及以下」至「71岁及以上」各列之和 1",
    ]
