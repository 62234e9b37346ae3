"""Member development (发展党员): the pipeline from application to full membership, with the rules checked.

People in the pipeline are not members yet (table ``development_people``); each carries dated steps
(``development_steps``) of the five stages applicant → activist → candidate → probationary → full
(GLOSSARY: Member development). The rules of 《中国共产党发展党员工作细则》 and 《中国共产党章程》 are pure
functions here (``check_rules``): a broken rule is a *warning* naming the rule and the dates, never a block; saving
a step that causes a warning needs a reason, stored with the step, and the warning stays visible on the person.
Bad input (a date before birth or in the future, an introducer who is not a full member, more votes than full
members) is an *error* (``ValidationError``) and nothing is saved.

Admission (the upper committee approving the admission vote) puts the person on the roster as a probationary member
through ``db.members.add_member`` (or links the member who already holds the citizen ID); full membership (approval
of the full-membership vote) sets ``full_on`` to the end of probation. Nothing is deleted: leaving the pipeline and
cancelling probation are status changes with a reason, and wrong steps are voided with a reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from db import audit, branch, members
from db.errors import NotFound, Problem, ValidationError
from db.ids import fresh_uuid
from db.records import GENDERS
from db.rules import (
    CitizenIdError,
    add_months,
    add_years,
    clean_text_field,
    is_valid_mobile,
    normalize_text,
    parse_citizen_id,
    parse_date,
)
from db.store import Database, now_iso

STAGES: dict[str, str] = {
    "applicant": "入党申请人",
    "activist": "入党积极分子",
    "candidate": "发展对象",
    "probationary": "预备党员",
    "full": "正式党员",
}
PERSON_STATUSES: dict[str, str] = {"in_pipeline": "培养中", "admitted": "已接收入党", "left": "已退出"}


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
        StepKind(
            "upper_approval", "上级党委审批（接收为预备党员）", "probationary", advances_to="probationary"
        ),
        StepKind("oath", "入党宣誓", "probationary"),
        StepKind("probation_review", "预备期考察", "probationary"),
        StepKind("full_application", "提出转正申请", "probationary"),
        StepKind("full_vote", "支部党员大会讨论转正", "probationary", ("votes",)),
        StepKind("full_approval", "上级党委审批转正", "full", advances_to="full"),
        StepKind("probation_extension", "延长预备期", "probationary", ("months",)),
        StepKind("probation_cancelled", "取消预备党员资格", "probationary"),
    )
}
STAGE_ORDER = list(STAGES)

# The rules, named as a secretary would quote them (article numbers of the 2014 细则).
RULE_AGE = "《发展党员工作细则》第五条"
RULE_TALK = "《发展党员工作细则》第七条"
RULE_MENTORS = "《发展党员工作细则》第十条"
RULE_REVIEW = "《发展党员工作细则》第十二条"
RULE_CANDIDATE = "《发展党员工作细则》第十三条"
RULE_INTRODUCERS = "《发展党员工作细则》第十四条"
RULE_POLITICAL = "《发展党员工作细则》第十六条"
RULE_TRAINING = "《发展党员工作细则》第十七条"
RULE_APPROVAL = "《发展党员工作细则》第二十八条"
RULE_PROBATION = "《发展党员工作细则》第三十二条"
RULE_FULL_APPROVAL = "《发展党员工作细则》第三十四条"
RULE_ORDER = "发展党员程序先后顺序"

# The step that should come before each kind (dates must not go backwards along these links).
_AFTER: dict[str, tuple[str, ...]] = {
    "talk": ("application",),
    "activist_decision": ("application",),
    "activist_filing": ("activist_decision",),
    "mentors": ("activist_decision",),
    "activist_review": ("activist_decision",),
    "candidate_decision": ("activist_decision",),
    "candidate_filing": ("candidate_decision",),
    "introducers": ("candidate_decision",),
    "political_review": ("candidate_decision",),
    "training": ("candidate_decision",),
    "committee_review": ("candidate_decision",),
    "upper_prereview": ("committee_review",),
    "application_form": ("upper_prereview", "candidate_decision"),
    "admission_vote": ("application_form", "candidate_decision"),
    "upper_approval": ("admission_vote",),
    "oath": ("upper_approval",),
    "probation_review": ("admission_vote",),
    "full_application": ("admission_vote",),
    "full_vote": ("full_application", "admission_vote"),
    "full_approval": ("full_vote",),
    "probation_extension": ("admission_vote",),
    "probation_cancelled": ("admission_vote",),
}


# --- records ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepMember:
    """A roster member named in a step (mentor or introducer)."""

    uuid: str
    name: str


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
    job: str
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


# --- the rules (pure) -------------------------------------------------------------------------------------


def _active(steps: Sequence[DevelopmentStep]) -> list[DevelopmentStep]:
    return sorted((s for s in steps if not s.voided), key=lambda s: (s.on, s.created_at))


def _first(steps: Sequence[DevelopmentStep], kind: str) -> DevelopmentStep | None:
    return next((s for s in _active(steps) if s.kind == kind), None)


def probation_end(steps: Sequence[DevelopmentStep]) -> date | None:
    """The day probation ends: admission vote + 1 year, plus the extension if one was recorded (党章第七条)."""
    vote = _first(steps, "admission_vote")
    if vote is None:
        return None
    end = add_years(vote.on, 1)
    extension = _first(steps, "probation_extension")
    if extension is not None and extension.months:
        end = add_months(end, extension.months)
    return end


def check_rules(*, birth_date: date | None, steps: Sequence[DevelopmentStep]) -> list[RuleWarning]:
    """Every rule of the development procedure that the person's (non-voided) steps break, as warnings.

    Each warning names the rule and the dates involved and points at the step that breaks it. Rules: age ≥ 18 on
    the application date; talk within 1 month of the application; 1–2 mentors; candidate no earlier than activist
    + 1 year; exactly 2 introducers; political review and training recorded before the admission vote; training
    ≥ 3 days or 24 hours; upper approval within 3 months of the vote (6 at most), for admission and for full
    membership; full-membership vote not before probation ends; every step not before the step it follows.
    """
    active = _active(steps)
    warnings: list[RuleWarning] = []

    def warn(code: str, rule: str, step: DevelopmentStep, text: str) -> None:
        warnings.append(RuleWarning(code, rule, f"{rule}：{text}", step.uuid, step.on))

    application = _first(active, "application")
    if application and birth_date:
        adult = add_years(birth_date, 18)
        if application.on < adult:
            warn(
                "age",
                RULE_AGE,
                application,
                f"递交入党申请书（{application.on}）时未满十八周岁（出生日期 {birth_date}，{adult} 年满十八周岁）",
            )
    talk = _first(active, "talk")
    if application and talk and talk.on > add_months(application.on, 1):
        warn("talk", RULE_TALK, talk, f"谈话（{talk.on}）距递交入党申请书（{application.on}）超过一个月")
    for step in active:
        count = len(step.members)
        if step.kind == "mentors" and not 1 <= count <= 2:
            warn(
                "mentors", RULE_MENTORS, step, f"培养联系人应为一至两名正式党员，{step.on} 指定了 {count} 名"
            )
        if step.kind == "introducers" and count != 2:
            warn(
                "introducers",
                RULE_INTRODUCERS,
                step,
                f"入党介绍人应为两名正式党员，{step.on} 确定了 {count} 名",
            )
        if step.kind == "training" and not ((step.days or 0) >= 3 or (step.hours or 0) >= 24):
            warn(
                "training",
                RULE_TRAINING,
                step,
                f"短期集中培训（{step.on}）{step.days or 0} 天、{step.hours or 0} 学时，不足三天或二十四学时",
            )
    activist = _first(active, "activist_decision")
    candidate = _first(active, "candidate_decision")
    if activist and candidate and candidate.on < add_years(activist.on, 1):
        warn(
            "candidate",
            RULE_CANDIDATE,
            candidate,
            f"确定为发展对象（{candidate.on}）距列为入党积极分子（{activist.on}）不足一年",
        )
    vote = _first(active, "admission_vote")
    if vote:
        if _first(active, "political_review") is None:
            warn("political_review", RULE_POLITICAL, vote, f"支部大会讨论接收（{vote.on}）前未记录政治审查")
        if _first(active, "training") is None:
            warn(
                "training_missing", RULE_TRAINING, vote, f"支部大会讨论接收（{vote.on}）前未记录短期集中培训"
            )
        if _first(active, "introducers") is None:
            warn(
                "introducers_missing",
                RULE_INTRODUCERS,
                vote,
                f"支部大会讨论接收（{vote.on}）前未确定入党介绍人",
            )
    for vote_kind, approval_kind, rule, what in (
        ("admission_vote", "upper_approval", RULE_APPROVAL, "接收预备党员"),
        ("full_vote", "full_approval", RULE_FULL_APPROVAL, "预备党员转正"),
    ):
        v, a = _first(active, vote_kind), _first(active, approval_kind)
        if v and a:
            if a.on > add_months(v.on, 6):
                warn(
                    "approval",
                    rule,
                    a,
                    f"上级党委审批{what}（{a.on}）距支部大会（{v.on}）超过六个月的最长期限",
                )
            elif a.on > add_months(v.on, 3):
                warn("approval", rule, a, f"上级党委审批{what}（{a.on}）距支部大会（{v.on}）超过三个月")
    full_vote = _first(active, "full_vote")
    end = probation_end(active)
    if full_vote and end and full_vote.on < end:
        warn(
            "probation",
            RULE_PROBATION,
            full_vote,
            f"讨论转正的支部大会（{full_vote.on}）早于预备期届满（{end}）",
        )
    extension = _first(active, "probation_extension")
    if extension and extension.months is not None and not 6 <= extension.months <= 12:
        warn(
            "extension",
            RULE_PROBATION,
            extension,
            f"延长预备期 {extension.months} 个月，应不少于半年、不超过一年",
        )
    seen: dict[str, DevelopmentStep] = {}
    for step in active:
        seen.setdefault(step.kind, step)
    for step in active:
        for before_kind in _AFTER.get(step.kind, ()):
            before = seen.get(before_kind)
            if before is not None:
                if step.on < before.on:
                    warn(
                        "order",
                        RULE_ORDER,
                        step,
                        f"「{step.label}」（{step.on}）早于「{before.label}」（{before.on}）",
                    )
                break
    return warnings


def next_step(*, stage: str, status: str, steps: Sequence[DevelopmentStep]) -> tuple[str, date | None]:
    """What the person's next step is and by when (None when no deadline applies), for the pipeline table."""
    if status != "admitted" and status != "in_pipeline":
        return "", None
    has = {s.kind for s in steps if not s.voided}
    app = _first(steps, "application")
    if stage == "applicant":
        if "talk" not in has and app:
            return "党组织派人谈话", add_months(app.on, 1)
        return "确定为入党积极分子", None
    if stage == "activist":
        activist = _first(steps, "activist_decision")
        if "mentors" not in has:
            return "指定培养联系人", None
        reviews = [s for s in _active(steps) if s.kind == "activist_review"]
        last = reviews[-1].on if reviews else (activist.on if activist else None)
        eligible = add_years(activist.on, 1) if activist else None
        review_due = add_months(last, 6) if last else None
        if eligible and review_due and review_due >= eligible:
            return "确定为发展对象", eligible
        return "半年培养考察", review_due
    if stage == "candidate":
        for kind in (
            "candidate_filing",
            "introducers",
            "political_review",
            "training",
            "committee_review",
            "upper_prereview",
            "application_form",
            "admission_vote",
        ):
            if kind not in has:
                return STEP_KINDS[kind].label, None
        vote = _first(steps, "admission_vote")
        return STEP_KINDS["upper_approval"].label, add_months(vote.on, 3) if vote else None
    if stage == "probationary":
        if "oath" not in has:
            return "入党宣誓", None
        end = probation_end(steps)
        if "full_vote" not in has:
            return "支部党员大会讨论转正", end
        fv = _first(steps, "full_vote")
        return STEP_KINDS["full_approval"].label, add_months(fv.on, 3) if fv else None
    return "", None


