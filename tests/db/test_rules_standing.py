"""Issue 14, standing, discipline and absence: the kinds of standing events, 留党察看 and its period, 失联 members,
停止党籍 — each at its boundary and naming its source (quoted in docs/rules.md; ``test_rules_doc`` keeps the two
in step)."""

from __future__ import annotations

from datetime import date

import pytest

from db import appraisal, branch, meetings, transfers
from db.development.votes import entitled_voters
from db.errors import ValidationError
from db.members import get_member
from db.rows import query
from db.standing import suspended_on
from tests.db.meetings_helpers import make_roster

TODAY = date(2026, 11, 20)


@pytest.fixture
def roster(db):  # type: ignore[no-untyped-def]
    branch.save_branch(db, name="掘进二队党支部")
    return make_roster(db, full=6, probationary=1, groups=1, committee=0)


def _event(db, member: str, kind: str, on: date, **kw):  # type: ignore[no-untyped-def]
    return transfers.record_event(
        db, member_uuid=member, kind=kind, happened_on=on, reason="依据", today=TODAY, **kw
    )


@pytest.mark.parametrize(
    "kind",
    [
        "expulsion",
        "removal",
        "removal_persuaded",
        "removal_lapsed",
        "persuaded",
        "withdrawal",
        "deceased",
    ],
)
def test_leaving_kinds_are_stored_by_their_code_and_archive(db, roster, kind: str) -> None:  # type: ignore[no-untyped-def]
    """教管条例第二十四条 names 劝其退党、劝而不退除名、自行脱党除名、退党除名、开除党籍 apart (they differ in whether
    the standing can be restored), and the yearly statistics count them apart: each is stored under its own code
    with its decision, and takes the member off the roster (已减员) on its date."""
    who = roster["full"][0]
    e = _event(db, who, kind, date(2026, 5, 1), decision="矿党委 党纪〔2026〕1号")
    assert (e.kind, e.decision) == (kind, "矿党委 党纪〔2026〕1号")
    stored = query(db, "SELECT kind, decision FROM member_events WHERE uuid = ?", [e.uuid])
    assert stored == [{"kind": kind, "decision": "矿党委 党纪〔2026〕1号"}]
    m = get_member(db, uuid=who)
    assert (m.status, m.status_on) == ("removed", date(2026, 5, 1))
    assert transfers.EVENT_KINDS[kind] in m.status_reason


def test_cancelling_probation_is_not_a_standing_form_entry(db, roster) -> None:  # type: ignore[no-untyped-def]
    """党章第七条: 取消预备党员资格 needs the 支部党员大会's vote and the upper approval, so the standing form refuses
    it (for any member) and points to the development page, where the vote and the approval record it."""
    for who in (roster["full"][0], roster["probationary"][0]):
        with pytest.raises(ValidationError, match="党章第七条"):
            _event(db, who, "probation_cancelled", date(2026, 5, 1))
        assert get_member(db, uuid=who).status == "active"


@pytest.mark.parametrize(
    ("ends_on", "refused"),
    [(None, True), (date(2026, 1, 10), True), (date(2028, 1, 10), False), (date(2028, 1, 11), True)],
)
def test_watch_lasts_at_most_two_years(db, roster, ends_on: date | None, refused: bool) -> None:  # type: ignore[no-untyped-def]
    """党章: 留党察看最长不超过两年 — a 留党察看 from 2026-01-10 needs its end, after the start, 2028-01-10 at the latest;
    the member stays on the roster."""
    who = roster["full"][0]
    if refused:
        with pytest.raises(ValidationError) as exc:
            _event(db, who, "probation_watch", date(2026, 1, 10), ends_on=ends_on)
        assert {p.field for p in exc.value.problems} == {"ends_on"}
    else:
        e = _event(db, who, "probation_watch", date(2026, 1, 10), ends_on=ends_on)
        assert e.ends_on == ends_on and "留党察看（2026-01-10 至 2028-01-10）" == e.label
        assert get_member(db, uuid=who).status == "active"


@pytest.mark.parametrize(
    ("ends_on", "refused"),
    [
        (date(2026, 7, 10), True),
        (date(2027, 1, 9), False),
        (date(2027, 1, 10), False),
        (date(2027, 7, 10), True),
        (date(2028, 1, 9), False),
    ],
)
def test_watch_is_one_year_or_two(db, roster, ends_on: date, refused: bool) -> None:  # type: ignore[no-untyped-def]
    """纪律处分条例第十二条: 留党察看处分，分为留党察看一年、留党察看二年 — from 2026-01-10 the period ends after one
    year (2027-01-09, its last day, or 2027-01-10) or two; six months or eighteen months are refused, naming the
    article and both ends."""
    who = roster["full"][0]
    if refused:
        with pytest.raises(ValidationError, match="第十二条.*2027-01-09.*2028-01-09") as exc:
            _event(db, who, "probation_watch", date(2026, 1, 10), ends_on=ends_on)
        assert {p.field for p in exc.value.problems} == {"ends_on"}
    else:
        assert _event(db, who, "probation_watch", date(2026, 1, 10), ends_on=ends_on).ends_on == ends_on


