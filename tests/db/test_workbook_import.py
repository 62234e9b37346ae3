"""Roster import from HQ: round trip, HQ-made workbooks, conflicts, blanks, undo, and hostile files refused."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from python_calamine import CalamineWorkbook

from db import branch, members, store
from db.errors import ValidationError
from db.rules import make_citizen_id
from db.workbook import export, merge, sample
from db.workbook.read import WorkbookRefused

CID_A = make_citizen_id("140202", date(1980, 5, 6), 11)
CID_B = make_citizen_id("140202", date(1985, 8, 9), 22)
CID_C = make_citizen_id("140203", date(1990, 1, 2), 33)


def values(path: Path, name: str) -> list[list[object]]:
    book = CalamineWorkbook.from_path(str(path))
    try:
        return book.get_sheet_by_name(name).to_python()
    finally:
        book.close()


def hq_workbook(
    path: Path,
    header: list[str],
    rows: list[list[object]],
    *,
    title: bool = True,
    text_cols: tuple[int, ...] = (),
) -> Path:
    """A workbook as HQ makes them: a title row and a blank row above the header, openpyxl-written."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    if title:
        ws.append(["某某煤矿党委 党员花名册（2026年3月）"])
        ws.append([])
    ws.append(header)
    for row in rows:
        ws.append(row)
    for col in text_cols:
        for cells in ws.iter_rows(min_col=col, max_col=col):
            for c in cells:
                c.number_format = "@"
    wb.save(path)
    return path


def state(db) -> tuple[object, ...]:  # type: ignore[no-untyped-def]
    """Everything an import could write, to prove a refused file changed nothing."""
    return (
        db.execute(
            "SELECT count(*), group_concat(uuid || name || coalesce(mobile,'')) FROM members"
        ).fetchone(),
        db.execute("SELECT count(*) FROM audit_log").fetchone(),
        db.execute("SELECT count(*) FROM exchange_batches").fetchone(),
        db.execute("SELECT count(*) FROM party_groups").fetchone(),
    )


# --- round trip ----------------------------------------------------------------------------------------------


def test_round_trip_export_import_into_empty_db_export_again(db, tmp_path: Path) -> None:
    sample.fill_roster(db, members=30, seed=11)
    first = export.export_monthly(db, month="2026-04", path=tmp_path / "a.xlsx")
    other = store.open(tmp_path / "empty.sqlite")
    try:
        preview = merge.preview_import(other, path=tmp_path / "a.xlsx")
        assert preview.counts["new"] == 30 and preview.counts["invalid"] == 0
        merge.apply_import(other, preview=preview)
        assert not other.conn.in_transaction
        second = export.export_monthly(other, month="2026-04", path=tmp_path / "b.xlsx")
        assert second.sha256 == first.sha256
        for name in first.row_counts:
            assert values(tmp_path / "a.xlsx", name) == values(tmp_path / "b.xlsx", name)
        notes_a = [r for r in values(tmp_path / "a.xlsx", "说明") if r[0] != "导出时间"]
        notes_b = [r for r in values(tmp_path / "b.xlsx", "说明") if r[0] != "导出时间"]
        assert notes_a == notes_b
        # and importing it again is a no-op
        again = merge.preview_import(other, path=tmp_path / "b.xlsx")
        assert again.counts["unchanged"] == 30
    finally:
        store.close(other)


# --- HQ-made workbooks ------------------------------------------------------------------------------------------


def test_title_rows_synonyms_fullwidth_and_date_formats(db, tmp_path: Path) -> None:
    header = [
        "序 号",
        "姓　名",
        "身份证号码",
        "党员类别",
        "入党时间",
        "转正日期",
        "手机",
        "所在党小组",
        "籍贯",
    ]
    rows = [
        [
            1,
            "王建国",
            CID_A,
            "正式党员",
            "2005/7/1",
            "2006.07.03",
            "１３８ ００１３ ８０００",
            "一组",
            "山西",
        ],
        [2, "李 红", CID_B, "正式", "2010年7月1日", datetime(2011, 7, 5), "13900139000", "一组", "河北"],
        [3, "赵强", CID_C, "预备党员", 44000, None, 13700137000, "二组", ""],
    ]
    path = hq_workbook(tmp_path / "hq.xlsx", header, rows, text_cols=(3,))
    preview = merge.preview_import(db, path=path)
    assert preview.counts["new"] == 3, [p.text() for p in preview.problems]
    assert preview.ignored_columns == ("籍贯",)
    assert preview.new_groups == ("一组", "二组")
    merge.apply_import(db, preview=preview)
    wang = members.find_by_citizen_id(db, citizen_id=CID_A)
    assert wang is not None
    assert (wang.joined_on, wang.full_on, wang.mobile) == (date(2005, 7, 1), date(2006, 7, 3), "13800138000")
    assert wang.birth_date == date(1980, 5, 6) and wang.gender == "male"  # filled from the citizen ID
    li = members.find_by_citizen_id(db, citizen_id=CID_B)
    assert li and li.name == "李红" and li.joined_on == date(2010, 7, 1)
    assert li.full_on == date(2011, 7, 5) and li.category == "full"
    zhao = members.find_by_citizen_id(db, citizen_id=CID_C)
    assert zhao and zhao.joined_on == date(2020, 6, 18) and zhao.mobile == "13700137000"  # serial 44000
    assert zhao.party_group_name == "二组"


