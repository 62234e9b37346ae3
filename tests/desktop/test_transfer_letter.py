"""The printed introduction letter: three parts, serial, capital numerals, the member's name as text."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from datetime import date

import pytest

from db import members, transfers
from db.rules import make_citizen_id
from desktop.printing.transfer_letter import letter_data, write_letter_pdf


@pytest.fixture
def letter(db):  # type: ignore[no-untyped-def]
    cid = make_citizen_id("140202", date(1985, 5, 6), 11)
    m = members.add_member(
        db,
        values={
            "name": "王建国",
            "citizen_id": cid,
            "category": "full",
            "ethnicity": "汉族",
            "joined_on": date(2010, 7, 1),
            "full_on": date(2011, 7, 1),
        },
    )
    t = transfers.transfer_out(
        db,
        member_uuid=m.uuid,
        addressee="中共塔山煤矿委员会",
        to_unit="塔山煤矿综采二队党支部",
        dues_paid_to="2026-10",
        validity_days=30,
        issued_on=date(2026, 11, 3),
        today=date(2026, 11, 20),
    )
    data = letter_data(
        t, members.get_member(db, uuid=m.uuid), branch_name="机电队党支部", upper_name="中共某矿委员会"
    )
    return data, cid


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_letter_pdf_text(letter, tmp_path) -> None:  # type: ignore[no-untyped-def]
    data, cid = letter
    assert data.dues_month == "贰零贰陆年拾月" and data.validity == "叁拾"
    assert data.issued_on == "贰零贰陆年拾壹月叁日" and data.age == "41" and data.category == "正式"
    pdf = write_letter_pdf(tmp_path / "letter.pdf", data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    # pdftotext maps some glyphs to Kangxi radicals (⽉ for 月): NFKC folds them back
    flat = unicodedata.normalize("NFKC", "".join(text.split()))
    for needle in (
        "存根",
        "中国共产党党员组织关系介绍信",
        "回执",
        "2026-001",
        "王建国",
        cid,
        "贰零贰陆年拾月",
        "有效期叁拾天",
        "贰零贰陆年拾壹月叁日",
        "中共塔山煤矿委员会:",
        "请接转组织关系",  # issue 14: the form's wording (was 请转接)
        "王建国同志(男),41岁,汉族,系中共正式党员",  # issue 14: the 介绍信联 carries 性别、年龄、民族
        "中共某矿委员会:",  # issue 14: the 回执 is addressed to the issuing 党委
        "经办人",
        "联系电话",
        "沿此线剪开",
    ):
        assert needle in flat, needle
    assert "中共机电队党支部(盖章)" not in flat  # issue 14: the 落款 carries no organisation name
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           1" in info and "595" in info
