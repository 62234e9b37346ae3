"""No non-ASCII character inside a date format spec (issue 22: crashes on Windows).

CPython on Windows encodes a ``strftime`` format in the ANSI code page: ``f"{d:%Y年%m月%d日}"``,
``"{0:%Y年…}".format(d)`` and ``d.strftime("%Y年…")`` raise ``UnicodeEncodeError`` or ``ValueError`` on a
machine whose code page cannot encode 年 — and print nothing useful on one that can. Format the parts and join in
Python instead (``db.textdates``). This test scans every source file of the program.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ("db", "desktop", "packaging", "bench")
_FORMAT_FIELD = re.compile(r"\{[^{}:!]*(?:![rsa])?:([^{}]*)\}")
_TIME_CALLS = {"strftime", "strptime"}


def _non_ascii(text: str) -> bool:
    return any(ord(c) > 127 for c in text)


def violations_in(source: str, name: str = "<string>") -> list[str]:
    """``file:line`` of every non-ASCII character inside a format spec or a strftime/strptime format."""
    found: list[str] = []
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            spec = "".join(
                v.value
                for v in ast.walk(node.format_spec)
                if isinstance(v, ast.Constant) and isinstance(v.value, str)
            )
            if _non_ascii(spec):
                found.append(f"{name}:{node.lineno}: f-string spec {spec!r}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            for spec in _FORMAT_FIELD.findall(node.value):
                if "%" in spec and _non_ascii(spec):
                    found.append(f"{name}:{node.lineno}: format() spec {spec!r}")
        elif isinstance(node, ast.Call):
            func = node.func
            called = (
                func.attr
                if isinstance(func, ast.Attribute)
                else func.id
                if isinstance(func, ast.Name)
                else ""
            )
            if called in _TIME_CALLS or called == "format" and isinstance(func, ast.Name):
                for arg in node.args:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and _non_ascii(arg.value):
                        found.append(f"{name}:{node.lineno}: {called}({arg.value!r})")
    return found


def test_the_scan_finds_each_form() -> None:
    source = (
        'a = f"{d:%Y年%m月}"\n'
        'b = "{0:%Y年}".format(d)\n'
        'c = d.strftime("%m月%d日")\n'
        'e = f"{d:%Y-%m-%d}年"\n'  # the text outside the spec is fine
        'g = "{0}年".format(d.year)\n'
    )
    assert sorted(v.split(":")[1] for v in violations_in(source)) == ["1", "2", "3"]


def test_no_non_ascii_date_format_in_the_program() -> None:
    found: list[str] = []
    for folder in FOLDERS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            found += violations_in(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert found == [], "\n".join(found)


def test_the_cli_prints_chinese_on_a_latin_code_page(tmp_path: Path) -> None:
    """A console whose encoding cannot hold Chinese (cp1252 on a Western Windows) still gets a readable line."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONIOENCODING": "cp1252", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "desktop", "check", "--db", str(tmp_path / "missing.sqlite")],
        capture_output=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert b"Traceback" not in result.stderr and b"UnicodeEncodeError" not in result.stderr
    assert "错误".encode() in result.stderr, result.stderr
