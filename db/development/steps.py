"""Recording the steps of a person's development: checking a step (errors and the rule warnings it causes),
saving it with what it means for the stage and the roster, and voiding a wrong one.

Every decision on a person is a vote of the 支部党员大会 followed by the 上级党委's approval (党章第五条, 第七条):
admission (``admission_vote`` → ``upper_approval``) puts the person on the roster as a probationary member through
``db.members.add_member`` (or links the member who already holds the citizen ID); full membership (``full_vote`` →
``full_approval``) sets ``full_on`` to the end of probation; an extension (``probation_extension`` →
``extension_approval``) moves that end; a cancellation (``probation_cancelled`` → ``cancel_approval``) records the
standing event 取消预备党员资格 and archives the member. An approval without its vote is refused.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from db import audit, edits, members
from db.development.queries import get_person, get_step, list_steps
from db.development.records import (
    PEOPLE,
    STAGE_ORDER,
    STAGES,
    STEP_KINDS,
    VOTE_APPROVALS,
    DevelopmentPerson,
    DevelopmentStep,
    RuleWarning,
    StepMember,
)
from db.development.rules import (
    RULE_APPROVAL,
    RULE_PROBATION,
    approval_limit,
    check_rules,
    extension_allowed,
    first_step,
    probation_end,
)
from db.development.votes import full_on_day, meeting_problems, on_roster_on, vote_problems
from db.errors import NotFound, Problem, ValidationError
from db.ids import fresh_uuid
from db.rows import query_one
from db.rules import normalize_text
from db.store import Database, now_iso
from db.transfers.standing import leave_roster

# Kinds a person can have only once (a wrong one is voided first).
ONCE_KINDS = frozenset(
    {
        "application",
        "activist_decision",
        "candidate_decision",
        "admission_vote",
        "upper_talk",
        "upper_approval",
        "oath",
        "full_vote",
        "full_approval",
        "probation_extension",
        "extension_approval",
        "probation_cancelled",
        "cancel_approval",
    }
)
# Kinds that only a probationary member can have.
PROBATION_KINDS = (
    "oath",
    "probation_review",
    "full_application",
    "full_vote",
    "probation_extension",
    "extension_approval",
    "probation_cancelled",
    "cancel_approval",
)
# Kinds that changed the roster or started the record: they cannot be voided (``probation_cancelled`` only when it
# was recorded as a single step, before the approval was a step of its own: then it archived the member).
UNVOIDABLE_KINDS = ("application", "upper_approval", "full_approval", "cancel_approval")
APPROVAL_VOTES = {approval: vote for vote, approval in VOTE_APPROVALS.items()}


def free_text(value: Any) -> str:
    """Free Chinese text (reasons, notes) only stripped: NFKC would turn full-width punctuation half-width."""
    return "" if value is None else str(value).strip()


def _int_or_none(value: Any) -> int | None:
    if value is None or value == "":
        return None
    return int(value)


def _full_members(
    db: Database, uuids: Sequence[str], *, role_label: str, on: date
) -> tuple[list[Problem], list[StepMember]]:
    """Roster members named as mentors/introducers: each must have been a full member on the roster on ``on``, the
    step's date (issue 14: a 2022 step is checked against the 2022 roster, though members have left since)."""
    problems, found = [], []
    if len(set(uuids)) != len(uuids):
        problems.append(Problem("members", f"同一名党员不能重复列为{role_label}"))
    for member_uuid in dict.fromkeys(uuids):
        try:
            m = members.get_member(db, uuid=member_uuid)
        except NotFound:
            problems.append(Problem("members", f"所选{role_label}不是本支部名册中的党员"))
            continue
        if not on_roster_on(m, on):
            problems.append(Problem("members", f"{m.name} 在 {on} 不在本支部名册中，不能担任{role_label}"))
        elif not full_on_day(m, on):
            problems.append(
                Problem("members", f"{m.name} 在 {on} 还是预备党员（或尚未入党），{role_label}必须是正式党员")
            )
        found.append(StepMember(m.uuid, m.name))
    return problems, found


