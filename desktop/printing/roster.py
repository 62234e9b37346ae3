"""The printed roster (党员名册): a table on A4 landscape, with the title, the header row and 第 x 页 / 共 y 页 on
every page (the shared printed table of ``desktop.printing.table``).

One QPainter layout (``render_roster``) draws on any paged device: the QPrinter of QPrintPreviewDialog or of a real
printer, and the QPdfWriter of ``write_roster_pdf``. Citizen IDs and phones are always masked on paper.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from db.attachments.tags import PrintCode
from db.records import CATEGORIES, GENDERS, Member
from db.rules import date_text, mask_citizen_id, mask_phone
from desktop.i18n import translator
from desktop.printing.table import PrintColumn, PrintDocument, document_layout, render_table
from desktop.qt import *
from desktop.qt import QPrintPreviewDialog  # printing: not in the star import

_tr = translator("roster_print")


def _d(value: date | None) -> str:
    return value.isoformat() if value else ""


# (header, relative width, value)
_COLUMNS = (
    ("序号", 3, None),
    ("姓名", 8, lambda m: m.name),
    ("性别", 4, lambda m: GENDERS.get(m.gender or "", "")),
    ("出生日期", 9, lambda m: _d(m.birth_date)),
    ("公民身份号码", 16, lambda m: mask_citizen_id(m.citizen_id)),
    ("人员类别", 8, lambda m: CATEGORIES.get(m.category, m.category)),
    ("党小组", 10, lambda m: m.party_group_name),
    ("加入党组织日期", 12, lambda m: _d(m.joined_on)),
    ("转为正式党员日期", 13, lambda m: _d(m.full_on)),
    ("学历", 6, lambda m: m.education),
    ("工作岗位", 12, lambda m: m.job),
    ("手机号", 11, lambda m: mask_phone(m.mobile)),
)


def roster_document(
    members: Sequence[Member], branch_name: str, *, printed_on: date | None = None
) -> PrintDocument:
    """The roster as a printed table (A4 landscape, IDs and phones masked)."""
    printed_on = printed_on or date.today()
    rows = [
        [str(i) if value is None else value(m) for _h, _w, value in _COLUMNS]
        for i, m in enumerate(members, 1)
    ]
    return PrintDocument(
        _tr("{0}党员名册").format(branch_name),
        _tr("共 {0} 人    打印日期：{1}").format(len(members), date_text(printed_on)),
        [PrintColumn(_tr(h), w) for h, w, _v in _COLUMNS],
        rows,
        landscape=True,
        font_pt=9,
        margin_mm=12,
        code=PrintCode("roster", printed_on.isoformat()),
    )


PAGE_LAYOUT = document_layout(roster_document([], ""))


def render_roster(
    device: QPagedPaintDevice, members: Sequence[Member], branch_name: str, *, printed_on: date | None = None
) -> int:
    """Draw the roster on ``device`` (already set to A4 landscape); returns the number of pages."""
    return render_table(device, roster_document(members, branch_name, printed_on=printed_on))


def write_roster_pdf(
    path: str | os.PathLike[str],
    members: Sequence[Member],
    branch_name: str,
    *,
    printed_on: date | None = None,
) -> Path:
    """Write the printed roster as a PDF at ``path`` (temporary name, then rename) and return the path."""
    from desktop.printing.pdf import write_pdf

    write_pdf(
        path,
        title=_tr("{0}党员名册").format(branch_name),
        page_layout=PAGE_LAYOUT,
        paint=lambda w: render_roster(w, members, branch_name, printed_on=printed_on),
    )
    return Path(path)


def preview_roster(
    parent: QWidget | None, members: Sequence[Member], branch_name: str
) -> QPrintPreviewDialog:
    """A QPrintPreviewDialog over the same layout (not yet shown; call ``open()`` or ``exec()``)."""
    from desktop.printing.preview import preview_dialog

    members = list(members)
    return preview_dialog(
        parent,
        title=_tr("党员名册"),
        page_layout=PAGE_LAYOUT,
        size=(1100, 680),
        paint=lambda p: render_roster(p, members, branch_name),
    )
