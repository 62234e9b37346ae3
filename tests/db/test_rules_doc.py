"""docs/rules.md cannot drift: every test it names exists, and every rule test module is named in it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "rules.md"
NAMED = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")


def _tests_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.name for n in tree.body if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")}


def test_every_test_named_in_rules_md_exists() -> None:
    named = NAMED.findall(DOC.read_text(encoding="utf-8"))
    assert named, "docs/rules.md names no test"
    missing = [f"{f}::{t}" for f, t in named if not (ROOT / f).is_file() or t not in _tests_in(ROOT / f)]
    assert missing == []


def test_every_rule_test_is_in_rules_md() -> None:
    """Each test of the tests/db/test_rules_*.py modules proves a rule, so each appears in docs/rules.md."""
    named = set(NAMED.findall(DOC.read_text(encoding="utf-8")))
    modules = [p for p in (ROOT / "tests" / "db").glob("test_rules_*.py") if p.name != "test_rules_doc.py"]
    unnamed = [
        f"{p.relative_to(ROOT).as_posix()}::{t}"
        for p in modules
        for t in sorted(_tests_in(p))
        if (p.relative_to(ROOT).as_posix(), t) not in named
    ]
    assert unnamed == []
