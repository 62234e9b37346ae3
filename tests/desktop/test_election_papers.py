"""The election's papers as PDFs, read back with pdftotext (title, names, numbers) and rendered with pdftoppm: the
请示, the 选举办法 with this election's numbers, the 选票 in 姓氏笔画 order with a box each and room for 另选他人, the
计票结果 of two rounds (a tie at the last seat), the 选举结果报告; each page with its QR code."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from datetime import timedelta
from pathlib import Path

import pytest

from db import elections
from desktop.printing import elections as papers
from tests.db.election_helpers import VOTE, replied, small_branch
from tests.desktop.test_printed_tables import page_texts

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
    reason="poppler-utils not installed",
)


def _n(text: str) -> str:
    """As page_texts reads a page: NFKC, no whitespace."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def _election(db):  # type: ignore[no-untyped-def]
    p = small_branch(db)
    e = replied(db, seats=3)
    names = ["欧阳华", "王建国", "李明", "张伟", "刘洋"]
    e = elections.set_candidates(db, election_uuid=e.uuid, member_uuids=[p[n] for n in names], on=VOTE)
    first = {"王建国": 9, "李明": 7, "张伟": 5, "刘洋": 5, "欧阳华": 1}
    e = elections.record_round(
        db,
        election_uuid=e.uuid,
        held_on=VOTE,
        present=9,
        issued=9,
        returned=9,
        valid=9,
        invalid=0,
        votes={p[n]: v for n, v in first.items()},
        write_ins=[("丁一", 0)],
    )
    return p, e


def _pdf(db, kind: str, e, tmp_path: Path, copies: int = 1) -> list[str]:  # type: ignore[no-untyped-def]
    out = tmp_path / f"{kind}.pdf"
    pages = papers.write_pdf(db, kind, election_uuid=e.uuid, path=out, day=VOTE, copies=copies)
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(out), str(tmp_path / kind)], check=True)
    assert len(list(tmp_path.glob(f"{kind}-*.png"))) == pages
    texts = page_texts(out)
    assert len(texts) == pages
    return texts


def test_ballot_lists_the_round_in_stroke_order(db, tmp_path, qapp) -> None:  # type: ignore[no-untyped-def]
    _p, e = _election(db)
    # the second round: the two tied at the last seat
    texts = _pdf(db, "ballot", e, tmp_path, copies=2)
    assert len(texts) == 2 and texts[0] == texts[1]  # identical copies: no numbering
    text = texts[0]
    assert _n("综采一区党支部委员会委员选举选票（第 2 轮）") in text and _n("应选 1 名") in text
    assert text.index("刘洋") < text.index("张伟") and "王建国" not in text  # 刘 6 strokes, 张 7
    assert _n("另选他人") in text and _n("ballot") in text  # the code's text under the QR code
    e1 = elections.get_election(db, uuid=e.uuid)
    assert [c.name for c in e1.candidates] == ["王建国", "刘洋", "李明", "张伟", "欧阳华"]


def test_the_other_papers(db, tmp_path, qapp) -> None:  # type: ignore[no-untyped-def]
    p, e = _election(db)
    request = "".join(_pdf(db, "election-request", e, tmp_path))
    assert _n("关于综采一区党支部换届选举的请示") in request and _n("某矿党委：") in request
    assert _n("2023年05月01日 至 2026年04月30日") in request and _n("书记王建国") in request
    assert _n("拟由 3 名委员组成") in request and _n("差额选举") in request

    method = "".join(_pdf(db, "election-method", e, tmp_path))
    assert _n("综采一区党支部党员大会选举办法") in method
    assert _n("由 3 名委员组成，候选人 5 名，差额 2 名") in method
    assert (
        _n("应到会有选举权的党员 9 名") in method and _n("至少 8 名") in method and _n("至少 5 票") in method
    )

    e = elections.record_round(
        db,
        election_uuid=e.uuid,
        held_on=VOTE,
        present=9,
        issued=9,
        returned=9,
        valid=9,
        invalid=0,
        votes={p["张伟"]: 6, p["刘洋"]: 3},
    )
    count = "".join(_pdf(db, "election-count", e, tmp_path))
    assert _n("综采一区党支部换届选举计票结果") in count
    for line in ("第 1 轮", "第 2 轮", "票数相等，再次投票", "另选他人", "丁一", "监票人"):
        assert _n(line) in count, line
    assert _n("发出选票 9 张，收回 9 张") in count

    e = elections.elect_officers(
        db,
        election_uuid=e.uuid,
        on=VOTE,
        roles={p["王建国"]: "secretary", p["李明"]: "organization", p["张伟"]: "publicity"},
    )
    e = elections.record_report(db, election_uuid=e.uuid, on=VOTE + timedelta(days=1))
    report = "".join(_pdf(db, "election-report", e, tmp_path))
    assert _n("关于综采一区党支部换届选举结果的报告") in report
    assert _n("王建国（9 票）、李明（7 票）、张伟（6 票）") in report  # 姓氏笔画: 王 4, 李 7 (横), 张 7 (折)
    assert _n("选举王建国为书记") in report and _n("矿党发〔2026〕8号") in report
