"""Issue 20, 换届选举: from the 请示 to the approval that writes the new committee to 支部设置 (docs/rules.md)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from db import audit, branch, elections, transfers
from db.elections.documents import count_sheet
from db.errors import ValidationError
from tests.db.election_helpers import REPLY, VOTE, replied, small_branch


def _count(db, e, votes: dict[str, int], *, present=9, issued=9, returned=9, valid=9, invalid=0, **kw):  # type: ignore[no-untyped-def]
    return elections.record_round(
        db,
        election_uuid=e.uuid,
        held_on=kw.pop("held_on", VOTE),
        present=present,
        issued=issued,
        returned=returned,
        valid=valid,
        invalid=invalid,
        votes=votes,
        **kw,
    )


def test_competitive_election_with_a_tie_at_the_last_seat(db) -> None:  # type: ignore[no-untyped-def]
    """差额: 4 candidates for 3 seats (a third more); the 3rd and 4th tie above half: another round among them."""
    p = small_branch(db)
    e = replied(db, seats=3)
    names = ["王建国", "李明", "张伟", "刘洋"]
    e = elections.set_candidates(db, election_uuid=e.uuid, member_uuids=[p[n] for n in names], on=VOTE)
    assert elections.candidate_warnings(e) == []
    assert [c.name for c in e.candidates] == [
        "王建国",
        "刘洋",
        "李明",
        "张伟",
    ]  # 姓氏笔画: 王4 刘6 李7(横) 张7(折)
    assert elections.entitled_count(db, on=VOTE) == 9  # the probationary member has no vote
    e = _count(db, e, {p["王建国"]: 9, p["李明"]: 7, p["张伟"]: 5, p["刘洋"]: 5}, write_ins=[("陈静", 1)])
    outcome = elections.round_outcome(e, e.rounds[0])
    assert not outcome.void and outcome.threshold == 5  # more than half of 应到 9
    assert [c.name for c, _ in elections.elected(e)] == ["王建国", "李明"]
    plan = elections.next_round(e)
    assert plan is not None and plan.seats == 1 and "再次投票" in plan.reason
    assert {c.name for c in e.candidates if c.uuid in plan.candidates} == {"张伟", "刘洋"}
    assert elections.next_step(e) == "vote"
    with pytest.raises(ValidationError, match="不是第 2 轮的候选人"):
        _count(db, e, {p["王建国"]: 5})
    e = _count(db, e, {p["张伟"]: 4, p["刘洋"]: 5}, held_on=VOTE)
    assert [c.name for c, _ in elections.elected(e)] == ["王建国", "李明", "刘洋"]
    assert elections.next_round(e) is None and elections.next_step(e) == "officers"


def test_a_name_written_in_that_passes_half_is_not_passed_over(db) -> None:  # type: ignore[no-untyped-def]
    """另选他人 with more than half of 应到 may be elected: the count is refused (not recorded with a wrong winner)
    and says what to do; the candidates can still be changed, and counted again the person is elected."""
    p = small_branch(db)
    e = replied(db, seats=3)
    names = ["王建国", "李明", "张伟", "刘洋"]
    e = elections.set_candidates(db, election_uuid=e.uuid, member_uuids=[p[n] for n in names], on=VOTE)
    votes = {p["王建国"]: 9, p["李明"]: 7, p["张伟"]: 3, p["刘洋"]: 3}
    with pytest.raises(ValidationError, match="另选他人 陈静 得票 5 张，超过应到会有选举权人数 9 人的半数"):
        _count(db, e, votes, write_ins=[("陈静", 5)])
    assert elections.get_election(db, uuid=e.uuid).rounds == ()  # nothing recorded
    # Four votes is not more than half of 9: an ordinary write-in, recorded with the round.
    e2 = _count(db, e, votes, write_ins=[("陈静", 4)])
    assert [c.name for c, _ in elections.elected(e2)] == ["王建国", "李明"]


def test_fewer_than_twenty_percent_more_candidates_is_a_warning(db) -> None:  # type: ignore[no-untyped-def]
    p = small_branch(db)
    e = replied(db, seats=5)
    e = elections.set_candidates(
        db,
        election_uuid=e.uuid,
        member_uuids=[p[n] for n in ["王建国", "李明", "张伟", "刘洋", "陈静"]],
        on=VOTE,
    )
    assert any("20%" in w and "至少 6 人" in w for w in elections.candidate_warnings(e))


def test_more_ballots_returned_than_issued_voids_the_vote(db) -> None:  # type: ignore[no-untyped-def]
    p = small_branch(db)
    e = replied(db, seats=3)
    e = elections.set_candidates(
        db, election_uuid=e.uuid, member_uuids=[p[n] for n in ["王建国", "李明", "张伟", "刘洋"]], on=VOTE
    )
    e = _count(db, e, {p["王建国"]: 9, p["李明"]: 9, p["张伟"]: 9}, issued=9, returned=10, valid=10)
    outcome = elections.round_outcome(e, e.rounds[0])
    assert outcome.void and "多于发出" in outcome.reason and elections.elected(e) == []
    plan = elections.next_round(e)
    assert plan is not None and plan.seats == 3 and len(plan.candidates) == 4  # held again, same candidates


def test_count_numbers_that_cannot_be_right_are_refused(db) -> None:  # type: ignore[no-untyped-def]
    p = small_branch(db)
    e = replied(db, seats=3)
    e = elections.set_candidates(
        db, election_uuid=e.uuid, member_uuids=[p[n] for n in ["王建国", "李明", "张伟", "刘洋"]], on=VOTE
    )
    with pytest.raises(ValidationError, match="应等于收回的"):
        _count(db, e, {p["王建国"]: 5}, valid=7, invalid=1)
    with pytest.raises(ValidationError, match="多于有效票"):
        _count(db, e, {p["王建国"]: 9}, valid=8, invalid=1)
    assert elections.get_election(db, uuid=e.uuid).rounds == ()


def test_member_under_watch_cannot_be_a_candidate(db) -> None:  # type: ignore[no-untyped-def]
    """选举工作条例第五条: no 被选举权 while under 留党察看; a 预备党员 has none either."""
    p = small_branch(db)
    transfers.record_event(
        db,
        member_uuid=p["陈静"],
        kind="probation_watch",
        happened_on=date(2026, 1, 10),
        ends_on=date(2027, 1, 9),
        reason="依据",
        today=date(2026, 2, 1),
    )
    e = replied(db, seats=3)
    with pytest.raises(ValidationError, match="第五条.*陈静 留党察看至 2027-01-09"):
        elections.set_candidates(db, election_uuid=e.uuid, member_uuids=[p["陈静"], p["李明"]], on=VOTE)
    with pytest.raises(ValidationError, match="钱预备"):
        elections.set_candidates(db, election_uuid=e.uuid, member_uuids=[p["钱预备"]], on=VOTE)
    assert "陈静" not in [m.name for m in elections.eligible_members(db, on=VOTE)]
    assert elections.get_election(db, uuid=e.uuid).candidates == ()


def _finish(db, p) -> elections.Election:  # type: ignore[no-untyped-def]
    e = replied(db, seats=3)
    names = ["李明", "刘洋", "陈静", "欧阳华"]
    e = elections.set_candidates(db, election_uuid=e.uuid, member_uuids=[p[n] for n in names], on=VOTE)
    e = _count(db, e, {p["李明"]: 9, p["刘洋"]: 8, p["陈静"]: 7, p["欧阳华"]: 3})
    e = elections.elect_officers(
        db,
        election_uuid=e.uuid,
        on=VOTE,
        roles={p["刘洋"]: "secretary", p["李明"]: "organization", p["陈静"]: "discipline"},
    )
    return elections.record_report(db, election_uuid=e.uuid, on=VOTE + timedelta(days=2))


def test_approval_writes_the_new_committee_and_ends_the_old(db) -> None:  # type: ignore[no-untyped-def]
    p = small_branch(db)
    e = _finish(db, p)
    assert elections.next_step(e) == "approval"
    old = branch.list_committee(db, on=VOTE - timedelta(days=1))
    e = elections.approve_election(
        db,
        election_uuid=e.uuid,
        approved_on=VOTE + timedelta(days=10),
        approved_by="某矿党委",
        document="批复",
    )
    assert elections.next_step(e) == "done"
    new = branch.list_committee(db, on=VOTE)
    assert [(c.member_name, c.role) for c in new] == [
        ("刘洋", "secretary"),
        ("李明", "organization"),
        ("陈静", "discipline"),
    ]
    assert all(c.since == VOTE for c in new)
    # the old committee is ended the day before, nothing deleted
    before = {c.uuid: c for c in branch.list_committee(db, on=VOTE - timedelta(days=1))}
    assert set(before) == {c.uuid for c in old} and all(
        c.until == VOTE - timedelta(days=1) for c in before.values()
    )
    profile = branch.get_branch(db)
    assert profile is not None and profile.term_start == VOTE and profile.term_end == date(2029, 4, 20)
    assert any(
        a.field == "committee" and "某矿党委批准" in (a.new or "")
        for a in audit.history(db, entity_uuid=e.uuid)
    )
    with pytest.raises(ValidationError, match="已经上级批准"):
        elections.record_report(db, election_uuid=e.uuid, on=VOTE)


def test_officers_need_one_secretary_and_a_role_for_everyone(db) -> None:  # type: ignore[no-untyped-def]
    p = small_branch(db)
    e = replied(db, seats=2)
    e = elections.set_candidates(
        db, election_uuid=e.uuid, member_uuids=[p["李明"], p["刘洋"], p["陈静"]], on=VOTE
    )
    e = _count(db, e, {p["李明"]: 9, p["刘洋"]: 7, p["陈静"]: 2})
    with pytest.raises(ValidationError, match="尚未分工"):
        elections.elect_officers(db, election_uuid=e.uuid, on=VOTE, roles={p["李明"]: "secretary"})
    with pytest.raises(ValidationError, match="应选举一名书记"):
        elections.elect_officers(
            db, election_uuid=e.uuid, on=VOTE, roles={p["李明"]: "organization", p["刘洋"]: "publicity"}
        )
    with pytest.raises(ValidationError, match="只能给当选的委员分工"):
        elections.elect_officers(
            db,
            election_uuid=e.uuid,
            on=VOTE,
            roles={p["李明"]: "secretary", p["刘洋"]: "publicity", p["陈静"]: "discipline"},
        )


def test_a_second_election_waits_for_the_first(db) -> None:  # type: ignore[no-untyped-def]
    small_branch(db)
    e = replied(db)
    with pytest.raises(ValidationError, match="尚未完成"):
        elections.start_election(db, request_on=REPLY, proposed_size=3, proposed_method="equal")
    elections.archive_election(db, election_uuid=e.uuid, reason="上级要求推迟")
    assert elections.open_election(db) is None
    assert elections.list_elections(db, archived=True)[0].archived_at is not None


def test_a_round_without_four_fifths_present_is_void() -> None:
    """有选举权的到会人数超过应到会人数的五分之四，方能进行选举: 10 entitled need 9 present."""
    votes = {"a": 8, "b": 8}
    assert elections.decide(seats=1, entitled=10, present=8, issued=8, returned=8, votes=votes).void
    outcome = elections.decide(seats=1, entitled=10, present=9, issued=9, returned=9, votes=votes)
    assert not outcome.void and outcome.tied == ("a", "b") and outcome.tie_seats == 1


def test_the_revote_among_the_tied_elects_the_one_with_more_votes(db) -> None:  # type: ignore[no-untyped-def]
    """如遇票数相等不能确定当选人时，就票数相等的被选举人再次投票，得票多的当选 (党建业务通; 暂行条例第二十一条 “得票多者
    当选”): the tied candidates passed half already; the re-vote elects by more votes, not by half of 应到 again.
    Before, 张伟 4 : 刘洋 3 of 9 entitled elected nobody and sent the seat to a third round as 另行选举."""
    p = small_branch(db)
    e = replied(db, seats=3)
    names = ["王建国", "李明", "张伟", "刘洋"]
    e = elections.set_candidates(db, election_uuid=e.uuid, member_uuids=[p[n] for n in names], on=VOTE)
    e = _count(db, e, {p["王建国"]: 9, p["李明"]: 7, p["张伟"]: 5, p["刘洋"]: 5})
    plan = elections.next_round(e)
    assert plan is not None and plan.seats == 1 and plan.tie_break
    e = _count(db, e, {p["张伟"]: 4, p["刘洋"]: 3})  # two blank ballots: 4 is not more than half of 9
    outcome = elections.round_outcome(e, e.rounds[1])
    assert outcome.tie_break and not outcome.tied and outcome.short == 0
    assert [c.name for c, _ in elections.elected(e)] == ["王建国", "李明", "张伟"]
    assert elections.next_round(e) is None and elections.next_step(e) == "officers"
    summary = count_sheet(db, e).summary
    assert "当选须至少 5 票" in summary[0] and "再次投票，得票多的当选" in summary[1]


def test_a_revote_that_ties_again_is_held_again_among_them(db) -> None:  # type: ignore[no-untyped-def]
    p = small_branch(db)
    e = replied(db, seats=3)
    names = ["王建国", "李明", "张伟", "刘洋"]
    e = elections.set_candidates(db, election_uuid=e.uuid, member_uuids=[p[n] for n in names], on=VOTE)
    e = _count(db, e, {p["王建国"]: 9, p["李明"]: 7, p["张伟"]: 5, p["刘洋"]: 5})
    e = _count(db, e, {p["张伟"]: 3, p["刘洋"]: 3})
    plan = elections.next_round(e)
    assert plan is not None and plan.seq == 3 and plan.seats == 1 and plan.tie_break
    # a re-vote void for want of its quorum is held again, still as the re-vote among the tied
    e = _count(db, e, {p["张伟"]: 2, p["刘洋"]: 1}, present=7, issued=7, returned=7, valid=7)
    assert elections.round_outcome(e, e.rounds[2]).void
    plan = elections.next_round(e)
    assert plan is not None and plan.seq == 4 and plan.tie_break
    e = _count(db, e, {p["张伟"]: 2, p["刘洋"]: 1})
    assert [c.name for c, _ in elections.elected(e)] == ["王建国", "李明", "张伟"]
