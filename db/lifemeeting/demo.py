"""The demo branch's 组织生活会 (issue 20): the latest held one gets its preparation and its 整改清单 — opinions from
members, the masses and the upper 党委; talks before it with a few pairs left missing; most members' 对照检查材料;
批评与自我批评 of the committee; three 整改 items on the 检查整改 page, one closed, one rectified, one open."""

from __future__ import annotations

from datetime import date, timedelta
from random import Random

from db.branch import list_committee
from db.lifemeeting.preparation import add_opinion, people, set_criticism, set_material
from db.lifemeeting.rectification import add_item
from db.lifemeeting.talks import talk_pairs, talk_window
from db.meetings import list_meetings, record_heart_talk
from db.members import list_members
from db.projects import close_finding, rectify_finding
from db.store import Database

_OPINIONS = (
    ("member", "", "支部学习有时流于读文件，希望多结合井下安全生产实际讨论。"),
    ("member", "", "党小组会时间安排与倒班冲突，建议按班次错开召开。"),
    ("masses", "综采队职工", "希望党员在夜班带班时多到现场，及时解决设备问题。"),
    ("upper", "矿党委组织部", "支部“三会一课”记录需更规范，整改问题要对单销号。"),
)
_CRITICISM = (
    ("对新入党同志的谈心关心不够，压力传导不到位。", "抓支部工作多，抓思想工作少。"),
    ("学习不够系统，理论联系实际不够。", "在班组中宣传党的政策不够主动。"),
    ("对安全生产中的苗头问题提醒不及时。", "批评同志时有顾虑，怕伤和气。"),
)
_ITEMS = (
    ("支部学习联系实际不够", "每次学习结合一项井下安全生产实际问题讨论", 60),
    ("党小组会与倒班冲突，参会率偏低", "党小组会按班次错开召开，组织委员每月核对参会情况", 45),
    ("对新党员的谈心谈话不及时", "书记每季度与新入党同志谈心一次并登记", 120),
)


def demo_life_meeting(db: Database, *, rng: Random, today: date) -> None:
    """Fill the preparation and 整改清单 of the latest held 组织生活会 (none held: nothing to do)."""
    held = [m for m in list_meetings(db, kind="life_meeting", status="held") if m.held_on <= today]
    if not held:
        return
    m = max(held, key=lambda x: x.held_on)
    members = people(db, m.uuid)
    if len(members) < 3:
        return
    first, last = talk_window(m)
    before = max(first, m.held_on - timedelta(days=20))
    for i, (kind, who, text) in enumerate(_OPINIONS):
        add_opinion(
            db,
            meeting_uuid=m.uuid,
            source_kind=kind,
            member_uuid=members[(i * 5 + 2) % len(members)][0] if kind == "member" else None,
            source_name=who,
            received_on=before + timedelta(days=i),
            text=text,
            today=today,
        )
    # talks before the meeting: all but the last two missing pairs
    missing = [p for p in talk_pairs(db, meeting_uuid=m.uuid) if p.missing]
    joined = {x.uuid: x.joined_on or first for x in list_members(db, status=None)}
    for i, p in enumerate(missing[:-2]):
        on = max(min(before + timedelta(days=5 + i % 10), last), joined[p.a_uuid], joined[p.b_uuid])
        if on > last:
            continue
        record_heart_talk(
            db,
            held_on=on,
            participant_uuids=[p.a_uuid, p.b_uuid],
            topic="组织生活会前谈心谈话",
            summary="相互指出问题，交换意见。",
            today=today,
        )
    for i, (member_uuid, _name) in enumerate(members):
        if i % 7 != 6:  # a few have not handed in their material
            set_material(
                db,
                meeting_uuid=m.uuid,
                member_uuid=member_uuid,
                submitted_on=min(m.held_on - timedelta(days=1 + rng.randrange(5)), today),
                today=today,
            )
    committee = {c.member_uuid for c in list_committee(db, on=m.held_on)}
    committee_first = sorted(members, key=lambda x: x[0] not in committee)
    for (member_uuid, _name), (own, received) in zip(committee_first, _CRITICISM, strict=False):
        set_criticism(
            db, meeting_uuid=m.uuid, member_uuid=member_uuid, self_criticism=own, criticism=received
        )
    items = []
    for i, (problem, measure, days) in enumerate(_ITEMS):
        items.append(
            add_item(
                db,
                meeting_uuid=m.uuid,
                problem=problem,
                measure=measure,
                owner_uuid=members[i][0],
                deadline=m.held_on + timedelta(days=days),
                today=today,
            )
        )
    done = min(m.held_on + timedelta(days=30), today)
    close_finding(
        db,
        uuid=items[0].uuid,
        closed_on=min(done + timedelta(days=5), today),
        rectified_on=done,
        evidence="学习记录已附实际问题讨论",
        today=today,
    )
    rectify_finding(db, uuid=items[1].uuid, rectified_on=done, evidence="党小组会已按班次调整", today=today)
