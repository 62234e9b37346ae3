"""The texts of the election's papers (no Qt): the 请示, the 选举办法, the 选票, the 计票结果 and the
选举结果报告, filled in from the branch's data. ``desktop.printing.elections`` lays them out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from db.branch import get_branch, list_committee
from db.development.votes import full_on_day, on_roster_on
from db.elections.counting import quorum_needed, threshold
from db.elections.records import METHODS, Election
from db.elections.service import elected, entitled_count, next_round, round_outcome
from db.members import list_members
from db.records import COMMITTEE_ROLES
from db.rules import chinese_date, date_text
from db.store import Database


@dataclass(frozen=True)
class Letter:
    """A letter to the upper 党委 or a text of numbered paragraphs: title, addressee (may be empty), paragraphs,
    the lines signed at the bottom right."""

    title: str
    addressee: str
    paragraphs: tuple[str, ...]
    closing: tuple[str, ...]


@dataclass(frozen=True)
class Ballot:
    title: str
    subtitle: str
    names: tuple[str, ...]  # in 姓氏笔画 order
    write_in_boxes: int  # blank boxes for 另选他人
    notes: tuple[str, ...]


@dataclass(frozen=True)
class CountRow:
    round: str
    name: str
    votes: str
    result: str


@dataclass(frozen=True)
class CountSheet:
    title: str
    subtitle: str
    summary: tuple[str, ...]
    rows: tuple[CountRow, ...]
    footer: tuple[str, ...]


def _branch(db: Database) -> tuple[str, str]:
    b = get_branch(db)
    return (b.name, b.parent_org) if b else ("", "")


def _margin(e: Election) -> str:
    n, seats = len(e.candidates), e.seats
    if (e.method or e.proposed_method) == "equal" or n <= seats:
        return f"候选人 {n} 名，实行等额选举"
    return f"候选人 {n} 名，差额 {n - seats} 名（差额比例 {round((n - seats) * 100 / seats)}%），实行差额选举"


def request_letter(db: Database, e: Election) -> Letter:
    """The 请示 to the upper 党委: the term, the members, the present committee, the proposed size and method."""
    name, parent = _branch(db)
    day = e.request_on
    roster = [m for m in list_members(db, status=None) if on_roster_on(m, day)]
    full = sum(1 for m in roster if full_on_day(m, day))
    committee = list_committee(db, on=day)
    term = (
        f"本届支部委员会任期自 {date_text(e.old_term_start)} 至 {date_text(e.old_term_end)}"
        if e.old_term_start and e.old_term_end
        else "本届支部委员会任期即将届满"
    )
    people = "，".join(f"{COMMITTEE_ROLES[c.role]}{c.member_name}" for c in committee)
    serving = (
        f"二、现任支部委员会由 {len(committee)} 人组成：{people}。"
        if committee
        else "二、支部目前未登记支部委员。"
    )
    paras = (
        (
            f"{term}。根据《中国共产党章程》和《中国共产党基层组织选举工作条例》的有关规定，经支部委员会研究，"
            "拟召开支部党员大会进行换届选举。现将有关事项请示如下："
        ),
        f"一、支部现有党员 {len(roster)} 名，其中正式党员 {full} 名，预备党员 {len(roster) - full} 名。",
        serving,
        f"三、新一届支部委员会拟由 {e.proposed_size} 名委员组成，设书记 1 名，"
        f"实行{METHODS[e.proposed_method]}。" + (e.request_note and f"{e.request_note}"),
        "四、选举采用无记名投票方式，候选人预备人选经党员酝酿、支部委员会研究后报上级党委审查。",
        "妥否，请批示。",
    )
    return Letter(
        f"关于{name}换届选举的请示",
        f"{parent}：" if parent else "",
        paras,
        (name, chinese_date(e.request_on)),
    )


def election_method(db: Database, e: Election, *, on: date) -> Letter:
    """The 选举办法 of the 支部党员大会, from the template with this election's numbers."""
    name, _parent = _branch(db)
    held = e.held_on or on
    entitled = entitled_count(db, on=held)
    seats = e.seats
    approval = (
        f"经{e.reply_by}批复（{e.reply_document}），"
        if e.reply_by and e.reply_document
        else (f"经{e.reply_by}批复，" if e.reply_by else "")
    )
    paras = (
        "一、根据《中国共产党章程》和《中国共产党基层组织选举工作条例》，制定本办法。",
        f"二、本次支部党员大会选举产生{name}新一届支部委员会。{approval}支部委员会由 {seats} 名委员组成，{_margin(e)}。",
        "三、选举采用无记名投票方式。选票上的候选人名单以姓氏笔画为序排列。",
        (
            f"四、本支部应到会有选举权的党员 {entitled} 名。有选举权的到会人数超过应到会人数的五分之四"
            f"（至少 {quorum_needed(entitled)} 名），方可进行选举。"
        ),
        (
            "五、选举人对候选人可以投赞成票、不赞成票，也可以弃权；投不赞成票的可以另选他人。赞成的在候选人姓名上方的方格内"
            "画“○”，不赞成的画“×”，弃权的不画任何符号；另选他人的，在空格内写上另选人的姓名，并在其上方的方格内画“○”。"
        ),
        f"六、每张选票所选人数等于或者少于应选名额 {seats} 名的为有效票，多于 {seats} 名的为无效票。",
        "七、收回的选票等于或者少于发出的选票，选举有效；多于发出的选票，选举无效，应当重新选举。",
        (
            f"八、被选举人获得的赞成票超过应到会有选举权人数的半数（至少 {threshold(entitled)} 票），始得当选。"
            "获得赞成票超过半数的被选举人多于应选名额时，以得票多少为序，至取足应选名额为止；如遇票数相等不能确定当选人时，"
            "就票数相等的被选举人再次投票，得票多的当选。获得赞成票超过半数的被选举人少于应选名额时，不足的名额另行选举。"
        ),
        "九、大会设监票人、计票人，由全体党员从不是候选人的党员中推选，经党员大会表决通过。计票人在监票人监督下工作。",
        "十、因故未出席会议的党员不能委托他人代为投票。",
        "十一、本办法经支部党员大会表决通过后生效。",
    )
    return Letter(f"{name}党员大会选举办法", "", paras, (f"{name}党员大会", chinese_date(held)))


