"""An encrypted monthly workbook never leaves a plaintext copy in the output folder (issue 17), even when the
process is killed while writing: the plaintext lives in a private folder on the local temporary disk, which the
next start sweeps away."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from db import demo, store
from db.store.leftovers import PRIVATE_PREFIX, sweep_leftovers
from db.workbook import writer
from db.workbook.export import export_monthly

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Hq-2026-secret"
OLE = bytes.fromhex("D0CF11E0")  # an encrypted workbook is an OLE container; a plain .xlsx is a zip (PK)

# The child exports the prepared database and kills itself (kill -9) when the plaintext workbook is complete:
# just before it is encrypted ("before"), or once the encrypted copy is written but not yet renamed ("after").
_CHILD = """
import os, signal, sys
from pathlib import Path
from db import store
from db.workbook import writer
from db.workbook.export import export_monthly
db = store.open(Path(sys.argv[1]))
where = sys.argv[3]
encrypt = writer.protect.encrypt_file
def encrypt_then_die(src, dst, *, password):
    if where == "before":
        os.kill(os.getpid(), signal.SIGKILL)
    encrypt(src, dst, password=password)
    os.kill(os.getpid(), signal.SIGKILL)
writer.protect.encrypt_file = encrypt_then_die
export_monthly(db, month="2026-10", path=Path(sys.argv[2]), password=sys.argv[4])
"""


def _plaintext_workbooks(folder: Path) -> list[Path]:
    """Files that are a plain .xlsx (a zip: PK…), whatever their name."""
    return [p for p in folder.iterdir() if p.is_file() and p.read_bytes()[:2] == b"PK"]


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "localtemp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def branch_db(tmp_path: Path) -> Path:
    path = tmp_path / "b.sqlite"
    db = store.open(path, create=True)
    try:
        demo.generate(db, members=20, seed=3)
    finally:
        store.close(db)
    return path


def test_the_output_folder_only_ever_sees_the_encrypted_file(
    tmp_path: Path, private_tmp: Path, branch_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "usb"
    out.mkdir()
    seen: list[tuple[Path, int, list[Path]]] = []
    encrypt = writer.protect.encrypt_file

    def look_then_encrypt(src: Path, dst: Path, *, password: str) -> None:
        # the moment the whole plaintext workbook exists: where is it, and is the output folder clean?
        seen.append((src, src.parent.stat().st_mode & 0o777, _plaintext_workbooks(out)))
        encrypt(src, dst, password=password)

    monkeypatch.setattr(writer.protect, "encrypt_file", look_then_encrypt)
    db = store.open(branch_db)
    try:
        export_monthly(db, month="2026-10", path=out / "月度报送.xlsx", password=PASSWORD)
    finally:
        store.close(db)
    [(plain, mode, in_output)] = seen
    assert in_output == [], "no plaintext workbook in the output folder while it is encrypted"
    assert plain.parent.parent == private_tmp and plain.parent.name.startswith(PRIVATE_PREFIX)
    assert mode == 0o700, "only this user can read the private folder"
    assert (out / "月度报送.xlsx").read_bytes()[:4] == OLE
    assert sorted(p.name for p in out.iterdir()) == ["月度报送.xlsx"]
    assert list(private_tmp.iterdir()) == [], "the private plaintext folder is removed at once"


@pytest.mark.parametrize("where", ["before", "after"])
def test_killed_while_writing_leaves_no_plaintext_and_the_next_start_sweeps_it(
    tmp_path: Path, private_tmp: Path, branch_db: Path, where: str
) -> None:
    out = tmp_path / "usb"
    out.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(private_tmp)}
    child = subprocess.run(
        [sys.executable, "-c", _CHILD, str(branch_db), str(out / "月度报送.xlsx"), where, PASSWORD],
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert child.returncode == -9, child.stderr[-2000:]
    assert _plaintext_workbooks(out) == [], "a killed encrypted export leaves no plaintext on the USB stick"
    assert not (out / "月度报送.xlsx").exists()
    left = [p for p in private_tmp.iterdir() if p.name.startswith(PRIVATE_PREFIX)]
    assert left and any(_plaintext_workbooks(p) for p in left), "the plaintext was only in the private folder"
    sweep_leftovers(branch_db)  # what the next start does (db.store.open)
    assert [p for p in private_tmp.iterdir() if p.name.startswith(PRIVATE_PREFIX)] == []
