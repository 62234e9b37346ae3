"""A small roster for the meetings tests (built through the public db functions, no SQL)."""

from __future__ import annotations

from datetime import date

from db import branch, members
from db.rules import make_citizen_id

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段漕钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国志红梅鹏飞海波斌宇浩"


def make_roster(
    db, *, full: int = 10, probationary: int = 3, groups: int = 2, committee: int = 5, suspended: int = 0
) -> dict:
    """``full`` full members (joined 2015, full 2016), ``probationary`` joined 2026-03-01, split over ``groups``
    party groups; the first ``committee`` full members form the committee (since 2020); ``suspended`` extra full
    members with suspended standing. Returns uuids by role."""
    group_uuids = [branch.save_party_group(db, name=f"第{i + 1}党小组").uuid for i in range(groups)]
    out: dict = {"full": [], "probationary": [], "suspended": [], "groups": group_uuids, "committee": []}
    n = 0

    def add(category: str, **extra) -> str:
        nonlocal n
        n += 1
        name = SURNAMES[n % len(SURNAMES)] + GIVEN[(n * 7) % len(GIVEN)] + GIVEN[(n * 3 + 1) % len(GIVEN)]
        values = {
            "name": name,
            "citizen_id": make_citizen_id("140202", date(1960 + n % 30, 1 + n % 12, 1 + n % 28), 100 + n),
            "category": category,
            "joined_on": date(2015, 6, 1) if category == "full" else date(2026, 3, 1),
            "full_on": date(2016, 6, 1) if category == "full" else None,
            "party_group": group_uuids[n % groups] if groups else None,
            **extra,
        }
        return members.add_member(db, values=values).uuid

    for _ in range(full):
        out["full"].append(add("full"))
    for _ in range(probationary):
        out["probationary"].append(add("probationary"))
    for _ in range(suspended):
        out["suspended"].append(add("full", standing="suspended"))
    roles = [
        "secretary",
        "deputy_secretary",
        "organization",
        "publicity",
        "discipline",
        "youth",
        "united_front",
    ]
    for i in range(min(committee, full)):
        branch.appoint_committee_member(db, member_uuid=out["full"][i], role=roles[i], since=date(2020, 1, 1))
        out["committee"].append(out["full"][i])
    return out
