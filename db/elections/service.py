"""The election cycle (换届选举), from the 请示 to the vote: reading and writing (the officers, the report and the
approval are in ``approval``).

Steps, each one transaction with its audit entries: ``start_election`` (the 请示: proposed committee size and
method), ``record_reply`` (the upper 党委's reply: approved size, 差额 or 等额), ``set_candidates`` (预备人选 from the
eligible members), ``record_round`` (a round's ballots and votes; another round after a tie at the last seat, too few
elected or a void vote), ``elect_officers`` (书记/副书记 and the other members' roles, by the new committee),
``record_report`` (the 选举结果报告 sent), ``approve_election`` (the upper 党委's approval: the new committee and term
written to 支部设置, the old committee ended). ``archive_election`` gives an election up; nothing is deleted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from db import audit, edits
from db.branch import get_branch
from db.development.votes import entitled_voters
from db.elections.counting import Outcome, count_problems, decide
from db.elections.records import (
    COMPETITIVE_MARGIN,
    METHODS,
    RULE_ELECTION,
    Candidate,
    Election,
    Round,
    VoteLine,
)
from db.elections.strokes import stroke_key
from db.errors import NotFound, Problem, ValidationError, date_problems, raise_if
from db.members import get_member
from db.records import Member, from_row
from db.rows import query, query_one
from db.rules import normalize_text
from db.standing import RULE_WATCH, watch_on
from db.store import Database, now_iso

ENTITY = "election"
_COLUMNS = (
    "uuid, old_term_start, old_term_end, request_on, proposed_size, proposed_method, request_note, reply_on, "
    "reply_by, reply_document, approved_size, method, officers_on, report_on, approved_on, approved_by, "
    "approval_document, term_start, term_end, archived_at, created_at"
)


# --- reading ---------------------------------------------------------------------------------------------------


def _election_id(db: Database, uuid: str) -> int:
    row = db.execute("SELECT id FROM elections WHERE uuid = ?", [uuid]).fetchone()
    if row is None:
        raise NotFound("找不到该换届选举记录")
    return int(row[0])


def _candidates(db: Database, election_id: int) -> tuple[Candidate, ...]:
    rows = query(
        db,
        "SELECT c.uuid, m.uuid AS member_uuid, m.name, c.role FROM election_candidates c "
        "JOIN members m ON m.id = c.member_id WHERE c.election_id = ? AND c.removed_at IS NULL",
        [election_id],
    )
    found = [from_row(Candidate, r) for r in rows]
    return tuple(sorted(found, key=lambda c: stroke_key(c.name)))


def _rounds(db: Database, election_id: int) -> tuple[Round, ...]:
    out = []
    for r in query(
        db,
        "SELECT id, uuid, seq, held_on, seats, entitled, present, issued, returned, valid, invalid, counted_at "
        "FROM election_rounds WHERE election_id = ? ORDER BY seq",
        [election_id],
    ):
        lines = tuple(
            VoteLine(v["candidate_uuid"], v["name"], v["votes"])
            for v in query(
                db,
                "SELECT c.uuid AS candidate_uuid, COALESCE(m.name, v.write_in) AS name, v.votes "
                "FROM election_votes v LEFT JOIN election_candidates c ON c.id = v.candidate_id "
                "LEFT JOIN members m ON m.id = c.member_id WHERE v.round_id = ? ORDER BY v.id",
                [r["id"]],
            )
        )
        out.append(from_row(Round, r, lines=lines))
    return tuple(out)


def get_election(db: Database, *, uuid: str) -> Election:
    """One election with its candidates (in 姓氏笔画 order) and rounds. Raises ``NotFound``."""
    row = query_one(db, f"SELECT id, {_COLUMNS} FROM elections WHERE uuid = ?", [uuid])
    if row is None:
        raise NotFound("找不到该换届选举记录")
    return from_row(Election, row, candidates=_candidates(db, row["id"]), rounds=_rounds(db, row["id"]))


def list_elections(db: Database, *, archived: bool = False) -> list[Election]:
    """The elections, latest 请示 first (archived ones only when asked)."""
    rows = query(
        db,
        "SELECT uuid FROM elections WHERE (? OR archived_at IS NULL) ORDER BY request_on DESC, id DESC",
        [int(archived)],
    )
    return [get_election(db, uuid=r["uuid"]) for r in rows]


def open_election(db: Database) -> Election | None:
    """The election under way (not approved, not archived), or None: the latest 请示 of those, as in
    ``list_elections``. Only that one is read (the home page asks at every start; past elections are not built)."""
    row = query_one(
        db,
        "SELECT uuid FROM elections WHERE archived_at IS NULL AND approved_on IS NULL "
        "ORDER BY request_on DESC, id DESC LIMIT 1",
    )
    return None if row is None else get_election(db, uuid=row["uuid"])


def eligible_members(db: Database, *, on: date) -> list[Member]:
    """Who can be a candidate on ``on``: 正式党员 on the roster that day, not suspended, not under 留党察看
    (选举工作条例第五条: no 被选举权), in 姓氏笔画 order."""
    return sorted(entitled_voters(db, on=on), key=lambda m: stroke_key(m.name))


def entitled_count(db: Database, *, on: date) -> int:
    """应到会有选举权的人数 on ``on``."""
    return len(entitled_voters(db, on=on))


@dataclass(frozen=True)
class RoundPlan:
    """What the next round is: its number, seats and candidates (uuid of election_candidates); ``reason`` says why
    it is held ("" for the first); ``tie_break``: the re-vote among candidates tied at the last seat (decided by more
    votes, ``counting.decide``)."""

    seq: int
    seats: int
    candidates: tuple[str, ...]
    reason: str
    tie_break: bool = False


def _decide_round(rnd: Round, tie_break: bool) -> Outcome:
    assert rnd.entitled is not None and rnd.present is not None  # counted
    votes = {ln.candidate_uuid: ln.votes or 0 for ln in rnd.lines if ln.candidate_uuid}
    return decide(
        seats=rnd.seats,
        entitled=rnd.entitled,
        present=rnd.present,
        issued=rnd.issued or 0,
        returned=rnd.returned or 0,
        votes=votes,
        tie_break=tie_break,
    )


def round_outcome(election: Election, rnd: Round) -> Outcome:
    """The outcome of a counted round. A round held after a tie at the last seat is the re-vote among the tied
    (elected by more votes); a void round held again keeps what it was."""
    outcome: Outcome | None = None
    for earlier in election.rounds:
        tie_break = False if outcome is None else (outcome.tie_break if outcome.void else bool(outcome.tied))
        outcome = _decide_round(earlier, tie_break)
        if earlier.uuid == rnd.uuid:
            return outcome
    return _decide_round(rnd, False)


def elected(election: Election) -> list[tuple[Candidate, int]]:
    """The candidates elected so far, with their votes, in the order they were elected (by round, then votes)."""
    by_uuid = {c.uuid: c for c in election.candidates}
    out: list[tuple[Candidate, int]] = []
    for rnd in election.rounds:
        outcome = round_outcome(election, rnd)
        votes = {ln.candidate_uuid: ln.votes or 0 for ln in rnd.lines}
        out += [(by_uuid[k], votes[k]) for k in outcome.elected]
    return out


def next_round(election: Election) -> RoundPlan | None:
    """The round still to hold, or None when the seats are filled (or no candidates yet)."""
    if not election.candidates:
        return None
    if not election.rounds:
        return RoundPlan(1, election.seats, tuple(c.uuid for c in election.candidates), "")
    last = election.rounds[-1]
    outcome = round_outcome(election, last)
    in_last = tuple(ln.candidate_uuid for ln in last.lines if ln.candidate_uuid)
    if outcome.void:
        return RoundPlan(
            last.seq + 1, last.seats, in_last, f"第 {last.seq} 轮{outcome.reason}", outcome.tie_break
        )
    if outcome.tied:
        names = "、".join(c.name for c in election.candidates if c.uuid in outcome.tied)
        return RoundPlan(
            last.seq + 1,
            outcome.tie_seats,
            outcome.tied,
            f"第 {last.seq} 轮 {names} 得票相等，不能确定最后 {outcome.tie_seats} 个名额，应就票数相等的被选举人再次投票，"
            "得票多的当选",
            tie_break=True,
        )
    if outcome.short:
        rest = tuple(k for k in in_last if k not in outcome.elected)
        if not rest:
            return None
        return RoundPlan(
            last.seq + 1,
            outcome.short,
            rest,
            f"第 {last.seq} 轮得票超过半数的少于应选名额，不足的 {outcome.short} 个名额另行选举",
        )
    return None


def count_warnings(n: int, *, seats: int, method: str) -> list[str]:
    """``n`` candidates against the method, as warnings: 差额 with fewer than 20% more candidates than seats, 等额
    with a different number, fewer candidates than seats."""
    if n == 0:
        return []
    out = []
    if n < seats:
        out.append(f"候选人预备人选 {n} 人，少于应选名额 {seats} 名")
    elif method == "competitive":
        need = seats + max(1, -(-seats * int(COMPETITIVE_MARGIN * 100) // 100))
        if n < need:
            out.append(
                f"差额选举：候选人 {n} 人，应多于应选名额 {seats} 名的20%（至少 {need} 人，{RULE_ELECTION}）"
            )
    elif n != seats:
        out.append(f"等额选举：候选人 {n} 人，应等于应选名额 {seats} 名")
    return out


def candidate_warnings(election: Election) -> list[str]:
    """The election's candidates against its method (``count_warnings``)."""
    method = election.method or election.proposed_method
    return count_warnings(len(election.candidates), seats=election.seats, method=method)


