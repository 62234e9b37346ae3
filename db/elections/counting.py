"""Counting one round of an election (计票), as pure functions of the numbers the tellers report.

《中国共产党基层组织选举工作条例》 and the practice quoted in docs/rules.md:

- 有选举权的到会人数超过应到会人数的五分之四, 方能进行选举;
- 收回的选票等于或者少于发出的选票, 选举有效; 多于发出的选票, 选举无效, 应当重新选举;
- 每张选票所选人数等于或者少于规定应选人数的为有效票, 多于的为无效票;
- 被选举人获得的赞成票超过应到会有选举权人数的半数, 始得当选; 超过半数的多于应选名额时以得票多少为序, 至取足应选名额
  为止; 如遇票数相等不能确定当选人时, 应当就票数相等的被选举人再次投票, 得票多的当选 (the re-vote elects by
  more votes: the tied candidates passed half already);
- 超过半数的少于应选名额时, 不足的名额另行选举.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from db.errors import Problem


@dataclass(frozen=True)
class Outcome:
    """What a counted round decides. ``void``: the vote is invalid as a whole (``reason`` says why: to be held
    again); ``elected`` in order of votes; ``tied``: the candidates tied at the last seat, ``tie_seats`` the seats
    left to them (another round among them); ``short``: seats left unfilled because too few passed half;
    ``tie_break``: the round was the re-vote among candidates tied at the last seat, decided by more votes
    (``threshold`` 0)."""

    void: bool
    reason: str
    elected: tuple[str, ...]
    tied: tuple[str, ...]
    tie_seats: int
    short: int
    # Votes needed: more than half of 应到 (the smallest whole number above it); 0 in a re-vote.
    threshold: int
    tie_break: bool = False


def threshold(entitled: int) -> int:
    """The fewest votes that are more than half of ``entitled``."""
    return entitled // 2 + 1


def quorum_needed(entitled: int) -> int:
    """The fewest present that are more than four fifths of ``entitled``."""
    return entitled * 4 // 5 + 1


def count_problems(
    *,
    seats: int,
    entitled: int,
    present: int,
    issued: int,
    returned: int,
    valid: int,
    invalid: int,
    votes: Mapping[str, int],
    names: Mapping[str, str],
    write_ins: Sequence[tuple[str, int]] = (),
) -> list[Problem]:
    """The numbers that cannot be right (blocking), each naming what and where."""
    out: list[Problem] = []
    counts = {
        "present": ("实到人数", present),
        "issued": ("发出选票", issued),
        "returned": ("收回选票", returned),
    }
    counts |= {"valid": ("有效票", valid), "invalid": ("无效票", invalid)}
    counts |= {f"votes:{key}": (f"{names.get(key, key)} 得票", n) for key, n in votes.items()}
    counts |= {f"write_in:{i}": (f"另选他人 {name} 得票", n) for i, (name, n) in enumerate(write_ins)}
    below = [
        Problem(field.split(":")[0], f"{label}不能是负数（{n}），请核对")
        for field, (label, n) in counts.items()
        if n < 0
    ]
    if below:
        return below
    if present > entitled:
        out.append(Problem("present", f"实到 {present} 人多于应到会有选举权的 {entitled} 人，请核对"))
    if issued > present:
        out.append(
            Problem("issued", f"发出选票 {issued} 张多于实到会有选举权的 {present} 人：选票按实到人数发放")
        )
    if returned <= issued and valid + invalid != returned:
        out.append(
            Problem("valid", f"有效票 {valid} 张加无效票 {invalid} 张应等于收回的 {returned} 张，请核对")
        )
    for key, n in votes.items():
        if n > valid and returned <= issued:
            out.append(Problem("votes", f"{names.get(key, key)} 得票 {n} 张多于有效票 {valid} 张，请核对"))
    for name, n in write_ins:
        if not name.strip():
            out.append(Problem("write_in", "另选他人的姓名不能为空"))
        if n > valid and returned <= issued:
            out.append(Problem("write_in", f"另选他人 {name} 得票 {n} 张多于有效票 {valid} 张，请核对"))
        elif n >= threshold(entitled) and returned <= issued and present >= quorum_needed(entitled):
            # A name written in that passes half of 应到 may be elected (the rule counts every 被选举人, not only
            # the listed ones); the program elects candidates only, so the count is not recorded with a wrong
            # result: the secretary adds the person as a candidate (who must have 被选举权) and counts again.
            out.append(
                Problem(
                    "write_in",
                    f"另选他人 {name} 得票 {n} 张，超过应到会有选举权人数 {entitled} 人的半数，可能当选："
                    "请核实其被选举权，把其补登为候选人（在录入第一轮计票之前可修改候选人），再录入计票；"
                    "已开始投票的，请报上级党委确定如何处理",
                )
            )
    if returned <= issued and sum(votes.values()) + sum(n for _, n in write_ins) > valid * seats:
        out.append(
            Problem(
                "votes",
                f"得票合计多于有效票 {valid} 张 × 应选 {seats} 名，每张有效票最多选 {seats} 人，请核对",
            )
        )
    return out


def decide(
    *,
    seats: int,
    entitled: int,
    present: int,
    issued: int,
    returned: int,
    votes: Mapping[str, int],
    tie_break: bool = False,
) -> Outcome:
    """Who a round elects (see the module's docstring). ``votes``: candidate → votes. ``tie_break``: the round is
    the re-vote among candidates tied at the last seat of an earlier round (they passed half there): “得票多的当选”,
    by more votes without the half of 应到 again; a tie at the last seat again is voted again."""
    need = 0 if tie_break else threshold(entitled)
    if present < quorum_needed(entitled):
        reason = (
            f"到会有选举权的 {present} 人未超过应到会 {entitled} 人的五分之四（至少需 {quorum_needed(entitled)} 人），"
            "不能进行选举"
        )
        return Outcome(True, reason, (), (), 0, 0, need, tie_break)
    if returned > issued:
        reason = f"收回的选票 {returned} 张多于发出的 {issued} 张，选举无效，应当重新选举"
        return Outcome(True, reason, (), (), 0, 0, need, tie_break)
    passed = sorted((k for k, n in votes.items() if n >= need), key=lambda k: -votes[k])
    if len(passed) <= seats:
        return Outcome(False, "", tuple(passed), (), 0, seats - len(passed), need, tie_break)
    cutoff = votes[passed[seats - 1]]
    above = tuple(k for k in passed if votes[k] > cutoff)
    at = tuple(k for k in passed if votes[k] == cutoff)
    if len(above) + len(at) <= seats:  # cannot happen with len(passed) > seats, kept for clarity
        return Outcome(False, "", above + at, (), 0, 0, need, tie_break)
    return Outcome(False, "", above, at, seats - len(above), 0, need, tie_break)
