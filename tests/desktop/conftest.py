"""Desktop tests run offscreen with the CJK font set, as the application does."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _cjk_font(qapp):  # type: ignore[no-untyped-def]
    from desktop.fonts import apply_app_font

    apply_app_font(qapp)
    yield
