"""Training hours (学时, issue 19): credit from attendance at study meetings, the ledger, targets, the
fourth-quarter reminder and the import of a list (real SQLite, real .xlsx)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from db import audit, branch, meetings, members, reminders, training
from db.errors import ValidationError
from db.meetings import AttendanceEntry
from tests.db.meetings_helpers import make_roster

TODAY = date(2026, 11, 20)


@pytest.fixture
def roster(db):  # type: ignore[no-untyped-def]
    branch.save_branch(db, name="综采一队党支部")
    return make_roster(db, full=6, probationary=0, groups=1, committee=3)


def _held(db, kind: str, on: date, present: list[str], **kw):  # type: ignore[no-untyped-def]
    """A held meeting of ``kind`` with ``present`` members 出席 and the others 请假."""
    extra = {"party_group_uuid": branch.list_party_groups(db)[0].uuid} if kind == "group_meeting" else {}
    m = meetings.plan_meeting(db, kind=kind, planned_on=on, topic="学习", **extra, **kw)
    entries = [
        AttendanceEntry(a.member_uuid, "present")
        if a.member_uuid in present
        else AttendanceEntry(a.member_uuid, "leave", "下井当班")
        for a in meetings.list_attendance(db, meeting_uuid=m.uuid)
    ]
    return meetings.hold_meeting(
        db, uuid=m.uuid, started_at=datetime.combine(on, datetime.min.time()), attendance=entries, today=TODAY
    )


def test_hours_are_credited_from_attendance_at_study_meetings(db, roster) -> None:  # type: ignore[no-untyped-def]
    a, b, c = roster["full"][3:6]
    _held(db, "party_lecture", date(2026, 3, 10), [a, b])  # 党课: 4 by default
    _held(db, "theme_day", date(2026, 4, 15), [a])  # 主题党日: 2 by default
    _held(db, "group_meeting", date(2026, 5, 6), [a, b])  # not study unless it records hours
    _held(db, "group_meeting", date(2026, 6, 3), [b], study_hours=1.5)  # 集中学习 at a 党小组会
    _held(db, "party_lecture", date(2025, 12, 20), [c])  # another year
    hours = training.hours_by_member(db, year=2026)
    assert hours[a] == 6.0 and hours[b] == 5.5 and c not in hours
    assert training.hours_by_member(db, year=2025) == {c: 4.0}
    ledger = training.member_ledger(db, member_uuid=b, year=2026)
    assert [(e.on, e.hours, e.kind_label) for e in ledger] == [
        (date(2026, 3, 10), 4.0, "参加会议"),
        (date(2026, 6, 3), 1.5, "参加会议"),
    ]


def test_credit_follows_a_corrected_attendance_and_the_setting(db, roster) -> None:  # type: ignore[no-untyped-def]
    """Derived, never stored: correcting 请假 to 出席 or changing the conversion changes the hours at once."""
    a, b = roster["full"][3:5]
    m = _held(db, "party_lecture", date(2026, 3, 10), [a])
    assert b not in training.hours_by_member(db, year=2026)
    meetings.set_attendance(
        db, meeting_uuid=m.uuid, entries=[AttendanceEntry(a, "present"), AttendanceEntry(b, "present")]
    )
    assert training.hours_by_member(db, year=2026)[b] == 4.0
    branch.set_setting(db, key=training.MEETING_HOURS_KEYS["party_lecture"], value=3)
    assert training.hours_by_member(db, year=2026)[b] == 3.0


def test_external_training_is_added_audited_and_archived_not_deleted(db, roster) -> None:  # type: ignore[no-untyped-def]
    a = roster["full"][4]
    record = training.add_training(
        db, member_uuid=a, on=date(2026, 5, 20), hours=8, title="党校轮训", source="集团公司党校", today=TODAY
    )
    assert training.hours_by_member(db, year=2026)[a] == 8.0
    assert [e.action for e in audit.history(db, entity_uuid=record.uuid)] == ["create"]
    training.archive_training(db, uuid=record.uuid, reason="重复登记")
    assert a not in training.hours_by_member(db, year=2026)
    kept = training.list_records(db, member_uuid=a, archived=True)
    assert [(r.uuid, r.archived, r.archived_reason) for r in kept] == [(record.uuid, True, "重复登记")]
    with pytest.raises(ValidationError) as exc:
        training.add_training(db, member_uuid=a, on=date(2026, 12, 1), hours=0, title="", today=TODAY)
    assert {p.field for p in exc.value.problems} == {"on", "hours", "title"}


def test_make_up_study_names_the_meeting(db, roster) -> None:  # type: ignore[no-untyped-def]
    a, b = roster["full"][3:5]
    m = _held(db, "party_lecture", date(2026, 3, 10), [a])
    with pytest.raises(ValidationError, match="补学请选择所补的会议"):
        training.add_training(
            db, member_uuid=b, on=date(2026, 3, 20), hours=4, title="补学党课", kind="meeting"
        )
    training.add_training(
        db,
        member_uuid=b,
        on=date(2026, 3, 20),
        hours=4,
        title="补学党课",
        kind="meeting",
        meeting_uuid=m.uuid,
    )
    entry = training.member_ledger(db, member_uuid=b, year=2026)[0]
    assert (entry.kind_label, entry.meeting_uuid, entry.hours) == ("补学", m.uuid, 4.0)


def test_targets_committee_members_need_56_members_32(db, roster) -> None:  # type: ignore[no-untyped-def]
    secretary, plain = roster["committee"][0], roster["full"][5]
    assert training.target_of(db, member_uuid=secretary, year=2026) == 56
    assert training.target_of(db, member_uuid=plain, year=2026) == 32
    # a member who served on the committee for part of the year has the committee's target for that year
    branch.appoint_committee_member(db, member_uuid=plain, role="youth", since=date(2026, 9, 1))
    assert training.target_of(db, member_uuid=plain, year=2026) == 56
    assert training.target_of(db, member_uuid=plain, year=2025) == 32
    branch.set_setting(db, key=training.MEMBER_TARGET_KEY, value=40)
    assert training.target_of(db, member_uuid=roster["full"][4], year=2026) == 40


def test_short_of_target_lists_who_is_below(db, roster) -> None:  # type: ignore[no-untyped-def]
    secretary, a = roster["committee"][0], roster["full"][3]
    training.add_training(db, member_uuid=a, on=date(2026, 5, 1), hours=32, title="党校轮训", today=TODAY)
    training.add_training(
        db, member_uuid=secretary, on=date(2026, 5, 1), hours=40, title="党校轮训", today=TODAY
    )
    short = {s.member_uuid: s for s in training.short_of_target(db, year=2026)}
    assert a not in short  # 32 of 32
    assert (short[secretary].hours, short[secretary].target, short[secretary].committee) == (40.0, 56.0, True)
    assert short[secretary].missing == 16.0
    assert len(short) == 5


@pytest.mark.parametrize(("today", "reminded"), [(date(2026, 9, 30), False), (date(2026, 10, 1), True)])
def test_the_shortfall_reminder_starts_on_1_october(db, roster, today: date, reminded: bool) -> None:  # type: ignore[no-untyped-def]
    found = [r for r in reminders.gather(db, today=today) if r.kind == "training_short"]
    assert bool(found) is reminded
    if reminded:
        (r,) = found
        assert r.since == date(2026, 10, 1) and r.page == "members" and r.filters == {"training_short": 2026}
        assert "2026年学时未达标" in r.what and "等 6 人" in r.what and "书记和支部委员 56 学时" in r.what


def _training_list(path: Path, rows: list[list[object]], id_header: str = "身份证号") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["集团公司党校 2026 年党员轮训学时登记表"])
    ws.append(["序号", "姓名", id_header, "学习日期", "学时数", "培训内容", "主办单位"])
    for i, row in enumerate(rows, start=1):
        ws.append([i, *row])
    wb.save(path)
    return path


def test_import_a_list_preview_then_apply_once(db, roster, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a, b = (members.get_member(db, uuid=u) for u in roster["full"][3:5])
    path = _training_list(
        tmp_path / "学时.xlsx",
        [
            [a.name, None, date(2026, 6, 1), 8, "党员轮训", "集团公司党校"],
            [None, b.citizen_id, "2026-06-02", "4学时", "专题讲座", ""],
            ["查无此人", None, date(2026, 6, 1), 8, "党员轮训", ""],
            [a.name, None, date(2026, 6, 3), "八", "党员轮训", ""],
        ],
    )
    preview = training.preview_training_import(db, path=path, today=TODAY)
    assert [(r.row, r.status) for r in preview.rows] == [
        (3, "new"),
        (4, "new"),
        (5, "invalid"),
        (6, "invalid"),
    ]
    assert "在册党员中没有「查无此人」" in preview.rows[2].problems[0]
    assert "E 列「学时」：「八」不是学时数" in preview.rows[3].problems[0]
    assert training.hours_by_member(db, year=2026) == {}  # a preview writes nothing
    assert training.apply_training_import(db, preview=preview) == 2
    assert training.hours_by_member(db, year=2026) == {a.uuid: 8.0, b.uuid: 4.0}
    assert list((tmp_path / "backups").glob("*training-import*"))
    # the same list again adds nothing
    again = training.preview_training_import(db, path=path, today=TODAY)
    assert [r.status for r in again.rows] == ["duplicate", "duplicate", "invalid", "invalid"]
    assert training.apply_training_import(db, preview=again) == 0


@pytest.mark.parametrize("header", ["公民身份号码", "身份证号码", "身份证件号码", "公民身份证号码"])
def test_the_id_column_is_found_under_every_name_the_roster_knows(  # type: ignore[no-untyped-def]
    db, roster, tmp_path: Path, header: str
) -> None:
    """A list that finds the member by 公民身份号码 alone is read under any header the roster import accepts."""
    b = members.get_member(db, uuid=roster["full"][4])
    path = _training_list(
        tmp_path / "学时.xlsx", [[None, b.citizen_id, "2026-06-02", 4, "专题讲座", ""]], header
    )
    preview = training.preview_training_import(db, path=path, today=TODAY)
    assert [(r.row, r.status) for r in preview.rows] == [(3, "new")]
    assert training.apply_training_import(db, preview=preview) == 1
    assert training.hours_by_member(db, year=2026) == {b.uuid: 4.0}


def test_a_file_without_a_training_list_is_refused(db, roster, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from db.workbook.guards import WorkbookRefused

    wb = Workbook()
    wb.active.append(["姓名", "工作岗位"])
    wb.save(tmp_path / "x.xlsx")
    with pytest.raises(WorkbookRefused, match="没有找到学时登记表"):
        training.preview_training_import(db, path=tmp_path / "x.xlsx")


def test_no_shortfall_is_judged_in_the_year_the_records_start(db, roster) -> None:  # type: ignore[no-untyped-def]
    """A branch that began keeping its records here in March has no attendance before it: no 学时 alarm that year,
    the next year as usual."""
    branch.set_records_start(db, on=date(2026, 3, 1))
    assert not [r for r in reminders.gather(db, today=date(2026, 10, 1)) if r.kind == "training_short"]
    assert [r for r in reminders.gather(db, today=date(2027, 10, 1)) if r.kind == "training_short"]


def test_a_list_as_hq_sends_it_padded_names_units_and_a_totals_row(db, roster, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A name padded with a full-width space (王　一) is the roster's 王一; 3小时 and 2 个学时 are hours; the 合计 and
    制表人 rows under the list are ignored and listed, not errors; a bad row names its column and value."""
    a, b = (members.get_member(db, uuid=u) for u in roster["full"][3:5])
    padded = f"{a.name[0]}\u3000{a.name[1:]}"
    path = _training_list(
        tmp_path / "学时.xlsx",
        [
            [padded, None, date(2026, 6, 1), "3小时", "网络培训", ""],
            [b.name, None, "2026年6月2日", "2 个学时", "专题讲座", ""],
            [b.name, None, date(2026, 6, 3), -2, "专题讲座", ""],
            [b.name, None, date(2026, 12, 1), 2, "专题讲座", ""],
        ],
    )
    book = load_workbook(path)
    for row in ([], ["合计", None, None, None, 7], [None, None, "制表人：张三"]):
        book.active.append(row)
    book.save(path)
    preview = training.preview_training_import(db, path=path, today=TODAY)
    assert [(r.row, r.status) for r in preview.rows] == [
        (3, "new"),
        (4, "new"),
        (5, "invalid"),
        (6, "invalid"),
        (8, "ignored"),
        (9, "ignored"),
    ]
    assert preview.rows[0].member_uuid == a.uuid and preview.rows[0].hours == 3.0
    assert preview.rows[1].hours == 2.0
    assert preview.rows[2].problems == ("E 列「学时」：「-2」：学时应大于 0、不超过 500",)
    assert preview.rows[3].problems == ("D 列「培训日期」：2026-12-01 晚于今天，尚未发生的培训不能登记学时",)
    assert "「合计」行" in preview.rows[4].problems[0]
    assert training.apply_training_import(db, preview=preview) == 2
    assert training.hours_by_member(db, year=2026) == {a.uuid: 3.0, b.uuid: 2.0}


