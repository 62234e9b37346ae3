"""Issue 15: provenance (another branch, newer format, same file twice, older file) and the three-way merge:
each row of the conflict matrix, blank never erases, and undo restoring members, party groups and the snapshot."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from db import branch, members, store
from db.errors import BranchDeskError
from db.workbook import export, merge, sample
from db.workbook.read import WorkbookRefused
from db.workbook.snapshot import snapshot_of

BASE_MOBILE = "13500000000"
BRANCH_MOBILE = "13511112222"
HQ_MOBILE = "13633334444"


def _export(db, tmp_path: Path, name: str = "base.xlsx") -> Path:  # type: ignore[no-untyped-def]
    return export.export_monthly(db, month="2026-04", path=tmp_path / name).path


def _edit(
    src: Path, dest: Path, edits: dict[str, dict[str, object]], notes: dict[str, object] | None = None
) -> Path:
    """HQ edits cells of members (by 编号) and possibly the 说明 sheet, and saves under another name."""
    wb = load_workbook(src)
    ws = wb["党员名册"]
    headers = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        changes = edits.get(str(row[headers.index("编号(勿改)")].value), {})
        for header, value in changes.items():
            row[headers.index(header)].value = value
    for label, value in (notes or {}).items():
        for row in wb["说明"].iter_rows():
            if row[0].value == label:
                row[1].value = value
    wb.save(dest)
    return dest


@pytest.fixture
def roster(db):  # type: ignore[no-untyped-def]
    sample.fill_roster(db, members=3, seed=21)
    first = members.list_members(db)[0]
    members.update_member(db, uuid=first.uuid, changes={"mobile": BASE_MOBILE})
    return first


# --- the conflict matrix: branch changed / HQ changed / both / neither × active, archived member -------------------


@pytest.mark.parametrize("archived", [False, True], ids=["active", "archived"])
@pytest.mark.parametrize(
    ("branch_changed", "hq_changed", "expected"),
    [
        (False, False, "unchanged"),
        (True, False, "unchanged"),  # HQ still sends the old value: the branch's change stays
        (False, True, "changed"),
        (True, True, "conflict"),
    ],
    ids=["neither", "branch", "hq", "both"],
)
def test_conflict_matrix(  # type: ignore[no-untyped-def]
    db, roster, tmp_path: Path, archived: bool, branch_changed: bool, hq_changed: bool, expected: str
) -> None:
    base = _export(db, tmp_path)
    if branch_changed:
        members.update_member(db, uuid=roster.uuid, changes={"mobile": BRANCH_MOBILE})
    if archived:
        members.archive_member(db, uuid=roster.uuid, status="removed", on=date(2026, 5, 1), reason="去世")
        if expected == "changed":
            expected = "conflict"  # HQ's change to an archived member is never applied silently
    path = _edit(base, tmp_path / "hq.xlsx", {roster.uuid: {"手机号": HQ_MOBILE}} if hq_changed else {})
    preview = merge.preview_import(db, path=path)
    row = next(r for r in preview.rows if r.member_uuid == roster.uuid)
    assert row.status == expected
    merge.apply_import(db, preview=preview)  # undecided conflicts keep the branch's value
    mobile = members.get_member(db, uuid=roster.uuid).mobile
    want = HQ_MOBILE if expected == "changed" else BRANCH_MOBILE if branch_changed else BASE_MOBILE
    assert mobile == want


@pytest.mark.parametrize(
    ("hq_mobile", "expected"), [(None, "unchanged"), (BASE_MOBILE, "unchanged"), (HQ_MOBILE, "conflict")]
)
def test_member_added_at_the_branch_after_the_exchange(  # type: ignore[no-untyped-def]
    db, roster, tmp_path: Path, hq_mobile: str | None, expected: str
) -> None:
    base = _export(db, tmp_path)
    local = members.add_member(
        db,
        values={
            "name": "新来的",
            "citizen_id": "140202199001020034",
            "category": "full",
            "mobile": BASE_MOBILE,
        },
    )
    wb = load_workbook(base)
    ws = wb["党员名册"]
    headers = [c.value for c in ws[1]]
    row: list[object] = [None] * len(headers)
    row[headers.index("姓名")] = "新来的"
    row[headers.index("公民身份号码")] = local.citizen_id
    row[headers.index("人员类别")] = "正式党员"
    row[headers.index("手机号")] = hq_mobile
    ws.append(row)
    wb.save(tmp_path / "hq.xlsx")
    preview = merge.preview_import(db, path=tmp_path / "hq.xlsx")
    got = next(r for r in preview.rows if r.member_uuid == local.uuid)
    assert got.status == expected


def test_blank_never_erases_even_in_a_conflict(db, roster, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    base = _export(db, tmp_path)
    members.update_member(db, uuid=roster.uuid, changes={"mobile": BRANCH_MOBILE})
    path = _edit(base, tmp_path / "hq.xlsx", {roster.uuid: {"手机号": None, "姓名": roster.name}})
    preview = merge.preview_import(db, path=path)
    merge.apply_import(db, preview=preview)
    assert members.get_member(db, uuid=roster.uuid).mobile == BRANCH_MOBILE


# --- provenance ----------------------------------------------------------------------------------------------


def test_another_branch_refused_without_its_notes_sheet(db, tmp_path: Path) -> None:
    sample.fill_roster(db, members=3, seed=2, code="ZC01")
    path = _export(db, tmp_path)
    wb = load_workbook(path)
    del wb["说明"]
    wb.save(tmp_path / "no-notes.xlsx")
    other = store.open(tmp_path / "other.sqlite")
    try:
        branch.save_branch(other, name="掘进二队党支部", code="JJ02")
        with pytest.raises(WorkbookRefused, match="所在党支部.*不是本支部"):
            merge.preview_import(other, path=tmp_path / "no-notes.xlsx")
    finally:
        store.close(other)


def test_newer_format_version_refused(db, roster, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _edit(_export(db, tmp_path), tmp_path / "v9.xlsx", {}, {"格式版本": "9"})
    with pytest.raises(WorkbookRefused, match="格式版本 9"):
        merge.preview_import(db, path=path)


def test_same_file_twice_says_already_imported(db, roster, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _edit(_export(db, tmp_path), tmp_path / "hq.xlsx", {roster.uuid: {"工作岗位": "班长"}})
    merge.apply_import(db, preview=merge.preview_import(db, path=path))
    batches = db.execute("SELECT count(*) FROM exchange_batches").fetchone()[0]
    again = merge.preview_import(db, path=path)
    assert "已导入过" in again.already_imported
    with pytest.raises(BranchDeskError, match="已导入过"):
        merge.apply_import(db, preview=again)
    assert db.execute("SELECT count(*) FROM exchange_batches").fetchone()[0] == batches


def test_an_older_hq_workbook_is_refused(db, roster, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    base = _export(db, tmp_path)
    older = _edit(
        base,
        tmp_path / "old.xlsx",
        {roster.uuid: {"工作岗位": "旧岗位"}},
        {"导出时间": "2026-04-01T09:00:00"},
    )
    newer = _edit(
        base,
        tmp_path / "new.xlsx",
        {roster.uuid: {"工作岗位": "新岗位"}},
        {"导出时间": "2026-05-01T09:00:00"},
    )
    merge.apply_import(db, preview=merge.preview_import(db, path=newer))
    with pytest.raises(WorkbookRefused, match="更旧"):
        merge.preview_import(db, path=older)
    assert members.get_member(db, uuid=roster.uuid).job == "新岗位"


# --- undo ----------------------------------------------------------------------------------------------------


def test_undo_restores_members_groups_and_the_snapshot(db, tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "公民身份号码", "人员类别", "党小组", "工作岗位"])
    ws.append(["王建国", "140202198005060119", "正式党员", "新设小组", "班长"])
    wb.save(tmp_path / "hq.xlsx")
    sample.fill_roster(db, members=2, seed=3)
    known = members.list_members(db)[0]
    base = _export(db, tmp_path)
    hq = _edit(base, tmp_path / "hq2.xlsx", {known.uuid: {"工作岗位": "调度员"}})
    snap_before = snapshot_of(db, known.uuid)
    groups_before = db.execute("SELECT count(*) FROM party_groups").fetchone()[0]

    first = merge.apply_import(db, preview=merge.preview_import(db, path=tmp_path / "hq.xlsx"))
    second = merge.apply_import(db, preview=merge.preview_import(db, path=hq))
    assert snapshot_of(db, known.uuid)["job"] == "调度员"
    merge.undo_import(db, batch=second.uuid)
    assert snapshot_of(db, known.uuid) == snap_before
    again = merge.preview_import(db, path=hq)  # HQ's change shows again after undo
    assert next(r for r in again.rows if r.member_uuid == known.uuid).status == "changed"
    merge.undo_import(db, batch=first.uuid)
    assert db.execute("SELECT count(*) FROM party_groups").fetchone()[0] == groups_before
    assert members.find_by_citizen_id(db, citizen_id="140202198005060119") is None
    assert merge.preview_import(db, path=tmp_path / "hq.xlsx").new_groups == ("新设小组",)


def test_a_whole_committee_roster_imports_only_this_branchs_rows(db, tmp_path: Path) -> None:
    branch.save_branch(db, name="综采一队党支部", code="ZC01")
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "姓名", "所在党支部", "公民身份号码", "人员类别"])
    ws.append([1, "王建国", "综采一队党支部", "140202198005060119", "正式党员"])
    ws.append([2, "李红", "掘进二队党支部", "140202199001020034", "正式党员"])
    wb.save(tmp_path / "all.xlsx")
    preview = merge.preview_import(db, path=tmp_path / "all.xlsx")
    assert [(r.row, r.status) for r in preview.rows] == [(2, "new")]
    assert [(p.row, p.column, p.message) for p in preview.ignored_rows] == [
        (3, "C", "其他支部的党员，未导入")
    ]


# --- dating a workbook without its 说明 sheet (document properties) ---------------------------------------------


def _saved(src: Path, dest: Path, when: str) -> Path:
    """``src`` with its document properties saying it was created and last saved at ``when`` (UTC), as Excel
    records it (openpyxl stamps the moment of saving)."""
    import re
    import zipfile

    with zipfile.ZipFile(src) as z, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as out:
        for name in z.namelist():
            data = z.read(name)
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + when.encode(), data)
            out.writestr(name, data)
    return dest


def _hq_roster(path: Path, job: str) -> Path:
    """A roster HQ typed itself (no 说明 sheet): one member with a 工作岗位."""
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "公民身份号码", "人员类别", "工作岗位"])
    ws.append(["王建国", "140202198005060119", "正式党员", job])
    wb.save(path)
    return path


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_an_older_roster_without_notes_is_refused_by_its_saved_time(db, tmp_path: Path, fmt: str) -> None:
    from tests.db.test_workbook_offices import convert

    older = _saved(_hq_roster(tmp_path / "a.xlsx", "旧岗位"), tmp_path / "old.xlsx", "2026-11-01T02:00:00Z")
    newer = _saved(_hq_roster(tmp_path / "b.xlsx", "新岗位"), tmp_path / "new.xlsx", "2026-11-20T02:00:00Z")
    if fmt != "xlsx":  # LibreOffice keeps the document's times when it converts
        older, newer = convert(older, fmt, tmp_path), convert(newer, fmt, tmp_path)
    preview = merge.preview_import(db, path=newer)
    assert preview.exported_at == "" and preview.saved_at.startswith("2026-11-")
    merge.apply_import(db, preview=preview)
    with pytest.raises(WorkbookRefused, match="最后保存于 .*（按文件属性），比已导入的.*更旧"):
        merge.preview_import(db, path=older)
    assert members.find_by_citizen_id(db, citizen_id="140202198005060119").job == "新岗位"  # type: ignore[union-attr]


def test_our_workbook_with_its_notes_deleted_twice_and_an_older_correction(
    db, roster, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """HQ deleted the 说明 sheet of our export and corrected it twice: the same file again says 已导入过 (its
    SHA-256), the earlier correction is refused by the saved times; and two corrections of the same export (same
    导出时间 in their 说明) are ordered by their saved times too."""
    base = _export(db, tmp_path)

    def correction(name: str, job: str, when: str, *, drop_notes: bool) -> Path:
        path = _edit(base, tmp_path / f"edit-{name}", {roster.uuid: {"工作岗位": job}})
        if drop_notes:
            wb = load_workbook(path)
            del wb["说明"]
            wb.save(path)
        return _saved(path, tmp_path / name, when)

    early = correction("early.xlsx", "早岗位", "2026-11-02T01:00:00Z", drop_notes=True)
    late = correction("late.xlsx", "晚岗位", "2026-11-03T01:00:00Z", drop_notes=True)
    merge.apply_import(db, preview=merge.preview_import(db, path=late))
    assert "已导入过" in merge.preview_import(db, path=late).already_imported
    with pytest.raises(WorkbookRefused, match="更旧"):
        merge.preview_import(db, path=early)
    assert members.get_member(db, uuid=roster.uuid).job == "晚岗位"
    # with the 说明 kept: both carry the same export time, the saved times decide
    kept_early = correction("kept-early.xlsx", "早岗位", "2026-11-02T01:00:00Z", drop_notes=False)
    kept_late = correction("kept-late.xlsx", "最新岗位", "2026-11-04T01:00:00Z", drop_notes=False)
    merge.apply_import(db, preview=merge.preview_import(db, path=kept_late))
    with pytest.raises(WorkbookRefused, match="更旧"):
        merge.preview_import(db, path=kept_early)
    assert members.get_member(db, uuid=roster.uuid).job == "最新岗位"


def test_a_file_without_any_date_is_not_refused(db, tmp_path: Path) -> None:
    """No 说明 and no document properties (a minimal file some tools write): not dated, so never refused as
    older; it is previewed as usual (the secretary sees every change before applying)."""
    import zipfile

    merge.apply_import(
        db,
        preview=merge.preview_import(
            db,
            path=_saved(
                _hq_roster(tmp_path / "n.xlsx", "新岗位"), tmp_path / "new.xlsx", "2026-11-20T02:00:00Z"
            ),
        ),
    )
    src = _hq_roster(tmp_path / "o.xlsx", "另一岗位")
    bare = tmp_path / "bare.xlsx"
    with zipfile.ZipFile(src) as z, zipfile.ZipFile(bare, "w") as out:
        for name in z.namelist():
            if name != "docProps/core.xml":
                out.writestr(name, z.read(name))
    preview = merge.preview_import(db, path=bare)
    assert preview.saved_at == "" and preview.counts["changed"] == 1
