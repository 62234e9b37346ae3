"""The candidates can be changed until the first count: a candidate who leaves before the vote (the count is then
refused, naming them), or a name written in that passes half (the count says to add them as a candidate). The
page offered only the next step, so once the list was saved it could not be changed: the election could only be
given up. 「修改候选人…」 opens the list again until the first count."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from db import elections
from desktop.context import AppContext
from desktop.dialogs import election_steps as steps
from desktop.pages.elections import Page
from tests.db.election_helpers import VOTE, replied, small_branch

TODAY = date(2026, 3, 20)


@pytest.fixture
def page(db, qtbot):  # type: ignore[no-untyped-def]
    widget = Page(AppContext(db), today=TODAY)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _check(dialog: steps.CandidatesDialog, names: set[str]) -> None:
    for i in range(dialog.people.count()):
        item = dialog.people.item(i)
        item.setCheckState(Qt.CheckState.Checked if item.text() in names else Qt.CheckState.Unchecked)


def test_the_candidates_can_be_changed_until_the_first_count(page, db, qtbot) -> None:  # type: ignore[no-untyped-def]
    people = small_branch(db)
    e = replied(db, seats=3)
    first = ["王建国", "李明", "张伟", "刘洋"]
    elections.set_candidates(db, election_uuid=e.uuid, member_uuids=[people[n] for n in first], on=VOTE)
    page.refresh()
    assert page.next_button.text().startswith("下一步：")  # the count is next
    assert page.candidates_button.isVisible() and page.candidates_button.isEnabled()
    qtbot.mouseClick(page.candidates_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert isinstance(dialog, steps.CandidatesDialog)
    assert set(dialog.chosen()) == {people[n] for n in first}  # the list so far, ticked
    _check(dialog, {"王建国", "李明", "张伟", "陈静"})
    assert dialog.save() is not None
    e = elections.get_election(db, uuid=e.uuid)
    assert {c.name for c in e.candidates} == {"王建国", "李明", "张伟", "陈静"}
    assert "陈静" in page.details.toPlainText()

    plan = elections.next_round(e)
    assert plan is not None
    elections.record_round(
        db, election_uuid=e.uuid, held_on=VOTE, present=9, issued=9, returned=9, valid=9, invalid=0,
        votes={people["王建国"]: 9, people["李明"]: 8, people["张伟"]: 7, people["陈静"]: 2}, today=VOTE,
    )  # fmt: skip
    page.refresh()
    assert not page.candidates_button.isEnabled()  # voting began: the list is fixed