# --- reading ----------------------------------------------------------------------------------------------

_PERSON_SELECT = """
    SELECT p.id, p.uuid, p.name, p.gender, p.ethnicity, p.birth_date, p.citizen_id, p.education, p.job, p.mobile,
           g.uuid, COALESCE(g.name, ''), p.stage, p.status, p.status_on, p.status_reason, m.uuid, p.notes,
           p.created_at, p.updated_at
    FROM development_people p
    LEFT JOIN party_groups g ON g.id = p.party_group_id
    LEFT JOIN members m ON m.id = p.member_id
"""

_STEP_SELECT = """
    SELECT s.id, s.uuid, p.uuid, s.kind, s.on_date, s.number, s.days, s.hours, s.votes_for, s.votes_against,
           s.votes_abstain, s.months, s.note, s.warnings, s.reason, s.voided, s.void_reason, s.created_at
    FROM development_steps s JOIN development_people p ON p.id = s.person_id
"""


def _steps_from_rows(db: Database, rows: list[tuple[Any, ...]]) -> list[DevelopmentStep]:
    if not rows:
        return []
    ids = [r[0] for r in rows]
    marks = ", ".join("?" for _ in ids)
    people: dict[int, list[StepMember]] = {}
    for step_id, m_uuid, m_name in db.execute(
        f"SELECT sm.step_id, m.uuid, m.name FROM development_step_members sm JOIN members m ON m.id = sm.member_id "
        f"WHERE sm.step_id IN ({marks}) ORDER BY sm.id",
        ids,
    ).fetchall():
        people.setdefault(step_id, []).append(StepMember(m_uuid, m_name))
    steps = []
    for r in rows:
        steps.append(
            DevelopmentStep(
                uuid=r[1],
                person_uuid=r[2],
                kind=r[3],
                on=date.fromisoformat(r[4]),
                number=r[5],
                days=r[6],
                hours=r[7],
                votes_for=r[8],
                votes_against=r[9],
                votes_abstain=r[10],
                months=r[11],
                members=tuple(people.get(r[0], ())),
                note=r[12],
                warnings=tuple(w for w in r[13].split("\n") if w),
                reason=r[14],
                voided=bool(r[15]),
                void_reason=r[16],
                created_at=r[17],
            )
        )
    return steps


def list_steps(db: Database, *, person_uuid: str, include_voided: bool = True) -> list[DevelopmentStep]:
    """A person's steps in date order (the timeline); voided steps included unless asked otherwise."""
    rows = db.execute(_STEP_SELECT + " WHERE p.uuid = ? ORDER BY s.on_date, s.id", [person_uuid]).fetchall()
    steps = _steps_from_rows(db, rows)
    return steps if include_voided else [s for s in steps if not s.voided]


def _all_steps(db: Database) -> dict[str, list[DevelopmentStep]]:
    rows = db.execute(_STEP_SELECT + " ORDER BY s.on_date, s.id").fetchall()
    by_person: dict[str, list[DevelopmentStep]] = {}
    for step in _steps_from_rows(db, rows):
        by_person.setdefault(step.person_uuid, []).append(step)
    return by_person


