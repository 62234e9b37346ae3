"""Printouts can be searched: the PDF text layer holds the ideographs shown, never their CJK-radical twins.

Noto Sans CJK maps e.g. 支 and ⽀ (U+2F40), 页 and ⻚ (U+2EDA) to one glyph, and Qt records the radical; a
secretary searching an archived sign-in sheet for "支部" or a member's name then finds nothing.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from db import branch, meetings
from desktop.printing.text_layer import fix_cmap, ideograph_for
from tests.db.meetings_helpers import make_roster

RADICAL_BLOCKS = ((0x2E80, 0x2EFF), (0x2F00, 0x2FDF), (0x31C0, 0x31EF))


def _radicals(text: str) -> set[str]:
    return {c for c in text if any(lo <= ord(c) <= hi for lo, hi in RADICAL_BLOCKS)}


def test_radicals_map_to_their_ideographs() -> None:
    assert chr(ideograph_for(0x2F40)) == "支"  # KANGXI RADICAL BRANCH, via NFKC
    assert chr(ideograph_for(0x2EDA)) == "页"  # CJK RADICAL C-SIMPLIFIED LEAF, from the Unicode table
    assert chr(ideograph_for(0x2ECC)) == "辶"  # a run in the table (2ECC..2ECE)
    assert ideograph_for(0x652F) == 0x652F and ideograph_for(0x41) == 0x41  # everything else unchanged


def test_cmap_destinations_fixed_and_sources_untouched() -> None:
    cmap = b"\n".join(
        [
            b"1 begincodespacerange",
            b"<2F40> <2F40>",  # a source code equal to a radical value is not a destination
            b"endcodespacerange",
            b"3 beginbfrange",
            b"<0001> <0003> [<4F1A> <2F40> <0032>]",
            b"<0004> <0004> <2EDA>",
            b"<0010> <0012> <2F3F>",  # a consecutive run over 2F3F, 2F40, 2F41
            b"endbfrange",
            b"1 beginbfchar",
            b"<2F00> <2F00>",
            b"endbfchar",
        ]
    )
    fixed = fix_cmap(cmap).split(b"\n")
    assert fixed[1] == b"<2F40> <2F40>"
    assert fixed[4] == b"<0001> <0003> [<4F1A> <652F> <0032>]"
    assert fixed[5] == b"<0004> <0004> <9875>"
    expected = b" ".join(b"<%04X>" % ord(c) for c in "手支攴")
    assert fixed[6] == b"<0010> <0012> [" + expected + b"]"
    assert fixed[9] == b"<2F00> <4E00>"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_signin_sheet_is_searchable_for_branch_and_every_name(db, tmp_path: Path, qapp) -> None:
    from desktop.printing.signin import write_pdf

    branch.save_branch(db, name="东山煤矿综采一区党支部")
    make_roster(db, full=30, probationary=4, groups=3, committee=5)
    meeting = meetings.plan_meeting(
        db, kind="branch_assembly", planned_on=date(2026, 12, 15), planned_time="14:00", topic="主题党日活动"
    )
    sheet = meetings.signin_sheet(db, meeting_uuid=meeting.uuid, variant="planned")
    out = tmp_path / "signin.pdf"
    write_pdf(sheet, out)
    text = subprocess.run(["pdftotext", str(out), "-"], check=True, capture_output=True, text=True).stdout
    assert _radicals(text) == set()
    compact = "".join(text.split())
    assert "支部" in compact
    names = [row.name for _heading, rows in sheet.blocks for row in rows]
    assert len(names) >= 34
    for name in names:
        assert name in compact
    assert not list(tmp_path.glob(".*partial")), "no temporary file is left beside the PDF"
