"""Transfers, mobile members, standing events, reminders and the Chinese numerals of the letter."""

from __future__ import annotations

import random
from datetime import date

import pytest

from db import members, transfers
from db.errors import ValidationError
from db.rules import chinese_date, chinese_number, chinese_numerals, chinese_year_month, make_citizen_id

TODAY = date(2026, 3, 15)


def _member(db, name="张三", seq=11, category="full"):  # type: ignore[no-untyped-def]
    cid = make_citizen_id("140202", date(1985, 5, 6), seq)
    return members.add_member(
        db,
        values={
            "name": name,
            "citizen_id": cid,
            "category": category,
            "joined_on": date(2010, 7, 1),
            "full_on": date(2011, 7, 1) if category == "full" else None,
        },
    )


def _out(db, member, issued_on=date(2026, 3, 1), **kw):  # type: ignore[no-untyped-def]
    args = {
        "addressee": "塔山煤矿党委",
        "to_unit": "塔山煤矿第二党支部",
        "dues_paid_to": f"{issued_on:%Y-%m}",
        "validity_days": 30,
        "issued_on": issued_on,
        "today": TODAY,
    }
    args.update(kw)
    return transfers.transfer_out(db, member_uuid=member.uuid, **args)


def _problem_fields(exc: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return {p.field for p in exc.value.problems}


# --- numerals ---------------------------------------------------------------------------------------------


def test_chinese_numerals() -> None:
    assert chinese_numerals(2026) == "二〇二六"
    assert chinese_year_month(2026, 11) == "贰零贰陆年拾壹月"
    assert chinese_number(30, capital=True) == "叁拾"
    assert chinese_number(90, capital=True) == "玖拾"
    assert chinese_number(10) == "十"
    assert chinese_number(105) == "一百零五"
    assert chinese_number(1010, capital=True) == "壹仟零壹拾"
    assert chinese_date(date(2026, 1, 21)) == "贰零贰陆年壹月贰拾壹日"
    assert chinese_date(date(2026, 10, 5), capital=False) == "二〇二六年十月五日"


# --- transfer out -----------------------------------------------------------------------------------------


def test_transfer_out_keeps_member_until_receipt_and_assigns_serial(db) -> None:  # type: ignore[no-untyped-def]
    m = _member(db)
    t = _out(db, m)
    assert t.serial == "2026-001" and t.direction == "out" and t.dues_paid_to == "2026-03"
    assert members.get_member(db, uuid=m.uuid).status == "active"  # 转出中 until the receipt
    assert transfers.transfers_in_progress(db, today=TODAY) == {m.uuid: t}
    assert t.receipt_status(date(2026, 4, 1)) == "pending"
    transfers.record_receipt(db, uuid=t.uuid, returned_on=date(2026, 3, 10), today=TODAY)
    stored = members.get_member(db, uuid=m.uuid)
    assert stored.status == "transferred_out" and stored.status_on == date(2026, 3, 10)
    assert "2026-001" in stored.status_reason
    assert [x.uuid for x in members.list_members(db, status="transferred_out")] == [m.uuid]


def test_serial_numbering_across_years_and_never_reused(db) -> None:  # type: ignore[no-untyped-def]
    a, b, c = _member(db, "甲", 11), _member(db, "乙", 13), _member(db, "丙", 15)
    t1 = _out(db, a, issued_on=date(2025, 12, 30))
    t2 = _out(db, b, issued_on=date(2026, 1, 5))
    assert (t1.serial, t2.serial) == ("2025-001", "2026-001")
    # cancelling restores the member; the serial stays taken
    transfers.cancel_transfer(db, uuid=t2.uuid, reason="对方单位不接收")
    assert members.get_member(db, uuid=b.uuid).status == "active"
    t3 = _out(db, b, issued_on=date(2026, 1, 20))
    assert t3.serial == "2026-002"
    # archive/restore of a member through the roster does not touch numbering
    members.archive_member(db, uuid=c.uuid, status="removed", on=date(2026, 1, 2), reason="误操作")
    members.restore_member(db, uuid=c.uuid, reason="恢复")
    assert _out(db, c, issued_on=date(2026, 2, 2)).serial == "2026-003"
    cancelled = transfers.get_transfer(db, uuid=t2.uuid)
    assert cancelled.status == "cancelled" and cancelled.cancel_reason == "对方单位不接收"
    assert transfers.next_serial(db, year=2026) == "2026-004"
    assert transfers.transfer_years(db) == [2026, 2025]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"validity_days": 91}, "validity_days"),
        ({"validity_days": 0}, "validity_days"),
        ({"issued_on": date(2026, 3, 16)}, "issued_on"),
        ({"addressee": " "}, "addressee"),
        ({"dues_paid_to": "2026-13"}, "dues_paid_to"),
        ({"dues_paid_to": "2026-04"}, "dues_paid_to"),
    ],
)
def test_transfer_out_bad_input_writes_nothing(db, change, field) -> None:  # type: ignore[no-untyped-def]
    m = _member(db)
    with pytest.raises(ValidationError) as exc:
        _out(db, m, **change)
    assert field in _problem_fields(exc)
    assert all(p.message for p in exc.value.problems)
    assert transfers.list_transfers(db) == []
    assert members.get_member(db, uuid=m.uuid).status == "active"


