"""Desktop tests run offscreen with the CJK font set and Qt's Chinese catalogues loaded, as the application does
(``desktop.app``): a test sees what the secretary sees, whichever test happened to run first in the process."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _cjk_font(qapp):  # type: ignore[no-untyped-def]
    from desktop.fonts import apply_app_font
    from desktop.i18n import install_translations

    install_translations(qapp)
    apply_app_font(qapp)
    yield


@pytest.fixture
def isolated_settings(tmp_path):  # type: ignore[no-untyped-def]
    """QSettings in this test's own folder (column widths, recent files, … never leak between tests)."""
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    yield
