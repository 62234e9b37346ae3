"""Render every page and main dialog to PNG (``branchdesk screenshots --db PATH --out DIR``).

Pages are found automatically: the main window (1366×768, offscreen) shows each page of
``desktop.navigation.available_pages()`` in turn and saves ``page_<key>.png``.

Dialogs are listed in ``DIALOG_SHOTS``. **To add yours** (one small edit, re-read the list right before editing):
append ``("<file stem>", "<module>:<function>")`` where the function has the signature
``function(ctx: AppContext, parent: QWidget) -> QWidget`` and returns the dialog *not yet shown*, filled with
sample content from ``ctx.db`` (the database may be the demo branch or nearly empty: cope with both, e.g. by
returning an empty form). ``render_all`` shows it, lets it lay out, grabs it to ``dialog_<stem>.png`` and closes it.
A function that raises is reported on stderr and skipped; the other shots still render. Example::

    DIALOG_SHOTS = [
        ("member", "desktop.dialogs.member_dialog:screenshot_dialog"),
        ("meeting", "desktop.dialogs.meeting_dialog:screenshot_dialog"),
    ]
"""

from __future__ import annotations

import importlib
import shutil
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from db.errors import BranchDeskError, DiskFull
from db.store import Database, disk_full_message
from desktop.qt import *

if TYPE_CHECKING:
    from db.records import Member
    from desktop.context import AppContext

# (file stem, "module:function"); function(ctx, parent) -> QWidget (a dialog, not yet shown).
DIALOG_SHOTS: list[tuple[str, str]] = [
    ("member", "desktop.screenshots:member_dialog_shot"),
    ("member_invalid", "desktop.screenshots:member_dialog_invalid_shot"),
    ("member_new", "desktop.screenshots:member_dialog_new_shot"),
    ("member_history", "desktop.screenshots:member_history_shot"),
    ("archive", "desktop.screenshots:archive_dialog_shot"),
    ("development_person", "desktop.dialogs.development_person:screenshot_dialog"),
    ("dues_payment", "desktop.dialogs.dues_payment:screenshot_dialog"),
    ("dues_basis", "desktop.dialogs.dues_basis:screenshot_dialog"),
    ("transfer_out", "desktop.dialogs.transfer_out_dialog:screenshot_dialog"),
    ("transfer_in", "desktop.dialogs.transfer_in_dialog:screenshot_dialog"),
    ("statistics_change", "desktop.dialogs.statistics_change_dialog:screenshot_dialog"),
    ("project", "desktop.dialogs.project_dialog:screenshot_dialog"),
    ("project_progress", "desktop.dialogs.project_dialog:screenshot_progress_dialog"),
    ("finding", "desktop.dialogs.finding_dialog:screenshot_dialog"),
    ("meeting_plan", "desktop.dialogs.meeting_plan:screenshot_dialog"),
    ("meeting_record", "desktop.dialogs.meeting_record:screenshot_dialog"),
    ("restore", "desktop.dialogs.restore_dialog:screenshot_dialog"),
    ("recovery", "desktop.dialogs.recovery_dialog:screenshot_dialog"),
    ("password", "desktop.dialogs.password_dialog:screenshot_dialog"),
    ("monthly_close", "desktop.dialogs.monthly_close:screenshot_dialog"),
    ("rule_settings", "desktop.dialogs.rule_settings:screenshot_dialog"),
    ("guide", "desktop.dialogs.guide:screenshot_dialog"),
    ("election_step", "desktop.dialogs.election_steps:screenshot_dialog"),
    ("completeness", "desktop.dialogs.completeness_dialog:screenshot_dialog"),
    ("training_ledger", "desktop.dialogs.training_dialog:screenshot_dialog"),
    ("life_meeting", "desktop.dialogs.life_meeting:screenshot_dialog"),
    ("life_meeting_talks", "desktop.dialogs.life_meeting:screenshot_talks_dialog"),
    ("life_meeting_findings", "desktop.dialogs.life_meeting:screenshot_findings_page"),
    ("appraisal_result", "desktop.pages.appraisal:screenshot_result"),
    ("statistics_dues", "desktop.screenshots:statistics_dues_shot"),
    ("statistics_lost", "desktop.screenshots:statistics_lost_shot"),
]

WINDOW_SIZE = (1366, 768)


def _settle(app: QApplication) -> None:
    for _ in range(3):
        app.processEvents()


def _resolve(spec: str) -> Callable[[AppContext, QWidget], QWidget]:
    module_name, _, function = spec.partition(":")
    shot: Callable[[AppContext, QWidget], QWidget] = getattr(importlib.import_module(module_name), function)
    return shot


def render_all(db: Database, out_dir: Path) -> list[Path]:
    """Render the pages and the dialogs of ``DIALOG_SHOTS`` over ``db`` into ``out_dir``; returns the PNG paths.

    Creates the QApplication when none exists; run with ``QT_QPA_PLATFORM=offscreen`` for no screen.
    """
    from desktop.app import create_application
    from desktop.context import AppContext
    from desktop.main_window import MainWindow

    existing = QApplication.instance()
    # Reuse a running application (tests) as is; otherwise set one up like the real program.
    app = existing if isinstance(existing, QApplication) else create_application()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    ctx = AppContext(db)
    window = MainWindow(ctx)
    window.resize(*WINDOW_SIZE)
    window.show()
    _settle(app)
    written: list[Path] = []
    try:
        for key in window.page_keys():
            try:
                window.show_page(key)
                window.page(key).refresh()
                if wait := getattr(window.page(key), "wait_idle", None):
                    wait()  # a page that computes in the background (统计年报)
                _settle(app)
                path = out_dir / f"page_{key}.png"
                _save(window.grab(), path)
                written.append(path)
            except BranchDeskError:
                raise  # the folder cannot be written: every other shot would fail the same way
            except Exception:  # noqa: BLE001 - one broken page must not hide the others
                print(f"截图失败：页面 {key}", file=sys.stderr)
                traceback.print_exc()
        for stem, spec in DIALOG_SHOTS:
            try:
                dialog = _resolve(spec)(ctx, window)
                dialog.show()
                _settle(app)
                path = out_dir / f"dialog_{stem}.png"
                _save(dialog.grab(), path)
                written.append(path)
                dialog.close()
                dialog.deleteLater()
                _settle(app)
            except BranchDeskError:
                raise
            except Exception:  # noqa: BLE001
                print(f"截图失败：对话框 {stem}（{spec}）", file=sys.stderr)
                traceback.print_exc()
    finally:
        from desktop.tasks import wait_for_running

        wait_for_running()  # a QThread destroyed while running aborts the process at exit
        window.close()
        window.deleteLater()
        _settle(app)
    return written