def _person(row: tuple[Any, ...], steps: Sequence[DevelopmentStep]) -> DevelopmentPerson:
    stage, status = row[12], row[13]
    app = _first(steps, "application")
    advancing = [s for s in _active(steps) if STEP_KINDS[s.kind].advances_to == stage]
    what, due = next_step(stage=stage, status=status, steps=steps)
    return DevelopmentPerson(
        id=row[0],
        uuid=row[1],
        name=row[2],
        gender=row[3],
        ethnicity=row[4],
        birth_date=parse_date(row[5]),
        citizen_id=row[6],
        education=row[7],
        job=row[8],
        mobile=row[9],
        party_group_uuid=row[10],
        party_group_name=row[11],
        stage=stage,
        status=status,
        status_on=parse_date(row[14]),
        status_reason=row[15],
        member_uuid=row[16],
        notes=row[17],
        applied_on=app.on if app else None,
        stage_since=advancing[0].on if advancing else None,
        next_step=what,
        next_due=due,
        warning_count=len(check_rules(birth_date=parse_date(row[5]), steps=steps)),
        created_at=row[18],
        updated_at=row[19],
    )


def get_person(db: Database, *, uuid: str) -> DevelopmentPerson:
    """The person with this stable id. Raises ``NotFound``."""
    row = db.execute(_PERSON_SELECT + " WHERE p.uuid = ?", [uuid]).fetchone()
    if row is None:
        raise NotFound(f"找不到该发展对象记录（{uuid}）")
    return _person(row, list_steps(db, person_uuid=uuid))


def list_people(
    db: Database,
    *,
    stage: str | None = None,
    status: str | None = None,
    include_left: bool = False,
    query: str = "",
) -> list[DevelopmentPerson]:
    """People of the pipeline, by stage (applicant first) and application date.

    ``stage``/``status`` filter exactly; people who left are listed only with ``include_left`` or
    ``status='left'``; ``query`` matches the name, pinyin initials or the last digits of the citizen ID.
    """
    where, params = [], []
    if stage:
        where.append("p.stage = ?")
        params.append(stage)
    if status:
        where.append("p.status = ?")
        params.append(status)
    elif not include_left:
        where.append("p.status != 'left'")
    sql = _PERSON_SELECT + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY p.id"
    rows = db.execute(sql, params).fetchall()
    by_person = _all_steps(db)
    people = [_person(r, by_person.get(r[1], [])) for r in rows]
    q = normalize_text(query).lower().replace(" ", "")
    if q:

        def hit(p: DevelopmentPerson) -> bool:
            if q in p.name.lower():
                return True
            if q.isascii() and q.isalpha():
                return any(q in v for v in members.name_initials(p.name).split())
            return len(q) >= 3 and bool(p.citizen_id) and p.citizen_id.lower().endswith(q)  # type: ignore[union-attr]

        people = [p for p in people if hit(p)]
    return sorted(people, key=lambda p: (STAGE_ORDER.index(p.stage), p.applied_on or date.max, p.name))


def stage_counts(db: Database, *, include_left: bool = False) -> dict[str, int]:
    """Number of people per stage (every stage present, zero when empty); people who left are not counted."""
    counts = dict.fromkeys(STAGES, 0)
    sql = "SELECT stage, count(*) FROM development_people"
    if not include_left:
        sql += " WHERE status != 'left'"
    for stage, n in db.execute(sql + " GROUP BY stage").fetchall():
        counts[stage] = int(n)
    return counts


def person_warnings(db: Database, *, uuid: str) -> list[RuleWarning]:
    """Every rule the person's recorded steps break (stays visible after saving with a reason)."""
    person = get_person(db, uuid=uuid)
    return check_rules(birth_date=person.birth_date, steps=list_steps(db, person_uuid=uuid))


# --- people: validation and writing -----------------------------------------------------------------------

PERSON_FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "citizen_id",
    "education",
    "job",
    "mobile",
    "party_group",
    "notes",
)


