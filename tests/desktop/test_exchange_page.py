"""报送与导入 page: export, preview of a real HQ-edited file with a conflict decided in the table, apply, undo,
consolidation — all through the background tasks, on real files."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtCore import QDate, Qt

from db import members
from db.workbook import merge, sample
from desktop.context import AppContext
from desktop.pages.exchange import Page, PreviewModel

NEW_CID = "140202198005060119"


def _wait(qtbot, task) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(task.finished, timeout=20000):
        pass


def _page(qtbot, db) -> Page:  # type: ignore[no-untyped-def]
    page = Page(AppContext(db))
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    return page


def _hq_edit(src: Path, dest: Path, edits: dict[str, dict[str, object]]) -> Path:
    wb = load_workbook(src)
    ws = wb["党员名册"]
    headers = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        uuid = row[headers.index("编号(勿改)")].value
        for header, value in edits.get(uuid, {}).items():
            row[headers.index(header)].value = value
    ws.append([None, "新来的", None, NEW_CID, None, None, None, None, "正式党员"])
    ws.append([None, "号码坏了", None, 1.10105e17, None, None, None, None, "正式党员"])
    wb.save(dest)
    return dest


def test_export_preview_decide_apply_undo(qtbot, db, tmp_path: Path) -> None:
    sample.fill_roster(db, members=6, seed=7)
    page = _page(qtbot, db)
    page.month_edit.setDate(QDate(2026, 5, 1))
    out = tmp_path / "月报.xlsx"
    _wait(qtbot, page.export_to(out))
    assert out.exists() and "党员名册 6 行" in page.export_status.text()

    a, b = members.list_members(db)[:2]
    members.update_member(db, uuid=a.uuid, changes={"mobile": "13511112222"})  # the branch edits a phone
    hq = _hq_edit(
        out, tmp_path / "hq.xlsx", {a.uuid: {"手机号": "13633334444"}, b.uuid: {"工作岗位": "安全员"}}
    )
    _wait(qtbot, page.preview_file(hq))
    assert page.preview is not None
    assert page.preview.counts == {"new": 1, "changed": 1, "unchanged": 4, "conflict": 1, "invalid": 1}
    assert "冲突 1" in page.counts_label.text() and page.apply_button.isEnabled()

    model = page.model
    statuses = [model.data(model.index(r, 1)) for r in range(model.rowCount())]
    assert statuses.count("冲突") == 1 and statuses.count("无效") == 1
    conflict_row = statuses.index("冲突")
    text = model.data(model.index(conflict_row, 3))
    assert "支部 13511112222" in text and "上级 13633334444" in text
    invalid_row = statuses.index("无效")
    assert "D列（公民身份号码）" in model.data(model.index(invalid_row, 5))
    changed_row = statuses.index("修改")
    assert "工作岗位：" in model.data(model.index(changed_row, 3)) and "→ 安全员" in model.data(
        model.index(changed_row, 3)
    )

    # the filter shows only conflicts
    page.filter_combo.setCurrentIndex(page.filter_combo.findData("conflict"))
    assert page.proxy.rowCount() == 1
    page.filter_combo.setCurrentIndex(0)

    # decide the conflict for HQ's value by ticking the box in the table
    take = model.index(conflict_row, PreviewModel.COL_TAKE)
    assert model.flags(take) & Qt.ItemFlag.ItemIsUserCheckable
    assert model.setData(take, Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    assert page.model.decisions() == {a.uuid: {"mobile": "file"}}

    page.grab().save(str(tmp_path / "exchange-preview.png"))
    changed: list[str] = []
    page.ctx.changed.connect(changed.append)
    _wait(qtbot, page.apply_preview())
    assert "members" in changed
    assert members.get_member(db, uuid=a.uuid).mobile == "13633334444"
    assert members.get_member(db, uuid=b.uuid).job == "安全员"
    assert members.find_by_citizen_id(db, citizen_id=NEW_CID) is not None
    assert page.undo_button.isEnabled() and "已导入" in page.import_status.text()
    assert not page.apply_button.isEnabled()

    page.grab().save(str(tmp_path / "exchange.png"))

    _wait(qtbot, page.undo_last())
    assert members.get_member(db, uuid=a.uuid).mobile == "13511112222"
    assert members.get_member(db, uuid=b.uuid).job == b.job
    assert members.find_by_citizen_id(db, citizen_id=NEW_CID) is None
    assert not page.undo_button.isEnabled()
    assert merge.list_batches(db)[0].status == "undone"


def test_refused_file_is_reported_on_the_page(qtbot, db, tmp_path: Path) -> None:
    page = _page(qtbot, db)
    bad = tmp_path / "bad.xlsx"
    bad.write_text("hello", encoding="utf-8")
    task = page.preview_file(bad)
    with qtbot.waitSignal(task.failed, timeout=20000):
        pass
    assert "不是 Excel 工作簿" in page.counts_label.text()
    assert not page.apply_button.isEnabled()


def test_consolidation_section(qtbot, db, tmp_path: Path) -> None:
    sample.fill_roster(db, members=4, seed=8)
    page = _page(qtbot, db)
    page.month_edit.setDate(QDate(2026, 5, 1))
    _wait(qtbot, page.export_to(tmp_path / "a.xlsx"))
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"junk")
    _wait(qtbot, page.consolidate_files([tmp_path / "a.xlsx", junk], tmp_path / "sum.xlsx"))
    assert (tmp_path / "sum.xlsx").exists()
    assert "已汇总 1 个支部" in page.consolidate_status.text()
    assert "junk.xlsx" in page.consolidate_problems.toPlainText()


def test_preview_model(qtmodeltester, db, tmp_path: Path) -> None:
    from db.workbook import export

    sample.fill_roster(db, members=3, seed=9)
    export.export_monthly(db, month="2026-05", path=tmp_path / "a.xlsx")
    m = members.list_members(db)[0]
    hq = _hq_edit(tmp_path / "a.xlsx", tmp_path / "hq.xlsx", {m.uuid: {"工作岗位": "班长"}})
    model = PreviewModel()
    model.set_preview(merge.preview_import(db, path=hq))
    qtmodeltester.check(model)
    assert model.rowCount() == 5


def test_password_typed_on_the_page_encrypts_the_export_and_opens_it_again(qtbot, db, tmp_path: Path) -> None:
    sample.fill_roster(db, members=15, seed=4)
    page = _page(qtbot, db)
    page.month_edit.setDate(QDate(2026, 10, 1))
    qtbot.keyClicks(page.password_edit, "hq-2026-secret")
    out = tmp_path / "2026-10.xlsx"
    _wait(qtbot, page.export_to(out))
    assert out.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"  # encrypted
    _wait(qtbot, page.preview_file(out))
    assert page.preview is not None and page.preview.counts["unchanged"] == 15
    page.password_edit.clear()
    task = page.preview_file(out)
    with qtbot.waitSignal(task.failed, timeout=20000) as blocker:
        pass
    assert "密码" in str(blocker.args[0])


def test_the_page_export_says_plainly_it_is_not_a_submission(qtbot, db, tmp_path: Path) -> None:
    from db import monthly_close

    sample.fill_roster(db, members=3, seed=7)
    page = _page(qtbot, db)
    assert page.not_submission.isVisible()
    assert "不记为已报送" in page.not_submission.text() and "月度报送" in page.not_submission.text()
    page.month_edit.setDate(QDate(2026, 5, 1))
    _wait(qtbot, page.export_to(tmp_path / "月报.xlsx"))
    assert "未记为已报送" in page.export_status.text()
    assert monthly_close.list_submissions(db) == []
