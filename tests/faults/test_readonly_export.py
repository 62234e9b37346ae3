"""Exporting from a read-only database (issue 17): a read-only file, a read-only folder (a read-only bind mount)
and a read-only medium (a tmpfs remounted read-only). The workbook is written to the writable output folder, the
export says it was not recorded, and the database file is not touched."""

from __future__ import annotations

import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from db import store
from db.store.intents import file_sha256
from db.workbook import sample
from db.workbook.export import export_monthly
from desktop.context import AppContext
from desktop.pages.exchange import Page
from tests.faults._helpers import cli, read_only_bind, tmpfs


def _exports(path: Path) -> int:
    db = store.open(path, readonly=True)
    try:
        return int(
            db.execute("SELECT count(*) FROM exchange_batches WHERE direction = 'export'").fetchone()[0]
        )
    finally:
        store.close(db)


def test_a_read_only_file_exports_and_records_nothing(db_path: Path, tmp_path: Path) -> None:
    db = store.open(db_path)
    sample.fill_roster(db, members=12, seed=3)
    store.close(db)
    before = file_sha256(db_path)
    db = store.open(db_path, readonly=True)
    try:
        result = export_monthly(db, month="2026-04", path=tmp_path / "m.xlsx")
    finally:
        store.close(db)
    assert not result.recorded and result.row_counts["党员名册"] == 12
    assert zipfile.is_zipfile(tmp_path / "m.xlsx")
    assert file_sha256(db_path) == before and _exports(db_path) == 0


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder holding a database, then bound read-only onto itself (as root: chmod does not stop root)."""
    folder = tmp_path / "ro"
    folder.mkdir()
    assert cli("demo", "--db", str(folder / "branch.sqlite"), "--members", "12", cwd=tmp_path).returncode == 0
    with read_only_bind(folder):
        yield folder


def test_a_read_only_folder_exports_checks_and_backs_up(tmp_path: Path, read_only_folder: Path) -> None:
    path = read_only_folder / "branch.sqlite"
    before = sorted((p.name, file_sha256(p)) for p in read_only_folder.iterdir() if p.is_file())
    out = tmp_path / "out.xlsx"
    export = cli("export", "--db", str(path), "--month", "2026-04", "--out", str(out), cwd=tmp_path)
    assert export.returncode == 0 and export.stderr == "", export.stderr
    assert "数据库是只读的" in export.stdout and zipfile.is_zipfile(out)
    assert cli("check", "--db", str(path), cwd=tmp_path).returncode == 0
    assert cli("backup", "--db", str(path), "--out", str(tmp_path / "b.sqlite"), cwd=tmp_path).returncode == 0
    assert sorted((p.name, file_sha256(p)) for p in read_only_folder.iterdir() if p.is_file()) == before


def test_the_exchange_page_exports_from_a_read_only_medium_and_says_so(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with tmpfs(tmp_path / "medium", "16m") as medium:
        path = medium / "branch.sqlite"
        assert cli("demo", "--db", str(path), "--members", "12", cwd=tmp_path).returncode == 0
        subprocess.run(["mount", "-o", "remount,ro", str(medium)], check=True)
        db = store.open(path)
        assert db.readonly  # opened read-only by itself: the medium cannot be written
        try:
            page = Page(AppContext(db))
            qtbot.addWidget(page)
            page.show()
            task = page.export_to(tmp_path / "月报.xlsx")
            with qtbot.waitSignal(task.finished, timeout=30000):
                pass
            assert "已导出" in page.export_status.text(), page.export_status.text()
            assert "数据库是只读的" in page.export_status.text()
            assert zipfile.is_zipfile(tmp_path / "月报.xlsx")
        finally:
            page.close()
            store.close(db)
