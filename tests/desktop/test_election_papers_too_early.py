"""The election's papers from the command line before their step: the 选举办法 before the candidates said
「候选人 0 名，实行等额选举」 whatever the method, and the 选举结果报告 before the officers reported 「委员 0 名：。」
to the upper 党委. The page offers these buttons only once their step is done; the command line now says the same."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from db import elections, store

ROOT = Path(__file__).resolve().parents[2]


def _print(db_file: Path, kind: str, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop", "--db", str(db_file), "print", kind, "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen"},
        check=False,
    )


@pytest.mark.parametrize(
    ("kind", "says"),
    [("election-method", "还没有确定候选人"), ("election-report", "还没有选举书记")],
)
def test_a_paper_before_its_step_is_refused(db_path: Path, tmp_path: Path, kind: str, says: str) -> None:
    db = store.open(db_path)
    elections.start_election(db, request_on=date.today(), proposed_size=3, proposed_method="competitive")
    store.close(db)
    done = _print(db_path, kind, tmp_path / "out.pdf")
    assert done.returncode != 0 and says in done.stderr, done.stdout + done.stderr
    assert not (tmp_path / "out.pdf").exists()
    assert _print(db_path, "election-request", tmp_path / "请示.pdf").returncode == 0  # the 请示 is due now
