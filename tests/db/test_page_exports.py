"""The page exports (dues, transfer register, projects ledger) write through the one workbook writer: columns from
``db.workbook.format``, text escaped by its one rule, and no spreadsheet library loaded before an export."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

from openpyxl import load_workbook

from db import members, transfers
from db.workbook.page_columns import REGISTER_MOBILE_COLUMNS, REGISTER_TRANSFER_COLUMNS

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 3, 31)


def test_importing_the_parts_loads_no_spreadsheet_library() -> None:
    code = (
        "import sys, db.dues, db.projects, db.transfers, db.reports, db.workbook.writer\n"
        "print(sorted(m for m in ('openpyxl', 'xlsxwriter') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_register_export_keeps_serials_text_and_escapes_formulas(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    member = members.add_member(db, values={"name": "=张三", "category": "full", "joined_on": "2015-07-01"})
    transfers.transfer_out(
        db,
        member_uuid=member.uuid,
        addressee="中共某某委员会",
        to_unit="+新单位党支部",
        issued_on=date(2026, 3, 2),
        today=TODAY,
    )
    path = transfers.export_register_xlsx(db, path=tmp_path / "sub" / "转接.xlsx", today=TODAY)
    wb = load_workbook(path)
    assert wb.sheetnames == ["组织关系转接", "流动党员"]
    ws = wb["组织关系转接"]
    assert [c.value for c in ws[1]] == [c.header for c in REGISTER_TRANSFER_COLUMNS]
    assert [c.value for c in wb["流动党员"][1]] == [c.header for c in REGISTER_MOBILE_COLUMNS]
    row = {h: c for h, c in zip([c.header for c in REGISTER_TRANSFER_COLUMNS], ws[2])}
    assert row["介绍信编号"].value == "2026-001" and row["介绍信编号"].number_format == "@"
    assert row["姓名"].value == "'=张三" and row["转往单位"].value == "'+新单位党支部"
    assert row["方向"].value == "转出" and row["状态"].value == "有效" and row["回执"].value == "待回执"
    assert row["开具/转入日期"].value.date() == date(2026, 3, 2)
