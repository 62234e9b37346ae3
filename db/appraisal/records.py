"""Records and vocabulary of the 民主评议党员 round: the steps, the groups of people, the 组织处置 kinds, the frozen
records, and the pure rules on them (the tally check against the ballots, the ⅓ 优秀 guideline). No database
access: the GUI, the printouts and the statistics read the vocabulary without importing the service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from db import vocabulary
from db.errors import Problem
from db.meetings.records import GRADES

# The steps of a round in order, by the date column that records each (GLOSSARY: 民主评议党员; 共产党员网: 个人自评、
# 党员互评、民主测评, then the branch's 评定意见, the report to the 上级党委 and the feedback to each member).
STEPS: dict[str, str] = {
    "study_on": "学习",
    "self_review_on": "个人自评",
    "mutual_review_on": "党员互评",
    "measured_on": "民主测评",
    "decided_on": "支部评定",
    "reported_on": "上报",
    "feedback_on": "反馈",
}
GRADE_KEYS: tuple[str, ...] = tuple(GRADES)  # excellent, qualified, basically_qualified, unqualified
ABSTAIN = "弃权"

# Who is in a round, and how (the roster on the day of the 民主测评).
GROUPS: dict[str, str] = {
    **vocabulary.APPRAISAL_PARTICIPATION,  # 正式党员 graded; 预备党员 take part, not graded
    "lost": "失联党员（另列）",
    "suspended": "停止党籍（另列）",
}

# 组织处置 of a member graded 不合格. The three removal kinds are the member_events kinds of the standing form
# (db.transfers.records.EVENT_KINDS) and are recorded through it; 限期改正 keeps the member, with a deadline.
ACTION_KINDS: dict[str, str] = {
    "rectify": "限期改正",
    "persuaded": "劝退",
    "removal_persuaded": "劝而不退除名",
    "removal_lapsed": "自行脱党除名",
}
# 党章第九条: 劝退, 劝而不退除名 and 自行脱党除名 are decided by the 支部党员大会 (and approved above).
ACTIONS_NEEDING_ASSEMBLY = frozenset({"persuaded", "removal_persuaded", "removal_lapsed"})
RECTIFY_OUTCOMES: dict[str, str] = {"corrected": "已改正（结束评议）", "not_corrected": "未改正"}
RECTIFY_DEFAULT_MONTHS = 12  # 《党的组织工作问答》: “限期改正”的期限一般为一年

RULE_EXCELLENT = "评定为“优秀”的比例一般不超过党员总数的1/3（共产党员网《民主评议党员》）"
RULE_ARTICLE_NINE = "党章第九条"


@dataclass(frozen=True)
class Round:
    """The 民主评议党员 of one 年度: the steps' dates, the meeting of the 民主测评 and the number of ballots."""

    id: int
    uuid: str
    year: int
    meeting_uuid: str | None
    meeting_title: str
    ballots: int | None
    study_on: date | None
    self_review_on: date | None
    mutual_review_on: date | None
    measured_on: date | None
    decided_on: date | None
    reported_on: date | None
    feedback_on: date | None
    notes: str
    created_at: str
    updated_at: str

    @property
    def title(self) -> str:
        return f"{self.year}年度民主评议党员"

    def step_date(self, key: str) -> date | None:
        value: date | None = getattr(self, key)
        return value

    @property
    def finished(self) -> bool:
        """Every step has its date (the last one, 反馈, done)."""
        return all(self.step_date(k) is not None for k in STEPS)

    @property
    def next_step(self) -> str:
        """The first step without a date, in Chinese; '' when the round is finished."""
        return next((label for k, label in STEPS.items() if self.step_date(k) is None), "")


