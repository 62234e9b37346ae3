"""desktop.screenshots: every page and every DIALOG_SHOTS entry becomes a PNG."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QImage

from db import members as members_db
from desktop import screenshots
from desktop.navigation import available_pages


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path):  # type: ignore[no-untyped-def]
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    yield


def test_render_all_writes_pages_and_dialogs(qapp, db, tmp_path) -> None:
    members_db.add_member(db, values={"name": "张三", "category": "full"})
    written = screenshots.render_all(db, tmp_path / "shots")
    names = {p.name for p in written}
    for info, _cls in available_pages():
        assert f"page_{info.key}.png" in names
    for stem, _spec in screenshots.DIALOG_SHOTS:
        assert f"dialog_{stem}.png" in names
    image = QImage(str(tmp_path / "shots" / "page_members.png"))
    assert (image.width(), image.height()) == screenshots.WINDOW_SIZE
