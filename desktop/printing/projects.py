"""Printed ledgers of the 项目与整改 page: 项目台账 and 检查整改台账 on A4 landscape.

One QPainter layout (``render``) draws on any paged device: the QPrinter of QPrintPreviewDialog or of a
printer, and the QPdfWriter of ``write_pdf``. Page 1 carries the title, the branch, the period figures
(``db.projects.figures_lines``) and the table; the title, the header row and 第 x 页 / 共 y 页 repeat on every
page. Long cells wrap (the shared printed table of ``desktop.printing.table``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from db.attachments.tags import PrintCode
from db.projects import FINDING_STATUSES, Finding, Project, ProjectFigures, fen_to_yuan, figures_lines
from db.rules import date_text
from desktop.i18n import translator
from desktop.printing.table import PrintColumn, PrintDocument, page_layout, render_table
from desktop.qt import *
from desktop.qt import QPrintPreviewDialog  # printing: not in the star import

PAGE_LAYOUT = page_layout(True, 12)


_tr = translator("projects_print")


def _d(value: date | None) -> str:
    return value.isoformat() if value else ""


Column = tuple[str, float, Callable[[Any], str] | None]

PROJECT_COLUMNS: tuple[Column, ...] = (
    ("序号", 3, None),
    ("项目名称", 20, lambda p: p.title),
    ("类型", 8, lambda p: p.kind_label),
    ("类别", 6, lambda p: p.category_label),
    ("负责人", 6, lambda p: p.leader.name if p.leader else ""),
    ("参与人", 14, lambda p: "、".join(x.name for x in p.participants)),
    ("开始日期", 7.5, lambda p: _d(p.start_on)),
    ("计划完成", 7.5, lambda p: _d(p.due_on)),
    ("状态", 5, lambda p: p.status_label),
    ("最新进展 / 成效", 18, lambda p: p.outcome or (p.progress[-1].note if p.progress else "")),
    ("效益(元)", 7, lambda p: fen_to_yuan(p.benefit_fen)),
)
FINDING_COLUMNS: tuple[Column, ...] = (
    ("序号", 3, None),
    ("发现日期", 7.5, lambda f: _d(f.found_on)),
    ("检查名称", 13, lambda f: f.source),
    ("存在问题", 22, lambda f: f.problem),
    ("整改措施", 18, lambda f: f.measure),
    ("责任人", 6, lambda f: f.owner.name if f.owner else ""),
    ("整改时限", 7.5, lambda f: _d(f.deadline)),
    ("状态", 5.5, lambda f: FINDING_STATUSES[f.status]),
    ("整改完成", 7.5, lambda f: _d(f.rectified_on)),
    ("销号日期", 7.5, lambda f: _d(f.closed_on)),
)


def ledger_document(
    *,
    title: str,
    info: str,
    summary: Sequence[tuple[str, str]],
    columns: Sequence[Column],
    records: Sequence[Any],
    code: PrintCode | None = None,
) -> PrintDocument:
    """A ledger as a printed table: wide (free-text) columns left-aligned, short codes and dates centred."""
    return PrintDocument(
        title,
        info,
        [PrintColumn(_tr(header), weight, align_left=weight >= 13) for header, weight, _f in columns],
        [
            [str(i) if value is None else value(record) for _h, _w, value in columns]
            for i, record in enumerate(records, 1)
        ],
        landscape=True,
        summary=[f"{label}：{value}" for label, value in summary],
        font_pt=9,
        margin_mm=12,
        code=code,
    )


def _ledger_args(
    kind: str, records: Sequence[Any], branch_name: str, figures: ProjectFigures | None, printed_on: date
) -> dict[str, Any]:
    if kind == "projects":
        title, columns, noun = _tr("{0}项目台账").format(branch_name), PROJECT_COLUMNS, _tr("项目")
    else:
        title, columns, noun = _tr("{0}检查整改台账").format(branch_name), FINDING_COLUMNS, _tr("问题")
    info = _tr("共 {0} 个{1}    打印日期：{2}").format(len(records), noun, date_text(printed_on))
    lines = figures_lines(figures) if figures is not None else []
    # Each ledger carries the period and its own figures: projects the first five lines, findings the last three.
    summary = (lines[:5] if kind == "projects" else lines[:1] + lines[-3:]) if lines else []
    return {
        "title": title,
        "info": info,
        "summary": summary,
        "columns": columns,
        "records": list(records),
        "code": PrintCode(kind, printed_on.isoformat()),
    }


def render(
    device: QPagedPaintDevice,
    kind: str,
    records: Sequence[Project] | Sequence[Finding],
    branch_name: str,
    *,
    figures: ProjectFigures | None = None,
    printed_on: date | None = None,
) -> int:
    """Draw the 项目台账 (``kind="projects"``) or 检查整改台账 (``kind="findings"``); returns the page count."""
    return render_table(
        device,
        ledger_document(**_ledger_args(kind, records, branch_name, figures, printed_on or date.today())),
    )


def write_pdf(
    path: str | os.PathLike[str],
    kind: str,
    records: Sequence[Any],
    branch_name: str,
    *,
    figures: ProjectFigures | None = None,
    printed_on: date | None = None,
) -> Path:
    """Write the ledger as a PDF at ``path`` (temporary name, then rename); returns the path."""
    from desktop.printing.pdf import write_pdf

    write_pdf(
        path,
        title=_tr("项目台账") if kind == "projects" else _tr("检查整改台账"),
        page_layout=PAGE_LAYOUT,
        paint=lambda w: render(w, kind, records, branch_name, figures=figures, printed_on=printed_on),
    )
    return Path(path)


def preview(
    parent: Any, kind: str, records: Sequence[Any], branch_name: str, *, figures: ProjectFigures | None = None
) -> QPrintPreviewDialog:
    """A QPrintPreviewDialog over the same layout (not shown yet; call ``open()``). Its toolbar prints; the
    same layout goes to PDF through ``write_pdf``."""
    from desktop.printing.preview import preview_dialog

    records = list(records)
    return preview_dialog(
        parent,
        title=_tr("项目台账") if kind == "projects" else _tr("检查整改台账"),
        page_layout=PAGE_LAYOUT,
        size=(1100, 680),
        paint=lambda p: render(p, kind, records, branch_name, figures=figures),
    )
