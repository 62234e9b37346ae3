"""db.reminders: every part's reminders gathered, at their boundary dates (day before / on / after)."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from db import branch, dues, members, parts, projects, reminders, transfers


@pytest.fixture
def fixed(db):  # type: ignore[no-untyped-def]
    """A small branch: term ends 2027-03-31; 张一 paid dues Jan–Mar 2026 only; 李二 transferred out on
    2026-03-10 (回执 due 2026-04-10); a project due 2026-05-20 still ongoing; a finding due 2026-06-30 open."""
    branch.save_branch(
        db, name="测试煤矿综采一区党支部", term_start=date(2024, 3, 31), term_end=date(2027, 3, 31)
    )
    people = {}
    for name in ("张一", "李二", "王三", "赵四"):
        people[name] = members.add_member(
            db, values={"name": name, "category": "full", "joined_on": "2010-01-01"}
        ).uuid
    dues.set_basis(
        db,
        member_uuid=people["张一"],
        from_month=date(2026, 1, 1),
        category="employed",
        base_fen=500_000,
        today=date(2026, 1, 5),
    )
    dues.record_payments(
        db,
        member_uuid=people["张一"],
        months=[date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)],
        paid_on=date(2026, 3, 20),
        today=date(2026, 3, 20),
    )
    transfers.transfer_out(
        db,
        member_uuid=people["李二"],
        addressee="某矿党委组织部",
        to_unit="某矿综采队党支部",
        issued_on=date(2026, 3, 10),
        dues_paid_to="2026-02",
        today=date(2026, 3, 10),
    )
    projects.add_project(
        db,
        values={
            "kind": "innovation",
            "category": "technical",
            "title": "截割头降尘改造",
            "leader": people["王三"],
            "start_on": date(2026, 1, 10),
            "due_on": date(2026, 5, 20),
        },
    )
    projects.add_finding(
        db,
        values={
            "found_on": date(2026, 4, 1),
            "source": "党建专项检查",
            "problem": "会议记录缺请假人",
            "measure": "补记",
            "owner": people["赵四"],
            "deadline": date(2026, 6, 30),
        },
    )
    return people


def _of(db, today: date, kind: str) -> list[reminders.Reminder]:  # type: ignore[no-untyped-def]
    return [r for r in reminders.gather(db, today=today) if r.kind == kind]


def test_term_ending_three_months_before(db, fixed) -> None:  # type: ignore[no-untyped-def]
    assert _of(db, date(2026, 12, 30), "term_ending") == []
    on = _of(db, date(2026, 12, 31), "term_ending")
    assert len(on) == 1 and on[0].severity == "normal" and "2027-03-31" in on[0].what
    assert on[0].since == date(2026, 12, 31) and on[0].page == "elections"  # issue 20: the election page
    assert len(_of(db, date(2027, 1, 1), "term_ending")) == 1
    # on the last day of the term still "ending"; from the day after, "ended" and urgent
    assert len(_of(db, date(2027, 3, 31), "term_ending")) == 1
    after = _of(db, date(2027, 4, 1), "term_ended")
    assert (
        len(after) == 1 and after[0].severity == "urgent" and _of(db, date(2027, 4, 1), "term_ending") == []
    )


def test_dues_arrears_at_three_and_six_months(db, fixed) -> None:  # type: ignore[no-untyped-def]
    # unpaid from April: on 2026-06-30 the last completed month is May (2 months) — no reminder yet
    assert _of(db, date(2026, 6, 30), "dues_arrears") == []
    on = _of(db, date(2026, 7, 1), "dues_arrears")
    assert len(on) == 1 and on[0].who == "张一" and on[0].since == date(2026, 4, 1)
    assert on[0].severity == "normal" and on[0].page == "dues" and on[0].filters["member"] == fixed["张一"]
    assert len(_of(db, date(2026, 7, 2), "dues_arrears")) == 1
    assert _of(db, date(2026, 9, 30), "dues_urgent") == []
    urgent = _of(db, date(2026, 10, 1), "dues_urgent")
    assert len(urgent) == 1 and urgent[0].severity == "urgent"
    assert len(_of(db, date(2026, 10, 2), "dues_urgent")) == 1


def test_transfer_receipt_overdue(db, fixed) -> None:  # type: ignore[no-untyped-def]
    # issue 14: issued 2026-03-10, valid 30 days (until 04-09): the receipt is due 05-09, overdue from 05-10
    assert _of(db, date(2026, 5, 8), "receipt_overdue") == []
    assert _of(db, date(2026, 5, 9), "receipt_overdue") == []
    after = _of(db, date(2026, 5, 10), "receipt_overdue")
    assert len(after) == 1 and after[0].severity == "urgent" and "李二" in after[0].what
    assert after[0].page == "transfers" and after[0].filters["receipt"] == "overdue"


def test_project_and_finding_past_due(db, fixed) -> None:  # type: ignore[no-untyped-def]
    assert _of(db, date(2026, 5, 19), "project_overdue") == []
    assert _of(db, date(2026, 5, 20), "project_overdue") == []
    after = _of(db, date(2026, 5, 21), "project_overdue")
    assert len(after) == 1 and after[0].since == date(2026, 5, 21) and after[0].page == "projects"
    assert _of(db, date(2026, 6, 30), "finding_overdue") == []
    found = _of(db, date(2026, 7, 1), "finding_overdue")
    assert len(found) == 1 and found[0].severity == "urgent" and found[0].filters["tab"] == "findings"
    assert len(_of(db, date(2026, 7, 2), "finding_overdue")) == 1


def test_branch_size_warning_and_order(db, fixed) -> None:  # type: ignore[no-untyped-def]
    everything = reminders.gather(db, today=date(2026, 7, 2))
    sizes = [r for r in everything if r.kind == "branch_size"]
    assert sizes and any("不足 7 人" in r.what for r in sizes)
    severities = [r.severity for r in everything]
    assert severities == sorted(severities, key=lambda s: s != "urgent")  # urgent first
    urgent = [r for r in everything if r.severity == "urgent"]
    assert [r.since for r in urgent] == sorted(r.since for r in urgent)
    assert reminders.counts(everything)["urgent"] == len(urgent)
    assert everything[0].as_dict()["since"] == everything[0].since.isoformat()


def test_empty_database_has_no_reminders_and_no_branch_warnings(db) -> None:  # type: ignore[no-untyped-def]
    assert [
        r for r in reminders.gather(db, today=date(2026, 7, 1)) if r.kind in ("branch_size", "term_ending")
    ] == []


def test_a_failing_part_propagates(db, fixed, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def broken_reminders(db, *, today):  # type: ignore[no-untyped-def]
        raise RuntimeError("part failed")

    broken = dataclasses.replace(parts.DUES, reminders=broken_reminders)
    monkeypatch.setattr(parts, "PARTS", (*parts.PARTS, broken))
    with pytest.raises(RuntimeError, match="part failed"):
        reminders.gather(db, today=date(2026, 7, 1))


def test_every_part_with_reminders_is_gathered(db, fixed, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    called: list[str] = []

    def spying(part: parts.Part) -> parts.Part:
        original = part.reminders
        assert original is not None

        def spy(db, *, today):  # type: ignore[no-untyped-def]
            called.append(part.key)
            return original(db, today=today)

        return dataclasses.replace(part, reminders=spy)

    monkeypatch.setattr(parts, "PARTS", tuple(spying(p) if p.reminders else p for p in parts.PARTS))
    reminders.gather(db, today=date(2026, 7, 1))
    assert called == [
        "members",
        "meetings",
        "development",
        "dues",
        "projects",
        "transfers",
        "training",
        "appraisal",
        "elections",
    ]


def test_check_command_prints_the_same_list(db, db_path, fixed, capsys) -> None:  # type: ignore[no-untyped-def]
    import json

    from db import transfers
    from desktop import cli

    transfers.settle_transfers_out(
        db
    )  # as check does first: lapsed letters out leave the roster (and its lists)
    expected = [r.line() for r in reminders.gather(db, today=date.today()) if r.kind != "branch_size"]
    assert expected  # the fixed branch has overdue items whatever today is (all its dates are in the past)
    assert cli.main(["check", "--db", str(db_path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["reminders"] == expected and report["ok"] is True
    assert cli.main(["check", "--db", str(db_path)]) == 0
    lines = [
        line.removeprefix("提醒：")
        for line in capsys.readouterr().out.splitlines()
        if line.startswith("提醒：")
    ]
    assert lines == expected


def test_branch_assembly_overdue_from_the_day_after_the_quarter(db, fixed) -> None:  # type: ignore[no-untyped-def]
    from datetime import datetime

    from db import meetings

    m = meetings.plan_meeting(
        db, kind="branch_assembly", planned_on=date(2026, 5, 10), topic="第二季度党员大会"
    )
    meetings.hold_meeting(
        db, uuid=m.uuid, started_at=datetime(2026, 5, 10, 9, 0), content="传达学习", today=date(2026, 5, 10)
    )

    def assembly_overdue(today: date) -> list[reminders.Reminder]:
        return [r for r in _of(db, today, "meeting_overdue") if r.filters.get("kind") == "branch_assembly"]

    assert assembly_overdue(date(2026, 9, 29)) == []
    assert assembly_overdue(date(2026, 9, 30)) == []  # the third quarter is still running
    after = assembly_overdue(date(2026, 10, 1))
    assert len(after) == 1 and after[0].severity == "urgent" and after[0].since == date(2026, 10, 1)
    assert "第3季度" in after[0].what and after[0].page == "meetings"
    assert len(assembly_overdue(date(2026, 10, 2))) == 1


def test_development_step_becomes_urgent_after_its_due_day(db, fixed) -> None:  # type: ignore[no-untyped-def]
    from db import development

    person = development.add_person(
        db,
        values={"name": "周申请", "birth_date": date(1995, 1, 1), "gender": "male"},
        applied_on=date(2026, 3, 1),
        today=date(2026, 3, 1),
    )

    def talk(today: date) -> list[reminders.Reminder]:
        return _of(db, today, "talk_due")

    # the talk is due within one month of the application: 2026-04-01
    assert [r.severity for r in talk(date(2026, 3, 31))] == ["normal"]
    on = talk(date(2026, 4, 1))
    assert [r.severity for r in on] == ["normal"] and on[0].who == "周申请"
    assert on[0].page == "development" and on[0].filters == {"person": person.uuid}
    assert [r.severity for r in talk(date(2026, 4, 2))] == ["urgent"]


def test_mobile_member_six_months_away(db, fixed) -> None:  # type: ignore[no-untyped-def]
    transfers.start_mobile(
        db,
        member_uuid=fixed["王三"],
        province="内蒙古自治区",
        city="鄂尔多斯市",
        reason="外出务工",
        started_on=date(2026, 1, 15),
        today=date(2026, 1, 15),
    )
    assert _of(db, date(2026, 7, 14), "mobile_long_absence") == []
    on = _of(db, date(2026, 7, 15), "mobile_long_absence")
    assert len(on) == 1 and on[0].who == "王三" and on[0].severity == "urgent"
    assert on[0].filters["view"] == "mobile"
    assert len(_of(db, date(2026, 7, 16), "mobile_long_absence")) == 1
