"""导入扫描件 with files a scanner, a phone or a careless copy really produce: empty, cut short, password-protected,
or of another type than their name says. Each is one Chinese line naming the file and what to do; no English words
of the image or PDF library reach the secretary."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
import segno
from PIL import Image
from pypdf import PdfWriter

from db import store
from db.attachments import scans
from db.errors import StoreError

OTHER_BRANCH = "BD1/SIGNIN/00000000-0000-4000-8000-000000000000/1/1"


def _code_page() -> Image.Image:
    """A white A4 page at 150 dpi with a QR code of ours (a record this database does not hold)."""
    page = Image.new("RGB", (1240, 1754), "white")
    out = io.BytesIO()
    segno.make(OTHER_BRANCH, error="m").save(out, kind="png", scale=8, border=4)
    page.paste(Image.open(io.BytesIO(out.getvalue())).convert("RGB"), (900, 1400))
    return page


def _pdf_bytes(page: Image.Image) -> bytes:
    out = io.BytesIO()
    page.save(out, "PDF", resolution=150.0)
    return out.getvalue()


def _no_english(reason: str) -> None:
    assert not re.search(r"[A-Za-z]{3,}", reason.replace("PDF", "").replace("JPG", "")), reason


def test_bad_files_are_each_one_chinese_reason_with_what_to_do(db: store.Database, tmp_path: Path) -> None:
    folder = tmp_path / "扫描 件"
    folder.mkdir()
    pdf = _pdf_bytes(_code_page())
    (folder / "空白 扫描.pdf").write_bytes(b"")
    (folder / "空白照片.jpg").write_bytes(b"")
    (folder / "半截.pdf").write_bytes(pdf[: len(pdf) // 3])
    jpeg = io.BytesIO()
    _code_page().save(jpeg, "JPEG")
    (folder / "半截.jpg").write_bytes(jpeg.getvalue()[: len(jpeg.getvalue()) // 3])
    (folder / "其实是文字.pdf").write_text("不是扫描件", encoding="utf-8")
    locked = PdfWriter(clone_from=io.BytesIO(pdf))
    locked.encrypt("mima")
    with open(folder / "加密.pdf", "wb") as f:
        locked.write(f)

    plan = scans.plan(db, [folder])

    assert plan.sheets == []
    reasons = {u.page.label: u.reason for u in plan.unplaced}
    assert set(reasons) == {
        "空白 扫描.pdf",
        "空白照片.jpg",
        "半截.pdf",
        "半截.jpg",
        "其实是文字.pdf",
        "加密.pdf",
    }
    for reason in reasons.values():
        _no_english(reason)
        assert "请" in reason, reason  # says what to do
    assert "空" in reasons["空白 扫描.pdf"] and "空" in reasons["空白照片.jpg"]
    assert "密码" in reasons["加密.pdf"]
    assert "损坏" in reasons["半截.pdf"] and "损坏" in reasons["半截.jpg"]
    assert "不是图片或 PDF" in reasons["其实是文字.pdf"]


@pytest.mark.parametrize("name", ["扫描 1.jpg", "扫描 2.png"])
def test_a_pdf_named_as_an_image_is_read_as_the_pdf_it_is(
    db: store.Database, tmp_path: Path, name: str
) -> None:
    path = tmp_path / name
    path.write_bytes(_pdf_bytes(_code_page()))
    [u] = scans.plan(db, [path]).unplaced
    assert "不在本数据库中" in u.reason  # its code was read: the file was opened as what it is


def test_an_image_named_as_a_pdf_is_read_as_the_image_it_is(db: store.Database, tmp_path: Path) -> None:
    path = tmp_path / "扫描.pdf"
    _code_page().save(path, "PNG")
    [u] = scans.plan(db, [path]).unplaced
    assert "不在本数据库中" in u.reason


def test_a_file_spoiled_between_the_preview_and_the_filing_is_one_chinese_error(
    db: store.Database, tmp_path: Path
) -> None:
    from db import meetings

    meeting = meetings.plan_meeting(db, kind="branch_assembly", planned_on=date(2026, 3, 5), topic="学习")
    path = tmp_path / "签到 扫描.png"
    page = Image.new("RGB", (1240, 1754), "white")
    out = io.BytesIO()
    segno.make(f"BD1/SIGNIN/{meeting.uuid}/1/1", error="m").save(out, kind="png", scale=8, border=4)
    page.paste(Image.open(io.BytesIO(out.getvalue())).convert("RGB"), (900, 1400))
    page.save(path)
    plan = scans.plan(db, [path])
    assert len(plan.sheets) == 1
    path.write_bytes(path.read_bytes()[:200])  # the file cut short (a stick pulled, a sync) before 归档
    with pytest.raises(StoreError) as caught:
        scans.apply(db, plan)
    assert "签到 扫描.png" in caught.value.message and "损坏" in caught.value.message
    _no_english(caught.value.message.replace("签到 扫描.png", ""))
