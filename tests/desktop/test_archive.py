"""The year's archive volumes (立卷) and the handover (交接), issue 21: the demo year's volumes open with their
bookmarks and the page counts of the manifest; ``archive verify`` names a changed and a missing file; the printed
卷内目录 and 交接清单 read back as Chinese; the buttons make both."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from db import attachments, demo, meetings, members, store
from desktop import cli
from desktop.archive import handover, manifest, volumes

YEAR = 2026
TODAY = date(2026, 12, 1)  # the demo's today (meetings, dues and transfers up to it)


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory, qapp) -> tuple[Path, Path]:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("archive")
    path = folder / "demo.sqlite"
    db = store.open(path)
    demo.generate(db, members=15, seed=1)
    # one meeting with its signed sign-in sheet filed from a scan, a photo and a PDF of its own
    first = min(
        (m for m in meetings.list_meetings(db, status="held") if m.held_on.year == YEAR),
        key=lambda m: m.held_on,
    )
    scan, photo = io.BytesIO(), io.BytesIO()
    Image.new("RGB", (1240, 1754), "white").save(scan, "PDF", resolution=150)
    Image.new("RGB", (800, 600), (200, 30, 30)).save(photo, "PNG")
    attachments.add_attachment(db, owner_kind="meeting", owner_id=first.uuid, name="签到表扫描.pdf",
                               data=scan.getvalue(), source="scan:signin")  # fmt: skip
    attachments.add_attachment(
        db, owner_kind="meeting", owner_id=first.uuid, name="合影.png", data=photo.getvalue()
    )
    attachments.add_attachment(
        db, owner_kind="meeting", owner_id=first.uuid, name="学习材料.pdf", data=scan.getvalue()
    )
    store.close(db)
    out = folder / "档案"
    assert cli.main(["--db", str(path), "archive", "--year", str(YEAR), "--out", str(out)]) == 0
    return path, out


def _text(pdf: Path, *pages: int) -> str:
    args = ["pdftotext", "-layout"]
    if pages:
        args += ["-f", str(pages[0]), "-l", str(pages[-1])]
    return subprocess.run([*args, str(pdf), "-"], check=True, capture_output=True, text=True).stdout


def _copy(path: Path, folder: Path, name: str) -> Path:
    """The database and its attachment store (beside it), as a secretary's data folder is copied."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, folder / name)
    shutil.copytree(path.parent / "attachments", folder / "attachments")
    return folder / name


def _titles(outline: list) -> list[str]:  # type: ignore[type-arg]
    found: list[str] = []
    for item in outline:
        found += _titles(item) if isinstance(item, list) else [item.title]
    return found


def test_the_demo_year_has_its_volumes_with_bookmarks_and_the_manifests_pages(archive) -> None:  # type: ignore[no-untyped-def]
    path, out = archive
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert data["year"] == YEAR and data["branch"]
    files = {f["file"]: f for f in data["files"]}
    names = [name for _n, (name, _b) in enumerate(volumes.VOLUMES, 1)]
    assert list(files) == ["00-卷内目录.pdf"] + [f"{i:02d}-{YEAR}年-{n}.pdf" for i, n in enumerate(names, 1)]
    for name, entry in files.items():
        reader = PdfReader(out / name)
        assert len(reader.pages) == entry["pages"], name
        assert manifest.sha256_of(out / name) == entry["sha256"]
        if name != "00-卷内目录.pdf":
            titles = _titles(reader.outline)
            assert titles[0] == "卷内目录", name
    db = store.open(path)
    try:
        held = [m for m in meetings.list_meetings(db, status="held") if m.held_on.year == YEAR]
    finally:
        store.close(db)
    life = PdfReader(out / f"02-{YEAR}年-组织生活.pdf")
    top = [o.title for o in life.outline if not isinstance(o, list)]
    assert len(top) == 1 + len(held)  # 卷内目录, then one bookmark per meeting
    assert _titles(life.outline).count("会议记录") == len(held)
    titles = _titles(life.outline)
    assert titles.count("签到表") == len(held) - 1  # printed with the attendance, except …
    assert titles.count("签到表（签字扫描件）") == 1  # … the meeting whose signed sheet was filed
    assert "附件：合影.jpg" in titles or "附件：合影.png" in titles
    assert "附件：学习材料.pdf" in titles
    # every page carries its number in the top-right corner, counted through the volume
    for number in (1, 2, len(life.pages)):
        corner = subprocess.run(  # the top-right corner of the page: its number and nothing else
            ["pdftotext", "-f", str(number), "-l", str(number), "-x", "400", "-y", "0", "-W", "200", "-H", "40",
             "-r", "72", str(out / f"02-{YEAR}年-组织生活.pdf"), "-"],
            check=True, capture_output=True, text=True,
        ).stdout.split()  # fmt: skip
        assert corner == [str(number)], number


