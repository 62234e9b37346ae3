"""Issue 14, votes on a person: who is entitled (应到), the quorum, the pass — each at its boundary, each test naming
the article it proves (quoted in docs/rules.md; ``test_rules_doc`` keeps the two in step)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from db import development as dv
from db import members
from db.development.votes import entitled_voters
from db.errors import ValidationError
from db.rules import add_years, make_citizen_id

TODAY = date(2025, 6, 30)
VOTE_ON = date(2021, 6, 1)


@pytest.fixture
def ten(db) -> list[str]:  # type: ignore[no-untyped-def]
    """Ten full members (since 2001) and one probationary member (no vote) on the roster."""
    out = []
    for i in range(11):
        category = "full" if i < 10 else "probationary"
        birth = date(1970 + i, 1, 1 + i)
        out.append(
            members.add_member(
                db,
                values={
                    "name": f"党员{i:02d}",
                    "category": category,
                    "citizen_id": make_citizen_id("140202", birth, 201 + 2 * i),
                    "joined_on": date(2000, 7, 1) if category == "full" else date(2021, 1, 5),
                    "full_on": date(2001, 7, 1) if category == "full" else None,
                },
            ).uuid
        )
    return out


def _candidate(db, ten: list[str], *, prereview: bool = True) -> dv.DevelopmentPerson:  # type: ignore[no-untyped-def]
    p = dv.add_person(
        db,
        values={
            "name": "孙小明",
            "citizen_id": make_citizen_id("140202", date(1995, 3, 10), 123),
            "job": "掘进工",
        },
        applied_on=date(2020, 1, 6),
        today=TODAY,
    )

    def step(kind: str, on: date, **values: Any) -> None:
        dv.add_step(db, person_uuid=p.uuid, kind=kind, on=on, values=values, today=TODAY)

    step("talk", date(2020, 1, 20))
    step("activist_decision", date(2020, 3, 2))
    step("mentors", date(2020, 3, 7), members=ten[:2])
    step("activist_review", date(2020, 9, 1))
    step("candidate_decision", add_years(date(2020, 3, 2), 1))
    step("introducers", date(2021, 3, 10), members=ten[:2])
    step("political_review", date(2021, 4, 1))
    step("training", date(2021, 4, 10), days=3)
    if prereview:  # 细则第十九条, 第二十条
        step("committee_review", date(2021, 4, 15))
        step("upper_prereview", date(2021, 4, 20))
    step("application_form", date(2021, 5, 1), number="2021001")
    return p


def _errors(db, p, **values: Any) -> list[str]:  # type: ignore[no-untyped-def]
    errors, _ = dv.check_step(
        db, person_uuid=p.uuid, kind="admission_vote", on=VOTE_ON, values=values, today=TODAY
    )
    return [e.message for e in errors]


@pytest.mark.parametrize(("votes_for", "passes"), [(3, False), (5, False), (6, True)])
def test_vote_passes_only_with_more_than_half_of_entitled(db, ten, votes_for: int, passes: bool) -> None:  # type: ignore[no-untyped-def]
    """细则第二十一条: 赞成人数超过应到会有表决权的正式党员的半数，才能通过 — 3 for / 0 / 0 of 10 full members fails."""
    p = _candidate(db, ten)
    errors = _errors(db, p, votes_for=votes_for, votes_against=0, votes_abstain=0)
    assert (errors == []) is passes
    if not passes:
        assert "第二十一条" in errors[0] and f"应到 10 人，赞成 {votes_for} 票，至少需 6 票" in errors[0]


@pytest.mark.parametrize(("present", "quorum"), [(5, False), (6, True), (10, True)])
def test_quorum_is_more_than_half_of_entitled_present(db, ten, present: int, quorum: bool) -> None:  # type: ignore[no-untyped-def]
    """细则第二十条: 有表决权的到会人数必须超过应到会有表决权人数的半数; the message names the rule and counts."""
    p = _candidate(db, ten)
    errors = _errors(db, p, votes_for=6, votes_against=0, votes_abstain=0, present=present)
    assert (errors == []) is quorum
    if not quorum:
        assert "第二十条" in errors[0] and "应到 10 人，实到 5 人，至少需 6 人" in errors[0]


def test_entitled_excludes_probationary_and_suspended_and_left_out(db, ten) -> None:  # type: ignore[no-untyped-def]
    """党章第七条 (预备党员 没有表决权) and the branch's recorded decision to leave members out of 应到."""
    from db.transfers import record_event

    p = _candidate(db, ten)
    assert len(entitled_voters(db, on=VOTE_ON)) == 10  # the probationary member is not counted
    record_event(
        db, member_uuid=ten[9], kind="suspended", happened_on=date(2021, 5, 1), reason="停止党籍", today=TODAY
    )
    assert len(entitled_voters(db, on=VOTE_ON)) == 9
    assert len(entitled_voters(db, on=date(2021, 4, 30))) == 10  # the day before the suspension
    assert "至少需 5 票" in _errors(db, p, votes_for=4)[0]
    needs_note = _errors(db, p, votes_for=5, excluded=2)
    assert any("须写明支部的决定" in e for e in needs_note)
    # 9 entitled less 2 left out (长期外出) = 7: 4 for passes
    assert _errors(db, p, votes_for=4, excluded=2, excluded_note="支部大会决定：2 人外出半年以上") == []
    step = dv.add_step(
        db,
        person_uuid=p.uuid,
        kind="admission_vote",
        on=VOTE_ON,
        values={"votes_for": 4, "present": 4, "excluded": 2, "excluded_note": "外出半年以上"},
        today=TODAY,
    )
    assert (step.entitled, step.present, step.excluded) == (7, 4, 2)


