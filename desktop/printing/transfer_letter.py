"""The introduction letter of a transfer out (中国共产党党员组织关系介绍信), after the 组通字〔2006〕45号 form.

One A4 portrait page in three parts separated by dashed cut lines: 存根 (kept by the branch), 介绍信 (taken by the
member), 回执 (returned by the receiving organisation). Dates, the dues month and the validity are written in
Chinese capital numerals. The citizen ID is printed in full because the form requires it; this letter is the only
printout that does so.

One QPainter layout (``render_letter``) serves QPrintPreviewDialog, printing and the PDF of ``write_letter_pdf``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from db.attachments.tags import PrintCode
from db.records import GENDERS, Member
from db.rules import age_on, chinese_date, chinese_number, chinese_year_month
from db.transfers import Transfer
from desktop.fonts import print_font
from desktop.i18n import translator
from desktop.printing import qr
from desktop.qt import *
from desktop.qt import QPrintPreviewDialog  # printing: not in the star import

PAGE_LAYOUT = QPageLayout(
    QPageSize(QPageSize.PageSizeId.A4),
    QPageLayout.Orientation.Portrait,
    QMarginsF(18, 14, 18, 14),
    QPageLayout.Unit.Millimeter,
)
CATEGORY_SHORT = {"full": "正式", "probationary": "预备"}


_tr = translator("transfer_letter")


@dataclass(frozen=True)
class LetterData:
    """Everything printed on the letter, already as text."""

    serial: str
    addressee: str
    name: str
    gender: str
    age: str
    ethnicity: str
    category: str  # 正式 / 预备
    citizen_id: str  # in full: the form requires it
    from_unit: str
    to_unit: str
    dues_month: str  # capital numerals, e.g. 贰零贰陆年拾月; blank line when unknown
    validity: str  # capital numerals, e.g. 叁拾
    issued_on: str  # capital numerals
    issuer: str  # the issuing organisation (our branch)
    upper: str = ""  # the 基层党委 above the branch: the 回执 is addressed to it (组通字〔2006〕45号)
    transfer_uuid: str = ""  # the QR code on the 存根 the branch keeps (issue 21); "" prints none

    def person_fields(self) -> dict[str, str]:
        """The member and the move as the 存根 and the 介绍信 both state them: ``{name}``, ``{gender}``, ``{age}``,
        ``{eth}``, ``{cat}``, ``{cid}``, ``{src}``, ``{dst}``; what is unknown is a blank to fill in by hand."""
        return {
            "name": self.name,
            "gender": _blank(self.gender, 2),
            "age": _blank(self.age, 2),
            "eth": _blank(self.ethnicity, 3),
            "cat": self.category,
            "cid": _blank(self.citizen_id, 18),
            "src": self.from_unit,
            "dst": self.to_unit,
        }


def letter_data(transfer: Transfer, member: Member, *, branch_name: str, upper_name: str = "") -> LetterData:
    """Build the printed text of a transfer out's letter. ``upper_name`` is the branch's 上级党委, to whom the
    receiving committee returns the 回执."""
    dues = ""
    if transfer.dues_paid_to:
        year, month = int(transfer.dues_paid_to[:4]), int(transfer.dues_paid_to[5:7])
        dues = chinese_year_month(year, month)
    age = str(age_on(member.birth_date, transfer.issued_on)) if member.birth_date else ""
    return LetterData(
        transfer_uuid=transfer.uuid,
        serial=transfer.serial,
        addressee=transfer.addressee,
        name=member.name,
        gender=GENDERS.get(member.gender or "", ""),
        age=age,
        ethnicity=member.ethnicity,
        category=CATEGORY_SHORT.get(member.category, ""),
        citizen_id=member.citizen_id or "",
        from_unit=transfer.from_unit or branch_name,
        to_unit=transfer.to_unit,
        dues_month=dues,
        validity=chinese_number(transfer.validity_days or 0, capital=True),
        issued_on=chinese_date(transfer.issued_on),
        issuer=branch_name,
        upper=upper_name,
    )


def _blank(text: str, width: int = 6) -> str:
    """A value, or an underscored blank to fill in by hand."""
    return text if text else "_" * width


class _Layout:
    """Draws text blocks top to bottom inside one part of the page."""

    def __init__(self, painter: QPainter, left: float, width: float, mm: float) -> None:
        self.painter, self.left, self.width, self.mm = painter, left, width, mm
        self.y = 0.0

    def text(
        self,
        text: str,
        font: QFont,
        *,
        align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
        indent: float = 0.0,
        gap: float = 1.5,
    ) -> None:
        self.painter.setFont(font)
        rect = QRectF(self.left + indent * self.mm, self.y, self.width - indent * self.mm, 10_000)
        flags = int(align) | int(Qt.TextFlag.TextWordWrap)
        bounds = self.painter.boundingRect(rect, flags, text)
        self.painter.drawText(QRectF(rect.left(), self.y, rect.width(), bounds.height()), flags, text)
        self.y += bounds.height() + gap * self.mm

    def skip(self, millimetres: float) -> None:
        self.y += millimetres * self.mm


def render_letter(device: QPagedPaintDevice, data: LetterData) -> int:
    """Draw the three parts of the letter on one page of ``device`` (A4 portrait); returns 1 (pages)."""
    painter = QPainter(device)
    try:
        mm = device.logicalDpiY() / 25.4
        width, height = float(device.width()), float(device.height())
        title = print_font(15, bold=True)
        body = print_font(11)
        small = print_font(9)
        pen = QPen(Qt.GlobalColor.black)
        pen.setWidthF(max(1.0, 0.25 * mm))
        painter.setPen(pen)
        # the letter itself needs the most room; the stub and the receipt share the rest
        cut1, cut2 = height * 0.29, height * 0.69
        serial = _tr("第 {0} 号").format(data.serial)
        right = Qt.AlignmentFlag.AlignRight
        center = Qt.AlignmentFlag.AlignHCenter
        para = 8.0  # first-line indent of paragraphs, in mm (two characters)

        # --- 存根 ---------------------------------------------------------------------------------------
        lay = _Layout(painter, 0.0, width, mm)
        lay.text(_tr("中国共产党党员组织关系介绍信（存根）"), title, align=center, gap=2)
        lay.text(serial, small, align=right, gap=2)
        lay.text(
            _tr(
                "{name}同志，性别{gender}，年龄{age}岁，民族{eth}，系中共{cat}党员，身份证号码{cid}，"
                "由{src}去{dst}。党费交到{dues}。（有效期{val}天）"
            ).format(**data.person_fields(), dues=_blank(data.dues_month, 8), val=data.validity),
            body,
            indent=0,
            gap=2,
        )
        lay.text(_tr("介绍信抬头：{0}").format(data.addressee), body, gap=4)
        lay.text(data.issued_on, body, align=right)
        if data.transfer_uuid:  # on the 存根, which the branch keeps and files
            tag = PrintCode("transfer-letter", data.transfer_uuid).page(1, 1)
            qr.paint_tag(painter, tag, right=width, bottom=cut1 - 4 * mm, mm=mm)
        _cut_line(painter, cut1, width, mm, small)

        # --- 介绍信 ---------------------------------------------------------------------------------------
        lay = _Layout(painter, 0.0, width, mm)
        lay.y = cut1 + 6 * mm
        lay.text(_tr("中国共产党党员组织关系介绍信"), title, align=center, gap=2)
        lay.text(serial, small, align=right, gap=2)
        lay.text(_tr("{0}：").format(data.addressee), body, gap=1.5)
        lay.text(
            _tr(
                "{name}同志（{gender}），{age}岁，{eth}，系中共{cat}党员，身份证号码{cid}，由{src}去{dst}，"
                "请接转组织关系。"
            ).format(**data.person_fields()),
            body,
            indent=para,
            gap=1.5,
        )
        lay.text(_tr("该同志党费已交到{0}。").format(_blank(data.dues_month, 8)), body, indent=para, gap=1.5)
        lay.text(_tr("（有效期{0}天）").format(data.validity), body, indent=para, gap=10)
        seal_top = lay.y
        # 落款: no organisation name, only the seal of the 党委 with the authority to transfer (45号 填写说明)
        lay.text(_tr("（盖章）"), body, align=right, gap=1.5)
        lay.text(data.issued_on, body, align=right, gap=12)
        _seal(painter, width - 32 * mm, seal_top - 8 * mm, 22 * mm)
        lay.text(
            _tr("党员联系电话或其他联系方式：____________    党员原所在基层党委通讯地址：____________"),
            small,
            gap=1,
        )
        lay.text(_tr("联系电话：____________    传真：____________    邮编：________"), small)
        _cut_line(painter, cut2, width, mm, small)

        # --- 回执 ---------------------------------------------------------------------------------------
        lay = _Layout(painter, 0.0, width, mm)
        lay.y = cut2 + 6 * mm
        lay.text(_tr("中国共产党党员组织关系介绍信（回执）"), title, align=center, gap=2)
        lay.text(serial, small, align=right, gap=2)
        # addressed to the issuing 基层党委, returned within a month of receiving the member (45号)
        lay.text(_tr("{0}：").format(_blank(data.upper, 16)), body, gap=1.5)
        lay.text(
            _tr("{0}同志的党员组织关系已转达我处，特此回复。").format(data.name),
            body,
            indent=para,
            gap=8,
        )
        lay.text(_tr("（盖章）"), body, align=right, gap=1.5)
        lay.text(_tr("年　　月　　日"), body, align=right, gap=1.5)
        lay.text(_tr("经办人：____________    联系电话：____________"), small, gap=1.5)
        return 1
    finally:
        painter.end()


def _cut_line(painter: QPainter, y: float, width: float, mm: float, font: QFont) -> None:
    """A dashed cut line across the page with a small label in its middle."""
    pen = QPen(Qt.GlobalColor.black)
    pen.setWidthF(max(1.0, 0.2 * mm))
    pen.setStyle(Qt.PenStyle.DashLine)
    old = painter.pen()
    painter.setPen(pen)
    label_w = 30 * mm
    mid = width / 2
    painter.drawLine(QPointF(0, y), QPointF(mid - label_w / 2, y))
    painter.drawLine(QPointF(mid + label_w / 2, y), QPointF(width, y))
    painter.setPen(old)
    painter.setFont(font)
    painter.drawText(
        QRectF(mid - label_w / 2, y - 3 * mm, label_w, 6 * mm),
        Qt.AlignmentFlag.AlignCenter,
        _tr("沿此线剪开"),
    )


def _seal(painter: QPainter, x: float, y: float, size: float) -> None:
    """A dotted circle marking where the seal goes."""
    pen = QPen(Qt.GlobalColor.gray)
    pen.setStyle(Qt.PenStyle.DotLine)
    old = painter.pen()
    painter.setPen(pen)
    painter.drawEllipse(QRectF(x, y, size, size))
    painter.setPen(old)


def write_letter_pdf(path: str | os.PathLike[str], data: LetterData) -> Path:
    """Write the letter as a one-page PDF at ``path`` (temporary name, then rename) and return the path."""
    path = Path(path)
    from desktop.printing.pdf import write_pdf

    write_pdf(
        path,
        title=_tr("党员组织关系介绍信 {0}").format(data.serial),
        page_layout=PAGE_LAYOUT,
        paint=lambda w: render_letter(w, data),
    )
    return path


def preview_letter(
    parent: QWidget | None, data: LetterData, *, word: Callable[[Path], object] | None = None
) -> QPrintPreviewDialog:
    """A QPrintPreviewDialog over the same layout (not yet shown; call ``open()``); ``word(path)`` writes the
    letter's Word form (the preview's 「Word 文档…」)."""
    from desktop.printing.preview import preview_dialog

    return preview_dialog(
        parent,
        title=_tr("组织关系介绍信 {0}").format(data.serial),
        page_layout=PAGE_LAYOUT,
        size=(760, 680),
        paint=lambda p: render_letter(p, data),
        word=word,
    )
