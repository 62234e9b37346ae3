"""The 发展党员 page: models checked with qtmodeltester, stage counts, and the whole path of a new applicant through
the dialogs — a candidate step less than a year after the activist step warns and cannot be saved without a reason."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

from db import development as dev_db
from db import members as members_db
from db.rules import make_citizen_id
from desktop.context import AppContext
from desktop.models.development import DevelopmentPeopleModel, DevelopmentStepsModel

TODAY = date(2025, 6, 30)
CID = make_citizen_id("140202", date(1998, 4, 5), 135)


@pytest.fixture
def ctx(db) -> AppContext:  # type: ignore[no-untyped-def]
    for i, name in enumerate(("王强", "李娜", "赵刚")):
        birth = date(1975 + i, 2, 3)
        members_db.add_member(
            db,
            values={
                "name": name,
                "category": "full",
                "joined_on": date(2005, 7, 1),
                "full_on": date(2006, 7, 1),
                "citizen_id": make_citizen_id("140202", birth, 311 + 2 * i),
            },
        )
    return AppContext(db)


def _type_chinese(widget, text: str) -> None:
    """Chinese arrives through the input method, not key codes (QTest cannot type non-ASCII keys)."""
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def _person(ctx: AppContext) -> dev_db.DevelopmentPerson:
    p = dev_db.add_person(
        ctx.db, values={"name": "孙小明", "citizen_id": CID}, applied_on=date(2023, 1, 9), today=TODAY
    )
    dev_db.add_step(ctx.db, person_uuid=p.uuid, kind="activist_decision", on=date(2023, 6, 1), today=TODAY)
    return dev_db.get_person(ctx.db, uuid=p.uuid)


def test_models_pass_qtmodeltester(ctx, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    p = _person(ctx)
    people = DevelopmentPeopleModel(today=TODAY)
    people.set_people(dev_db.list_people(ctx.db), today=TODAY)
    qtmodeltester.check(people)
    assert people.rowCount() == 1
    assert people.index(0, 3).data() == CID[:6] + "********" + CID[-4:]
    people.set_reveal(True)
    assert people.index(0, 3).data() == CID
    steps = DevelopmentStepsModel()
    steps.set_steps(dev_db.list_steps(ctx.db, person_uuid=p.uuid))
    qtmodeltester.check(steps)
    assert [steps.index(r, 1).data() for r in range(steps.rowCount())] == [
        "递交入党申请书",
        "确定为入党积极分子",
    ]


def test_page_counts_by_stage_and_filters(ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    from desktop.pages.development import Page

    _person(ctx)
    dev_db.add_person(ctx.db, values={"name": "周一"}, applied_on=date(2025, 6, 20), today=TODAY)
    page = Page(ctx, today=TODAY)
    qtbot.addWidget(page)
    assert page.stage_buttons["activist"].text().endswith("1 人")
    assert page.stage_buttons[""].text().endswith("2 人")
    assert page.model.rowCount() == 2
    qtbot.mouseClick(page.stage_buttons["applicant"], Qt.MouseButton.LeftButton)
    assert [p.name for p in page.visible_people()] == ["周一"]
    # The talk with 周一 is due within a month: a reminder naming who and since when.
    texts = [page.reminders.item(i).text() for i in range(page.reminders.count())]
    talk = [t for t in texts if "周一" in t]
    assert len(talk) == 1 and "2025-06-20" in talk[0] and "谈话" in talk[0]
    # 孙小明 has been an activist since 2023-06-01 without a six-monthly review: overdue, marked as such.
    assert any(t.startswith("【逾期】") and "孙小明" in t and "半年培养考察" in t for t in texts)
    page.apply_filters({"stage": "activist"})
    assert [p.name for p in page.visible_people()] == ["孙小明"]


def test_new_applicant_then_steps_with_warning_and_reason(ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    from desktop.dialogs.development_person import PersonDialog
    from desktop.dialogs.development_step import StepDialog
    from desktop.pages.development import Page

    page = Page(ctx, today=TODAY)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page)  # shortcuts reach the active window only
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # Ctrl+N
    dialog = page.dialog
    assert isinstance(dialog, PersonDialog)
    assert not dialog.save_button.isEnabled()  # no name yet
    _type_chinese(dialog.name, "孙小明")
    qtbot.keyClicks(dialog.citizen_id, CID[:-1])
    assert not dialog.save_button.isEnabled() and dialog._messages["citizen_id"].text()
    qtbot.keyClicks(dialog.citizen_id, CID[-1])
    assert dialog.birth_date.date() == date(1998, 4, 5) and dialog.gender.currentData() == "male"
    dialog.applied_on.setDate(date(2023, 1, 9))
    assert dialog.save_button.isEnabled()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    person = dev_db.list_people(ctx.db)[0]
    assert (person.name, person.stage, person.applied_on) == ("孙小明", "applicant", date(2023, 1, 9))
    assert dialog.tabs.currentIndex() == 1 and dialog.steps_model.rowCount() == 1
    assert page.model.rowCount() == 1  # the page refreshed through ctx.changed

    # Activist on 2023-06-01.
    qtbot.mouseClick(dialog.add_step_button, Qt.MouseButton.LeftButton)
    step = dialog.child
    assert isinstance(step, StepDialog)
    step.set_kind("activist_decision")
    step.set_date(date(2023, 6, 1))
    assert step.warnings.isHidden() and step.save_button.isEnabled()
    qtbot.mouseClick(step.save_button, Qt.MouseButton.LeftButton)
    assert dev_db.get_person(ctx.db, uuid=person.uuid).stage == "activist"
    assert dialog.steps_model.rowCount() == 2

    # Candidate on 2024-03-01: less than a year → the rule is named, save blocked until a reason is typed.
    qtbot.mouseClick(dialog.add_step_button, Qt.MouseButton.LeftButton)
    step = dialog.child
    step.set_kind("candidate_decision")
    step.set_date(date(2024, 3, 1))
    assert not step.warnings.isHidden()
    assert "《中国共产党发展党员工作细则》第十三条" in step.warnings.text()
    assert "2024-03-01" in step.warnings.text() and "2023-06-01" in step.warnings.text()
    assert not step.save_button.isEnabled()
    step.save()  # Ctrl+S does nothing either
    assert dev_db.get_person(ctx.db, uuid=person.uuid).stage == "activist"
    _type_chinese(step.reason, "经上级党委组织部同意提前确定")
    assert step.save_button.isEnabled()
    qtbot.mouseClick(step.save_button, Qt.MouseButton.LeftButton)
    stored = dev_db.list_steps(ctx.db, person_uuid=person.uuid)[-1]
    assert (stored.kind, stored.reason) == ("candidate_decision", "经上级党委组织部同意提前确定")
    assert "第十三条" in stored.warnings[0]
    # The warning stays visible on the person, with the reason.
    assert (
        "第十三条" in dialog.person_warnings.text()
        and "经上级党委组织部同意提前确定" in dialog.person_warnings.text()
    )
    assert dialog.header.text().endswith("发展对象")
    # 第十三条, and no mentors (第九条) nor half-yearly review (第十一条) on record before the decision
    assert page.model.person(0).warning_count == 3


def test_introducers_are_picked_from_full_members(ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    from desktop.dialogs.development_step import StepDialog

    p = _person(ctx)
    dev_db.add_step(
        ctx.db, person_uuid=p.uuid, kind="candidate_decision", on=date(2024, 6, 1), reason="补录", today=TODAY
    )
    probationary = members_db.add_member(
        ctx.db, values={"name": "钱多", "category": "probationary", "joined_on": date(2025, 1, 1)}
    )
    dialog = StepDialog(ctx, dev_db.get_person(ctx.db, uuid=p.uuid), today=TODAY)
    qtbot.addWidget(dialog)
    dialog.set_kind("introducers")
    names = [dialog.members.item(i).text() for i in range(dialog.members.count())]
    assert len(names) == 3 and not any("钱多" in n for n in names)
    assert probationary.uuid not in [
        dialog.members.item(i).data(Qt.ItemDataRole.UserRole) for i in range(dialog.members.count())
    ]
    assert not dialog.warnings.isHidden()  # none chosen yet: 第十四条
    dialog.member_filter.setText("wq")  # pinyin initials of 王强
    shown = [dialog.members.item(i).text() for i in range(3) if not dialog.members.item(i).isHidden()]
    assert len(shown) == 1 and shown[0].startswith("王强")
    dialog.member_filter.clear()
    uuids = [dialog.members.item(i).data(Qt.ItemDataRole.UserRole) for i in range(2)]
    dialog.check_members(uuids)
    assert dialog.warnings.isHidden() and dialog.save_button.isEnabled()
    dialog.save()
    assert [m.uuid for m in dev_db.list_steps(ctx.db, person_uuid=p.uuid)[-1].members] == uuids


def test_pipeline_prints_to_pdf_with_masked_ids(ctx, qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import unicodedata

    from desktop.pages.development import Page
    from desktop.printing.dues import write_pdf

    _person(ctx)
    page = Page(ctx, today=TODAY)
    qtbot.addWidget(page)
    path = write_pdf(tmp_path / "pipeline.pdf", page.print_document())
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = unicodedata.normalize("NFKC", text)  # poppler gives some CJK as Kangxi radicals (⼯ for 工)
    assert "发展党员工作台账" in text and "孙小明" in text and "入党积极分子" in text
    assert CID not in text and CID[-4:] in text
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)  # Ctrl+P
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    assert isinstance(page.dialog, QPrintPreviewDialog)
    page.dialog.close()


def test_reminder_opens_the_person_and_leaving_is_recorded(ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    from desktop.dialogs.development_person import PersonDialog, ReasonDialog
    from desktop.pages.development import Page

    p = dev_db.add_person(ctx.db, values={"name": "周一"}, applied_on=date(2025, 6, 20), today=TODAY)
    page = Page(ctx, today=TODAY)
    qtbot.addWidget(page)
    page._reminder_activated(page.reminders.item(0))  # what a double-click on the reminder does
    dialog = page.dialog
    assert isinstance(dialog, PersonDialog) and dialog.person.uuid == p.uuid
    dialog.leave()
    leave = dialog.child
    assert isinstance(leave, ReasonDialog)
    ok = leave.buttons.buttons()[0]
    assert not ok.isEnabled()  # a reason is required
    _type_chinese(leave.reason, "本人撤回入党申请")
    leave._ok()
    person = dev_db.get_person(ctx.db, uuid=p.uuid)
    assert (person.status, person.status_reason) == ("left", "本人撤回入党申请")
    assert "退出培养" in dialog.person_warnings.text() and not dialog.add_step_button.isEnabled()
    # The page refreshed: no reminder any more; the person is kept, shown only with 显示已退出.
    assert page.reminders.count() == 0 and page.show_left.isChecked()
    assert page.model.index(0, 11).data() == "已退出"
    page.show_left.setChecked(False)
    assert page.model.rowCount() == 0


def test_vote_dialog_picks_the_branch_assembly_and_both_sides_show_it(ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Issue 14: the vote dialog offers the 支部党员大会 meetings of 三会一课; picking one sets the vote's date; the
    timeline shows the meeting and the meetings page shows the vote taken at it."""
    from db import meetings
    from desktop.dialogs.development_step import StepDialog
    from desktop.models.development import step_details
    from desktop.pages.meetings import Page as MeetingsPage

    p = _person(ctx)
    dev_db.add_step(
        ctx.db, person_uuid=p.uuid, kind="candidate_decision", on=date(2024, 6, 1), reason="补录", today=TODAY
    )
    assembly = meetings.plan_meeting(
        ctx.db, kind="branch_assembly", planned_on=date(2025, 6, 20), topic="讨论接收预备党员"
    )
    dialog = StepDialog(ctx, dev_db.get_person(ctx.db, uuid=p.uuid), today=TODAY)
    qtbot.addWidget(dialog)
    dialog.set_kind("admission_vote")
    assert dialog.meeting.count() == 2 and "讨论接收预备党员" in dialog.meeting.itemText(1)
    dialog.set_meeting(assembly.uuid)
    assert dialog.date() == date(2025, 6, 20)
    dialog.votes_for.setValue(3)
    dialog.present.setValue(3)
    assert dialog.values()["meeting"] == assembly.uuid
    _type_chinese(dialog.reason, "补录")
    assert dialog.save_button.isEnabled()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    vote = next(s for s in dev_db.list_steps(ctx.db, person_uuid=p.uuid) if s.kind == "admission_vote")
    assert vote.meeting_uuid == assembly.uuid
    assert "会议：2025-06-20 讨论接收预备党员" in step_details(vote) and "应到 3，实到 3" in step_details(
        vote
    )
    page = MeetingsPage(ctx, today=TODAY)
    qtbot.addWidget(page)
    page.refresh()
    assert page.select_meeting(assembly.uuid)
    assert "孙小明：支部党员大会讨论接收（应到 3 人，实到 3 人，赞成 3 票" in page.detail.toPlainText()