def _clean_person(values: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key not in PERSON_FIELDS:
            raise KeyError(key)
        if key == "birth_date":
            out[key] = parse_date(value)
        elif key in ("gender", "party_group"):
            out[key] = value or None
        else:
            out[key] = clean_text_field(key, value)
    return out


def validate_person(
    db: Database,
    *,
    values: Mapping[str, Any],
    applied_on: date | None = None,
    uuid: str | None = None,
    today: date | None = None,
) -> list[Problem]:
    """Problems of a pipeline person (errors, and warnings marked ``warning``), each naming its field.

    Checks: name present; the citizen ID valid (``db.rules.parse_citizen_id``), agreeing with birth date and
    gender, not held by another person of the pipeline; mobile format; the application date (for a new person)
    present, not in the future, not before birth; under 18 on the application date is a warning naming the rule.
    """
    v = _clean_person(values)
    today = today or date.today()
    problems: list[Problem] = []
    if not v.get("name"):
        problems.append(Problem("name", "请填写姓名"))
    if v.get("gender") is not None and v["gender"] not in GENDERS:
        problems.append(Problem("gender", f"性别的取值无效：{v['gender']}"))
    birth = v.get("birth_date")
    if v.get("citizen_id"):
        try:
            parsed = parse_citizen_id(v["citizen_id"], today=today)
        except CitizenIdError as exc:
            problems.append(Problem("citizen_id", str(exc)))
        else:
            if birth and birth != parsed.birth_date:
                problems.append(
                    Problem("birth_date", f"出生日期与公民身份号码不一致（号码中为 {parsed.birth_date}）")
                )
            if v.get("gender") and v["gender"] != parsed.gender:
                problems.append(
                    Problem("gender", f"性别与公民身份号码不一致（号码中为{GENDERS[parsed.gender]}）")
                )
            birth = birth or parsed.birth_date
            clash = db.execute(
                "SELECT name FROM development_people WHERE citizen_id = ? AND uuid IS NOT ?",
                [parsed.number, uuid],
            ).fetchone()
            if clash:
                problems.append(
                    Problem("citizen_id", f"该公民身份号码已登记为发展对象 {clash[0]}，不能重复录入")
                )
    if birth and birth > today:
        problems.append(Problem("birth_date", "出生日期不能晚于今天"))
    if v.get("mobile") and not is_valid_mobile(v["mobile"]):
        problems.append(Problem("mobile", "手机号应为以 1 开头的 11 位数字"))
    if uuid is None:
        if applied_on is None:
            problems.append(Problem("applied_on", "请填写递交入党申请书的日期"))
        elif applied_on > today:
            problems.append(Problem("applied_on", "递交入党申请书日期不能晚于今天"))
        elif birth and applied_on <= birth:
            problems.append(Problem("applied_on", "递交入党申请书日期不能早于出生日期"))
        elif birth and applied_on < add_years(birth, 18):
            problems.append(
                Problem(
                    "applied_on",
                    f"{RULE_AGE}：递交入党申请书（{applied_on}）时未满十八周岁（{add_years(birth, 18)} 年满十八周岁）",
                    warning=True,
                )
            )
    return problems


def _person_columns(db: Database, v: Mapping[str, Any]) -> dict[str, Any]:
    cols: dict[str, Any] = {}
    for key, value in v.items():
        if key == "party_group":
            cols["party_group_id"] = branch.party_group_id(db, uuid=value)
        elif isinstance(value, date):
            cols[key] = value.isoformat()
        elif key == "citizen_id":
            cols[key] = value or None
        else:
            cols[key] = value
    return cols


def add_person(
    db: Database,
    *,
    values: Mapping[str, Any],
    applied_on: date,
    reason: str = "",
    note: str = "",
    today: date | None = None,
    source: str = "local",
) -> DevelopmentPerson:
    """Register an applicant (入党申请人) with the date of the written application (the first step).

    Birth date and gender are taken from the citizen ID when missing. Raises ``ValidationError`` on errors; an
    applicant under 18 on the application date is a rule warning, saved only with a ``reason``.
    """
    v = _clean_person(values)
    if v.get("citizen_id"):
        try:
            parsed = parse_citizen_id(v["citizen_id"], today=today)
        except CitizenIdError:
            pass
        else:
            v["citizen_id"] = parsed.number
            v["birth_date"] = v.get("birth_date") or parsed.birth_date
            v["gender"] = v.get("gender") or parsed.gender
    problems = validate_person(db, values=v, applied_on=applied_on, today=today)
    errors = [p for p in problems if not p.warning]
    if errors:
        raise ValidationError(errors)
    new_uuid = fresh_uuid()
    with db.atomic():
        cols = _person_columns(db, v)
        now = now_iso()
        cols.update(uuid=new_uuid, stage="applicant", status="in_pipeline", created_at=now, updated_at=now)
        db.execute(
            f"INSERT INTO development_people ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
            list(cols.values()),
        )
        audit.record(
            db,
            entity="development_person",
            entity_uuid=new_uuid,
            action="create",
            field="name",
            new=v.get("name"),
            source=source,
        )
        add_step(
            db,
            person_uuid=new_uuid,
            kind="application",
            on=applied_on,
            reason=reason,
            note=note,
            today=today,
            source=source,
        )
    return get_person(db, uuid=new_uuid)


def update_person(
    db: Database, *, uuid: str, changes: Mapping[str, Any], today: date | None = None, source: str = "local"
) -> DevelopmentPerson:
    """Change a person's details (name, citizen ID, job, party group …); each change is audited.
    Raises ``ValidationError`` or ``NotFound``."""
    with db.atomic():
        old = get_person(db, uuid=uuid)
        new = _clean_person(changes)
        before = {k: getattr(old, k) for k in PERSON_FIELDS if k != "party_group"}
        before["party_group"] = old.party_group_uuid
        merged = {**before, **new}
        errors = [p for p in validate_person(db, values=merged, uuid=uuid, today=today) if not p.warning]
        if errors:
            raise ValidationError(errors)
        changed = {
            k: val
            for k, val in new.items()
            if before.get(k) != val and not (before.get(k) in ("", None) and val in ("", None))
        }
        if not changed:
            return old
        cols = _person_columns(db, changed)
        cols["updated_at"] = now_iso()
        db.execute(
            f"UPDATE development_people SET {', '.join(f'{c} = ?' for c in cols)} WHERE uuid = ?",
            [*cols.values(), uuid],
        )
        for key, value in changed.items():
            audit.record(
                db,
                entity="development_person",
                entity_uuid=uuid,
                action="update",
                field=key,
                old=before.get(key),
                new=value,
                source=source,
            )
    return get_person(db, uuid=uuid)


def leave_pipeline(
    db: Database, *, uuid: str, on: date, reason: str, today: date | None = None, source: str = "local"
) -> DevelopmentPerson:
    """Record that a person left the pipeline (withdrew, moved away, judged unsuitable): status ``left`` with
    date and reason; the record and its steps stay. A probationary member's qualification is cancelled with the
    step ``probation_cancelled`` instead (``add_step``)."""
    reason = _free_text(reason)
    today = today or date.today()
    problems = []
    if not reason:
        problems.append(Problem("status_reason", "请填写退出的原因"))
    if on > today:
        problems.append(Problem("status_on", "日期不能晚于今天"))
    with db.atomic():
        old = get_person(db, uuid=uuid)
        if old.status != "in_pipeline":
            problems.append(
                Problem("status", f"{old.name} 当前为「{PERSON_STATUSES[old.status]}」，不能再退出培养")
            )
        if old.applied_on and on < old.applied_on:
            problems.append(Problem("status_on", f"退出日期不能早于递交入党申请书日期（{old.applied_on}）"))
        if problems:
            raise ValidationError(problems)
        db.execute(
            "UPDATE development_people SET status = 'left', status_on = ?, status_reason = ?, updated_at = ? "
            "WHERE uuid = ?",
            [on.isoformat(), reason, now_iso(), uuid],
        )
        audit.record(
            db,
            entity="development_person",
            entity_uuid=uuid,
            action="archive",
            field="status",
            old=old.status,
            new=f"left：{reason}（{on}）",
            source=source,
        )
    return get_person(db, uuid=uuid)


# --- steps: checking and writing --------------------------------------------------------------------------


def _free_text(value: Any) -> str:
    """Free Chinese text (reasons, notes) only stripped: NFKC would turn full-width punctuation half-width."""
    return "" if value is None else str(value).strip()


def _int_or_none(value: Any) -> int | None:
    if value is None or value == "":
        return None
    return int(value)


def _full_members(
    db: Database, uuids: Sequence[str], role_label: str
) -> tuple[list[Problem], list[StepMember]]:
    """Roster members named as mentors/introducers: each must be an active full member of the roster."""
    problems, found = [], []
    if len(set(uuids)) != len(uuids):
        problems.append(Problem("members", f"同一名党员不能重复列为{role_label}"))
    for member_uuid in dict.fromkeys(uuids):
        try:
            m = members.get_member(db, uuid=member_uuid)
        except NotFound:
            problems.append(Problem("members", f"所选{role_label}不是本支部名册中的党员"))
            continue
        if m.status != "active":
            problems.append(Problem("members", f"{m.name} 已不在册，不能担任{role_label}"))
        elif m.category != "full":
            problems.append(Problem("members", f"{m.name} 是预备党员，{role_label}必须是正式党员"))
        found.append(StepMember(m.uuid, m.name))
    return problems, found


def check_step(
    db: Database,
    *,
    person_uuid: str,
    kind: str,
    on: date,
    values: Mapping[str, Any] | None = None,
    today: date | None = None,
) -> tuple[list[Problem], list[RuleWarning]]:
    """What saving this step would meet: errors (block saving) and the rule warnings this step causes.

    ``values`` may carry ``number``, ``days``, ``hours``, ``votes_for``, ``votes_against``, ``votes_abstain``,
    ``months``, ``members`` (roster uuids of mentors or introducers) and ``note``. The dialog calls this as the
    user types; ``add_step`` calls it again before writing.
    """
    values = dict(values or {})
    today = today or date.today()
    if kind not in STEP_KINDS:
        return [Problem("kind", f"未知的步骤类型：{kind}")], []
    spec = STEP_KINDS[kind]
    person = get_person(db, uuid=person_uuid)
    existing = list_steps(db, person_uuid=person_uuid, include_voided=False)
    errors: list[Problem] = []
    if person.status == "left":
        errors.append(
            Problem("status", f"{person.name} 已退出培养（{person.status_reason}），不能再记录步骤")
        )
    if on > today:
        errors.append(Problem("on", f"「{spec.label}」日期（{on}）不能晚于今天"))
    if person.birth_date and on <= person.birth_date:
        errors.append(Problem("on", f"「{spec.label}」日期（{on}）不能早于出生日期（{person.birth_date}）"))
    once = {
        "application",
        "activist_decision",
        "candidate_decision",
        "admission_vote",
        "upper_approval",
        "oath",
        "full_vote",
        "full_approval",
        "probation_extension",
        "probation_cancelled",
    }
    if kind in once and any(s.kind == kind for s in existing):
        if kind == "probation_extension":
            errors.append(Problem("kind", f"{RULE_PROBATION}：预备期只能延长一次，{person.name} 已延长过"))
        else:
            errors.append(Problem("kind", f"{person.name} 已记录过「{spec.label}」，如有错误请先作废原记录"))
    if kind == "upper_approval" and not any(s.kind == "admission_vote" for s in existing):
        errors.append(Problem("kind", "请先记录支部党员大会讨论接收的日期和表决情况，再记录上级党委审批"))
    if kind == "full_approval" and not any(s.kind == "full_vote" for s in existing):
        errors.append(Problem("kind", "请先记录支部党员大会讨论转正，再记录上级党委审批转正"))
    if (
        kind
        in (
            "oath",
            "probation_review",
            "full_application",
            "full_vote",
            "probation_extension",
            "probation_cancelled",
        )
        and person.stage != "probationary"
    ):
        errors.append(
            Problem("kind", f"「{spec.label}」只适用于预备党员，{person.name} 目前是{STAGES[person.stage]}")
        )
    step_members: list[StepMember] = []
    if "mentors" in spec.fields or "introducers" in spec.fields:
        label = "培养联系人" if "mentors" in spec.fields else "入党介绍人"
        problems, step_members = _full_members(db, list(values.get("members") or ()), label)
        errors.extend(problems)
    votes = [_int_or_none(values.get(k)) for k in ("votes_for", "votes_against", "votes_abstain")]
    if "votes" in spec.fields:
        if votes[0] is None:
            errors.append(Problem("votes_for", "请填写赞成票数"))
        entitled = members.count_members(db)["full"]
        total = sum(v or 0 for v in votes)
        if entitled and total > entitled:
            errors.append(
                Problem("votes_for", f"表决票数合计 {total} 张，超过有表决权的正式党员人数（{entitled} 人）")
            )
        if votes[0] is not None and total and votes[0] * 2 <= total:
            errors.append(Problem("votes_for", f"赞成 {votes[0]} 票，未超过表决票数的半数，决议不能通过"))
    months = _int_or_none(values.get("months"))
    if "months" in spec.fields and (months is None or not 6 <= months <= 12):
        errors.append(Problem("months", f"{RULE_PROBATION}：延长预备期应不少于 6 个月、不超过 12 个月"))
    days, hours = _int_or_none(values.get("days")), _int_or_none(values.get("hours"))
    proposed = DevelopmentStep(
        uuid="(new)",
        person_uuid=person_uuid,
        kind=kind,
        on=on,
        number=normalize_text(values.get("number")),
        days=days,
        hours=hours,
        votes_for=votes[0],
        votes_against=votes[1],
        votes_abstain=votes[2],
        months=months,
        members=tuple(step_members),
        created_at="~",
    )
    before = {
        (w.code, w.step_uuid, w.message) for w in check_rules(birth_date=person.birth_date, steps=existing)
    }
    after = check_rules(birth_date=person.birth_date, steps=[*existing, proposed])
    # A new step can also make an existing one break a rule (e.g. a late activist date): those count as its own.
    new = [w for w in after if (w.code, w.step_uuid, w.message) not in before]
    return errors, new


def add_step(
    db: Database,
    *,
    person_uuid: str,
    kind: str,
    on: date,
    values: Mapping[str, Any] | None = None,
    reason: str = "",
    note: str = "",
    today: date | None = None,
    source: str = "local",
) -> DevelopmentStep:
    """Record a step of a person's development and apply what it means.

    Errors (see ``check_step``) raise ``ValidationError``; rule warnings raise ``ValidationError`` with a problem
    on ``reason`` unless a ``reason`` is given, in which case the warnings and the reason are stored with the step.
    ``activist_decision``/``candidate_decision`` advance the stage; ``upper_approval`` admits the person as a
    probationary member of the roster (joined_on = admission vote date), linking the member who already holds the
    citizen ID instead of duplicating; ``full_approval`` makes that member full with full_on = end of probation;
    ``probation_cancelled`` archives the member and marks the person as left. All in one transaction.
    """
    values = dict(values or {})
    reason = _free_text(reason)
    with db.atomic():
        errors, warnings = check_step(
            db, person_uuid=person_uuid, kind=kind, on=on, values=values, today=today
        )
        if errors:
            raise ValidationError(errors)
        if warnings and not reason:
            raise ValidationError(
                [Problem("reason", "；".join(w.message for w in warnings) + "。如确需保存，请填写原因")]
            )
        person = get_person(db, uuid=person_uuid)
        person_id = person.id
        step_uuid = fresh_uuid()
        now = now_iso()
        spec = STEP_KINDS[kind]
        db.execute(
            "INSERT INTO development_steps (uuid, person_id, kind, on_date, number, days, hours, votes_for, "
            "votes_against, votes_abstain, months, note, warnings, reason, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                step_uuid,
                person_id,
                kind,
                on.isoformat(),
                normalize_text(values.get("number")),
                _int_or_none(values.get("days")),
                _int_or_none(values.get("hours")),
                _int_or_none(values.get("votes_for")),
                _int_or_none(values.get("votes_against")),
                _int_or_none(values.get("votes_abstain")),
                _int_or_none(values.get("months")),
                _free_text(note or values.get("note")),
                "\n".join(w.message for w in warnings),
                reason,
                now,
                now,
            ],
        )
        step_id = db.execute("SELECT id FROM development_steps WHERE uuid = ?", [step_uuid]).fetchone()[0]
        role = "mentor" if "mentors" in spec.fields else "introducer"
        for member_uuid in dict.fromkeys(values.get("members") or ()):
            db.execute(
                "INSERT INTO development_step_members (uuid, step_id, member_id, role, created_at, updated_at) "
                "SELECT ?, ?, id, ?, ?, ? FROM members WHERE uuid = ?",
                [fresh_uuid(), step_id, role, now, now, member_uuid],
            )
        audit.record(
            db,
            entity="development_step",
            entity_uuid=step_uuid,
            action="create",
            field=kind,
            new=on,
            source=source,
        )
        if warnings:
            audit.record(
                db,
                entity="development_step",
                entity_uuid=step_uuid,
                action="update",
                field="reason",
                new=reason,
                source=source,
            )
        if spec.advances_to and kind != "application":
            _set_stage(db, person, spec.advances_to, source)
        if kind == "upper_approval":
            _admit(db, person, source)
        elif kind == "full_approval":
            _make_full(db, person, source)
        elif kind == "probation_cancelled":
            _cancel_probation(
                db, person, on, note or reason or values.get("note") or "取消预备党员资格", source
            )
    return next(s for s in list_steps(db, person_uuid=person_uuid) if s.uuid == step_uuid)


