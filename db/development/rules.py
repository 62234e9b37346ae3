"""The rules of the development procedure, as pure functions (no database).

Each rule of 《中国共产党发展党员工作细则》 (2014) and 《中国共产党章程》 that the pipeline checks is one small
function below, named after what it checks, with its article in the docstring; ``check_rules`` runs them all in a
fixed order. A broken rule is a *warning* (``RuleWarning``) naming the rule and the dates, never a block. The
deadlines the rules set (talk within a month, approval within three months …) are named functions too, so the
reminders, the "next step" column and the rules all count from the same day.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from db.development.records import STEP_KINDS, DevelopmentStep, RuleWarning
from db.rules import add_months, add_years

# The rules, named as a secretary would quote them (article numbers of the 2014 细则).
RULE_AGE = "《中国共产党发展党员工作细则》第五条"
RULE_TALK = "《中国共产党发展党员工作细则》第七条"
RULE_MENTORS = "《中国共产党发展党员工作细则》第九条"  # was 第十条: the text has 培养联系人 in 第九条
RULE_REVIEW = "《中国共产党发展党员工作细则》第十一条"  # was 第十二条: 每半年…考察 is 第十一条
RULE_CANDIDATE = "《中国共产党发展党员工作细则》第十三条"
RULE_INTRODUCERS = "《中国共产党发展党员工作细则》第十四条"
RULE_POLITICAL = "《中国共产党发展党员工作细则》第十六条"
RULE_TRAINING = "《中国共产党发展党员工作细则》第十七条"
# 经基层党委预审合格的发展对象，由支部委员会提交支部大会讨论
RULE_PREREVIEW = "《中国共产党发展党员工作细则》第二十条"
RULE_APPROVAL = "《中国共产党发展党员工作细则》第二十八条"
RULE_PROBATION = "《中国共产党发展党员工作细则》第三十二条"
RULE_FULL_APPROVAL = "《中国共产党发展党员工作细则》第三十四条"
RULE_ORDER = "发展党员程序先后顺序"
RULE_UPPER_TALK = "党章第五条"  # 上级党组织在批准申请人入党以前，要派人同他谈话
RULE_CHARTER_7 = "党章第七条"  # 转正、延长预备期、取消预备党员资格：支部大会讨论通过和上级党组织批准
RULE_FULL_APPLICATION = "《中国共产党发展党员工作细则》第三十三条"  # 本人向党支部提出书面转正申请

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
    "upper_talk": ("admission_vote",),
    "upper_approval": ("upper_talk", "admission_vote"),
    "oath": ("upper_approval",),
    "probation_review": ("admission_vote",),
    "full_application": ("admission_vote",),
    "full_vote": ("full_application", "admission_vote"),
    "full_approval": ("full_vote",),
    "probation_extension": ("admission_vote",),
    "probation_cancelled": ("admission_vote",),
    "extension_approval": ("probation_extension",),
    "cancel_approval": ("probation_cancelled",),
}


# --- the steps that count ---------------------------------------------------------------------------------


def active_steps(steps: Sequence[DevelopmentStep]) -> list[DevelopmentStep]:
    """The steps the rules look at: not voided, in date order (then in the order they were entered)."""
    return sorted((s for s in steps if not s.voided), key=lambda s: (s.on, s.created_at))


def first_step(steps: Sequence[DevelopmentStep], kind: str) -> DevelopmentStep | None:
    """The earliest non-voided step of ``kind``, or None."""
    return next((s for s in active_steps(steps) if s.kind == kind), None)


# --- the deadlines ----------------------------------------------------------------------------------------


def adult_on(birth_date: date) -> date:
    """The day a person born on ``birth_date`` turns eighteen, the earliest application day (细则第五条)."""
    return add_years(birth_date, 18)


def talk_deadline(applied_on: date) -> date:
    """The last day for the branch to talk with an applicant: one month after the application (细则第七条)."""
    return add_months(applied_on, 1)


def review_due(last_review_on: date) -> date:
    """When an activist's next half-yearly review is due: six months after the last one, or after the
    decision (细则第十一条)."""
    return add_months(last_review_on, 6)


def candidate_earliest(activist_on: date) -> date:
    """The earliest day an activist may become a development candidate: a year of training (细则第十三条)."""
    return add_years(activist_on, 1)


def approval_deadline(vote_on: date) -> date:
    """The upper committee should approve within three months of the branch assembly's vote
    (细则第二十八条 for admission, 第三十四条 for full membership)."""
    return add_months(vote_on, 3)


def approval_limit(vote_on: date) -> date:
    """The longest the upper committee may take over an *admission*, six months after the vote (“如遇特殊情况可
    适当延长审批时间，但不得超过六个月”). 细则第三十四条 sets no such limit for 转正: three months only."""
    return add_months(vote_on, 6)


def extension_allowed(months: int) -> bool:
    """Probation may be extended by no less than six months and no more than a year (细则第三十二条)."""
    return 6 <= months <= 12


def extension_in_force(steps: Sequence[DevelopmentStep]) -> DevelopmentStep | None:
    """The extension of probation that counts: the 支部党员大会's decision once the 上级党委 approved it (党章第七条),
    or one recorded before votes were stored with it (no 应到 on record: entered as a single step)."""
    extension = first_step(steps, "probation_extension")
    if extension is None:
        return None
    if extension.entitled is None or first_step(steps, "extension_approval") is not None:
        return extension
    return None


def probation_end(steps: Sequence[DevelopmentStep]) -> date | None:
    """The day probation ends: admission vote + 1 year, plus the approved extension (党章第七条)."""
    vote = first_step(steps, "admission_vote")
    if vote is None:
        return None
    end = add_years(vote.on, 1)
    extension = extension_in_force(steps)
    if extension is not None and extension.months:
        end = add_months(end, extension.months)
    return end


# --- the rules --------------------------------------------------------------------------------------------


def _warning(code: str, rule: str, step: DevelopmentStep, text: str) -> RuleWarning:
    return RuleWarning(code, rule, f"{rule}：{text}", step.uuid, step.on)


def rule_age(active: Sequence[DevelopmentStep], birth_date: date | None) -> Iterator[RuleWarning]:
    """The applicant is at least eighteen on the day of the written application (细则第五条)."""
    application = first_step(active, "application")
    if application and birth_date:
        adult = adult_on(birth_date)
        if application.on < adult:
            yield _warning(
                "age",
                RULE_AGE,
                application,
                f"递交入党申请书（{application.on}）时未满十八周岁（出生日期 {birth_date}，{adult} 年满十八周岁）",
            )


def rule_talk(active: Sequence[DevelopmentStep]) -> Iterator[RuleWarning]:
    """The branch talks with the applicant within one month of the application (细则第七条)."""
    application = first_step(active, "application")
    talk = first_step(active, "talk")
    if application and talk and talk.on > talk_deadline(application.on):
        yield _warning(
            "talk", RULE_TALK, talk, f"谈话（{talk.on}）距递交入党申请书（{application.on}）超过一个月"
        )


# How many full members a step names: mentors one or two (细则第九条), introducers exactly two (细则第十四条).
_NAMED_MEMBERS: dict[str, tuple[int, int, str, str]] = {
    "mentors": (1, 2, RULE_MENTORS, "培养联系人应为一至两名正式党员，{on} 指定了 {count} 名"),
    "introducers": (2, 2, RULE_INTRODUCERS, "入党介绍人应为两名正式党员，{on} 确定了 {count} 名"),
}


def rule_named_members(step: DevelopmentStep) -> Iterator[RuleWarning]:
    """A step that names members (mentors, introducers) names as many as the rule asks (``_NAMED_MEMBERS``)."""
    if step.kind in _NAMED_MEMBERS:
        least, most, rule, text = _NAMED_MEMBERS[step.kind]
        count = len(step.members)
        if not least <= count <= most:
            yield _warning(step.kind, rule, step, text.format(on=step.on, count=count))


def rule_training_length(step: DevelopmentStep) -> Iterator[RuleWarning]:
    """The short concentrated training lasts at least three days or twenty-four class hours (细则第十七条)."""
    if step.kind == "training" and not ((step.days or 0) >= 3 or (step.hours or 0) >= 24):
        yield _warning(
            "training",
            RULE_TRAINING,
            step,
            f"短期集中培训（{step.on}）{step.days or 0} 天、{step.hours or 0} 学时，不足三天或二十四学时",
        )


def rule_candidate(active: Sequence[DevelopmentStep]) -> Iterator[RuleWarning]:
    """A development candidate has been an activist for at least a year (细则第十三条)."""
    activist = first_step(active, "activist_decision")
    candidate = first_step(active, "candidate_decision")
    if activist and candidate and candidate.on < candidate_earliest(activist.on):
        yield _warning(
            "candidate",
            RULE_CANDIDATE,
            candidate,
            f"确定为发展对象（{candidate.on}）距列为入党积极分子（{activist.on}）不足一年",
        )


@dataclass(frozen=True)
class _BeforeVote:
    """A step the admission vote needs recorded and dated before it (its mere presence is not enough)."""

    kind: str
    rule: str
    what: str  # its name in the warning
    missing: str  # the warning's code when it is not on record
    late: str  # the code when it is dated on or after the vote
    consequence: str  # what the rule says of admitting without it


_BEFORE_ADMISSION: tuple[_BeforeVote, ...] = (
    _BeforeVote(
        "political_review",
        RULE_POLITICAL,
        "政治审查",
        "political_review",
        "political_review_late",
        "未经政治审查的，不能发展入党",
    ),
    _BeforeVote(
        "training",
        RULE_TRAINING,
        "短期集中培训",
        "training_missing",
        "training_late",
        "未经培训的，不能发展入党",
    ),
    _BeforeVote(
        "upper_prereview",
        RULE_PREREVIEW,
        "上级党委预审",
        "upper_prereview_missing",
        "upper_prereview_late",
        "“经基层党委预审合格的发展对象，由支部委员会提交支部大会讨论”",
    ),
)


def rule_before_admission_vote(active: Sequence[DevelopmentStep]) -> Iterator[RuleWarning]:
    """Before the branch assembly votes on admission: the political review (细则第十六条), the training
    (细则第十七条), the upper committee's 预审 (细则第二十条) and the two introducers (细则第十四条) are recorded, the
    review, the training and the 预审 dated before the vote (their mere presence is not enough)."""
    vote = first_step(active, "admission_vote")
    if vote:
        for need in _BEFORE_ADMISSION:
            found = first_step(active, need.kind)
            if found is None:
                yield _warning(
                    need.missing, need.rule, vote, f"支部党员大会讨论接收（{vote.on}）前未记录{need.what}"
                )
            elif found.on >= vote.on:
                text = (
                    f"{need.what}（{found.on}）不在支部党员大会讨论接收（{vote.on}）之前：{need.consequence}"
                )
                yield _warning(need.late, need.rule, vote, text)
        if first_step(active, "introducers") is None:
            yield _warning(
                "introducers_missing",
                RULE_INTRODUCERS,
                vote,
                f"支部党员大会讨论接收（{vote.on}）前未确定入党介绍人",
            )


@dataclass(frozen=True)
class _Prerequisite:
    """A step the procedure requires on record, dated on or before the step that rests on it."""

    kind: str  # the step that rests on it
    needs: str  # the step that must be on record by then
    code: str
    rule: str
    text: str  # the warning; {on} is the date of the step that rests on it


# A development candidate is decided “在听取党小组、培养联系人、党员和群众意见的基础上” (细则第十三条): with mentors
# (细则第九条) and the half-yearly review (细则第十一条) on record; the upper committee talks with the person before it
# approves the admission (党章第五条); the branch assembly discusses full membership on the written application.
_PREREQUISITES: tuple[_Prerequisite, ...] = (
    _Prerequisite(
        "candidate_decision",
        "mentors",
        "candidate_mentors_missing",
        RULE_MENTORS,
        "确定为发展对象（{on}）前未记录指定培养联系人",
    ),
    _Prerequisite(
        "candidate_decision",
        "activist_review",
        "candidate_review_missing",
        RULE_REVIEW,
        "确定为发展对象（{on}）前未记录半年培养考察",
    ),
    _Prerequisite(
        "upper_approval",
        "upper_talk",
        "upper_talk_missing",
        RULE_UPPER_TALK,
        "上级党委审批接收预备党员（{on}）前未记录上级党委派人谈话（上级党组织在批准申请人入党以前，要派人同他谈话）",
    ),
    _Prerequisite(
        "full_vote",
        "full_application",
        "full_application_missing",
        RULE_FULL_APPLICATION,
        "支部党员大会讨论转正（{on}）前未记录本人提出的书面转正申请",
    ),
)


def rule_prerequisites(active: Sequence[DevelopmentStep], *kinds: str) -> Iterator[RuleWarning]:
    """The steps of ``kinds`` have their prerequisites (``_PREREQUISITES``) on record, dated on or before them."""
    for need in _PREREQUISITES:
        step = first_step(active, need.kind) if need.kind in kinds else None
        if step is None:
            continue
        found = first_step(active, need.needs)
        if found is None or found.on > step.on:
            yield _warning(need.code, need.rule, step, need.text.format(on=step.on))


def rule_approval(
    active: Sequence[DevelopmentStep],
    *,
    vote_kind: str,
    approval_kind: str,
    rule: str,
    what: str,
    limited: bool,
) -> Iterator[RuleWarning]:
    """The upper committee approves within three months of the branch assembly's vote: for admission
    (细则第二十八条, six months at the most: ``limited``) and for full membership (细则第三十四条: “应当在三个月内审批”,
    no longer limit)."""
    v, a = first_step(active, vote_kind), first_step(active, approval_kind)
    if v and a:
        if limited and a.on > approval_limit(v.on):
            yield _warning(
                "approval",
                rule,
                a,
                f"上级党委审批{what}（{a.on}）距支部党员大会（{v.on}）超过六个月的最长期限",
            )
        elif a.on > approval_deadline(v.on):
            yield _warning(
                "approval", rule, a, f"上级党委审批{what}（{a.on}）距支部党员大会（{v.on}）超过三个月"
            )


def rule_full_vote_after_probation(active: Sequence[DevelopmentStep]) -> Iterator[RuleWarning]:
    """The branch assembly discusses full membership only once probation has ended (细则第三十二条)."""
    full_vote = first_step(active, "full_vote")
    end = probation_end(active)
    if full_vote and end and full_vote.on < end:
        yield _warning(
            "probation",
            RULE_PROBATION,
            full_vote,
            f"讨论转正的支部党员大会（{full_vote.on}）早于预备期届满（{end}）",
        )


def rule_extension(active: Sequence[DevelopmentStep]) -> Iterator[RuleWarning]:
    """An extension of probation is at least six months and at most a year (细则第三十二条)."""
    extension = first_step(active, "probation_extension")
    if extension and extension.months is not None and not extension_allowed(extension.months):
        yield _warning(
            "extension",
            RULE_PROBATION,
            extension,
            f"延长预备期 {extension.months} 个月，应不少于半年、不超过一年",
        )


def rule_order(active: Sequence[DevelopmentStep]) -> Iterator[RuleWarning]:
    """Every step is dated no earlier than the step it follows (the order of the procedure, ``_AFTER``)."""
    seen: dict[str, DevelopmentStep] = {}
    for step in active:
        seen.setdefault(step.kind, step)
    for step in active:
        for before_kind in _AFTER.get(step.kind, ()):
            before = seen.get(before_kind)
            if before is not None:
                if step.on < before.on:
                    yield _warning(
                        "order",
                        RULE_ORDER,
                        step,
                        f"「{step.label}」（{step.on}）早于「{before.label}」（{before.on}）",
                    )
                break


def check_rules(*, birth_date: date | None, steps: Sequence[DevelopmentStep]) -> list[RuleWarning]:
    """Every rule of the development procedure that the person's (non-voided) steps break, as warnings.

    Each warning names the rule and the dates involved and points at the step that breaks it. Rules: age ≥ 18 on
    the application date; talk within 1 month of the application; 1–2 mentors; candidate no earlier than activist
    + 1 year; exactly 2 introducers; political review, training and the upper 预审 recorded before the admission
    vote; training ≥ 3 days or 24 hours; mentors and a half-yearly review before the candidate decision; the upper
    committee's talk before it approves the admission; the written application before the full-membership vote;
    upper approval within 3 months of the vote, for admission (6 at most) and for full membership; full-membership
    vote not before probation ends; every step not before the step it follows.
    """
    active = active_steps(steps)
    warnings: list[RuleWarning] = [*rule_age(active, birth_date), *rule_talk(active)]
    for step in active:  # the per-step rules, in date order
        for rule in (rule_named_members, rule_training_length):
            warnings.extend(rule(step))
    warnings.extend(rule_candidate(active))
    warnings.extend(rule_prerequisites(active, "candidate_decision"))
    warnings.extend(rule_before_admission_vote(active))
    warnings.extend(rule_prerequisites(active, "upper_approval", "full_vote"))
    warnings.extend(
        rule_approval(
            active,
            vote_kind="admission_vote",
            approval_kind="upper_approval",
            rule=RULE_APPROVAL,
            what="接收预备党员",
            limited=True,
        )
    )
    warnings.extend(
        rule_approval(
            active,
            vote_kind="full_vote",
            approval_kind="full_approval",
            rule=RULE_FULL_APPROVAL,
            what="预备党员转正",
            limited=False,
        )
    )
    warnings.extend(rule_full_vote_after_probation(active))
    warnings.extend(rule_extension(active))
    warnings.extend(rule_order(active))
    return warnings


# --- what comes next --------------------------------------------------------------------------------------


def next_step(*, stage: str, status: str, steps: Sequence[DevelopmentStep]) -> tuple[str, date | None]:
    """What the person's next step is and by when (None when no deadline applies), for the pipeline table."""
    if status != "admitted" and status != "in_pipeline":
        return "", None
    has = {s.kind for s in steps if not s.voided}
    app = first_step(steps, "application")
    if stage == "applicant":
        if "talk" not in has and app:
            return "党组织派人谈话", talk_deadline(app.on)
        return "确定为入党积极分子", None
    if stage == "activist":
        activist = first_step(steps, "activist_decision")
        if "mentors" not in has:
            return "指定培养联系人", None
        reviews = [s for s in active_steps(steps) if s.kind == "activist_review"]
        last = reviews[-1].on if reviews else (activist.on if activist else None)
        eligible = candidate_earliest(activist.on) if activist else None
        due = review_due(last) if last else None
        if eligible and due and due >= eligible:
            return "确定为发展对象", eligible
        return "半年培养考察", due
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
        vote = first_step(steps, "admission_vote")
        due = approval_deadline(vote.on) if vote else None
        if "upper_talk" not in has:
            return STEP_KINDS["upper_talk"].label, due
        return STEP_KINDS["upper_approval"].label, due
    if stage == "probationary":
        if "oath" not in has:
            return "入党宣誓", None
        end = probation_end(steps)
        extension = first_step(steps, "probation_extension")
        if extension is not None and "extension_approval" not in has and extension.entitled is not None:
            return STEP_KINDS["extension_approval"].label, approval_deadline(extension.on)
        cancel = first_step(steps, "probation_cancelled")
        if cancel is not None and "cancel_approval" not in has:
            return STEP_KINDS["cancel_approval"].label, approval_deadline(cancel.on)
        if "full_application" not in has and "full_vote" not in has:
            return STEP_KINDS["full_application"].label, end
        if "full_vote" not in has:
            return "支部党员大会讨论转正", end
        fv = first_step(steps, "full_vote")
        return STEP_KINDS["full_approval"].label, approval_deadline(fv.on) if fv else None
    return "", None
