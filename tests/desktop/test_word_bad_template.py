"""A branch's Word template that is not what it should be: an .xlsx or a damaged .docx picked by mistake, or tags
that fail while filling. Each is refused with one Chinese message when the template is set; nothing is saved,
nothing reaches the user in English or as a traceback."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook

from db import demo, store
from desktop.word import forms
from desktop.word.render import TemplateError


@pytest.fixture
def demo_db(tmp_path: Path):  # type: ignore[no-untyped-def]
    database = store.open(tmp_path / "demo.sqlite")
    demo.generate(database, members=12, seed=3)
    yield database
    store.close(database)


def _docx(path: Path, text: str) -> Path:
    document = Document()
    document.add_paragraph(text)
    document.save(str(path))
    return path


def _xlsx(path: Path) -> Path:
    Workbook().save(path)
    return path


def _damaged(path: Path) -> Path:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document><broken")
    path.write_bytes(data.getvalue())
    return path


CASES = {
    "an Excel workbook": lambda p: _xlsx(p / "名册.docx"),
    "a damaged docx": lambda p: _damaged(p / "损坏.docx"),
    "a division by zero": lambda p: _docx(p / "除零.docx", "{{ 1/0 }}"),
    "a loop over a number": lambda p: _docx(p / "循环.docx", "{% for x in 3 %}{{ x }}{% endfor %}"),
    "an unknown filter": lambda p: _docx(p / "过滤器.docx", "{{ heading | 大写 }}"),
}


def _chinese_only(message: str, name: str) -> None:
    assert name in message
    words = set(re.findall(r"[A-Za-z]+", message.replace(name, "").replace(forms_doc(), "")))
    assert words <= {"Word", "WPS", "Excel", "docx", "for", "if", "endfor", "endif", "is", "heading"}, message


def forms_doc() -> str:
    from desktop.word.render import FIELDS_DOC

    return FIELDS_DOC


@pytest.mark.parametrize("case", list(CASES))
def test_a_template_that_cannot_be_used_is_refused_in_chinese(demo_db, tmp_path: Path, case: str) -> None:  # type: ignore[no-untyped-def]
    path = CASES[case](tmp_path)
    with pytest.raises(TemplateError) as caught:
        forms.set_template(demo_db, kind="minutes", path=path)
    _chinese_only(caught.value.message, path.name)
    assert forms.branch_template(demo_db, kind="minutes") is None


def test_the_settings_dialog_says_so_and_keeps_the_default(qtbot, demo_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from desktop.context import AppContext
    from desktop.pages.settings import Page
    from desktop.qt import QMessageBox, Qt

    page = Page(AppContext(demo_db))
    qtbot.addWidget(page)
    qtbot.mouseClick(page.word_button, Qt.MouseButton.LeftButton)
    dialog = page.word_dialog
    assert not dialog.choose(_xlsx(tmp_path / "名册.docx"))
    box = dialog.findChild(QMessageBox)
    assert box is not None and "名册.docx" in box.text() and "内部错误" not in box.text()
    box.close()
    assert dialog.table.item(0, 1).text() == "默认模板"