def _set_stage(db: Database, person: DevelopmentPerson, stage: str, source: str) -> None:
    if STAGE_ORDER.index(stage) <= STAGE_ORDER.index(person.stage):
        return
    db.execute(
        "UPDATE development_people SET stage = ?, updated_at = ? WHERE uuid = ?",
        [stage, now_iso(), person.uuid],
    )
    audit.record(
        db,
        entity="development_person",
        entity_uuid=person.uuid,
        action="update",
        field="stage",
        old=person.stage,
        new=stage,
        source=source,
    )


def _admit(db: Database, person: DevelopmentPerson, source: str) -> None:
    """Put the person on the roster as a probationary member (or link the member holding the citizen ID)."""
    vote = _first(list_steps(db, person_uuid=person.uuid), "admission_vote")
    assert vote is not None  # check_step refuses an approval without a vote
    existing = members.find_by_citizen_id(db, citizen_id=person.citizen_id) if person.citizen_id else None
    if existing is not None:
        member_uuid = existing.uuid
        if existing.category == "probationary" and existing.joined_on is None:
            members.update_member(db, uuid=member_uuid, changes={"joined_on": vote.on}, source="development")
    else:
        member = members.add_member(
            db,
            values={
                "name": person.name,
                "gender": person.gender,
                "ethnicity": person.ethnicity,
                "birth_date": person.birth_date,
                "citizen_id": person.citizen_id,
                "education": person.education,
                "job": person.job,
                "mobile": person.mobile,
                "party_group": person.party_group_uuid,
                "category": "probationary",
                "joined_on": vote.on,
            },
            source="development",
        )
        member_uuid = member.uuid
    db.execute(
        "UPDATE development_people SET member_id = (SELECT id FROM members WHERE uuid = ?), status = 'admitted', "
        "status_on = ?, updated_at = ? WHERE uuid = ?",
        [member_uuid, vote.on.isoformat(), now_iso(), person.uuid],
    )
    audit.record(
        db,
        entity="development_person",
        entity_uuid=person.uuid,
        action="update",
        field="member",
        new=member_uuid,
        source=source,
    )


