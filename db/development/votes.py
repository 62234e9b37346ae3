"""The branch assembly's vote on a person (接收预备党员, 预备党员转正, 延长预备期, 取消预备党员资格): who is entitled to vote, the quorum, the pass.

《中国共产党发展党员工作细则》 (quoted in docs/rules.md):

- 第二十条: “召开讨论接收预备党员的支部大会，有表决权的到会人数必须超过应到会有表决权人数的半数。”
- 第二十一条: “赞成人数超过应到会有表决权的正式党员的半数，才能通过接收预备党员的决议。因故不能到会的有表决权的
  正式党员，在支部大会召开前正式向党支部提出书面意见的，应当统计在票数内。”
- 第三十三条: “讨论预备党员转正的支部大会，对到会人数、赞成人数等要求与讨论接收预备党员的支部大会相同。”

党章第七条: 预备党员 have no vote (“除了没有表决权、选举权和被选举权以外”). So 应到 (``entitled``) counts the full
members on the roster **as it stood on the day of the vote**, not suspended (停止党籍) nor under 留党察看 that day, less the members
the branch decided to leave out under the rules (``excluded``, recorded with the decision in ``excluded_note``).
The vote passes only when 赞成 is more than half of 应到 — not of the votes cast. A vote may name the 支部党员大会
meeting where it was taken (``meeting_problems``): a ``branch_assembly`` of the meetings part, held that day.
"""

from __future__ import annotations

from datetime import date

from db.development.records import STEP_KINDS
from db.errors import Problem
from db.members import list_members
from db.records import Member
from db.rows import query
from db.rules import add_years
from db.standing import suspended_on, under_watch
from db.store import Database

RULE_QUORUM = "《中国共产党发展党员工作细则》第二十条"
RULE_PASS = "《中国共产党发展党员工作细则》第二十一条"
RULE_FULL_VOTE = "《中国共产党发展党员工作细则》第三十三条"
# 延长预备期 and 取消预备党员资格: 党章第七条 asks for the same 支部大会 and approval as 转正, so the same counts.
RULE_PROBATION_VOTE = "党章第七条、《中国共产党发展党员工作细则》第三十三条"


def vote_rules(kind: str) -> tuple[str, str]:
    """The article a vote of ``kind`` cites for its quorum and for its pass."""
    if kind == "admission_vote":
        return RULE_QUORUM, RULE_PASS
    base = RULE_FULL_VOTE if kind == "full_vote" else RULE_PROBATION_VOTE
    return f"{base}（同第二十条）", f"{base}（同第二十一条）"


def full_on_day(member: Member, on: date) -> bool:
    """Was the member a full member on ``on``? By ``full_on``; without it, a full member admitted a year before."""
    if member.full_on is not None:
        return member.full_on <= on
    if member.category != "full":
        return False
    return member.joined_on is None or add_years(member.joined_on, 1) <= on


def on_roster_on(member: Member, on: date) -> bool:
    """Was the member on this branch's roster on ``on`` (admitted by then, not yet archived)?"""
    if member.joined_on is not None and member.joined_on > on:
        return False
    return member.status == "active" or (member.status_on is not None and member.status_on > on)


def entitled_voters(db: Database, *, on: date) -> list[Member]:
    """The full members entitled to vote on ``on``: on the roster that day, full by then, not suspended that day
    (``db.standing.suspended_on``: by the recorded 停止党籍/恢复党籍 events; without events, by the current standing),
    not under 留党察看 that day (选举工作条例第五条: “受留党察看处分的党员在留党察看期间没有表决权”)."""
    left_out = suspended_on(db, on=on) | under_watch(db, on=on)
    return [
        m
        for m in list_members(db, status=None)
        if on_roster_on(m, on) and full_on_day(m, on) and m.uuid not in left_out
    ]