def test_id_turned_into_a_number_makes_the_row_invalid(db, tmp_path: Path) -> None:
    header = ["姓名", "公民身份号码", "人员类别"]
    rows = [
        ["王建国", int(CID_A[:17] + "0") if not CID_A.endswith("X") else 110105194912310019, "正式党员"],
        ["李红", "1.10105E+17", "正式党员"],
        ["赵强", CID_C, "正式党员"],
    ]
    path = hq_workbook(tmp_path / "num.xlsx", header, rows)
    preview = merge.preview_import(db, path=path)
    assert preview.counts["invalid"] == 2 and preview.counts["new"] == 1
    problem = preview.problems[0]
    assert problem.sheet == "Sheet1" and problem.row == 4 and problem.column == "B"
    assert problem.header == "公民身份号码" and "数字" in problem.message
    assert "第 4 行 B 列（公民身份号码）" in problem.text()


def test_invalid_values_report_row_column_and_message(db, tmp_path: Path) -> None:
    header = ["姓名", "公民身份号码", "人员类别", "手机号", "加入党组织日期"]
    rows = [
        ["王建国", CID_A[:-1] + ("0" if CID_A[-1] != "0" else "1"), "正式党员", "", ""],
        ["李红", CID_B, "党员", "", ""],
        ["赵强", CID_C, "正式党员", "12345", "2020-13-45"],
    ]
    path = hq_workbook(tmp_path / "bad.xlsx", header, rows, title=False)
    preview = merge.preview_import(db, path=path)
    assert preview.counts["invalid"] == 3
    texts = [p.text() for p in preview.problems]
    assert any("第 2 行 B 列（公民身份号码）" in t and "校验位" in t for t in texts)
    assert any("第 3 行 C 列（人员类别）" in t for t in texts)
    assert any("第 4 行 E 列（加入党组织日期）" in t for t in texts)


# --- matching, conflicts, blanks, undo ------------------------------------------------------------------------


def _exported_member(db, tmp_path: Path):  # type: ignore[no-untyped-def]
    sample.fill_roster(db, members=3, seed=21)
    export.export_monthly(db, month="2026-04", path=tmp_path / "base.xlsx")
    return members.list_members(db)[0]


def _hq_edit(src: Path, dest: Path, member_uuid: str, changes: dict[str, object]) -> Path:
    """HQ opens our workbook in Excel (openpyxl here), edits cells of one member, saves."""
    wb = load_workbook(src)
    ws = wb["党员名册"]
    headers = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[headers.index("编号(勿改)")].value == member_uuid:
            for header, value in changes.items():
                row[headers.index(header)].value = value
    wb.save(dest)
    return dest


def test_conflict_when_both_sides_changed_the_same_field(db, tmp_path: Path) -> None:
    m = _exported_member(db, tmp_path)
    members.update_member(db, uuid=m.uuid, changes={"mobile": "13511112222", "address": "支部改的地址"})
    path = _hq_edit(
        tmp_path / "base.xlsx",
        tmp_path / "hq.xlsx",
        m.uuid,
        {"手机号": "13633334444", "工作岗位": "安全员", "家庭住址": m.address},
    )
    preview = merge.preview_import(db, path=path)
    row = next(r for r in preview.rows if r.member_uuid == m.uuid)
    assert row.status == "conflict"
    by_field = {c.field: c for c in row.changes}
    assert by_field["mobile"].conflict and by_field["mobile"].before == "13511112222"
    assert by_field["mobile"].after == "13633334444" and by_field["mobile"].snapshot == m.mobile
    assert not by_field["job"].conflict
    assert "address" not in by_field  # only the branch changed it: HQ's old value is not a change
    assert preview.counts["conflict"] == 1 and preview.counts["unchanged"] == 2

    merge.apply_import(db, preview=preview)  # undecided: the branch's value stays
    after = members.get_member(db, uuid=m.uuid)
    assert (after.mobile, after.job, after.address) == ("13511112222", "安全员", "支部改的地址")