def test_entitled_counts_the_roster_as_it_stood_on_the_vote(db, ten) -> None:  # type: ignore[no-untyped-def]
    """Issue 14: a 2021 vote is checked against the 2021 roster, so members who left since still count, and a
    member admitted after the vote does not."""
    p = _candidate(db, ten)
    for uuid in ten[:4]:
        members.archive_member(db, uuid=uuid, status="transferred_out", on=date(2024, 3, 1), reason="调离")
    members.add_member(
        db,
        values={
            "name": "新来",
            "category": "full",
            "citizen_id": make_citizen_id("140202", date(1990, 2, 2), 301),
            "joined_on": VOTE_ON + timedelta(days=1),
            "full_on": add_years(VOTE_ON + timedelta(days=1), 1),
        },
    )
    assert len(entitled_voters(db, on=VOTE_ON)) == 10
    assert _errors(db, p, votes_for=6, votes_against=0, votes_abstain=0) == []


# --- prerequisites dated before the vote; the six-month approval limit --------------------------------------


def _codes(db, p, on: date) -> list[str]:  # type: ignore[no-untyped-def]
    errors, warnings = dv.check_step(
        db, person_uuid=p.uuid, kind="admission_vote", on=on, values={"votes_for": 6}, today=TODAY
    )
    assert errors == []
    return [w.code for w in warnings]


@pytest.mark.parametrize(
    ("vote_on", "late"),
    [(date(2021, 4, 11), False), (date(2021, 4, 10), True), (date(2021, 4, 9), True)],
)
def test_training_must_be_dated_before_the_vote(db, ten, vote_on: date, late: bool) -> None:  # type: ignore[no-untyped-def]
    """细则第十七条: 未经培训的，除个别特殊情况外，不能发展入党 — training (2021-04-10) recorded but dated on or after
    the vote does not clear the warning."""
    p = _candidate(db, ten)
    assert ("training_late" in _codes(db, p, vote_on)) is late


@pytest.mark.parametrize(
    ("vote_on", "late"),
    [(date(2021, 4, 2), False), (date(2021, 4, 1), True)],
)
def test_political_review_must_be_dated_before_the_vote(db, ten, vote_on: date, late: bool) -> None:  # type: ignore[no-untyped-def]
    """细则第十六条: 凡是未经政治审查或政治审查不合格的，不能发展入党 — the review (2021-04-01) must precede the vote."""
    p = _candidate(db, ten)
    codes = _codes(db, p, vote_on)
    assert ("political_review_late" in codes) is late


