"""The default Word templates shipped in ``resources/word/``, built with python-docx so they can be rebuilt and
reviewed as code: ``python -m desktop.word.defaults`` writes them all.

Each builder lays out one document kind with Jinja tags (docxtpl: ``{{ field }}``, ``{%p for … %}`` for a
paragraph repeated per item). A new kind adds one builder here and names it in its ``WordForm`` (forms.py).
Qt-free.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from desktop.paths import RESOURCES

FOLDER = RESOURCES / "word"
FONT = "宋体"  # SimSun on Windows; LibreOffice and WPS substitute their own Song face


def _page(doc: DocumentObject, width: float, height: float, margin: float) -> None:
    """The page size and the four margins, in mm."""
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(width), Mm(height)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(margin))


def new_document() -> DocumentObject:
    """An A4 document in 宋体 11 pt with 25 mm margins (the look of the printed minutes)."""
    doc = Document()
    _page(doc, 210, 297, 25)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), FONT)
    doc.core_properties.author = "支部工作台 Branch Desk"
    return doc


def title(doc: DocumentObject, text: str, size: float = 16) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(text)
    run.bold = True
    run.font.size = Pt(size)


def labelled(doc: DocumentObject, label: str, value: str) -> None:
    """A paragraph ``label：value`` with the label in bold (one run each: a tag never splits across runs)."""
    p = doc.add_paragraph()
    p.add_run(f"{label}：").bold = True
    p.add_run(value)


def line(doc: DocumentObject, text: str, *, right: bool = False, indent: bool = False) -> None:
    p = doc.add_paragraph(text)
    if right:
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if indent:
        p.paragraph_format.first_line_indent = Pt(22)


def _grid(doc: DocumentObject, widths: tuple[float, ...]) -> Any:
    """A bordered table of columns ``widths`` (mm), fixed so LibreOffice and WPS keep the widths."""
    table = doc.add_table(rows=0, cols=len(widths))
    table.style = "Table Grid"
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)  # the grid, which LibreOffice and WPS follow, not only each cell
    return table


def _row(table: Any, texts: tuple[str, ...], *, bold: int = 0) -> None:
    """A row of ``texts``, its first ``bold`` cells in bold."""
    cells = table.add_row().cells
    for i, (cell, column, text) in enumerate(zip(cells, table.columns, texts, strict=True)):
        cell.width = column.width
        cell.paragraphs[0].add_run(text).bold = i < bold


def _headed(doc: DocumentObject, heading: str, text: str) -> None:
    """A bold ``heading：`` line, then ``text`` as an indented paragraph."""
    labelled(doc, heading, "")
    line(doc, text, indent=True)


def _items(doc: DocumentObject, heading: str, loop: str, text: str) -> None:
    """A list under a bold ``heading``, one indented paragraph ``text`` per item of ``loop`` (``"d in
    decisions"``); heading and list are left out when there is no item."""
    doc.add_paragraph(f"{{%p if {loop.split(' in ')[1]} %}}")
    labelled(doc, heading, "")
    doc.add_paragraph(f"{{%p for {loop} %}}")
    line(doc, text, indent=True)
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endif %}")


def _signatures(doc: DocumentObject, *lines: str) -> None:
    """A blank paragraph, then the signature lines."""
    doc.add_paragraph()
    for text in lines:
        line(doc, text)