def test_conflict_decided_for_the_file(db, tmp_path: Path) -> None:
    m = _exported_member(db, tmp_path)
    members.update_member(db, uuid=m.uuid, changes={"mobile": "13511112222"})
    path = _hq_edit(tmp_path / "base.xlsx", tmp_path / "hq.xlsx", m.uuid, {"手机号": "13633334444"})
    preview = merge.preview_import(db, path=path)
    merge.apply_import(db, preview=preview, decisions={m.uuid: {"mobile": "file"}})
    assert members.get_member(db, uuid=m.uuid).mobile == "13633334444"


def test_blank_cells_never_erase(db, tmp_path: Path) -> None:
    m = _exported_member(db, tmp_path)
    path = _hq_edit(
        tmp_path / "base.xlsx",
        tmp_path / "hq.xlsx",
        m.uuid,
        {"手机号": None, "家庭住址": "", "出生日期": None, "工作岗位": "班长"},
    )
    preview = merge.preview_import(db, path=path)
    row = next(r for r in preview.rows if r.member_uuid == m.uuid)
    assert [c.field for c in row.changes] == ["job"]
    merge.apply_import(db, preview=preview)
    after = members.get_member(db, uuid=m.uuid)
    assert (after.mobile, after.address, after.birth_date, after.job) == (
        m.mobile,
        m.address,
        m.birth_date,
        "班长",
    )


def test_match_by_citizen_id_without_the_id_column(db, tmp_path: Path) -> None:
    m = _exported_member(db, tmp_path)
    path = hq_workbook(
        tmp_path / "hq.xlsx",
        ["姓名", "公民身份号码", "人员类别", "工作岗位"],
        [[m.name, m.citizen_id, "正式党员" if m.category == "full" else "预备党员", "调度员"]],
    )
    preview = merge.preview_import(db, path=path)
    assert preview.counts["changed"] == 1 and preview.rows[0].member_uuid == m.uuid


def test_apply_is_recorded_and_undone_as_one_batch(db, tmp_path: Path) -> None:
    m = _exported_member(db, tmp_path)
    path = _hq_edit(tmp_path / "base.xlsx", tmp_path / "hq.xlsx", m.uuid, {"工作岗位": "班长"})
    wb = load_workbook(path)
    wb["党员名册"].append([None, "新党员", None, CID_A, None, None, None, None, "正式党员"])
    wb.save(path)
    preview = merge.preview_import(db, path=path)
    assert preview.counts["new"] == 1 and preview.counts["changed"] == 1
    batch = merge.apply_import(db, preview=preview)
    assert batch.file_name == "hq.xlsx" and len(batch.sha256) == 64 and batch.counts["applied"] == 2
    assert list((tmp_path / "backups").glob("*-import.sqlite"))
    logged = db.execute("SELECT count(*) FROM audit_log WHERE batch = ?", [batch.uuid]).fetchone()[0]
    assert logged >= 3
    assert merge.list_batches(db)[0].uuid == batch.uuid

    undone = merge.undo_import(db, batch=batch.uuid)
    assert undone.status == "undone"
    assert members.get_member(db, uuid=m.uuid).job == m.job
    assert members.find_by_citizen_id(db, citizen_id=CID_A) is None
    with pytest.raises(ValidationError, match="已经撤销"):
        merge.undo_import(db, batch=batch.uuid)


def test_undo_refused_when_a_later_change_touched_the_same_field(db, tmp_path: Path) -> None:
    m = _exported_member(db, tmp_path)
    path = _hq_edit(tmp_path / "base.xlsx", tmp_path / "hq.xlsx", m.uuid, {"工作岗位": "班长"})
    batch = merge.apply_import(db, preview=merge.preview_import(db, path=path))
    members.update_member(db, uuid=m.uuid, changes={"job": "队长"})
    with pytest.raises(ValidationError, match="工作岗位"):
        merge.undo_import(db, batch=batch.uuid)
    assert members.get_member(db, uuid=m.uuid).job == "队长"


def test_apply_refuses_a_stale_preview(db, tmp_path: Path) -> None:
    m = _exported_member(db, tmp_path)
    path = _hq_edit(tmp_path / "base.xlsx", tmp_path / "hq.xlsx", m.uuid, {"工作岗位": "班长"})
    preview = merge.preview_import(db, path=path)
    members.update_member(db, uuid=m.uuid, changes={"job": "队长"})
    before = state(db)
    with pytest.raises(ValidationError, match="重新预览"):
        merge.apply_import(db, preview=preview)
    assert state(db) == before


