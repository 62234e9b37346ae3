"""Demo data of transfers, mobile members and standing events (``db.demo`` calls ``demo_transfers``)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from db import branch as branch_db
from db import dues
from db import members as members_db
from db.ids import drawn_uuid
from db.records import Member
from db.rules import add_months, make_citizen_id, yuan_to_fen
from db.store import Database
from db.transfers.queries import last_paid_month
from db.transfers.records import Transfer
from db.transfers.service import record_receipt, settle_transfers_out, transfer_in, transfer_out
from db.transfers.standing import record_event, start_mobile


def ordinary_members(db: Database, *, today: date) -> list[Member]:
    """The full members a demo step may pick for a change of its own, in roster order: none who holds an office
    today (committee member, party group leader), is lost or is working away as a mobile member."""
    busy = {c.member_uuid for c in branch_db.list_committee(db, on=today)}
    busy |= {g.leader_uuid for g in branch_db.list_party_groups(db) if g.leader_uuid}
    return [
        m
        for m in members_db.list_members(db)
        if m.category == "full" and m.uuid not in busy and not m.lost_contact and not m.mobile_member
    ]


def demo_transfers(db: Database, *, rng: Any, today: date) -> None:
    """Demo data: two transfers out (one receipt returned, one overdue: its validity ended, so 已转出), one issued
    ten days ago (转出中: still on the roster), a transfer in with development dates, a mobile member away 8 months
    (a transfer is due) and one away 2 months, a lost-contact event, a member under 留党察看.

    Only ordinary full members are picked (not committee members, group leaders, or members already lost or
    mobile). Deterministic for a given ``rng``/``today``, uuids included. Dues months come from the dues ledger
    when it has them.
    """

    def uid() -> str:
        return drawn_uuid(rng)

    ordinary = [m for m in ordinary_members(db, today=today) if m.joined_on and m.full_on]
    if len(ordinary) < 5:
        return
    picks = rng.sample(ordinary, 5)
    units = ["同煤集团塔山煤矿第二党支部", "晋能控股煤业集团燕子山矿综采队党支部", "大同市云冈区西街社区党委"]
    addressees = [
        "中共同煤集团塔山煤矿委员会",
        "中共晋能控股煤业集团燕子山矿委员会",
        "中共大同市云冈区西街社区委员会",
    ]

    def send(member: Member, months_ago: int, unit: int, *, prepaid: int = 0) -> Transfer:
        assert member.full_on is not None  # only full members with a full_on date are picked
        issued = max(add_months(today, -months_ago), member.full_on)
        if prepaid:
            _prepay(db, member.uuid, issued, months=prepaid, today=today)
        dues_month = (
            last_paid_month(db, member_uuid=member.uuid, on=issued) or f"{add_months(issued, -1):%Y-%m}"
        )
        return transfer_out(
            db,
            member_uuid=member.uuid,
            addressee=addressees[unit],
            to_unit=units[unit],
            issued_on=issued,
            # a prepaid member's 党费交至 is later than the issue month (the letter says so; issue 14)
            dues_paid_to=dues_month if prepaid else min(dues_month, f"{issued:%Y-%m}"),
            validity_days=rng.choice((10, 30)) if unit == 2 else 30,
            today=today,
            record_uuid=uid(),
        )

    first = send(picks[0], 7, 0, prepaid=2)
    record_receipt(
        db, uuid=first.uuid, returned_on=min(first.issued_on + timedelta(days=12), today), today=today
    )
    send(picks[1], 2, 1)  # no receipt after two months: overdue

    birth = date(1988 + rng.randrange(6), 1 + rng.randrange(12), 1 + rng.randrange(28))
    cid = make_citizen_id("140211", birth, 101 + 2 * rng.randrange(400))
    joined = add_months(birth, 12 * 25)
    arrived = add_months(today, -3)
    transfer_uuid, member_uuid = uid(), uid()
    if members_db.find_by_citizen_id(db, citizen_id=cid) is None:
        transfer_in(
            db,
            values={
                "name": rng.choice(["郭建军", "贾志强", "乔晓东"]),
                "citizen_id": cid,
                "category": "full",
                "ethnicity": "汉族",
                "education": "大学专科",
                "job": "综采队电工",
                "post_code": "016",
                "front_line": True,
            },
            from_unit=units[0],
            letter_serial=f"{arrived.year}-{rng.randrange(10, 99):03d}",
            arrived_on=arrived,
            development={
                "applied_on": add_months(joined, -24),
                "activist_on": add_months(joined, -18),
                "candidate_on": add_months(joined, -3),
                "joined_on": joined,
                "full_on": add_months(joined, 12),
            },
            today=today,
            record_uuid=transfer_uuid,
            member_uuid=member_uuid,
            scope="within",
        )
        _dues_since_arrival(db, member_uuid, arrived, today=today)
    # two members working away: where, why, how many months ago they left and in how many they are back
    away = (
        ("内蒙古自治区", "鄂尔多斯市", "准格尔旗", "外派支援兄弟矿井建设", 8, 4),
        ("陕西省", "榆林市", "神木市", "设备厂家驻厂学习", 2, 1),
    )
    for member, (province, city, county, reason, gone, back) in zip(picks[2:4], away, strict=True):
        start_mobile(
            db,
            member_uuid=member.uuid,
            province=province,
            city=city,
            county=county,
            reason=reason,
            started_on=add_months(today, -gone),
            contact=member.mobile,
            expected_return_on=add_months(today, back),
            today=today,
            record_uuid=uid(),
        )
    lost = picks[4]
    record_event(
        db,
        member_uuid=lost.uuid,
        kind="lost_contact",
        happened_on=max(add_months(today, -5), lost.joined_on),
        reason="长期外出务工，电话停机，多方联系未果",
        today=today,
        record_uuid=uid(),
    )
    # Issue 14's cases, drawn from a copy of the generator so the parts after this one stay as they were.
    # Seeded from the state's text: hash() of the state is not repeatable (hash(None) varies between runs).
    extra = random.Random(repr(rng.getstate()))
    rest = [m for m in ordinary if m not in picks]
    if len(rest) >= 2:
        pending, watched = extra.sample(rest, 2)
        assert pending.full_on is not None  # only full members with a full_on date are picked
        issued = max(today - timedelta(days=10), pending.full_on)
        transfer_out(
            db,
            member_uuid=pending.uuid,
            addressee=addressees[2],
            to_unit=units[2],
            issued_on=issued,
            dues_paid_to=min(
                last_paid_month(db, member_uuid=pending.uuid, on=issued) or f"{add_months(issued, -1):%Y-%m}",
                f"{issued:%Y-%m}",
            ),
            validity_days=30,
            today=today,
            record_uuid=drawn_uuid(extra),
        )
        start = max(add_months(today, -4), watched.joined_on or today)
        record_event(
            db,
            member_uuid=watched.uuid,
            kind="probation_watch",
            happened_on=start,
            ends_on=add_months(start, 12),
            decision="矿党委 党纪〔" + str(start.year) + "〕2号",
            reason="违反工作纪律，造成严重后果",
            today=today,
            record_uuid=drawn_uuid(extra),
        )
    settle_transfers_out(db, today=today)  # the overdue letter's validity has ended: 已转出


def _prepay(db: Database, member_uuid: str, issued: date, *, months: int, today: date) -> None:
    """Before leaving, the member pays ``months`` months ahead (预交) on the day the letter is issued."""
    start = issued.replace(day=1)
    for k in range(months + 1):
        month = add_months(start, k)
        entries = dues.month_ledger_for(db, member_uuid=member_uuid, months=[month])
        if entries and entries[0].due_fen is not None and not entries[0].paid:  # without a basis: nothing due
            dues.record_payments(db, member_uuid=member_uuid, months=[month], paid_on=issued, today=today)


def _dues_since_arrival(db: Database, member_uuid: str, arrived: date, *, today: date) -> None:
    """The member transferred in pays from the month of arrival (a basis from then, every month since paid): the
    months before belong to the former branch, so there are no arrears for them (issue 14)."""
    first = arrived.replace(day=1)
    dues.set_basis(
        db,
        member_uuid=member_uuid,
        from_month=first,
        category="employed",
        base_fen=yuan_to_fen("6200"),
        today=today,
        note="转入当月核定",
    )
    month = first
    while month < today.replace(day=1):
        dues.record_payments(
            db, member_uuid=member_uuid, months=[month], paid_on=max(arrived, month), today=today
        )
        month = add_months(month, 1)
