"""The printouts of the 民主评议党员, read back with pdftotext: the anonymous 测评票 (N identical pages for N voters,
the branch, the 年度, every member graded and only them, the four grades, no voter name) and the 民主评议结果 report
(counts, the names of 优秀 and 不合格, the 组织处置)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from db import appraisal, demo, store
from desktop import cli
from tests.desktop.test_printed_tables import page_texts

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
TODAY = date(2026, 11, 30)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    database = store.open(path, create=True)
    try:
        demo.generate(database, members=40, seed=1, today=TODAY)
    finally:
        store.close(database)
    return path


def _people(path: Path) -> list[appraisal.Participant]:
    database = store.open(path)
    try:
        r = appraisal.round_of_year(database, year=2025)
        assert r is not None
        return appraisal.participants(database, round_uuid=r.uuid, today=TODAY)
    finally:
        store.close(database)


def test_ballots_one_identical_page_per_voter(demo_db, tmp_path, capsys, qapp) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "测评票.pdf"
    argv = [
        "--db",
        str(demo_db),
        "print",
        "appraisal-ballot",
        "--year",
        "2025",
        "--voters",
        "7",
        "--out",
        str(out),
    ]
    assert cli.main(argv) == 0, capsys.readouterr().err
    assert "共 7 份" in capsys.readouterr().out
    pages = page_texts(out)
    assert len(pages) == 7 and len(set(pages)) == 1  # identical copies: none can be told apart
    text = pages[0]
    assert "2025年度民主评议党员民主测评表" in text and "中共东山煤矿综采一区党支部" in text
    assert all(g in text for g in ("优秀", "合格", "基本合格", "不合格"))
    assert "本表不记名" in text
    people = _people(demo_db)
    graded = [p.name for p in people if p.graded]
    assert graded and all(name in text for name in graded)
    probationary = [p.name for p in people if p.group == "ungraded"]
    assert probationary and not any(name in text for name in probationary)  # take part, not on the ballot


def test_ballots_need_the_number_of_voters(demo_db, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "x.pdf"
    assert cli.main(["--db", str(demo_db), "print", "appraisal-ballot", "--out", str(out)]) != 0
    assert "请用 --voters 指定参加测评的人数" in capsys.readouterr().err
    assert not out.exists()
    assert cli.main(["--db", str(demo_db), "print", "roster", "--voters", "3", "--out", str(out)]) != 0
    assert "--voters 只用于民主测评表" in capsys.readouterr().err


def test_result_report_for_the_upper_committee(demo_db, tmp_path, capsys, qapp) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "结果.pdf"
    assert cli.main(["--db", str(demo_db), "print", "appraisal-result", "--out", str(out)]) == 0
    text = "".join(page_texts(out))
    assert "东山煤矿综采一区党支部2025年度民主评议党员结果报告" in text
    people = _people(demo_db)
    excellent = [p.name for p in people if p.grade == "excellent"]
    [failing] = [p.name for p in people if p.grade == "unqualified"]
    assert f"优秀{len(excellent)}人" in text and "不合格1人" in text
    assert "评定为优秀的党员:" + "、".join(excellent) in text
    assert f"评定为不合格的党员:{failing}" in text
    assert f"组织处置:{failing}限期改正(至" in text
