"""Desktop tests run offscreen with the CJK font set, as the application does."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _cjk_font(qapp):  # type: ignore[no-untyped-def]
    from desktop.fonts import apply_app_font

    apply_app_font(qapp)
    yield


@pytest.fixture
def isolated_settings(tmp_path):  # type: ignore[no-untyped-def]
    """QSettings in this test's own folder (column widths, recent files, … never leak between tests)."""
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    yield
