"""Every way onto and off the roster, through the functions the GUI and CLI call, as table 1 of the 党内统计 counts
it (issue 19): the person counted once, in the year the rules date the change, in the right column (table 10 for
出党's forms), the balance closing, the people behind each figure named; a change reversed in the year leaves no
phantom; where the balance cannot close, the person is named with why in Chinese."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import load_workbook

from db import members, statistics, transfers
from db.rules import make_citizen_id
from db.workbook import export, merge
from tests.db.test_development import _approve, _step, _to_vote

TODAY = date(2026, 6, 30)
_seq = iter(range(501, 999, 2))


def _add(db, name: str, joined: date = date(2005, 7, 1), *, category: str = "full") -> str:  # type: ignore[no-untyped-def]
    birth = date(1980, 1, 1)
    values = {
        "name": name,
        "citizen_id": make_citizen_id("140202", birth, next(_seq)),
        "birth_date": birth,
        "category": category,
        "joined_on": joined,
        "full_on": date(joined.year + 1, joined.month, joined.day) if category == "full" else None,
    }
    return members.add_member(db, values=values).uuid


def _branch(db) -> list[str]:  # type: ignore[no-untyped-def]
    return [_add(db, name) for name in ("王强", "李娜", "赵刚")]


def _arrive(
    db, name: str, on: date, *, scope: str = "within", whole_unit: bool = False
) -> transfers.Transfer:  # type: ignore[no-untyped-def]
    return transfers.transfer_in(
        db,
        values={
            "name": name,
            "citizen_id": make_citizen_id("140202", date(1990, 1, 1), next(_seq)),
            "category": "full",
        },
        from_unit="塔山煤矿第二党支部",
        letter_serial=f"{on.year}-{next(_seq)}",
        arrived_on=on,
        development={"joined_on": date(2012, 7, 1), "full_on": date(2013, 7, 1)},
        today=TODAY,
        scope=scope,
        whole_unit=whole_unit,
    )


def _out(db, uuid: str, issued: date, *, whole_unit: bool = False) -> transfers.Transfer:  # type: ignore[no-untyped-def]
    return transfers.transfer_out(
        db,
        member_uuid=uuid,
        addressee="塔山煤矿党委",
        to_unit="塔山煤矿第一党支部",
        issued_on=issued,
        dues_paid_to=f"{issued.year}-{issued.month:02d}",
        today=TODAY,
        whole_unit=whole_unit,
    )


def _event(db, uuid: str, kind: str, on: date) -> None:  # type: ignore[no-untyped-def]
    transfers.record_event(
        db, member_uuid=uuid, kind=kind, happened_on=on, reason="支部党员大会决定", today=TODAY
    )


def _figures(report: statistics.Report) -> dict[str, int]:
    """Table 1's first row, by column label, the figures that are not 0."""
    t = report.table("1")
    return {c.label: t.figure(0, i) or 0 for i, c in enumerate(t.table.columns) if t.figure(0, i)}


def _who(report: statistics.Report, column: str, number: str = "1") -> set[str]:
    t = report.table(number)
    cell = t.cells[0][[c.label for c in t.table.columns].index(column)]
    assert cell is not None
    return {report.names.get(u, u) for u in cell.uuids}


def test_suspended_then_removed_leaves_the_count_once(db) -> None:  # type: ignore[no-untyped-def]
    """教管条例第二十四条: 停止党籍 takes the member out of the count; 停止党籍2年后…按照自行脱党予以除名 (or a death
    while suspended) then changes no figure: no second 减少, and the balance closes."""
    _branch(db)
    lapsed, died = _add(db, "孙某"), _add(db, "钱某")
    _event(db, lapsed, "suspended", date(2024, 4, 1))
    _event(db, lapsed, "removal_lapsed", date(2025, 4, 1))
    _event(db, died, "suspended", date(2025, 2, 1))
    _event(db, died, "deceased", date(2025, 5, 1))
    r24 = statistics.yearly_report(db, year=2024)
    assert _figures(r24)["停止党籍"] == 1 and r24.balance.closes
    r = statistics.yearly_report(db, year=2025)
    b = r.balance
    assert b.closes and (b.previous, b.added, b.removed, b.actual) == (4, 0, 1, 3)
    assert _who(r, "停止党籍") == {"钱某"} and _who(r, "本年减少合计") == {"钱某"}
    assert "出党" not in _figures(r) and "死亡" not in _figures(r)
    assert r.table("10").figure(0, 0) == 0
    why = {w.name: w.why for w in b.warnings}
    assert (
        why["孙某"]
        == "停止党籍（2024-04-01）后已不在党员总数中：2025-04-01 的出党（自行脱党除名）不再计入本年减少"
    )
    assert "停止党籍（2025-02-01）" in why["钱某"] and "死亡" in why["钱某"]


