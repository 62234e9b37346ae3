"""The 项目与整改 page and its dialogs, driven with qtbot: models checked with qtmodeltester; a project created
with participants and moved to ongoing and done; a finding refused closure without rectification, then rectified,
closed and reopened; bad input shown beside the field; export to .xlsx and PDF."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt

from db import members, projects
from desktop.context import AppContext
from tests.db._project_branch import TODAY, add_people, project


@pytest.fixture
def ctx(db):  # type: ignore[no-untyped-def]
    return AppContext(db)


@pytest.fixture
def page(qtbot, ctx):  # type: ignore[no-untyped-def]
    from desktop.pages.projects import Page

    widget = Page(ctx, today=TODAY)
    qtbot.addWidget(widget)
    return widget


def _q(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _type(widget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type text as the user would (QTest.keyClicks cannot send Chinese characters)."""
    widget.setFocus()
    if hasattr(widget, "insertPlainText"):
        widget.insertPlainText(text)
    else:
        widget.insert(text)


def _close(qtbot, dialog) -> None:  # type: ignore[no-untyped-def]
    if dialog is not None and dialog.isVisible():
        dialog.reject()


def test_models(qtmodeltester, db) -> None:  # type: ignore[no-untyped-def]
    from desktop.models.projects import RECORD_ROLE, FindingsModel, ProjectsModel

    p = add_people(db)
    a = project(
        db,
        p,
        title="快速移架",
        leader="张一",
        participants=["李二"],
        start_on=date(2025, 1, 1),
        due_on=date(2025, 3, 1),
        benefit_fen=123450,
    )
    project(db, p, title="责任区", kind="responsibility_area", leader="王三", start_on=date(2025, 2, 1))
    projects.add_finding(
        db,
        values={
            "found_on": date(2025, 3, 1),
            "source": "检查",
            "problem": "问题",
            "deadline": date(2025, 3, 31),
        },
        today=TODAY,
    )
    model = ProjectsModel(today=TODAY)
    model.set_rows(projects.list_projects(db))
    qtmodeltester.check(model)
    row = model.row_of(a.uuid)
    assert model.index(row, 0).data() == "快速移架"
    assert model.index(row, 4).data() == "2"  # leader + one participant
    assert model.index(row, 10).data() == "1234.50"
    assert model.index(row, 0).data(RECORD_ROLE).uuid == a.uuid
    assert model.index(row, 0).data(Qt.ItemDataRole.ForegroundRole) is not None  # overdue: red
    findings = FindingsModel(today=TODAY)
    findings.set_rows(projects.list_findings(db))
    qtmodeltester.check(findings)
    assert findings.index(0, 5).data() == "待整改"
    empty = ProjectsModel()
    qtmodeltester.check(empty)


def test_create_project_with_participants_and_move_it_to_done(qtbot, page, db) -> None:  # type: ignore[no-untyped-def]
    p = add_people(db)
    page.refresh()
    page.new_project()
    dlg = page.dialog
    _type(dlg.title, "综采快速移架工艺改进")
    dlg.kind.setCurrentIndex(dlg.kind.findData("secretary_project"))
    dlg.category.setCurrentIndex(dlg.category.findData("technical"))
    dlg.leader.setCurrentIndex(dlg.leader.findData(p["张一"]))
    dlg.participants.set_checked(p["李二"])
    dlg.participants.set_checked(p["王三"])
    dlg.start_on.setDate(QDate(2025, 3, 1))
    dlg.due_on.check.setChecked(True)
    dlg.due_on.edit.setDate(QDate(2025, 2, 1))
    # Due before start: the reason shows under the field and 保存 is disabled.
    assert not dlg.save_button.isEnabled()
    assert "不能早于开始日期" in dlg.fields["due_on"].reason.text()
    dlg.due_on.edit.setDate(QDate(2025, 10, 31))
    assert dlg.save_button.isEnabled() and not dlg.fields["due_on"].reason.isVisibleTo(dlg)
    _type(dlg.goal, "单产提高10%")
    _type(dlg.benefit, "abc")
    assert not dlg.save_button.isEnabled() and "金额" in dlg.fields["benefit_fen"].reason.text()
    dlg.benefit.setText("12000")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    [saved] = projects.list_projects(db)
    assert saved.title == "综采快速移架工艺改进" and saved.kind == "secretary_project"
    assert {x.name for x in saved.participants} == {"李二", "王三"} and saved.benefit_fen == 1_200_000
    assert page.current_project().uuid == saved.uuid
    assert "立项 1" in page.project_counts.text()

    page.open_project()
    dlg = page.dialog
    assert dlg.tabs.isTabEnabled(1)
    assert not dlg.move_buttons["done"].isEnabled()
    dlg.move_date.setDate(QDate(2025, 3, 5))
    qtbot.mouseClick(dlg.move_buttons["ongoing"], Qt.MouseButton.LeftButton)
    assert projects.get_project(db, uuid=saved.uuid).status == "ongoing"
    assert dlg.move_buttons["done"].isEnabled() and not dlg.move_buttons["ongoing"].isEnabled()
    dlg.progress_date.setDate(QDate(2025, 6, 1))
    _type(dlg.progress_note, "完成现场调研")
    qtbot.mouseClick(dlg.add_progress_button, Qt.MouseButton.LeftButton)
    assert dlg.progress_table.rowCount() == 1 and dlg.progress_table.item(0, 1).text() == "完成现场调研"
    dlg.move_date.setDate(QDate(2025, 3, 1))  # before the last change: refused, the reason is shown
    qtbot.mouseClick(dlg.move_buttons["done"], Qt.MouseButton.LeftButton)
    assert "不能早于上次状态变更日期" in dlg.action_error.text()
    dlg.move_date.setDate(QDate(2025, 10, 20))
    qtbot.mouseClick(dlg.move_buttons["done"], Qt.MouseButton.LeftButton)
    done = projects.get_project(db, uuid=saved.uuid)
    assert done.status == "done" and done.status_on == date(2025, 10, 20)
    assert dlg.action_error.text() == "" and "已完成" in dlg.status_label.text()
    assert "已完成 1" in page.project_counts.text()  # the page refreshed through ctx.notify
    _close(qtbot, dlg)