def test_exactly_the_target_is_met_when_decimal_hours_add_up_to_it(db, roster) -> None:  # type: ignore[no-untyped-def]
    """Ten study meetings of 3.2 学时 are 32 (added in binary floats 31.999999999999996, which was short and shown
    as 32); 31.9 is short."""
    a, b = roster["full"][3:5]
    for month in range(1, 11):
        _held(db, "group_meeting", date(2026, month, 5), [a], study_hours=3.2)
    training.add_training(db, member_uuid=b, on=date(2026, 3, 1), hours=31.9, title="党校轮训", today=TODAY)
    assert training.hours_by_member(db, year=2026)[a] == 32.0
    short = {s.member_uuid: s for s in training.short_of_target(db, year=2026)}
    assert a not in short and short[b].hours == 31.9
    (reminder,) = [r for r in reminders.gather(db, today=date(2026, 10, 1)) if r.kind == "training_short"]
    assert members.get_member(db, uuid=a).name not in reminder.what


def test_make_up_study_is_for_a_missed_meeting_once(db, roster) -> None:  # type: ignore[no-untyped-def]
    """补学 of a meeting the member attended, a second 补学 of the same meeting, one dated before the meeting or of
    a meeting not yet held would count hours twice or for nothing: each is refused with the reason."""
    a, b = roster["full"][3:5]
    held = _held(db, "party_lecture", date(2026, 3, 10), [a])  # b on leave
    planned = meetings.plan_meeting(db, kind="party_lecture", planned_on=date(2026, 12, 10), topic="党课")

    def make_up(member: str, meeting: str, on: date) -> None:
        training.add_training(
            db,
            member_uuid=member,
            on=on,
            hours=4,
            title="补学党课",
            kind="meeting",
            meeting_uuid=meeting,
            today=TODAY,
        )

    with pytest.raises(ValidationError, match="出席了这次会议，学时已按出席计入"):
        make_up(a, held.uuid, date(2026, 3, 20))
    with pytest.raises(ValidationError, match=r"补学日期不能早于所补会议的召开日期（2026-03-10）"):
        make_up(b, held.uuid, date(2026, 3, 9))
    with pytest.raises(ValidationError, match="所补的会议尚未召开"):
        make_up(b, planned.uuid, date(2026, 3, 20))
    make_up(b, held.uuid, date(2026, 3, 20))
    with pytest.raises(ValidationError, match="已于 2026-03-20 补学过这次会议"):
        make_up(b, held.uuid, date(2026, 3, 25))
    assert training.hours_by_member(db, year=2026) == {a: 4.0, b: 4.0}


