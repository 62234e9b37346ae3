"""Writing the people of the development pipeline: registering an applicant with the application date,
correcting their details, and recording that they left the pipeline.

Bad input (a date before birth or in the future, a citizen ID already in the pipeline) is an *error*
(``ValidationError``) and nothing is saved; an applicant under eighteen is a rule *warning*, saved with a reason.
Nothing is deleted: leaving the pipeline is a status change with a date and a reason. Every write is one
transaction and every change is audited.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from db import audit, edits, members
from db.development.queries import get_person
from db.development.records import PEOPLE, PERSON_FIELDS, PERSON_STATUSES, DevelopmentPerson
from db.development.rules import RULE_AGE, adult_on
from db.development.steps import add_step, free_text
from db.errors import Problem, date_problems, raise_if
from db.records import GENDERS
from db.rows import query_one
from db.rules import (
    CitizenIdError,
    citizen_id_forms,
    is_valid_mobile,
    parse_citizen_id,
)
from db.store import Database

# The kinds of a person's fields that are not text, as ``members.clean_value`` takes them.
_PERSON_KINDS = {
    "birth_date": "date",
    "gender": "choice",
    "party_group": "group",
    "education_class": "code",
    "post_code": "code",
    "tech_title": "code",
    "front_line": "flag",
    "league_recommended": "bool",
}


def _clean_person(values: Mapping[str, Any]) -> dict[str, Any]:
    unknown = [key for key in values if key not in PERSON_FIELDS]
    if unknown:
        raise KeyError(unknown[0])
    return {
        key: members.clean_value(_PERSON_KINDS.get(key, "text"), key, value) for key, value in values.items()
    }


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
            forms = citizen_id_forms(parsed.number)  # the 15- and 18-digit forms are one person
            clash = query_one(
                db,
                f"SELECT name FROM development_people WHERE citizen_id IN ({','.join('?' * len(forms))}) "
                "AND uuid IS NOT ?",
                [*forms, uuid],
            )
            if clash:
                problems.append(
                    Problem("citizen_id", f"该公民身份号码已登记为发展对象 {clash['name']}，不能重复录入")
                )
    problems += members.code_problems(v)
    if birth:
        problems += date_problems("birth_date", "出生日期", birth, today=today)
    if v.get("mobile") and not is_valid_mobile(v["mobile"]):
        problems.append(Problem("mobile", "手机号应为以 1 开头的 11 位数字"))
    if uuid is None:
        if applied_on is None:
            problems.append(Problem("applied_on", "请填写递交入党申请书的日期"))
        elif future := date_problems("applied_on", "递交入党申请书日期", applied_on, today=today):
            problems += future
        elif birth and applied_on <= birth:
            problems.append(Problem("applied_on", "递交入党申请书日期不能早于出生日期"))
        elif birth and applied_on < adult_on(birth):
            problems.append(
                Problem(
                    "applied_on",
                    f"{RULE_AGE}：递交入党申请书（{applied_on}）时未满十八周岁（{adult_on(birth)} 年满十八周岁）",
                    warning=True,
                )
            )
    return problems


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
    v.update(members.derived_codes(v))
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
    raise_if(problems)
    with db.atomic():
        cols = {**PEOPLE.columns(db, v), "stage": "applicant", "status": "in_pipeline"}
        new_uuid = edits.insert_row(db, "development_people", cols)
        audit.Trail(db, "development_person", new_uuid, source=source).create("name", new=v.get("name"))
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
        before = {k: getattr(old, k) for k in PERSON_FIELDS if k != "party_group"}
        before["party_group"] = old.party_group_uuid
        new = _clean_person(changes)
        new.update(members.derived_codes(new, before))
        merged = {**before, **new}
        raise_if(validate_person(db, values=merged, uuid=uuid, today=today))
        changed = edits.changed_fields(before, new)
        if not changed:
            return old
        edits.update_fields(db, PEOPLE, uuid, before=before, changed=changed, source=source)
    return get_person(db, uuid=uuid)


def leave_pipeline(
    db: Database, *, uuid: str, on: date, reason: str, today: date | None = None, source: str = "local"
) -> DevelopmentPerson:
    """Record that a person left the pipeline (withdrew, moved away, judged unsuitable): status ``left`` with
    date and reason; the record and its steps stay. A probationary member's qualification is cancelled with the
    step ``probation_cancelled`` instead (``add_step``)."""
    reason = free_text(reason)
    today = today or date.today()
    problems = []
    if not reason:
        problems.append(Problem("status_reason", "请填写退出的原因"))
    problems += date_problems("status_on", "日期", on, today=today)
    with db.atomic():
        old = get_person(db, uuid=uuid)
        if old.status != "in_pipeline":
            problems.append(
                Problem("status", f"{old.name} 当前为「{PERSON_STATUSES[old.status]}」，不能再退出培养")
            )
        if old.applied_on and on < old.applied_on:
            problems.append(Problem("status_on", f"退出日期不能早于递交入党申请书日期（{old.applied_on}）"))
        raise_if(problems)
        edits.archive(db, PEOPLE, uuid, old=old.status, status="left", on=on, reason=reason, source=source)
    return get_person(db, uuid=uuid)
