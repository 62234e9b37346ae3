"""The home page (dashboard): figures equal to the pages they open, navigation with filters, reminders, charts,
and the guided monthly close run end to end on the demo branch with a real exported workbook."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QSettings, QUrl, Slot

from db import (
    compliance,
    demo,
    development,
    dues,
    members,
    monthly_close,
    projects,
    reminders,
    store,
    transfers,
)
from desktop.context import AppContext
from desktop.main_window import MainWindow
from desktop.models.reminders import ReminderModel
from desktop.pages.home import dashboard_tiles

TODAY = date(2026, 11, 15)


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path):  # type: ignore[no-untyped-def]
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    yield


@pytest.fixture(scope="module")
def _demo_file(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    database = store.open(path)
    demo.generate(database, members=40, seed=1, today=TODAY)
    store.close(database)
    return path


@pytest.fixture
def demo_db(_demo_file, tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "branch.sqlite"
    shutil.copy(_demo_file, path)
    database = store.open(path)
    yield database
    store.close(database)


def _window(qtbot, db):  # type: ignore[no-untyped-def]
    window = MainWindow(AppContext(db))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    home = window.page("home")
    # Every page that counts against a day reads the same pinned day as the home page, so a figure clicked on the
    # home page is compared with the page it opens on the same day, whatever the real date.
    for key in ("home", "meetings", "dues"):
        window.page(key).pin_today(TODAY)
    home.refresh()
    return window, home


def _navigations(ctx: AppContext) -> list[tuple[str, dict]]:
    seen: list[tuple[str, dict]] = []
    ctx.navigate_requested.connect(lambda key, filters: seen.append((key, dict(filters))))
    return seen


def test_figures_equal_the_functions_behind_them(qtbot, demo_db) -> None:  # type: ignore[no-untyped-def]
    _, home = _window(qtbot, demo_db)
    t = {tile.key: tile for tile in dashboard_tiles(demo_db, today=TODAY)}
    assert set(home.tiles) == set(t)
    assert (
        t["active"].value == len(members.list_members(demo_db)) == 39
    )  # with the demo pipeline's extended 预备党员, and last year's joiners and leavers (the statistics demo)
    assert t["full"].value == len(members.list_members(demo_db, category="full"))
    assert t["probationary"].value == len(members.list_members(demo_db, category="probationary"))
    assert t["mobile"].value == len(transfers.list_mobile_periods(demo_db, current_only=True))
    assert t["archived"].value == sum(
        1
        for m in members.list_members(demo_db, status=None)
        if m.status != "active" and m.status_on.year == 2026
    )
    month = [
        r
        for r in compliance.compliance(demo_db, period="month", year=2026, number=11, today=TODAY)
        if r.frequency == "month" and r.kind != "heart_talk"
    ]
    assert (t["meetings_month"].value, t["meetings_month"].extra) == (
        sum(r.satisfied for r in month),
        sum(r.required for r in month),
    )
    assert t["meetings_month"].extra > t["meetings_month"].value  # the demo's November is not done yet
    totals = dues.month_totals(demo_db, month=date(2026, 11, 1))
    assert t["dues_amount"].value == totals.paid_fen and t["dues_members"].value == totals.members_paid
    assert t["dues_members"].extra == totals.members_due
    for status in projects.PROJECT_STATUSES:
        assert t[f"project_{status}"].value == len(projects.list_projects(demo_db, status=status))
    assert t["findings_open"].value == len(projects.list_findings(demo_db, status="open"))
    assert t["findings_overdue"].value == len(projects.list_findings(demo_db, overdue_on=TODAY)) > 0
    for stage in development.STAGES:
        assert t[f"stage_{stage}"].value == len(development.list_people(demo_db, stage=stage))
    # the buttons show those figures
    assert home.tile_buttons["full"].text().startswith(f"{t['full'].value}\n")
    assert home.tile_buttons["meetings_month"].text().startswith(f"{t['meetings_month'].value}/")


def test_clicking_a_figure_opens_the_page_filtered(qtbot, demo_db) -> None:  # type: ignore[no-untyped-def]
    window, home = _window(qtbot, demo_db)
    seen = _navigations(window.ctx)
    tiles = home.tiles

    home.tile_buttons["probationary"].click()
    assert seen[-1] == ("members", {"status": "active", "category": "probationary"})
    assert window.current_key() == "members"
    assert len(window.page("members").visible_members()) == tiles["probationary"].value

    home.tile_buttons["archived"].click()
    assert seen[-1] == ("members", {"status": "archived", "left_in_year": 2026})
    roster = window.page("members")
    assert len(roster.visible_members()) == tiles["archived"].value
    assert all(m.status != "active" and m.status_on.year == 2026 for m in roster.visible_members())
    roster.status.setCurrentIndex(roster.status.findData("archived"))  # the user's own choice drops the year
    roster.party_group.setCurrentIndex(0)
    roster.category.setCurrentIndex(1)
    roster.category.setCurrentIndex(0)
    assert len(roster.visible_members()) == sum(
        1 for m in members.list_members(demo_db, status=None) if m.status != "active"
    )

    home.tile_buttons["project_ongoing"].click()
    assert seen[-1] == ("projects", {"tab": "projects", "status": "ongoing"})
    assert len(window.page("projects").visible("projects")) == tiles["project_ongoing"].value

    home.tile_buttons["findings_open"].click()
    assert seen[-1] == ("projects", {"tab": "findings", "status": "open"})
    assert len(window.page("projects").visible("findings")) == tiles["findings_open"].value

    home.tile_buttons["stage_activist"].click()
    assert seen[-1] == ("development", {"stage": "activist"})
    assert len(window.page("development").visible_people()) == tiles["stage_activist"].value

    home.tile_buttons["mobile"].click()
    assert seen[-1] == ("transfers", {"view": "mobile"})
    assert window.page("transfers").mobile_proxy.rowCount() == tiles["mobile"].value

    home.tile_buttons["dues_amount"].click()
    assert seen[-1] == ("dues", {"month": "2026-11", "tab": "ledger"})
    assert window.current_key() == "dues"

    home.tile_buttons["meetings_quarter"].click()
    assert seen[-1] == (
        "meetings",
        {"tab": "compliance", "period": "quarter", "period_year": 2026, "period_number": 4},
    )
    meetings_page = window.page("meetings")
    assert window.current_key() == "meetings" and meetings_page.tabs.currentIndex() == 1
    assert (
        meetings_page.period.currentData(),
        meetings_page.c_year.value(),
        meetings_page.c_number.value(),
    ) == ("quarter", 2026, 4)
    shown = [
        r
        for r in meetings_page.compliance_model.rows()
        if r.frequency in ("month", "quarter") and r.kind != "heart_talk"
    ]
    assert (sum(r.satisfied for r in shown), sum(r.required for r in shown)) == (
        tiles["meetings_quarter"].value,
        tiles["meetings_quarter"].extra,
    )


def test_reminders_list_and_click(qtbot, demo_db) -> None:  # type: ignore[no-untyped-def]
    window, home = _window(qtbot, demo_db)
    expected = [r for r in reminders.gather(demo_db, today=TODAY) if r.kind != "branch_size"]
    view = home.reminders_view
    shown = [view.model().index(row, 0).data(0x0101) for row in range(view.model().rowCount())]
    assert shown == expected  # urgent first, then oldest first
    assert shown[0].severity == "urgent" and "紧急 " in home.reminders_label.text()
    seen = _navigations(home.ctx)
    target = next(row for row, r in enumerate(shown) if r.kind == "finding_overdue")
    index = view.model().index(target, 1)
    view.clicked.emit(index)
    assert seen[-1] == ("projects", dict(shown[target].filters))
    assert window.current_key() == "projects"
    assert window.page("projects").current_finding().uuid == shown[target].filters["uuid"]


def test_reminder_model(qtmodeltester, demo_db) -> None:  # type: ignore[no-untyped-def]
    model = ReminderModel()
    model.set_reminders(reminders.gather(demo_db, today=TODAY))
    qtmodeltester.check(model)
    assert model.headerData(1, __import__("PySide6.QtCore").QtCore.Qt.Orientation.Horizontal) == "事项"


def test_charts_have_twelve_months(qtbot, demo_db) -> None:  # type: ignore[no-untyped-def]
    _, home = _window(qtbot, demo_db)
    meetings = home.charts["meetings"]
    assert (
        len(meetings.categories) == 12
        and meetings.categories[-1] == "11月"
        and meetings.categories[0] == "12月"
    )
    required, held = meetings.series
    november = [
        r
        for r in compliance.compliance(demo_db, period="month", year=2026, number=11, today=TODAY)
        if r.frequency == "month" and r.kind != "heart_talk"
    ]
    assert (required.values[-1], held.values[-1]) == (
        sum(r.required for r in november),
        sum(r.satisfied for r in november),
    )
    rates = home.charts["dues"].series[0].values
    t = dues.month_totals(demo_db, month=date(2026, 10, 1))
    assert rates[-2] == pytest.approx(100 * t.members_paid / t.members_due)
    assert sum(home.charts["projects"].series[0].values) == len(projects.list_projects(demo_db))
    assert not home.charts["projects"].grab().isNull()


class _UrlCatcher(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


def test_monthly_close_end_to_end(qtbot, demo_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook
    from PySide6.QtGui import QDesktopServices

    _, home = _window(qtbot, demo_db)
    dialog = home.open_monthly_close()
    assert dialog.isVisible() and dialog.month() == "2026-10"  # the month just ended
    dialog.folder_edit.setText(str(tmp_path / "out"))
    dialog.set_month("2026-11")  # November: its theme day is not recorded
    assert dialog.month() == "2026-11"
    assert not dialog.meetings_ok()
    assert dialog.findChild(type(dialog.status), "mark_meetings").text() == "✗"
    assert "主题党日" in dialog.findChild(type(dialog.status), "check_meetings").text()
    assert not dialog.submit_button.isEnabled() and dialog.submit() is None
    dialog.override.setChecked(True)
    assert not dialog.submit_button.isEnabled()  # a reason is required
    dialog.reason.setText("主题党日改期至 11 月 20 日")
    assert dialog.submit_button.isEnabled()

    task = dialog.submit()
    with qtbot.waitSignal(dialog.submitted, timeout=20000) as blocker:
        pass
    submission = blocker.args[0]
    assert task is not None and not task.is_running()
    path = Path(dialog.result_path)
    assert path.is_file() and path.parent == tmp_path / "out" and "2026-11" in path.name
    assert "说明" in load_workbook(path, read_only=True).sheetnames
    assert submission.override_reason == "主题党日改期至 11 月 20 日" and not submission.resubmission
    assert submission.sha256 == monthly_close.file_sha256(path)
    assert str(path) in dialog.status.text() and dialog.open_folder_button.isVisible()
    assert "已报送 1 次" in dialog.history_label.text()

    catcher = _UrlCatcher()
    QDesktopServices.setUrlHandler("file", catcher, "open")
    try:
        assert dialog.open_folder()
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert Path(catcher.urls[0].toLocalFile()) == path.parent

    # exporting the submitted month again is allowed and recorded
    dialog.submit()
    with qtbot.waitSignal(dialog.submitted, timeout=20000) as again:
        pass
    assert again.args[0].resubmission
    assert len(monthly_close.list_submissions(demo_db, month="2026-11")) == 2
    dialog.close()


def test_close_dialog_sends_to_the_page_that_fixes_a_check(qtbot, demo_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QPushButton

    _, home = _window(qtbot, demo_db)
    dialog = home.open_monthly_close()
    seen = _navigations(home.ctx)
    go = [b for b in dialog.checks_frame.findChildren(QPushButton) if b.text() == "去处理"]
    assert go  # October's dues ledger is not closed in the demo
    go[0].click()
    assert seen and seen[-1][0] == "dues" and seen[-1][1]["month"] == "2026-10"
    assert not dialog.isVisible()


def test_changes_elsewhere_show_when_home_is_shown_again(qtbot, demo_db) -> None:  # type: ignore[no-untyped-def]
    window, home = _window(qtbot, demo_db)
    before = home.tiles["probationary"].value
    home.tile_buttons["probationary"].click()  # home is hidden now
    members.add_member(
        demo_db, values={"name": "新预备", "category": "probationary", "joined_on": "2026-11-01"}
    )
    home.ctx.notify("members")
    assert home.tiles["probationary"].value == before  # not recomputed while hidden
    window.nav.setCurrentRow(0)
    assert window.current_key() == "home"
    assert home.tiles["probationary"].value == before + 1
    assert home.tile_buttons["probationary"].text().startswith(f"{before + 1}\n")


def test_close_export_failure_marks_nothing(qtbot, demo_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from desktop.dialogs.monthly_close import MonthlyCloseDialog

    blocker_file = tmp_path / "not_a_folder"
    blocker_file.write_text("x")
    dialog = MonthlyCloseDialog(AppContext(demo_db), None, today=TODAY, month="2026-10", folder=blocker_file)
    qtbot.addWidget(dialog)
    dialog.open()
    assert dialog.meetings_ok()
    # October's dues are open in the demo: since issue 16 any ✗ needs the override and its reason
    dialog.override.setChecked(True)
    dialog.reason.setText("下月补交")
    assert dialog.submit_button.isEnabled()
    task = dialog.submit()
    with qtbot.waitSignal(task.failed, timeout=20000):
        pass
    assert "失败" in dialog.status.text() or "无法" in dialog.status.text()
    assert monthly_close.list_submissions(demo_db) == [] and dialog.result_path is None
    assert dialog.submit_button.isEnabled()  # the secretary can choose another folder and retry
