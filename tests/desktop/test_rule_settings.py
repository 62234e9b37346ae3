"""规则设置 in 支部设置 (issue 16): the settings the rules read, editable with their defaults and sources; the
rules follow at once."""

from __future__ import annotations

from datetime import date

import pytest

from db import branch, dues, members, rule_settings
from db.errors import ValidationError
from db.meetings import reminders as meeting_rules
from db.rules import yuan_to_fen
from desktop.context import AppContext
from desktop.pages.settings import Page


def test_every_setting_reads_its_default_until_saved(db) -> None:  # type: ignore[no-untyped-def]
    values = rule_settings.rule_values(db)
    assert values == {s.key: s.default for s in rule_settings.RULE_SETTINGS}
    assert all(s.source for s in rule_settings.RULE_SETTINGS)
    with pytest.raises(ValidationError, match="1 日 到 28 日"):
        rule_settings.save_rule_settings(
            db, values={"theme_day_of_month": 31, "party_lecture_frequency": "month"}
        )
    assert meeting_rules.lecture_frequency(db) == "quarter"  # nothing stored when one value is wrong


def test_the_dialog_edits_the_settings_and_the_rules_follow(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    page = Page(AppContext(db))
    qtbot.addWidget(page)
    dialog = page.open_rule_settings()
    lecture = dialog.editors["party_lecture_frequency"]
    assert lecture.currentText() == "每季度"
    source = dialog.findChild(type(dialog.error), "party_lecture_frequency_source").text()
    assert source.startswith("默认：每季度。依据：") and "三会一课" in source
    assert "党费交纳比例" in dialog.findChild(type(dialog.error), "fixed_rules").text()
    assert dialog.editors["dues_rounding"].currentText() == "四舍五入到分"
    assert not dialog.is_changed()
    lecture.setCurrentIndex(lecture.findData("month"))
    dialog.editors["theme_day_of_month"].setValue(10)
    dialog.editors["dues_prepay_months"].setValue(12)
    assert dialog.is_changed() and dialog.save_button.isEnabled()
    dialog.save()
    assert meeting_rules.lecture_frequency(db) == "month"
    assert meeting_rules.theme_day_of_month(db) == 10
    assert dues.max_ahead_months(db) == 12
    # the dues rule reads it: paying 9 months ahead is now allowed
    m = members.add_member(
        db,
        values={
            "name": "张三",
            "category": "full",
            "joined_on": date(2010, 7, 1),
            "full_on": date(2011, 7, 1),
        },
    )
    dues.set_basis(
        db, member_uuid=m.uuid, from_month=date(2026, 1, 1), category="employed", base_fen=yuan_to_fen("3000")
    )
    dues.record_payments(
        db, member_uuid=m.uuid, months=[date(2027, 3, 1)], paid_on=date(2026, 6, 1), today=date(2026, 6, 1)
    )
    assert branch.get_setting(db, key="dues_prepay_months") == 12


def test_dues_rounding_applies_to_bases_set_afterwards(db) -> None:  # type: ignore[no-untyped-def]
    m = members.add_member(
        db,
        values={
            "name": "李四",
            "category": "full",
            "joined_on": date(2010, 7, 1),
            "full_on": date(2011, 7, 1),
        },
    )
    before = dues.set_basis(
        db, member_uuid=m.uuid, from_month=date(2026, 1, 1), category="employed", base_fen=yuan_to_fen("3333")
    )
    assert before.amount_fen == 3333  # 1% of 3333.00 yuan, to the fen
    rule_settings.save_rule_settings(db, values={"dues_rounding": "jiao"})
    after = dues.set_basis(
        db, member_uuid=m.uuid, from_month=date(2027, 1, 1), category="employed", base_fen=yuan_to_fen("3333")
    )
    assert after.amount_fen == 3330
    # rounded once from the exact amount: 0.5% of 2990.00 yuan is 14.95, which rounds to 15.0 at the jiao
    assert dues.compute_basis_fen(db, category="employed", base_fen=yuan_to_fen("2990")) == 1500
    assert dues.compute_basis_fen(db, category="relief", base_fen=0) == 20  # fixed amounts are not rounded
