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


def test_the_gui_takes_its_qt_names_from_desktop_qt() -> None:
    # One way to name Qt in desktop/ (docs/architecture.md): `from desktop.qt import *`, not a list of PySide6
    # classes per module. desktop/qt.py is the one module that imports PySide6 itself; i18n.py reads the
    # package's folder for Qt's catalogues (`import PySide6`, not its classes).
    offenders = sorted(
        str(path.relative_to(ROOT))
        for path in (ROOT / "desktop").rglob("*.py")
        if path.name != "qt.py" and any(n.startswith("PySide6.") for n in _imports(path))
    )
    assert offenders == [], f"import Qt names through desktop.qt instead: {offenders}"