def next_step(election: Election) -> str:
    """The key (records.STEPS) of the step to do next; "done" when approved."""
    if election.approved_on is not None:
        return "done"
    if election.reply_on is None:
        return "reply"
    if not election.candidates:
        return "candidates"
    if next_round(election) is not None:
        return "vote"
    if election.officers_on is None:
        return "officers"
    if election.report_on is None:
        return "report"
    return "approval"


# --- writing ---------------------------------------------------------------------------------------------------


def update_election(db: Database, election: Election, columns: Mapping[str, object]) -> None:
    before = {k: getattr(election, k) for k in columns}
    before = {k: v.isoformat() if isinstance(v, date) else v for k, v in before.items()}
    changes = [(k, before[k], v) for k, v in edits.changed_fields(before, columns).items()]
    edits.update_row(
        db, table="elections", entity=ENTITY, uuid=election.uuid, columns=columns, changes=changes
    )


def open_for_change(db: Database, uuid: str) -> Election:
    e = get_election(db, uuid=uuid)
    if e.archived_at is not None:
        raise ValidationError([Problem("election", "该换届选举已作废，不能再修改")])
    if e.approved_on is not None:
        raise ValidationError([Problem("election", "该换届选举已经上级批准，不能再修改")])
    return e


def _size_problem(field: str, size: int) -> list[Problem]:
    return [] if 1 <= size <= 15 else [Problem(field, f"委员名额 {size} 名不合理，应为1至15名（一般3至7名）")]


