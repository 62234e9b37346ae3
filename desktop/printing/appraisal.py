"""The printouts of the 民主评议党员 (issue 20).

- The anonymous 测评票 (民主测评表): one A4 per voter, every member to be graded with the four grades as tick boxes,
  the branch and 年度 in the header and no voter name; as many identical copies as voters, in one PDF. Every copy
  carries the same QR code (the round, page 1/1): a page number would tell the copies apart and could tie a
  ballot to the voter it was handed to.
- The 民主评议结果 report for the upper 党委: counts by grade, the tally and the branch's grade of each member, the
  names of 优秀 and 不合格 and the 组织处置 (the shared printed table of ``desktop.printing.table``).
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from db import appraisal
from db.appraisal.records import GRADE_KEYS, GROUPS
from db.attachments.tags import PrintCode
from db.meetings.records import GRADES
from db.rules import date_text
from db.store import Database
from desktop.fonts import print_font
from desktop.i18n import translator
from desktop.printing import qr
from desktop.printing.table import PrintColumn, PrintDocument, page_layout
from desktop.qt import *

_tr = translator("appraisal_print")

MAX_VOTERS = 500
ROWS_PER_BLOCK = 40  # above this many members the ballot's table runs in two blocks side by side


@dataclass(frozen=True)
class Ballot:
    """What a 测评票 shows: the branch, the 年度, the names in roster order; the round for the QR code."""

    branch: str
    year: int
    names: tuple[str, ...]
    round_uuid: str

    @property
    def title(self) -> str:
        return _tr("{0}年度民主评议党员民主测评表").format(self.year)


def ballot(db: Database, *, round_uuid: str, branch: str) -> Ballot:
    """The 测评票 of a round: the 正式党员 to be graded (预备党员 take part ungraded; 失联 and 停止党籍 apart)."""
    r = appraisal.get_round(db, uuid=round_uuid)
    people = appraisal.participants(db, round_uuid=round_uuid)
    return Ballot(branch, r.year, tuple(p.name for p in people if p.graded), r.uuid)


def _paint_ballot(painter: QPainter, device: QPagedPaintDevice, b: Ballot) -> None:
    """One copy of the ballot on the current page."""
    mm = device.logicalDpiY() / 25.4
    width, height = float(device.width()), float(device.height())
    y = 0.0
    painter.setFont(print_font(11))
    line = QFontMetricsF(print_font(11), device).height() + 1.5 * mm
    painter.drawText(QRectF(0, y, width, line), Qt.AlignmentFlag.AlignCenter, _tr("中共{0}").format(b.branch))
    y += line
    title_font = print_font(16, bold=True)
    title_h = QFontMetricsF(title_font, device).height() + 2 * mm
    painter.setFont(title_font)
    painter.drawText(QRectF(0, y, width, title_h), Qt.AlignmentFlag.AlignCenter, b.title)
    y += title_h
    painter.setFont(print_font(9.5))
    note = _tr(
        "说明：请对照党员标准，在每名党员对应的等次栏内划“√”，每人只选一项；不选的视为弃权。本表不记名，请勿填写本人姓名。"
    )
    note_rect = QRectF(0, y, width, 12 * mm)
    painter.drawText(note_rect, Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap, note)
    y += 12 * mm

    headers = [_tr("序号"), _tr("姓名"), *(_tr(GRADES[k]) for k in GRADE_KEYS)]
    weights = [1.0, 2.6, 1.4, 1.4, 1.6, 1.4]
    blocks = 1 if len(b.names) <= ROWS_PER_BLOCK else 2
    per_block = max(1, math.ceil(len(b.names) / blocks))
    gap = 4 * mm if blocks > 1 else 0.0
    block_w = (width - gap * (blocks - 1)) / blocks
    bottom = height - (qr.BLOCK_MM + 8) * mm
    head_h = 8 * mm
    row_h = min(8 * mm, (bottom - y - head_h) / per_block)
    font_pt = 10.5 if row_h >= 6 * mm else 8.5
    pen = QPen(Qt.GlobalColor.black)
    pen.setWidthF(max(1.0, 0.2 * mm))
    painter.setPen(pen)
    for block in range(blocks):
        left = block * (block_w + gap)
        xs = [left]
        for w in weights:
            xs.append(xs[-1] + block_w * w / sum(weights))
        painter.setFont(print_font(font_pt, bold=True))
        for i, text in enumerate(headers):
            rect = QRectF(xs[i], y, xs[i + 1] - xs[i], head_h)
            painter.fillRect(rect, QColor("#dddddd"))
            painter.drawRect(rect)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        painter.setFont(print_font(font_pt))
        names = b.names[block * per_block : (block + 1) * per_block]
        box = min(4 * mm, row_h * 0.6)
        for n, name in enumerate(names):
            top = y + head_h + n * row_h
            number = block * per_block + n + 1
            for i in range(len(headers)):
                rect = QRectF(xs[i], top, xs[i + 1] - xs[i], row_h)
                painter.drawRect(rect)
                if i == 0:
                    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(number))
                elif i == 1:
                    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, name)
                else:
                    c = rect.center()
                    painter.drawRect(QRectF(c.x() - box / 2, c.y() - box / 2, box, box))
    painter.setFont(print_font(10))
    painter.drawText(
        QRectF(0, bottom + 2 * mm, width - (qr.CODE_MM + 4) * mm, 6 * mm),
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
        _tr("测评日期：　　　　年　　月　　日　　　　（本表当场填写、当场收回）"),
    )
    qr.paint_tag(
        painter, PrintCode("appraisal-ballot", b.round_uuid).page(1, 1), right=width, bottom=height, mm=mm
    )


def render_ballots(device: QPagedPaintDevice, b: Ballot, copies: int) -> int:
    """Draw ``copies`` identical ballots, one per page; returns the number of pages."""
    painter = QPainter(device)
    try:
        for i in range(copies):
            if i:
                device.newPage()
            _paint_ballot(painter, device, b)
    finally:
        painter.end()
    return copies


def write_ballots_pdf(path: str | os.PathLike[str], b: Ballot, copies: int) -> int:
    """Write ``copies`` ballots as one PDF (one A4 page each); returns the number of pages."""
    from desktop.printing.pdf import write_pdf

    return write_pdf(
        path, title=b.title, page_layout=page_layout(False), paint=lambda w: render_ballots(w, b, copies)
    )


def preview_ballots(parent, b: Ballot, copies: int):  # type: ignore[no-untyped-def]
    from desktop.printing.preview import preview_dialog

    return preview_dialog(
        parent, title=b.title, page_layout=page_layout(False), paint=lambda p: render_ballots(p, b, copies)
    )


# --- the result report ------------------------------------------------------------------------------------------


def result_title(branch: str, year: int) -> str:
    return _tr("{0}{1}年度民主评议党员结果报告").format(branch, year)


def _names(people: Sequence[appraisal.Participant], grade: str) -> str:
    return "、".join(p.name for p in people if p.grade == grade) or _tr("无")


@dataclass(frozen=True)
class Result:
    """What the 民主评议结果 report says (the PDF and the Word form share it): the rows of the per-member table
    (序号, 姓名, 党小组, the four tallies, 弃权, 支部评定, 组织处置), the summary lines, the counts by grade and
    the closing lines (优秀, 不合格, 组织处置, 另列)."""

    year: int
    taking: int  # 参评党员
    graded: int  # of them 正式党员, graded
    ballots: str  # 收回测评票 (— when not entered)
    measured: str  # the day of the 民主测评, in Chinese
    decided: str  # the day of the branch's grading, in Chinese
    rows: list[list[str]]
    summary: list[str]
    counts: dict[str, int]
    ungraded: int  # 正式党员 not yet graded
    excellent: str
    unqualified: str
    actions: str
    apart: str


def result_figures(db: Database, *, round_uuid: str) -> Result:
    """The figures of the 民主评议结果 report of a round."""
    r = appraisal.get_round(db, uuid=round_uuid)
    people = appraisal.participants(db, round_uuid=round_uuid)
    actions = appraisal.list_actions(db, round_uuid=round_uuid)
    taking = [p for p in people if p.group in ("graded", "ungraded")]
    graded = [p for p in taking if p.graded]
    counts = {k: sum(p.grade == k for p in graded) for k in GRADE_KEYS}
    rows = []
    for i, p in enumerate(taking, 1):
        mine = "；".join(a.text for a in actions if a.member_uuid == p.member_uuid)
        if p.graded:
            marks = [str(m) for m in p.marks]
            abstain = p.abstain(r.ballots)
            rows.append(
                [
                    str(i),
                    p.name,
                    p.party_group,
                    *marks,
                    "" if abstain is None else str(abstain),
                    p.grade_text,
                    mine,
                ]
            )
        else:
            rows.append([str(i), p.name, p.party_group, "", "", "", "", "", _tr("预备党员，不评定等次"), ""])
    measured = date_text(r.measured_on) if r.measured_on else _tr("（未登记）")
    decided = date_text(r.decided_on) if r.decided_on else _tr("（未登记）")
    ballots = str(r.ballots) if r.ballots is not None else "—"
    ungraded = sum(p.grade is None for p in graded)
    summary = [
        _tr("参评党员 {0} 人：正式党员 {1} 人评定等次，预备党员 {2} 人参评不评定等次").format(
            len(taking), len(graded), len(taking) - len(graded)
        ),
        _tr("民主测评：{0}，收回测评票 {1} 张").format(measured, ballots),
        "，".join(f"{GRADES[k]} {counts[k]} 人" for k in GRADE_KEYS)
        + _tr("，未评定 {0} 人").format(ungraded),
        _tr("支部评定：{0}").format(decided),
    ]
    apart = [p for p in people if p.group not in ("graded", "ungraded")]
    handled = "；".join(
        f"{a.member_name} {a.text}（{a.decided_on.isoformat()}"
        + (f"，{a.meeting_title}" if a.meeting_title else "")
        + "）"
        for a in actions
    )
    return Result(
        year=r.year,
        taking=len(taking),
        graded=len(graded),
        ballots=ballots,
        measured=measured,
        decided=decided,
        rows=rows,
        summary=summary,
        counts=counts,
        ungraded=ungraded,
        excellent=_names(graded, "excellent"),
        unqualified=_names(graded, "unqualified"),
        actions=handled or _tr("无"),
        apart="、".join(f"{p.name}（{GROUPS[p.group][:4]}）" for p in apart) or _tr("无"),
    )


def result_document(
    db: Database, *, round_uuid: str, branch: str, printed_on: date | None = None
) -> PrintDocument:
    """The 民主评议结果 report of a round for the upper 党委."""
    printed_on = printed_on or date.today()
    res = result_figures(db, round_uuid=round_uuid)
    footer = [
        _tr("评定为优秀的党员：{0}").format(res.excellent),
        _tr("评定为不合格的党员：{0}").format(res.unqualified),
        _tr("组织处置：{0}").format(res.actions),
        _tr("另列（不参加评议）：{0}").format(res.apart),
        "",
        _tr("党支部（盖章）　　　　　　　　　支部书记（签字）：　　　　　　　　　报送日期：{0}").format(
            date_text(printed_on)
        ),
    ]
    columns = [
        PrintColumn(_tr("序号"), 3),
        PrintColumn(_tr("姓名"), 7),
        PrintColumn(_tr("党小组"), 8),
        *(PrintColumn(_tr("{0}票").format(GRADES[k]), 5) for k in GRADE_KEYS),
        PrintColumn(_tr("弃权"), 4),
        PrintColumn(_tr("支部评定"), 11),
        PrintColumn(_tr("组织处置"), 16, align_left=True),
    ]
    return PrintDocument(
        result_title(branch, res.year),
        _tr("报上级党委　　打印日期：{0}").format(date_text(printed_on)),
        columns,
        res.rows,
        footer_lines=footer,
        landscape=True,
        summary=res.summary,
        code=PrintCode("appraisal-result", round_uuid),
    )


def write_result_pdf(path: str | os.PathLike[str], doc: PrintDocument) -> Path:
    from desktop.printing.table import write_pdf

    return write_pdf(path, doc)
