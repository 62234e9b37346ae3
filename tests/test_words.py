"""Issue 14, words: the user-visible strings of db/ and desktop/ use the glossary's forms — 支部党员大会 (never 支部大会
outside a quotation of an official text), 支部委员会会议 for the meeting (never 支委会), no doubled 党小组党小组会, and
《中国共产党发展党员工作细则》 by its full title. Docstrings and comments are not scanned (they are English)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from db.meetings.records import KINDS
from db.records import EDUCATIONS

ROOT = Path(__file__).resolve().parent.parent
QUOTED = re.compile(r"“[^”]*”")  # an official text quoted: its own words stay
BAD = {
    "支部大会": "支部党员大会",
    "支委会": "支部委员会会议",
    "党小组党小组会": "第1党小组会",
    "《发展党员工作细则》": "《中国共产党发展党员工作细则》",
}


def _literals(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):  # the headers older workbooks carry, recognised on import, are not our words
        if isinstance(node, ast.keyword) and node.arg == "synonyms":
            docstrings.update(id(c) for c in ast.walk(node.value) if isinstance(c, ast.Constant))
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def test_user_visible_strings_use_the_glossary_forms() -> None:
    found = []
    for folder in ("db", "desktop"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for line, text in _literals(path):
                own_words = QUOTED.sub("", text)
                for bad, good in BAD.items():
                    if bad in own_words:
                        found.append(f"{path.relative_to(ROOT)}:{line}: 「{bad}」→「{good}」: {text[:60]}")
    assert found == []


def test_the_committee_meeting_and_the_education_values() -> None:
    """支部委员会会议 is the meeting (支部委员会 is the body); 技工学校 (中技) and 职业高中 are education values."""
    assert KINDS["committee_meeting"] == "支部委员会会议"
    assert "中技（技工学校）" in EDUCATIONS and "职业高中" in EDUCATIONS