def start_election(
    db: Database, *, request_on: date, proposed_size: int, proposed_method: str, note: str = ""
) -> Election:
    """The 请示 to the upper 党委 for the 换届: the proposed committee size and method, the present term kept as it
    was. Refused while another election is under way, for an unknown method or an unreasonable size."""
    problems = _size_problem("proposed_size", proposed_size)
    if proposed_method not in METHODS:
        problems.append(Problem("proposed_method", f"未知的选举方式：{proposed_method}"))
    under_way = open_election(db)
    if under_way is not None:
        problems.append(
            Problem(
                "election", f"{under_way.request_on.isoformat()} 请示的换届选举尚未完成，请先完成或作废它"
            )
        )
    raise_if(problems)
    branch = get_branch(db)
    with db.atomic():
        uuid = edits.insert_row(
            db,
            "elections",
            {
                "old_term_start": branch.term_start.isoformat() if branch and branch.term_start else None,
                "old_term_end": branch.term_end.isoformat() if branch and branch.term_end else None,
                "request_on": request_on.isoformat(),
                "proposed_size": proposed_size,
                "proposed_method": proposed_method,
                "request_note": normalize_text(note),
            },
        )
        audit.Trail(db, ENTITY, uuid).create("request_on", new=request_on)
    return get_election(db, uuid=uuid)