def _make_full(db: Database, person: DevelopmentPerson, source: str) -> None:
    """The member becomes full; party standing counts from the end of probation (党章第七条)."""
    steps = list_steps(db, person_uuid=person.uuid)
    end = probation_end(steps)
    if person.member_uuid:
        members.update_member(
            db, uuid=person.member_uuid, changes={"category": "full", "full_on": end}, source="development"
        )


def _cancel_probation(db: Database, person: DevelopmentPerson, on: date, reason: str, source: str) -> None:
    db.execute(
        "UPDATE development_people SET status = 'left', status_on = ?, status_reason = ?, updated_at = ? "
        "WHERE uuid = ?",
        [on.isoformat(), f"取消预备党员资格：{reason}", now_iso(), person.uuid],
    )
    audit.record(
        db,
        entity="development_person",
        entity_uuid=person.uuid,
        action="archive",
        field="status",
        old=person.status,
        new="left：取消预备党员资格",
        source=source,
    )
    if person.member_uuid:
        member = members.get_member(db, uuid=person.member_uuid)
        if member.status == "active":
            members.archive_member(
                db,
                uuid=person.member_uuid,
                status="removed",
                on=on,
                reason=f"取消预备党员资格：{reason}",
                source="development",
            )


def void_step(db: Database, *, step_uuid: str, reason: str, source: str = "local") -> DevelopmentStep:
    """Mark a wrongly entered step as void (kept, shown struck through, ignored by the rules).

    Steps that changed the roster or the stage (approvals, decisions) cannot be voided here: correct the roster
    in the members page. Raises ``ValidationError`` without a reason, ``NotFound`` for an unknown step.
    """
    reason = _free_text(reason)
    if not reason:
        raise ValidationError([Problem("void_reason", "请填写作废的原因")])
    with db.atomic():
        row = db.execute("SELECT kind, voided FROM development_steps WHERE uuid = ?", [step_uuid]).fetchone()
        if row is None:
            raise NotFound("找不到该步骤记录")
        if row[0] in ("application", "upper_approval", "full_approval", "probation_cancelled"):
            raise ValidationError([Problem("kind", f"「{STEP_KINDS[row[0]].label}」已生效，不能作废")])
        db.execute(
            "UPDATE development_steps SET voided = 1, void_reason = ?, updated_at = ? WHERE uuid = ?",
            [reason, now_iso(), step_uuid],
        )
        audit.record(
            db,
            entity="development_step",
            entity_uuid=step_uuid,
            action="archive",
            field="voided",
            new=reason,
            source=source,
        )
    step = next(
        s
        for s in _steps_from_rows(db, db.execute(_STEP_SELECT + " WHERE s.uuid = ?", [step_uuid]).fetchall())
    )
    return step


# --- reminders --------------------------------------------------------------------------------------------


def development_reminders(db: Database, *, today: date, horizon_days: int = 30) -> list[DevelopmentReminder]:
    """Overdue steps and steps due within ``horizon_days``, oldest first.

    Kinds: ``talk_due`` (no talk within a month of the application), ``activist_review_due`` (six-monthly
    review), ``candidate_eligible`` (activist for a year), ``upper_approval_due`` (admission not approved within 3
    months), ``probation_ending`` (probation ends: the branch assembly must discuss full membership),
    ``full_approval_due``. ``filters`` opens the person on the development page.
    """
    from datetime import timedelta

    horizon = today + timedelta(days=horizon_days)
    out: list[DevelopmentReminder] = []
    by_person = _all_steps(db)
    rows = db.execute(_PERSON_SELECT + " WHERE p.status != 'left' ORDER BY p.id").fetchall()
    for row in rows:
        steps = [s for s in by_person.get(row[1], []) if not s.voided]
        person = _person(row, steps)
        has = {s.kind for s in steps}

        def add(kind: str, text: str, since: date, due: date | None, who: str = person.uuid) -> None:
            out.append(DevelopmentReminder(kind, text, since, due, who, "development", {"person": who}))

        def when(due: date) -> str:
            return f"已于 {due} 到期" if due < today else f"将于 {due} 到期"

        name = person.name
        app = _first(steps, "application")
        if person.stage == "applicant" and app and "talk" not in has:
            due = add_months(app.on, 1)
            if due <= horizon:
                add(
                    "talk_due",
                    f"{name} 于 {app.on} 递交入党申请书，应在一个月内（{due} 前）派人谈话，尚未记录谈话",
                    app.on,
                    due,
                )
        activist = _first(steps, "activist_decision")
        if person.stage == "activist" and activist:
            reviews = [s for s in steps if s.kind == "activist_review"]
            last = reviews[-1].on if reviews else activist.on
            due = add_months(last, 6)
            if due <= horizon:
                add(
                    "activist_review_due",
                    f"入党积极分子 {name} 自 {last} 以来未做半年培养考察，{when(due)}",
                    last,
                    due,
                )
            eligible = add_years(activist.on, 1)
            if eligible <= horizon:
                add(
                    "candidate_eligible",
                    f"入党积极分子 {name} 自 {activist.on} 起培养，{eligible} 满一年，可研究是否确定为发展对象",
                    activist.on,
                    eligible,
                )
        vote = _first(steps, "admission_vote")
        if vote and "upper_approval" not in has and person.status == "in_pipeline":
            due = add_months(vote.on, 3)
            if due <= horizon:
                add(
                    "upper_approval_due",
                    f"{name} 于 {vote.on} 经支部大会讨论接收，上级党委审批{when(due)}（最长不超过 "
                    f"{add_months(vote.on, 6)}）",
                    vote.on,
                    due,
                )
        if person.stage == "probationary" and person.status == "admitted":
            end = probation_end(steps)
            if end and "full_vote" not in has and end <= horizon:
                verb = "已于" if end < today else "将于"
                add(
                    "probation_ending",
                    f"{name} 的预备期{verb} {end} 届满，需召开支部党员大会讨论转正",
                    vote.on if vote else end,
                    end,
                )
            full_vote = _first(steps, "full_vote")
            if full_vote and "full_approval" not in has:
                due = add_months(full_vote.on, 3)
                if due <= horizon:
                    add(
                        "full_approval_due",
                        f"{name} 于 {full_vote.on} 经支部大会讨论转正，上级党委审批{when(due)}",
                        full_vote.on,
                        due,
                    )
    return sorted(out, key=lambda r: (r.due or r.since, r.since))