def test_transfer_out_refuses_archived_and_unknown_member(db) -> None:  # type: ignore[no-untyped-def]
    m = _member(db)
    _out(db, m)
    with pytest.raises(ValidationError) as exc:
        _out(db, m, issued_on=date(2026, 3, 2))
    assert "正在转出中" in str(exc.value)
    transfers.settle_transfers_out(db, today=date(2026, 4, 1))
    with pytest.raises(ValidationError) as exc:
        _out(db, m, issued_on=date(2026, 3, 2), today=date(2026, 4, 1))
    assert "已转出" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        transfers.transfer_out(
            db, member_uuid="nope", addressee="a", to_unit="b", issued_on=date(2026, 3, 1), today=TODAY
        )
    assert "找不到所选党员" in str(exc.value)
    assert len(transfers.list_transfers(db)) == 1


def test_receipt_and_overdue_reminder_boundary(db) -> None:  # type: ignore[no-untyped-def]
    m = _member(db)
    t = _out(db, m, issued_on=date(2026, 1, 15))  # valid 30 days, until 2026-02-14
    # issue 14: the receipt is due one month after the validity ends (2026-03-14), not one month after issue
    assert transfers.transfer_reminders(db, today=date(2026, 3, 14)) == []
    reminders = transfers.transfer_reminders(db, today=date(2026, 3, 15))
    assert [r.kind for r in reminders] == ["receipt_overdue"]
    assert (
        "张三" in reminders[0].text and "2026-001" in reminders[0].text and reminders[0].page == "transfers"
    )
    assert reminders[0].since == date(2026, 3, 14) and "有效期至 2026-02-14" in reminders[0].text
    assert [x.uuid for x in transfers.list_transfers(db, receipt="overdue", today=date(2026, 3, 15))] == [
        t.uuid
    ]
    with pytest.raises(ValidationError) as exc:
        transfers.record_receipt(db, uuid=t.uuid, returned_on=date(2026, 1, 14), today=TODAY)
    assert "早于开具日期" in str(exc.value)
    assert transfers.get_transfer(db, uuid=t.uuid).receipt_on is None
    done = transfers.record_receipt(db, uuid=t.uuid, returned_on=date(2026, 2, 20), today=TODAY)
    assert done.receipt_on == date(2026, 2, 20) and done.receipt_status(TODAY) == "returned"
    assert transfers.transfer_reminders(db, today=date(2026, 2, 16)) == []
    with pytest.raises(ValidationError):
        transfers.cancel_transfer(db, uuid=t.uuid, reason="x")


# --- transfer in ------------------------------------------------------------------------------------------