def _approval_too_late(kind: str, on: date, existing: Sequence[DevelopmentStep]) -> list[Problem]:
    """An admission approved more than six months after the branch assembly's vote is refused: the procedure must
    be redone (a new vote), not saved with a reason (issue 14). Only admission: 细则第三十四条 gives 转正 three
    months and no maximum, so a late 转正 approval is a warning (``rules.rule_approval``)."""
    vote = next((s for s in existing if s.kind == "admission_vote" and not s.voided), None)
    if kind != "upper_approval" or vote is None or on <= approval_limit(vote.on):
        return []
    return [
        Problem(
            "on",
            f"{RULE_APPROVAL}：上级党委审批（{on}）距支部党员大会（{vote.on}）已超过六个月的最长期限"
            f"（最迟 {approval_limit(vote.on)}），不能再审批；应重新履行支部党员大会讨论程序后再报批",
        )
    ]


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
    if kind in ONCE_KINDS and any(s.kind == kind for s in existing):
        if kind == "probation_extension":
            errors.append(Problem("kind", f"{RULE_PROBATION}：预备期只能延长一次，{person.name} 已延长过"))
        else:
            errors.append(Problem("kind", f"{person.name} 已记录过「{spec.label}」，如有错误请先作废原记录"))
    vote_kind = APPROVAL_VOTES.get(kind)
    if vote_kind is not None and not any(s.kind == vote_kind for s in existing):
        errors.append(
            Problem(
                "kind",
                f"党章第七条：“都应当经支部大会讨论通过和上级党组织批准”。请先记录「{STEP_KINDS[vote_kind].label}」"
                f"的日期和表决情况，再记录「{spec.label}」",
            )
        )
    errors.extend(_approval_too_late(kind, on, existing))
    if kind in PROBATION_KINDS and person.stage != "probationary":
        errors.append(
            Problem("kind", f"「{spec.label}」只适用于预备党员，{person.name} 目前是{STAGES[person.stage]}")
        )
    step_members: list[StepMember] = []
    if "mentors" in spec.fields or "introducers" in spec.fields:
        label = "培养联系人" if "mentors" in spec.fields else "入党介绍人"
        problems, step_members = _full_members(db, list(values.get("members") or ()), role_label=label, on=on)
        errors.extend(problems)
    votes = [_int_or_none(values.get(k)) for k in ("votes_for", "votes_against", "votes_abstain")]
    if "votes" in spec.fields:
        vote_errors, _ = vote_problems(
            db,
            kind=kind,
            on=on,
            votes=(votes[0], votes[1], votes[2]),
            present=_int_or_none(values.get("present")),
            excluded=_int_or_none(values.get("excluded")),
            excluded_note=free_text(values.get("excluded_note")),
        )
        errors.extend(vote_errors)
        errors.extend(meeting_problems(db, meeting_uuid=values.get("meeting") or None, on=on))
    months = _int_or_none(values.get("months"))
    if "months" in spec.fields and (months is None or not extension_allowed(months)):
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
        entitled=0 if "votes" in spec.fields else None,
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
    reason = free_text(reason)
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
        step_uuid = fresh_uuid()
        now = now_iso()
        spec = STEP_KINDS[kind]
        entitled = None
        if "votes" in spec.fields:
            _, entitled = vote_problems(
                db,
                kind=kind,
                on=on,
                votes=(None, None, None),
                present=None,
                excluded=_int_or_none(values.get("excluded")),
                excluded_note=free_text(values.get("excluded_note")),
            )
        db.execute(
            "INSERT INTO development_steps (uuid, person_id, kind, on_date, number, days, hours, votes_for, "
            "votes_against, votes_abstain, months, note, warnings, reason, created_at, updated_at, entitled, "
            "present, excluded, excluded_note, meeting_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "(SELECT id FROM meetings WHERE uuid = ?))",
            [
                step_uuid,
                person.id,
                kind,
                on.isoformat(),
                normalize_text(values.get("number")),
                _int_or_none(values.get("days")),
                _int_or_none(values.get("hours")),
                _int_or_none(values.get("votes_for")),
                _int_or_none(values.get("votes_against")),
                _int_or_none(values.get("votes_abstain")),
                _int_or_none(values.get("months")),
                free_text(note or values.get("note")),
                "\n".join(w.message for w in warnings),
                reason,
                now,
                now,
                entitled,
                _int_or_none(values.get("present")) if entitled is not None else None,
                _int_or_none(values.get("excluded")) if entitled is not None else None,
                free_text(values.get("excluded_note")) if entitled is not None else "",
                (values.get("meeting") or None) if entitled is not None else None,
            ],
        )
        inserted = query_one(db, "SELECT id FROM development_steps WHERE uuid = ?", [step_uuid])
        assert inserted is not None  # just inserted in this transaction
        role = "mentor" if "mentors" in spec.fields else "introducer"
        for member_uuid in dict.fromkeys(values.get("members") or ()):
            db.execute(
                "INSERT INTO development_step_members (uuid, step_id, member_id, role, created_at, updated_at) "
                "SELECT ?, ?, id, ?, ?, ? FROM members WHERE uuid = ?",
                [fresh_uuid(), inserted["id"], role, now, now, member_uuid],
            )
        audit.Trail(db, "development_step", step_uuid, source=source).create(kind, new=on)
        if warnings:
            audit.Trail(db, "development_step", step_uuid, source=source).update("reason", new=reason)
        if spec.advances_to and kind != "application":
            _set_stage(db, person, stage=spec.advances_to, source=source)
        if kind == "upper_approval":
            _admit(db, person, source=source)
        elif kind == "full_approval":
            _make_full(db, person)
        elif kind == "cancel_approval":
            cancel_vote = first_step(list_steps(db, person_uuid=person_uuid), "probation_cancelled")
            assert cancel_vote is not None  # check_step refuses an approval without its vote
            decided = f"支部党员大会 {cancel_vote.on} 讨论通过，上级党委 {on} 批准"
            _cancel_probation(
                db,
                person,
                on=on,
                reason=f"{cancel_vote.note}（{decided}）" if cancel_vote.note else decided,
                source=source,
            )
    return next(s for s in list_steps(db, person_uuid=person_uuid) if s.uuid == step_uuid)


