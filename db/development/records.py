"""Records and vocabulary of member development (发展党员): the stages, the person statuses, the kinds of step and
the dataclasses read from and written to ``development_people`` / ``development_steps``.

Other modules (the GUI models) take the vocabulary from here, without importing the service; the stages and statuses
are defined in ``db.vocabulary``, which the workbook's format table shares.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from db import branch, edits, vocabulary
from db.records import MemberRef
from db.store import Database

STAGES: dict[str, str] = vocabulary.DEVELOPMENT_STAGES
PERSON_STATUSES: dict[str, str] = vocabulary.DEVELOPMENT_STATUSES


@dataclass(frozen=True)
class StepKind:
    """One kind of step: its Chinese label, the stage it belongs to, the extra fields it takes, and the stage
    the person reaches when it is recorded (``advances_to``)."""

    kind: str
    label: str
    stage: str
    fields: tuple[str, ...] = ()  # among: number, training, votes, months, mentors, introducers
    advances_to: str | None = None


STEP_KINDS: dict[str, StepKind] = {
    k.kind: k
    for k in (
        StepKind("application", "递交入党申请书", "applicant", advances_to="applicant"),
        StepKind("talk", "党组织派人谈话", "applicant"),
        StepKind("activist_decision", "确定为入党积极分子", "activist", advances_to="activist"),
        StepKind("activist_filing", "入党积极分子报上级党委备案", "activist"),
        StepKind("mentors", "指定培养联系人", "activist", ("mentors",)),
        StepKind("activist_review", "半年培养考察", "activist"),
        StepKind("candidate_decision", "确定为发展对象", "candidate", advances_to="candidate"),
        StepKind("candidate_filing", "发展对象报上级党委备案", "candidate"),
        StepKind("introducers", "确定入党介绍人", "candidate", ("introducers",)),
        StepKind("political_review", "政治审查", "candidate"),
        StepKind("training", "短期集中培训", "candidate", ("training",)),
        StepKind("committee_review", "支部委员会审查", "candidate"),
        StepKind("upper_prereview", "上级党委预审", "candidate"),
        StepKind("application_form", "填写入党志愿书", "candidate", ("number",)),
        StepKind("admission_vote", "支部党员大会讨论接收", "candidate", ("votes",)),
        StepKind("upper_talk", "上级党委派人谈话", "candidate"),
        StepKind(
            "upper_approval", "上级党委审批（接收为预备党员）", "probationary", advances_to="probationary"
        ),
        StepKind("oath", "入党宣誓", "probationary"),
        StepKind("probation_review", "预备期考察", "probationary"),
        StepKind("full_application", "提出转正申请", "probationary"),
        StepKind("full_vote", "支部党员大会讨论转正", "probationary", ("votes",)),
        StepKind("full_approval", "上级党委审批转正", "full", advances_to="full"),
        StepKind("probation_extension", "支部党员大会讨论延长预备期", "probationary", ("votes", "months")),
        StepKind("extension_approval", "上级党委审批延长预备期", "probationary"),
        StepKind("probation_cancelled", "支部党员大会讨论取消预备党员资格", "probationary", ("votes",)),
        StepKind("cancel_approval", "上级党委审批取消预备党员资格", "probationary"),
    )
}
STAGE_ORDER = list(STAGES)

# The branch assembly's votes on a person and the upper approval each needs (党章第七条: 转正、延长预备期、取消预备
# 党员资格 "都应当经支部大会讨论通过和上级党组织批准"; 党章第五条 for admission).
VOTE_APPROVALS: dict[str, str] = {
    "admission_vote": "upper_approval",
    "full_vote": "full_approval",
    "probation_extension": "extension_approval",
    "probation_cancelled": "cancel_approval",
}

# The person's details a caller may set (``add_person``/``update_person``); ``party_group`` is a group uuid.
PERSON_FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "citizen_id",
    "education",
    "education_class",
    "job",
    "post_code",
    "tech_title",
    "front_line",
    "league_recommended",
    "mobile",
    "party_group",
    "notes",
)


StepMember = MemberRef  # a roster member named in a step (mentor or introducer)


@dataclass(frozen=True)
class DevelopmentStep:
    """One dated step of a person's development. ``warnings`` are the rule warnings shown when it was saved and
    ``reason`` why it was saved anyway; a voided step stays in the record but no rule looks at it."""

    uuid: str
    person_uuid: str
    kind: str
    on: date
    number: str = ""
    days: int | None = None
    hours: int | None = None
    votes_for: int | None = None
    votes_against: int | None = None
    votes_abstain: int | None = None
    months: int | None = None
    entitled: int | None = None  # 应到会有表决权的正式党员 of a vote, as judged when it was recorded
    present: int | None = None  # 实到
    excluded: int | None = None  # left out of 应到 by the branch's decision under the rules
    excluded_note: str = ""
    meeting_uuid: str | None = None  # the 支部党员大会 where a vote was taken, when it is in the database
    meeting_label: str = ""  # its date and title, for the timeline
    members: tuple[StepMember, ...] = ()
    note: str = ""
    warnings: tuple[str, ...] = ()
    reason: str = ""
    voided: bool = False
    void_reason: str = ""
    created_at: str = ""

    @property
    def label(self) -> str:
        return STEP_KINDS[self.kind].label


@dataclass(frozen=True)
class RuleWarning:
    """A broken rule: ``rule`` names it (``《发展党员工作细则》第十三条``), ``message`` is the full Chinese text
    with the dates, ``step_uuid`` the step that breaks it."""

    code: str
    rule: str
    message: str
    step_uuid: str
    on: date


@dataclass(frozen=True)
class DevelopmentPerson:
    """A person in the development pipeline, with where they stand and what comes next."""

    id: int
    uuid: str
    name: str
    gender: str | None
    ethnicity: str
    birth_date: date | None
    citizen_id: str | None
    education: str
    education_class: str  # db.codes.EDUCATION_CLASSES key, '' = not coded (as the member's fields)
    job: str
    post_code: str  # db.codes.POST_CODES, '' = not coded
    tech_title: str  # db.codes.TECH_TITLES key
    front_line: bool | None  # 生产工作第一线; None = not known
    league_recommended: bool  # 共青团员推优
    mobile: str
    party_group_uuid: str | None
    party_group_name: str
    stage: str
    status: str
    status_on: date | None
    status_reason: str
    member_uuid: str | None
    notes: str
    applied_on: date | None
    stage_since: date | None
    next_step: str
    next_due: date | None
    warning_count: int
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class DevelopmentReminder:
    """Something the secretary must do about a person: ``text`` says what, who and since when."""

    kind: str
    text: str
    since: date
    due: date | None
    person_uuid: str
    page: str = "development"
    filters: Mapping[str, str] = field(default_factory=dict)


def _person_columns(db: Database, v: Mapping[str, Any]) -> dict[str, Any]:
    cols = edits.stored_columns(
        v, {"party_group": ("party_group_id", lambda u: branch.party_group_id(db, uuid=u))}
    )
    if "citizen_id" in cols:
        cols["citizen_id"] = cols["citizen_id"] or None  # blank is NULL: the column is unique
    return cols


# The table of the people, as edits writes it.
PEOPLE = edits.Table("development_people", "development_person", _person_columns)
