"""Every part's page is in the window's navigation, by the key the part names in ``db.parts``."""

from __future__ import annotations

from db import parts
from desktop.navigation import available_pages


def test_every_part_has_its_page_in_the_navigation() -> None:
    keys = [info.key for info, _cls in available_pages()]
    assert len(keys) == len(set(keys))
    assert {part.page for part in parts.PARTS} <= set(keys)
    assert keys[0] == "home"
