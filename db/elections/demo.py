"""The demo branch's past election (换届选举): the one that elected the present committee, from the 请示 to the upper
党委's approval, 差额 (one more candidate than seats). Drawn from no generator: the committee the demo drew (its
``preferred`` people) when they were eligible on the day, then other eligible members in 姓氏笔画 order."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from db import branch
from db.elections import approval, service
from db.rules import add_years
from db.store import Database


def demo_past_election(db: Database, *, vote: date, preferred: Sequence[str], roles: Sequence[str]) -> bool:
    """Hold and approve the election of ``len(roles)`` members on ``vote``; False (nothing written) when fewer
    than ``len(roles) + 1`` members could stand."""
    request = vote - timedelta(days=75)
    # still on the roster today (serving now), with 被选举权 from the 请示 to the vote
    could = {m.uuid for m in service.eligible_members(db, on=request) if m.status == "active"}
    eligible = [m.uuid for m in service.eligible_members(db, on=vote) if m.uuid in could]
    seats = len(roles)
    if len(eligible) < seats + 1:
        return False
    people = [u for u in preferred if u in eligible][:seats]
    people += [u for u in eligible if u not in people][: seats - len(people)]
    extra = next(u for u in eligible if u not in people)
    profile = branch.get_branch(db)
    assert profile is not None  # the demo saved it first
    branch.set_term(db, start=add_years(vote, -3), end=vote)
    e = service.start_election(db, request_on=request, proposed_size=seats, proposed_method="competitive")
    e = service.record_reply(
        db,
        election_uuid=e.uuid,
        reply_on=request + timedelta(days=25),
        reply_by=profile.parent_org,
        approved_size=seats,
        method="competitive",
        document=f"党组字〔{request.year}〕21号",
    )
    e = service.set_candidates(db, election_uuid=e.uuid, member_uuids=[*people, extra], on=vote)
    entitled = service.entitled_count(db, on=vote)
    present = entitled - entitled // 10  # more than four fifths
    valid = present - 1
    need = entitled // 2 + 1
    steps = (0, 1, 1, 2, 3, 4, 5)
    votes = {u: max(need, valid - steps[i % len(steps)]) for i, u in enumerate(people)}
    votes[extra] = max(
        0, min(need - 1, valid * seats - sum(votes.values()))
    )  # each ballot marks at most seats
    e = service.record_round(
        db,
        election_uuid=e.uuid,
        held_on=vote,
        present=present,
        issued=present,
        returned=present,
        valid=valid,
        invalid=1,
        votes=votes,
    )
    e = approval.elect_officers(
        db, election_uuid=e.uuid, on=vote, roles=dict(zip(people, roles, strict=True))
    )
    e = approval.record_report(db, election_uuid=e.uuid, on=vote + timedelta(days=3))
    approval.approve_election(
        db,
        election_uuid=e.uuid,
        approved_on=vote + timedelta(days=15),
        approved_by=profile.parent_org,
        document=f"党组字〔{vote.year}〕36号",
        term_start=vote,
        term_end=add_years(vote, 3),
    )
    return True
