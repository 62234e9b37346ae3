"""Demo data of member development: a realistic pipeline for the demo branch (``db.demo`` calls
``demo_development`` through ``PART_EXTENDERS``)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from db import members
from db.branch import list_party_groups
from db.development.queries import list_steps
from db.development.records import DevelopmentPerson
from db.development.rules import first_step
from db.development.service import add_person, leave_pipeline
from db.development.steps import add_step
from db.development.votes import entitled_voters, full_on_day, on_roster_on
from db.rules import add_months, add_years, make_citizen_id
from db.store import Database

_DEMO_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
_DEMO_GIVEN = (
    "建军",
    "海涛",
    "晓东",
    "志强",
    "丽娟",
    "永刚",
    "春燕",
    "国栋",
    "文博",
    "亚楠",
    "鹏飞",
    "雪梅",
    "子豪",
    "思远",
    "卫东",
    "红霞",
    "立新",
    "振华",
    "佳琪",
    "浩然",
    "明辉",
    "晨阳",
    "慧敏",
    "宇航",
)
_DEMO_JOBS = (
    "综采队采煤机司机",
    "掘进队班长",
    "机电队电工",
    "通风队测风员",
    "运输队绞车司机",
    "安监站安检员",
    "调度室调度员",
    "洗煤厂化验员",
)


def demo_development(db: Database, *, rng: Any, today: date) -> None:
    """Add a realistic pipeline to the demo branch: about eight people across every stage, with correct dates,
    one probation ending within 30 days, and one late step saved with a recorded reason. Deterministic for a
    given ``rng``/``today``; mentors and introducers are full members of the roster."""
    full = [m for m in members.list_members(db, category="full")]
    if len(full) < 2:
        return
    groups = list_party_groups(db)
    used_ids = {m.citizen_id for m in members.list_members(db, status=None)}
    used_names = {m.name for m in members.list_members(db, status=None)}

    def days_ago(n: int) -> date:
        return today - timedelta(days=n)

    def new_person(birth_year_offset: int, applied: date) -> DevelopmentPerson:
        while True:
            name = rng.choice(_DEMO_SURNAMES) + rng.choice(_DEMO_GIVEN)
            if name not in used_names:
                break
        used_names.add(name)
        birth = applied - timedelta(days=365 * birth_year_offset + rng.randint(0, 300))
        while True:
            cid = make_citizen_id("140202", birth, rng.randint(10, 499) * 2 + rng.choice((0, 1)))
            if cid not in used_ids:
                break
        used_ids.add(cid)
        return add_person(
            db,
            values={
                "name": name,
                "citizen_id": cid,
                "ethnicity": "汉族",
                "education": rng.choice(("大学专科", "大学本科", "中等专科", "高中")),
                "job": rng.choice(_DEMO_JOBS),
                "post_code": "016",  # every demo job is a miner's trade at the face (工勤技能人员, 一线)
                "front_line": True,
                "league_recommended": birth.year >= 1995,  # the young ones came recommended by the 团支部
                "mobile": f"13{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}",
                "party_group": rng.choice(groups).uuid if groups else None,
            },
            applied_on=applied,
            today=today,
            source="demo",
        )

    def step(p: DevelopmentPerson, kind: str, on: date, reason: str = "", **values: Any) -> None:
        add_step(
            db, person_uuid=p.uuid, kind=kind, on=on, values=values, reason=reason, today=today, source="demo"
        )

    def pick(n: int, on: date) -> list[str]:
        # Full members on the roster that day (the step is checked against the roster as it stood). The draw is
        # made from the whole list as before, so the generator's stream (and every later demo) stays the same; a
        # member not there that day is replaced by the first one who was.
        there = [m for m in full if on_roster_on(m, on) and full_on_day(m, on)]
        chosen = [m for m in rng.sample(full, min(n, len(full))) if m in there]
        chosen += [m for m in there if m not in chosen][: min(n, len(there)) - len(chosen)]
        return [m.uuid for m in chosen]

    def activist_part(p: DevelopmentPerson, start: date, reviews: int) -> None:
        step(p, "talk", start + timedelta(days=rng.randint(7, 25)))
        act = add_months(start, rng.randint(3, 5))
        step(p, "activist_decision", act)
        step(p, "activist_filing", act + timedelta(days=rng.randint(3, 10)))
        on = act + timedelta(days=rng.randint(3, 10))
        step(p, "mentors", on, members=pick(2, on))
        for i in range(1, reviews + 1):
            step(p, "activist_review", add_months(act, 6 * i) - timedelta(days=rng.randint(0, 10)))

    def candidate_part(p: DevelopmentPerson, act: date, late_training: bool = False) -> date:
        cand = add_years(act, 1) + timedelta(days=rng.randint(5, 30))
        step(p, "candidate_decision", cand)
        step(p, "candidate_filing", cand + timedelta(days=5))
        step(p, "introducers", cand + timedelta(days=7), members=pick(2, cand + timedelta(days=7)))
        step(p, "political_review", cand + timedelta(days=30))
        if late_training:
            step(
                p,
                "training",
                cand + timedelta(days=40),
                days=2,
                hours=16,
                reason="公司党委集中培训因井下抢险缩短为 2 天，已于次月参加补训 8 学时，补训证明存档",
            )
        else:
            step(p, "training", cand + timedelta(days=40), days=3, hours=24)
        step(p, "committee_review", cand + timedelta(days=55))
        step(p, "upper_prereview", cand + timedelta(days=65))
        step(
            p, "application_form", cand + timedelta(days=70), number=f"{cand.year}{rng.randint(100, 999):03d}"
        )
        return cand + timedelta(days=80)

    def activist_on(p: DevelopmentPerson) -> date:
        act = first_step(list_steps(db, person_uuid=p.uuid), "activist_decision")
        assert act is not None  # activist_part recorded it
        return act.on

    def candidate_year(p: DevelopmentPerson, *, filing: bool, training_days: int) -> date:
        # A candidate from a year after becoming an activist up to the application form, without delays;
        # returns the first day the admission vote may be held.
        cand = add_years(activist_on(p), 1) + timedelta(days=10)
        step(p, "candidate_decision", cand)
        if filing:
            step(p, "candidate_filing", cand + timedelta(days=5))
        step(p, "introducers", cand + timedelta(days=7), members=pick(2, cand + timedelta(days=7)))
        step(p, "political_review", cand + timedelta(days=20))
        step(p, "training", cand + timedelta(days=25), days=training_days, hours=8 * training_days)
        step(p, "committee_review", cand + timedelta(days=30))
        step(p, "upper_prereview", cand + timedelta(days=35))
        step(
            p, "application_form", cand + timedelta(days=40), number=f"{cand.year}{rng.randint(100, 999):03d}"
        )
        return cand + timedelta(days=45)

    def vote(p: DevelopmentPerson, kind: str, on: date) -> None:
        # the roster as it stood that day (细则第二十条)
        step(p, kind, on, **_vote_values(len(entitled_voters(db, on=on))))

    def admitted(p: DevelopmentPerson, vote_on: date, *, talk: int, approval: int, application: int) -> date:
        """Admitted by the vote on ``vote_on``: the upper committee's talk and approval ``talk`` and ``approval``
        days after it, the oath 40 days after it, the written application for full membership ``application``
        days before probation ends; returns that end."""
        vote(p, "admission_vote", vote_on)
        step(p, "upper_talk", vote_on + timedelta(days=talk))
        step(p, "upper_approval", vote_on + timedelta(days=approval))
        step(p, "oath", vote_on + timedelta(days=40))
        end = add_years(vote_on, 1)
        step(p, "full_application", end - timedelta(days=application))
        return end

    # Two applicants: one recent (talk still due), one talked to.
    p = new_person(23, days_ago(12))
    p = new_person(27, days_ago(40))
    step(p, "talk", days_ago(30))
    # Two activists: one new, one close to a year (candidate soon).
    app = add_months(days_ago(0), -9)
    p = new_person(25, app)
    activist_part(p, app, 0)
    app = add_months(days_ago(0), -16)
    p = new_person(30, app)
    activist_part(p, app, 1)
    # A candidate (development target) waiting for the admission vote; training was short: saved with a reason.
    app = add_months(days_ago(0), -21)
    p = new_person(26, app)
    activist_part(p, app, 2)
    candidate_part(p, activist_on(p), late_training=True)
    # A probationary member whose probation ends within 30 days; another mid-probation.
    for months_ago in (11, 5):
        vote_on = (
            add_months(today, -12) + timedelta(days=rng.randint(10, 25))
            if months_ago == 11
            else add_months(today, -months_ago)
        )
        app = add_months(vote_on, -24)
        p = new_person(24, app)
        activist_part(p, app, 2)
        vote_on = max(vote_on, candidate_year(p, filing=True, training_days=3))
        vote(p, "admission_vote", vote_on)
        approve_on = vote_on + timedelta(days=rng.randint(20, 50))
        step(p, "upper_talk", approve_on - timedelta(days=7))
        step(p, "upper_approval", approve_on)
        step(p, "oath", vote_on + timedelta(days=60))
        step(p, "probation_review", add_months(vote_on, 3))
    # One who became a full member last year.
    vote_on = add_months(today, -20)
    app = add_months(vote_on, -25)
    p = new_person(29, app)
    activist_part(p, app, 2)
    vote_on = max(vote_on, candidate_year(p, filing=False, training_days=4))
    end = admitted(p, vote_on, talk=20, approval=30, application=20)
    vote(p, "full_vote", end + timedelta(days=3))
    step(p, "full_approval", end + timedelta(days=35))
    # One applicant who withdrew: kept with the reason.
    p = new_person(22, add_months(today, -7))
    step(p, "talk", add_months(today, -7) + timedelta(days=10))
    leave_pipeline(
        db,
        uuid=p.uuid,
        on=add_months(today, -2),
        reason="本人调往外省工作，申请转至新单位党组织",
        today=today,
    )
    # One whose probation was extended by six months (党章第七条: voted by the 支部党员大会, approved above; the
    # 转正 date moves with the approval).
    vote_on = add_months(today, -14)
    app = add_months(vote_on, -25)
    p = new_person(28, app)
    activist_part(p, app, 2)
    act = first_step(list_steps(db, person_uuid=p.uuid), "activist_decision")
    assert act is not None
    cand = candidate_part(p, act.on)
    vote_on = max(vote_on, cand + timedelta(days=5))
    end = admitted(p, vote_on, talk=15, approval=25, application=15)
    extension_on = min(end + timedelta(days=5), today)
    add_step(
        db,
        person_uuid=p.uuid,
        kind="probation_extension",
        on=extension_on,
        values=_vote_values(len(entitled_voters(db, on=extension_on)), months=6),
        note="预备期内两次无故缺席组织生活，需继续考察和教育",
        today=today,
        source="demo",
    )
    step(p, "extension_approval", min(extension_on + timedelta(days=20), today))


def _vote_values(entitled: int, **more: Any) -> dict[str, Any]:
    """A passed vote of a demo 支部党员大会: all present but one of a large branch, one against."""
    entitled = max(1, entitled)
    against = 1 if entitled > 6 else 0
    return {
        "votes_for": entitled - against,
        "votes_against": against,
        "votes_abstain": 0,
        "present": entitled - (1 if entitled > 6 else 0),
        **more,
    }