def test_watch_extended_once_never_past_two_years(db, roster) -> None:  # type: ignore[no-untyped-def]
    """纪律处分条例第十二条: 对于受到留党察看处分一年的党员，期满后仍不符合恢复党员权利条件的，应当延长一年留党察看期限。
    留党察看期限最长不得超过二年 — a one-year watch extended by a year is accepted; a further watch that runs on from a
    two-year one (or overlaps it) is refused, naming the first day and the latest end, and writes nothing."""
    first, second = roster["full"][0], roster["full"][1]
    _event(db, first, "probation_watch", date(2024, 1, 10), ends_on=date(2025, 1, 9))
    _event(db, first, "probation_watch", date(2025, 1, 10), ends_on=date(2026, 1, 9))
    _event(db, second, "probation_watch", date(2024, 1, 10), ends_on=date(2026, 1, 9))
    for start, end in ((date(2025, 3, 1), date(2026, 2, 28)), (date(2026, 1, 10), date(2027, 1, 9))):
        with pytest.raises(ValidationError, match="最长不得超过二年.*2024-01-10.*2026-01-10.*开除党籍"):
            _event(db, second, "probation_watch", start, ends_on=end)
    with pytest.raises(ValidationError, match="最长不得超过二年"):
        _event(db, first, "probation_watch", date(2026, 1, 10), ends_on=date(2027, 1, 9))
    assert len(transfers.list_events(db, member_uuid=second)) == 1
    # a new 留党察看 some months after the last one ended is a period of its own
    assert _event(db, second, "probation_watch", date(2026, 6, 1), ends_on=date(2027, 5, 31)).ends_on


@pytest.mark.parametrize(
    ("on", "votes"),
    [
        (date(2026, 1, 9), True),
        (date(2026, 1, 10), False),
        (date(2027, 1, 9), False),
        (date(2027, 1, 10), True),
    ],
)
def test_no_vote_while_under_watch(db, roster, on: date, votes: bool) -> None:  # type: ignore[no-untyped-def]
    """选举工作条例第五条: 受留党察看处分的党员在留党察看期间没有表决权、选举权和被选举权 — 留党察看 2026-01-10 to
    2027-01-09: left out of 应到 from the first day to the last, counted again the day after; the assembly's
    quorum counts the same way."""
    who = roster["full"][0]
    _event(db, who, "probation_watch", date(2026, 1, 10), ends_on=date(2027, 1, 9))
    assert (who in {m.uuid for m in entitled_voters(db, on=on)}) is votes
    assert len(entitled_voters(db, on=on)) == (6 if votes else 5)


@pytest.mark.parametrize(("since", "refused"), [(date(2027, 1, 9), True), (date(2027, 1, 10), False)])
def test_member_under_watch_cannot_be_appointed(db, roster, since: date, refused: bool) -> None:  # type: ignore[no-untyped-def]
    """选举工作条例第五条 (no 被选举权 during 留党察看): an appointment during the period is refused naming the article;
    from the day after it ends it is accepted."""
    who = roster["full"][0]
    _event(db, who, "probation_watch", date(2026, 1, 10), ends_on=date(2027, 1, 9))
    if refused:
        with pytest.raises(ValidationError, match="选举工作条例》第五条"):
            branch.appoint_committee_member(db, member_uuid=who, role="publicity", since=since)
    else:
        assert (
            branch.appoint_committee_member(db, member_uuid=who, role="publicity", since=since).role
            == "publicity"
        )


@pytest.mark.parametrize(("on", "expected"), [(date(2026, 4, 30), True), (date(2026, 5, 1), False)])
def test_lost_member_is_not_expected_nor_graded(db, roster, on: date, expected: bool) -> None:  # type: ignore[no-untyped-def]
    """Issue 14 (a 失联 member cannot be reached): lost from 2026-05-01, the member is expected at meetings up to the
    day before and not from that day; an appraisal on that day does not grade them."""
    who = roster["full"][0]
    _event(db, who, "lost_contact", date(2026, 5, 1))
    assert (
        who in {m.uuid for m, _ in meetings.expected_members(db, kind="branch_assembly", on=on)}
    ) is expected
    m = meetings.plan_meeting(db, kind="appraisal", planned_on=on, topic="评议")
    r = appraisal.round_for_meeting(db, meeting_uuid=m.uuid, today=TODAY)
    if not expected:
        with pytest.raises(ValidationError, match="是失联党员，不评定等次"):
            appraisal.set_grades(db, round_uuid=r.uuid, grades={who: "qualified"}, today=TODAY)


