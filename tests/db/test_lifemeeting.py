"""The 组织生活会 from preparation to 整改 (issue 20): opinions, talk pairs (missing ones), 对照检查材料, 批评与自我批评,
and the 整改清单 as findings of the 检查整改 page linked to the meeting, whose closing shows in the report."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from db import audit, lifemeeting, meetings, projects
from db.errors import ValidationError
from db.meetings import AttendanceEntry
from tests.db.meetings_helpers import make_roster

TODAY = date(2026, 12, 20)
HELD = date(2026, 12, 10)


def _life_meeting(db, roster, *, held: bool = True) -> str:  # type: ignore[no-untyped-def]
    m = meetings.plan_meeting(
        db,
        kind="life_meeting",
        planned_on=HELD,
        topic="2026年度组织生活会：对照检查",
        place="会议室",
        host_uuid=roster["committee"][0],
        recorder_uuid=roster["committee"][1],
    )
    if held:
        att = meetings.list_attendance(db, meeting_uuid=m.uuid)
        entries = [
            AttendanceEntry(a.member_uuid, "leave", "下井当班")
            if i == 3
            else AttendanceEntry(a.member_uuid, "present")
            for i, a in enumerate(att)
        ]
        meetings.hold_meeting(
            db, uuid=m.uuid, started_at=datetime(2026, 12, 10, 14, 0), attendance=entries, today=TODAY
        )
    return m.uuid


def test_the_full_cycle_from_opinions_to_a_closed_finding_in_the_report(db) -> None:  # type: ignore[no-untyped-def]
    roster = make_roster(db, full=6, probationary=1, committee=3)
    secretary, deputy, org = roster["committee"]
    uuid = _life_meeting(db, roster)

    # 征求意见: from a member, the masses, the upper 党委
    lifemeeting.add_opinion(
        db,
        meeting_uuid=uuid,
        source_kind="member",
        member_uuid=roster["full"][4],
        received_on="2026-11-20",
        text="学习要联系实际",
        today=TODAY,
    )
    lifemeeting.add_opinion(
        db,
        meeting_uuid=uuid,
        source_kind="masses",
        source_name="综采队职工",
        received_on=date(2026, 11, 21),
        text="党员带班多下现场",
        today=TODAY,
    )
    wrong = lifemeeting.add_opinion(
        db,
        meeting_uuid=uuid,
        source_kind="upper",
        source_name="矿党委",
        received_on=date(2026, 11, 22),
        text="录错的一条",
        today=TODAY,
    )
    lifemeeting.archive_opinion(db, uuid=wrong.uuid)
    lifemeeting.add_opinion(
        db,
        meeting_uuid=uuid,
        source_kind="upper",
        source_name="矿党委组织部",
        received_on=date(2026, 11, 22),
        text="整改要对单销号",
        today=TODAY,
    )
    opinions = lifemeeting.list_opinions(db, meeting_uuid=uuid)
    assert [o.from_text for o in opinions] == [
        f"党员 {opinions[0].member_name}",
        "群众 综采队职工",
        "上级党委 矿党委组织部",
    ]
    assert [e.action for e in audit.history(db, entity_uuid=wrong.uuid)] == ["create", "archive"]
    with pytest.raises(ValidationError, match="请选择提出意见的党员"):
        lifemeeting.add_opinion(
            db, meeting_uuid=uuid, source_kind="member", received_on=TODAY, text="x", today=TODAY
        )
    with pytest.raises(ValidationError, match="不能晚于今天"):
        lifemeeting.add_opinion(
            db, meeting_uuid=uuid, source_kind="masses", received_on=date(2026, 12, 21), text="x", today=TODAY
        )

    # 谈心谈话: the secretary with each committee member and each member; committee members among themselves
    pairs = lifemeeting.talk_pairs(db, meeting_uuid=uuid)
    kinds = [p.kind for p in pairs]
    assert kinds.count("secretary_committee") == 2 and kinds.count("committee_pair") == 1
    assert kinds.count("secretary_member") == 4  # 3 full + 1 probationary not on the committee
    assert all(p.missing for p in pairs)
    meetings.record_heart_talk(
        db, held_on=date(2026, 11, 1), participant_uuids=[secretary, deputy], topic="会前谈心", today=TODAY
    )
    meetings.record_heart_talk(  # a group talk counts for every pair in it
        db,
        held_on=date(2026, 11, 2),
        participant_uuids=[deputy, org, secretary],
        topic="会前谈心",
        today=TODAY,
    )
    meetings.record_heart_talk(  # after the meeting: does not count
        db,
        held_on=date(2026, 12, 15),
        participant_uuids=[secretary, roster["full"][3]],
        topic="x",
        today=TODAY,
    )
    meetings.record_heart_talk(  # the year before the 年度: does not count
        db,
        held_on=date(2025, 12, 15),
        participant_uuids=[secretary, roster["full"][4]],
        topic="x",
        today=TODAY,
    )
    pairs = lifemeeting.talk_pairs(db, meeting_uuid=uuid)
    done = {frozenset((p.a_uuid, p.b_uuid)): p.talk_on for p in pairs if not p.missing}
    assert done == {
        frozenset((secretary, deputy)): date(2026, 11, 2),  # the latest talk of the pair
        frozenset((secretary, org)): date(2026, 11, 2),
        frozenset((deputy, org)): date(2026, 11, 2),
    }
    missing = [p for p in pairs if p.missing]  # the members still to talk with the secretary
    assert {p.kind for p in missing} == {"secretary_member"} and len(missing) == 4

    # 对照检查材料: every member listed, submitted or not; corrected in place with an audit entry
    first = lifemeeting.set_material(
        db, meeting_uuid=uuid, member_uuid=secretary, submitted_on="2026-12-01", today=TODAY
    )
    again = lifemeeting.set_material(
        db, meeting_uuid=uuid, member_uuid=secretary, submitted_on="2026-12-02", note="修改稿", today=TODAY
    )
    assert again.uuid == first.uuid and again.submitted_on == date(2026, 12, 2)
    assert [e.field for e in audit.history(db, entity_uuid=first.uuid)] == ["member", "submitted_on", "note"]
    materials = lifemeeting.list_materials(db, meeting_uuid=uuid)
    assert len(materials) == 7 and sum(m.submitted_on is not None for m in materials) == 1
    with pytest.raises(ValidationError, match="不能晚于今天"):
        lifemeeting.set_material(
            db, meeting_uuid=uuid, member_uuid=deputy, submitted_on="2026-12-21", today=TODAY
        )

    # 批评与自我批评 per member, in a few words
    lifemeeting.set_criticism(
        db, meeting_uuid=uuid, member_uuid=secretary, self_criticism="抓思想工作不够", criticism="谈心不及时"
    )
    lifemeeting.set_criticism(
        db, meeting_uuid=uuid, member_uuid=deputy, self_criticism="学习不系统", criticism=""
    )
    with pytest.raises(ValidationError, match="请填写"):
        lifemeeting.set_criticism(db, meeting_uuid=uuid, member_uuid=org, self_criticism=" ", criticism="")
    recorded = {c.member_uuid: c.recorded for c in lifemeeting.list_criticism(db, meeting_uuid=uuid)}
    assert [recorded[secretary], recorded[deputy], recorded[org]] == [True, True, False]
    assert sum(recorded.values()) == 2

    # 整改清单 → findings on the 检查整改 page, with the meeting as their source
    a = lifemeeting.add_item(
        db,
        meeting_uuid=uuid,
        problem="学习联系实际不够",
        measure="每次学习结合一项实际问题",
        owner_uuid=secretary,
        deadline=date(2027, 1, 31),
        today=TODAY,
    )
    b = lifemeeting.add_item(
        db,
        meeting_uuid=uuid,
        problem="党小组会参会率低",
        measure="按班次错开召开",
        owner_uuid=deputy,
        deadline=date(2026, 12, 15),
        today=TODAY,
    )
    page = projects.list_findings(db)
    assert {f.uuid for f in page} == {a.uuid, b.uuid}
    assert all(
        f.source == "2026年度组织生活会" and f.meeting_uuid == uuid and f.found_on == HELD for f in page
    )
    with pytest.raises(ValidationError) as refused:
        lifemeeting.add_item(
            db, meeting_uuid=uuid, problem="x", measure="", owner_uuid=None, deadline=TODAY, today=TODAY
        )
    assert {p.field for p in refused.value.problems} == {"measure", "owner"}

    r = lifemeeting.report(db, meeting_uuid=uuid, today=TODAY)
    assert (r.expected, r.present, r.leave) == (7, 6, 1)
    assert r.opinions == {"member": 1, "masses": 1, "upper": 1}
    assert (r.talks_expected, r.talks_held) == (7, 3)
    assert (r.materials_expected, r.materials_submitted, r.criticism_recorded) == (7, 1, 2)
    assert r.items == {"open": 2, "rectified": 0, "closed": 0} and r.overdue == 1

    # closing the finding on the 检查整改 page shows in the report
    projects.close_finding(db, uuid=b.uuid, closed_on=TODAY, rectified_on=date(2026, 12, 14), today=TODAY)
    r = lifemeeting.report(db, meeting_uuid=uuid, today=TODAY)
    assert r.items == {"open": 1, "rectified": 0, "closed": 1} and r.overdue == 0


def test_only_a_life_meeting_held_takes_criticism_and_rectification(db) -> None:  # type: ignore[no-untyped-def]
    roster = make_roster(db, full=4, probationary=0, committee=2)
    planned = _life_meeting(db, roster, held=False)
    with pytest.raises(ValidationError, match="召开后才能列入整改清单"):
        lifemeeting.add_item(
            db,
            meeting_uuid=planned,
            problem="p",
            measure="m",
            owner_uuid=roster["full"][0],
            deadline=TODAY,
            today=TODAY,
        )
    with pytest.raises(ValidationError, match="召开后才能登记批评与自我批评"):
        lifemeeting.set_criticism(
            db, meeting_uuid=planned, member_uuid=roster["full"][0], self_criticism="x", criticism=""
        )
    other = meetings.plan_meeting(db, kind="branch_assembly", planned_on=HELD, topic="党员大会")
    with pytest.raises(ValidationError, match="不是组织生活会"):
        lifemeeting.talk_pairs(db, meeting_uuid=other.uuid)
    assert projects.list_findings(db) == []


def test_a_material_can_carry_its_file(db) -> None:  # type: ignore[no-untyped-def]
    from db import attachments

    roster = make_roster(db, full=3, probationary=0, committee=2)
    uuid = _life_meeting(db, roster)
    m = lifemeeting.set_material(
        db, meeting_uuid=uuid, member_uuid=roster["full"][2], submitted_on=HELD, today=TODAY
    )
    assert m.uuid is not None
    attachments.add_attachment(
        db,
        owner_kind=lifemeeting.MATERIAL_KIND,
        owner_id=m.uuid,
        name="对照检查材料.txt",
        data="对照检查".encode(),
    )
    files = attachments.list_attachments(db, owner_kind=lifemeeting.MATERIAL_KIND, owner_id=m.uuid)
    assert [f.name for f in files] == ["对照检查材料.txt"]
