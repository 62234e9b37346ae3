"""The demo branch's last year, complete for the yearly statistics: every column of table 1 has someone in it
(developed, re-admitted, restored, reinstated after 停止党籍, transferred in from inside and outside the system and
with a whole organisation; expelled, withdrawn, persuaded, removed after persuasion, self-lapsed, probation
cancelled, suspended, died, transferred out alone and with a whole organisation), and the balance closes; and the
last columns of tables 10, 15, 33 and 43 (``_last_gaps``).
Deterministic for a given ``rng``/``today``, uuids included."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from db import audit, edits
from db import branch as branch_db
from db import dues as dues_db
from db import members as members_db
from db.development.demo import _vote_values
from db.development.service import add_person
from db.development.steps import add_step
from db.development.votes import entitled_voters
from db.dues.ledger import ledger_of, load_state
from db.dues.payments import write_payment
from db.dues.records import add_month, month_key, month_start
from db.ids import drawn_uuid
from db.records import Member
from db.rules import make_citizen_id
from db.statistics.changes import UNKNOWN, ManualChange, all_changes, record_change
from db.statistics.populations import CITY_KEY, PROVINCE_KEY
from db.store import Database
from db.transfers.demo import _dues_since_arrival, ordinary_members
from db.transfers.service import record_receipt, transfer_in, transfer_out
from db.transfers.standing import record_event, start_mobile

NEWCOMERS = (
    "韩立新",
    "武建平",
    "赵雪梅",
    "闫志刚",
    "冯晓燕",
    "宋春生",
)  # the six who join or leave last year
UNITS = ("同煤集团塔山煤矿第二党支部", "大同市云冈区西街社区党委", "晋能控股煤业集团机电修配厂党支部")


def demo_statistics(db: Database, *, rng: Any, today: date) -> None:
    year = today.year - 1

    def uid() -> str:
        return drawn_uuid(rng)

    def day(month: int, dd: int) -> date:
        return date(year, month, dd)

    moved = {r[0] for r in db.execute("SELECT m.uuid FROM transfers t JOIN members m ON m.id = t.member_id")}
    ordinary = [
        m
        for m in ordinary_members(db, today=today)
        if m.uuid not in moved
        and m.standing == "normal"
        and m.full_on is not None
        and m.full_on < date(year - 1, 1, 1)
    ]
    if len(ordinary) < 11:
        return
    picks = rng.sample(ordinary, 11)
    seq = iter(range(601, 999, 2))

    def newcomer(i: int, joined: date, category: str = "full") -> dict[str, Any]:
        birth = date(1970 + rng.randrange(13), 1 + rng.randrange(12), 1 + rng.randrange(28))
        female = NEWCOMERS[i][-1] in "梅燕"
        values: dict[str, Any] = {
            "name": NEWCOMERS[i],
            "gender": "female" if female else "male",
            "ethnicity": "汉族",
            "birth_date": birth,
            "citizen_id": make_citizen_id("140211", birth, next(seq) + female),  # odd: male, even: female
            "education": "大学专科",
            "category": category,
            "joined_on": joined,
            "job": "综采队检修工",
            "front_line": True,  # a face maintenance fitter works at the 生产一线: coded like the demo's other miners
        }
        if category == "full":
            values["full_on"] = date(joined.year + 1, joined.month, min(joined.day, 28))
        return values

    def change(member_uuid: str, direction: str, on: date, reason: str, note: str, detail: str = "") -> None:
        """A change recorded by the secretary (补记变动原因), as the dialog records it."""
        record_change(
            db, change=ManualChange(member_uuid, direction, on, reason, detail, note), record_uuid=uid()
        )

    # 增加
    readmitted = members_db.add_member(db, values=newcomer(0, day(4, 18), "probationary"), member_uuid=uid())
    change(
        readmitted.uuid,
        "add",
        day(4, 18),
        "readmitted",
        "2009年自行脱党除名，本年经支部党员大会讨论、上级党委批准重新入党",
    )
    restored = members_db.add_member(db, values=newcomer(1, date(2003, 7, 1)), member_uuid=uid())
    change(
        restored.uuid, "remove", date(2019, 5, 20), "left_party", "2019年受开除党籍处分", detail="expulsion"
    )
    change(restored.uuid, "add", day(6, 12), "restored", "经复查撤销原处分，上级党委决定恢复党籍")
    paying = [(readmitted.uuid, day(4, 18)), (restored.uuid, day(6, 12))]
    arrivals = (("within", False, 3), ("outside", False, 5), ("within", True, 9))
    for i, (scope, whole, month) in enumerate(arrivals, start=2):
        values = newcomer(i, date(2005 + 3 * i, 7, 1))
        arrival = transfer_in(
            db,
            values={k: v for k, v in values.items() if k not in ("joined_on", "full_on")},
            from_unit=UNITS[i - 2],
            letter_serial=f"{year}-{rng.randrange(100, 999)}",
            arrived_on=day(month, 8),
            development={"joined_on": values["joined_on"], "full_on": values["full_on"]},
            today=today,
            record_uuid=uid(),
            member_uuid=uid(),
            scope=scope,
            whole_unit=whole,
        )
        paying.append((arrival.member_uuid, day(month, 8)))
    developed = members_db.add_member(db, values=newcomer(5, day(10, 16), "probationary"), member_uuid=uid())
    paying.append((developed.uuid, day(10, 16)))  # 发展党员 from its 加入党组织日期
    for member_uuid, since in paying:  # the dues ledger from the month they joined the roster
        _dues_since_arrival(db, member_uuid, since, today=today)
    # 停止党籍 the year before and 恢复党籍 this year, then the year's 减少 (standing events)
    events = [
        (picks[0], "suspended", date(year - 1, 11, 3), "失去联系超过6个月，支部党员大会决定停止党籍"),
        (picks[0], "reinstated", day(3, 21), "本人主动联系并说明情况，支部党员大会决定恢复党籍"),
    ]
    leaving = (
        ("expulsion", day(2, 26), "严重违反党的纪律，上级纪委决定开除党籍"),
        ("withdrawal", day(4, 9), "本人申请退党，支部党员大会讨论后除名"),
        ("persuaded", day(5, 30), "民主评议为不合格党员，经教育仍无转变，劝其退党"),
        ("removal_persuaded", day(7, 15), "劝退后本人坚持不退，支部党员大会决定除名"),
        ("removal_lapsed", day(8, 22), "连续六个月不参加组织生活、不交纳党费，按自行脱党除名"),
        ("deceased", day(11, 2), "因病去世"),
        ("suspended", day(9, 10), "失去联系超过6个月，支部党员大会决定停止党籍"),
    )
    events += [(member, *event) for member, event in zip(picks[1:8], leaving, strict=True)]
    for member, kind, on, reason in events:
        record_event(
            db,
            member_uuid=member.uuid,
            kind=kind,
            happened_on=on,
            reason=reason,
            today=today,
            record_uuid=uid(),
        )
    for member, (month, whole) in zip(picks[8:10], ((6, False), (12, True)), strict=True):
        letter = transfer_out(
            db,
            member_uuid=member.uuid,
            addressee="中共晋能控股煤业集团委员会",
            to_unit=UNITS[2],
            issued_on=day(month, 1),
            today=today,
            record_uuid=uid(),
            whole_unit=whole,
        )
        record_receipt(db, uuid=letter.uuid, returned_on=day(month, 15), today=today)
    _complete_reasons(db, year=year, change=change)
    _cancel_probation(
        db,
        newcomer_member=members_db.add_member(
            db, values=newcomer(4, date(year - 1, 8, 20), "probationary"), member_uuid=uid()
        ).uuid,
        on=day(8, 28),
        event_uuid=uid(),
    )
    rest = [m for m in ordinary if m not in picks]
    committee = [c.member_uuid for c in branch_db.list_committee(db, on=today)]
    if len(rest) >= 4 and len(committee) >= 2:
        _last_gaps(db, rest, committee[:2], year=year, today=today, uid=uid)
    _dues_before_collection(db, year=year, today=today)


def _dues_before_collection(db: Database, *, year: int, today: date) -> None:
    """The year's dues before the twelve months the dues part's demo collects (``db.dues.demo``), so that the
    year's table 2补 counts everyone as the ledger says instead of 党费记录不全: a basis from the first month owed
    for whoever has none (an ordinary employed one, by roster position, no draw of ``rng``) and every month owed
    paid on the 10th. The months the dues demo collects, with their arrears, are left as they are."""
    collected = add_month(month_start(today), -11)
    months = [date(year, m, 1) for m in range(1, 13) if date(year, m, 1) < collected]
    if not months:
        return
    keys = [month_key(m) for m in months]
    state = load_state(db, months=keys)
    first_owed: dict[str, date] = {}
    for month in months:
        for entry in ledger_of(state, month):
            if entry.due_fen is None:
                first_owed.setdefault(entry.member_uuid, month)
    for n, (member_uuid, month) in enumerate(first_owed.items()):
        dues_db.set_basis(
            db,
            member_uuid=member_uuid,
            from_month=month,
            category="employed",
            base_fen=420_000 + (n % 9) * 70_000,
            today=month,
            note="按上年度收入核定",
            source="demo",
        )
    state = load_state(db, months=keys)
    ids = {m.uuid: i for i, m in state.by_id.items()}
    for month in months:
        for entry in ledger_of(state, month):
            if not entry.paid and entry.due_fen:
                write_payment(
                    db, state, ids[entry.member_uuid], entry, paid_on=month.replace(day=10), source="demo"
                )


def _last_gaps(
    db: Database, rest: list[Member], mentors: list[str], *, year: int, today: date, uid: Any
) -> None:
    """What the last columns count, in the same year: the branch in 山西 (大同) with one member away inside the province (太原: 省内跨市)
    (holding the 《流动党员活动证》) and one in 河北; one out of contact since March after changing employer; one
    whose 党籍 the upper 党委 did not recognise (出党: 不予承认); and a 预备党员 admitted the year before whose 转正
    the 支部党员大会 discussed eight weeks after the probation ended (推迟讨论转正)."""
    if not branch_db.get_setting(db, key=PROVINCE_KEY, default=""):
        branch_db.set_setting(db, key=PROVINCE_KEY, value="山西")
    if not branch_db.get_setting(db, key=CITY_KEY, default=""):
        branch_db.set_setting(db, key=CITY_KEY, value="大同")
    away = (("山西省", "太原市", "省城驻点销售", True), ("河北省", "张家口市", "随设备厂家安装调试", False))
    for member, (province, city, reason, card) in zip(rest[:2], away, strict=True):
        start_mobile(
            db,
            member_uuid=member.uuid,
            province=province,
            city=city,
            reason=reason,
            started_on=date(year, 5, 6),
            contact=member.mobile,
            activity_card=card,
            today=today,
            record_uuid=uid(),
        )
    record_event(
        db,
        member_uuid=rest[2].uuid,
        kind="lost_contact",
        happened_on=date(year, 3, 2),
        reason="离职后到外地民营企业工作，电话更换，多方联系未果",
        situation="employer_changed",
        today=today,
        record_uuid=uid(),
    )
    members_db.archive_member(
        db, uuid=rest[3].uuid, status="removed", on=date(year, 10, 20), reason="上级党委决定党籍不予承认"
    )
    record_change(
        db,
        change=ManualChange(
            member_uuid=rest[3].uuid,
            direction="remove",
            happened_on=date(year, 10, 20),
            reason="left_party",
            detail="not_recognised",
            note="入党时未经政治审查，上级党委复查后决定不予承认其党籍",
        ),
        record_uuid=uid(),
    )
    _late_full_vote(db, mentors, year=year, today=today)
    unkept = [m for m in rest if dues_db.basis_for(db, member_uuid=m.uuid, month=date(year, 1, 1)) is None]
    if len(unkept) >= 3:  # the dues part's own year does not reach back to January of the year
        _dues_of_the_year(db, unkept[:3], year=year, today=today)


def _dues_of_the_year(db: Database, members: list[Member], *, year: int, today: date) -> None:
    """Three members' dues of the year as table 2's 补充资料 counts them: one reduced and one exempt with the
    branch's decision and the upper 党委's approval, one paying monthly who also gave 1,000 yuan more at once."""
    months = [date(year, m, 1) for m in range(1, 13)]
    for member, reduced_fen, why in zip(
        members, (1_000, 0, None), ("家庭遭遇重大变故，生活困难", "长期患病，无收入", ""), strict=True
    ):
        dues_db.set_basis(
            db,
            member_uuid=member.uuid,
            from_month=months[0],
            category="employed",
            base_fen=450_000,
            reduced_fen=reduced_fen,
            decision_note=why,
            approval_note="上级党委批复同意" if why else "",
            decision_on=date(year - 1, 12, 18) if why else None,
            approved_on=date(year - 1, 12, 26) if why else None,
            today=today,
        )
        if reduced_fen == 0:
            continue  # exempt: nothing to pay
        for entry in dues_db.month_ledger_for(db, member_uuid=member.uuid, months=months):
            month, due = entry.month, entry.due_fen or 0
            if entry.paid:  # collected by the dues part's demo already
                continue
            extra = 100_000 if reduced_fen is None and month.month == 7 else 0
            dues_db.record_payments(
                db,
                member_uuid=member.uuid,
                months=[month],
                paid_on=month.replace(day=8),
                paid_fen=due + extra,
                note="自愿多交党费1000元" if extra else "",
                today=today,
            )


def _late_full_vote(db: Database, mentors: list[str], *, year: int, today: date) -> None:
    """A person developed the usual way, admitted on 10 March of the year before, whose 转正 was discussed on 5
    May (the probation ended on 10 March) and approved on 25 May; paying dues from admission like the others."""
    vote_on = date(year - 1, 3, 10)
    birth = date(year - 28, 9, 14)
    person = add_person(
        db,
        values={
            "name": "胡晓东",
            "gender": "male",
            "citizen_id": make_citizen_id("140211", birth, 733),
            "birth_date": birth,
            "education": "大学本科",
            "job": "采煤技术员",
            "post_code": "015",
            "front_line": True,
        },
        applied_on=date(year - 4, 3, 5),
        today=today,
    )
    steps: tuple[tuple[str, date, dict[str, Any]], ...] = (
        ("talk", date(year - 4, 3, 20), {}),
        ("activist_decision", date(year - 4, 6, 10), {}),
        ("mentors", date(year - 4, 6, 15), {"members": mentors}),
        ("activist_review", date(year - 4, 12, 10), {}),
        ("candidate_decision", date(year - 3, 6, 20), {}),
        ("introducers", date(year - 3, 6, 27), {"members": mentors}),
        ("political_review", date(year - 3, 7, 10), {}),
        ("training", date(year - 3, 7, 15), {"days": 3, "hours": 24}),
        ("committee_review", date(year - 2, 11, 10), {}),
        ("upper_prereview", date(year - 2, 11, 20), {}),  # 细则第二十条: before the 支部党员大会
        ("application_form", date(year - 2, 12, 1), {"number": f"{year - 2}035"}),
        ("admission_vote", vote_on, {}),
        ("upper_talk", date(year - 1, 3, 28), {}),
        ("upper_approval", date(year - 1, 4, 2), {}),
        ("full_application", date(year, 2, 20), {}),
        ("full_vote", date(year, 5, 5), {}),
        ("full_approval", date(year, 5, 25), {}),
    )
    for kind, on, values in steps:
        if kind.endswith("_vote"):
            values = _vote_values(len(entitled_voters(db, on=on)))
        add_step(
            db,
            person_uuid=person.uuid,
            kind=kind,
            on=on,
            values=values,
            reason="本人在外地参加技术培训，支部推迟讨论转正" if kind == "full_vote" else "",
            today=today,
        )
    member = members_db.find_by_citizen_id(db, citizen_id=person.citizen_id or "")
    if member is not None:
        _dues_since_arrival(db, member.uuid, vote_on, today=today)


def _complete_reasons(db: Database, *, year: int, change: Callable[[str, str, date, str, str], None]) -> None:
    """Members the roster demo archived last year with only a note (no standing event, no letter): the reason
    recorded as the secretary does when the balance names them (补记变动原因)."""
    for c in all_changes(db):
        if c.reason != UNKNOWN or c.on is None or c.on.year != year or c.direction != "remove":
            continue
        dead = "去世" in c.source
        if not dead and not c.problem.startswith("已转出"):
            continue
        change(c.member_uuid, "remove", c.on, "deceased" if dead else "transfer_out", "补记：" + c.source)


def _cancel_probation(db: Database, *, newcomer_member: str, on: date, event_uuid: str) -> None:
    """A probationary member admitted the year before whose probation was cancelled last year (as the
    development part records it after the 上级党委's approval: the standing event, then off the roster)."""
    reason = "预备期内不履行党员义务，支部党员大会讨论、上级党委批准取消预备党员资格"
    member_id = db.execute("SELECT id FROM members WHERE uuid = ?", [newcomer_member]).fetchone()[0]
    edits.insert_row(
        db,
        "member_events",
        {
            "member_id": member_id,
            "kind": "probation_cancelled",
            "happened_on": on.isoformat(),
            "reason": reason,
        },
        uuid=event_uuid,
    )
    audit.Trail(db, "member_event", event_uuid, source="demo").create(
        "kind", new=f"取消预备党员资格：{reason}"
    )
    members_db.archive_member(
        db, uuid=newcomer_member, status="removed", on=on, reason=f"取消预备党员资格：{reason}"
    )
