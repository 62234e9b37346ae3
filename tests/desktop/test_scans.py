"""The QR loop (issue 21): a printed sheet, photographed or scanned, is filed to its record by its QR code."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter

from db import attachments, meetings, store
from db.attachments import scans
from db.attachments.tags import COPY_PRINTOUTS
from desktop.printing import catalogue

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo(tmp_path: Path, qapp):  # type: ignore[no-untyped-def]
    from db import demo as demo_db

    path = tmp_path / "demo.sqlite"
    db = store.open(path)
    demo_db.generate(db, members=30, seed=1)
    yield db
    store.close(db)


def _print(db: store.Database, kind: str, out: Path, record: str | None = None) -> Path:
    copies = 3 if kind in COPY_PRINTOUTS else None  # the 测评票: one identical copy per voter
    catalogue.write(db, kind, out, catalogue.Selection(record=record, copies=copies))
    return out


def _render(pdf: Path, dpi: int = 150) -> list[Image.Image]:
    """The printed pages as images, with pdftoppm (as a scanner would see them)."""
    prefix = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(prefix)], check=True, timeout=120)
    return [Image.open(p).convert("RGB") for p in sorted(pdf.parent.glob(prefix.name + "-*.png"))]


def _phone_photo(page: Image.Image) -> Image.Image:
    """Rotated a few degrees, scaled down, on a grey table, slightly blurred: like a phone photo of the sheet."""
    rotated = page.rotate(7, expand=True, fillcolor=(120, 110, 100), resample=Image.Resampling.BICUBIC)
    w, h = rotated.size
    return rotated.resize((int(w * 0.8), int(h * 0.8)), Image.Resampling.LANCZOS)


def test_a_photographed_sign_in_sheet_is_filed_to_its_meeting(demo: store.Database, tmp_path: Path) -> None:
    meeting = min(meetings.list_meetings(demo, status="held"), key=lambda m: m.held_on)
    pdf = _print(demo, "signin", tmp_path / "signin.pdf", record=meeting.uuid)
    pages = _render(pdf)
    photos = tmp_path / "photos"
    photos.mkdir()
    for i, page in enumerate(reversed(pages)):  # taken in the wrong order
        _phone_photo(page).save(photos / f"IMG_{i:04d}.jpg", quality=85)
    plan = scans.plan(demo, [photos])
    assert plan.unplaced == []
    [sheet] = plan.sheets
    assert (sheet.tag.owner_kind, sheet.tag.owner_id) == ("meeting", meeting.uuid)
    assert sorted(sheet.pages) == list(range(1, len(pages) + 1)) and sheet.missing == []
    [filed] = scans.apply(demo, plan).filed
    assert filed.source == "scan:signin" and filed.pages == len(pages)
    # assembled in page order: the first page of the filed PDF is the photo of page 1 (the last photo taken)
    reader = PdfReader(io.BytesIO(attachments.read_bytes(demo, uuid=filed.uuid)))
    assert len(reader.pages) == len(pages)
    shown = attachments.list_attachments(demo, owner_kind="meeting", owner_id=meeting.uuid)
    assert [a.scanned_printout for a in shown] == ["signin"]


def test_a_multi_page_scan_splits_to_the_right_records(demo: store.Database, tmp_path: Path) -> None:
    held = sorted(meetings.list_meetings(demo, status="held"), key=lambda m: m.held_on)
    first, second = held[0], held[-1]
    parts = [
        _print(demo, "signin", tmp_path / "a.pdf", record=first.uuid),
        _print(demo, "minutes", tmp_path / "b.pdf", record=second.uuid),
        _print(demo, "dues-ledger", tmp_path / "c.pdf"),
    ]
    # one scanner PDF of every page, as raster images (what a scanner writes), pages shuffled
    images = [im for p in parts for im in _render(p, dpi=120)]
    order = list(range(len(images)))[::-1]
    scan = tmp_path / "scanner.pdf"
    images[order[0]].save(scan, "PDF", save_all=True, append_images=[images[i] for i in order[1:]])
    plan = scans.plan(demo, [scan])
    assert plan.unplaced == []
    by_owner = {(s.tag.printout, s.tag.owner_id): s for s in plan.sheets}
    assert set(by_owner) == {
        ("signin", first.uuid),
        ("minutes", second.uuid),
        ("dues-ledger", f"dues-ledger/{date.today().isoformat()[:7]}"),
    }
    for s in plan.sheets:
        assert s.missing == [] and [p.index for p in s.ordered()] == sorted(
            (p.index for p in s.ordered()), reverse=True
        )
    filed = scans.apply(demo, plan).filed
    assert len(filed) == 3


def test_a_batch_imported_again_after_an_interrupted_filing_files_only_what_is_missing(
    demo: store.Database, tmp_path: Path
) -> None:
    held = sorted(meetings.list_meetings(demo, status="held"), key=lambda m: m.held_on)
    first, second = held[0], held[-1]
    parts = [
        _print(demo, "signin", tmp_path / "a.pdf", record=first.uuid),
        _print(demo, "signin", tmp_path / "b.pdf", record=second.uuid),
    ]
    images = [im for p in parts for im in _render(p, dpi=120)]
    scan = tmp_path / "扫描 批次.pdf"
    images[0].save(scan, "PDF", save_all=True, append_images=images[1:])
    plan = scans.plan(demo, [scan])
    assert len(plan.sheets) == 2
    # the power went while filing: the first sheet was filed (its own transaction), the second not
    [done] = scans.apply(demo, scans.Plan(plan.sheets[:1], [])).filed
    again = scans.apply(demo, scans.plan(demo, [scan]))
    assert [a.owner_id for a in again.filed] == [plan.sheets[1].tag.owner_id]
    assert [(s.tag.owner_id, a.uuid) for s, a in again.again] == [(plan.sheets[0].tag.owner_id, done.uuid)]
    for m in (first, second):
        assert len(attachments.list_attachments(demo, owner_kind="meeting", owner_id=m.uuid)) == 1
    # a scan moved to the 回收站 is no longer filed: importing it again files it anew
    attachments.remove_attachment(demo, uuid=done.uuid)
    assert len(scans.apply(demo, scans.plan(demo, [scan])).filed) == 1


def test_an_unreadable_page_lands_in_the_to_place_list(demo: store.Database, tmp_path: Path) -> None:
    blank = tmp_path / "blank.png"
    Image.new("RGB", (1200, 1700), "white").save(blank)
    other = tmp_path / "note.txt"
    other.write_text("x", encoding="utf-8")
    plan = scans.plan(demo, [blank, other])
    assert plan.sheets == []
    assert {(u.page.label, u.reason) for u in plan.unplaced} == {
        ("blank.png", "没有找到可识别的二维码"),
        ("note.txt", "不是图片或 PDF 文件"),
    }
    meeting = meetings.list_meetings(demo)[0]
    [unreadable] = [u for u in plan.unplaced if u.page.label == "blank.png"]
    placed = scans.place_page(demo, unreadable.page, owner_kind="meeting", owner_id=meeting.uuid)
    assert placed.mime == "image/jpeg"


def test_a_page_of_another_branch_is_not_placed(demo: store.Database, tmp_path: Path) -> None:
    import segno

    code = tmp_path / "other.png"
    segno.make("BD1/SIGNIN/00000000-0000-4000-8000-000000000000/1/1", error="m").save(code, scale=8, border=4)
    [u] = scans.plan(demo, [code]).unplaced
    assert "不在本数据库中" in u.reason


def test_the_command_line_previews_then_files(demo: store.Database, tmp_path: Path) -> None:
    meeting = min(meetings.list_meetings(demo, status="held"), key=lambda m: m.held_on)
    pdf = _print(demo, "minutes", tmp_path / "m.pdf", record=meeting.uuid)
    writer = PdfWriter(clone_from=pdf)
    writer.write(tmp_path / "scan.pdf")
    path = demo.path
    store.close(demo)
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen"}

    def run(*extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "desktop", "--db", str(path), "scans", str(tmp_path / "scan.pdf"), *extra],
            check=False,
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
            timeout=300,
        )

    preview = run("--json")
    assert preview.returncode == 0, preview.stderr
    report = json.loads(preview.stdout)
    assert report["applied"] is False and report["sheets"][0]["owner_id"] == meeting.uuid
    applied = run("--apply")
    assert applied.returncode == 0 and "已归档 1 份扫描件" in applied.stdout
    db = store.open(path)
    try:
        assert [
            a.source for a in attachments.list_attachments(db, owner_kind="meeting", owner_id=meeting.uuid)
        ] == ["scan:minutes"]
    finally:
        demo.conn = db.conn  # the fixture closes it


def test_the_meeting_page_shows_the_filed_sheet_beside_the_attendance(
    qtbot, demo: store.Database, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from desktop.context import AppContext
    from desktop.pages.meetings import Page

    meeting = max(meetings.list_meetings(demo, status="held"), key=lambda m: m.held_on)  # this year's
    pdf = _print(demo, "signin", tmp_path / "s.pdf", record=meeting.uuid)
    ctx = AppContext(demo)
    page = Page(ctx)
    qtbot.addWidget(page)
    page.refresh()
    assert page.select_meeting(meeting.uuid)
    assert "已归档签到表" not in page.detail.toPlainText()
    from desktop.dialogs.scans_dialog import ScansDialog

    dialog = ScansDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.load([pdf])
    assert dialog.sheets.count() == 1 and dialog.apply() == 1
    assert "已归档签到表" in page.detail.toPlainText()
    assert page.attachments.list.count() == 1
    # the same scan imported again (a power cut while filing, or by mistake) is not filed twice, and says so
    dialog.load([pdf])
    today = date.today().isoformat()
    assert f"该记录已有 {today} 归档的签到表扫描件" in dialog.sheets.item(0).text()  # said in the preview
    assert dialog.sheets.count() == 1 and dialog.apply() == 0
    assert "1 份此前已归档过（内容相同），未重复归档" in dialog.status.text()
    assert page.attachments.list.count() == 1
    page.attachments.list.setCurrentRow(0)
    viewer = page.attachments.view_selected()
    assert viewer is not None and len(viewer.pages) >= 1 and not viewer.pages[0].pixmap().isNull()
    viewer.close()
    # a file dropped or chosen is added; removing moves it to the 回收站
    extra = tmp_path / "会场照片.png"
    Image.new("RGB", (300, 200), "red").save(extra)
    assert len(page.attachments.add_paths([extra])) == 1
    assert page.attachments.list.count() == 2
    page.attachments.list.setCurrentRow(1)
    page.attachments.remove_selected()
    assert page.attachments.list.count() == 1
    assert [a.name for a in attachments.list_bin(demo)] == ["会场照片.png"]


def test_every_printout_carries_its_code_on_every_page(demo: store.Database, tmp_path: Path) -> None:
    """Each kind of ``branchdesk print --list`` is filed back by its codes: one sheet, every page, none missing."""
    for printout in catalogue.PRINTOUTS:
        out = _print(demo, printout.kind, tmp_path / f"{printout.kind}.pdf")
        pages = len(PdfReader(out).pages)
        plan = scans.plan(demo, [out])
        assert plan.unplaced == [], printout.kind
        [sheet] = plan.sheets
        assert sheet.tag.printout == printout.kind and sheet.missing == []
        if printout.kind in COPY_PRINTOUTS:  # identical copies, each a page 1/1 of the round's sheet
            assert sheet.tag.pages == 1 and len(sheet.pages) == pages == 3
        else:
            assert sheet.tag.pages == pages


def test_a_page_is_placed_by_hand_in_the_dialog(qtbot, demo: store.Database, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from desktop.context import AppContext
    from desktop.dialogs.scans_dialog import ScansDialog

    photo = tmp_path / "模糊.jpg"
    Image.new("RGB", (900, 1200), "white").save(photo)
    dialog = ScansDialog(AppContext(demo))
    qtbot.addWidget(dialog)
    dialog.load([photo])
    assert dialog.sheets.count() == 0 and dialog.unplaced.count() == 1
    assert "没有找到可识别的二维码" in dialog.unplaced.item(0).text()
    dialog.unplaced.setCurrentRow(0)
    uuid = dialog.record.currentData()
    dialog.place_selected()
    assert dialog.unplaced.count() == 0
    assert [a.name for a in attachments.list_attachments(demo, owner_kind="meeting", owner_id=uuid)] == [
        "模糊.jpg"
    ]


def test_a_page_is_placed_by_hand_on_any_kind_of_record(qtbot, demo: store.Database, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Manual placement offers every kind attachments accept, not only meetings (an 整改 photo, a member's
    application, a transfer's 回执)."""
    from desktop.context import AppContext
    from desktop.dialogs.scans_dialog import ScansDialog
    from desktop.qt import Qt

    dialog = ScansDialog(AppContext(demo))
    qtbot.addWidget(dialog)
    offered = [dialog.owner_kind.itemData(i) for i in range(dialog.owner_kind.count())]
    assert offered == ["meeting", "member", "project", "finding", "transfer", "development_step"]
    for i, kind in enumerate(offered):
        photo = tmp_path / f"{kind}.png"
        Image.new("RGB", (600, 800), "white").save(photo)
        dialog.load([photo])
        dialog.choose_kind(kind)
        assert dialog.record.count() > 0, kind
        dialog.record.setCurrentIndex(dialog.record.count() - 1)
        uuid = dialog.record.currentData()
        dialog.unplaced.setCurrentRow(0)
        qtbot.mouseClick(dialog.place_button, Qt.MouseButton.LeftButton)
        assert dialog.unplaced.count() == 0, kind
        filed = attachments.list_attachments(demo, owner_kind=kind, owner_id=uuid)
        assert [a.name.split(".")[0] for a in filed] == [kind]


