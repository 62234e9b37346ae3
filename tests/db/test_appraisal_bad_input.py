"""民主评议 tally with more ballots returned than people at the 民主测评: every member's marks then fit under the
ballots, so the count passed; it is refused now, naming the meeting and its attendance (observers included, for a
unit that invites 群众代表 to the 测评)."""

from __future__ import annotations

import pytest

from db import appraisal, meetings
from db.errors import ValidationError
from tests.db.test_appraisal import TODAY, round_  # noqa: F401 - the fixture


def test_more_ballots_than_people_present_is_refused(round_) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    db, r, roster, _lost, meeting = round_
    present = meetings.get_meeting(db, uuid=meeting.uuid).present
    marks = {u: (1, 2, 0, 0) for u in roster["full"]}
    with pytest.raises(ValidationError, match=f"多于民主测评.*出席的 {present} 人"):
        appraisal.save_tally(db, round_uuid=r.uuid, ballots=present + 1, marks=marks, today=TODAY)
    assert appraisal.get_round(db, uuid=r.uuid).ballots is None  # nothing saved
    appraisal.save_tally(db, round_uuid=r.uuid, ballots=present, marks=marks, today=TODAY)
    assert appraisal.get_round(db, uuid=r.uuid).ballots == present
