"""Records and vocabulary of meetings and organisational life: the one place the meeting kinds, attendance
states, grades and frequencies are written down, and the frozen records every other module receives.

Everything here is plain data and pure functions of records: no database access, so ``db.meetings.compliance``,
``db.workbook.format`` and the GUI can read the vocabulary without importing the service.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from db.errors import Problem
from db.records import Member, PartReminder
from db.rules import date_text

KINDS: dict[str, str] = {
    "branch_assembly": "支部党员大会",
    "committee_meeting": "支部委员会会议",
    "group_meeting": "党小组会",
    "party_lecture": "党课",
    "theme_day": "主题党日",
    "life_meeting": "组织生活会",
    "appraisal": "民主评议党员",
}
STATES: dict[str, str] = {
    "expected": "应到",
    "present": "出席",
    "leave": "请假",
    "absent": "缺席",
    "observer": "列席",
}
# Attendance states as the HQ workbook writes them: a person still only "expected" at a held meeting is 未登记.
EXPORT_ATTENDANCE_STATES: dict[str, str] = {**STATES, "expected": "未登记"}
MEETING_STATUSES: dict[str, str] = {"planned": "计划", "held": "已召开", "cancelled": "已取消"}
GRADES: dict[str, str] = {
    "excellent": "优秀",
    "qualified": "合格",
    "basically_qualified": "基本合格",
    "unqualified": "不合格",
}
# Fields of a meeting that ``update_meeting`` and ``amend_meeting`` accept, with their Chinese labels.
FIELD_LABELS: dict[str, str] = {
    "planned_on": "计划日期",
    "planned_time": "计划时间",
    "place": "地点",
    "topic": "议题",
    "host": "主持人",
    "recorder": "记录人",
    "lecturer": "授课人",
    "content": "会议内容",
    "speaking_points": "发言要点",
    "is_election": "是否选举",
    "started_at": "实际开始时间",
    "ended_at": "实际结束时间",
    "review_year": "年度",
    "study_hours": "学时",
}

# kind -> frequency of the meetings required of a branch (GLOSSARY: Meetings); party_lecture's frequency is a
# branch setting (``party_lecture_frequency``), this is its default
FREQUENCIES: dict[str, str] = {
    "branch_assembly": "quarter",
    "committee_meeting": "month",
    "group_meeting": "month",
    "party_lecture": "quarter",
    "theme_day": "month",
    "life_meeting": "year",
    "appraisal": "year",
}
FREQUENCY_NAMES = {"month": "每月", "quarter": "每季度", "half_year": "每半年", "year": "每年"}
PERIOD_NAMES = {"month": "月", "quarter": "季度", "half_year": "半年", "year": "年"}


def meeting_title(kind: str, party_group_name: str) -> str:
    """``第一党小组会`` / ``采煤班 党小组会`` / ``支部党员大会``: the kind, with the party group for group meetings;
    a group named ``…党小组`` is not doubled (``第1党小组会``, never ``第1党小组党小组会``)."""
    if not party_group_name:
        return KINDS[kind]
    if kind == "group_meeting" and party_group_name.endswith("党小组"):
        return f"{party_group_name}会"
    return f"{party_group_name} {KINDS[kind]}"


# Kinds that review a year (年度): they count for that year, whenever held (issue 14).
YEARLY_REVIEW_KINDS = frozenset({"life_meeting", "appraisal"})
REVIEW_GRACE_MONTHS = 3  # a year's review may still be held in January–March of the next year


def default_review_year(held_on: date) -> int:
    """The 年度 a yearly review held on ``held_on`` reviews by default: the previous year when held in
    January–March, else the year it is held."""
    return held_on.year - 1 if held_on.month <= REVIEW_GRACE_MONTHS else held_on.year


def review_title(kind: str, year: int | None) -> str:
    """``2025年度组织生活会`` for a yearly review, else the kind's name."""
    return f"{year}年度{KINDS[kind]}" if year is not None and kind in YEARLY_REVIEW_KINDS else KINDS[kind]