def _save(picture: Any, path: Path) -> None:
    """Save a grabbed picture as PNG; a folder that cannot be written (a full disk, a read-only stick) is one
    Chinese message, not a traceback per shot."""
    if picture.save(str(path)):
        return
    path.unlink(missing_ok=True)  # a cut-off PNG is not left behind
    if shutil.disk_usage(path.parent).free < 1 << 20:
        raise DiskFull(disk_full_message(path.parent))
    raise BranchDeskError(f"无法写入截图「{path}」。请检查文件夹是否可写。")


# --- the roster's dialogs ---------------------------------------------------------------------------------


def _some_member(ctx: AppContext, *, active: bool = True) -> Member | None:
    from db import members as members_db

    members = members_db.list_members(ctx.db, status="active" if active else None)
    return members[0] if members else None


def member_dialog_shot(ctx: AppContext, parent: QWidget) -> QWidget:
    """The member form on the first member (history tab filled), or an empty form."""
    from desktop.dialogs.member_dialog import MemberDialog

    return MemberDialog(ctx, _some_member(ctx), parent)


def member_dialog_invalid_shot(ctx: AppContext, parent: QWidget) -> QWidget:
    """The member form with a wrong check digit and a bad mobile: messages beside the fields, 保存 disabled."""
    from desktop.dialogs.member_dialog import MemberDialog

    dialog = MemberDialog(ctx, None, parent)
    dialog.name.setText("张三")
    dialog.citizen_id.setText("110105199003071235")  # the check digit should be 9
    dialog.mobile.setText("1381234567")
    return dialog


def member_history_shot(ctx: AppContext, parent: QWidget) -> QWidget:
    """The 历史记录 tab of the member form (on an archived member when there is one: more history)."""
    from db import members as members_db
    from desktop.dialogs.member_dialog import MemberDialog

    archived = [m for m in members_db.list_members(ctx.db, status=None) if m.status != "active"]
    dialog = MemberDialog(ctx, archived[0] if archived else _some_member(ctx), parent)
    dialog.tabs.setCurrentIndex(1)
    return dialog


def member_dialog_new_shot(ctx: AppContext, parent: QWidget) -> QWidget:
    from desktop.dialogs.member_dialog import MemberDialog

    return MemberDialog(ctx, None, parent)


def archive_dialog_shot(ctx: AppContext, parent: QWidget) -> QWidget:
    from db.records import Member
    from desktop.dialogs.archive_dialog import ArchiveDialog

    member = _some_member(ctx)
    if member is None:  # an empty database: a made-up member, never saved
        member = Member(
            0,
            "",
            "张三",
            "zs",
            "male",
            "汉族",
            None,
            None,
            "",
            "",
            "full",
            None,
            None,
            "",
            "",
            "",
            None,
            "",
            "",
            "",
            "normal",
            False,
            None,
            "",
            False,
            "",
            None,
            "",
            "",
            "active",
            None,
            "",
            "",
            "",
        )
    dialog = ArchiveDialog(ctx, member, parent)
    dialog.reason.setText("组织关系转至集团公司机关第二党支部")
    return dialog


# --- the yearly statistics' tables beyond the first --------------------------------------------------------


def _statistics_table_shot(ctx: AppContext, parent: QWidget, number: str, column: str = "") -> QWidget:
    """The 统计年报 page (last year) in a window of its own, on table ``number``; with ``column``, scrolled to that
    column and showing the people behind its first figure."""
    from desktop.pages.statistics import Page

    dialog = QDialog(parent)
    dialog.setWindowTitle(dialog.tr("统计年报"))
    page = Page(ctx, dialog)
    QVBoxLayout(dialog).addWidget(page)
    dialog.resize(*WINDOW_SIZE)
    page.refresh()
    page.wait_idle()  # the page computes in the background: show the figures, not the busy bar
    titles = [page.tables.item(i).text() for i in range(page.tables.count())]
    page.tables.setCurrentRow(next((i for i, t in enumerate(titles) if t.startswith(f"表{number} ")), 0))
    if column and page.report is not None:
        labels = [c.label for c in page.report.tables[page.tables.currentRow()].table.columns]
        if column in labels:
            ci = labels.index(column)
            page.grid.scrollTo(page.grid.model().index(0, len(labels) - 1))
            page.grid.setCurrentCell(0, ci)
            page.show_people(0, ci)
    return dialog


def statistics_dues_shot(ctx: AppContext, parent: QWidget) -> QWidget:
    """表2补: the dues figures, and 生活不能自理 shown as 未掌握."""
    return _statistics_table_shot(ctx, parent, "2补")


def statistics_lost_shot(ctx: AppContext, parent: QWidget) -> QWidget:
    """表43: the lost members by 失联情形."""
    return _statistics_table_shot(ctx, parent, "43", "失联情形：工作单位改变")
