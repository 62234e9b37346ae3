"""Minutes, the transfer letter, the 组织生活会情况报告 and the 民主评议结果 as Word documents from the unit's own template (issue 21): the .docx opens in
LibreOffice (converted headless to PDF, read back with pdftotext), a branch's template set in 支部设置 is used, and a
bad template is refused with one Chinese message naming the field or the paragraph."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from docx import Document

from db import appraisal, attachments, demo, lifemeeting, meetings, store
from desktop import cli
from desktop.printing import catalogue
from desktop.word import defaults, forms
from desktop.word.render import TemplateError

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo_db(tmp_path: Path) -> store.Database:
    database = store.open(tmp_path / "demo.sqlite")
    demo.generate(database, members=15, seed=1)
    yield database
    store.close(database)


def _to_pdf_text(docx: Path) -> str:
    """LibreOffice converts the .docx to PDF (as a secretary opening it would see it); pdftotext reads it back."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    profile = docx.parent / "lo-profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf", "--outdir",
         str(docx.parent), str(docx)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = docx.with_suffix(".pdf")
    assert pdf.exists(), "LibreOffice did not convert the document"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True)
    return re.sub(r"\s+", "", text.stdout)


def _template(path: Path, *paragraphs: str) -> Path:
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    doc.save(str(path))
    return path


