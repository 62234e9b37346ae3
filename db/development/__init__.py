"""Member development (发展党员): the pipeline from application to full membership, with the rules checked.

People in the pipeline are not members yet (table ``development_people``); each carries dated steps
(``development_steps``) of the five stages applicant → activist → candidate → probationary → full
(GLOSSARY: Member development). The rules of 《中国共产党发展党员工作细则》 and 《中国共产党章程》 are pure
functions (``check_rules``): a broken rule is a *warning* naming the rule and the dates, never a block; saving
a step that causes a warning needs a reason, stored with the step, and the warning stays visible on the person.
Bad input (a date before birth or in the future, an introducer who is not a full member, more votes than full
members) is an *error* (``ValidationError``) and nothing is saved.

Admission (the upper committee approving the admission vote) puts the person on the roster as a probationary member
through ``db.members.add_member`` (or links the member who already holds the citizen ID); full membership (approval
of the full-membership vote) sets ``full_on`` to the end of probation. Nothing is deleted: leaving the pipeline and
cancelling probation are status changes with a reason, and wrong steps are voided with a reason.

The package: ``records`` (vocabulary and dataclasses), ``rules`` (the rule checks and deadlines, pure),
``queries`` (reading), ``service`` (people: validate, add, update, leave), ``steps`` (check, add and void steps),
``reminders``, ``exchange`` (the monthly workbook sheet) and ``demo``. Everything callers used from the former
module ``db.development`` is re-exported here under the same name.
"""

from __future__ import annotations

from db.development.demo import demo_development
from db.development.exchange import MONTHLY_COLUMNS, monthly_development_figures, monthly_development_rows
from db.development.queries import get_person, list_people, list_steps, person_warnings, stage_counts
from db.development.records import (
    PERSON_FIELDS,
    PERSON_STATUSES,
    STAGE_ORDER,
    STAGES,
    STEP_KINDS,
    DevelopmentPerson,
    DevelopmentReminder,
    DevelopmentStep,
    RuleWarning,
    StepKind,
    StepMember,
)
from db.development.reminders import development_reminders
from db.development.rules import (
    RULE_AGE,
    RULE_APPROVAL,
    RULE_CANDIDATE,
    RULE_FULL_APPROVAL,
    RULE_INTRODUCERS,
    RULE_MENTORS,
    RULE_ORDER,
    RULE_POLITICAL,
    RULE_PROBATION,
    RULE_REVIEW,
    RULE_TALK,
    RULE_TRAINING,
    check_rules,
    next_step,
    probation_end,
)
from db.development.service import add_person, leave_pipeline, update_person, validate_person
from db.development.steps import add_step, check_step, void_step
from db.development.votes import assembly_meetings, votes_at_meeting

__all__ = [
    "MONTHLY_COLUMNS",
    "PERSON_FIELDS",
    "PERSON_STATUSES",
    "RULE_AGE",
    "RULE_APPROVAL",
    "RULE_CANDIDATE",
    "RULE_FULL_APPROVAL",
    "RULE_INTRODUCERS",
    "RULE_MENTORS",
    "RULE_ORDER",
    "RULE_POLITICAL",
    "RULE_PROBATION",
    "RULE_REVIEW",
    "RULE_TALK",
    "RULE_TRAINING",
    "STAGES",
    "STAGE_ORDER",
    "STEP_KINDS",
    "DevelopmentPerson",
    "DevelopmentReminder",
    "DevelopmentStep",
    "RuleWarning",
    "StepKind",
    "StepMember",
    "add_person",
    "add_step",
    "assembly_meetings",
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
    "next_step",
    "person_warnings",
    "probation_end",
    "stage_counts",
    "update_person",
    "validate_person",
    "void_step",
    "votes_at_meeting",
]
