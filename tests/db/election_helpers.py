"""A small branch for the election tests: nine full members, one probationary, a committee of three serving."""

from __future__ import annotations

from datetime import date

from db import branch, elections
from db.members import add_member

OLD_START, OLD_END = date(2023, 5, 1), date(2026, 4, 30)
REQUEST, REPLY, VOTE = date(2026, 3, 1), date(2026, 3, 15), date(2026, 4, 20)
NAMES = ["王建国", "李明", "张伟", "刘洋", "陈静", "欧阳华", "司马云", "丁一", "马骏"]


def member(db, name: str, category: str = "full") -> str:  # type: ignore[no-untyped-def]
    full = date(2011, 7, 1) if category == "full" else None
    joined = date(2010, 7, 1) if category == "full" else date(2026, 1, 1)
    return add_member(
        db, values={"name": name, "category": category, "joined_on": joined, "full_on": full}
    ).uuid


def small_branch(db) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """name → member uuid; the old committee: 王建国 书记, 李明 组织委员, 张伟 宣传委员 since OLD_START."""
    branch.save_branch(
        db, name="综采一区党支部", parent_org="某矿党委", term_start=OLD_START, term_end=OLD_END
    )
    people = {n: member(db, n) for n in NAMES}
    people["钱预备"] = member(db, "钱预备", "probationary")
    for name, role in (("王建国", "secretary"), ("李明", "organization"), ("张伟", "publicity")):
        branch.appoint_committee_member(db, member_uuid=people[name], role=role, since=OLD_START)
    return people


def replied(db, seats: int = 3, method: str = "competitive") -> elections.Election:  # type: ignore[no-untyped-def]
    e = elections.start_election(db, request_on=REQUEST, proposed_size=seats, proposed_method=method)
    return elections.record_reply(
        db,
        election_uuid=e.uuid,
        reply_on=REPLY,
        reply_by="某矿党委",
        approved_size=seats,
        method=method,
        document="矿党发〔2026〕8号",
    )