@pytest.mark.parametrize(
    ("prereview_on", "code"),
    [(None, "upper_prereview_missing"), (date(2021, 5, 31), None), (VOTE_ON, "upper_prereview_late")],
)
def test_admission_vote_needs_the_upper_prereview_before_it(
    db, ten, prereview_on: date | None, code: str | None
) -> None:  # type: ignore[no-untyped-def]
    """细则第二十条: “经基层党委预审合格的发展对象，由支部委员会提交支部大会讨论。” — a vote on admission (2021-06-01)
    without the 上级党委预审 on record, or with it dated on or after the vote, is warned like the political review."""
    p = _candidate(db, ten, prereview=False)
    if prereview_on is not None:
        dv.add_step(
            db, person_uuid=p.uuid, kind="upper_prereview", on=prereview_on, reason="补录", today=TODAY
        )
    codes = [c for c in _codes(db, p, VOTE_ON) if c.startswith("upper_prereview")]
    assert codes == ([code] if code else [])
    if code:
        _, warnings = dv.check_step(
            db, person_uuid=p.uuid, kind="admission_vote", on=VOTE_ON, values={"votes_for": 6}, today=TODAY
        )
        message = next(w.message for w in warnings if w.code == code)
        assert message.startswith("《中国共产党发展党员工作细则》第二十条") and "上级党委预审" in message


@pytest.mark.parametrize(
    ("approved_on", "refused"),
    [(date(2021, 11, 30), False), (date(2021, 12, 1), False), (date(2021, 12, 2), True)],
)
def test_approval_later_than_six_months_is_refused(db, ten, approved_on: date, refused: bool) -> None:  # type: ignore[no-untyped-def]
    """审批 一般在三个月内，特殊情况不得超过六个月 (article number not verified, see docs/rules.md): an approval
    later than six months after the vote is refused, not saved with a reason."""
    p = _candidate(db, ten)
    dv.add_step(
        db, person_uuid=p.uuid, kind="admission_vote", on=VOTE_ON, values={"votes_for": 6}, today=TODAY
    )
    dv.add_step(db, person_uuid=p.uuid, kind="upper_talk", on=VOTE_ON + timedelta(days=10), today=TODAY)
    errors, warnings = dv.check_step(
        db, person_uuid=p.uuid, kind="upper_approval", on=approved_on, today=TODAY
    )
    assert bool(errors) is refused
    if refused:
        assert "六个月" in errors[0].message and "重新履行支部党员大会讨论程序" in errors[0].message
        with pytest.raises(ValidationError):
            dv.add_step(
                db,
                person_uuid=p.uuid,
                kind="upper_approval",
                on=approved_on,
                reason="上级党委会议推迟",
                today=TODAY,
            )
    else:
        assert [w.code for w in warnings] == ["approval"]


@pytest.mark.parametrize(
    ("approved_on", "late"),
    [
        (date(2022, 9, 10), False),
        (date(2022, 9, 11), True),
        (date(2022, 12, 11), True),
        (date(2023, 3, 1), True),
    ],
)
def test_full_membership_approval_is_due_in_three_months_with_no_six_month_refusal(  # type: ignore[no-untyped-def]
    db, ten, approved_on: date, late: bool
) -> None:
    """细则第三十四条: “党委对党支部上报的预备党员转正的决议，应当在三个月内审批。” — no six-month maximum and no new
    vote: a 转正 approved later than three months after the 支部党员大会 (2022-06-10) is a warning saved with a reason,
    never refused, and 党龄 still counts from the end of probation (2022-06-01)."""
    p = _admitted(db, ten)
    dv.add_step(db, person_uuid=p.uuid, kind="full_application", on=date(2022, 5, 20), today=TODAY)
    dv.add_step(
        db, person_uuid=p.uuid, kind="full_vote", on=date(2022, 6, 10), values={"votes_for": 6}, today=TODAY
    )
    errors, warnings = dv.check_step(
        db, person_uuid=p.uuid, kind="full_approval", on=approved_on, today=TODAY
    )
    assert errors == []
    assert [w.code for w in warnings] == (["approval"] if late else [])
    assert all("超过三个月" in w.message and "六个月" not in w.message for w in warnings)
    dv.add_step(
        db,
        person_uuid=p.uuid,
        kind="full_approval",
        on=approved_on,
        reason="上级党委会议推迟" if late else "",
        today=TODAY,
    )
    member_uuid = dv.get_person(db, uuid=p.uuid).member_uuid
    assert member_uuid is not None
    m = members.get_member(db, uuid=member_uuid)
    assert (m.category, m.full_on) == ("full", date(2022, 6, 1))


