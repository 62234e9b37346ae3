"""Layering of the entry modules beyond "no cycles" (tests/test_import_cycles.py checks those everywhere): the
application does not import the command line, security does not import the password dialogs, and the path helpers
do not import Qt."""

from __future__ import annotations

from pathlib import Path

from tests.db.test_layering import _imports

ROOT = Path(__file__).resolve().parents[2]


def _module_imports(module: str) -> set[str]:
    """Every module ``module`` imports, at the top or inside a function."""
    return _imports(ROOT / (module.replace(".", "/") + ".py"))


def test_app_never_imports_the_cli_and_security_no_dialog() -> None:
    # Cycles anywhere in db/ and desktop/ are checked by tests/test_import_cycles.py; these are stricter layering
    # rules for the entry modules: the application does not depend on the command line, security not on dialogs.
    assert not any(n.startswith("desktop.cli") for n in _module_imports("desktop.app"))
    assert not any(n.startswith("desktop.dialogs") for n in _module_imports("desktop.security"))


def test_paths_are_qt_free() -> None:
    assert not any(n.startswith("PySide6") for n in _module_imports("desktop.paths"))
