"""The member form has a field for every editable member field (docs/architecture.md, "Adding a member field"): a field added to
``db.records.Member`` but forgotten in desktop/dialogs/member_dialog.py fails here, not in a secretary's hands."""

from __future__ import annotations

from datetime import date

from db import members as members_db
from desktop.context import AppContext
from desktop.dialogs.member_dialog import MemberDialog


def test_the_form_has_a_widget_and_a_value_for_every_editable_member_field(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    dialog = MemberDialog(AppContext(db), None, today=date(2025, 6, 30))
    qtbot.addWidget(dialog)
    assert set(dialog.fields) == set(members_db.EDITABLE_FIELDS)
    assert set(dialog.values()) == set(members_db.EDITABLE_FIELDS)