# --- records ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Meeting:
    """A meeting with its derived attendance counts (应到 = expected, 实到 = present, 请假 = leave)."""

    id: int
    uuid: str
    kind: str
    year: int
    seq: int
    party_group_uuid: str | None
    party_group_name: str
    planned_on: date
    planned_time: str
    started_at: datetime | None
    ended_at: datetime | None
    place: str
    topic: str
    host_uuid: str | None
    host_name: str
    recorder_uuid: str | None
    recorder_name: str
    lecturer: str
    content: str
    speaking_points: str
    is_election: bool
    status: str
    cancel_reason: str
    locked_at: str | None
    expected: int
    present: int
    leave: int
    absent: int
    observers: int
    review_year: int | None = None  # the 年度 a 组织生活会 / 民主评议党员 reviews (None: other kinds)
    study_hours: float | None = None  # 学时 its attendance credits; None: its kind's default (db.training)

    @property
    def kind_name(self) -> str:
        return KINDS[self.kind]

    @property
    def reviewed_year(self) -> int | None:
        """The 年度 this meeting counts for: ``review_year``, or its default for rows without one; None for kinds
        that do not review a year."""
        if self.kind not in YEARLY_REVIEW_KINDS:
            return None
        return self.review_year or default_review_year(self.held_on)

    @property
    def held_on(self) -> date:
        """The date the meeting took place (or is planned for)."""
        return self.started_at.date() if self.started_at else self.planned_on

    @property
    def number_text(self) -> str:
        return f"{self.year}年第{self.seq}次"

    @property
    def title(self) -> str:
        """``第一党小组会`` / ``支部党员大会`` / ``2025年度组织生活会``: the kind, with the party group for group
        meetings and the 年度 for the yearly reviews."""
        title = meeting_title(self.kind, self.party_group_name)
        return f"{self.reviewed_year}年度{title}" if self.reviewed_year is not None else title

    @property
    def kind_text(self) -> str:
        """The kind as listed: ``2025年度组织生活会`` for a yearly review, else the kind's name."""
        return (
            f"{self.reviewed_year}年度{self.kind_name}" if self.reviewed_year is not None else self.kind_name
        )

    @property
    def locked(self) -> bool:
        return self.locked_at is not None


@dataclass(frozen=True)
class Attendance:
    """One line of a meeting's attendance, in sign-in order. Observers may be non-members (``member_uuid`` None)."""

    uuid: str
    member_uuid: str | None
    name: str
    category: str | None
    party_group_name: str
    state: str
    reason: str
    sort_order: int

    @property
    def is_member(self) -> bool:
        return self.member_uuid is not None


@dataclass(frozen=True)
class AttendanceEntry:
    """Input for ``set_attendance``: a member (by uuid) or a non-member observer (by name)."""

    member_uuid: str | None
    state: str
    reason: str = ""
    observer_name: str = ""


@dataclass(frozen=True)
class Decision:
    uuid: str
    seq: int
    subject: str
    votes_for: int | None
    votes_against: int | None
    votes_abstain: int | None
    resolution: str
    is_election: bool
    quorum_met: bool  # False: the decision was taken without the quorum (flagged everywhere it is shown)
    # A 支部党员大会's vote (not an election): 赞成 more than half of 应到会有表决权的党员 (支部工作条例第十一条);
    # None when no vote was taken or the kind has no such rule. False is flagged wherever the decision is shown.
    passed: bool | None = None

    @property
    def flags(self) -> str:
        """The notes shown after the decision: taken without the quorum, not passed."""
        out = "" if self.quorum_met else "【注意：表决时到会人数未达到法定人数】"
        if self.passed is False:
            out += "【注意：赞成票未超过应到会有表决权党员的半数，未获通过】"
        return out

    @property
    def short_flags(self) -> str:
        """The same notes as tags, for a line of a list or a cell of the workbook."""
        return ("" if self.quorum_met else "【未达法定人数】") + (
            "【未获通过】" if self.passed is False else ""
        )


@dataclass(frozen=True)
class Amendment:
    uuid: str
    at: date
    reason: str
    field: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class Quorum:
    """Whether enough people were present. ``applies`` is False for kinds without a quorum rule."""

    applies: bool
    entitled: int  # full members entitled to vote (branch assembly) or committee members
    present: int
    needed: int  # smallest number present that satisfies the rule
    met: bool
    rule: str  # Chinese description of the rule used


@dataclass(frozen=True)
class Grade:
    member_uuid: str
    member_name: str
    grade: str


@dataclass(frozen=True)
class HeartTalk:
    uuid: str
    held_on: date
    place: str
    topic: str
    summary: str
    participant_uuids: tuple[str, ...]
    participant_names: tuple[str, ...]


@dataclass(frozen=True)
class SigninRow:
    number: int | None  # 序号; None for a blank row
    name: str
    category: str  # 正式 / 预备 / 列席 / ''
    party_group: str
    note: str  # 备注


