"""The minutes printout (会议记录): one QPainter layout for preview, printing and PDF (A4 portrait).

Every element of the meeting record (GLOSSARY): kind and number, time, place, host, recorder, lecturer, topic,
应到/实到/请假 with who was on leave or absent and why, observers, the quorum, content, speaking points, decisions with
votes and resolutions (flagged when taken without quorum), appraisal grades, amendments of locked minutes, and
signature lines for host and recorder. Text wraps (``desktop.printing.wrap``: never a name broken or a line
starting with "、") and flows over pages, each with the title and 第 x 页 / 共 y 页.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from db import appraisal, meetings
from db.attachments.tags import PrintCode
from db.store import Database
from desktop.fonts import print_font
from desktop.printing import qr
from desktop.printing.wrap import wrap
from desktop.qt import *
from desktop.qt import QPrintPreviewDialog  # printing: not in the star import

PAGE_W, PAGE_H = 210.0, 297.0
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 20.0, 18.0, 16.0
TEXT_W = PAGE_W - 2 * MARGIN_X
LABEL_W = 26.0
BODY_PT = 11.0
LINE_H = 6.6
FOOTER_H = 8.0


@dataclass(frozen=True)
class Paragraph:
    label: str  # printed in bold in the left column; "" continues the previous block
    text: str


def minutes_paragraphs(db: Database, *, meeting_uuid: str) -> tuple[str, list[Paragraph]]:
    """The title and the paragraphs of a meeting's minutes, in print order."""
    m = meetings.get_meeting(db, uuid=meeting_uuid)
    att = meetings.list_attendance(db, meeting_uuid=meeting_uuid)
    title = f"{meetings.branch_name(db)} {m.title}记录"
    paras = [
        Paragraph("会议", f"{m.title}（{m.number_text}）" + ("　选举" if m.is_election else "")),
        Paragraph("时间", meetings.meeting_when(m)),
        Paragraph("地点", m.place),
        Paragraph("主持人", m.host_name),
        Paragraph("记录人", m.recorder_name),
    ]
    if m.kind == "party_lecture" or m.lecturer:
        paras.append(Paragraph("授课人", m.lecturer))
    paras.append(Paragraph("议题", m.topic))
    paras.append(
        Paragraph(
            "出席情况",
            f"应到 {m.expected} 人，实到 {m.present} 人，请假 {m.leave} 人，缺席 {m.absent} 人，列席 {m.observers} 人",
        )
    )

    def names(state: str, with_reason: bool) -> str:
        people = [a for a in att if a.state == state]
        if not people:
            return "无"
        return "、".join(f"{a.name}（{a.reason}）" if with_reason and a.reason else a.name for a in people)

    paras.append(Paragraph("出席人员", names("present", False)))
    paras.append(Paragraph("请假人员", names("leave", True)))
    paras.append(Paragraph("缺席人员", names("absent", True)))
    if m.observers:
        paras.append(Paragraph("列席人员", names("observer", True)))
    q = meetings.quorum(db, meeting_uuid=meeting_uuid)
    if q.applies:
        verdict = "符合" if q.met else "不符合"
        paras.append(
            Paragraph(
                "法定人数",
                f"{q.rule}：应到 {q.entitled} 人，到会 {q.present} 人，至少需 {q.needed} 人，{verdict}规定",
            )
        )
    paras.append(Paragraph("会议内容", m.content or "（未填写）"))
    paras.append(Paragraph("发言要点", m.speaking_points or "（未填写）"))
    for d in meetings.list_decisions(db, meeting_uuid=meeting_uuid):
        votes = (
            f"赞成 {d.votes_for} 票，反对 {d.votes_against} 票，弃权 {d.votes_abstain} 票。"
            if d.votes_for is not None
            else "未表决。"
        )
        flag = d.flags
        paras.append(Paragraph(f"表决事项{d.seq}", f"{d.subject}。{votes}决议：{d.resolution or '无'}{flag}"))
    grades = appraisal.meeting_grades(db, meeting_uuid=meeting_uuid)  # the round's 支部评定
    if grades:
        by_grade: dict[str, list[str]] = {}
        for g in grades:
            by_grade.setdefault(g.grade, []).append(g.member_name)
        for key, label in meetings.GRADES.items():
            if key in by_grade:
                paras.append(
                    Paragraph(f"评议{label}", f"{len(by_grade[key])} 人：" + "、".join(by_grade[key]))
                )
    for a in meetings.list_amendments(db, meeting_uuid=meeting_uuid):
        label = meetings.FIELD_LABELS.get(a.field, a.field)
        paras.append(
            Paragraph(
                "更正记录",
                f"{a.at:%Y-%m-%d} 更正「{label}」：原为「{a.old or ''}」，改为「{a.new or ''}」。"
                f"原因：{a.reason}",
            )
        )
    if m.locked:
        paras.append(Paragraph("锁定", f"本记录已于 {(m.locked_at or '').replace('T', ' ')[:16]} 锁定"))
    return title, paras


MINUTES_SIGNATURES = (
    "主持人（签字）：＿＿＿＿＿＿＿＿　　　记录人（签字）：＿＿＿＿＿＿＿＿",
    "日期：＿＿＿＿年＿＿月＿＿日",
)