def test_a_cancelled_transfer_in_is_named_not_dated_back_to_joining(db) -> None:  # type: ignore[no-untyped-def]
    """A letter in cancelled (entered by mistake) leaves the member it created on the roster: the report must not
    count them as 发展党员 on their 加入党组织日期 (in last year's total, silently), but name them."""
    _branch(db)
    letter = _arrive(db, "郑梅", date(2025, 7, 1))
    assert _figures(statistics.yearly_report(db, year=2025))["转入组织关系"] == 1
    transfers.cancel_transfer(db, uuid=letter.uuid, reason="录入错误")
    assert members.get_member(db, uuid=letter.member_uuid).status == "active"
    r24 = statistics.yearly_report(db, year=2024)
    assert r24.balance.actual == 3 and r24.balance.closes
    r = statistics.yearly_report(db, year=2025)
    b = r.balance
    assert (b.previous, b.added, b.removed, b.actual, b.closes) == (3, 0, 0, 4, False)
    assert "转入组织关系" not in _figures(r) and "发展党员" not in _figures(r)
    (person,) = b.people
    assert person.name == "郑梅" and f"转入介绍信 {letter.serial} 已撤销" in person.why
    # put right by hand (补记变动原因): the balance closes
    statistics.record_change(
        db,
        change=statistics.ManualChange(
            letter.member_uuid, "add", date(2025, 7, 1), "transfer_in", "within", "介绍信重开"
        ),
        today=TODAY,
    )
    assert statistics.yearly_report(db, year=2025).balance.closes


def _hq_roster_adds(db, tmp_path: Path, name: str, joined: date) -> merge.ImportBatch:  # type: ignore[no-untyped-def]
    """HQ sends back our roster workbook with one member more; it is previewed and applied."""
    export.export_monthly(db, month="2024-04", path=tmp_path / "base.xlsx")
    wb = load_workbook(tmp_path / "base.xlsx")
    ws = wb["党员名册"]
    headers = [c.value for c in ws[1]]
    row: list[object] = [None] * len(headers)
    for header, value in (
        ("姓名", name),
        ("公民身份号码", make_citizen_id("140202", date(1985, 1, 1), next(_seq))),
        ("人员类别", "正式党员"),
        ("加入党组织日期", joined.isoformat()),
    ):
        row[headers.index(header)] = value
    ws.append(row)
    wb.save(tmp_path / "hq.xlsx")
    preview = merge.preview_import(db, path=tmp_path / "hq.xlsx")
    assert preview.counts["new"] == 1
    return merge.apply_import(db, preview=preview)


def test_a_member_an_undone_import_deleted_is_named_by_name(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A member added by a roster import from HQ is in last year's saved report; the import is undone (the member
    deleted): this year's report names them by their name, not by a uuid, and says the record was deleted."""
    _branch(db)
    batch = _hq_roster_adds(db, tmp_path, "新党员", date(2010, 7, 1))
    r24 = statistics.yearly_report(db, year=2024)
    assert r24.balance.closes and r24.balance.actual == 4  # on the roster since 2010: no change in 2024
    statistics.save_report(db, report=r24, final=True, today=TODAY)
    merge.undo_import(db, batch=batch.uuid)
    r = statistics.yearly_report(db, year=2025)
    b = r.balance
    assert (b.previous, b.previous_source, b.actual, b.closes) == (4, "saved", 3, False)
    (person,) = b.people
    assert (person.name, person.why) == ("新党员", "该党员的记录已删除（撤销导入），但上年报告计入上年底总数")
    assert _who(r, "实有数与应有数之差") == {"新党员"}


