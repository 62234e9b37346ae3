"""组织生活会 with a date typed wrong (the functions take ``YYYY-MM-DD`` text): a date that does not exist was a
ValueError from the calendar; it is now the field's Chinese message, and nothing is saved."""

from __future__ import annotations

import pytest

from db import lifemeeting
from db.errors import ValidationError
from tests.db.meetings_helpers import make_roster
from tests.db.test_lifemeeting import TODAY, _life_meeting


@pytest.mark.parametrize("typed", ["2026-13-01", "2026-02-30", "昨天"])
def test_a_date_that_does_not_exist_is_a_chinese_message(db, typed: str) -> None:  # type: ignore[no-untyped-def]
    roster = make_roster(db, full=4, probationary=0, committee=2)
    uuid = _life_meeting(db, roster)
    member = roster["full"][0]
    with pytest.raises(ValidationError, match="收到意见的日期"):
        lifemeeting.add_opinion(
            db, meeting_uuid=uuid, source_kind="masses", received_on=typed, text="意见", today=TODAY
        )
    with pytest.raises(ValidationError, match="提交日期"):
        lifemeeting.set_material(db, meeting_uuid=uuid, member_uuid=member, submitted_on=typed, today=TODAY)
    with pytest.raises(ValidationError, match="整改时限"):
        lifemeeting.add_item(
            db,
            meeting_uuid=uuid,
            problem="问题",
            measure="措施",
            owner_uuid=member,
            deadline=typed,
            today=TODAY,
        )
    assert lifemeeting.list_opinions(db, meeting_uuid=uuid) == []
    assert lifemeeting.list_items(db, meeting_uuid=uuid) == []
    assert all(not m.submitted_on for m in lifemeeting.list_materials(db, meeting_uuid=uuid))