def test_participant_archived_before_start_is_shown(qtbot, page, db) -> None:  # type: ignore[no-untyped-def]
    from desktop.dialogs.project_dialog import ProjectDialog

    p = add_people(db)
    pr = project(db, p, leader="张一", participants=["周七"], start_on=date(2025, 2, 1))
    members.archive_member(
        db, uuid=p["周七"], status="transferred_out", on=date(2025, 3, 1), reason="调往他矿"
    )
    dlg = ProjectDialog(page.ctx, projects.get_project(db, uuid=pr.uuid), page, today=TODAY)
    qtbot.addWidget(dlg)
    assert dlg.save_button.isEnabled()
    dlg.start_on.setDate(QDate(2025, 4, 1))
    assert not dlg.save_button.isEnabled()
    assert "周七已于2025-03-01已转出" in dlg.fields["participants"].reason.text()
    assert dlg.save() is False
    assert projects.get_project(db, uuid=pr.uuid).start_on == date(2025, 2, 1)


def test_finding_close_refused_without_rectification_then_closed(qtbot, page, db) -> None:  # type: ignore[no-untyped-def]
    p = add_people(db)
    page.tabs.setCurrentIndex(1)
    page.new_record()  # Ctrl+N on the 检查整改 tab opens the finding form
    dlg = page.dialog
    assert type(dlg).__name__ == "FindingDialog"
    dlg.found_on.setDate(QDate(2025, 3, 1))
    dlg.deadline.setDate(QDate(2025, 2, 1))
    _type(dlg.source, "上级党委季度检查")
    _type(dlg.problem, "党小组会记录不全")
    assert (
        not dlg.save_button.isEnabled() and "整改时限不能早于发现日期" in dlg.fields["deadline"].reason.text()
    )
    dlg.deadline.setDate(QDate(2025, 3, 31))
    dlg.owner.setCurrentIndex(dlg.owner.findData(p["王三"]))
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    [f] = projects.list_findings(db)
    assert f.status == "open" and f.owner.name == "王三"
    assert page.current_finding().uuid == f.uuid

    page.open_finding()
    dlg = page.dialog
    dlg.closed_on.setDate(QDate(2025, 3, 25))
    qtbot.mouseClick(dlg.close_button, Qt.MouseButton.LeftButton)  # no rectification date: refused
    assert "未填写整改完成日期，不能销号" in dlg.action_error.text()
    assert projects.get_finding(db, uuid=f.uuid).status == "open"
    dlg.rectified_on.check.setChecked(True)
    dlg.rectified_on.edit.setDate(QDate(2026, 1, 5))  # after "today" (2025-12-31): refused
    qtbot.mouseClick(dlg.rectify_button, Qt.MouseButton.LeftButton)
    assert "不能晚于今天" in dlg.action_error.text()
    dlg.rectified_on.edit.setDate(QDate(2025, 3, 20))
    _type(dlg.evidence, "记录已补齐")
    qtbot.mouseClick(dlg.rectify_button, Qt.MouseButton.LeftButton)
    assert projects.get_finding(db, uuid=f.uuid).status == "rectified"
    qtbot.mouseClick(dlg.close_button, Qt.MouseButton.LeftButton)
    closed = projects.get_finding(db, uuid=f.uuid)
    assert (closed.status, closed.rectified_on, closed.closed_on) == (
        "closed",
        date(2025, 3, 20),
        date(2025, 3, 25),
    )
    assert "已销号" in dlg.state_label.text() and dlg.reopen_button.isEnabled()
    qtbot.mouseClick(dlg.reopen_button, Qt.MouseButton.LeftButton)
    assert "重新打开请填写原因" in dlg.action_error.text()
    _type(dlg.reason, "复查发现反弹")
    qtbot.mouseClick(dlg.reopen_button, Qt.MouseButton.LeftButton)
    assert projects.get_finding(db, uuid=f.uuid).status == "open"
    assert "重新打开：复查发现反弹" in dlg.state_label.text()
    assert "待整改 1（逾期 1）" in page.finding_counts.text()
    _close(qtbot, dlg)


