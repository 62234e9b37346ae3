"""The fields table 33 and table 43 read, entered where the secretary records them (issue 19): the 失联情形 on the
standing form (only for 失去联系) and in the member form, the 《流动党员活动证》 on the mobile form, the branch's
province in 规则设置; each saved and read back by the yearly report."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QLineEdit

from db import members, statistics, transfers
from db.rule_settings import rule_values
from db.statistics.populations import CITY_KEY, PROVINCE_KEY
from tests.desktop.test_transfers_page import TODAY, _uuid, ctx, page  # noqa: F401 - the fixtures


def _row(report: statistics.Report, number: str) -> dict[str, int | None]:
    t = report.table(number)
    return {c.label: t.figure(0, i) for i, c in enumerate(t.table.columns)}


def test_the_forms_record_what_tables_33_and_43_count(qtbot, page, ctx) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from desktop.dialogs.rule_settings import RuleSettingsDialog

    db = ctx.db
    li, wang = _uuid(db, "李娜"), _uuid(db, "王强")
    settings = RuleSettingsDialog(ctx)
    qtbot.addWidget(settings)
    province = settings.editors[PROVINCE_KEY]
    assert province.currentText() == "（未设置）"
    province.setCurrentIndex(province.findData("山西"))
    with qtbot.waitSignal(settings.saved):
        settings.save()
    assert rule_values(db)[PROVINCE_KEY] == "山西"

    dialog = page.start_mobile()
    dialog.member.setCurrentIndex(dialog.member.findData(li))
    dialog.province.setText("陕西省")  # keyClicks only types ASCII
    dialog.reason.setText("驻厂学习")
    dialog.started_on.setDate(QDate(2025, 9, 15))
    dialog.activity_card.setChecked(True)
    with qtbot.waitSignal(dialog.saved):
        dialog.save()
    assert transfers.list_mobile_periods(db)[0].activity_card

    event = page.standing_event()
    event.member.setCurrentIndex(event.member.findData(wang))
    event.kind.setCurrentIndex(event.kind.findData("expulsion"))
    assert not event.situation.isEnabled()
    event.kind.setCurrentIndex(event.kind.findData("lost_contact"))
    assert event.situation.isEnabled()
    event.situation.set_value("abroad")
    event.happened_on.setDate(QDate(2025, 3, 1))
    event.reason.setText("电话停机")
    with qtbot.waitSignal(event.saved):
        event.save()
    assert members.get_member(db, uuid=wang).lost_contact_situation == "abroad"

    r = statistics.yearly_report(db, year=2025)
    assert {k: v for k, v in _row(r, "33").items() if v} == {
        "流出党员": 1,
        "跨省（区、市）流出": 1,
        "持《流动党员活动证》": 1,
        "掌握流向": 1,
    }
    assert _row(r, "43")["失联情形：出国（境）"] == 1


def test_the_member_form_holds_the_situation(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from desktop.dialogs.member_dialog import MemberDialog

    db = ctx.db
    zhang = members.get_member(db, uuid=_uuid(db, "张伟"))
    dialog = MemberDialog(ctx, zhang, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.full_on.set_date(date(2011, 7, 1))  # the fixture's member lacks it, which the form asks for
    dialog.lost_contact.setChecked(True)
    dialog.lost_contact_on.set_date(date(2025, 2, 1))
    dialog.lost_contact_situation.set_value("moved")
    assert dialog.save()
    saved = members.get_member(db, uuid=zhang.uuid)
    assert (saved.lost_contact, saved.lost_contact_situation) == (True, "moved")
    again = MemberDialog(ctx, saved, today=TODAY)
    qtbot.addWidget(again)
    assert again.lost_contact_situation.currentText() == "居住地改变"


def test_the_branch_city_is_a_text_field_of_the_rule_settings(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from desktop.dialogs.rule_settings import RuleSettingsDialog

    settings = RuleSettingsDialog(ctx)
    qtbot.addWidget(settings)
    city = settings.editors[CITY_KEY]
    assert isinstance(city, QLineEdit) and city.text() == ""
    city.setText("大" * 21)
    assert not settings.check() and "本支部所在城市最多 20 个字" in settings.reasons[CITY_KEY].text()
    city.setText(" 太原市 ")
    assert settings.check()
    with qtbot.waitSignal(settings.saved):
        settings.save()
    assert rule_values(ctx.db)[CITY_KEY] == "太原市"
    reopened = RuleSettingsDialog(ctx)
    qtbot.addWidget(reopened)
    assert reopened.editors[CITY_KEY].text() == "太原市"
