"""Chinese fonts for the UI and for printed pages.

Left to fallback, Qt may pick the Japanese variant of a CJK font (JP glyph shapes) or nothing at all (boxes), so
the family is always set explicitly (FACTS.md: Chinese text). The font file bundled in ``resources/fonts`` is loaded
when the system has none of the families below, so a machine without Chinese fonts still shows and prints Chinese;
where the system has one (Windows' Microsoft YaHei, the CJK fonts of UOS, Kylin and Debian) the bundled file is not
read: loading its 11 MB took 20 to 40 ms of every start (issue 22).
"""

from __future__ import annotations

from desktop.paths import RESOURCES
from desktop.qt import *

SANS_CANDIDATES = (
    "Noto Sans CJK SC",
    "Microsoft YaHei",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "SimHei",
)
_FONTS_DIR = RESOURCES / "fonts"
_loaded = False


def _load_bundled() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    if _FONTS_DIR.is_dir():
        for path in sorted(_FONTS_DIR.glob("*.[ot]t[fc]")):
            QFontDatabase.addApplicationFont(str(path))


def _first_available(candidates: tuple[str, ...]) -> str:
    families = set(QFontDatabase.families())
    if not families.intersection(candidates):
        _load_bundled()
        families = set(QFontDatabase.families())
    for name in candidates:
        if name in families:
            return name
    return candidates[0]


def sans_family() -> str:
    """The CJK sans-serif family for the interface."""
    return _first_available(SANS_CANDIDATES)


def print_family() -> str:
    """The CJK family for printed pages: a sans face, which stays legible on worn site printers and photocopies."""
    return _first_available(SANS_CANDIDATES)


def print_font(point_size: float, *, bold: bool = False) -> QFont:
    """A font for QPainter layouts of printed pages (sign-in sheets, rosters, letters)."""
    font = QFont(print_family())
    font.setPointSizeF(point_size)
    font.setBold(bold)
    return font


def apply_app_font(app: QApplication) -> None:
    """Set the application-wide CJK font (call once after the QApplication exists)."""
    font = QFont(sans_family())
    font.setPointSize(10)
    app.setFont(font)