def test_filters_figures_export_and_pdf(qtbot, page, db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    p = add_people(db)
    a = project(db, p, title="快速移架", leader="张一", participants=["李二"], start_on=date(2025, 1, 1))
    project(
        db,
        p,
        title="运输巷责任区",
        kind="responsibility_area",
        category="operations",
        leader="王三",
        start_on=date(2025, 2, 1),
    )
    f = projects.add_finding(
        db,
        values={
            "found_on": date(2025, 3, 1),
            "source": "季度检查",
            "problem": "=记录不全",
            "deadline": date(2025, 3, 31),
        },
        today=TODAY,
    )
    page.refresh()
    assert page.projects_proxy.rowCount() == 2
    page.kind.setCurrentIndex(page.kind.findData("responsibility_area"))
    assert [x.title for x in page.visible("projects")] == ["运输巷责任区"]
    page.kind.setCurrentIndex(0)
    page.member.setCurrentIndex(page.member.findData(p["李二"]))
    assert [x.title for x in page.visible("projects")] == ["快速移架"]
    page.member.setCurrentIndex(0)
    _type(page.project_search, "运输")
    assert page.projects_proxy.rowCount() == 1
    page.project_search.clear()
    # Figures for 2025 (page period: 2025-01-01 … today 2025-12-31): 2 started; 张一 李二 王三 take part, of the
    # 7 on the roster at the end (孙六 joined in September, still within the period).
    assert "2 个" in page.figures_labels[0].text()
    assert "3 / 7 人" in page.figures_labels[3].text()

    page.apply_filters({"tab": "findings", "uuid": f.uuid})
    assert page.tabs.currentIndex() == 1 and page.current_finding().uuid == f.uuid
    page.finding_status.setCurrentIndex(page.finding_status.findData("overdue"))
    assert page.findings_proxy.rowCount() == 1

    from openpyxl import load_workbook

    task = page.export_xlsx("findings", tmp_path / "f.xlsx")
    with qtbot.waitSignal(task.finished, timeout=10000):
        pass
    wb = load_workbook(tmp_path / "f.xlsx")
    assert wb["检查整改"]["C2"].value == "'=记录不全" and wb["统计"]["A1"].value == "统计期间"
    task = page.export_xlsx("projects", tmp_path / "p.xlsx")
    with qtbot.waitSignal(task.finished, timeout=10000):
        pass
    assert {c.value for c in load_workbook(tmp_path / "p.xlsx")["项目台账"]["A"]} >= {
        "快速移架",
        "运输巷责任区",
    }

    page.write_pdf("projects", tmp_path / "p.pdf")
    if shutil.which("pdftotext"):
        raw = subprocess.run(
            ["pdftotext", "-layout", str(tmp_path / "p.pdf"), "-"], capture_output=True, text=True, check=True
        ).stdout
        # pdftotext gives some CJK characters as radicals (⽬ for 目): NFKC folds most of them back.
        text = (
            unicodedata.normalize("NFKC", raw).replace(" ", "").replace("⻚", "页")
        )  # ⻚: a radical NFKC keeps
        assert "项目台账" in text and "快速移架" in text and "运输巷责任区" in text and "第1页/共1页" in text
        assert "党员参与率" in text
    page.write_pdf("findings", tmp_path / "f.pdf")
    assert (tmp_path / "f.pdf").stat().st_size > 1000
    assert a.uuid  # keep a referenced


def test_print_preview_opens(qtbot, page, db) -> None:  # type: ignore[no-untyped-def]
    p = add_people(db)
    project(db, p, title="快速移架", leader="张一", start_on=date(2025, 1, 1))
    page.refresh()
    page.print_preview()
    dialog = page.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.reject()


def test_screenshot_dialogs(qtbot, page, db) -> None:  # type: ignore[no-untyped-def]
    from desktop.dialogs import finding_dialog, project_dialog

    empty = project_dialog.screenshot_dialog(page.ctx, page)  # an empty database: an empty form
    qtbot.addWidget(empty)
    assert empty.project is None and not empty.tabs.isTabEnabled(1)
    p = add_people(db)
    pr = project(db, p, title="快速移架", leader="张一", participants=["李二"], start_on=date(2025, 1, 1))
    projects.add_progress(db, project_uuid=pr.uuid, on=date(2025, 2, 1), note="调研", today=TODAY)
    f = projects.add_finding(
        db,
        values={
            "found_on": date(2025, 3, 1),
            "source": "检查",
            "problem": "问题",
            "deadline": date(2025, 3, 31),
        },
        today=TODAY,
    )
    progress = project_dialog.screenshot_progress_dialog(page.ctx, page)
    qtbot.addWidget(progress)
    assert progress.tabs.currentIndex() == 1 and progress.progress_table.rowCount() == 1
    shot = finding_dialog.screenshot_dialog(page.ctx, page)
    qtbot.addWidget(shot)
    assert "不能销号" in shot.action_error.text()
    assert projects.get_finding(db, uuid=f.uuid).status == "open"  # the refused close wrote nothing
