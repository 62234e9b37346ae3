"""The bands and boundaries of the yearly 党内统计 tables (../shared/STATISTICS.md), cell by cell as of the period's
end (12-31, or 06-30 for the half-year): ages in full years on that day, 入党时间 by 加入党组织日期, 工作岗位 rows
adding up to their group, members without a birth or join date shown beside the bands, 失联 from six full months;
and every table passing the 报表校核 (``checks.check_report``) with such members in it."""

from __future__ import annotations

from datetime import date
from typing import Any

from db import codes, members, statistics
from db.statistics import checks

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
