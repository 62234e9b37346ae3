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
    sub1 = monthly_close.mark_submitted(demo_db, month="2026-10", path=first)
    assert sub1.override_reason == "" and not sub1.resubmission
    second = tmp_path / "b.xlsx"
    second.write_bytes(b"second export, corrected")
    sub2 = monthly_close.mark_submitted(demo_db, month="2026-10", path=second)
    assert sub2.resubmission and sub2.sha256 != sub1.sha256
    assert [s.file_name for s in monthly_close.list_submissions(demo_db, month="2026-10")] == [
        "a.xlsx",
        "b.xlsx",
    ]
    assert audit.history(demo_db, entity_uuid=sub2.uuid)[0].field == "resubmit"


def test_missing_file_is_refused(demo_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="找不到要报送的工作簿"):
        monthly_close.mark_submitted(demo_db, month="2026-10", path=tmp_path / "nope.xlsx")
