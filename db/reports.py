"""Reports written from the roster: the 党员名册 workbook in the national 汇总表 column order.

No Qt here: the GUI hands the members it shows (its current view) and a path.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from db.records import Member
from db.rules import mask_citizen_id, mask_phone
from db.workbook.page_columns import REPORT_ROSTER_COLUMNS
from db.workbook.writer import SheetSpec, write_xlsx

# The national roster exchange order (GLOSSARY: 汇总表), from the format table.
ROSTER_HEADERS: tuple[str, ...] = tuple(c.header for c in REPORT_ROSTER_COLUMNS)


def roster_record(
    member: Member, *, number: int, branch_name: str = "", reveal: bool = False
) -> dict[str, Any]:
    """One row of the roster keyed by the fields of ``page_columns.REPORT_ROSTER_COLUMNS`` (codes, dates, booleans as
    stored: the writer gives them their labels); IDs and phones masked unless ``reveal``."""
    cid = member.citizen_id or ""
    return {
        "seq": number,
        "name": member.name,
        "branch_name": branch_name,
        "citizen_id": cid if reveal else mask_citizen_id(cid),
        "gender": member.gender,
        "ethnicity": member.ethnicity,
        "birth_date": member.birth_date,
        "education": member.education,
        "category": member.category,
        "joined_on": member.joined_on,
        "full_on": member.full_on,
        "job": member.job,
        "mobile": member.mobile if reveal else mask_phone(member.mobile),
        "landline": member.landline if reveal else mask_phone(member.landline),
        "address": member.address,
        "standing": member.standing,
        "lost_contact": member.lost_contact,
        "lost_contact_on": member.lost_contact_on,
        "mobile_member": member.mobile_member,
        "outflow_place": member.outflow_place,
        "notes": member.notes,
    }


def write_roster_xlsx(
    path: str | os.PathLike[str], *, members: Sequence[Member], reveal: bool = False, branch_name: str = ""
) -> Path:
    """Write ``members`` (in the given order) as a 党员名册 workbook at ``path`` and return the path.

    Columns follow the national 汇总表 order (``page_columns.REPORT_ROSTER_COLUMNS``); citizen IDs and phones are text
    cells (masked unless ``reveal``), dates real dates shown as yyyy-mm-dd, text formula-escaped by the one writer
    (``db.workbook.writer``); the header row is bold and frozen, printed on A4 landscape. The file is written under
    a temporary name and renamed, so a failure never leaves a half-written workbook. Raises ``OSError`` when the
    folder is not writable.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = (
        roster_record(member, number=number, branch_name=branch_name, reveal=reveal)
        for number, member in enumerate(members, start=1)
    )
    sheet = SheetSpec("党员名册", REPORT_ROSTER_COLUMNS, rows, freeze_columns=2, landscape=True)
    return write_xlsx(path, [sheet])
