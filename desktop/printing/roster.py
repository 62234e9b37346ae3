"""The printed roster (党员名册): a table on A4 landscape, with the header row and 第 x 页 / 共 y 页 on every page.

One QPainter layout (``render_roster``) draws on any paged device: the QPrinter of QPrintPreviewDialog or of a real
printer, and the QPdfWriter of ``write_roster_pdf``. Citizen IDs and phones are always masked on paper.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QPagedPaintDevice, QPageLayout, QPageSize, QPainter, QPen

from db.records import CATEGORIES, GENDERS, Member
from db.rules import date_text, mask_citizen_id, mask_phone
from desktop.fonts import print_font


def _tr(text: str) -> str:
    return QCoreApplication.translate("roster_print", text)


def _d(value: date | None) -> str:
    return value.isoformat() if value else ""


# (header, relative width, value)
_COLUMNS = (
    ("序号", 4, None),
    ("姓名", 8, lambda m: m.name),
    ("性别", 4, lambda m: GENDERS.get(m.gender or "", "")),
    ("出生日期", 9, lambda m: _d(m.birth_date)),
    ("公民身份号码", 16, lambda m: mask_citizen_id(m.citizen_id)),
    ("人员类别", 8, lambda m: CATEGORIES.get(m.category, m.category)),
    ("党小组", 10, lambda m: m.party_group_name),
    ("加入党组织日期", 10, lambda m: _d(m.joined_on)),
    ("转为正式党员日期", 11, lambda m: _d(m.full_on)),
    ("学历", 8, lambda m: m.education),
    ("工作岗位", 12, lambda m: m.job),
    ("手机号", 11, lambda m: mask_phone(m.mobile)),
)

PAGE_LAYOUT = QPageLayout(
    QPageSize(QPageSize.PageSizeId.A4),
    QPageLayout.Orientation.Landscape,
    QMarginsF(12, 12, 12, 12),
    QPageLayout.Unit.Millimeter,
)


def render_roster(
    device: QPagedPaintDevice, members: Sequence[Member], branch_name: str, *, printed_on: date | None = None
) -> int:
    """Draw the roster on ``device`` (already set to A4 landscape); returns the number of pages."""
    printed_on = printed_on or date.today()
    painter = QPainter(device)
    try:
        dpi = device.logicalDpiY()
        mm = dpi / 25.4
        width, height = device.width(), device.height()
        title_font = print_font(16, bold=True)
        cell_font = print_font(9)
        head_font = print_font(9, bold=True)
        small_font = print_font(8)
        painter.setFont(cell_font)
        row_h = QFontMetricsF(cell_font, device).height() + 3.0 * mm
        title_h = QFontMetricsF(title_font, device).height() + 2 * mm
        info_h = QFontMetricsF(small_font, device).height() + 2 * mm
        footer_h = QFontMetricsF(small_font, device).height() + 2 * mm
        first_top = title_h + info_h
        rows_first = max(1, int((height - first_top - footer_h) // row_h) - 1)
        rows_other = max(1, int((height - footer_h) // row_h) - 1)
        remaining = max(0, len(members) - rows_first)
        pages = 1 + (remaining + rows_other - 1) // rows_other if remaining else 1
        total_weight = sum(c[1] for c in _COLUMNS)
        xs = [0.0]
        for c in _COLUMNS:
            xs.append(xs[-1] + width * c[1] / total_weight)
        pen = QPen(Qt.GlobalColor.black)
        pen.setWidthF(max(1.0, 0.2 * mm))

        index = 0
        for page in range(pages):
            if page:
                device.newPage()
            painter.setPen(pen)
            y = 0.0
            if page == 0:
                painter.setFont(title_font)
                painter.drawText(
                    QRectF(0, 0, width, title_h),
                    Qt.AlignmentFlag.AlignCenter,
                    _tr("{0}党员名册").format(branch_name),
                )
                painter.setFont(small_font)
                painter.drawText(
                    QRectF(0, title_h, width, info_h),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    _tr("共 {0} 人    打印日期：{1}").format(len(members), date_text(printed_on)),
                )
                y = first_top
            capacity = rows_first if page == 0 else rows_other
            chunk = members[index : index + capacity]
            # header row (repeated on every page)
            painter.setFont(head_font)
            for col, (header, _w, _f) in enumerate(_COLUMNS):
                rect = QRectF(xs[col], y, xs[col + 1] - xs[col], row_h)
                painter.fillRect(rect, Qt.GlobalColor.lightGray)
                painter.drawRect(rect)
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, _tr(header))
            y += row_h
            painter.setFont(cell_font)
            metrics = QFontMetricsF(cell_font, device)
            for offset, member in enumerate(chunk):
                for col, (_h, _w, value) in enumerate(_COLUMNS):
                    rect = QRectF(xs[col], y, xs[col + 1] - xs[col], row_h)
                    painter.drawRect(rect)
                    text = str(index + offset + 1) if value is None else value(member)
                    inner = rect.adjusted(1.0 * mm, 0, -1.0 * mm, 0)
                    text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, inner.width())
                    painter.drawText(inner, Qt.AlignmentFlag.AlignCenter, text)
                y += row_h
            index += len(chunk)
            painter.setFont(small_font)
            painter.drawText(
                QRectF(0, height - footer_h, width, footer_h),
                Qt.AlignmentFlag.AlignCenter,
                _tr("第 {0} 页 / 共 {1} 页").format(page + 1, pages),
            )
        return pages
    finally:
        painter.end()


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


def preview_roster(parent, members: Sequence[Member], branch_name: str):  # type: ignore[no-untyped-def]
    """A QPrintPreviewDialog over the same layout (not yet shown; call ``open()`` or ``exec()``)."""
    from desktop.printing.preview import preview_dialog

    members = list(members)
    return preview_dialog(
        parent,
        title=_tr("党员名册"),
        page_layout=PAGE_LAYOUT,
        size=(1100, 750),
        paint=lambda p: render_roster(p, members, branch_name),
    )