def test_a_member_who_left_keeps_the_hours_before_and_gets_none_after(db, roster, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A member transferred out on 30 June: the list's June training is theirs here, their July training (found by
    公民身份号码, the name being off the roster) belongs to their new branch and is refused with the reason."""
    from db.transfers.standing import leave_roster

    b = members.get_member(db, uuid=roster["full"][4])
    leave_roster(db, uuid=b.uuid, status="transferred_out", on=date(2026, 6, 30), reason="调往二矿")
    path = _training_list(
        tmp_path / "学时.xlsx",
        [
            [b.name, b.citizen_id, date(2026, 6, 30), 4, "专题讲座", ""],
            [b.name, b.citizen_id, date(2026, 7, 1), 4, "专题讲座", ""],
        ],
    )
    preview = training.preview_training_import(db, path=path, today=TODAY)
    assert [r.status for r in preview.rows] == ["new", "invalid"]
    assert preview.rows[1].problems == (
        "D 列「培训日期」：该党员已于 2026-06-30 转出，之后的培训不计入本支部学时",
    )
    assert training.apply_training_import(db, preview=preview) == 1
    with pytest.raises(ValidationError, match="该党员已于 2026-06-30 转出"):
        training.add_training(
            db, member_uuid=b.uuid, on=date(2026, 8, 1), hours=2, title="网络培训", today=TODAY
        )
    assert training.hours_by_member(db, year=2026) == {b.uuid: 4.0}
    assert b.uuid not in {s.member_uuid for s in training.short_of_target(db, year=2026)}  # off the roster