def test_transfer_in_creates_member_with_development_dates(db) -> None:  # type: ignore[no-untyped-def]
    cid = make_citizen_id("140211", date(1992, 3, 4), 22)
    t = transfers.transfer_in(
        db,
        values={"name": "李梅", "citizen_id": cid, "category": "full"},
        from_unit="燕子山矿党委",
        letter_serial="2026-017",
        arrived_on=date(2026, 3, 10),
        development={
            "applied_on": date(2014, 3, 1),
            "activist_on": date(2014, 9, 1),
            "candidate_on": date(2015, 10, 1),
            "joined_on": date(2016, 1, 5),
            "full_on": date(2017, 1, 5),
        },
        today=TODAY,
    )
    assert t.direction == "in" and t.serial == "2026-017" and t.activist_on == date(2014, 9, 1)
    m = members.get_member(db, uuid=t.member_uuid)
    assert (m.name, m.gender, m.joined_on, m.full_on, m.status) == (
        "李梅",
        "female",
        date(2016, 1, 5),
        date(2017, 1, 5),
        "active",
    )


def test_transfer_in_reactivates_same_record_by_citizen_id(db) -> None:  # type: ignore[no-untyped-def]
    m = _member(db)
    _out(db, m, issued_on=date(2025, 6, 1))
    transfers.settle_transfers_out(db, today=TODAY)  # the letter lapsed: 已转出
    t = transfers.transfer_in(
        db,
        values={"name": "张三", "citizen_id": m.citizen_id.lower(), "category": "full", "job": "机电队队长"},
        from_unit="塔山煤矿党委",
        letter_serial="A-9",
        arrived_on=date(2026, 3, 1),
        today=TODAY,
    )
    assert t.member_uuid == m.uuid
    back = members.get_member(db, uuid=m.uuid)
    assert back.status == "active" and back.job == "机电队队长"
    assert len(members.list_members(db, status=None)) == 1
    # a second transfer out gets the next serial of its year
    assert _out(db, back, issued_on=date(2026, 3, 5)).serial == "2026-001"


