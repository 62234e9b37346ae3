"""报送与导入 page with workbooks as offices send them (issue 15): the sheet to read is asked for, footer rows and
notes are shown, problem rows are saved for HQ, and after 应用 the page still shows what was applied and skipped."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from db.workbook import merge
from desktop.context import AppContext
from desktop.pages.exchange import Page

CID_A = "140202198005060119"
CID_B = "140202199001020034"


def _wait(qtbot, task, signal: str = "finished") -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(getattr(task, signal), timeout=20000):
        pass


def _roster(path: Path, *, second_sheet: bool = False) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "名册"
    ws.append(["第一党支部党员名册"])
    ws.append(["姓名", "公民身份号码", "人员类别", "党小组"])
    ws.append(["王建国", CID_A, "正式党员", "一组"])
    ws.append(["李红", "123", "正式党员", "一组"])
    ws.append(["合计", "2 人"])
    if second_sheet:
        other = wb.create_sheet("名册(旧)")
        other.append(["姓名", "公民身份号码", "人员类别"])
        other.append(["赵强", CID_B, "正式党员"])
    wb.save(path)
    return path


def test_sheet_choice_notes_error_file_and_what_was_skipped(qtbot, db, tmp_path: Path) -> None:
    page = Page(AppContext(db))  # not shown: the sheet question is answered by calling preview_file again
    qtbot.addWidget(page)
    path = _roster(tmp_path / "hq.xlsx", second_sheet=True)
    _wait(qtbot, page.preview_file(path), "failed")
    assert page.sheet_choices == ["名册", "名册(旧)"] and "多个工作表" in page.counts_label.text()

    _wait(qtbot, page.preview_file(path, sheet="名册"))
    assert page.preview is not None and "工作表「名册」" in page.counts_label.text()
    assert "第 5 行" in page.ignored_label.text() and "合计" in page.ignored_label.text()
    assert page.errors_button.isEnabled()
    saved = page.save_errors(tmp_path / "问题.xlsx")
    assert saved is not None
    rows = CalamineWorkbook.from_path(str(saved)).get_sheet_by_name("问题行").to_python()
    assert [r[0] for r in rows[2:]] == [4, 5] and rows[2][1] == "李红"

    _wait(qtbot, page.apply_preview())
    text = page.import_status.text()
    assert "写入 1 行" in text and "无效 1 行" in text and "非党员行 1 行" in text
    assert page.model.rowCount() == 2  # the table still shows the file's rows and their problems
    assert not page.apply_button.isEnabled()
    assert merge.list_batches(db)[0].counts["applied"] == 1