def test_the_minutes_of_the_demo_open_in_libreoffice_with_their_text(demo_db, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    held = max(meetings.list_meetings(demo_db, status="held"), key=lambda m: (m.held_on, m.seq))
    out = tmp_path / "会议记录.docx"
    assert cli.main(["--db", str(demo_db.path), "print", "minutes", "--out", str(out)]) == 0
    assert "已生成会议记录 Word 文档" in capsys.readouterr().out
    text = _to_pdf_text(out)
    for value in (
        f"{held.title}记录",
        held.topic,
        held.place,
        held.host_name,
        held.recorder_name,
        "主持人（签字）",
    ):
        assert re.sub(r"\s+", "", value) in text, value
    first_content_line = (held.content or "").splitlines()[0]
    assert re.sub(r"\s+", "", first_content_line) in text


def test_the_transfer_letter_as_word(demo_db, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "介绍信.docx"
    assert cli.main(["--db", str(demo_db.path), "print", "transfer-letter", "--out", str(out)]) == 0
    text = "".join(p.text for p in Document(str(out)).paragraphs)
    assert "中国共产党党员组织关系介绍信（存根）" in text and "请接转组织关系" in text
    assert "{{" not in text and "{%" not in text


def test_a_printout_without_a_word_form_is_refused_in_chinese(demo_db, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert cli.main(["--db", str(demo_db.path), "print", "roster", "--out", str(tmp_path / "r.docx")]) == 1
    err = capsys.readouterr().err
    assert "没有 Word 格式" in err and "minutes（会议记录）" in err and "Traceback" not in err
    assert not (tmp_path / "r.docx").exists()


def test_the_branchs_own_template_set_in_settings_is_used(demo_db, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    own = _template(tmp_path / "本单位记录.docx", "本单位格式：{{ heading }}", "议题：{{ topic }}",
                    "{%p for d in decisions %}", "表决：{{ d.subject }}", "{%p endfor %}")  # fmt: skip
    forms.set_template(demo_db, kind="minutes", path=own)
    out = tmp_path / "m.docx"
    assert cli.main(["--db", str(demo_db.path), "print", "minutes", "--out", str(out)]) == 0
    assert "模板：本单位记录.docx" in capsys.readouterr().out
    held = max(meetings.list_meetings(demo_db, status="held"), key=lambda m: (m.held_on, m.seq))
    lines = [p.text for p in Document(str(out)).paragraphs]
    assert lines[0].startswith("本单位格式：") and f"议题：{held.topic}" in lines
    # kept in the attachment store: backed up with the database, checked by `check`, the old one to the 回收站
    [stored] = attachments.list_attachments(demo_db, owner_kind="template", owner_id="minutes")
    assert stored.name == "本单位记录.docx" and stored.owner_label == "Word 模板"
    assert attachments.verify_attachments(demo_db) == []
    month = date.fromisoformat(stored.created_at[:10])  # a template is not a record's file sent to HQ
    assert stored.uuid not in {
        r.get("uuid") for r in attachments.monthly_attachment_rows(demo_db, month=month)
    }
    assert "本单位记录.docx" not in {
        r.get("name") for r in attachments.monthly_attachment_rows(demo_db, month=month)
    }
    forms.reset_template(demo_db, kind="minutes")
    assert forms.branch_template(demo_db, kind="minutes") is None
    assert forms.template_source(demo_db, kind="minutes")[1] == "默认模板 minutes.docx"


def test_a_bad_template_is_refused_naming_the_field_or_the_paragraph(demo_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    misspelt = _template(tmp_path / "错字.docx", "{{ heading }}", "议题：{{ topci }}")
    with pytest.raises(TemplateError) as caught:
        forms.set_template(demo_db, kind="minutes", path=misspelt)
    assert "不存在的字段「topci」" in caught.value.message and "错字.docx" in caught.value.message
    broken = _template(tmp_path / "缺括号.docx", "开头", "主持人：{{ host }", "结尾")
    with pytest.raises(TemplateError) as caught:
        forms.set_template(demo_db, kind="minutes", path=broken)
    assert "花括号不成对" in caught.value.message and "主持人：{{ host }" in caught.value.message
    unclosed = _template(tmp_path / "未关闭.docx", "{%p for d in decisions %}", "{{ d.subject }}")
    with pytest.raises(TemplateError) as caught:
        forms.set_template(demo_db, kind="minutes", path=unclosed)
    assert "endfor" in caught.value.message
    not_word = tmp_path / "记录.docx"
    not_word.write_text("纯文本", encoding="utf-8")
    with pytest.raises(TemplateError, match="不是 .docx 文件"):
        forms.set_template(demo_db, kind="minutes", path=not_word)
    assert forms.branch_template(demo_db, kind="minutes") is None  # nothing was saved


def test_every_form_gives_exactly_its_documented_fields(demo_db) -> None:  # type: ignore[no-untyped-def]
    docs = (ROOT / "docs" / "word-templates.md").read_text(encoding="utf-8")
    for form in forms.FORMS:
        context, _stem = form.context(demo_db, catalogue.Selection())
        assert set(context) == {f.name for f in form.fields}, form.kind
        assert form.kind in catalogue.BY_KIND, form.kind
        for field in form.fields:
            assert f"`{field.name}`" in docs, (form.kind, field.name)
        # the shipped template fills from the sample values and from the real record
        source = (forms.FOLDER / form.template).read_bytes()
        forms.check_template(form.kind, source, name=form.template)


def test_the_shipped_templates_are_what_the_builders_make(tmp_path: Path) -> None:
    """resources/word/ is rebuilt by ``python -m desktop.word.defaults``: the committed files carry the same text."""

    def texts(path: Path) -> list[str]:
        doc = Document(str(path))
        cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
        return [p.text for p in doc.paragraphs] + cells

    defaults.write_all(tmp_path)
    assert set(defaults.BUILDERS) == {f.template for f in forms.FORMS}
    for name in defaults.BUILDERS:
        assert texts(tmp_path / name) == texts(forms.FOLDER / name), name


def test_settings_dialog_sets_exports_and_resets_a_template(qtbot, demo_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from desktop.context import AppContext
    from desktop.pages.settings import Page
    from desktop.qt import QMessageBox, Qt

    page = Page(AppContext(demo_db))
    qtbot.addWidget(page)
    qtbot.mouseClick(page.word_button, Qt.MouseButton.LeftButton)
    dialog = page.word_dialog
    assert dialog.table.item(0, 0).text() == "会议记录" and dialog.table.item(0, 1).text() == "默认模板"
    assert not dialog.default_button.isEnabled()
    exported = dialog.export(tmp_path / "导出.docx")
    assert exported is not None and "{{ heading }}" in Document(str(exported)).paragraphs[0].text
    assert dialog.choose(_template(tmp_path / "本单位.docx", "{{ heading }}（本单位）"))
    assert dialog.table.item(0, 1).text() == "支部模板：本单位.docx" and dialog.default_button.isEnabled()
    assert not dialog.choose(_template(tmp_path / "错.docx", "{{ headin }}"))
    box = dialog.findChild(QMessageBox)
    assert box is not None and "不存在的字段「headin」" in box.text()
    box.close()
    assert dialog.table.item(0, 1).text() == "支部模板：本单位.docx"  # the template in use stays
    qtbot.mouseClick(dialog.default_button, Qt.MouseButton.LeftButton)
    assert dialog.table.item(0, 1).text() == "默认模板"


def test_the_print_preview_of_the_minutes_offers_word(qtbot, demo_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from desktop.context import AppContext
    from desktop.pages.meetings import Page

    page = Page(AppContext(demo_db))
    qtbot.addWidget(page)
    held = max(meetings.list_meetings(demo_db, status="held"), key=lambda m: (m.held_on, m.seq))
    assert page.select_meeting(held.uuid)
    preview = page.preview_minutes()
    assert preview is not None and preview.word_action is not None
    assert preview.word_action.text() == "Word 文档…"
    out = preview.save_word(tmp_path / "记录.docx")
    assert out is not None and held.topic in "".join(p.text for p in Document(str(out)).paragraphs)
    preview.close()


def _life_meeting(database: store.Database):  # type: ignore[no-untyped-def]
    held = meetings.list_meetings(database, kind="life_meeting", status="held")
    return max(held, key=lambda m: (m.held_on, m.year, m.seq))


def test_the_life_meeting_report_of_the_demo_opens_in_libreoffice(demo_db, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    m = _life_meeting(demo_db)
    r = lifemeeting.report(demo_db, meeting_uuid=m.uuid, today=date.today())
    items = lifemeeting.list_items(demo_db, meeting_uuid=m.uuid)
    assert items and r.opinions_total and r.talks_expected  # the demo fills every part of the report
    out = tmp_path / "情况报告.docx"
    args = ["--db", str(demo_db.path), "print", "life-meeting-report", "--out", str(out)]
    assert cli.main(args) == 0
    assert "已生成组织生活会情况报告 Word 文档" in capsys.readouterr().out
    text = _to_pdf_text(out)
    for value in (
        f"{r.branch_name}{r.title}情况报告",
        r.host,
        r.place,
        f"应到{r.expected}人，实到{r.present}人",
        f"共{r.opinions_total}条（党员{r.opinions['member']}条，群众{r.opinions['masses']}条",
        f"应谈{r.talks_expected}对，已谈{r.talks_held}对",
        f"已交{r.materials_submitted}份",
        f"共{r.items_total}项（待整改{r.items['open']}项",
        *(f.problem for f in items),
        *(f.owner.name for f in items if f.owner),
        "党支部书记（签字）",
    ):
        assert re.sub(r"\s+", "", value) in text, value
    assert ("逾期未整改" in text) == bool(r.overdue)


def test_the_appraisal_result_of_the_demo_opens_in_libreoffice(demo_db, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    r = appraisal.list_rounds(demo_db)[0]
    people = [p for p in appraisal.participants(demo_db, round_uuid=r.uuid) if p.graded]
    excellent = [p.name for p in people if p.grade == "excellent"]
    unqualified = [p.name for p in people if p.grade == "unqualified"]
    assert excellent and unqualified  # the demo has both
    out = tmp_path / "评议结果.docx"
    args = ["--db", str(demo_db.path), "print", "appraisal-result", "--year", str(r.year), "--out", str(out)]
    assert cli.main(args) == 0
    assert "已生成民主评议党员结果报告 Word 文档" in capsys.readouterr().out
    text = _to_pdf_text(out)
    assert f"{meetings.branch_name(demo_db)}{r.year}年度民主评议党员结果报告" in text
    assert f"优秀{len(excellent)}人" in text and f"不合格{len(unqualified)}人" in text
    assert f"评定为优秀的党员：{'、'.join(excellent)}" in text
    assert f"评定为不合格的党员：{'、'.join(unqualified)}" in text
    for p in people:  # every member's row: name, the tally, the grade
        assert f"{p.name}{p.party_group}{''.join(map(str, p.marks))}" in text, p.name
    [action] = appraisal.list_actions(demo_db, round_uuid=r.uuid)
    assert re.sub(r"\s+", "", f"组织处置：{action.member_name}{action.text}") in text
    assert "预备党员，不评定等次" in text and "{{" not in text


def test_the_print_previews_of_the_two_reports_offer_word(qtbot, demo_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from desktop.context import AppContext
    from desktop.dialogs.life_meeting import LifeMeetingDialog
    from desktop.pages.appraisal import Page

    ctx = AppContext(demo_db)
    m = _life_meeting(demo_db)
    dialog = LifeMeetingDialog(ctx, meeting_uuid=m.uuid, today=date(2026, 3, 1))
    qtbot.addWidget(dialog)
    preview = dialog.preview_report()
    assert preview.word_action is not None and preview.word_action.text() == "Word 文档…"
    out = preview.save_word(tmp_path / "报告.docx")
    assert out is not None and f"{m.title}情况报告" in Document(str(out)).paragraphs[0].text
    preview.close()

    page = Page(ctx)
    qtbot.addWidget(page)
    assert page.round is not None
    page.preview_result()
    preview = page.dialog
    assert preview.word_action is not None and preview.word_action.text() == "Word 文档…"
    out = preview.save_word(tmp_path / "评议.docx")
    assert out is not None
    assert f"{page.round.year}年度民主评议党员结果报告" in Document(str(out)).paragraphs[0].text
    preview.close()
