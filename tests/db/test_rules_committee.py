"""Issue 14, the committee: who may be appointed and one 书记 at a time, each naming its source (docs/rules.md)."""

from __future__ import annotations

from datetime import date

import pytest

from db import branch
from db.errors import ValidationError
from db.members import add_member


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