# --- hostile files ---------------------------------------------------------------------------------------------


def _refused(db, path: Path, match: str) -> None:  # type: ignore[no-untyped-def]
    before = state(db)
    with pytest.raises(WorkbookRefused, match=match):
        merge.preview_import(db, path=path)
    assert state(db) == before


def test_not_an_xlsx(db, tmp_path: Path) -> None:
    (tmp_path / "a.xlsx").write_text("姓名,公民身份号码\n", encoding="utf-8")
    _refused(db, tmp_path / "a.xlsx", "不是 Excel")


def test_password_protected(db, tmp_path: Path) -> None:
    (tmp_path / "p.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4096)
    _refused(db, tmp_path / "p.xlsx", "密码")


def test_truncated(db, tmp_path: Path) -> None:
    sample.fill_roster(db, members=20, seed=2)
    export.export_monthly(db, month="2026-04", path=tmp_path / "a.xlsx")
    data = (tmp_path / "a.xlsx").read_bytes()
    (tmp_path / "t.xlsx").write_bytes(data[: len(data) // 2])
    _refused(db, tmp_path / "t.xlsx", "损坏")


def test_zip_bomb(db, tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * (40 * 1024 * 1024))
    (tmp_path / "bomb.xlsx").write_bytes(buf.getvalue())
    assert (tmp_path / "bomb.xlsx").stat().st_size < 200_000
    _refused(db, tmp_path / "bomb.xlsx", "压缩比")


def test_a_million_rows(db, tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "big.xlsx"
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = book.add_worksheet("党员名册")
    ws.write_row(0, 0, ["姓名", "公民身份号码", "人员类别"])
    ws.write_row(1, 0, ["王建国", CID_A, "正式党员"])
    ws.write_row(999_999, 0, ["李红", CID_B, "正式党员"])
    book.close()
    _refused(db, path, "超过上限")


def test_formulas(db, tmp_path: Path) -> None:
    path = hq_workbook(
        tmp_path / "f.xlsx",
        ["姓名", "公民身份号码", "人员类别"],
        [["王建国", CID_A, "正式党员"], ['=CONCAT("李","红")', CID_B, "正式党员"]],
    )
    _refused(db, path, "A5 含有公式")


def test_duplicate_citizen_ids_in_the_file(db, tmp_path: Path) -> None:
    # Issue 15: a duplicated ID no longer refuses the file; both rows are invalid (each naming the other).
    path = hq_workbook(
        tmp_path / "d.xlsx",
        ["姓名", "公民身份号码", "人员类别"],
        [["王建国", CID_A, "正式党员"], ["李红", CID_B, "正式党员"], ["王建国", CID_A.lower(), "正式党员"]],
    )
    preview = merge.preview_import(db, path=path)
    status = {r.row: r.status for r in preview.rows}
    assert status == {4: "invalid", 5: "new", 6: "invalid"}
    texts = [p.text() for p in preview.problems]
    assert any("第 4 行" in t and "与第 6 行重复" in t for t in texts), texts
    assert any("第 6 行" in t and "与第 4 行重复" in t for t in texts), texts


def test_another_branchs_workbook(db, tmp_path: Path) -> None:
    sample.fill_roster(db, members=3, seed=2, code="ZC01")
    export.export_monthly(db, month="2026-04", path=tmp_path / "a.xlsx")
    other = store.open(tmp_path / "other.sqlite")
    try:
        branch.save_branch(other, name="掘进二队党支部", code="JJ02")
        _refused(other, tmp_path / "a.xlsx", "不是本支部")
    finally:
        store.close(other)


def test_a_row_copied_twice_in_our_own_workbook_is_refused(db, tmp_path: Path) -> None:
    # Issue 15: the copied row and its original are invalid; the other rows still apply.
    sample.fill_roster(db, members=3, seed=2)
    export.export_monthly(db, month="2026-04", path=tmp_path / "a.xlsx")
    wb = load_workbook(tmp_path / "a.xlsx")
    ws = wb["党员名册"]
    ws.append([c.value for c in ws[2]])  # an unchanged row pasted again
    wb.save(tmp_path / "dup.xlsx")
    preview = merge.preview_import(db, path=tmp_path / "dup.xlsx")
    assert {r.row: r.status for r in preview.rows} == {
        2: "invalid",
        3: "unchanged",
        4: "unchanged",
        5: "invalid",
    }
    assert any("与第 5 行重复" in p.message for p in preview.problems)
