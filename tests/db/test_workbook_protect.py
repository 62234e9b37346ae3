"""Monthly workbooks encrypted with a password agreed with headquarters: written, read back, refused when wrong."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import msoffcrypto
import pytest
from python_calamine import CalamineWorkbook

from db import demo, members, store
from db.errors import ValidationError
from db.workbook.consolidate import consolidate
from db.workbook.export import export_monthly
from db.workbook.merge import preview_import
from db.workbook.read import WorkbookRefused

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 11, 15)
PASSWORD = "meikuang-2026"


@pytest.fixture
def demo_db(db):  # type: ignore[no-untyped-def]
    demo.generate(db, members=12, seed=5, today=TODAY, parts=False)
    return db


def _decrypt(path: Path, password: str) -> io.BytesIO:
    with open(path, "rb") as f:
        office = msoffcrypto.OfficeFile(f)
        assert office.is_encrypted()
        office.load_key(password=password)
        out = io.BytesIO()
        office.decrypt(out)
    out.seek(0)
    return out


def test_encrypted_export_opens_with_the_password_in_a_second_reader(demo_db, tmp_path: Path) -> None:
    path = tmp_path / "2026-10.xlsx"
    export_monthly(demo_db, month="2026-10", path=path, password=PASSWORD)
    assert path.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"  # an encrypted OLE container, not a readable zip
    assert "党员名册".encode() not in path.read_bytes()
    book = CalamineWorkbook.from_filelike(_decrypt(path, PASSWORD))
    rows = book.get_sheet_by_name("党员名册").to_python()
    header = next(r for r in rows if "姓名" in r)
    names = {r[header.index("姓名")] for r in rows[rows.index(header) + 1 :]}
    assert {m.name for m in members.list_members(demo_db)} <= names
    with pytest.raises(Exception):  # noqa: B017 - msoffcrypto's own error for a wrong key
        _decrypt(path, "wrong-password")


def test_import_needs_the_right_password(demo_db, tmp_path: Path) -> None:
    path = tmp_path / "roster.xlsx"
    export_monthly(demo_db, month="2026-10", path=path, password=PASSWORD)
    with pytest.raises(WorkbookRefused, match="打开密码"):
        preview_import(demo_db, path=path)
    with pytest.raises(WorkbookRefused, match="密码不正确"):
        preview_import(demo_db, path=path, password="not-the-one")
    preview = preview_import(demo_db, path=path, password=PASSWORD)
    assert (
        preview.counts["unchanged"] == len(members.list_members(demo_db)) and preview.counts["invalid"] == 0
    )
    assert preview.file_name == "roster.xlsx"


def test_consolidation_reads_encrypted_and_plain_workbooks_together(demo_db, tmp_path: Path) -> None:
    encrypted, plain = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    export_monthly(demo_db, month="2026-10", path=encrypted, password=PASSWORD)
    export_monthly(demo_db, month="2026-10", path=plain)
    refused = consolidate([encrypted, plain], out=tmp_path / "sum0.xlsx")
    assert any("密码" in text for _name, text in refused.problems)
    result = consolidate([encrypted, plain], out=tmp_path / "sum.xlsx", password=PASSWORD)
    # Issue 15: both files are read; the same branch and month count once (the later file replaces the other).
    assert len(result.branches) == 1 and len(result.replaced) == 1
    assert not any("密码" in text for _name, text in result.problems)


def test_a_short_password_is_refused_and_nothing_is_written(demo_db, tmp_path: Path) -> None:
    path = tmp_path / "m.xlsx"
    with pytest.raises(ValidationError, match="至少 6 位"):
        export_monthly(demo_db, month="2026-10", path=path, password="123")
    assert not path.exists() and not list(tmp_path.glob(".*partial*"))


def test_cli_export_reads_the_password_from_the_environment(db_path: Path, tmp_path: Path) -> None:
    database = store.open(db_path)
    demo.generate(database, members=5, seed=2, today=TODAY, parts=False)
    store.close(database)
    out = tmp_path / "m.xlsx"
    env = {**os.environ, "BRANCHDESK_WORKBOOK_PASSWORD": PASSWORD}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "desktop",
            "export",
            "--db",
            str(db_path),
            "--month",
            "2026-10",
            "--out",
            str(out),
            "--password",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert PASSWORD not in result.stdout + result.stderr
    _decrypt(out, PASSWORD)
    env.pop("BRANCHDESK_WORKBOOK_PASSWORD")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "desktop",
            "export",
            "--db",
            str(db_path),
            "--month",
            "2026-10",
            "--out",
            str(out),
            "--password",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1 and "BRANCHDESK_WORKBOOK_PASSWORD" in result.stderr
