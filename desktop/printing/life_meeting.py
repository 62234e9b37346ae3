"""The 组织生活会情况报告 for the upper 党委 (issue 20): one A4 portrait report of a 组织生活会 — date, place, host,
attendance (who was on leave or absent and why), topics, the preparation in figures (opinions by source, talks
held of those expected, 对照检查材料 submitted, 批评与自我批评 recorded) and the 整改清单 with each item's state and
the counts by state. Laid out by the minutes' painter (labelled paragraphs, pages numbered, the QR code
``life-meeting-report`` of the meeting on every page); preview, print and PDF share it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from db import lifemeeting
from db.projects import FINDING_STATUSES
from db.rules import date_text
from db.store import Database
from desktop.printing.minutes import MinutesPainter, Paragraph
from desktop.printing.signin import setup_a4
from desktop.qt import *
from desktop.qt import QPrintPreviewDialog  # printing: not in the star import

PRINTOUT = "life-meeting-report"
SIGNATURES = (
    "党支部（盖章）　　　　　　　　　　　　　党支部书记（签字）：＿＿＿＿＿＿＿＿",
    "报送日期：＿＿＿＿年＿＿月＿＿日",
)


def report_paragraphs(
    db: Database, *, meeting_uuid: str, today: date | None = None
) -> tuple[str, list[Paragraph]]:
    """The title and the paragraphs of the report, in print order."""
    r = lifemeeting.report(db, meeting_uuid=meeting_uuid, today=today)
    title = f"{r.branch_name} {r.title}情况报告"
    opinions = "，".join(
        f"{label} {r.opinions[key]} 条" for key, label in lifemeeting.OPINION_SOURCES.items()
    )
    paras = [
        Paragraph("会议", r.title + ("" if r.held else "（尚未召开）")),
        Paragraph("时间", date_text(r.held_on)),
        Paragraph("地点", r.place or "（未填写）"),
        Paragraph("主持人", r.host or "（未填写）"),
        Paragraph(
            "出席情况", f"应到 {r.expected} 人，实到 {r.present} 人，请假 {r.leave} 人，缺席 {r.absent} 人"
        ),
        Paragraph("请假人员", "、".join(r.leave_names) or "无"),
        Paragraph("缺席人员", "、".join(r.absent_names) or "无"),
        Paragraph("会议主题", r.topic or "（未填写）"),
        Paragraph("会议内容", r.content or "（未填写）"),
        Paragraph("征求意见", f"共 {r.opinions_total} 条（{opinions}）"),
        Paragraph(
            "谈心谈话",
            f"应谈 {r.talks_expected} 对，已谈 {r.talks_held} 对，未谈 {r.talks_expected - r.talks_held} 对",
        ),
        Paragraph("对照检查", f"应交对照检查材料 {r.materials_expected} 份，已交 {r.materials_submitted} 份"),
        Paragraph("会上发言", f"{r.criticism_recorded} 名党员的批评与自我批评作了记录"),
    ]
    states = "，".join(f"{label} {r.items[key]} 项" for key, label in FINDING_STATUSES.items())
    overdue = f"，其中逾期未整改 {r.overdue} 项" if r.overdue else ""
    paras.append(Paragraph("整改清单", f"共 {r.items_total} 项（{states}）{overdue}"))
    for i, f in enumerate(lifemeeting.list_items(db, meeting_uuid=meeting_uuid), 1):
        owner = f.owner.name if f.owner else "未定"
        done = f"，{date_text(f.closed_on)}销号" if f.closed_on else ""
        paras.append(
            Paragraph(
                f"整改事项{i}",
                f"{f.problem}。措施：{f.measure or '（未填写）'}。责任人：{owner}；时限：{date_text(f.deadline)}；"
                f"状态：{f.status_label}{done}",
            )
        )
    return title, paras


def _painter(db: Database, meeting_uuid: str, today: date | None) -> MinutesPainter:
    title, paras = report_paragraphs(db, meeting_uuid=meeting_uuid, today=today)
    return MinutesPainter(title, paras, meeting_uuid=meeting_uuid, printout=PRINTOUT, signatures=SIGNATURES)


def write_pdf(db: Database, *, meeting_uuid: str, path: str | Path, today: date | None = None) -> int:
    """Write the report as a PDF; returns the number of pages."""
    from desktop.printing.pdf import A4_FULL_PAGE
    from desktop.printing.pdf import write_pdf as write

    painter = _painter(db, meeting_uuid, today)
    return write(path, title=painter.title, page_layout=A4_FULL_PAGE, paint=painter.paint)


def print_to(
    db: Database, *, meeting_uuid: str, printer: QPagedPaintDevice, today: date | None = None
) -> int:
    setup_a4(printer)
    return _painter(db, meeting_uuid, today).paint(printer)


def preview_dialog(
    db: Database,
    *,
    meeting_uuid: str,
    parent: QWidget | None = None,
    today: date | None = None,
    word: Callable[[Path], object] | None = None,
) -> QPrintPreviewDialog:
    """A QPrintPreviewDialog of the report (call ``open()`` on it); ``word(path)`` writes its Word form (the
    preview's 「Word 文档…」)."""
    from desktop.printing.preview import preview_dialog

    title = _painter(db, meeting_uuid, today).title
    return preview_dialog(
        parent,
        title=title,
        paint=lambda pr: print_to(db, meeting_uuid=meeting_uuid, printer=pr, today=today),
        word=word,
    )
