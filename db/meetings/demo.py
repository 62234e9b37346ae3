"""Demo data for meetings: a year of realistic organisational life for the demo branch (``db.demo``)."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from db.branch import get_setting, list_committee, list_party_groups
from db.meetings.exchange import month_range
from db.meetings.minutes import add_decision, record_heart_talk, voters_present
from db.meetings.queries import get_meeting, list_attendance
from db.meetings.records import AttendanceEntry
from db.meetings.service import hold_meeting, lock_minutes, plan_meeting
from db.members import list_members
from db.store import Database

_DEMO_TOPICS = {
    "branch_assembly": [
        "学习传达上级党委会议精神",
        "讨论发展党员事宜",
        "审议支部年度工作计划",
        "通报党费收缴情况",
        "研究安全生产重点工作",
    ],
    "committee_meeting": [
        "研究本月党建重点工作",
        "部署安全生产大检查",
        "研究党员示范岗设置",
        "讨论困难党员帮扶",
        "研究入党积极分子培养",
    ],
    "group_meeting": ["学习《中国共产党章程》", "交流岗位安全心得", "学习煤矿安全规程", "讨论班组技术革新"],
    "party_lecture": [
        "弘扬煤矿精神 争做先锋党员",
        "学习党的二十大精神",
        "以案为鉴 廉洁从业",
        "安全生产与党员责任",
    ],
    "theme_day": ["重温入党誓词", "安全隐患排查志愿服务", "参观红色教育基地", "走访慰问退休老党员"],
    "life_meeting": ["年度组织生活会：对照检查 批评与自我批评"],
    "appraisal": ["年度民主评议党员"],
}
_DEMO_REASONS = ["下井当班", "病假", "外出培训", "事假", "年休假", "家中有事", "出差"]
_DEMO_PLACES = ["矿党员活动室", "综采队会议室", "调度楼三楼会议室", "掘进队学习室"]


def demo_meetings(db: Database, *, rng: random.Random, today: date) -> None:
    """A year of realistic meetings ending at ``today``: every kind at its frequency, with attendance (some on
    leave with reasons), minutes, votes at branch assemblies, an appraisal, heart talks; the most recent
    complete quarter has no branch assembly, so compliance has something to report. Deterministic for
    ``rng``/``today``."""
    members = list_members(db)
    if not members:
        return
    groups = list_party_groups(db)
    committee = list_committee(db, on=today)
    secretary = committee[0].member_uuid if committee else members[0].uuid
    recorder = committee[1].member_uuid if len(committee) > 1 else members[-1].uuid
    start = date(today.year - 1, today.month, 1) + timedelta(days=31)
    start = start.replace(day=1)
    # the last complete quarter before today's quarter has no branch assembly
    q_index = (today.month - 1) // 3
    skip_q = (today.year, q_index - 1) if q_index > 0 else (today.year - 1, 3)

    def hold(kind: str, on: date, *, group: str | None = None, topic: str | None = None) -> None:
        if on > today:
            return
        m = plan_meeting(
            db,
            kind=kind,
            planned_on=on,
            topic=topic or rng.choice(_DEMO_TOPICS[kind]),
            planned_time=rng.choice(["08:30", "14:00", "16:30", "19:00"]),
            place=rng.choice(_DEMO_PLACES),
            host_uuid=secretary,
            recorder_uuid=recorder,
            party_group_uuid=group,
            lecturer=(rng.choice(members).name if kind == "party_lecture" else ""),
            is_election=False,
        )
        if on == today:
            return  # today's meeting stays planned: its sign-in sheet is printed now
        entries = []
        for a in list_attendance(db, meeting_uuid=m.uuid):
            roll = rng.random()
            if roll < 0.10:
                entries.append(AttendanceEntry(a.member_uuid, "leave", rng.choice(_DEMO_REASONS)))
            elif roll < 0.12:
                entries.append(AttendanceEntry(a.member_uuid, "absent", "未请假，已谈话提醒"))
            else:
                entries.append(AttendanceEntry(a.member_uuid, "present"))
        if kind in ("branch_assembly", "theme_day") and rng.random() < 0.5:
            entries.append(
                AttendanceEntry(None, "observer", observer_name=rng.choice(["王晓东", "刘佳", "陈磊"]))
            )
        hh, mm = map(int, m.planned_time.split(":"))
        started = datetime.combine(on, time(hh, mm))
        hold_meeting(
            db,
            uuid=m.uuid,
            started_at=started,
            ended_at=started + timedelta(minutes=rng.choice([60, 90, 120])),
            content=f"{m.topic}。与会党员结合岗位实际进行了学习讨论。",
            speaking_points="书记作主题发言；党员逐一发言，结合安全生产谈认识和打算。",
            attendance=entries,
            today=today,
        )
        if kind == "branch_assembly":
            voters = voters_present(db, get_meeting(db, uuid=m.uuid))
            against = rng.choice([0, 0, 1])
            add_decision(
                db,
                meeting_uuid=m.uuid,
                subject=m.topic,
                votes_for=voters - against,
                votes_against=against,
                votes_abstain=0,
                resolution="会议表决通过。",
            )
        if on < today - timedelta(days=14):
            lock_minutes(db, uuid=m.uuid, at=datetime.combine(on + timedelta(days=3), time(9, 0)))

    month = start
    theme_day = int(get_setting(db, key="theme_day_of_month", default=15))
    while month <= today:
        last_day = (month_range(month)[1]).day
        q = (month.month - 1) // 3
        hold("committee_meeting", month.replace(day=min(5 + rng.randrange(3), last_day)))
        hold("theme_day", month.replace(day=min(theme_day, last_day)))
        for g in groups:
            hold("group_meeting", month.replace(day=min(18 + rng.randrange(6), last_day)), group=g.uuid)
        if month.month % 3 == 2 and (month.year, q) != skip_q:
            hold("branch_assembly", month.replace(day=min(20 + rng.randrange(5), last_day)))
        if month.month % 3 == 1:
            hold("party_lecture", month.replace(day=min(25, last_day)))
        if month.month == 1:
            # last year's 组织生活会, held in January: it counts for its 年度 (issue 14)
            hold(
                "life_meeting",
                month.replace(day=16),
                topic=f"{month.year - 1}{_DEMO_TOPICS['life_meeting'][0]}",
            )
        if month.month == 12:
            hold("appraisal", month.replace(day=min(28, last_day)), topic=_DEMO_TOPICS["appraisal"][0])
        month = (month + timedelta(days=32)).replace(day=1)

    # the next theme day is already on the calendar, so its sign-in sheet can be printed before it
    upcoming = today.replace(day=min(theme_day, month_range(today)[1].day))
    if upcoming <= today:
        following = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
        upcoming = following.replace(day=min(theme_day, month_range(following)[1].day))
    plan_meeting(
        db,
        kind="theme_day",
        planned_on=upcoming,
        topic=rng.choice(_DEMO_TOPICS["theme_day"]),
        planned_time="14:00",
        place=rng.choice(_DEMO_PLACES),
        host_uuid=secretary,
        recorder_uuid=recorder,
    )

    # heart talks: the secretary with most committee members and some members; a few pairs left out
    talk_year_start = date(today.year, 1, 1)
    span = max((today - talk_year_start).days, 1)
    others = [c.member_uuid for c in committee if c.member_uuid != secretary]
    for u in others[:-1]:
        record_heart_talk(
            db,
            held_on=talk_year_start + timedelta(days=rng.randrange(span)),
            participant_uuids=[secretary, u],
            topic="交流思想、工作情况",
            summary="相互谈心，提出意见建议。",
            today=today,
        )
    for member in rng.sample(members, k=min(len(members), max(2, len(members) // 2))):
        if member.uuid == secretary:
            continue
        begin = max(talk_year_start, member.joined_on or talk_year_start)
        record_heart_talk(
            db,
            held_on=begin + timedelta(days=rng.randrange(max((today - begin).days, 1))),
            participant_uuids=[secretary, member.uuid],
            topic="了解思想动态和家庭困难",
            summary="谈心谈话，了解工作生活情况。",
            today=today,
        )