def test_the_printed_table_of_contents_reads_as_chinese_with_page_ranges(archive) -> None:  # type: ignore[no-untyped-def]
    _path, out = archive
    text = _text(out / "00-卷内目录.pdf")
    for name, _build in volumes.VOLUMES:
        assert "卷内目录（第" in text and name in text
    assert "党员名册（年末）" in text and "会议记录" in text and "党费收缴公示" in text
    assert re.search(r"会议记录\s+\d{4}-\d{2}-\d{2}\s+\d+", text)
    assert "立卷人" in text


def test_ids_stay_masked_in_the_volumes(archive) -> None:  # type: ignore[no-untyped-def]
    path, out = archive
    db = store.open(path)
    try:
        ids = [m.citizen_id for m in members.list_members(db, status=None) if m.citizen_id]
        phones = [m.mobile for m in members.list_members(db, status=None) if m.mobile]
    finally:
        store.close(db)
    text = "".join(_text(p) for p in sorted(out.glob("0[1-5]-*.pdf")))
    assert ids and not [i for i in ids if i in text]
    assert phones and not [p for p in phones if p in text]
    assert "组织关系介绍信" in text  # the letters are there, with the ID masked


def test_archive_verify_names_a_changed_and_a_missing_file(archive, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    _path, out = archive
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    assert cli.main(["archive", "verify", str(copy)]) == 0
    assert "完好" in capsys.readouterr().out
    with open(copy / f"03-{YEAR}年-党员发展.pdf", "ab") as f:
        f.write(b"%changed\n")
    (copy / f"05-{YEAR}年-项目与整改.pdf").unlink()
    assert cli.main(["archive", "verify", str(copy)]) == 1
    err = capsys.readouterr().err
    assert f"文件「03-{YEAR}年-党员发展.pdf」已被改动" in err
    assert f"缺少文件「05-{YEAR}年-项目与整改.pdf」" in err
    assert "Traceback" not in err
    assert cli.main(["archive", "verify", str(tmp_path)]) == 1
    assert "没有 manifest.json" in capsys.readouterr().err


def test_the_pages_look_right(archive, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Rendered with pdftoppm (looked at while building: the 卷内目录 table, the page number top right)."""
    _path, out = archive
    prefix = tmp_path / "toc"
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(out / "00-卷内目录.pdf"), str(prefix)],
                   check=True)  # fmt: skip
    [png] = list(tmp_path.glob("toc*.png"))
    assert png.stat().st_size > 5000


def test_the_handover_makes_a_verified_backup_the_missing_years_and_the_checklist(
    archive, tmp_path, capsys
) -> None:  # type: ignore[no-untyped-def]
    """Also: a file missing from the attachment store (the database copied without its folder) is a page saying
    so in the volume and a line of the result, never a failed archive."""
    path, _out = archive
    db_path = tmp_path / "branch.sqlite"
    shutil.copy(path, db_path)  # without its attachment store
    db = store.open(db_path)
    try:
        branch_settings = volumes.archived_years(db)
        assert YEAR in branch_settings  # the archive made above is remembered
        from db import branch

        branch.set_setting(db, key=volumes.ARCHIVED_KEY, value={})  # as if it had never been made
        done = handover.make_handover(db, out=tmp_path / "交接", today=date(YEAR + 1, 1, 10))
    finally:
        store.close(db)
    assert done.backup.parent == tmp_path / "交接" / "备份"
    assert [a.year for a in done.archived] == [YEAR]
    [missing, *_rest] = done.archived[0].problems
    assert missing.startswith("签到表（签字扫描件）：附件「签到表扫描.pdf」无法打开")
    assert manifest.verify(tmp_path / "交接" / "档案" / str(YEAR)) == []
    assert "缺" in _text(tmp_path / "交接" / "档案" / str(YEAR) / "00-卷内目录.pdf")
    text = re.sub(r"\s+", "", _text(done.checklist))
    for words in ("工作交接清单", "在册党员", "待办提醒", "未整改的问题", "待回执的转出", "发展党员待办", "数据库文件",
                  "数据库密码未设置", f"本次立卷{YEAR}年", "移交人（原书记）签字", "接收人（新书记）签字"):  # fmt: skip
        assert words in text, words


def test_the_checklist_says_a_password_is_set_but_never_prints_it(archive, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from db.store import password

    path, _out = archive
    db_path = _copy(path, tmp_path / "data", "secret.sqlite")
    secret = "Zhibu-Mima-2026!"
    db, _code = password.change_password(store.open(db_path), new_key=secret)
    try:
        done = handover.make_handover(db, out=tmp_path / "交接", today=TODAY)
    finally:
        store.close(db)
    text = re.sub(r"\s+", "", _text(done.checklist))
    assert "数据库密码已设置" in text and secret not in text


def test_the_buttons_make_the_archive_and_the_handover(qtbot, archive, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from desktop.context import AppContext
    from desktop.dialogs.archive_volumes import ArchiveVolumesDialog
    from desktop.qt import QMessageBox, Qt

    path, _out = archive
    db_path = _copy(path, tmp_path / "data", "gui.sqlite")
    db = store.open(db_path)
    try:
        dialog = ArchiveVolumesDialog(AppContext(db), today=TODAY)
        qtbot.addWidget(dialog)
        assert dialog.year.value() == YEAR
        dialog.folder.setText(str(tmp_path / "柜"))
        qtbot.mouseClick(dialog.archive_button, Qt.MouseButton.LeftButton)
        assert "已生成 2026 年度档案" in dialog.status.toPlainText()
        assert manifest.verify(tmp_path / "柜" / f"{YEAR}年度档案") == []
        # the same year again in the same folder replaces it: asked first; 取消 leaves it, 重新立卷 makes it again
        first = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "柜" / f"{YEAR}年度档案").iterdir()}
        dialog.status.setPlainText("")
        qtbot.mouseClick(dialog.archive_button, Qt.MouseButton.LeftButton)
        box = dialog.confirm_box
        assert box is not None and f"已有 {YEAR} 年度档案（立卷日期 {TODAY.isoformat()}）" in box.text()
        box.button(QMessageBox.StandardButton.Cancel).click()
        assert dialog.status.toPlainText() == ""
        assert {
            p.name: p.stat().st_mtime_ns for p in (tmp_path / "柜" / f"{YEAR}年度档案").iterdir()
        } == first
        qtbot.mouseClick(dialog.archive_button, Qt.MouseButton.LeftButton)
        dialog.confirm_box.button(QMessageBox.StandardButton.Yes).click()  # type: ignore[union-attr]
        assert "已生成 2026 年度档案" in dialog.status.toPlainText()
        assert manifest.verify(tmp_path / "柜" / f"{YEAR}年度档案") == []
        qtbot.mouseClick(dialog.handover_button, Qt.MouseButton.LeftButton)
        assert "已生成交接材料" in dialog.status.toPlainText()
        assert (tmp_path / "柜" / "交接材料" / handover.CHECKLIST).exists()
    finally:
        store.close(db)


def test_the_handover_from_the_command_line(archive, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    path, _out = archive
    db_path = _copy(path, tmp_path / "data", "cli.sqlite")
    assert cli.main(["--db", str(db_path), "handover", "--out", str(tmp_path / "交接")]) == 0
    said = capsys.readouterr().out
    assert "已备份（已校验）" in said and "已生成交接清单" in said
    assert (tmp_path / "交接" / handover.CHECKLIST).exists()
    assert list((tmp_path / "交接" / "备份").glob("*.sqlite"))