@pytest.mark.parametrize(("today", "reminded"), [(date(2026, 10, 31), False), (date(2026, 11, 1), True)])
def test_lost_six_months_reminds_to_consider_suspension(db, roster, today: date, reminded: bool) -> None:  # type: ignore[no-untyped-def]
    """教管条例第二十四条: 对与党组织失去联系6个月以上、通过各种方式查找仍然没有取得联系的党员，予以停止党籍 — lost
    from 2026-05-01: reminded from 2026-11-01, naming the article; not once the standing is suspended."""
    who = roster["full"][0]
    _event(db, who, "lost_contact", date(2026, 5, 1))
    found = [r for r in transfers.transfer_reminders(db, today=today) if r.kind == "lost_contact_long"]
    assert bool(found) is reminded
    if reminded:
        assert "第二十四条" in found[0].text and "停止党籍" in found[0].text
        _event(db, who, "suspended", date(2026, 11, 1))
        assert not [r for r in transfers.transfer_reminders(db, today=today) if r.kind == "lost_contact_long"]


@pytest.mark.parametrize(("today", "reminded"), [(date(2028, 1, 9), False), (date(2028, 1, 10), True)])
def test_suspended_two_years_reminds_the_removal_procedure(db, roster, today: date, reminded: bool) -> None:  # type: ignore[no-untyped-def]
    """教管条例第二十四条: 停止党籍2年后确实无法取得联系的，按照自行脱党予以除名 — suspended on 2026-01-10 after losing
    contact: the 除名 procedure is reminded from 2028-01-10 (支部大会 decides, 上级 approves: 党章第九条)."""
    who = roster["full"][0]
    _event(db, who, "lost_contact", date(2025, 6, 1))
    _event(db, who, "suspended", date(2026, 1, 10))
    found = [r for r in transfers.transfer_reminders(db, today=today) if r.kind == "suspended_long"]
    assert bool(found) is reminded
    if reminded:
        assert "自行脱党予以除名" in found[0].text and "党章第九条" in found[0].text


@pytest.mark.parametrize(
    ("start", "end"), [("suspended", "reinstated"), ("lost_contact", "contact_restored")]
)
def test_restoring_is_not_dated_before_what_it_ends(db, roster, start: str, end: str) -> None:  # type: ignore[no-untyped-def]
    """教管条例第二十四条: 对停止党籍的党员，符合条件的，可以按照规定程序恢复党籍 — a 恢复党籍 (or 恢复联系) dated before
    the 停止党籍 (失去联系) it ends is refused, naming that day, and writes nothing: recorded, it made the member count
    as suspended on later days (``db.standing.suspended_on``) while the roster said normal. The same day is accepted."""
    who = roster["full"][0]
    _event(db, who, start, date(2026, 5, 1))
    with pytest.raises(ValidationError, match="不能早于.*2026-05-01") as exc:
        _event(db, who, end, date(2026, 4, 30))
    assert {p.field for p in exc.value.problems} == {"happened_on"}
    assert [e.kind for e in transfers.list_events(db, member_uuid=who)] == [start]
    _event(db, who, end, date(2026, 5, 1))
    assert who not in suspended_on(db, on=date(2026, 6, 1))
    m = get_member(db, uuid=who)
    assert (m.standing, m.lost_contact) == ("normal", False)


def test_older_events_keep_their_kind_after_the_migration(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Migration 0012 rebuilds the events table with the new kinds (SQLite cannot widen a CHECK in place): every
    event written before it is kept with its id and kind; the old 'expelled' (出党) is read as 出党（未细分） and no
    longer offered."""
    import sqlite_utils

    from db.migrations import migrations

    path = tmp_path / "old.sqlite"
    old = sqlite_utils.Database(path)
    migrations.apply(old, stop_before="0012_standing_events")
    old.execute(
        "INSERT INTO members (uuid, name, category, created_at, updated_at) VALUES ('m1', '张三', 'full', 'x', 'x')"
    )
    for i, kind in enumerate(("lost_contact", "expelled")):
        old.execute(
            "INSERT INTO member_events (uuid, member_id, kind, happened_on, reason, created_at, updated_at)"
            f" VALUES ('e{i}', 1, '{kind}', '2020-01-0{i + 1}', '旧记录', 'x', 'x')"
        )
    old.conn.commit()
    migrations.apply(old)
    rows = query(
        old, "SELECT id, uuid, kind, happened_on, ends_on, decision, reason FROM member_events ORDER BY id"
    )
    assert [(r["uuid"], r["kind"], r["reason"], r["ends_on"], r["decision"]) for r in rows] == [
        ("e0", "lost_contact", "旧记录", None, ""),
        ("e1", "expelled", "旧记录", None, ""),
    ]
    old.close()
    assert transfers.EVENT_KINDS["expelled"] == "出党（未细分）" and "expelled" not in transfers.EVENT_CHOICES
