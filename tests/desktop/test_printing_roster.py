"""desktop.printing.roster: the roster PDF holds every name, masked IDs, and page numbers on every page."""

from __future__ import annotations

import subprocess
import unicodedata
from datetime import date

from db import members as members_db
from db.rules import make_citizen_id
from desktop.printing.roster import write_roster_pdf

SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"


def _pdf_text(path) -> str:  # type: ignore[no-untyped-def]
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    # Noto CJK maps some glyphs to Kangxi radicals (⼀ for 一) in the PDF's text layer; NFKC folds them back.
    # ⻚ (a CJK radical-supplement form of 页) is not folded by NFKC.
    text = unicodedata.normalize("NFKC", text).replace("\u2eda", "页")
    return "".join(text.split())


def test_pdf_has_every_name_masked_ids_and_pages(db, tmp_path) -> None:
    members = []
    for i in range(45):  # more than one page
        cid = make_citizen_id("140202", date(1970 + i % 30, 1 + i % 12, 1 + i % 28), 100 + i)
        members.append(
            members_db.add_member(
                db,
                values={
                    "name": SURNAMES[i % len(SURNAMES)] + "一" + "明亮刚"[i % 3] + ("" if i < 30 else "华"),
                    "category": "full",
                    "citizen_id": cid,
                    "mobile": f"139{i:08d}",
                },
            )
        )
    out = write_roster_pdf(tmp_path / "roster.pdf", members, "采煤一队党支部", printed_on=date(2024, 5, 1))
    text = _pdf_text(out)
    for m in members:
        assert m.name in text, m.name
    assert "采煤一队党支部党员名册" in text
    first = members[0].citizen_id
    assert first not in text
    assert first[:6] + "********" + first[-4:] in text
    assert "13900000000" not in text
    assert "第1页/共3页" in text and "第3页/共3页" in text
    assert text.count("身份号码") == 3  # the header row is repeated on every page
