"""db.monthly_close: the checks of the month, the refusal without an override, the record of (re)submissions."""

from __future__ import annotations

from datetime import date

import pytest

from db import audit, demo, monthly_close
from db.errors import ValidationError

TODAY = date(2026, 11, 15)


@pytest.fixture
def demo_db(db):  # type: ignore[no-untyped-def]
    demo.generate(db, members=40, seed=1, today=TODAY)
    return db


def _checks(db, month: str) -> dict[str, monthly_close.CheckResult]:  # type: ignore[no-untyped-def]
    return {c.key: c for c in monthly_close.run_checks(db, month=month, today=TODAY)}


def test_checks_explain_in_chinese(demo_db) -> None:  # type: ignore[no-untyped-def]
    november = _checks(demo_db, "2026-11")
    assert set(november) >= {"meetings", "dues", "projects", "integrity"}
    # the demo plans the theme day of 15 November and has not recorded it yet
    assert not november["meetings"].ok and november["meetings"].blocking
    assert (
        "主题党日" in november["meetings"].explanation
        and "尚未登记召开情况" in november["meetings"].explanation
    )
    assert november["integrity"].ok and november["integrity"].explanation == "数据库完整性检查通过"
    october = _checks(demo_db, "2026-10")
    assert october["meetings"].ok, october["meetings"].explanation
    assert all(c.explanation for c in october.values())


def test_bad_month_is_refused(demo_db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="YYYY-MM"):
        monthly_close.run_checks(demo_db, month="2026-13")


def test_incomplete_meetings_need_an_override_with_reason(demo_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    book = tmp_path / "2026-11.xlsx"
    book.write_bytes(b"workbook bytes")
    for reason in (None, "", "   "):
        with pytest.raises(ValidationError) as err:
            monthly_close.mark_submitted(demo_db, month="2026-11", path=book, override_reason=reason)
        assert err.value.problems[0].field == "meetings" and "强制报送的原因" in err.value.message
    assert monthly_close.list_submissions(demo_db) == []
    assert not monthly_close.is_submitted(demo_db, month="2026-11")

    sub = monthly_close.mark_submitted(
        demo_db, month="2026-11", path=book, override_reason="主题党日改期至下旬"
    )
    assert sub.override_reason == "主题党日改期至下旬" and not sub.resubmission
    assert sub.sha256 == monthly_close.file_sha256(book) and sub.file_name == "2026-11.xlsx"
    assert monthly_close.is_submitted(demo_db, month="2026-11")
    assert any(
        e.field == "submit" and "强制报送" in (e.new or "")
        for e in audit.history(demo_db, entity_uuid=sub.uuid)
    )


def test_complete_month_and_resubmission_are_recorded(demo_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    first = tmp_path / "a.xlsx"
    first.write_bytes(b"first export")
    # October's dues are open in the demo: since issue 16 every failing check needs the reason
    sub1 = monthly_close.mark_submitted(
        demo_db, month="2026-10", path=first, override_reason="下月补交", today=TODAY
    )
    assert sub1.override_reason == "下月补交" and not sub1.resubmission
    second = tmp_path / "b.xlsx"
    second.write_bytes(b"second export, corrected")
    sub2 = monthly_close.mark_submitted(
        demo_db, month="2026-10", path=second, override_reason="更正", today=TODAY
    )
    assert sub2.resubmission and sub2.sha256 != sub1.sha256
    assert [s.file_name for s in monthly_close.list_submissions(demo_db, month="2026-10")] == [
        "a.xlsx",
        "b.xlsx",
    ]
    assert audit.history(demo_db, entity_uuid=sub2.uuid)[0].field == "resubmit"


def test_missing_file_is_refused(demo_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="找不到要报送的工作簿"):
        monthly_close.mark_submitted(demo_db, month="2026-10", path=tmp_path / "nope.xlsx")


def test_the_close_is_due_for_the_earliest_month_not_submitted(demo_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    book = tmp_path / "book.xlsx"
    book.write_bytes(b"workbook")
    # nothing submitted yet: the month just ended (or the month records began, when known)
    assert monthly_close.due_month(demo_db, today=TODAY) == "2026-10"
    assert monthly_close.due_month(demo_db, today=TODAY, since=date(2026, 8, 20)) == "2026-08"
    monthly_close.mark_submitted(demo_db, month="2026-08", path=book, override_reason="补报", today=TODAY)
    # September was skipped: it is due before October
    monthly_close.mark_submitted(demo_db, month="2026-10", path=book, override_reason="补报", today=TODAY)
    assert monthly_close.due_month(demo_db, today=TODAY) == "2026-09"
    monthly_close.mark_submitted(demo_db, month="2026-09", path=book, override_reason="补报", today=TODAY)
    # every month up to the one just ended is submitted: the current month is next
    assert monthly_close.due_month(demo_db, today=TODAY) == "2026-11"


def test_any_failing_check_needs_a_reason_which_is_recorded(demo_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    book = tmp_path / "2026-10.xlsx"
    book.write_bytes(b"workbook")
    october = _checks(demo_db, "2026-10")
    assert october["meetings"].ok and not october["dues"].ok  # the demo leaves October's dues open
    with pytest.raises(ValidationError) as err:
        monthly_close.mark_submitted(demo_db, month="2026-10", path=book, today=TODAY)
    assert err.value.problems[0].field == "checks" and "当月党费台账已结清" in err.value.message
    sub = monthly_close.mark_submitted(
        demo_db, month="2026-10", path=book, override_reason="个别党员出差，下月补交", today=TODAY
    )
    assert sub.override_reason == "个别党员出差，下月补交"
    [entry] = audit.history(demo_db, entity_uuid=sub.uuid)
    assert "未通过：" in (entry.new or "") and "党费" in (entry.new or "")


def test_the_dues_check_names_who_lacks_a_base_and_filters_to_them(db) -> None:  # type: ignore[no-untyped-def]
    from db import members

    zhang = members.add_member(
        db,
        values={
            "name": "张三",
            "category": "full",
            "joined_on": date(2010, 7, 1),
            "full_on": date(2011, 7, 1),
        },
    )
    dues = _checks(db, "2026-10")["dues"]
    assert not dues.ok and "张三" in dues.explanation and "未核定党费缴纳基数" in dues.explanation
    assert dues.filters["tab"] == "bases" and dues.filters["members"] == [zhang.uuid]


def test_the_dues_check_fails_on_an_arrears_alarm(db) -> None:  # type: ignore[no-untyped-def]
    from db import dues, members
    from db.rules import yuan_to_fen

    li = members.add_member(
        db,
        values={
            "name": "李四",
            "category": "full",
            "joined_on": date(2010, 7, 1),
            "full_on": date(2011, 7, 1),
        },
    )
    dues.set_basis(
        db,
        member_uuid=li.uuid,
        from_month=date(2026, 6, 1),
        category="employed",
        base_fen=yuan_to_fen("3000"),
    )
    # October itself is settled with a note, but June to September are unpaid: an arrears alarm
    dues.mark_unpaid(db, member_uuid=li.uuid, month=date(2026, 10, 1), note="出差")
    check = _checks(db, "2026-10")["dues"]
    assert not check.ok and "李四（连续" in check.explanation
    assert check.filters["tab"] == "arrears" and check.filters["members"] == [li.uuid]