def record_reply(
    db: Database,
    *,
    election_uuid: str,
    reply_on: date,
    reply_by: str,
    approved_size: int,
    method: str,
    document: str = "",
    today: date | None = None,
) -> Election:
    """The upper 党委's reply to the 请示: the day (not after today), who, the document, the approved size and
    method."""
    e = open_for_change(db, election_uuid)
    reply_by = normalize_text(reply_by)
    problems = _size_problem("approved_size", approved_size)
    problems += date_problems("reply_on", "批复日期", reply_on, today=today or date.today())
    if not reply_by:
        problems.append(Problem("reply_by", "请填写批复的上级党组织"))
    if method not in METHODS:
        problems.append(Problem("method", f"未知的选举方式：{method}"))
    if reply_on < e.request_on:
        problems.append(Problem("reply_on", f"批复日期不能早于请示日期 {e.request_on.isoformat()}"))
    if e.rounds:
        problems.append(Problem("approved_size", "已开始投票，不能再修改批复"))
    raise_if(problems)
    with db.atomic():
        update_election(
            db,
            e,
            {
                "reply_on": reply_on.isoformat(),
                "reply_by": reply_by,
                "reply_document": normalize_text(document),
                "approved_size": approved_size,
                "method": method,
            },
        )
    return get_election(db, uuid=election_uuid)


def _not_eligible(db: Database, member: Member, on: date) -> str:
    watch = watch_on(db, member_uuid=member.uuid, on=on)
    if watch is not None:
        return (
            f"{RULE_WATCH}：受留党察看处分的党员在留党察看期间没有被选举权，{member.name} 留党察看至 "
            f"{watch[1].isoformat()}，不能列为候选人"
        )
    return f"{member.name} 在 {on.isoformat()} 不是有被选举权的正式党员（预备党员、停止党籍或不在册），不能列为候选人"


def set_candidates(db: Database, *, election_uuid: str, member_uuids: Sequence[str], on: date) -> Election:
    """The 预备人选 (replacing the list so far), each eligible on ``on`` (the day of the vote). Refused before the
    reply, after voting began, for a member without 被选举权 that day (named with the reason). The 差额 rule is a
    warning (``candidate_warnings``)."""
    e = open_for_change(db, election_uuid)
    problems: list[Problem] = []
    if e.reply_on is None:
        problems.append(Problem("candidates", "请先登记上级党委的批复（委员名额、差额或等额）"))
    if e.rounds:
        problems.append(Problem("candidates", "已开始投票，不能再修改候选人"))
    eligible = {m.uuid: m for m in entitled_voters(db, on=on)}
    wanted = list(dict.fromkeys(member_uuids))
    for uuid in wanted:
        if uuid not in eligible:
            row = query_one(db, "SELECT uuid FROM members WHERE uuid = ?", [uuid])
            if row is None:
                raise NotFound("找不到该党员")
            problems.append(Problem("candidates", _not_eligible(db, get_member(db, uuid=uuid), on)))
    if not wanted:
        problems.append(Problem("candidates", "请至少选择一名候选人预备人选"))
    raise_if(problems)
    eid = _election_id(db, election_uuid)
    with db.atomic():
        old = {c.member_uuid: c for c in e.candidates}
        trail = audit.Trail(db, ENTITY, election_uuid)
        now = now_iso()
        for member_uuid, cand in old.items():
            if member_uuid not in wanted:  # taken off the list: kept, marked removed
                db.execute(
                    "UPDATE election_candidates SET removed_at = ?, updated_at = ? WHERE uuid = ?",
                    [now, now, cand.uuid],
                )
                trail.update("candidate", old=cand.name)
        for uuid in wanted:
            if uuid in old:
                continue
            member_id = db.execute("SELECT id FROM members WHERE uuid = ?", [uuid]).fetchone()[0]
            again = db.execute(
                "UPDATE election_candidates SET removed_at = NULL, updated_at = ? "
                "WHERE election_id = ? AND member_id = ?",
                [now, eid, member_id],
            )
            if again.rowcount == 0:
                edits.insert_row(db, "election_candidates", {"election_id": eid, "member_id": member_id})
            trail.update("candidate", new=eligible[uuid].name)
    return get_election(db, uuid=election_uuid)


