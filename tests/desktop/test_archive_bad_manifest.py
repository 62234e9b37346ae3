"""``archive verify`` on a folder whose manifest was damaged by hand: one Chinese message, never a traceback or
English text from the JSON or text decoder."""

from __future__ import annotations

import re
import subprocess
import sys
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