def _set_stage(db: Database, person: DevelopmentPerson, *, stage: str, source: str) -> None:
    if STAGE_ORDER.index(stage) <= STAGE_ORDER.index(person.stage):
        return
    db.execute(
        "UPDATE development_people SET stage = ?, updated_at = ? WHERE uuid = ?",
        [stage, now_iso(), person.uuid],
    )
    audit.Trail(db, "development_person", person.uuid, source=source).update(
        "stage", old=person.stage, new=stage
    )


def _admit(db: Database, person: DevelopmentPerson, *, source: str) -> None:
    """Put the person on the roster as a probationary member (or link the member holding the citizen ID)."""
    vote = first_step(list_steps(db, person_uuid=person.uuid), "admission_vote")
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
                "education_class": person.education_class,
                "job": person.job,
                "post_code": person.post_code,
                "tech_title": person.tech_title,
                "front_line": person.front_line,
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
    audit.Trail(db, "development_person", person.uuid, source=source).update("member", new=member_uuid)


def _make_full(db: Database, person: DevelopmentPerson) -> None:
    """The member becomes full; party standing counts from the end of probation (党章第七条)."""
    end = probation_end(list_steps(db, person_uuid=person.uuid))
    if person.member_uuid:
        members.update_member(
            db, uuid=person.member_uuid, changes={"category": "full", "full_on": end}, source="development"
        )


def _cancel_probation(db: Database, person: DevelopmentPerson, *, on: date, reason: str, source: str) -> None:
    edits.archive(
        db,
        PEOPLE,
        person.uuid,
        old=person.status,
        status="left",
        on=on,
        reason=f"取消预备党员资格：{reason}",
        note="left：取消预备党员资格",
        source=source,
    )
    if person.member_uuid:
        member = members.get_member(db, uuid=person.member_uuid)
        if member.status == "active":
            # The standing event the yearly statistics count (issue 14), then the member leaves the roster.
            event = {"member_id": member.id, "kind": "probation_cancelled", "happened_on": on.isoformat()}
            event_uuid = edits.insert_row(db, "member_events", {**event, "reason": reason})
            audit.Trail(db, "member_event", event_uuid, source=source).create(
                "kind", new=f"取消预备党员资格：{reason}"
            )
            why = f"取消预备党员资格：{reason}"
            leave_roster(
                db, uuid=person.member_uuid, status="removed", on=on, reason=why, source="development"
            )


def void_step(db: Database, *, step_uuid: str, reason: str, source: str = "local") -> DevelopmentStep:
    """Mark a wrongly entered step as void (kept, shown struck through, ignored by the rules).

    Steps that changed the roster or the stage (approvals, decisions) cannot be voided here: correct the roster
    in the members page. Raises ``ValidationError`` without a reason, ``NotFound`` for an unknown step.
    """
    reason = free_text(reason)
    if not reason:
        raise ValidationError([Problem("void_reason", "请填写作废的原因")])
    with db.atomic():
        row = query_one(
            db, "SELECT kind, voided, entitled FROM development_steps WHERE uuid = ?", [step_uuid]
        )
        if row is None:
            raise NotFound("找不到该步骤记录")
        legacy_cancel = row["kind"] == "probation_cancelled" and row["entitled"] is None
        if row["kind"] in UNVOIDABLE_KINDS or legacy_cancel:
            raise ValidationError([Problem("kind", f"「{STEP_KINDS[row['kind']].label}」已生效，不能作废")])
        db.execute(
            "UPDATE development_steps SET voided = 1, void_reason = ?, updated_at = ? WHERE uuid = ?",
            [reason, now_iso(), step_uuid],
        )
        audit.Trail(db, "development_step", step_uuid, source=source).add("archive", "voided", new=reason)
    return get_step(db, step_uuid=step_uuid)
