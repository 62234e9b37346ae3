"""The interface font: a system CJK family when there is one (the bundled font file is then not read, issue 22), the
bundled file when the system has none of the families."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from desktop import fonts
from desktop.qt import QFontDatabase


@pytest.fixture
def bundled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fonts folder holding a real font file, as the bundle's ``resources/fonts``; the load state reset."""
    found = subprocess.run(
        ["fc-match", "-f", "%{file}", "DejaVu Sans"], capture_output=True, text=True, check=False
    ).stdout
    if not found or not Path(found).is_file():
        pytest.skip("no font file to stand for the bundled one")
    folder = tmp_path / "fonts"
    folder.mkdir()
    (folder / Path(found).name).write_bytes(Path(found).read_bytes())
    monkeypatch.setattr(fonts, "_FONTS_DIR", folder)
    monkeypatch.setattr(fonts, "_loaded", False)
    return folder


def test_a_system_cjk_family_is_used_without_reading_the_bundled_file(qapp, bundled: Path) -> None:  # type: ignore[no-untyped-def]
    if not set(QFontDatabase.families()).intersection(fonts.SANS_CANDIDATES):
        pytest.skip("this machine has no CJK font of its own")
    assert fonts.sans_family() in QFontDatabase.families()
    assert fonts._loaded is False


def test_without_any_of_the_families_the_bundled_file_is_loaded(qapp, bundled: Path) -> None:  # type: ignore[no-untyped-def]
    assert fonts._first_available(("没有这种字体",)) == "没有这种字体"
    assert fonts._loaded is True
