"""Issue 14, the committee: who may be appointed, one 书记 at a time, its size and term, and an approved
postponement of the election, each naming its source (docs/rules.md)."""

from __future__ import annotations

from datetime import date

import pytest

from db import branch, elections, reminders
from db.errors import ValidationError
from db.members import add_member
from db.records import COMMITTEE_ROLES


def _member(db, name: str, category: str = "full") -> str:  # type: ignore[no-untyped-def]
    full = date(2011, 7, 1) if category == "full" else None
    joined = date(2010, 7, 1) if category == "full" else date(2026, 3, 1)
    return add_member(
        db, values={"name": name, "category": category, "joined_on": joined, "full_on": full}
    ).uuid


def test_probationary_member_cannot_be_appointed(db) -> None:  # type: ignore[no-untyped-def]
    """党章第七条: 预备党员的权利，除了没有表决权、选举权和被选举权以外，也同正式党员一样."""
    with pytest.raises(ValidationError, match="党章第七条"):
        branch.appoint_committee_member(
            db, member_uuid=_member(db, "钱预", "probationary"), role="publicity", since=date(2026, 5, 1)
        )
    c = branch.appoint_committee_member(
        db, member_uuid=_member(db, "赵正"), role="publicity", since=date(2026, 5, 1)
    )
    assert c.role == "publicity"


@pytest.mark.parametrize(("since", "refused"), [(date(2026, 6, 30), True), (date(2026, 7, 1), False)])
def test_one_secretary_at_a_time(db, since: date, refused: bool) -> None:  # type: ignore[no-untyped-def]
    """支部工作条例: 党支部委员会设书记和组织委员、宣传委员、纪检委员等 — one 书记; a new one from the day after the
    other's service ends (here on 2026-06-30)."""
    first = branch.appoint_committee_member(
        db, member_uuid=_member(db, "孙书"), role="secretary", since=date(2023, 1, 1)
    )
    branch.end_committee_service(db, committee_uuid=first.uuid, until=date(2026, 6, 30))
    second = _member(db, "李新")
    if refused:
        with pytest.raises(ValidationError, match="同时只设一名书记"):
            branch.appoint_committee_member(db, member_uuid=second, role="secretary", since=since)
    else:
        assert (
            branch.appoint_committee_member(db, member_uuid=second, role="secretary", since=since).role
            == "secretary"
        )


def _branch(db, full: int, committee: int, term: tuple[date, date] | None = None) -> None:  # type: ignore[no-untyped-def]
    branch.save_branch(
        db,
        name="综采一区党支部",
        parent_org="某矿党委",
        term_start=term and term[0],
        term_end=term and term[1],
    )
    people = [_member(db, f"党员{i}") for i in range(full)]
    roles = list(COMMITTEE_ROLES)
    for i in range(committee):
        branch.appoint_committee_member(
            db,
            member_uuid=people[i],
            role=roles[i % len(roles)] if i < len(roles) else "publicity",
            since=date(2024, 1, 1),
        )


@pytest.mark.parametrize(
    ("full", "committee", "warned"),
    [
        (6, 0, ""),
        (7, 0, "应当设立党支部委员会"),
        (7, 2, "少于3人"),
        (7, 3, ""),
        (9, 7, ""),
        (9, 8, "超过7人"),
    ],
)
def test_committee_size_is_a_warning(db, full: int, committee: int, warned: str) -> None:  # type: ignore[no-untyped-def]
    """支部工作条例第六章: 有正式党员7人以上的党支部，应当设立党支部委员会。党支部委员会由3至5人组成，一般不超过7人 —
    warnings (reminders and the settings page), never a refusal."""
    _branch(db, full, committee)
    texts = elections.committee_warnings(db, today=date(2026, 6, 1))
    reminded = [r.what for r in reminders.gather(db, today=date(2026, 6, 1)) if r.kind == "committee_makeup"]
    assert texts == reminded
    if warned:
        assert len(texts) == 1 and warned in texts[0] and "支部工作条例" in texts[0]
    else:
        assert texts == []


@pytest.mark.parametrize(
    ("end", "warned"),
    [
        (date(2026, 12, 31), True),
        (date(2027, 1, 1), False),
        (date(2029, 1, 1), False),
        (date(2029, 1, 2), True),
    ],
)
def test_term_outside_three_to_five_years_is_a_warning(db, end: date, warned: bool) -> None:  # type: ignore[no-untyped-def]
    """党章第三十一条: 党的基层委员会、总支部委员会、支部委员会每届任期三年至五年 — a term from 2024-01-01 may end
    2027-01-01 to 2029-01-01."""
    _branch(db, 3, 0, (date(2024, 1, 1), end))
    texts = elections.committee_warnings(db, today=date(2026, 6, 1))
    assert bool([t for t in texts if "党章第三十一条" in t]) is warned


def _postpone(db, deadline: date, by: str = "某矿党委") -> elections.Postponement:  # type: ignore[no-untyped-def]
    return elections.postpone_election(
        db, approved_on=date(2026, 3, 1), approved_by=by, new_deadline=deadline, today=date(2026, 6, 1)
    )


@pytest.mark.parametrize(
    ("deadline", "refused"), [(date(2026, 3, 31), True), (date(2027, 3, 31), False), (date(2027, 4, 1), True)]
)
def test_postponement_is_at_most_a_year(db, deadline: date, refused: bool) -> None:  # type: ignore[no-untyped-def]
    """选举工作条例第三条: 如需延期或者提前进行换届选举，应当报上级党组织批准。延长或者提前期限一般不超过1年 — a term
    ending 2026-03-31 may be postponed to 2027-03-31 at the latest (and must be postponed to after its end)."""
    _branch(db, 3, 0, (date(2023, 3, 31), date(2026, 3, 31)))
    if refused:
        with pytest.raises(ValidationError) as exc:
            elections.postpone_election(
                db,
                approved_on=date(2026, 3, 1),
                approved_by="某矿党委",
                new_deadline=deadline,
                today=date(2026, 6, 1),
            )
        assert {p.field for p in exc.value.problems} == {"new_deadline"}
    else:
        p = _postpone(db, deadline)
        assert (p.new_deadline, p.approved_by) == (deadline, "某矿党委")
    with pytest.raises(ValidationError, match="批准延期的上级党组织"):
        _postpone(db, date(2026, 9, 30), by=" ")


@pytest.mark.parametrize(
    ("today", "kind", "severity"),
    [
        (date(2026, 3, 31), "term_ending", "normal"),
        (date(2026, 4, 1), "term_postponed", "normal"),
        (date(2026, 9, 30), "term_postponed", "normal"),
        (date(2026, 10, 1), "term_ended", "urgent"),
    ],
)
def test_approved_postponement_ends_the_urgent_term_reminder(
    db, today: date, kind: str, severity: str
) -> None:  # type: ignore[no-untyped-def]
    """选举工作条例第三条: with the upper organisation's approval (recorded: day, body, new deadline 2026-09-30) the
    term ending 2026-03-31 is no urgent alarm until the new deadline; from the day after it, urgent again."""
    _branch(db, 3, 0, (date(2023, 3, 31), date(2026, 3, 31)))
    _postpone(db, date(2026, 9, 30))
    found = [r for r in reminders.gather(db, today=today) if r.kind.startswith("term_")]
    assert [(r.kind, r.severity) for r in found] == [(kind, severity)]
    if kind == "term_postponed":
        assert "某矿党委" in found[0].what and "2026-09-30" in found[0].what
