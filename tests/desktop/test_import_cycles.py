"""No import cycles between the program's entry modules: app, cli and screenshots do not import one another both
ways, security does not import the password dialogs, and the path helpers do not import Qt."""

from __future__ import annotations

from pathlib import Path

from tests.db.test_layering import _imports

ROOT = Path(__file__).resolve().parents[2]


def _module_imports(module: str) -> set[str]:
    """Every module ``module`` imports, at the top or inside a function."""
    return _imports(ROOT / (module.replace(".", "/") + ".py"))


def test_entry_modules_do_not_import_each_other_both_ways() -> None:
    modules = ["desktop.app", "desktop.cli", "desktop.screenshots", "desktop.security", "desktop.idle_lock"]
    modules += ["desktop.dialogs.password_prompt"]
    edges = {
        (m, n) for m in modules for n in _module_imports(m) if n in modules or n.rsplit(".", 1)[0] in modules
    }
    both_ways = sorted((a, b) for a, b in edges if (b, a) in edges)
    assert both_ways == []
    assert not any(n.startswith("desktop.cli") for n in _module_imports("desktop.app"))
    assert not any(n.startswith("desktop.dialogs") for n in _module_imports("desktop.security"))


def test_paths_are_qt_free() -> None:
    assert not any(n.startswith("PySide6") for n in _module_imports("desktop.paths"))
