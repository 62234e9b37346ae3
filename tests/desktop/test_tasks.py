"""desktop.tasks: background work with its own connection, progress, cancel and errors on the GUI thread."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QApplication, QMessageBox

from db import members as members_db
from db import store
from db.errors import StoreError
from desktop import tasks


def test_result_arrives_on_gui_thread_with_own_connection(qtbot, db) -> None:
    gui_thread = threading.get_ident()
    seen: dict = {}

    def work(progress: tasks.Progress) -> int:
        seen["worker_thread"] = threading.get_ident()
        own = store.open_again(db)
        try:
            progress.report(1, 2, "正在统计…")
            return members_db.count_members(own)["active"] + 7
        finally:
            store.close(own)

    def done(result: int) -> None:
        seen["done_thread"] = threading.get_ident()
        seen["result"] = result

    task = tasks.run_in_background(None, title="测试", fn=work, on_done=done)
    with qtbot.waitSignal(task.finished, timeout=10000) as blocker:
        pass
    assert blocker.args == [seen["result"]]
    assert seen["worker_thread"] != gui_thread
    assert seen["done_thread"] == gui_thread
    assert seen["result"] == 7


def test_error_goes_to_on_error_on_gui_thread(qtbot) -> None:
    got: list = []

    def work(progress: tasks.Progress) -> None:
        raise StoreError("磁盘已满")

    task = tasks.run_in_background(
        None, title="测试", fn=work, on_done=lambda r: None, on_error=got.append, show_dialog=False
    )
    with qtbot.waitSignal(task.failed, timeout=10000):
        pass
    assert len(got) == 1 and isinstance(got[0], StoreError)


def test_default_error_shows_chinese_message_box(qtbot) -> None:
    def work(progress: tasks.Progress) -> None:
        raise StoreError("无法写入备份「x.sqlite」")

    task = tasks.run_in_background(None, title="备份", fn=work, on_done=lambda r: None)
    with qtbot.waitSignal(task.failed, timeout=10000):
        pass
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    assert any("无法写入备份" in b.text() for b in boxes)
    for b in boxes:
        b.close()


def test_cancel_is_seen_by_the_worker(qtbot) -> None:
    started = threading.Event()

    def work(progress: tasks.Progress) -> str:
        started.set()
        for _ in range(2000):
            if progress.cancelled():
                raise tasks.Cancelled()
            threading.Event().wait(0.005)
        return "not cancelled"

    got: list = []
    task = tasks.run_in_background(None, title="测试", fn=work, on_done=got.append, on_error=got.append)
    assert started.wait(5)
    task.cancel()
    with qtbot.waitSignal(task.failed, timeout=10000):
        pass
    assert len(got) == 1 and isinstance(got[0], tasks.Cancelled)
