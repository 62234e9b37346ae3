"""Backups in the application: restore dialog (list, comparison, restore in the background, every part notified),
backup to a folder, daily backup with the status bar, recovery dialog for a damaged database."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from db import backups, members, store
from db.rules import make_citizen_id
from desktop.context import AppContext
from desktop.dialogs.recovery_dialog import RecoveryDialog
from desktop.dialogs.restore_dialog import ALL_PARTS, RestoreDialog
from desktop.main_window import MainWindow
from tests.desktop.menus import menu_bar_menu


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path):  # type: ignore[no-untyped-def]
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    yield


def _add(db, i: int) -> None:  # type: ignore[no-untyped-def]
    members.add_member(
        db,
        values={
            "name": f"王{i}",
            "category": "full",
            "citizen_id": make_citizen_id("140202", date(1985, 3, 4), i),
        },
    )


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_restore_dialog_shows_what_would_change_and_restores(qtbot, qtmodeltester, db) -> None:
    _add(db, 1)
    store.backup_before(db, "daily")
    _add(db, 2)
    _add(db, 3)
    ctx = AppContext(db)
    dialog = RestoreDialog(ctx)
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.list_model)
    assert dialog.list_model.rowCount() == 1
    assert dialog.list_model.data(dialog.list_model.index(0, 1)) == "每日自动备份"
    assert dialog.list_model.data(dialog.list_model.index(0, 3)) == "1"
    assert not dialog.restore_button.isEnabled()
    dialog.select_row(0)
    qtmodeltester.check(dialog.compare_model)
    counts = {c.table: (c.now, c.backup) for c in dialog.compare_model.counts()}
    assert counts["members"] == (3, 1)
    assert "党员" in dialog.compare_title.text()
    assert dialog.compare_model.data(dialog.compare_model.index(0, 3)) == "少 2 条"
    assert dialog.restore_button.isEnabled()
    # Nothing has been replaced yet: the confirmation box is only open.
    box = dialog.request_restore()
    assert box is not None and box.isVisible()
    assert members.count_members(db)["active"] == 3
    box.reject()

    notified: list[str] = []
    ctx.changed.connect(notified.append)
    with qtbot.waitSignal(dialog.restored, timeout=10000):
        dialog.start_restore()
    assert members.count_members(db)["active"] == 1
    assert set(ALL_PARTS) <= set(notified)
    # The state before the restore was backed up and now shows in the list as 恢复前备份.
    reasons = [
        dialog.list_model.data(dialog.list_model.index(r, 1)) for r in range(dialog.list_model.rowCount())
    ]
    assert "恢复前备份" in reasons
    assert "已恢复" in dialog.status.text()


def test_main_window_backup_menu_status_bar_and_backup_to_folder(qtbot, db, tmp_path) -> None:
    window = MainWindow(AppContext(db))
    qtbot.addWidget(window)
    titles = [a.text() for a in menu_bar_menu(window, "文件").actions()]
    assert any("备份到" in t for t in titles) and any("从备份恢复" in t for t in titles)
    assert "尚无备份" in window.backup_label.text()
    task = window.start_daily_backup()
    with qtbot.waitSignal(task.finished, timeout=10000):
        pass
    assert "上次备份" in window.backup_label.text()
    assert [b.reason for b in backups.list_backups(db.path)] == ["daily"]
    # A second start on the same day takes no second daily backup.
    task = window.start_daily_backup()
    with qtbot.waitSignal(task.finished, timeout=10000):
        pass
    assert len(backups.list_backups(db.path)) == 1

    usb = tmp_path / "usb"
    usb.mkdir()
    task = window.backup_to_folder(usb)
    with qtbot.waitSignal(task.finished, timeout=10000) as blocker:
        pass
    assert Path(blocker.args[0]).parent == usb and backups.verify_backup(Path(blocker.args[0]))
    dialog = window.open_restore_dialog()
    assert dialog.isVisible() and dialog.list_model.rowCount() == 1
    dialog.close()


def test_exit_backup_then_rotation(db) -> None:
    path = backups.exit_backup(db, today=date.today())
    assert path is not None and path.name.endswith("-exit.sqlite")
    assert backups.reason_label("exit") == "退出时备份"


def test_read_only_database_offers_no_restore(qtbot, db_path) -> None:
    database = store.open(db_path, readonly=True)
    try:
        window = MainWindow(AppContext(database))
        qtbot.addWidget(window)
        assert not window.restore_action.isEnabled()
        assert window.start_daily_backup() is None
    finally:
        store.close(database)


def _corrupt(path: Path) -> None:
    size = path.stat().st_size
    with open(path, "r+b") as f:
        f.seek((size // 4096 // 2) * 4096)
        f.write(bytes(range(256)) * 32)


def test_recovery_restores_into_a_new_file_and_never_touches_the_damaged_one(qtbot, tmp_path) -> None:
    path = tmp_path / "branch.sqlite"
    database = store.open(path)
    with database.atomic():
        for i in range(200):
            _add(database, i)
    store.backup_before(database, "daily")
    store.close(database)
    _corrupt(path)
    with pytest.raises(store.DatabaseCorrupt):
        store.open(path)
    before = _sha(path)

    dialog = RecoveryDialog(path, "数据库已损坏")
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.restore_button.isEnabled(), timeout=10000)
    assert "党员 200 人" in dialog.backup_label.text()
    task = dialog.save_copy(tmp_path / "for-expert")
    with qtbot.waitSignal(task.finished, timeout=10000):
        pass
    copies = list((tmp_path / "for-expert").glob("branch-damaged-*.sqlite"))
    assert len(copies) == 1 and _sha(copies[0]) == before
    assert "已保存副本" in dialog.status.text()

    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        dialog.restore_latest()
    new_path = dialog.chosen_path
    assert new_path is not None and new_path.parent == path.parent and new_path != path
    assert "recovered" in new_path.name
    reopened = store.open(new_path)
    try:
        assert members.count_members(reopened)["active"] == 200
    finally:
        store.close(reopened)
    assert _sha(path) == before
    # The next start finds the recovered file and offers to open it.
    again = RecoveryDialog(path)
    qtbot.addWidget(again)
    assert again.open_recovered_button.isVisibleTo(again)
    again.open_recovered()
    assert again.chosen_path == new_path
    qtbot.waitUntil(lambda: not again.find_task.is_running(), timeout=10000)


def test_recovery_without_any_backup_only_offers_the_copy(qtbot, tmp_path) -> None:
    path = tmp_path / "lonely.sqlite"
    path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 5000)
    dialog = RecoveryDialog(path)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.find_task.finished, timeout=10000):
        pass
    assert not dialog.restore_button.isEnabled()
    assert "没有找到完好的备份" in dialog.backup_label.text()


# --- database password, recovery code, idle lock ---------------------------------------------------------------


def test_password_dialog_validates_sets_shows_the_code_and_removes(qtbot, db, tmp_path) -> None:
    import subprocess

    from desktop.dialogs.password_dialog import PasswordDialog

    _add(db, 1)
    ctx = AppContext(db)
    notified: list[str] = []
    ctx.changed.connect(notified.append)
    dialog = PasswordDialog(ctx)
    qtbot.addWidget(dialog)
    assert not dialog.save_button.isEnabled()
    dialog.new.setText("123")
    assert "至少" in dialog.new_reason.text() and not dialog.save_button.isEnabled()
    dialog.new.setText("矿山secret")
    dialog.repeat.setText("矿山secreT")
    assert "不一致" in dialog.repeat_reason.text() and not dialog.save_button.isEnabled()
    dialog.repeat.setText("矿山secret")
    assert dialog.save_button.isEnabled()
    dialog.save_button.click()
    assert ctx.db.key == "矿山secret" and store.is_encrypted(ctx.db.path)
    assert dialog.code and dialog.code_label.text() == dialog.code and dialog.code_label.isVisibleTo(dialog)
    assert "members" in notified and members.count_members(ctx.db)["active"] == 1
    assert store.password_from_recovery_code(ctx.db.path, code=dialog.code) == "矿山secret"
    pdf = dialog.save_pdf(tmp_path / "code.pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert dialog.code in text and "恢复码" in text and ctx.db.path.name in text

    again = PasswordDialog(ctx)
    qtbot.addWidget(again)
    assert again.remove_button.isVisibleTo(again) and not again.remove_button.isEnabled()
    again.current.setText("wrong")
    assert "不正确" in again.current_reason.text()
    again.current.setText("矿山secret")
    again.remove_button.click()
    assert ctx.db.key is None and not store.is_encrypted(ctx.db.path)
    assert members.count_members(ctx.db)["active"] == 1
    store.close(ctx.db)  # the fixture then closes the replaced connection again, harmlessly


def _locked_file(tmp_path: Path, key: str = "secret12") -> Path:
    path = tmp_path / "enc.sqlite"
    database = store.open(path)
    _add(database, 1)
    database, _code = store.change_password(database, new_key=key)
    store.close(database)
    return path


def test_password_prompt_wrong_tries_wait_longer_and_the_right_one_opens(qtbot, tmp_path) -> None:
    from desktop.dialogs.password_prompt import PasswordPromptDialog

    path = _locked_file(tmp_path)
    prompt = PasswordPromptDialog(path)
    qtbot.addWidget(prompt)
    for attempt in range(3):
        prompt.delay._until = 0  # the test does not wait out the delays
        prompt.ok_button.setEnabled(True)
        prompt.password.setText(f"wrong{attempt}")
        prompt.try_password()
        assert "密码不正确" in prompt.message.text()
    assert prompt.delay.failures == 3 and prompt.delay.remaining() > 0
    assert not prompt.ok_button.isEnabled() and "等待" in prompt.ok_button.text()
    prompt.delay._until = 0
    prompt.password.setText("secret12")
    with qtbot.waitSignal(prompt.accepted, timeout=5000):
        prompt.try_password()
    assert prompt.database is not None and prompt.error is None and prompt.key == "secret12"
    assert members.count_members(prompt.database)["active"] == 1
    store.close(prompt.database)


def test_password_prompt_with_the_recovery_code(qtbot, tmp_path) -> None:
    from desktop.dialogs.password_prompt import PasswordPromptDialog

    path = tmp_path / "enc.sqlite"
    database = store.open(path)
    database, code = store.change_password(database, new_key="forgotten1")
    store.close(database)
    prompt = PasswordPromptDialog(path)
    qtbot.addWidget(prompt)
    prompt.use_recovery_code()
    prompt.code.setText("AAAA-AAAA-AAAA-AAAA-AAAA-AAAA")
    prompt.try_password()
    assert "恢复码不正确" in prompt.message.text()
    prompt.code.setText(code.lower())
    prompt.try_password()
    assert prompt.used_recovery_code and prompt.key == "forgotten1" and prompt.database is not None
    store.close(prompt.database)


def test_a_damaged_encrypted_file_with_the_right_password_goes_to_recovery(qtbot, tmp_path) -> None:
    from desktop.dialogs.password_prompt import PasswordPromptDialog

    path = tmp_path / "enc.sqlite"
    database = store.open(path)
    with database.atomic():
        for i in range(300):
            _add(database, i)
    database, _code = store.change_password(database, new_key="secret12")
    store.close(database)
    _corrupt(path)
    prompt = PasswordPromptDialog(path)
    qtbot.addWidget(prompt)
    prompt.password.setText("secret12")
    prompt.try_password()
    assert isinstance(prompt.error, store.DatabaseCorrupt) and prompt.database is None, prompt.message.text()
    recovery = RecoveryDialog(path, prompt.error.message, key=prompt.key)
    qtbot.addWidget(recovery)
    qtbot.waitUntil(
        lambda: recovery.restore_button.isEnabled(), timeout=10000
    )  # the encrypted before-rekey backup
    with qtbot.waitSignal(recovery.accepted, timeout=10000):
        recovery.restore_latest()
    reopened = store.open(recovery.chosen_path, key="secret12")
    try:
        assert members.count_members(reopened)["active"] == 300
    finally:
        store.close(reopened)


def test_idle_lock_hides_the_data_until_the_password(qtbot, tmp_path) -> None:
    from desktop.idle_lock import IdleLock
    from desktop.security import TryDelay

    delays = TryDelay()
    assert [delays.delay_for(n) for n in range(1, 8)] == [0, 0, 2, 4, 8, 16, 32]
    path = _locked_file(tmp_path)
    database = store.open(path, key="secret12")
    try:
        window = MainWindow(AppContext(database))
        qtbot.addWidget(window)
        window.show()
        now = [1000.0]
        lock = IdleLock(window, minutes=10, clock=lambda: now[0])
        now[0] += 9 * 60
        assert not lock.check()
        now[0] += 61
        assert lock.check() and lock.is_locked()
        assert not window.centralWidget().isVisible() and not window.menuBar().isEnabled()
        lock.dialog.password.setText("nope")
        lock.dialog.try_password()
        assert lock.is_locked() and "不正确" in lock.dialog.message.text()
        lock.dialog.password.setText("secret12")
        lock.dialog.try_password()
        assert not lock.is_locked() and window.centralWidget().isVisible()
    finally:
        store.close(database)


def test_no_lock_without_a_password(qtbot, db) -> None:
    from desktop.idle_lock import IdleLock

    window = MainWindow(AppContext(db))
    qtbot.addWidget(window)
    now = [0.0]
    lock = IdleLock(window, minutes=1, clock=lambda: now[0])
    now[0] += 3600
    assert not lock.check() and not lock.is_locked()