def test_members_projects_and_transfers_open_their_records_files(
    qtbot, demo: store.Database, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from desktop.context import AppContext
    from desktop.pages import members as members_page

    ctx = AppContext(demo)
    page = members_page.Page(ctx)
    qtbot.addWidget(page)
    assert page.open_attachments() is None  # nothing selected
    page.table.setCurrentIndex(page.proxy.index(0, 0))
    dialog = page.open_attachments()
    assert dialog is not None
    doc = tmp_path / "入党志愿书.pdf"
    doc.write_bytes(_one_page_pdf())
    assert len(dialog.panel.add_paths([doc])) == 1
    member = page.current_member()
    assert member is not None
    [a] = attachments.list_attachments(demo, owner_kind="member", owner_id=member.uuid)
    assert a.mime == "application/pdf" and attachments.read_bytes(demo, uuid=a.uuid) == doc.read_bytes()
    dialog.close()


def _one_page_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_files_dropped_on_the_panel_are_added_and_the_bin_empties_only_when_asked(
    qtbot, demo: store.Database, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDropEvent

    from desktop.context import AppContext
    from desktop.widgets.attachments import AttachmentsPanel, BinDialog

    ctx = AppContext(demo)
    meeting = meetings.list_meetings(demo)[0]
    panel = AttachmentsPanel(ctx)
    qtbot.addWidget(panel)
    panel.set_owner(("meeting", meeting.uuid))
    photo = tmp_path / "主题党日.jpg"
    Image.new("RGB", (640, 480), "blue").save(photo)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(photo))])
    drop = QDropEvent(
        QPointF(5, 5),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    panel.dropEvent(drop)
    assert panel.list.count() == 1
    panel.list.setCurrentRow(0)
    panel.remove_selected()
    assert panel.list.count() == 0
    bin_dialog = BinDialog(ctx)
    qtbot.addWidget(bin_dialog)
    assert bin_dialog.list.count() == 1
    bin_dialog.list.setCurrentRow(0)
    bin_dialog.restore_selected()
    assert panel.list.count() == 1 and bin_dialog.list.count() == 0
    panel.list.setCurrentRow(0)
    panel.remove_selected()
    bin_dialog.refresh()
    emptied = bin_dialog.empty()
    assert emptied is not None and emptied.removed == 1
    assert attachments.list_all(demo, include_binned=True) == []


def test_the_file_menu_opens_the_scan_import_and_the_bin(qtbot, demo: store.Database) -> None:  # type: ignore[no-untyped-def]
    from desktop.context import AppContext
    from desktop.dialogs.scans_dialog import ScansDialog
    from desktop.main_window import MainWindow
    from desktop.widgets.attachments import BinDialog

    window = MainWindow(AppContext(demo))
    qtbot.addWidget(window)
    window.scans_action.trigger()
    window.bin_action.trigger()
    shown = {
        type(w) for w in window.findChildren(ScansDialog) + window.findChildren(BinDialog) if w.isVisible()
    }
    assert shown == {ScansDialog, BinDialog}
    for w in window.findChildren(ScansDialog) + window.findChildren(BinDialog):
        w.close()