def test_rule_articles_are_the_verified_ones() -> None:
    """细则第九条 (培养联系人) and 第十一条 (每半年考察), as the text has them (the code said 第十条 and 第十二条); the
    written 转正申请 is 第三十三条 (the code named no article)."""
    from db.development import rules

    assert rules.RULE_MENTORS.endswith("第九条") and rules.RULE_REVIEW.endswith("第十一条")
    assert (rules.RULE_AGE, rules.RULE_TALK, rules.RULE_CANDIDATE) == (
        "《中国共产党发展党员工作细则》第五条",
        "《中国共产党发展党员工作细则》第七条",
        "《中国共产党发展党员工作细则》第十三条",
    )
    # 第三十三条: “预备党员转正的手续是：本人向党支部提出书面转正申请；……”
    assert rules.RULE_FULL_APPLICATION == "《中国共产党发展党员工作细则》第三十三条"


def test_introducers_are_checked_against_the_roster_of_their_day(db, ten) -> None:  # type: ignore[no-untyped-def]
    """Issue 14 / 细则 (入党介绍人 are 正式党员): a 2021 step may name members who left since, and not a member who
    was still probationary that day."""
    p = dv.add_person(
        db,
        values={"name": "孙小明", "citizen_id": make_citizen_id("140202", date(1995, 3, 10), 123)},
        applied_on=date(2020, 1, 6),
        today=TODAY,
    )
    for uuid in ten[:2]:
        members.archive_member(db, uuid=uuid, status="transferred_out", on=date(2024, 3, 1), reason="调离")

    def problems(on: date, named: list[str]) -> list[str]:
        errors, _ = dv.check_step(
            db, person_uuid=p.uuid, kind="introducers", on=on, values={"members": named}, today=TODAY
        )
        return [e.message for e in errors if e.field == "members"]

    assert problems(date(2021, 3, 10), ten[:2]) == []  # left in 2024: on the roster in 2021
    assert "不在本支部名册中" in problems(date(2024, 3, 2), ten[:2])[0]
    # the probationary member (joined 2021-01-05) is full only from 2022-01-05
    assert "预备党员" in problems(date(2022, 1, 4), [ten[10], ten[2]])[0]
    members.update_member(db, uuid=ten[10], changes={"category": "full", "full_on": date(2022, 1, 5)})
    assert problems(date(2022, 1, 5), [ten[10], ten[2]]) == []


# --- prerequisites (issue 14) -----------------------------------------------------------------------------------


def _applicant(db) -> dv.DevelopmentPerson:  # type: ignore[no-untyped-def]
    return dv.add_person(
        db,
        values={"name": "孙小明", "citizen_id": make_citizen_id("140202", date(1995, 3, 10), 123)},
        applied_on=date(2020, 1, 6),
        today=TODAY,
    )


def _warning_codes(db, p, kind: str, on: date, **values: Any) -> list[str]:  # type: ignore[no-untyped-def]
    errors, warnings = dv.check_step(db, person_uuid=p.uuid, kind=kind, on=on, values=values, today=TODAY)
    assert errors == []
    return [w.code for w in warnings]


@pytest.mark.parametrize(
    ("mentors_on", "review_on", "expected"),
    [
        (date(2021, 3, 1), date(2021, 3, 1), []),  # the day before the decision
        (date(2021, 3, 2), date(2021, 3, 2), []),  # the day of the decision
        (date(2021, 3, 3), date(2021, 3, 3), ["candidate_mentors_missing", "candidate_review_missing"]),
    ],
)
def test_candidate_needs_mentors_and_the_half_yearly_review_on_record(  # type: ignore[no-untyped-def]
    db, ten, mentors_on: date, review_on: date, expected: list[str]
) -> None:
    """细则第九条 (培养联系人), 第十一条 (每半年考察), 第十三条 (听取培养联系人意见): a 发展对象 decided on 2021-03-02
    needs mentors and a half-yearly review dated on or before that day."""
    p = _applicant(db)
    dv.add_step(db, person_uuid=p.uuid, kind="activist_decision", on=date(2020, 3, 2), today=TODAY)
    decision = date(2021, 3, 2)
    assert _warning_codes(db, p, "candidate_decision", decision) == [
        "candidate_mentors_missing",
        "candidate_review_missing",
    ]
    dv.add_step(
        db,
        person_uuid=p.uuid,
        kind="mentors",
        on=mentors_on,
        values={"members": ten[:2]},
        reason="补录",
        today=TODAY,
    )
    dv.add_step(db, person_uuid=p.uuid, kind="activist_review", on=review_on, reason="补录", today=TODAY)
    codes = _warning_codes(db, p, "candidate_decision", decision)
    assert [c for c in codes if c != "order"] == expected


