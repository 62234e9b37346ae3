"""``archive verify`` on a folder whose manifest was damaged by hand: one Chinese message, never a traceback or
English text from the JSON or text decoder."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from desktop.archive import manifest

ROOT = Path(__file__).resolve().parents[2]


def _verify(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop", "archive", "verify", str(folder)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen"},
        check=False,
    )


@pytest.mark.parametrize(
    "content",
    [
        b"{bad",
        b"\xff\xfe not text",
        b'{"format": "branchdesk-archive/1", "files": [3, {"file": 5}]}',
        b'{"format": "branchdesk-archive/1", "files": [{"file": "a.pdf", "sha256": 7}]}',
    ],
    ids=["not-json", "not-utf8", "entries-not-objects", "hash-not-text"],
)
def test_a_damaged_manifest_is_one_chinese_message(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4\n")
    (tmp_path / manifest.MANIFEST).write_bytes(content)
    done = _verify(tmp_path)
    assert done.returncode == 1, done.stderr
    out = done.stdout + done.stderr
    assert "Traceback" not in out and "内部错误" not in out
    assert not re.search(
        r"[A-Za-z]{4,}", out.replace(str(tmp_path), "").replace("manifest.json", "").replace("SHA-256", "")
    ), out


def _archive(db_file: Path, year: str, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop", "--db", str(db_file), "archive", "--year", year, "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen"},
        check=False,
    )


@pytest.mark.parametrize("year", ["0", "10000", str(date.today().year + 1)])
def test_a_year_that_has_not_begun_or_cannot_exist_is_refused(
    db_path: Path, tmp_path: Path, year: str
) -> None:
    done = _archive(db_path, year, tmp_path / "out")
    assert done.returncode != 0
    assert "Traceback" not in done.stderr and "内部错误" not in done.stderr, done.stderr
    assert "立卷年度" in done.stderr and year in done.stderr
    assert not (tmp_path / "out").exists()


def test_an_output_path_that_is_a_file_is_said_in_chinese(db_path: Path, tmp_path: Path) -> None:
    (tmp_path / "out").write_text("x")
    done = _archive(db_path, str(date.today().year), tmp_path / "out")
    assert done.returncode != 0
    assert "File exists" not in done.stderr and "同名的文件" in done.stderr, done.stderr


def test_another_years_archive_in_the_folder_is_not_overwritten(db_path: Path, tmp_path: Path) -> None:
    """Two years into one folder used to replace the first year's 卷内目录 and manifest: that year could no
    longer be verified, while the settings still said it was archived there."""
    this = date.today().year
    out = tmp_path / "档案"
    assert _archive(db_path, str(this - 1), out).returncode == 0
    before = (out / manifest.MANIFEST).read_bytes()
    done = _archive(db_path, str(this), out)
    assert done.returncode != 0
    assert f"{this - 1}" in done.stderr and "另选" in done.stderr, done.stderr
    assert (out / manifest.MANIFEST).read_bytes() == before
    assert manifest.verify(out) == []
    assert _archive(db_path, str(this - 1), out).returncode == 0  # the same year again: made anew


def test_a_damaged_attachment_is_named_in_chinese(tmp_path: Path, qapp) -> None:  # type: ignore[no-untyped-def]
    from db import attachments, demo, meetings, store
    from desktop.archive import volumes

    db = store.open(tmp_path / "demo.sqlite")
    try:
        demo.generate(db, members=8, seed=2)
        year = date.today().year
        held = [m for m in meetings.list_meetings(db, status="held") if m.held_on.year == year]
        for name, data in (
            ("坏.pdf", b"%PDF-1.4\n1 0 obj<<>>garbage"),
            ("坏.png", b"\x89PNG\r\n\x1a\n" + b"x" * 99),
        ):
            attachments.add_attachment(db, owner_kind="meeting", owner_id=held[0].uuid, name=name, data=data)
        made = volumes.make_year(db, year=year, out=tmp_path / "档案")
    finally:
        store.close(db)
    assert len(made.problems) == 2
    for problem in made.problems:
        assert "已损坏" in problem and not re.search(
            r"[A-Za-z]{3,}", re.sub(r"坏\.(pdf|png)", "", problem)
        ), problem


@pytest.mark.parametrize("typed", ["", "  ", "档案"])
def test_the_dialog_refuses_a_folder_that_is_not_a_full_path(
    qtbot, db, tmp_path, monkeypatch, typed: str
) -> None:  # type: ignore[no-untyped-def]
    """An emptied or relative folder field wrote the archive, or the handover with its database copy, into
    whatever folder the program was started from (the install folder, the desktop)."""
    from desktop.context import AppContext
    from desktop.dialogs.archive_volumes import ArchiveVolumesDialog
    from desktop.qt import QMessageBox, Qt

    start = tmp_path / "start"
    start.mkdir()
    monkeypatch.chdir(start)  # the folder a relative path would land in
    dialog = ArchiveVolumesDialog(AppContext(db))
    qtbot.addWidget(dialog)
    dialog.folder.setText(typed)
    for button in (dialog.archive_button, dialog.handover_button):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        box = dialog.findChild(QMessageBox)
        assert box is not None and "请点“选择…”" in box.text(), box and box.text()
        box.close()
        box.deleteLater()
        qtbot.waitUntil(lambda: dialog.findChild(QMessageBox) is None)
    assert list(start.iterdir()) == []
