"""Member development (db.development): every rule at its boundary day, admission onto the roster, full
membership, probation extension, cancellation, reminders, the monthly rows and the demo pipeline."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from db import audit, members, transfers
from db import development as dv
from db.errors import ValidationError
from db.rules import add_years, make_citizen_id

TODAY = date(2025, 6, 30)
BIRTH = date(1995, 3, 10)
CID = make_citizen_id("140202", BIRTH, 123)  # a man born 1995-03-10


@pytest.fixture
def full_members(db) -> list[str]:  # type: ignore[no-untyped-def]
    """Three full members and one probationary member on the roster; returns the uuids (probationary last)."""
    out = []
    for i, (name, category) in enumerate(
        (("王强", "full"), ("李娜", "full"), ("赵刚", "full"), ("钱多", "probationary"))
    ):
        birth = date(1970 + i, 1, 1 + i)
        out.append(
            members.add_member(
                db,
                values={
                    "name": name,
                    "category": category,
                    "citizen_id": make_citizen_id("140202", birth, 201 + 2 * i),
                    "joined_on": date(2000, 7, 1),
                    "full_on": date(2001, 7, 1) if category == "full" else None,
                },
            ).uuid
        )
    return out


def _person(db, applied_on: date = date(2020, 1, 6), **over: Any) -> dv.DevelopmentPerson:  # type: ignore[no-untyped-def]
    values = {"name": "孙小明", "citizen_id": CID, "job": "掘进工"}
    values.update(over)
    return dv.add_person(db, values=values, applied_on=applied_on, today=TODAY)


def _codes(db, person, kind: str, on: date, **values: Any) -> list[str]:  # type: ignore[no-untyped-def]
    errors, warnings = dv.check_step(
        db, person_uuid=person.uuid, kind=kind, on=on, values=values, today=TODAY
    )
    assert errors == []
    return [w.code for w in warnings]


def _step(db, person, kind: str, on: date, reason: str = "", **values: Any) -> dv.DevelopmentStep:  # type: ignore[no-untyped-def]
    return dv.add_step(
        db, person_uuid=person.uuid, kind=kind, on=on, values=values, reason=reason, today=TODAY
    )


def _to_candidate(db, full_members, activist_on: date = date(2020, 3, 2)):  # type: ignore[no-untyped-def]
    p = _person(db)
    _step(db, p, "talk", date(2020, 1, 20))
    _step(db, p, "activist_decision", activist_on)
    _step(db, p, "mentors", activist_on + timedelta(days=5), members=full_members[:2])
    _step(db, p, "activist_review", activist_on + timedelta(days=180))
    _step(db, p, "candidate_decision", add_years(activist_on, 1))
    return p


def _to_vote(db, full_members, vote_on: date = date(2021, 6, 1)):  # type: ignore[no-untyped-def]
    p = _to_candidate(db, full_members)
    _step(db, p, "introducers", date(2021, 3, 10), members=full_members[:2])
    _step(db, p, "political_review", date(2021, 4, 1))
    _step(db, p, "training", date(2021, 4, 10), days=3)
    _step(db, p, "committee_review", date(2021, 4, 15))
    _step(db, p, "upper_prereview", date(2021, 4, 20))  # 细则第二十条: 预审合格后才提交支部大会
    _step(db, p, "application_form", date(2021, 5, 1), number="2021001")
    _step(db, p, "admission_vote", vote_on, votes_for=3, votes_against=0, votes_abstain=0)
    return p


def _approve(db, p, on: date) -> dv.DevelopmentStep:  # type: ignore[no-untyped-def]
    """The upper committee's talk (党章第五条), then its approval, on the same day."""
    _step(db, p, "upper_talk", on)
    return _step(db, p, "upper_approval", on)


# --- age and the talk ----------------------------------------------------------------------------------------


def test_exactly_18_on_the_application_date_is_fine(db) -> None:  # type: ignore[no-untyped-def]
    p = _person(db, applied_on=date(2013, 3, 10))
    assert p.stage == "applicant" and p.status == "in_pipeline" and p.applied_on == date(2013, 3, 10)
    assert (p.birth_date, p.gender) == (BIRTH, "male")
    assert dv.person_warnings(db, uuid=p.uuid) == []