def minutes() -> DocumentObject:
    doc = new_document()
    title(doc, "{{ heading }}")
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    rows = (
        ("会议", "{{ title }}（{{ number }}）"),
        ("时间", "{{ time }}"),
        ("地点", "{{ place }}"),
        ("主持人", "{{ host }}"),
        ("记录人", "{{ recorder }}"),
        ("授课人", "{{ lecturer or '—' }}"),
        ("议题", "{{ topic }}"),
        (
            "出席情况",
            (
                "应到 {{ expected }} 人，实到 {{ present }} 人，请假 {{ leave }} 人，缺席 {{ absent }} 人，"
                "列席 {{ observers }} 人"
            ),
        ),
        ("出席人员", "{{ present_names or '无' }}"),
        ("请假人员", "{{ leave_names or '无' }}"),
        ("缺席人员", "{{ absent_names or '无' }}"),
        ("法定人数", "{{ quorum or '不适用' }}"),
    )
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].width, cells[1].width = Mm(28), Mm(132)
        cells[0].paragraphs[0].add_run(label).bold = True
        cells[1].paragraphs[0].add_run(value)
    table.autofit = False
    for column, width in zip(table.columns, (Mm(28), Mm(132)), strict=True):
        column.width = width  # the grid, which LibreOffice and WPS follow, not only each cell
    doc.add_paragraph()
    _headed(doc, "会议内容", "{{ content }}")
    _headed(doc, "发言要点", "{{ speaking_points }}")
    _items(
        doc,
        "表决事项",
        "d in decisions",
        "{{ d.seq }}. {{ d.subject }}。{{ d.votes }}决议：{{ d.resolution }}{{ d.flag }}",
    )
    doc.add_paragraph("{%p for g in grades %}")
    labelled(doc, "评议{{ g.grade }}", "{{ g.count }} 人：{{ g.names }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p for a in amendments %}")
    labelled(
        doc,
        "更正记录",
        "{{ a.on }} 更正「{{ a.field }}」：原为「{{ a.old }}」，改为「{{ a.new }}」。原因：{{ a.reason }}",
    )
    doc.add_paragraph("{%p endfor %}")
    _signatures(
        doc,
        "主持人（签字）：＿＿＿＿＿＿＿＿　　　记录人（签字）：＿＿＿＿＿＿＿＿",
        "日期：＿＿＿＿年＿＿月＿＿日",
    )
    return doc


def transfer_letter() -> DocumentObject:
    doc = new_document()
    title(doc, "中国共产党党员组织关系介绍信（存根）", 15)
    line(doc, "第 {{ serial }} 号", right=True)
    line(
        doc,
        "{{ name }}同志，性别{{ gender }}，年龄{{ age }}岁，民族{{ ethnicity }}，系中共{{ category }}党员，"
        "身份证号码{{ citizen_id }}，由{{ from_unit }}去{{ to_unit }}。党费交到{{ dues_month }}。"
        "（有效期{{ validity }}天）",
        indent=True,
    )
    line(doc, "介绍信抬头：{{ addressee }}")
    line(doc, "{{ issued_on }}", right=True)
    line(doc, "－－－－－－－－－－－－－－－－－－－－－－－－－－－－－－－－－－－－－－－－")
    title(doc, "中国共产党党员组织关系介绍信", 15)
    line(doc, "第 {{ serial }} 号", right=True)
    line(doc, "{{ addressee }}：")
    line(
        doc,
        "{{ name }}同志（{{ gender }}），{{ age }}岁，{{ ethnicity }}，系中共{{ category }}党员，"
        "身份证号码{{ citizen_id }}，由{{ from_unit }}去{{ to_unit }}，请接转组织关系。",
        indent=True,
    )
    line(doc, "该同志党费已交到{{ dues_month }}。", indent=True)
    line(doc, "（有效期{{ validity }}天）", indent=True)
    line(doc, "（盖章）", right=True)
    line(doc, "{{ issued_on }}", right=True)
    line(doc, "党员联系电话或其他联系方式：____________    党员原所在基层党委通讯地址：____________")
    line(doc, "联系电话：____________    传真：____________    邮编：________")
    line(doc, "－－－－－－－－－－－－－－－－－－－－－－－－－－－－－－－－－－－－－－－－")
    title(doc, "中国共产党党员组织关系介绍信（回执）", 15)
    line(doc, "第 {{ serial }} 号", right=True)
    line(doc, "{{ upper or '＿＿＿＿＿＿＿＿＿＿＿＿' }}：")
    line(doc, "{{ name }}同志的党员组织关系已转达我处，特此回复。", indent=True)
    line(doc, "（盖章）", right=True)
    line(doc, "年　　月　　日", right=True)
    line(doc, "经办人：____________    联系电话：____________")
    return doc