@pytest.mark.parametrize(
    ("cid", "arrived", "message"),
    [
        ("140211199203040221", date(2026, 3, 1), "校验位"),
        ("", date(2026, 3, 1), "必须填写公民身份号码"),
        (make_citizen_id("140211", date(1992, 3, 4), 22), date(2026, 3, 20), "不能晚于今天"),
    ],
)
def test_transfer_in_bad_input(db, cid, arrived, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as exc:
        transfers.transfer_in(
            db,
            values={"name": "李梅", "citizen_id": cid, "category": "full"},
            from_unit="x",
            letter_serial="1",
            arrived_on=arrived,
            today=TODAY,
        )
    assert message in str(exc.value)
    assert members.list_members(db, status=None) == [] and transfers.list_transfers(db) == []


def test_transfer_in_refuses_active_member(db) -> None:  # type: ignore[no-untyped-def]
    m = _member(db)
    with pytest.raises(ValidationError) as exc:
        transfers.transfer_in(
            db,
            values={"name": "张三", "citizen_id": m.citizen_id, "category": "full"},
            from_unit="x",
            letter_serial="1",
            arrived_on=date(2026, 3, 1),
            today=TODAY,
        )
    assert "已在册" in str(exc.value)


# --- mobile members ---------------------------------------------------------------------------------------


def test_mobile_period_syncs_member_and_reminds_at_six_months(db) -> None:  # type: ignore[no-untyped-def]
    m = _member(db)
    p = transfers.start_mobile(
        db,
        member_uuid=m.uuid,
        province="内蒙古自治区",
        city="鄂尔多斯市",
        county="准格尔旗",
        reason="外派",
        started_on=date(2025, 9, 15),
        contact="13800001111",
        today=TODAY,
    )
    stored = members.get_member(db, uuid=m.uuid)
    assert stored.mobile_member and stored.outflow_place == "内蒙古自治区/鄂尔多斯市/准格尔旗"
    assert transfers.transfer_reminders(db, today=date(2026, 3, 14)) == []
    reminders = transfers.transfer_reminders(db, today=date(2026, 3, 15))
    assert [r.kind for r in reminders] == ["mobile_long_absence"]
    assert "需要转接组织关系" in reminders[0].text and "张三" in reminders[0].text
    with pytest.raises(ValidationError):
        transfers.start_mobile(
            db, member_uuid=m.uuid, province="x", reason="y", started_on=date(2026, 1, 1), today=TODAY
        )
    with pytest.raises(ValidationError) as exc:
        transfers.end_mobile(db, uuid=p.uuid, ended_on=date(2025, 9, 1), today=TODAY)
    assert "早于外出日期" in str(exc.value)
    ended = transfers.end_mobile(db, uuid=p.uuid, ended_on=date(2026, 3, 1), reason="返回", today=TODAY)
    assert ended.ended_on == date(2026, 3, 1)
    stored = members.get_member(db, uuid=m.uuid)
    assert not stored.mobile_member and stored.outflow_place == ""
    assert transfers.transfer_reminders(db, today=date(2026, 3, 15)) == []


# --- standing events and timeline -------------------------------------------------------------------------


def test_events_apply_to_member_and_timeline(db) -> None:  # type: ignore[no-untyped-def]
    m = _member(db)
    transfers.record_event(
        db,
        member_uuid=m.uuid,
        kind="lost_contact",
        happened_on=date(2025, 10, 1),
        reason="电话停机",
        today=TODAY,
    )
    stored = members.get_member(db, uuid=m.uuid)
    assert stored.lost_contact and stored.lost_contact_on == date(2025, 10, 1)
    with pytest.raises(ValidationError):
        transfers.record_event(
            db,
            member_uuid=m.uuid,
            kind="lost_contact",
            happened_on=date(2025, 11, 1),
            reason="x",
            today=TODAY,
        )
    transfers.record_event(
        db,
        member_uuid=m.uuid,
        kind="suspended",
        happened_on=date(2025, 12, 1),
        reason="失联超过六个月",
        today=TODAY,
    )
    assert members.get_member(db, uuid=m.uuid).standing == "suspended"
    transfers.record_event(
        db, member_uuid=m.uuid, kind="deceased", happened_on=date(2026, 2, 1), reason="因病去世", today=TODAY
    )
    stored = members.get_member(db, uuid=m.uuid)
    assert stored.status == "removed" and "去世" in stored.status_reason
    kinds = [e.kind for e in transfers.list_events(db, member_uuid=m.uuid)]
    assert kinds == ["lost_contact", "suspended", "deceased"]
    timeline = transfers.member_timeline(db, member_uuid=m.uuid)
    texts = " ".join(e.text for e in timeline)
    assert "失去联系：电话停机" in texts and "去世：因病去世" in texts and "建立党员档案" in texts
    assert "修改是否为失联党员：否 → 是" in texts and "修改党籍状态：正常 → 停止党籍" in texts
    with pytest.raises(ValidationError) as exc:
        transfers.record_event(
            db, member_uuid=m.uuid, kind="reinstated", happened_on=date(2026, 3, 1), reason="x", today=TODAY
        )
    assert "已减员" in str(exc.value)


def test_event_bad_input(db) -> None:  # type: ignore[no-untyped-def]
    m = _member(db)
    with pytest.raises(ValidationError) as exc:
        transfers.record_event(
            db, member_uuid=m.uuid, kind="expelled", happened_on=date(2026, 4, 1), reason="", today=TODAY
        )
    assert {"happened_on", "reason"} <= _problem_fields(exc)
    assert members.get_member(db, uuid=m.uuid).status == "active"
    assert transfers.list_events(db) == []


# --- workbook rows and demo -------------------------------------------------------------------------------


def test_monthly_rows(db) -> None:  # type: ignore[no-untyped-def]
    a, b = _member(db, "甲", 11), _member(db, "乙", 13)
    _out(db, a, issued_on=date(2026, 2, 10))
    transfers.start_mobile(
        db, member_uuid=b.uuid, province="山西省", reason="培训", started_on=date(2026, 1, 5), today=TODAY
    )
    rows = transfers.monthly_transfer_rows(db, month="2026-02")
    assert [(r["member_name"], r["serial"], r["direction"]) for r in rows] == [("甲", "2026-001", "out")]
    assert transfers.monthly_transfer_rows(db, month=date(2026, 3, 1)) == []
    assert [r["member_name"] for r in transfers.monthly_mobile_rows(db, month="2026-02")] == ["乙"]
    assert transfers.monthly_mobile_rows(db, month="2025-12") == []


def _demo(database):  # type: ignore[no-untyped-def]
    for i in range(12):
        members.add_member(
            database,
            values={
                "name": f"党员{i}",
                "category": "full",
                "joined_on": date(2005, 1, 1),
                "full_on": date(2006, 1, 1),
                "citizen_id": make_citizen_id("140202", date(1980, 1, 1 + i), 11 + 2 * i),
            },
        )
    with database.atomic():
        transfers.demo_transfers(database, rng=random.Random(7), today=TODAY)
    # members added by this helper get random uuids; the one the demo creates (transfer in) must not
    return sorted(
        (t.direction, t.member_name, t.serial, t.issued_on, t.uuid, t.direction == "in" and t.member_uuid)
        for t in transfers.list_transfers(database)
    )


def test_demo_transfers_deterministic(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from db import store

    first = _demo(db)
    assert [d for d, *_ in first].count("out") == 3 and [d for d, *_ in first].count("in") == 1
    kinds = {r.kind for r in transfers.transfer_reminders(db, today=TODAY)}
    assert kinds == {"receipt_overdue", "mobile_long_absence"}
    assert any(m.lost_contact for m in members.list_members(db))
    # issue 14's cases: one member 转出中 (still on the roster), one under 留党察看
    (pending,) = transfers.transfers_in_progress(db, today=TODAY).values()
    assert members.get_member(db, uuid=pending.member_uuid).status == "active"
    assert any("留党察看至" in mark for mark in transfers.roster_marks(db, today=TODAY).values())
    other = store.open(tmp_path / "other.sqlite")
    try:
        assert _demo(other) == first
    finally:
        store.close(other)


def test_leaving_the_roster_ends_mobile_period(db) -> None:  # type: ignore[no-untyped-def]
    m = _member(db)
    transfers.start_mobile(
        db, member_uuid=m.uuid, province="山西省", reason="外派", started_on=date(2025, 6, 1), today=TODAY
    )
    assert transfers.transfer_reminders(db, today=TODAY)
    t = _out(db, m, issued_on=date(2026, 3, 1))
    period = transfers.list_mobile_periods(db, member_uuid=m.uuid)[0]
    assert period.ended_on == date(2026, 3, 1) and t.serial in period.end_reason
    assert transfers.transfer_reminders(db, today=TODAY) == []
    transfers.record_receipt(db, uuid=t.uuid, returned_on=TODAY, today=TODAY)
    assert members.get_member(db, uuid=m.uuid).status == "transferred_out"


def test_leave_roster_ends_the_mobile_period_or_changes_nothing(db) -> None:  # type: ignore[no-untyped-def]
    """The 转出/减员 of the member list (``leave_roster``): the member's open 外出 period ends the day they leave, with
    the reason; a refused archive (no reason) leaves the period and the roster as they were."""
    m = _member(db)
    transfers.start_mobile(
        db, member_uuid=m.uuid, province="山西省", reason="外派", started_on=date(2025, 6, 1), today=TODAY
    )
    with pytest.raises(ValidationError):
        transfers.leave_roster(db, uuid=m.uuid, status="removed", on=date(2026, 3, 1), reason=" ")
    assert transfers.list_mobile_periods(db, current_only=True, member_uuid=m.uuid)
    assert members.get_member(db, uuid=m.uuid).mobile_member
    transfers.leave_roster(db, uuid=m.uuid, status="removed", on=date(2026, 3, 1), reason="去世")
    (period,) = transfers.list_mobile_periods(db, member_uuid=m.uuid)
    assert (period.ended_on, period.end_reason) == (date(2026, 3, 1), "已减员：去世")
    left = members.get_member(db, uuid=m.uuid)
    assert (left.status, left.mobile_member, left.outflow_place) == ("removed", False, "")
    assert transfers.transfer_reminders(db, today=TODAY) == []


def test_monthly_workbook_carries_the_sheets(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    from db.workbook import export

    a, b = _member(db, "甲", 11), _member(db, "乙", 13)
    _out(db, a, issued_on=date(2026, 2, 10))
    transfers.start_mobile(
        db, member_uuid=b.uuid, province="山西省", reason="培训", started_on=date(2026, 1, 5), today=TODAY
    )
    result = export.export_monthly(db, month="2026-02", path=tmp_path / "m.xlsx")
    assert result.figures["转出人数"] == 1 and result.figures["流动党员人数"] == 1
    wb = load_workbook(tmp_path / "m.xlsx")
    rows = list(wb["组织关系转接"].iter_rows(values_only=True))
    assert rows[1][:3] == ("转出", "2026-001", "甲")
    assert list(wb["流动党员"].iter_rows(values_only=True))[1][:2] == ("乙", "山西省")


def test_last_paid_month_from_dues_ledger(db) -> None:  # type: ignore[no-untyped-def]
    from db import dues

    m = _member(db)
    assert transfers.last_paid_month(db, member_uuid=m.uuid, on=TODAY) is None
    dues.set_basis(
        db, member_uuid=m.uuid, from_month=date(2026, 1, 1), category="employed", base_fen=500000, today=TODAY
    )
    dues.record_payments(
        db,
        member_uuid=m.uuid,
        months=[date(2026, 1, 1), date(2026, 2, 1)],
        paid_on=date(2026, 2, 5),
        today=TODAY,
    )
    assert transfers.last_paid_month(db, member_uuid=m.uuid, on=TODAY) == "2026-02"


def test_migration_ends_the_periods_left_open_for_members_off_the_roster(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Migration 0025: a database written before leaving the roster ended the 外出 period (取消预备党员资格, the
    转出/减员 of the member list) has periods still open for members who left. They end the day the member left,
    with the roster's reason; a period of a member still on the roster stays open, and so does its flag."""
    import sqlite_utils

    from db.migrations import migrations
    from db.rows import query

    old = sqlite_utils.Database(tmp_path / "old.sqlite")
    migrations.apply(old, stop_before="0025_end_mobile_periods_off_roster")
    members_sql = (
        "INSERT INTO members (id, uuid, name, category, status, status_on, status_reason, mobile_member,"
        " outflow_place, created_at, updated_at) VALUES (?, ?, ?, 'full', ?, ?, ?, 1, '山西省', 'x', 'x')"
    )
    for row in (
        (1, "m1", "甲", "active", None, ""),
        (2, "m2", "乙", "removed", "2024-05-10", "取消预备党员资格：严重违纪"),
        (
            3,
            "m3",
            "丙",
            "transferred_out",
            "2023-01-01",
            "组织关系转至机关支部",
        ),  # left before the period began
    ):
        old.execute(members_sql, row)
    for i in (1, 2, 3):
        old.execute(
            "INSERT INTO mobile_periods (uuid, member_id, province, started_on, created_at, updated_at)"
            " VALUES (?, ?, '山西省', '2023-06-01', 'x', 'x')",
            [f"p{i}", i],
        )
    old.conn.commit()
    migrations.apply(old)
    periods = query(old, "SELECT uuid, ended_on, end_reason FROM mobile_periods ORDER BY id")
    assert [(p["uuid"], p["ended_on"], p["end_reason"]) for p in periods] == [
        ("p1", None, ""),
        ("p2", "2024-05-10", "已减员：取消预备党员资格：严重违纪"),
        ("p3", "2023-06-01", "已转出：组织关系转至机关支部"),
    ]
    flags = query(old, "SELECT uuid, mobile_member, outflow_place FROM members ORDER BY id")
    assert [(f["uuid"], f["mobile_member"], f["outflow_place"]) for f in flags] == [
        ("m1", 1, "山西省"),
        ("m2", 0, ""),
        ("m3", 0, ""),
    ]
    old.close()
