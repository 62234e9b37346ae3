"""The 换届选举 page, driven step by step with qtbot on a real database: 请示, reply, candidates (a 留党察看 member is
not offered), a round with a tie at the last seat, the second round, officers, report, approval (the new committee
appears in 支部设置), and the papers' previews; the term reminder and 支部设置 lead here."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, Qt

from db import branch, elections, reminders, transfers
from desktop.context import AppContext
from desktop.dialogs import election_steps as steps
from desktop.pages.elections import Page
from tests.db.election_helpers import VOTE, small_branch

TODAY = date(2026, 3, 1)


@pytest.fixture
def page(db, qtbot):  # type: ignore[no-untyped-def]
    ctx = AppContext(db)
    widget = Page(ctx, today=TODAY)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _steps(page: Page) -> list[str]:
    return [page.steps.item(i).text() for i in range(page.steps.count())]


def _date(edit, day: date) -> None:  # type: ignore[no-untyped-def]
    edit.setDate(QDate(day.year, day.month, day.day))


def test_the_election_step_by_step(page, db, qtbot) -> None:  # type: ignore[no-untyped-def]
    people = small_branch(db)
    transfers.record_event(
        db,
        member_uuid=people["陈静"],
        kind="probation_watch",
        happened_on=date(2026, 1, 10),
        ends_on=date(2027, 1, 9),
        reason="依据",
        today=TODAY,
    )
    page.refresh()
    assert not page.next_button.isEnabled() and page.new_button.isEnabled()

    # 1. 请示
    dialog = page.new_election()
    assert isinstance(dialog, steps.RequestDialog)
    dialog.size_spin.setValue(3)
    assert dialog.save() is not None
    assert "▶ 2." in _steps(page)[1] and page.print_buttons["request"].isEnabled()
    assert not page.new_button.isEnabled()  # one election at a time

    # 2. reply
    dialog = page.open_step()
    assert isinstance(dialog, steps.ReplyDialog)
    assert dialog.reply_by.text() == "某矿党委"
    _date(dialog.reply_on, TODAY - timedelta(days=1))
    assert not dialog.save_button.isEnabled() and "早于请示" in dialog.reasons["reply_on"].text()
    _date(dialog.reply_on, TODAY + timedelta(days=10))
    assert dialog.save() is not None

    # 3. candidates: the member under 留党察看 and the probationary one are not offered
    dialog = page.open_step()
    assert isinstance(dialog, steps.CandidatesDialog)
    _date(dialog.on, VOTE)
    offered = {dialog.people.item(i).text(): dialog.people.item(i) for i in range(dialog.people.count())}
    assert "陈静" not in offered and "钱预备" not in offered and "欧阳华" in offered
    for name in ("王建国", "李明", "张伟"):
        offered[name].setCheckState(Qt.CheckState.Checked)
    assert "20%" in dialog.reasons["candidates"].text() and dialog.save_button.isEnabled()  # a warning only
    offered["刘洋"].setCheckState(Qt.CheckState.Checked)
    assert dialog.reasons["candidates"].text() == ""
    assert dialog.save() is not None
    assert page.warning.text() == ""

    # 4. the vote: 张伟 and 刘洋 tie at the last seat
    dialog = page.open_step()
    assert isinstance(dialog, steps.CountDialog)
    _date(dialog.held_on, VOTE)
    assert "8 人" in dialog.entitled.text()  # nine full members, one under 留党察看
    for spin, n in ((dialog.present, 8), (dialog.issued, 8), (dialog.returned, 8), (dialog.valid, 8)):
        spin.setValue(n)
    for name, n in (("王建国", 8), ("李明", 6), ("张伟", 5), ("刘洋", 5)):
        dialog.votes[people[name]].setValue(n)
    assert "票数相等需再次投票" in dialog.outcome.text()
    dialog.returned.setValue(9)
    assert "选举无效" in dialog.outcome.text()
    dialog.returned.setValue(8)
    assert dialog.save() is not None
    assert "再次投票" in page.details.toPlainText()

    dialog = page.open_step()
    assert isinstance(dialog, steps.CountDialog) and set(dialog.votes) == {people["张伟"], people["刘洋"]}
    for spin in (dialog.present, dialog.issued, dialog.returned, dialog.valid):
        spin.setValue(8)
    dialog.votes[people["张伟"]].setValue(6)
    dialog.votes[people["刘洋"]].setValue(2)
    assert dialog.save() is not None

    # 5. officers
    dialog = page.open_step()
    assert isinstance(dialog, steps.OfficersDialog)
    combos = dialog.roles
    combos[people["张伟"]].setCurrentIndex(combos[people["张伟"]].findData("secretary"))
    combos[people["王建国"]].setCurrentIndex(combos[people["王建国"]].findData("organization"))
    combos[people["李明"]].setCurrentIndex(combos[people["李明"]].findData("publicity"))
    assert dialog.save() is not None

    # 6. report, 7. approval
    dialog = page.open_step()
    assert isinstance(dialog, steps.ReportDialog)
    _date(dialog.on, VOTE + timedelta(days=2))
    assert dialog.save() is not None
    dialog = page.open_step()
    assert isinstance(dialog, steps.ApprovalDialog)
    _date(dialog.approved_on, VOTE + timedelta(days=9))
    assert dialog.term_start.date() == QDate(VOTE.year, VOTE.month, VOTE.day)
    assert dialog.save() is not None
    assert not page.next_button.isEnabled() and all(t.startswith("✓") for t in _steps(page))
    assert [(c.member_name, c.role) for c in branch.list_committee(db, on=VOTE)] == [
        ("张伟", "secretary"),
        ("王建国", "organization"),
        ("李明", "publicity"),
    ]
    assert "已写入支部设置" in page.details.toPlainText()

    # the papers
    for key, button in page.print_buttons.items():
        assert button.isEnabled(), key
        preview = page.print_preview(key)
        assert preview is not None
        preview.close()


def test_archive_an_election(page, db) -> None:  # type: ignore[no-untyped-def]
    small_branch(db)
    elections.start_election(db, request_on=TODAY, proposed_size=3, proposed_method="equal")
    page.refresh()
    dialog = page.archive_election()
    assert dialog is not None and not dialog.save_button.isEnabled()
    dialog.reason.setText("上级要求推迟")
    dialog.save()
    assert page.chooser.count() == 0 and page.new_button.isEnabled()


def test_the_term_reminder_and_settings_lead_here(db, qtbot) -> None:  # type: ignore[no-untyped-def]
    from desktop.pages.settings import Page as SettingsPage

    small_branch(db)
    found = [r for r in reminders.gather(db, today=date(2026, 3, 1)) if r.kind == "term_ending"]
    assert found and found[0].page == "elections"
    ctx = AppContext(db)
    asked: list[str] = []
    ctx.navigate_requested.connect(lambda key, _filters: asked.append(key))
    settings = SettingsPage(ctx)
    qtbot.addWidget(settings)
    settings.election_button.click()
    assert asked == ["elections"]