def test_a_day_before_18_warns_and_needs_a_reason(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as exc:
        _person(db, applied_on=date(2013, 3, 9))
    assert "第五条" in str(exc.value) and "2013-03-09" in str(exc.value) and "原因" in str(exc.value)
    p = dv.add_person(
        db,
        values={"name": "孙小明", "citizen_id": CID},
        applied_on=date(2013, 3, 9),
        reason="档案出生日期有误，已核实",
        today=TODAY,
    )
    warnings = dv.person_warnings(db, uuid=p.uuid)
    assert [w.code for w in warnings] == ["age"] and "2013-03-10" in warnings[0].message
    step = dv.list_steps(db, person_uuid=p.uuid)[0]
    assert step.reason == "档案出生日期有误，已核实" and "第五条" in step.warnings[0]
    assert dv.get_person(db, uuid=p.uuid).warning_count == 1


def test_talk_within_one_month(db) -> None:  # type: ignore[no-untyped-def]
    p = _person(db, applied_on=date(2020, 1, 31))
    assert _codes(db, p, "talk", date(2020, 2, 29)) == []  # one month after 31 January is 29 February
    warnings = dv.check_step(db, person_uuid=p.uuid, kind="talk", on=date(2020, 3, 1), today=TODAY)[1]
    assert [w.code for w in warnings] == ["talk"]
    assert (
        "第七条" in warnings[0].message
        and "2020-03-01" in warnings[0].message
        and "2020-01-31" in warnings[0].message
    )


def test_bad_person_input_is_refused(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as exc:
        dv.add_person(
            db,
            values={"name": "", "citizen_id": CID[:-1] + ("0" if CID[-1] != "0" else "1")},
            applied_on=date(2020, 1, 1),
            today=TODAY,
        )
    fields = {p.field for p in exc.value.problems}
    assert {"name", "citizen_id"} <= fields
    with pytest.raises(ValidationError, match="晚于今天"):
        _person(db, applied_on=TODAY + timedelta(days=1))
    _person(db)
    with pytest.raises(ValidationError, match="已登记为发展对象"):
        _person(db, name="另一人")


# --- activist, candidate, mentors, introducers, training ------------------------------------------------------


def test_candidate_exactly_one_year_after_activist_passes_a_day_earlier_warns(db, full_members) -> None:  # type: ignore[no-untyped-def]
    p = _person(db)
    _step(db, p, "activist_decision", date(2023, 6, 1))
    _step(db, p, "mentors", date(2023, 6, 5), members=full_members[:2])
    _step(db, p, "activist_review", date(2023, 12, 1))
    assert _codes(db, p, "candidate_decision", date(2024, 6, 1)) == []
    _errors, warnings = dv.check_step(
        db, person_uuid=p.uuid, kind="candidate_decision", on=date(2024, 5, 31), today=TODAY
    )
    assert [w.code for w in warnings] == ["candidate"]
    assert warnings[0].message == (
        "《中国共产党发展党员工作细则》第十三条：确定为发展对象（2024-05-31）距列为入党积极分子（2023-06-01）不足一年"
    )
    with pytest.raises(ValidationError) as exc:
        _step(db, p, "candidate_decision", date(2024, 5, 31))
    assert exc.value.problems[0].field == "reason"
    _step(db, p, "candidate_decision", date(2024, 5, 31), reason="上级党委批准提前")
    assert dv.get_person(db, uuid=p.uuid).stage == "candidate"
    assert [w.code for w in dv.person_warnings(db, uuid=p.uuid)] == ["candidate"]


def test_mentors_one_or_two_full_members(db, full_members) -> None:  # type: ignore[no-untyped-def]
    p = _person(db)
    _step(db, p, "activist_decision", date(2020, 3, 2))
    assert _codes(db, p, "mentors", date(2020, 3, 5), members=full_members[:1]) == []
    assert _codes(db, p, "mentors", date(2020, 3, 5), members=full_members[:2]) == []
    assert _codes(db, p, "mentors", date(2020, 3, 5), members=full_members[:3]) == ["mentors"]


def test_two_full_members_as_introducers(db, full_members) -> None:  # type: ignore[no-untyped-def]
    p = _to_candidate(db, full_members)
    assert _codes(db, p, "introducers", date(2021, 3, 10), members=full_members[:2]) == []
    assert _codes(db, p, "introducers", date(2021, 3, 10), members=full_members[:1]) == ["introducers"]
    errors, _ = dv.check_step(
        db,
        person_uuid=p.uuid,
        kind="introducers",
        on=date(2021, 3, 10),
        values={"members": [full_members[0], full_members[3]]},
        today=TODAY,
    )
    assert errors and "预备党员" in errors[0].message and "钱多" in errors[0].message
    errors, _ = dv.check_step(
        db,
        person_uuid=p.uuid,
        kind="introducers",
        on=date(2021, 3, 10),
        values={"members": [full_members[0], "no-such-uuid"]},
        today=TODAY,
    )
    assert errors and "不是本支部名册中的党员" in errors[0].message
    step = _step(db, p, "introducers", date(2021, 3, 10), members=full_members[:2])
    assert [m.name for m in step.members] == ["王强", "李娜"]


@pytest.mark.parametrize(
    ("days", "hours", "ok"),
    [(3, None, True), (None, 24, True), (2, 23, False), (2, None, False), (None, 23, False)],
)
def test_training_three_days_or_24_hours(db, full_members, days, hours, ok) -> None:  # type: ignore[no-untyped-def]
    p = _to_candidate(db, full_members)
    codes = _codes(db, p, "training", date(2021, 4, 10), days=days, hours=hours)
    assert (codes == []) is ok and (ok or codes == ["training"])


def test_dates_in_order_and_impossible_dates(db, full_members) -> None:  # type: ignore[no-untyped-def]
    p = _person(db)
    assert _codes(db, p, "activist_decision", date(2020, 1, 6)) == []
    warnings = dv.check_step(
        db, person_uuid=p.uuid, kind="activist_decision", on=date(2020, 1, 5), today=TODAY
    )[1]
    assert [w.code for w in warnings] == ["order"] and "2020-01-06" in warnings[0].message
    errors = dv.check_step(db, person_uuid=p.uuid, kind="talk", on=TODAY + timedelta(days=1), today=TODAY)[0]
    assert errors and "不能晚于今天" in errors[0].message
    errors = dv.check_step(db, person_uuid=p.uuid, kind="talk", on=BIRTH, today=TODAY)[0]
    assert errors and "出生日期" in errors[0].message


def test_vote_counts_cannot_exceed_full_members(db, full_members) -> None:  # type: ignore[no-untyped-def]
    p = _to_candidate(db, full_members)
    errors, _ = dv.check_step(
        db,
        person_uuid=p.uuid,
        kind="admission_vote",
        on=date(2021, 6, 1),
        values={"votes_for": 3, "votes_against": 1},
        today=TODAY,
    )
    assert errors and "超过有表决权的正式党员人数（3 人）" in errors[0].message


# --- admission, approval window, full membership --------------------------------------------------------------


def test_admission_puts_the_person_on_the_roster_as_probationary(db, full_members) -> None:  # type: ignore[no-untyped-def]
    p = _to_vote(db, full_members)
    assert _codes(db, p, "upper_approval", date(2021, 7, 1)) == ["upper_talk_missing"]  # 党章第五条
    _step(db, p, "upper_talk", date(2021, 6, 20))
    assert _codes(db, p, "upper_approval", date(2021, 9, 1)) == []  # exactly 3 months
    assert _codes(db, p, "upper_approval", date(2021, 9, 2)) == ["approval"]
    assert _codes(db, p, "upper_approval", date(2021, 12, 1)) == [
        "approval"
    ]  # six months: the last day allowed
    # issue 14: later than six months is refused (the procedure must be redone), no longer a warning
    errors = dv.check_step(db, person_uuid=p.uuid, kind="upper_approval", on=date(2021, 12, 2), today=TODAY)[
        0
    ]
    assert errors and "六个月" in errors[0].message
    _step(db, p, "upper_approval", date(2021, 7, 1))
    person = dv.get_person(db, uuid=p.uuid)
    assert (person.stage, person.status) == ("probationary", "admitted")
    m = members.get_member(db, uuid=person.member_uuid)
    assert (m.name, m.citizen_id, m.category, m.joined_on, m.job) == (
        "孙小明",
        CID,
        "probationary",
        date(2021, 6, 1),
        "掘进工",
    )
    assert audit.history(db, entity_uuid=m.uuid)[0].source == "development"


def test_admission_links_an_existing_member_instead_of_duplicating(db, full_members) -> None:  # type: ignore[no-untyped-def]
    p = _to_vote(db, full_members)
    existing = members.add_member(
        db, values={"name": "孙小明", "citizen_id": CID, "category": "probationary"}
    )
    _approve(db, p, date(2021, 7, 1))
    assert dv.get_person(db, uuid=p.uuid).member_uuid == existing.uuid
    assert len([m for m in members.list_members(db) if m.citizen_id == CID]) == 1
    assert members.get_member(db, uuid=existing.uuid).joined_on == date(2021, 6, 1)


def test_approval_needs_the_vote_first(db, full_members) -> None:  # type: ignore[no-untyped-def]
    p = _to_candidate(db, full_members)
    with pytest.raises(ValidationError, match="请先记录「支部党员大会讨论接收」"):
        _step(db, p, "upper_approval", date(2021, 7, 1))


def test_full_membership_sets_full_on_to_the_end_of_probation(db, full_members) -> None:  # type: ignore[no-untyped-def]
    p = _to_vote(db, full_members)
    _approve(db, p, date(2021, 7, 1))
    assert _codes(db, p, "full_vote", date(2022, 6, 1), votes_for=3) == ["full_application_missing"]
    _step(db, p, "full_application", date(2022, 5, 20))
    assert _codes(db, p, "full_vote", date(2022, 6, 1), votes_for=3) == []  # probation ends on 2022-06-01
    assert _codes(db, p, "full_vote", date(2022, 5, 31), votes_for=3) == ["probation"]
    _step(db, p, "full_vote", date(2022, 6, 10), votes_for=3)
    _step(db, p, "full_approval", date(2022, 7, 1))
    person = dv.get_person(db, uuid=p.uuid)
    m = members.get_member(db, uuid=person.member_uuid)
    assert (person.stage, m.category, m.full_on) == ("full", "full", date(2022, 6, 1))


def test_probation_extension_once_only_and_moves_full_on(db, full_members) -> None:  # type: ignore[no-untyped-def]
    p = _to_vote(db, full_members)
    _approve(db, p, date(2021, 7, 1))
    for bad in (5, 13):
        errors = dv.check_step(
            db,
            person_uuid=p.uuid,
            kind="probation_extension",
            on=date(2022, 6, 5),
            values={"months": bad, "votes_for": 3},
            today=TODAY,
        )[0]
        assert errors and "6 个月" in errors[0].message
    _step(db, p, "probation_extension", date(2022, 6, 5), months=6, votes_for=3)
    with pytest.raises(ValidationError, match="只能延长一次"):
        _step(db, p, "probation_extension", date(2022, 7, 5), months=6, votes_for=3)
    # 党章第七条: the extension counts once the upper committee approved it
    assert dv.probation_end(dv.list_steps(db, person_uuid=p.uuid)) == date(2022, 6, 1)
    _step(db, p, "extension_approval", date(2022, 7, 1))
    assert dv.probation_end(dv.list_steps(db, person_uuid=p.uuid)) == date(2022, 12, 1)
    _step(db, p, "full_application", date(2022, 11, 20))
    assert _codes(db, p, "full_vote", date(2022, 11, 30), votes_for=3) == ["probation"]
    _step(db, p, "full_vote", date(2022, 12, 1), votes_for=3)
    _step(db, p, "full_approval", date(2023, 1, 10))
    m = members.get_member(db, uuid=dv.get_person(db, uuid=p.uuid).member_uuid)
    assert m.full_on == date(2022, 12, 1)


def test_cancelling_probation_and_leaving_are_recorded_not_deleted(db, full_members) -> None:  # type: ignore[no-untyped-def]
    p = _to_vote(db, full_members)
    _approve(db, p, date(2021, 7, 1))
    _step(db, p, "probation_cancelled", date(2022, 3, 1), note="严重违反劳动纪律", votes_for=3)
    assert dv.get_person(db, uuid=p.uuid).status == "admitted"  # the vote alone changes nothing yet
    _step(db, p, "cancel_approval", date(2022, 3, 20))
    person = dv.get_person(db, uuid=p.uuid)
    assert person.status == "left" and "取消预备党员资格" in person.status_reason
    assert members.get_member(db, uuid=person.member_uuid).status == "removed"
    assert dv.list_people(db) == [] and len(dv.list_people(db, include_left=True)) == 1
    with pytest.raises(ValidationError, match="已退出培养"):
        _step(db, p, "probation_review", date(2022, 4, 1))
    q = _person(db, name="周一", citizen_id=make_citizen_id("140202", date(1996, 1, 1), 111))
    with pytest.raises(ValidationError):
        dv.leave_pipeline(db, uuid=q.uuid, on=date(2021, 1, 1), reason="", today=TODAY)
    dv.leave_pipeline(db, uuid=q.uuid, on=date(2021, 1, 1), reason="本人撤回申请", today=TODAY)
    assert dv.get_person(db, uuid=q.uuid).status_reason == "本人撤回申请"
    assert dv.stage_counts(db) == dict.fromkeys(dv.STAGES, 0)


def test_cancelling_probation_ends_the_open_mobile_period(db, full_members) -> None:  # type: ignore[no-untyped-def]
    """A probationary member away as a 流动党员 whose probation is cancelled leaves the roster: the open 外出
    period ends that day, as it does for every other way off the roster, so no reminder or 流动党员 list keeps
    counting them."""
    p = _to_vote(db, full_members)
    _approve(db, p, date(2021, 7, 1))
    member_uuid = dv.get_person(db, uuid=p.uuid).member_uuid
    transfers.start_mobile(
        db,
        member_uuid=member_uuid,
        province="内蒙古自治区",
        reason="外出务工",
        started_on=date(2021, 9, 1),
        today=TODAY,
    )
    _step(db, p, "probation_cancelled", date(2022, 3, 1), note="严重违反劳动纪律", votes_for=3)
    assert transfers.list_mobile_periods(
        db, current_only=True, member_uuid=member_uuid
    )  # the vote alone: still away
    _step(db, p, "cancel_approval", date(2022, 3, 20))
    assert transfers.list_mobile_periods(db, current_only=True, member_uuid=member_uuid) == []
    (period,) = transfers.list_mobile_periods(db, member_uuid=member_uuid)
    assert period.ended_on == date(
        2022, 3, 20
    )  # with the roster's words, the votes and the approval included
    assert (
        period.end_reason.startswith("已减员：取消预备党员资格") and "严重违反劳动纪律" in period.end_reason
    )
    m = members.get_member(db, uuid=member_uuid)
    assert (m.status, m.mobile_member, m.outflow_place) == ("removed", False, "")


def test_void_step_keeps_it_but_rules_ignore_it(db, full_members) -> None:  # type: ignore[no-untyped-def]
    p = _person(db)
    _step(db, p, "activist_decision", date(2023, 6, 1))
    wrong = _step(db, p, "candidate_decision", date(2024, 1, 1), reason="录入错误")
    assert dv.person_warnings(db, uuid=p.uuid)
    dv.void_step(db, step_uuid=wrong.uuid, reason="日期录错")
    assert dv.person_warnings(db, uuid=p.uuid) == []
    assert [s.voided for s in dv.list_steps(db, person_uuid=p.uuid)] == [False, False, True]


# --- reminders and the monthly sheet ---------------------------------------------------------------------------


def test_reminders(db, full_members) -> None:  # type: ignore[no-untyped-def]
    p = _person(db, applied_on=date(2025, 6, 1))

    def pipeline(today: date) -> list[dv.DevelopmentReminder]:
        # issue 14: the fixture's roster 预备党员 钱多 (joined 2000) now has their own 转正 reminder; these are the
        # pipeline's
        return [r for r in dv.development_reminders(db, today=today) if r.page == "development"]

    kinds = [r.kind for r in pipeline(TODAY)]
    assert kinds == ["talk_due"]
    r = pipeline(TODAY)[0]
    assert "孙小明" in r.text and "2025-06-01" in r.text and r.page == "development"
    assert r.filters == {"person": p.uuid} and r.since == date(2025, 6, 1)
    _step(db, p, "talk", date(2025, 6, 20))
    assert pipeline(TODAY) == []

    # A probationary member whose probation ends in 30 days (and one ending in 31: not yet).
    cid2 = make_citizen_id("140202", date(1990, 2, 2), 333)
    r2 = dv.add_person(
        db, values={"name": "吴二", "citizen_id": cid2}, applied_on=date(2021, 1, 4), today=TODAY
    )
    _step(db, r2, "activist_decision", date(2021, 3, 1))
    _step(db, r2, "candidate_decision", date(2022, 3, 1), reason="补录：培养记录在纸质档案中")
    _step(db, r2, "introducers", date(2022, 3, 5), members=full_members[:2])
    _step(db, r2, "political_review", date(2022, 4, 1))
    _step(db, r2, "training", date(2022, 4, 5), hours=24)
    _step(db, r2, "upper_prereview", date(2022, 4, 20))
    _step(db, r2, "admission_vote", date(2024, 7, 30), votes_for=3)
    assert "upper_approval_due" in [r.kind for r in dv.development_reminders(db, today=TODAY)]
    _approve(db, r2, date(2024, 9, 1))
    ending = [r for r in pipeline(TODAY) if r.kind == "probation_ending"]
    assert ending and ending[0].text == "吴二 的预备期将于 2025-07-30 届满，需召开支部党员大会讨论转正"
    assert [r.kind for r in pipeline(TODAY - timedelta(days=1)) if r.kind == "probation_ending"] == []


def test_activist_review_reminder_every_six_months(db) -> None:  # type: ignore[no-untyped-def]
    p = _person(db)
    _step(db, p, "talk", date(2020, 1, 20))
    _step(db, p, "activist_decision", date(2025, 1, 30))
    assert [r.kind for r in dv.development_reminders(db, today=date(2025, 6, 29))] == []
    assert [r.kind for r in dv.development_reminders(db, today=date(2025, 6, 30))] == ["activist_review_due"]
    _step(db, p, "activist_review", date(2025, 6, 30))
    assert dv.development_reminders(db, today=date(2025, 6, 30)) == []


def test_monthly_rows(db, full_members) -> None:  # type: ignore[no-untyped-def]
    p = _to_vote(db, full_members)
    rows = dv.monthly_development_rows(db, month="2021-06")
    assert len(rows) == 1
    row = rows[0]
    assert set(row) == {f for f, _h in dv.MONTHLY_COLUMNS}
    assert (row["name"], row["citizen_id"], row["stage"], row["admission_vote_on"], row["uuid"]) == (
        "孙小明",
        CID,
        "candidate",
        date(2021, 6, 1),
        p.uuid,
    )
    assert row["introducers"] == "王强、李娜" and row["month_steps"] == "支部党员大会讨论接收 2021-06-01"
    assert dv.monthly_development_rows(db, month="2019-12") == []
    # Steps after the month are not shown in it.
    assert dv.monthly_development_rows(db, month="2021-03")[0]["admission_vote_on"] is None
    figures = dv.monthly_development_figures(db, month="2021-06")
    assert figures["发展对象数"] == 1 and figures["本月接收预备党员数"] == 0


def test_monthly_workbook_carries_the_development_sheet(db, full_members, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    from db.workbook.export import export_monthly

    p = _to_vote(db, full_members)
    _approve(db, p, date(2021, 7, 1))
    export_monthly(db, month="2021-07", path=tmp_path / "m.xlsx")
    sheet = load_workbook(tmp_path / "m.xlsx")["发展党员"]
    header = [c.value for c in sheet[1]]
    assert header[:8] == [
        "姓名",
        "性别",
        "出生日期",
        "公民身份号码",
        "党小组",
        "工作岗位",
        "发展阶段",
        "状态",
    ]
    values = dict(zip(header, [c.value for c in sheet[2]]))
    assert values["姓名"] == "孙小明" and values["公民身份号码"] == CID and values["发展阶段"] == "预备党员"
    assert values["状态"] == "已接收入党"


def test_demo_pipeline_is_realistic_and_deterministic(db) -> None:  # type: ignore[no-untyped-def]
    from db import demo

    demo.generate(db, members=30, seed=7, today=TODAY)
    people = dv.list_people(db, include_left=True)
    assert len(people) >= 8
    counts = dv.stage_counts(db)
    assert all(counts[s] >= 1 for s in dv.STAGES)
    reminders = dv.development_reminders(db, today=TODAY)
    assert any(r.kind == "probation_ending" for r in reminders)
    reasons = [s for p in people for s in dv.list_steps(db, person_uuid=p.uuid) if s.warnings]
    assert len(reasons) == 1 and reasons[0].reason
    assert any(p.status == "left" and p.status_reason for p in people)
    admitted = [p for p in people if p.status == "admitted"]
    assert admitted and all(members.get_member(db, uuid=p.member_uuid).joined_on for p in admitted)
    signature = [(p.name, p.stage, p.applied_on) for p in people]
    # Same seed and day give the same pipeline: rebuild in a second database.
    from db import store

    path = db.path.with_name("second.sqlite")
    other = store.open(path)
    try:
        demo.generate(other, members=30, seed=7, today=TODAY)
        assert [
            (p.name, p.stage, p.applied_on) for p in dv.list_people(other, include_left=True)
        ] == signature
    finally:
        store.close(other)