class MinutesPainter:
    """Lays out and paints the minutes (or another labelled-paragraph printout of a meeting, such as the
    组织生活会情况报告: its ``printout`` kind and ``signatures``) on a paged device."""

    def __init__(
        self,
        title: str,
        paragraphs: list[Paragraph],
        *,
        meeting_uuid: str = "",
        printout: str = "minutes",
        signatures: tuple[str, ...] = MINUTES_SIGNATURES,
    ) -> None:
        self.title = title
        self.paragraphs = paragraphs
        self.meeting_uuid = meeting_uuid  # the QR code of every page (issue 21); "" prints none
        self.printout = printout
        self.signatures = signatures
        self.k = 1.0

    def _r(self, x: float, y: float, w: float, h: float) -> QRectF:
        k = self.k
        return QRectF(x * k, y * k, w * k, h * k)

    def _layout(self, body: QFont, device: QPagedPaintDevice) -> list[list[tuple[str, str, bool]]]:
        """Pages of (label, text, is_signature) lines."""
        fm = QFontMetricsF(body, device)  # metrics at the device's resolution, not the screen's
        width = (TEXT_W - LABEL_W) * self.k
        lines: list[tuple[str, str, bool]] = []
        for p in self.paragraphs:
            for i, line in enumerate(wrap(p.text, fm, width)):
                lines.append((p.label if i == 0 else "", line, False))
        lines.append(("", "", False))
        lines += [("", signature, True) for signature in self.signatures]
        first_top = MARGIN_TOP + 14
        per_first = int((PAGE_H - MARGIN_BOTTOM - FOOTER_H - first_top) // LINE_H)
        per_next = int((PAGE_H - MARGIN_BOTTOM - FOOTER_H - MARGIN_TOP - 10) // LINE_H)
        pages = [lines[:per_first]]
        rest = lines[per_first:]
        while rest:
            pages.append(rest[:per_next])
            rest = rest[per_next:]
        return pages

    def paint(self, device: QPagedPaintDevice) -> int:
        self.k = device.logicalDpiX() / 25.4
        body = print_font(BODY_PT)
        pages = self._layout(body, device)
        painter = QPainter(device)
        try:
            for index, lines in enumerate(pages):
                if index:
                    device.newPage()
                self._page(painter, index, len(pages), lines, body)
        finally:
            painter.end()
        return len(pages)

    def _page(
        self, p: QPainter, index: int, count: int, lines: list[tuple[str, str, bool]], body: QFont
    ) -> None:
        p.setPen(QPen(QColor("black"), 0.25 * self.k))
        y = MARGIN_TOP
        if index == 0:
            p.setFont(print_font(16, bold=True))
            p.drawText(self._r(MARGIN_X, y, TEXT_W, 12), Qt.AlignmentFlag.AlignCenter, self.title)
            y += 14
        else:
            p.setFont(print_font(10))
            p.drawText(
                self._r(MARGIN_X, y, TEXT_W, 8),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                f"{self.title}（续）",
            )
            y += 10
        bold = print_font(BODY_PT, bold=True)
        left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        for label, text, signature in lines:
            if signature:
                p.setFont(body)
                p.drawText(self._r(MARGIN_X, y, TEXT_W, LINE_H), left, text)
            else:
                if label:
                    p.setFont(bold)
                    p.drawText(self._r(MARGIN_X, y, LABEL_W, LINE_H), left, f"{label}：")
                p.setFont(body)
                p.drawText(self._r(MARGIN_X + LABEL_W, y, TEXT_W - LABEL_W, LINE_H), left, text)
            y += LINE_H
        qr.paint_page_foot(
            p,
            self._r(MARGIN_X, PAGE_H - MARGIN_BOTTOM - FOOTER_H + 2, TEXT_W, FOOTER_H),
            index + 1,
            count,
            PrintCode(self.printout, self.meeting_uuid) if self.meeting_uuid else None,
            right=(MARGIN_X + TEXT_W) * self.k,
            bottom=(PAGE_H - 4) * self.k,
            mm=self.k,
        )


def _setup(device: QPagedPaintDevice) -> None:
    from desktop.printing.pdf import A4_FULL_PAGE

    device.setPageLayout(A4_FULL_PAGE)
    if hasattr(device, "setFullPage"):
        device.setFullPage(True)


def write_pdf(db: Database, *, meeting_uuid: str, path: str | Path) -> int:
    """Write a meeting's minutes as PDF; returns the number of pages."""
    from desktop.printing.pdf import A4_FULL_PAGE
    from desktop.printing.pdf import write_pdf as write

    title, paras = minutes_paragraphs(db, meeting_uuid=meeting_uuid)
    return write(
        path,
        title=title,
        page_layout=A4_FULL_PAGE,
        paint=lambda w: MinutesPainter(title, paras, meeting_uuid=meeting_uuid).paint(w),
    )


def print_to(db: Database, *, meeting_uuid: str, printer: QPagedPaintDevice) -> int:
    title, paras = minutes_paragraphs(db, meeting_uuid=meeting_uuid)
    _setup(printer)
    return MinutesPainter(title, paras, meeting_uuid=meeting_uuid).paint(printer)


def preview_dialog(
    db: Database,
    *,
    meeting_uuid: str,
    parent: QWidget | None = None,
    word: Callable[[Path], object] | None = None,
) -> QPrintPreviewDialog:
    """A QPrintPreviewDialog of the minutes (call ``open()`` on it); ``word(path)`` writes their Word form (the
    preview's 「Word 文档…」)."""
    from desktop.printing.preview import preview_dialog

    title, _paras = minutes_paragraphs(db, meeting_uuid=meeting_uuid)
    return preview_dialog(
        parent,
        title=title,
        paint=lambda pr: print_to(db, meeting_uuid=meeting_uuid, printer=pr),
        word=word,
    )
