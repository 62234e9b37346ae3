"""The 组织生活会's preparation and follow-up: vocabulary and records, importable without the service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# Where an opinion (征求意见) came from.
OPINION_SOURCES: dict[str, str] = {"member": "党员", "masses": "群众", "upper": "上级党委"}

# The talk pairs a 组织生活会 expects before it (docs/rules.md, 组织生活会): the 书记 with each other committee member
# and with each member, and the committee members among themselves.
PAIR_KINDS: dict[str, str] = {
    "secretary_committee": "书记与支委",
    "committee_pair": "支委之间",
    "secretary_member": "书记与党员",
}

# The attachment kind of a 对照检查材料 (db/attachments: owner_kind, owner_id = the material's uuid).
MATERIAL_KIND = "life_meeting_material"


@dataclass(frozen=True)
class Opinion:
    """One opinion gathered before the meeting: its text, from whom (a member, the masses, the upper 党委) and when."""

    uuid: str
    source_kind: str
    member_uuid: str | None
    member_name: str
    source_name: str  # who among the masses / which office above; free text, may be ""
    received_on: date
    text: str

    @property
    def source_label(self) -> str:
        return OPINION_SOURCES[self.source_kind]

    @property
    def from_text(self) -> str:
        """``党员 张三`` / ``群众 三号井职工`` / ``上级党委``."""
        who = self.member_name if self.source_kind == "member" else self.source_name
        return f"{self.source_label} {who}".strip()


@dataclass(frozen=True)
class TalkPair:
    """A pair expected to talk before the meeting, and the latest talk they had in its window (None: missing)."""

    kind: str
    a_uuid: str
    a_name: str
    b_uuid: str
    b_name: str
    talk_uuid: str | None
    talk_on: date | None

    @property
    def missing(self) -> bool:
        return self.talk_uuid is None

    @property
    def kind_label(self) -> str:
        return PAIR_KINDS[self.kind]


@dataclass(frozen=True)
class Material:
    """One member's 对照检查材料: submitted on ``submitted_on`` (None: not yet), with the file as an attachment of
    the material's ``uuid`` (None until submitted)."""

    member_uuid: str
    member_name: str
    uuid: str | None
    submitted_on: date | None
    note: str


@dataclass(frozen=True)
class Criticism:
    """批评与自我批评 of one member at the meeting, each in a few words ("" when not recorded)."""

    member_uuid: str
    member_name: str
    self_criticism: str
    criticism: str

    @property
    def recorded(self) -> bool:
        return bool(self.self_criticism or self.criticism)


@dataclass(frozen=True)
class LifeMeetingReport:
    """What the 组织生活会情况报告 for the upper 党委 says, in figures."""

    meeting_uuid: str
    title: str  # 2025年度组织生活会
    branch_name: str
    held_on: date
    held: bool
    place: str
    host: str
    topic: str
    content: str
    expected: int
    present: int
    leave: int
    absent: int
    leave_names: tuple[str, ...]
    absent_names: tuple[str, ...]
    opinions: dict[str, int]  # per source kind, every kind a key
    talks_expected: int
    talks_held: int
    materials_expected: int
    materials_submitted: int
    criticism_recorded: int
    items: dict[str, int]  # 整改 items per finding status (open, rectified, closed), every status a key
    overdue: int  # open items past their deadline on the report's day

    @property
    def opinions_total(self) -> int:
        return sum(self.opinions.values())

    @property
    def items_total(self) -> int:
        return sum(self.items.values())