def vote_problems(
    db: Database,
    *,
    kind: str,
    on: date,
    votes: tuple[int | None, int | None, int | None],
    present: int | None,
    excluded: int | None,
    excluded_note: str,
) -> tuple[list[Problem], int]:
    """The errors of a vote (each naming its article and the counts) and the 应到 it was judged against."""
    rule_quorum, rule_pass = vote_rules(kind)
    errors: list[Problem] = []
    roster = len(entitled_voters(db, on=on))
    left_out = excluded or 0
    if left_out < 0:
        errors.append(Problem("excluded", "不计入应到人数的党员人数不能为负数"))
        left_out = 0
    if left_out and not excluded_note.strip():
        errors.append(
            Problem("excluded", "不计入应到会人数的党员须写明支部的决定和原因（如长期外出、患病、服刑等）")
        )
    if left_out > roster:
        errors.append(
            Problem("excluded", f"不计入的人数（{left_out}）超过有表决权的正式党员人数（{roster} 人）")
        )
    entitled = max(roster - left_out, 0)
    needed = entitled // 2 + 1
    votes_for = votes[0]
    if votes_for is None:
        errors.append(Problem("votes_for", "请填写赞成票数"))
    total = sum(v or 0 for v in votes)
    if total > entitled:
        errors.append(
            Problem(
                "votes_for",
                f"表决票数合计 {total} 张，超过有表决权的正式党员人数（{entitled} 人）：应到人数按 {on} 的名册计算",
            )
        )
    if present is not None:
        if present > entitled:
            errors.append(
                Problem("present", f"实到 {present} 人，超过应到会有表决权的正式党员人数（{entitled} 人）")
            )
        elif present < needed:
            errors.append(
                Problem(
                    "present",
                    f"{rule_quorum}：有表决权的到会人数必须超过应到会有表决权人数的半数"
                    f"（应到 {entitled} 人，实到 {present} 人，至少需 {needed} 人），会议不能表决",
                )
            )
    if votes_for is not None and votes_for < needed:
        errors.append(
            Problem(
                "votes_for",
                f"{rule_pass}：赞成人数超过应到会有表决权的正式党员的半数，才能通过决议"
                f"（应到 {entitled} 人，赞成 {votes_for} 票，至少需 {needed} 票；因故未到会者会前提交的书面意见"
                "应统计在票数内）",
            )
        )
    return errors, entitled


def assembly_meetings(db: Database) -> list[tuple[str, date, str]]:
    """The 支部党员大会 meetings in the database a vote can be linked to (not cancelled): (uuid, day, topic), the
    latest first."""
    return [
        (r["uuid"], date.fromisoformat(r["planned_on"]), r["topic"])
        for r in query(
            db,
            "SELECT uuid, planned_on, topic FROM meetings WHERE kind = 'branch_assembly' AND status != 'cancelled' "
            "ORDER BY planned_on DESC, id DESC",
        )
    ]


def meeting_problems(db: Database, *, meeting_uuid: str | None, on: date) -> list[Problem]:
    """A vote's meeting must be a 支部党员大会 in the database, not cancelled, held on the vote's day."""
    if not meeting_uuid:
        return []
    found = next((m for m in assembly_meetings(db) if m[0] == meeting_uuid), None)
    if found is None:
        return [Problem("meeting", "所选会议不是本支部已记录的支部党员大会（或已取消）")]
    if found[1] != on:
        return [Problem("meeting", f"所选支部党员大会的日期是 {found[1]}，与表决日期（{on}）不一致")]
    return []


def votes_at_meeting(db: Database, *, meeting_uuid: str) -> list[str]:
    """What the 支部党员大会 decided on people, one line per vote linked to it: who, what, and the counts."""
    lines = []
    for r in query(
        db,
        "SELECT p.name AS name, s.kind AS kind, s.entitled AS entitled, s.present AS present, "
        "s.votes_for AS votes_for, s.votes_against AS votes_against, s.votes_abstain AS votes_abstain "
        "FROM development_steps s JOIN development_people p ON p.id = s.person_id "
        "JOIN meetings m ON m.id = s.meeting_id WHERE m.uuid = ? AND s.voided = 0 ORDER BY s.id",
        [meeting_uuid],
    ):
        counts = f"应到 {r['entitled']} 人" if r["entitled"] is not None else ""
        if r["present"] is not None:
            counts += f"，实到 {r['present']} 人"
        counts += f"，赞成 {r['votes_for'] or 0} 票、反对 {r['votes_against'] or 0} 票、弃权 {r['votes_abstain'] or 0} 票"
        lines.append(f"{r['name']}：{STEP_KINDS[r['kind']].label}（{counts.lstrip('，')}）")
    return lines