def life_meeting_report() -> DocumentObject:
    doc = new_document()
    title(doc, "{{ heading }}")
    table = _grid(doc, (28, 132))
    for label, value in (
        ("会议", "{{ title }}{{ held }}"),
        ("时间", "{{ date }}"),
        ("地点", "{{ place }}"),
        ("主持人", "{{ host }}"),
        (
            "出席情况",
            "应到 {{ expected }} 人，实到 {{ present }} 人，请假 {{ leave }} 人，缺席 {{ absent }} 人",
        ),
        ("请假人员", "{{ leave_names }}"),
        ("缺席人员", "{{ absent_names }}"),
        ("会议主题", "{{ topic }}"),
        ("征求意见", "共 {{ opinions_total }} 条（{{ opinions_text }}）"),
        (
            "谈心谈话",
            "应谈 {{ talks_expected }} 对，已谈 {{ talks_held }} 对，未谈 {{ talks_missing }} 对",
        ),
        ("对照检查", "应交对照检查材料 {{ materials_expected }} 份，已交 {{ materials_submitted }} 份"),
        ("会上发言", "{{ criticism }} 名党员的批评与自我批评作了记录"),
        (
            "整改清单",
            (
                "共 {{ items_total }} 项（{{ item_states_text }}）"
                "{% if overdue %}，其中逾期未整改 {{ overdue }} 项{% endif %}"
            ),
        ),
    ):
        _row(table, (label, value), bold=1)
    doc.add_paragraph()
    _headed(doc, "会议内容", "{{ content }}")
    _items(
        doc,
        "整改事项",
        "i in items",
        "{{ i.seq }}. {{ i.problem }}。措施：{{ i.measure }}。责任人：{{ i.owner }}；时限：{{ i.deadline }}；"
        "状态：{{ i.state }}{% if i.closed_on %}，{{ i.closed_on }}销号{% endif %}",
    )
    _signatures(
        doc,
        "党支部（盖章）　　　　　　　　　　　　　党支部书记（签字）：＿＿＿＿＿＿＿＿",
        "报送日期：＿＿＿＿年＿＿月＿＿日",
    )
    return doc


def appraisal_result() -> DocumentObject:
    doc = new_document()
    doc.sections[0].orientation = WD_ORIENT.LANDSCAPE  # the per-member table is wide, as on the PDF
    _page(doc, 297, 210, 18)
    title(doc, "{{ heading }}")
    line(doc, "报上级党委　　打印日期：{{ printed_on }}", right=True)
    line(
        doc,
        "参评党员 {{ taking }} 人：正式党员 {{ graded }} 人评定等次，预备党员 {{ probationary }} 人参评不评定等次。"
        "民主测评：{{ measured_on }}，收回测评票 {{ ballots }} 张。支部评定：{{ decided_on }}。",
    )
    line(
        doc,
        "优秀 {{ excellent }} 人，合格 {{ qualified }} 人，基本合格 {{ basically_qualified }} 人，"
        "不合格 {{ unqualified }} 人，未评定 {{ not_graded }} 人。",
    )
    table = _grid(doc, (12, 22, 28, 16, 16, 22, 19, 14, 40, 72))
    heads = (
        "序号",
        "姓名",
        "党小组",
        "优秀票",
        "合格票",
        "基本合格票",
        "不合格票",
        "弃权",
        "支部评定",
        "组织处置",
    )
    _row(table, heads, bold=len(heads))
    _row(table, ("{%tr for m in members %}", *[""] * 9))
    columns = ("seq", "name", "party_group", "excellent", "qualified", "basically_qualified", "unqualified")
    _row(table, tuple(f"{{{{ m.{c} }}}}" for c in (*columns, "abstain", "grade", "action")))
    _row(table, ("{%tr endfor %}", *[""] * 9))
    doc.add_paragraph()
    labelled(doc, "评定为优秀的党员", "{{ excellent_names }}")
    labelled(doc, "评定为不合格的党员", "{{ unqualified_names }}")
    labelled(doc, "组织处置", "{{ actions }}")
    labelled(doc, "另列（不参加评议）", "{{ apart }}")
    _signatures(
        doc,
        "党支部（盖章）　　　　　　　　　支部书记（签字）：＿＿＿＿＿＿＿＿　　　　　报送日期：{{ printed_on }}",
    )
    return doc


BUILDERS: dict[str, Callable[[], DocumentObject]] = {
    "minutes.docx": minutes,
    "transfer-letter.docx": transfer_letter,
    "life-meeting-report.docx": life_meeting_report,
    "appraisal-result.docx": appraisal_result,
}


def write_all(folder: Path = FOLDER) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, build in BUILDERS.items():
        build().save(str(folder / name))
        written.append(folder / name)
    return written


if __name__ == "__main__":  # pragma: no cover - a maintainer's tool
    for path in write_all(Path(sys.argv[1]) if len(sys.argv) > 1 else FOLDER):
        print(path)