def ballot(db: Database, e: Election) -> Ballot:
    """The ballot of the next round (else of the last one): its candidates in 姓氏笔画 order, a box each, blank
    boxes for 另选他人 (as many as seats)."""
    name, _parent = _branch(db)
    plan = next_round(e)
    if plan is not None:
        seq, seats, uuids = plan.seq, plan.seats, set(plan.candidates)
    elif e.rounds:
        last = e.rounds[-1]
        seq, seats, uuids = (
            last.seq,
            last.seats,
            {ln.candidate_uuid for ln in last.lines if ln.candidate_uuid},
        )
    else:
        seq, seats, uuids = 1, e.seats, {c.uuid for c in e.candidates}
    names = tuple(c.name for c in e.candidates if c.uuid in uuids)
    round_text = "" if seq == 1 else f"（第 {seq} 轮）"
    notes = (
        f"1. 应选 {seats} 名，候选人 {len(names)} 名，按姓氏笔画为序排列。",
        "2. 赞成的在候选人姓名上方的方格内画“○”，不赞成的画“×”，弃权的不画任何符号。",
        "3. 投不赞成票的可以另选他人：在空格内写上另选人的姓名，并在其上方的方格内画“○”。",
        f"4. 所选人数等于或者少于 {seats} 名的为有效票，多于 {seats} 名的为无效票。",
        "5. 选票上除规定的符号外，不得作任何记号。",
    )
    return Ballot(
        f"{name}委员会委员选举选票{round_text}",
        f"应选 {seats} 名",
        names,
        seats,
        notes,
    )