# --- monthly workbook -------------------------------------------------------------------------------------

# (field, Chinese header) of the 发展党员 sheet, in order; ``db.workbook.format`` declares the column types.
MONTHLY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", "姓名"),
    ("gender", "性别"),
    ("birth_date", "出生日期"),
    ("citizen_id", "公民身份号码"),
    ("party_group", "党小组"),
    ("job", "工作岗位"),
    ("stage", "发展阶段"),
    ("status", "状态"),
    ("applied_on", "递交入党申请书日期"),
    ("talk_on", "谈话日期"),
    ("activist_on", "确定为入党积极分子日期"),
    ("mentors", "培养联系人"),
    ("candidate_on", "确定为发展对象日期"),
    ("introducers", "入党介绍人"),
    ("political_review_on", "政治审查日期"),
    ("training", "短期集中培训"),
    ("admission_vote_on", "支部大会讨论接收日期"),
    ("upper_approval_on", "上级党委审批日期"),
    ("oath_on", "入党宣誓日期"),
    ("probation_end", "预备期届满日期"),
    ("full_vote_on", "支部大会讨论转正日期"),
    ("full_approval_on", "上级党委审批转正日期"),
    ("month_steps", "本月步骤"),
    ("notes", "规则提醒及说明"),
    ("uuid", "编号(勿改)"),
)
_MONTHLY_DATES = {
    "applied_on": "application",
    "talk_on": "talk",
    "activist_on": "activist_decision",
    "candidate_on": "candidate_decision",
    "political_review_on": "political_review",
    "admission_vote_on": "admission_vote",
    "upper_approval_on": "upper_approval",
    "oath_on": "oath",
    "full_vote_on": "full_vote",
    "full_approval_on": "full_approval",
}


def _month_bounds(month: str | date) -> tuple[date, date]:
    import calendar

    first = month.replace(day=1) if isinstance(month, date) else date.fromisoformat(f"{month}-01")
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def monthly_development_rows(db: Database, *, month: str | date) -> list[dict[str, Any]]:
    """The 发展党员 sheet of the monthly workbook: one row per person in the pipeline during ``month``
    (``YYYY-MM`` or a date in it), as it stood at the month's end, keyed by the fields of ``MONTHLY_COLUMNS``.

    Dates are ``date`` (None when not reached), ``gender``/``stage``/``status`` the glossary codes, the rest text.
    People who left, or became full members, before the month began are left out; steps after the month's end
    are not shown. Rows come in the order people were entered (stable for exports).
    """
    first, last = _month_bounds(month)
    rows: list[dict[str, Any]] = []
    by_person = _all_steps(db)
    for row in db.execute(_PERSON_SELECT + " ORDER BY p.id").fetchall():
        steps = [s for s in by_person.get(row[1], []) if not s.voided and s.on <= last]
        if _first(steps, "application") is None:
            continue
        person = _person(row, steps)
        if person.status == "left" and person.status_on and person.status_on < first:
            continue
        full = _first(steps, "full_approval")
        if full and full.on < first:
            continue
        stage = "applicant"
        for s in steps:
            target = STEP_KINDS[s.kind].advances_to
            if target and STAGE_ORDER.index(target) > STAGE_ORDER.index(stage):
                stage = target
        if person.status == "left" and person.status_on and person.status_on <= last:
            status = "left"
        else:
            status = "admitted" if _first(steps, "upper_approval") else "in_pipeline"

        def names(kind: str, steps: list[DevelopmentStep] = steps) -> str:
            named = [x for x in steps if x.kind == kind]
            return "、".join(m.name for m in named[-1].members) if named else ""

        training = _first(steps, "training")
        notes = [w.message for w in check_rules(birth_date=person.birth_date, steps=steps)]
        notes += [f"{s.label}（{s.on}）保存原因：{s.reason}" for s in steps if s.warnings and s.reason]
        if status == "left":
            notes.append(f"{person.status_on} 退出：{person.status_reason}")
        values: dict[str, Any] = {
            "name": person.name,
            "gender": person.gender,
            "birth_date": person.birth_date,
            "citizen_id": person.citizen_id or "",
            "party_group": person.party_group_name,
            "job": person.job,
            "stage": stage,
            "status": status,
            "mentors": names("mentors"),
            "introducers": names("introducers"),
            "training": f"{training.on}（{training.days or 0} 天 / {training.hours or 0} 学时）"
            if training
            else "",
            "probation_end": probation_end(steps) if _first(steps, "admission_vote") else None,
            "month_steps": "；".join(f"{s.label} {s.on}" for s in steps if first <= s.on <= last),
            "notes": "；".join(notes),
            "uuid": person.uuid,
        }
        for key, kind in _MONTHLY_DATES.items():
            step = _first(steps, kind)
            values[key] = step.on if step else None
        rows.append(values)
    return rows


def monthly_development_figures(db: Database, *, month: str | date) -> dict[str, int]:
    """Headline counts for HQ consolidation: people per stage at the month's end and admissions/full memberships
    approved in the month (names the same in every branch)."""
    rows = monthly_development_rows(db, month=month)
    first, last = _month_bounds(month)
    active = [r for r in rows if r["status"] != "left"]

    def in_month(d: date | None) -> bool:
        return d is not None and first <= d <= last

    return {
        "入党申请人数": sum(r["stage"] == "applicant" for r in active),
        "入党积极分子数": sum(r["stage"] == "activist" for r in active),
        "发展对象数": sum(r["stage"] == "candidate" for r in active),
        "预备党员数(发展)": sum(r["stage"] == "probationary" for r in active),
        "本月接收预备党员数": sum(in_month(r["upper_approval_on"]) for r in rows),
        "本月转为正式党员数": sum(in_month(r["full_approval_on"]) for r in rows),
    }


# --- demo -------------------------------------------------------------------------------------------------

_DEMO_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
_DEMO_GIVEN = (
    "建军",
    "海涛",
    "晓东",
    "志强",
    "丽娟",
    "永刚",
    "春燕",
    "国栋",
    "文博",
    "亚楠",
    "鹏飞",
    "雪梅",
    "子豪",
    "思远",
    "卫东",
    "红霞",
    "立新",
    "振华",
    "佳琪",
    "浩然",
    "明辉",
    "晨阳",
    "慧敏",
    "宇航",
)
_DEMO_JOBS = (
    "综采队采煤机司机",
    "掘进队班长",
    "机电队电工",
    "通风队测风员",
    "运输队绞车司机",
    "安监站安检员",
    "调度室调度员",
    "洗煤厂化验员",
)