@dataclass(frozen=True)
class SigninSheet:
    """Everything a sign-in sheet (签到表) prints; ``blocks`` are (heading, rows) in order."""

    title: str
    meeting: str
    when: str
    place: str
    host: str
    recorder: str
    blocks: tuple[tuple[str, tuple[SigninRow, ...]], ...]
    expected: int | None  # None: leave the blank to fill by hand
    present: int | None
    leave: int | None
    absent: int | None = None  # 应到 = 实到 + 请假 + 缺席 whenever all four are filled
    details: tuple[
        tuple[str, str], ...
    ] = ()  # header lines of the kind: 授课人 of a 党课, the theme of a 主题党日
    meeting_uuid: str = ""  # the meeting, for the QR code of every page (issue 21); "" prints none


# --- compliance records -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """One frequency window (a month, quarter, half-year or year) and the meetings held in it."""

    label: str
    first: date
    last: date
    held: int


@dataclass(frozen=True)
class ComplianceRow:
    """Required vs held for one kind (and one party group for group meetings) over a period.

    ``required`` windows have started (by ``today``); ``satisfied`` of them had at least one meeting; ``missing``
    are labels of ended windows without a meeting; ``due`` labels of running windows without one yet.
    For ``heart_talk`` the windows are replaced by pairs: ``required`` pairs, ``satisfied`` pairs that talked.
    """

    kind: str
    kind_name: str
    party_group_uuid: str | None
    party_group_name: str
    frequency: str
    frequency_name: str
    required: int
    satisfied: int
    held: int
    missing: tuple[str, ...]
    due: tuple[str, ...]
    windows: tuple[Window, ...]

    @property
    def ok(self) -> bool:
        return not self.missing


@dataclass(frozen=True)
class HeartTalkGap:
    """A pair that has not talked this year. ``kind``: ``committee_pair`` (two committee members) or
    ``committee_member`` (a member who has not talked with any committee member; ``b_*`` empty)."""

    kind: str
    a_uuid: str
    a_name: str
    b_uuid: str | None
    b_name: str

    @property
    def text(self) -> str:
        if self.kind == "committee_pair":
            return f"支委 {self.a_name} 与 {self.b_name} 今年尚未谈心谈话"
        return f"{self.a_name} 今年尚未与任何支委谈心谈话"


# A meeting's reminder: the plain ``PartReminder`` (the name is kept for callers of ``db.meetings``).
Reminder = PartReminder


# --- pure rules on records ------------------------------------------------------------------------------


def category_on(member: Member, on: date) -> str:
    """The member's category on a date: full once ``full_on`` has passed (a full member without a date is full)."""
    if member.full_on is not None:
        return "full" if member.full_on <= on else "probationary"
    return member.category


def on_roster(member: Member, on: date) -> bool:
    """Was the member on the branch's roster on that date (joined by then, not yet archived)?"""
    if member.joined_on is not None and member.joined_on > on:
        return False
    if member.status != "active":
        return member.status_on is not None and member.status_on >= on
    return True


def lost_on(member: Member, on: date) -> bool:
    """Was the member lost (失联) on ``on``? By the lost-contact flag and its date (a member without the date counts
    as lost from always)."""
    return member.lost_contact and (member.lost_contact_on is None or member.lost_contact_on <= on)


def role_conflicts(m: Meeting, states: Mapping[str, str], names: Mapping[str, str]) -> list[Problem]:
    """Warnings when the meeting's 主持人, 记录人 or 授课人 is marked 缺席 or 请假 (issue 14: the minutes would
    contradict themselves). ``states``/``names``: member uuid → attendance state / name. The lecturer is free text,
    matched by name."""
    lecturer = next((u for u, n in names.items() if m.lecturer and n == m.lecturer.strip()), None)
    out = []
    for key, label, uuid in (
        ("host", "主持人", m.host_uuid),
        ("recorder", "记录人", m.recorder_uuid),
        ("lecturer", "授课人", lecturer),
    ):
        state = states.get(uuid or "")
        if uuid and state in ("absent", "leave"):
            word = "缺席" if state == "absent" else "请假"
            out.append(
                Problem(
                    key,
                    f"{label}{names.get(uuid, '')}在出席情况中登记为{word}，与会议记录矛盾，请核对",
                    warning=True,
                )
            )
    return out


def meeting_when(m: Meeting) -> str:
    """Date and time for printouts: the actual time of a held meeting, else the planned one."""
    weekday = "一二三四五六日"[m.held_on.weekday()]
    if m.started_at:
        end = f"—{m.ended_at:%H:%M}" if m.ended_at else ""
        return f"{date_text(m.started_at)}（星期{weekday}）{m.started_at:%H:%M}{end}"
    return f"{date_text(m.planned_on)}（星期{weekday}）{m.planned_time}".strip()
