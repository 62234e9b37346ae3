"""Filling a Word template (docxtpl: Jinja tags in a .docx) with a printout's fields, with one Chinese message for
a bad template: a field the printout does not have, or a tag that does not close, named with its paragraph.

Qt-free. Values are escaped for XML (``autoescape``), so a topic with ``&`` or ``<`` cannot break the document;
undefined names fail (``StrictUndefined``) instead of printing nothing, so a misspelt field is caught when the
secretary sets the template, not when the minutes are already signed.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate, Listing

from db.errors import BranchDeskError
from db.workbook.writer import atomic_path

FIELDS_DOC = "docs/word-templates.md"


class TemplateError(BranchDeskError):
    """The template cannot be filled: one Chinese line saying what, where and what to do."""


def multiline(text: str) -> Listing:
    """Text whose line breaks stay line breaks in Word (content, speaking points)."""
    return Listing(text)


def _paragraph_near(xml: str, lineno: int | None) -> str:
    """The text (tags removed) of the template around the line the Jinja parser stopped at."""
    lines = xml.splitlines()
    if not lineno or lineno > len(lines):
        return ""
    text = re.sub(r"<[^>]+>", "", lines[lineno - 1])
    return text.strip()[:60]


_SYNTAX = (
    ("unexpected end of template", "模板结束时还有没关闭的 {%p for %} 或 {%p if %}（缺少 endfor / endif）"),
    ("unexpected '}'", "花括号不成对（{{ 要与 }} 配对）"),
    ("unexpected char", "标记中有不认识的字符（常见：中文引号或全角括号）"),
    ("Encountered unknown tag", "不认识的标记（只能用 for、if、endfor、endif 等）"),
    ("No filter named", "不认识的过滤器（“|”后面的名字）"),
    ("No test named", "不认识的判断（“is”后面的名字）"),
)


def _syntax_text(message: str) -> str:
    for english, chinese in _SYNTAX:
        if english.lower() in message.lower():
            return chinese
    return "标记的写法不对"  # the parser's own words are English: not shown


def _undefined_name(exc: jinja2.UndefinedError) -> str:
    found = re.search(r"'([^']+)' (?:is undefined|has no attribute '([^']+)')", str(exc.message or ""))
    if not found:
        return str(exc.message or "")
    return found.group(2) or found.group(1)


def _template(source: bytes, label: str) -> DocxTemplate:
    if not zipfile.is_zipfile(io.BytesIO(source)):
        raise TemplateError(f"Word 模板「{label}」不是 .docx 文件（请用 Word 或 WPS 另存为 .docx 格式）")
    try:
        doc = DocxTemplate(io.BytesIO(source))
        doc.init_docx()
    except Exception as exc:
        raise TemplateError(
            f"Word 模板「{label}」无法打开：不是 Word 文档，或文件已损坏（如 Excel 表格改了扩展名）。"
            "请用 Word 或 WPS 打开后另存为 .docx"
        ) from exc
    return doc


def fill(source: bytes, context: Mapping[str, Any], *, label: str) -> bytes:
    """The template ``source`` (bytes of a .docx) filled with ``context``; ``TemplateError`` naming the field or
    the paragraph when the template is bad. ``label`` names the template in messages."""
    doc = _template(source, label)
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True)
    try:
        doc.render(dict(context), jinja_env=env, autoescape=True)
    except jinja2.TemplateSyntaxError as exc:
        near = _paragraph_near(exc.source or "", exc.lineno) if exc.source else ""
        where = f"，在「{near}」附近" if near else ""
        raise TemplateError(
            f"Word 模板「{label}」的标记有误：{_syntax_text(exc.message or '')}{where}。"
            f"请检查 {{{{ }}}} 和 {{% %}} 是否成对、拼写是否正确（见 {FIELDS_DOC}）"
        ) from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(
            f"Word 模板「{label}」用了不存在的字段「{_undefined_name(exc)}」。"
            f"可用的字段见 {FIELDS_DOC}，或在支部设置 → Word 模板中导出默认模板对照修改"
        ) from None
    except jinja2.TemplateError:
        raise TemplateError(f"Word 模板「{label}」无法填写：标记的写法不对（见 {FIELDS_DOC}）") from None
    except Exception:  # noqa: BLE001 - an expression in the template failed (a sum by zero, a loop over a number)
        raise TemplateError(
            f"Word 模板「{label}」无法填写：{{{{ }}}} 或 {{% %}} 中的表达式算不出结果。"
            f"请只用字段名和 for、if 标记（见 {FIELDS_DOC}）"
        ) from None
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def write(path: Path, data: bytes) -> Path:
    """Write a filled document under a temporary name, then rename (a full disk leaves no half file)."""
    path = Path(path)
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return path