@dataclass(frozen=True)
class Participant:
    """One person of a round: their group, the marks of the ballots, the branch's grade and the feedback."""

    member_uuid: str
    name: str
    party_group: str
    group: str  # key of GROUPS
    marks: tuple[int, int, int, int]  # per GRADE_KEYS
    grade: str | None
    feedback_on: date | None
    feedback_by: str
    heart_talk_uuid: str | None

    @property
    def graded(self) -> bool:
        return self.group == "graded"

    def abstain(self, ballots: int | None) -> int | None:
        """Blanks (弃权) of the member: the ballots less the marks; None without the number of ballots."""
        return None if ballots is None else ballots - sum(self.marks)

    @property
    def grade_text(self) -> str:
        return GRADES.get(self.grade or "", "")


@dataclass(frozen=True)
class Action:
    """A 组织处置 of a member graded 不合格."""

    uuid: str
    round_uuid: str
    year: int
    member_uuid: str
    member_name: str
    kind: str
    decided_on: date
    deadline: date | None
    meeting_uuid: str | None
    meeting_title: str
    event_uuid: str | None
    reason: str
    closed_on: date | None
    outcome: str

    @property
    def kind_text(self) -> str:
        return ACTION_KINDS[self.kind]

    @property
    def text(self) -> str:
        """``限期改正（至 2026-12-31）`` / ``劝退``, with the outcome of a closed 限期改正."""
        text = self.kind_text
        if self.deadline is not None:
            text += f"（至 {self.deadline.isoformat()}）"
        if self.outcome:
            text += f"，{RECTIFY_OUTCOMES[self.outcome]}"
        return text


@dataclass(frozen=True)
class AppraisalFigures:
    """Table 8 of the 党内统计 (民主评议党员情况) for one 年度, each count with the member uuids behind it.

    ``held``: 1 when the branch held its appraisal (a 民主测评 or 支部评定 dated); ``结束评议`` (``concluded``): the
    members of a 限期改正 that ended with the member corrected, whose appraisal is thereby concluded (an
    interpretation of the column; the official 填报说明 was not found)."""

    year: int
    held: int
    took_part: tuple[str, ...]
    commended: tuple[str, ...]  # 表彰党员: graded 优秀
    unqualified: tuple[str, ...]
    rectify: tuple[str, ...]
    persuaded: tuple[str, ...]
    removal_persuaded: tuple[str, ...]
    removal_lapsed: tuple[str, ...]
    concluded: tuple[str, ...]

    def action_counts(self) -> dict[str, int]:
        """组织处置 counts by kind (keys of ``ACTION_KINDS``)."""
        return {k: len(getattr(self, k)) for k in ACTION_KINDS}


# --- pure rules ---------------------------------------------------------------------------------------------


def tally_problems(
    names: dict[str, str], marks: dict[str, tuple[int, int, int, int]], ballots: int | None
) -> list[Problem]:
    """Why a tally cannot be saved: a negative count, or more marks for a member than ballots (each ballot has at
    most one grade per member; blanks are 弃权). ``names``/``marks``: member uuid → name / marks per grade."""
    problems: list[Problem] = []
    for uuid, counts in marks.items():
        name = names.get(uuid, "")
        if any(c < 0 for c in counts):
            problems.append(Problem("marks", f"{name} 的票数不能为负数"))
        elif ballots is None:
            if any(counts):
                problems.append(Problem("ballots", "请先填写收回的测评票张数，再录入票数"))
                break
        elif sum(counts) > ballots:
            problems.append(
                Problem(
                    "marks",
                    f"{name} 的四项票数合计 {sum(counts)} 张，超过收回的测评票 {ballots} 张：每张票对每人只能选一项，"
                    "请核对",
                )
            )
    return problems


def excellent_warning(grades: dict[str, str], year: int) -> Problem | None:
    """The ⅓ 优秀 guideline (“一般不超过”) as a warning, not a block: ``grades`` member uuid → grade of the full
    members graded in the round."""
    graded = [g for g in grades.values() if g]
    excellent = sum(1 for g in graded if g == "excellent")
    if not graded or excellent * 3 <= len(graded):
        return None
    return Problem(
        "grades",
        f"{year}年度评定为优秀 {excellent} 人，超过评定等次的正式党员 {len(graded)} 人的三分之一（{RULE_EXCELLENT}），"
        "请核对",
        warning=True,
    )
