"""The two floors stay apart: ``db/`` never imports Qt or ``desktop``; ``desktop/`` never imports sqlite_utils."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names.add(node.args[0].value)
    return names


def _offenders(folder: str, forbidden: tuple[str, ...]) -> list[str]:
    found = []
    files = sorted((ROOT / folder).rglob("*.py"))
    assert files, folder
    for path in files:
        for name in _imports(path):
            top = name.split(".")[0]
            if top in forbidden or any(name.startswith(f + ".") or name == f for f in forbidden):
                found.append(f"{path.relative_to(ROOT)} imports {name}")
    return found


def test_db_never_imports_qt_or_desktop() -> None:
    assert _offenders("db", ("PySide6", "PyQt5", "PyQt6", "shiboken6", "desktop")) == []


def test_desktop_never_imports_sqlite_utils() -> None:
    assert _offenders("desktop", ("sqlite_utils",)) == []


def test_the_scan_would_notice(tmp_path: Path) -> None:
    sample = tmp_path / "x.py"
    sample.write_text(
        "import os\nfrom PySide6.QtCore import QObject\nimportlib.import_module('desktop.app')\n"
    )
    assert {"PySide6.QtCore", "desktop.app"} <= _imports(sample)
