"""Reports written from the roster: the 党员名册 workbook in the national 汇总表 column order.

No Qt here: the GUI hands the members it shows (its current view) and a path.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from db.records import CATEGORIES, GENDERS, STANDINGS, Member
from db.rules import mask_citizen_id, mask_phone
from db.store.leftovers import sweep_partials

# The national roster exchange order (GLOSSARY: 汇总表).
ROSTER_HEADERS: tuple[str, ...] = (
    "序号",
    "姓名",
    "所在党支部",
    "公民身份号码",
    "性别",
    "民族",
    "出生日期",
    "学历",
    "人员类别",
    "加入党组织日期",
    "转为正式党员日期",
    "工作岗位",
    "手机号",
    "固定电话",
    "家庭住址",
    "党籍状态",
    "是否为失联党员",
    "失去联系日期",
    "是否为流动党员",
    "外出流向",
    "备注",
)
_WIDTHS = (6, 10, 18, 21, 6, 8, 12, 10, 10, 14, 16, 14, 14, 14, 24, 10, 14, 12, 14, 14, 20)
_FORMULA_START = ("=", "+", "-", "@")


def _yes_no(value: bool) -> str:
    return "是" if value else "否"


def roster_row(member: Member, *, number: int, branch_name: str = "", reveal: bool = False) -> list[Any]:
    """One row of the roster in ``ROSTER_HEADERS`` order: dates as ``date``, IDs/phones as text (masked unless
    ``reveal``)."""
    cid = member.citizen_id or ""
    return [
        number,
        member.name,
        branch_name,
        cid if reveal else mask_citizen_id(cid),
        GENDERS.get(member.gender or "", ""),
        member.ethnicity,
        member.birth_date,
        member.education,
        CATEGORIES.get(member.category, member.category),
        member.joined_on,
        member.full_on,
        member.job,
        member.mobile if reveal else mask_phone(member.mobile),
        member.landline if reveal else mask_phone(member.landline),
        member.address,
        STANDINGS.get(member.standing, member.standing),
        _yes_no(member.lost_contact),
        member.lost_contact_on,
        _yes_no(member.mobile_member),
        member.outflow_place,
        member.notes,
    ]


def write_roster_xlsx(
    path: str | os.PathLike[str], *, members: Sequence[Member], reveal: bool = False, branch_name: str = ""
) -> Path:
    """Write ``members`` (in the given order) as a 党员名册 workbook at ``path`` and return the path.

    Columns follow the national 汇总表 order; citizen IDs and phones are text cells (masked unless ``reveal``),
    dates real dates shown as yyyy-mm-dd, no cell is ever a formula; the header row is bold and frozen. The file is
    written under a temporary name and renamed, so a failure never leaves a half-written workbook. Raises
    ``OSError`` when the folder is not writable.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    path = Path(path)
    wb = Workbook()
    ws = wb.active
    ws.title = "党员名册"
    ws.append(list(ROSTER_HEADERS))
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="FCE4D6")
    for cell in ws[1]:
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for number, member in enumerate(members, start=1):
        ws.append(roster_row(member, number=number, branch_name=branch_name, reveal=reveal))
        for cell in ws[ws.max_row]:
            value = cell.value
            if isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(value, str):
                # A leading = + - @ would be a live formula in Excel: keep every string a plain string.
                cell.data_type = "s"
                if value.startswith(_FORMULA_START):
                    cell.value = "'" + value
                    cell.data_type = "s"
    for i, width in enumerate(_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(ROSTER_HEADERS))}{max(ws.max_row, 1)}"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.partial")
    sweep_partials(path)  # what a killed earlier write left in this folder (issue 17)
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path
