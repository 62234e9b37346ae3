"""The election's records and vocabulary (换届选举): importable without the service.

Sources (quoted in docs/rules.md): 《中国共产党基层组织选举工作条例》 and the published practice of 党支部换届.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

METHODS = {"competitive": "差额选举", "equal": "等额选举"}
COMPETITIVE_MARGIN = 0.2  # 差额选举: candidates at least 20% more than seats (a warning)
RULE_ELECTION = "《中国共产党基层组织选举工作条例》"

STEPS = {
    "request": "请示上级党委",
    "reply": "上级批复",
    "candidates": "确定候选人预备人选",
    "vote": "选举大会投票计票",
    "officers": "选举书记、副书记",
    "report": "报送选举结果",
    "approval": "上级批准",
}


@dataclass(frozen=True)
class Candidate:
    uuid: str
    member_uuid: str
    name: str
    role: str | None  # the committee role given at the first meeting of the new committee (分工)


@dataclass(frozen=True)
class VoteLine:
    """One line of a round's count: a candidate (``candidate_uuid``) or a name written in (另选他人)."""

    candidate_uuid: str | None
    name: str
    votes: int | None


@dataclass(frozen=True)
class Round:
    uuid: str
    seq: int
    held_on: date
    seats: int
    entitled: int | None  # 应到会有选举权的人数
    present: int | None  # 实到会有选举权的人数
    issued: int | None
    returned: int | None
    valid: int | None
    invalid: int | None
    counted_at: str | None
    lines: tuple[VoteLine, ...] = ()

    @property
    def counted(self) -> bool:
        return self.counted_at is not None


@dataclass(frozen=True)
class Election:
    uuid: str
    old_term_start: date | None
    old_term_end: date | None
    request_on: date
    proposed_size: int
    proposed_method: str
    request_note: str
    reply_on: date | None
    reply_by: str
    reply_document: str
    approved_size: int | None
    method: str | None
    officers_on: date | None
    report_on: date | None
    approved_on: date | None
    approved_by: str
    approval_document: str
    term_start: date | None
    term_end: date | None
    archived_at: str | None
    created_at: str
    candidates: tuple[Candidate, ...] = field(default=())
    rounds: tuple[Round, ...] = field(default=())

    @property
    def seats(self) -> int:
        """应选名额: the size the upper 党委 approved (the proposed one until the reply)."""
        return self.approved_size or self.proposed_size

    @property
    def method_name(self) -> str:
        return METHODS[self.method or self.proposed_method]

    @property
    def held_on(self) -> date | None:
        """The day of the (first) vote, None before any round."""
        return self.rounds[0].held_on if self.rounds else None