def _admitted(db, ten: list[str]) -> dv.DevelopmentPerson:  # type: ignore[no-untyped-def]
    p = _candidate(db, ten)
    dv.add_step(
        db, person_uuid=p.uuid, kind="admission_vote", on=VOTE_ON, values={"votes_for": 6}, today=TODAY
    )
    dv.add_step(db, person_uuid=p.uuid, kind="upper_talk", on=date(2021, 6, 20), today=TODAY)
    dv.add_step(db, person_uuid=p.uuid, kind="upper_approval", on=date(2021, 7, 1), today=TODAY)
    return p


@pytest.mark.parametrize(
    ("talk_on", "warned"), [(date(2021, 6, 30), False), (date(2021, 7, 1), False), (date(2021, 7, 2), True)]
)
def test_approval_needs_the_upper_talk(db, ten, talk_on: date, warned: bool) -> None:  # type: ignore[no-untyped-def]
    """党章第五条: “上级党组织在批准申请人入党以前，要派人同他谈话” — the talk dated on or before the approval."""
    p = _candidate(db, ten)
    dv.add_step(
        db, person_uuid=p.uuid, kind="admission_vote", on=VOTE_ON, values={"votes_for": 6}, today=TODAY
    )
    dv.add_step(db, person_uuid=p.uuid, kind="upper_talk", on=talk_on, today=TODAY)
    codes = _warning_codes(db, p, "upper_approval", date(2021, 7, 1))
    assert ("upper_talk_missing" in codes) is warned
    if warned:
        _, warnings = dv.check_step(
            db, person_uuid=p.uuid, kind="upper_approval", on=date(2021, 7, 1), today=TODAY
        )
        assert warnings[0].message.startswith("党章第五条")


@pytest.mark.parametrize(
    ("applied_on", "warned"),
    [(date(2022, 6, 9), False), (date(2022, 6, 10), False), (date(2022, 6, 11), True)],
)
def test_full_membership_vote_needs_the_written_application(db, ten, applied_on: date, warned: bool) -> None:  # type: ignore[no-untyped-def]
    """细则 (转正程序: 本人向党组织提出书面转正申请): the 转正申请 dated on or before the 支部党员大会."""
    p = _admitted(db, ten)
    dv.add_step(db, person_uuid=p.uuid, kind="full_application", on=applied_on, reason="补录", today=TODAY)
    codes = _warning_codes(db, p, "full_vote", date(2022, 6, 10), votes_for=6)
    assert ("full_application_missing" in codes) is warned


@pytest.mark.parametrize("kind", ["probation_extension", "probation_cancelled"])
def test_extension_and_cancellation_are_votes_with_the_same_pass_rule(db, ten, kind: str) -> None:  # type: ignore[no-untyped-def]
    """党章第七条: 延长预备期 or 取消预备党员资格 “都应当经支部大会讨论通过和上级党组织批准”; counts as for admission
    (细则第二十、二十一条 via 第三十三条): 10 entitled, 5 for fails, 6 passes; the approval needs the vote first."""
    p = _admitted(db, ten)
    on = date(2022, 6, 10)
    extra = {"months": 6} if kind == "probation_extension" else {}
    approval = "extension_approval" if kind == "probation_extension" else "cancel_approval"
    with pytest.raises(ValidationError, match="党章第七条"):
        dv.add_step(db, person_uuid=p.uuid, kind=approval, on=on, today=TODAY)
    errors, _ = dv.check_step(
        db, person_uuid=p.uuid, kind=kind, on=on, values={"votes_for": 5, **extra}, today=TODAY
    )
    assert any(
        "党章第七条" in e.message and "应到 10 人，赞成 5 票，至少需 6 票" in e.message for e in errors
    )
    errors, _ = dv.check_step(
        db, person_uuid=p.uuid, kind=kind, on=on, values={"votes_for": 6, "present": 5, **extra}, today=TODAY
    )
    assert any("应到 10 人，实到 5 人，至少需 6 人" in e.message for e in errors)
    step = dv.add_step(
        db, person_uuid=p.uuid, kind=kind, on=on, values={"votes_for": 6, "present": 8, **extra}, today=TODAY
    )
    assert (step.entitled, step.present, step.votes_for) == (10, 8, 6)