def record_round(
    db: Database,
    *,
    election_uuid: str,
    held_on: date,
    present: int,
    issued: int,
    returned: int,
    valid: int,
    invalid: int,
    votes: Mapping[str, int],
    write_ins: Sequence[tuple[str, int]] = (),
    entitled: int | None = None,
    today: date | None = None,
) -> Election:
    """The count of the next round (``next_round``): 实到, ballots issued, returned, valid and invalid, the votes of
    each of its candidates (by member uuid) and the names written in (另选他人) with theirs. 应到会有选举权的人数
    is the roster's on ``held_on`` unless given (fewer, for members left out with the upper 党委's consent; never
    more than the roster's nor negative). A round whose returned ballots exceed the issued ones is recorded
    and void (``round_outcome``): the next round repeats it. Refused: numbers that cannot be right, a candidate not
    in this round or without 被选举权 on the day, a day before the previous round or the reply, or after today."""
    e = open_for_change(db, election_uuid)
    plan = next_round(e)
    if plan is None:
        raise ValidationError(
            [Problem("round", "没有待进行的投票：请先确定候选人" if not e.candidates else "应选名额已经选足")]
        )
    roster = entitled_count(db, on=held_on)
    problems: list[Problem] = []
    if entitled is None:
        entitled = roster
    elif not 0 <= entitled <= roster:
        problems.append(
            Problem(
                "entitled",
                f"应到会有选举权的人数 {entitled} 人不合理：{held_on.isoformat()} 名册上有选举权的正式党员 {roster} 人，"
                "应到人数不能为负数，也不能多于名册人数（经上级党组织同意不计算在内的党员只能减少应到人数），请核对",
            )
        )
        entitled = roster
    by_member = {c.member_uuid: c for c in e.candidates}
    in_round = {c.member_uuid for c in e.candidates if c.uuid in plan.candidates}
    for member_uuid in votes:
        if member_uuid not in in_round:
            who = by_member[member_uuid].name if member_uuid in by_member else member_uuid
            problems.append(Problem("votes", f"{who} 不是第 {plan.seq} 轮的候选人"))
    earliest = e.rounds[-1].held_on if e.rounds else e.reply_on
    if earliest is not None and held_on < earliest:
        problems.append(Problem("held_on", f"投票日期不能早于 {earliest.isoformat()}"))
    problems += date_problems("held_on", "投票日期", held_on, today=today or date.today())
    eligible = {m.uuid for m in entitled_voters(db, on=held_on)}
    for member_uuid in sorted(in_round):
        if member_uuid not in eligible:
            problems.append(
                Problem("candidates", _not_eligible(db, get_member(db, uuid=member_uuid), held_on))
            )
    names = {u: by_member[u].name for u in votes if u in by_member}
    problems += count_problems(
        seats=plan.seats,
        entitled=entitled,
        present=present,
        issued=issued,
        returned=returned,
        valid=valid,
        invalid=invalid,
        votes=votes,
        names=names,
        write_ins=write_ins,
    )
    raise_if(problems)
    eid = _election_id(db, election_uuid)
    with db.atomic():
        round_uuid = edits.insert_row(
            db,
            "election_rounds",
            {
                "election_id": eid,
                "seq": plan.seq,
                "held_on": held_on.isoformat(),
                "seats": plan.seats,
                "entitled": entitled,
                "present": present,
                "issued": issued,
                "returned": returned,
                "valid": valid,
                "invalid": invalid,
                "counted_at": now_iso(),
            },
        )
        round_id = db.execute("SELECT id FROM election_rounds WHERE uuid = ?", [round_uuid]).fetchone()[0]
        for c in e.candidates:
            if c.uuid in plan.candidates:
                cid = db.execute("SELECT id FROM election_candidates WHERE uuid = ?", [c.uuid]).fetchone()[0]
                edits.insert_row(
                    db,
                    "election_votes",
                    {"round_id": round_id, "candidate_id": cid, "votes": votes.get(c.member_uuid, 0)},
                )
        for name, n in write_ins:
            edits.insert_row(
                db, "election_votes", {"round_id": round_id, "write_in": normalize_text(name), "votes": n}
            )
        summary = f"第 {plan.seq} 轮：发出 {issued}，收回 {returned}，有效 {valid}，无效 {invalid}"
        audit.Trail(db, ENTITY, election_uuid).update("round", new=summary)
    return get_election(db, uuid=election_uuid)
