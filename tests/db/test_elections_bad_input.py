"""换届选举 with input a secretary can get wrong: counts below zero, and steps dated after today (a vote, a reply
or an approval cannot have happened yet)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from db import elections
from db.errors import ValidationError
from tests.db.election_helpers import VOTE, replied, small_branch

TODAY = VOTE + timedelta(days=60)
LATER = TODAY + timedelta(days=1)


def _candidates(db):  # type: ignore[no-untyped-def]
    p = small_branch(db)
    e = replied(db, seats=3)
    names = ["王建国", "李明", "张伟", "刘洋"]
    return p, elections.set_candidates(db, election_uuid=e.uuid, member_uuids=[p[n] for n in names], on=VOTE)


@pytest.mark.parametrize("field", ["present", "issued", "returned", "valid", "invalid", "votes", "write_in"])
def test_a_count_below_zero_is_refused_in_chinese(db, field: str) -> None:  # type: ignore[no-untyped-def]
    p, e = _candidates(db)
    numbers = {"present": 9, "issued": 9, "returned": 9, "valid": 9, "invalid": 0}
    votes = {p["王建国"]: 9, p["李明"]: 7, p["张伟"]: 5, p["刘洋"]: 3}
    write_ins: list[tuple[str, int]] = []
    if field == "votes":
        votes[p["刘洋"]] = -1
    elif field == "write_in":
        write_ins = [("陈静", -1)]
    else:
        numbers[field] = -1
    with pytest.raises(ValidationError, match="不能是负数"):
        elections.record_round(
            db, election_uuid=e.uuid, held_on=VOTE, votes=votes, write_ins=write_ins, **numbers
        )
    assert elections.get_election(db, uuid=e.uuid).rounds == ()
