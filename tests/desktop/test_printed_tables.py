"""Printed tables and text wrap instead of cutting: the title and header row on every page, no "…", no name
broken across lines and no line starting with "、"."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from PySide6.QtGui import QFontMetricsF

from desktop.fonts import print_font
from desktop.printing.table import PrintColumn, PrintDocument, write_pdf
from desktop.printing.wrap import NO_LINE_START, wrap

NAMES = ["张三丰", "李四", "欧阳明月", "王五", "赵六", "诸葛孔明", "孙七", "周八", "阿依古丽·买买提"]


def test_wrap_keeps_names_whole_and_never_starts_a_line_with_a_comma(qapp) -> None:
    fm = QFontMetricsF(print_font(10))
    text = "、".join(NAMES * 3) + "。"
    widest = max(fm.horizontalAdvance(name + "、") for name in NAMES)
    for width in (30.0, 60.0, widest, widest * 1.5, widest * 3, 600.0):
        lines = wrap(text, fm, width)
        assert "".join(lines) == text
        for line in lines:
            assert line and line[0] not in NO_LINE_START, (width, line)
            if width >= widest:  # a name is split only when it is wider than the whole line
                for piece in line.strip("、。").split("、"):
                    assert piece in NAMES, (width, line)
    reason = "在外地参加集团公司组织的安全生产专项培训班（为期两周），已提前书面请假。"
    lines = wrap(reason, fm, 90.0)
    assert "".join(lines) == reason and len(lines) > 1
    assert all(line[0] not in NO_LINE_START and not line.endswith("（") for line in lines)
    assert wrap("", fm, 50.0) == [""] and wrap("甲\n乙", fm, 50.0) == ["甲", "乙"]


def page_texts(path: Path) -> list[str]:
    """The text of each page of a PDF, whitespace removed and full-width punctuation folded (NFKC)."""
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    count = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    out = []
    for n in range(1, count + 1):
        text = subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), str(path), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        out.append("".join(unicodedata.normalize("NFKC", text).split()))
    return out


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_long_table_repeats_title_and_header_and_wraps(qapp, tmp_path) -> None:
    note = "、".join(NAMES) + "共同负责井下安全生产检查整改工作，按期完成并经支部委员会验收销号"
    rows = [[str(i), f"第{i}项工作", note] for i in range(1, 41)]
    doc = PrintDocument(
        "综采一队党支部项目台账",
        "共 40 个项目",
        [
            PrintColumn("序号", 3),
            PrintColumn("项目名称", 10),
            PrintColumn("参与人及进展", 20, align_left=True),
        ],
        rows,
        footer_lines=["合计：40 项"],
        landscape=True,
    )
    pages = page_texts(write_pdf(tmp_path / "t.pdf", doc))
    assert len(pages) >= 3
    for n, page in enumerate(pages, 1):
        assert "综采一队党支部项目台账" in page, n
        if n < len(pages) or "第40项工作" in page:
            assert "项目名称" in page and "参与人及进展" in page, n
        assert f"第{n}页/共{len(pages)}页" in page
    everything = "".join(pages)
    assert "…" not in everything and "..." not in everything
    assert all(f"第{i}项工作" in everything for i in range(1, 41))
    assert everything.count("验收销号") == 40  # the end of every long cell is on paper
    assert "合计:40项" in pages[-1]
