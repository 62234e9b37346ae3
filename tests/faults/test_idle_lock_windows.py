"""The idle lock hides every window of the program, dialogs included (issue 17): a window-modal form with typed
data, the modeless guide, a parentless message box, another database's window. While locked nothing is written
(a save tried anyway is refused); after the password they come back as they were, and the form saves."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

from db import members, store
from desktop import tasks
from desktop.context import AppContext
from desktop.dialogs.member_dialog import MemberDialog
from desktop.idle_lock import IdleLock
from desktop.main_window import MainWindow

KEY = "secret12"


def _encrypted(tmp_path: Path) -> Path:
    path = tmp_path / "enc.sqlite"
    db = store.open(path, key=KEY)
    store.close(db)
    return path


def _member_form(qtbot, window: MainWindow) -> MemberDialog:  # type: ignore[no-untyped-def]
    dialog = MemberDialog(window.ctx, parent=window)
    qtbot.addWidget(dialog)
    dialog.open()  # window-modal, as the pages open their forms
    dialog.name.setFocus()
    event = QInputMethodEvent()
    event.setCommitString("张三")
    QApplication.sendEvent(dialog.name, event)
    dialog.citizen_id.setText("110105198503070019")
    dialog.category.setCurrentIndex(dialog.category.findData("probationary"))
    dialog.joined_on.set_date(date(2024, 7, 1))
    dialog.party_group.setCurrentIndex(dialog.party_group.findText("（未分组）"))
    assert dialog.check(), [p.message for p in dialog.current_problems]
    return dialog


def test_the_lock_hides_every_window_and_writes_nothing(qtbot, tmp_path: Path, db) -> None:  # type: ignore[no-untyped-def]
    database = store.open(_encrypted(tmp_path), key=KEY)
    try:
        window = MainWindow(AppContext(database))
        qtbot.addWidget(window)
        window.show()
        other = MainWindow(AppContext(db))  # another database's window
        qtbot.addWidget(other)
        other.show()
        form = _member_form(qtbot, window)
        guide = window.open_guide()  # modeless
        box = tasks.show_error(None, "导出", OSError(5, "I/O"))  # parentless
        shown = [form, guide, box, other]
        assert all(w.isVisible() for w in shown)

        now = [1000.0]
        lock = IdleLock(window, minutes=10, clock=lambda: now[0])
        now[0] += 11 * 60
        assert lock.check() and lock.is_locked()
        visible = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        assert set(visible) == {window, lock.dialog}, visible  # only the locked window and its password
        assert not window.centralWidget().isVisible()

        assert not form.save()  # a save tried while locked (the form is out of sight) …
        assert "已锁定" in form.error.text()
        assert members.list_members(database) == []  # … writes nothing

        lock.dialog.password.setText(KEY)
        lock.dialog.try_password()
        assert not lock.is_locked()
        assert all(w.isVisible() for w in shown)  # back as they were
        assert form.name.text() == "张三"  # with what was typed
        assert form.save()
        assert [m.name for m in members.list_members(database)] == ["张三"]
        box.close()
    finally:
        store.close(database)