@pytest.mark.parametrize(("approved", "end"), [(False, date(2022, 6, 1)), (True, date(2022, 12, 1))])
def test_extension_moves_the_full_membership_date_once_approved(db, ten, approved: bool, end: date) -> None:  # type: ignore[no-untyped-def]
    """党章第七条 (延长预备期 … 上级党组织批准): the 转正 date moves by the extension only with the approval."""
    p = _admitted(db, ten)
    dv.add_step(
        db,
        person_uuid=p.uuid,
        kind="probation_extension",
        on=date(2022, 6, 5),
        values={"votes_for": 6, "months": 6},
        today=TODAY,
    )
    if approved:
        dv.add_step(db, person_uuid=p.uuid, kind="extension_approval", on=date(2022, 7, 1), today=TODAY)
    assert dv.probation_end(dv.list_steps(db, person_uuid=p.uuid)) == end


def test_cancellation_takes_effect_with_the_approval_as_a_standing_event(db, ten) -> None:  # type: ignore[no-untyped-def]
    """党章第七条: after the vote the member is still on the roster; the approval records the standing event
    取消预备党员资格 (kind ``probation_cancelled``) and takes the member off the roster."""
    from db.rows import query

    p = _admitted(db, ten)
    member_uuid = dv.get_person(db, uuid=p.uuid).member_uuid
    assert member_uuid is not None
    dv.add_step(
        db,
        person_uuid=p.uuid,
        kind="probation_cancelled",
        on=date(2022, 3, 1),
        values={"votes_for": 6},
        note="不履行党员义务",
        today=TODAY,
    )
    assert members.get_member(db, uuid=member_uuid).status == "active"
    dv.add_step(db, person_uuid=p.uuid, kind="cancel_approval", on=date(2022, 3, 20), today=TODAY)
    m = members.get_member(db, uuid=member_uuid)
    assert (m.status, m.status_on) == ("removed", date(2022, 3, 20))
    events = query(db, "SELECT kind, happened_on, reason FROM member_events")
    assert [(e["kind"], e["happened_on"]) for e in events] == [("probation_cancelled", "2022-03-20")]
    assert "不履行党员义务" in events[0]["reason"] and "2022-03-01" in events[0]["reason"]


def test_a_vote_links_to_the_branch_assembly_where_it_was_taken(db, ten) -> None:  # type: ignore[no-untyped-def]
    """Issue 14: a vote names its 支部党员大会 when that meeting is in the database: it must be one, held that day;
    the meeting shows the votes taken at it."""
    from db import meetings
    from db.development.votes import assembly_meetings, votes_at_meeting

    p = _candidate(db, ten)
    assembly = meetings.plan_meeting(db, kind="branch_assembly", planned_on=VOTE_ON, topic="讨论接收预备党员")
    other_day = meetings.plan_meeting(
        db, kind="branch_assembly", planned_on=VOTE_ON + timedelta(days=1), topic="学习"
    )
    committee = meetings.plan_meeting(db, kind="committee_meeting", planned_on=VOTE_ON, topic="审查")
    assert [m[0] for m in assembly_meetings(db)] == [other_day.uuid, assembly.uuid]
    for wrong, message in (
        (other_day.uuid, "日期是 2021-06-02"),
        (committee.uuid, "不是本支部已记录的支部党员大会"),
    ):
        errors, _ = dv.check_step(
            db,
            person_uuid=p.uuid,
            kind="admission_vote",
            on=VOTE_ON,
            values={"votes_for": 6, "meeting": wrong},
            today=TODAY,
        )
        assert any(message in e.message for e in errors)
    step = dv.add_step(
        db,
        person_uuid=p.uuid,
        kind="admission_vote",
        on=VOTE_ON,
        values={"votes_for": 7, "votes_against": 1, "present": 9, "meeting": assembly.uuid},
        today=TODAY,
    )
    assert step.meeting_uuid == assembly.uuid and step.meeting_label == "2021-06-01 讨论接收预备党员"
    assert votes_at_meeting(db, meeting_uuid=assembly.uuid) == [
        "孙小明：支部党员大会讨论接收（应到 10 人，实到 9 人，赞成 7 票、反对 1 票、弃权 0 票）"
    ]