def demo_development(db: Database, *, rng: Any, today: date) -> None:
    """Add a realistic pipeline to the demo branch: about eight people across every stage, with correct dates,
    one probation ending within 30 days, and one late step saved with a recorded reason. Deterministic for a
    given ``rng``/``today``; mentors and introducers are full members of the roster."""
    from datetime import timedelta

    from db.branch import list_party_groups
    from db.rules import make_citizen_id

    full = [m for m in members.list_members(db, category="full")]
    if len(full) < 2:
        return
    groups = list_party_groups(db)
    used_ids = {m.citizen_id for m in members.list_members(db, status=None)}
    used_names = {m.name for m in members.list_members(db, status=None)}

    def days_ago(n: int) -> date:
        return today - timedelta(days=n)

    def new_person(birth_year_offset: int, applied: date) -> DevelopmentPerson:
        while True:
            name = rng.choice(_DEMO_SURNAMES) + rng.choice(_DEMO_GIVEN)
            if name not in used_names:
                break
        used_names.add(name)
        birth = applied - timedelta(days=365 * birth_year_offset + rng.randint(0, 300))
        while True:
            cid = make_citizen_id("140202", birth, rng.randint(10, 499) * 2 + rng.choice((0, 1)))
            if cid not in used_ids:
                break
        used_ids.add(cid)
        return add_person(
            db,
            values={
                "name": name,
                "citizen_id": cid,
                "ethnicity": "汉族",
                "education": rng.choice(("大学专科", "大学本科", "中等专科", "高中")),
                "job": rng.choice(_DEMO_JOBS),
                "mobile": f"13{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}",
                "party_group": rng.choice(groups).uuid if groups else None,
            },
            applied_on=applied,
            today=today,
            source="demo",
        )

    def step(p: DevelopmentPerson, kind: str, on: date, reason: str = "", **values: Any) -> None:
        add_step(
            db, person_uuid=p.uuid, kind=kind, on=on, values=values, reason=reason, today=today, source="demo"
        )

    def pick(n: int) -> list[str]:
        return [m.uuid for m in rng.sample(full, min(n, len(full)))]

    def activist_part(p: DevelopmentPerson, start: date, reviews: int) -> None:
        step(p, "talk", start + timedelta(days=rng.randint(7, 25)))
        act = add_months(start, rng.randint(3, 5))
        step(p, "activist_decision", act)
        step(p, "activist_filing", act + timedelta(days=rng.randint(3, 10)))
        step(p, "mentors", act + timedelta(days=rng.randint(3, 10)), members=pick(2))
        for i in range(1, reviews + 1):
            step(p, "activist_review", add_months(act, 6 * i) - timedelta(days=rng.randint(0, 10)))

    def candidate_part(p: DevelopmentPerson, act: date, late_training: bool = False) -> date:
        cand = add_years(act, 1) + timedelta(days=rng.randint(5, 30))
        step(p, "candidate_decision", cand)
        step(p, "candidate_filing", cand + timedelta(days=5))
        step(p, "introducers", cand + timedelta(days=7), members=pick(2))
        step(p, "political_review", cand + timedelta(days=30))
        if late_training:
            step(
                p,
                "training",
                cand + timedelta(days=40),
                days=2,
                hours=16,
                reason="公司党委集中培训因井下抢险缩短为 2 天，已于次月参加补训 8 学时，补训证明存档",
            )
        else:
            step(p, "training", cand + timedelta(days=40), days=3, hours=24)
        step(p, "committee_review", cand + timedelta(days=55))
        step(p, "upper_prereview", cand + timedelta(days=65))
        step(
            p, "application_form", cand + timedelta(days=70), number=f"{cand.year}{rng.randint(100, 999):03d}"
        )
        return cand + timedelta(days=80)

    def vote(p: DevelopmentPerson, kind: str, on: date) -> None:
        entitled = max(1, len(full))
        against = 1 if entitled > 6 else 0
        step(p, kind, on, votes_for=entitled - against, votes_against=against, votes_abstain=0)

    # Two applicants: one recent (talk still due), one talked to.
    p = new_person(23, days_ago(12))
    p = new_person(27, days_ago(40))
    step(p, "talk", days_ago(30))
    # Two activists: one new, one close to a year (candidate soon).
    app = add_months(days_ago(0), -9)
    p = new_person(25, app)
    activist_part(p, app, 0)
    app = add_months(days_ago(0), -16)
    p = new_person(30, app)
    activist_part(p, app, 1)
    # A candidate (development target) waiting for the admission vote; training was short: saved with a reason.
    app = add_months(days_ago(0), -21)
    p = new_person(26, app)
    activist_part(p, app, 2)
    act = _first(list_steps(db, person_uuid=p.uuid), "activist_decision")
    assert act is not None
    candidate_part(p, act.on, late_training=True)
    # A probationary member whose probation ends within 30 days; another mid-probation.
    for months_ago in (11, 5):
        vote_on = (
            add_months(today, -12) + timedelta(days=rng.randint(10, 25))
            if months_ago == 11
            else add_months(today, -months_ago)
        )
        app = add_months(vote_on, -24)
        p = new_person(24, app)
        activist_part(p, app, 2)
        act = _first(list_steps(db, person_uuid=p.uuid), "activist_decision")
        assert act is not None
        cand = add_years(act.on, 1) + timedelta(days=10)
        step(p, "candidate_decision", cand)
        step(p, "candidate_filing", cand + timedelta(days=5))
        step(p, "introducers", cand + timedelta(days=7), members=pick(2))
        step(p, "political_review", cand + timedelta(days=20))
        step(p, "training", cand + timedelta(days=25), days=3, hours=24)
        step(p, "committee_review", cand + timedelta(days=30))
        step(p, "upper_prereview", cand + timedelta(days=35))
        step(
            p, "application_form", cand + timedelta(days=40), number=f"{cand.year}{rng.randint(100, 999):03d}"
        )
        vote_on = max(vote_on, cand + timedelta(days=45))
        vote(p, "admission_vote", vote_on)
        step(p, "upper_approval", vote_on + timedelta(days=rng.randint(20, 50)))
        step(p, "oath", vote_on + timedelta(days=60))
        step(p, "probation_review", add_months(vote_on, 3))
    # One who became a full member last year.
    vote_on = add_months(today, -20)
    app = add_months(vote_on, -25)
    p = new_person(29, app)
    activist_part(p, app, 2)
    act = _first(list_steps(db, person_uuid=p.uuid), "activist_decision")
    assert act is not None
    cand = add_years(act.on, 1) + timedelta(days=10)
    step(p, "candidate_decision", cand)
    step(p, "introducers", cand + timedelta(days=7), members=pick(2))
    step(p, "political_review", cand + timedelta(days=20))
    step(p, "training", cand + timedelta(days=25), days=4, hours=32)
    step(p, "committee_review", cand + timedelta(days=30))
    step(p, "upper_prereview", cand + timedelta(days=35))
    step(p, "application_form", cand + timedelta(days=40), number=f"{cand.year}{rng.randint(100, 999):03d}")
    vote_on = max(vote_on, cand + timedelta(days=45))
    vote(p, "admission_vote", vote_on)
    step(p, "upper_approval", vote_on + timedelta(days=30))
    step(p, "oath", vote_on + timedelta(days=40))
    end = add_years(vote_on, 1)
    step(p, "full_application", end - timedelta(days=20))
    vote(p, "full_vote", end + timedelta(days=3))
    step(p, "full_approval", end + timedelta(days=35))
    # One applicant who withdrew: kept with the reason.
    p = new_person(22, add_months(today, -7))
    step(p, "talk", add_months(today, -7) + timedelta(days=10))
    leave_pipeline(
        db,
        uuid=p.uuid,
        on=add_months(today, -2),
        reason="本人调往外省工作，申请转至新单位党组织",
        today=today,
    )


__all__ = [
    "STAGES",
    "STEP_KINDS",
    "DevelopmentPerson",
    "DevelopmentReminder",
    "DevelopmentStep",
    "RuleWarning",
    "add_person",
    "add_step",
    "check_rules",
    "check_step",
    "demo_development",
    "development_reminders",
    "get_person",
    "leave_pipeline",
    "list_people",
    "list_steps",
    "monthly_development_figures",
    "monthly_development_rows",
    "person_warnings",
    "probation_end",
    "stage_counts",
    "update_person",
    "void_step",
]
