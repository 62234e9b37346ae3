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
            db, election_uuid=e.uuid, held_on=VOTE, votes=votes, write_ins=write_ins, today=TODAY, **numbers
        )
    assert elections.get_election(db, uuid=e.uuid).rounds == ()


def test_steps_dated_after_today_are_refused(db) -> None:  # type: ignore[no-untyped-def]
    small_branch(db)
    e = elections.start_election(db, request_on=VOTE, proposed_size=3, proposed_method="competitive")
    with pytest.raises(ValidationError, match="批复日期不能晚于今天"):
        elections.record_reply(
            db, election_uuid=e.uuid, reply_on=LATER, reply_by="某矿党委", approved_size=3,
            method="competitive", today=TODAY,
        )  # fmt: skip


def test_a_count_dated_after_today_is_refused(db) -> None:  # type: ignore[no-untyped-def]
    p, e = _candidates(db)
    votes = {p["王建国"]: 9, p["李明"]: 7, p["张伟"]: 5, p["刘洋"]: 3}
    numbers = {"present": 9, "issued": 9, "returned": 9, "valid": 9, "invalid": 0}
    with pytest.raises(ValidationError, match="投票日期不能晚于今天"):
        elections.record_round(db, election_uuid=e.uuid, held_on=LATER, votes=votes, today=TODAY, **numbers)
    e = elections.record_round(db, election_uuid=e.uuid, held_on=VOTE, votes=votes, today=TODAY, **numbers)
    roles = {p["王建国"]: "secretary", p["李明"]: "organization", p["张伟"]: "publicity"}
    with pytest.raises(ValidationError, match="日期不能晚于今天"):
        elections.elect_officers(db, election_uuid=e.uuid, on=LATER, roles=roles, today=TODAY)
    e = elections.elect_officers(db, election_uuid=e.uuid, on=VOTE, roles=roles, today=TODAY)
    with pytest.raises(ValidationError, match="报送日期不能晚于今天"):
        elections.record_report(db, election_uuid=e.uuid, on=LATER, today=TODAY)
    e = elections.record_report(db, election_uuid=e.uuid, on=VOTE + timedelta(days=1), today=TODAY)
    with pytest.raises(ValidationError, match="批准日期不能晚于今天"):
        elections.approve_election(
            db, election_uuid=e.uuid, approved_on=LATER, approved_by="某矿党委", today=TODAY
        )
    e = elections.approve_election(
        db, election_uuid=e.uuid, approved_on=TODAY, approved_by="某矿党委", today=TODAY
    )
    assert e.approved_on == TODAY


def test_the_result_report_does_not_claim_a_quorum_a_void_round_lacked(db) -> None:  # type: ignore[no-untyped-def]
    """A first round void for want of four fifths present, held again: the report to the upper 党委 said the
    first round's 实到 「超过应到会人数的五分之四」. It now names the round that had its quorum."""
    from db.elections.documents import result_report

    p, e = _candidates(db)
    votes = {p["王建国"]: 9, p["李明"]: 8, p["张伟"]: 8, p["刘洋"]: 1}
    e = elections.record_round(
        db, election_uuid=e.uuid, held_on=VOTE, present=7, issued=7, returned=7, valid=7, invalid=0,
        votes={p["王建国"]: 7, p["李明"]: 6, p["张伟"]: 6, p["刘洋"]: 1}, today=TODAY,
    )  # fmt: skip
    assert elections.round_outcome(e, e.rounds[0]).void
    e = elections.record_round(
        db, election_uuid=e.uuid, held_on=VOTE + timedelta(days=7), present=9, issued=9, returned=9, valid=9,
        invalid=0, votes=votes, today=TODAY,
    )  # fmt: skip
    text = "".join(result_report(db, e, on=TODAY).paragraphs)
    assert "实到 7 名，超过" not in text
    assert "实到 9 名，超过应到会人数的五分之四" in text


@pytest.mark.parametrize("entitled", [-1, 10])
def test_an_entitled_count_beyond_the_roster_is_refused(db, entitled: int) -> None:  # type: ignore[no-untyped-def]
    """应到会有选举权的人数 given by the caller may leave out members (经上级党组织同意不计算在应到会人数之内) but
    cannot exceed the roster's 9 full members with a vote nor be negative: 10 was taken, needed 9 present and 6 votes
    and so judged the count against people who do not exist."""
    p, e = _candidates(db)
    votes = {p["王建国"]: 9, p["李明"]: 7, p["张伟"]: 5, p["刘洋"]: 3}
    numbers = {"present": 9, "issued": 9, "returned": 9, "valid": 9, "invalid": 0}
    with pytest.raises(ValidationError, match="名册上有选举权的正式党员 9 人"):
        elections.record_round(
            db, election_uuid=e.uuid, held_on=VOTE, votes=votes, today=TODAY, entitled=entitled, **numbers
        )
    assert elections.get_election(db, uuid=e.uuid).rounds == ()
    e = elections.record_round(
        db, election_uuid=e.uuid, held_on=VOTE, votes=votes, today=TODAY, entitled=9, **numbers
    )
    assert e.rounds[0].entitled == 9