def count_sheet(db: Database, e: Election) -> CountSheet:
    """The 计票结果 of every round: the numbers the tellers report, each candidate's votes and result."""
    name, _parent = _branch(db)
    summary: list[str] = []
    rows: list[CountRow] = []
    for rnd in e.rounds:
        outcome = round_outcome(e, rnd)
        label = f"第 {rnd.seq} 轮"
        valid_text = f"选举无效：{outcome.reason}" if outcome.void else "选举有效"
        rule = (
            "票数相等的被选举人再次投票，得票多的当选"
            if outcome.tie_break
            else f"当选须至少 {outcome.threshold} 票"
        )
        summary.append(
            f"{label}（{date_text(rnd.held_on)}，应选 {rnd.seats} 名）：应到会有选举权 {rnd.entitled} 人，实到 "
            f"{rnd.present} 人；发出选票 {rnd.issued} 张，收回 {rnd.returned} 张，有效 {rnd.valid} 张，无效 "
            f"{rnd.invalid} 张；{rule}；{valid_text}"
        )
        for ln in rnd.lines:
            if ln.candidate_uuid is None:
                result = "另选他人"
            elif outcome.void:
                result = "—"
            elif ln.candidate_uuid in outcome.elected:
                result = "当选"
            elif ln.candidate_uuid in outcome.tied:
                result = "票数相等，再次投票"
            else:
                result = "未当选"
            rows.append(CountRow(label, ln.name, str(ln.votes if ln.votes is not None else ""), result))
    held = e.held_on
    return CountSheet(
        f"{name}换届选举计票结果",
        f"支部党员大会 {date_text(held)}" if held else "尚未投票",
        tuple(summary),
        tuple(rows),
        (
            "监票人（签字）：＿＿＿＿＿＿＿＿　＿＿＿＿＿＿＿＿",
            "计票人（签字）：＿＿＿＿＿＿＿＿　＿＿＿＿＿＿＿＿",
        ),
    )


def result_report(db: Database, e: Election, *, on: date) -> Letter:
    """The 选举结果报告 to the upper 党委: the vote, who was elected with their votes, the officers."""
    name, parent = _branch(db)
    winners = elected(e)
    paras: list[str] = []
    reply = (
        f"经{e.reply_by}于 {date_text(e.reply_on)} 批复同意"
        + (f"（{e.reply_document}）" if e.reply_document else "")
        if e.reply_on
        else "经上级党委同意"
    )
    if e.rounds:
        # the meeting that could elect: the first round with more than four fifths present (a round without
        # them is void and listed below with its reason)
        quorate = [r for r in e.rounds if (r.present or 0) >= quorum_needed(r.entitled or 0)]
        first = quorate[0] if quorate else e.rounds[0]
        quorum = "超过" if quorate else "未超过"
        paras.append(
            f"{reply}，{name}于 {date_text(first.held_on)} 召开支部党员大会，进行换届选举。应到会有选举权的党员 "
            f"{first.entitled} 名，实到 {first.present} 名，{quorum}应到会人数的五分之四。大会通过了选举办法，"
            f"以无记名投票方式，{_margin(e)}。"
        )
        for rnd in e.rounds:
            outcome = round_outcome(e, rnd)
            verdict = f"选举无效（{outcome.reason}）" if outcome.void else "选举有效"
            paras.append(
                f"第 {rnd.seq} 轮投票发出选票 {rnd.issued} 张，收回 {rnd.returned} 张，其中有效票 {rnd.valid} 张，"
                f"无效票 {rnd.invalid} 张，{verdict}。"
            )
    ordered = sorted(winners, key=lambda cv: e.candidates.index(cv[0]))  # 姓氏笔画
    paras.append(
        f"选举产生新一届支部委员会委员 {len(winners)} 名（按姓氏笔画为序）："
        + "、".join(f"{c.name}（{v} 票）" for c, v in ordered)
        + "。"
    )
    if e.officers_on:
        roles = sorted(
            (c for c, _ in winners if c.role), key=lambda c: list(COMMITTEE_ROLES).index(c.role or "")
        )
        paras.append(
            f"{date_text(e.officers_on)}，新一届支部委员会召开第一次全体会议，选举"
            + "，".join(f"{c.name}为{COMMITTEE_ROLES[c.role or '']}" for c in roles)
            + "。"
        )
    paras.append("以上选举结果，请审批。")
    return Letter(
        f"关于{name}换届选举结果的报告",
        f"{parent}：" if parent else "",
        tuple(paras),
        (name, chinese_date(on)),
    )