def test_a_standing_changed_without_its_event_is_named(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """党籍状态 set to 停止党籍 in the member form or by HQ's roster import, without the standing event: the member
    is out of the count from that day (tables 1 and 2 agree with the roster) and named, since the decision and its
    day are not recorded; set back to 正常 without a 恢复党籍 event, named too."""
    _branch(db)
    form, hq = _add(db, "孙某"), _add(db, "钱某")
    members.update_member(db, uuid=form, changes={"standing": "suspended"})
    export.export_monthly(db, month="2026-04", path=tmp_path / "base.xlsx")
    wb = load_workbook(tmp_path / "base.xlsx")
    ws = wb["党员名册"]
    headers = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[headers.index("姓名")].value == "钱某":
            row[headers.index("党籍状态")].value = "停止党籍"
    wb.save(tmp_path / "hq.xlsx")
    merge.apply_import(db, preview=merge.preview_import(db, path=tmp_path / "hq.xlsx"))
    assert members.get_member(db, uuid=hq).standing == "suspended"
    year = date.today().year
    r = statistics.yearly_report(db, year=year)
    b = r.balance
    assert (b.previous, b.added, b.removed, b.actual, b.closes) == (5, 0, 0, 3, False)
    assert {p.name: p.why for p in b.people} == {
        "孙某": "原因不明：党籍状态为停止党籍，但没有停止党籍的事项记录（日期、决定）（党籍状态：停止党籍）",
        "钱某": "原因不明：党籍状态为停止党籍，但没有停止党籍的事项记录（日期、决定）（党籍状态：停止党籍）",
    }
    assert r.table("2").figure(0, 0) == 3
    # the form's 党籍状态 back to 正常 after a recorded 停止党籍: named until 恢复党籍 is recorded
    back = _add(db, "周某")
    _event(db, back, "suspended", date(2024, 3, 1))
    members.update_member(db, uuid=back, changes={"standing": "normal"})
    people = {p.name: p.why for p in statistics.yearly_report(db, year=year).balance.people}
    assert "党籍状态已改为正常，但没有恢复党籍的事项记录" in people["周某"]


def test_transfers_in_and_out_by_the_day_they_take_effect(db) -> None:  # type: ignore[no-untyped-def]
    """转入 on the arrival day, 系统内/系统外 and 整建制 apart; 转出 on the receipt's day (or the day after the
    letter's validity ended), so a letter of December with its receipt in January counts in January's year; the
    half-year report ends on June 30."""
    _branch(db)
    a, b, c = _add(db, "甲"), _add(db, "乙"), _add(db, "丙")
    late = _out(db, a, date(2024, 12, 20))
    transfers.record_receipt(db, uuid=late.uuid, returned_on=date(2025, 1, 5), today=TODAY)
    june = _out(db, b, date(2025, 6, 1))
    transfers.record_receipt(db, uuid=june.uuid, returned_on=date(2025, 6, 30), today=TODAY)
    july = _out(db, c, date(2025, 6, 1), whole_unit=True)
    transfers.record_receipt(db, uuid=july.uuid, returned_on=date(2025, 7, 1), today=TODAY)
    _arrive(db, "丁", date(2025, 6, 30))
    _arrive(db, "戊", date(2025, 7, 1), scope="outside")
    _arrive(db, "己", date(2025, 9, 1), whole_unit=True)
    r24 = statistics.yearly_report(db, year=2024)
    assert r24.balance.closes and "转出组织关系" not in _figures(r24) and r24.balance.actual == 6
    half = statistics.yearly_report(db, year=2025, half=True)
    assert half.balance.closes and _who(half, "转出组织关系") == {"甲", "乙"}
    assert _who(half, "转入组织关系") == {"丁"} and "整建制转出" not in _figures(half)
    r = statistics.yearly_report(db, year=2025)
    assert r.balance.closes and (r.balance.previous, r.balance.actual) == (6, 6)
    assert _who(r, "转出组织关系") == {"甲", "乙"} and _who(r, "整建制转出") == {"丙"}
    assert _who(r, "转入组织关系") == {"丁", "戊"} and _who(r, "整建制转入") == {"己"}
    t = r.table("1")
    column = [c.label for c in t.table.columns].index("转入组织关系")
    assert [t.figure(i, column) for i in range(3)] == [2, 1, 1]  # 其中 系统内 丁, 系统外 戊


def test_changes_reversed_in_the_year_leave_no_phantom(db) -> None:  # type: ignore[no-untyped-def]
    """Transferred out and back in: both counted, the balance closes. A letter that lapsed and was then cancelled,
    a member archived by mistake and restored: nothing counted, nothing named."""
    _branch(db)
    back, lapsed, mistaken = _add(db, "甲"), _add(db, "乙"), _add(db, "丙")
    out = _out(db, back, date(2025, 3, 1))
    transfers.record_receipt(db, uuid=out.uuid, returned_on=date(2025, 3, 10), today=TODAY)
    transfers.transfer_in(
        db,
        values={"name": "甲", "citizen_id": members.get_member(db, uuid=back).citizen_id, "category": "full"},
        from_unit="塔山煤矿第一党支部",
        letter_serial="2025-077",
        arrived_on=date(2025, 9, 1),
        today=TODAY,
        scope="within",
    )
    letter = _out(db, lapsed, date(2025, 3, 1))
    transfers.settle_transfers_out(db, today=date(2025, 6, 1))
    assert members.get_member(db, uuid=lapsed).status == "transferred_out"
    transfers.cancel_transfer(db, uuid=letter.uuid, reason="未去报到")
    transfers.leave_roster(db, uuid=mistaken, status="removed", on=date(2025, 5, 1), reason="误操作")
    members.restore_member(db, uuid=mistaken, reason="误操作，恢复")
    r = statistics.yearly_report(db, year=2025)
    b = r.balance
    assert b.closes and (b.previous, b.added, b.removed, b.actual) == (6, 1, 1, 6)
    assert _who(r, "转出组织关系") == {"甲"} and _who(r, "转入组织关系") == {"甲"} and b.warnings == ()


def test_standing_events_admission_and_what_is_recorded_by_hand(db) -> None:  # type: ignore[no-untyped-def]
    """Each 出党 form in table 10 and once in table 1's 出党; 死亡; 停止党籍 and 停止党籍后恢复党籍; 发展党员 in the
    year of the admission vote; 取消预备党员资格 from the development record's approval; 恢复党籍 and 重新入党 as
    recorded by hand (补记变动原因) for members put back on the roster."""
    full = _branch(db)
    probationer = _add(db, "钱多", date(2020, 7, 1), category="probationary")
    p = _to_vote(db, [*full, probationer], vote_on=date(2024, 6, 1))  # the vote while 3 full members are here
    _approve(db, p, date(2024, 7, 1))
    kinds = ("expulsion", "withdrawal", "persuaded", "removal_persuaded", "removal_lapsed")
    leaving = {kind: _add(db, kind) for kind in kinds}
    died, suspended, reinstated = _add(db, "吴老"), _add(db, "孙某"), _add(db, "周某")
    for kind, uuid in leaving.items():
        _event(db, uuid, kind, date(2025, 4, 1))
    _event(db, died, "deceased", date(2025, 5, 1))
    _event(db, suspended, "suspended", date(2025, 6, 1))
    _event(db, reinstated, "suspended", date(2024, 6, 1))
    _event(db, reinstated, "reinstated", date(2025, 6, 1))
    _step(db, p, "probation_cancelled", date(2025, 3, 1), note="不履行党员义务", votes_for=10)
    _step(db, p, "cancel_approval", date(2025, 3, 20))
    restored, readmitted = _add(db, "冯某"), _add(db, "郑某")
    _event(db, restored, "expulsion", date(2023, 3, 1))
    _event(db, readmitted, "withdrawal", date(2023, 3, 1))
    members.restore_member(db, uuid=restored, reason="复查后恢复党籍")
    members.restore_member(db, uuid=readmitted, reason="重新入党")
    record = statistics.record_change
    record(
        db,
        change=statistics.ManualChange(restored, "add", date(2025, 8, 1), "restored", note="上级批复"),
        today=TODAY,
    )
    record(
        db,
        change=statistics.ManualChange(readmitted, "add", date(2025, 9, 1), "readmitted", note="支部大会"),
        today=TODAY,
    )
    r24 = statistics.yearly_report(db, year=2024)
    assert r24.balance.closes and _who(r24, "发展党员") == {"孙小明"} and _who(r24, "停止党籍") == {"周某"}
    r = statistics.yearly_report(db, year=2025)
    b = r.balance
    assert b.closes and (b.previous, b.added, b.removed, b.actual) == (12, 3, 8, 7)
    assert _who(r, "出党") == {*kinds, "孙小明"} and _who(r, "死亡") == {"吴老"}
    assert _who(r, "停止党籍") == {"孙某"} and _who(r, "停止党籍后恢复党籍") == {"周某"}
    assert _who(r, "恢复党籍") == {"冯某"} and _who(r, "重新入党") == {"郑某"}
    t10 = r.table("10")
    by_form = {c.label: t10.figure(0, i) for i, c in enumerate(t10.table.columns)}
    assert by_form["总数"] == 6 and by_form["取消预备党员资格"] == 1
    assert all(
        by_form[form] == 1 for form in ("开除党籍", "退党除名", "劝退", "劝而不退除名", "自行脱党除名")
    )
    assert _who(r, "取消预备党员资格", "10") == {"孙小明"}
