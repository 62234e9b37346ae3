"""Render resources/icons/app.svg to a multi-size .ico (Windows) and .png (Linux) for the bundle.

Run by packaging/build.sh; the outputs go to build/ and are not committed.
"""

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

root = Path(__file__).resolve().parent.parent
out = root / "build"
out.mkdir(exist_ok=True)
app = QGuiApplication(sys.argv[:1])
renderer = QSvgRenderer(str(root / "resources" / "icons" / "app.svg"))
image = QImage(256, 256, QImage.Format.Format_ARGB32)
image.fill(Qt.GlobalColor.transparent)
painter = QPainter(image)
renderer.render(painter)
painter.end()
image.save(str(out / "branchdesk.png"))
if not image.save(str(out / "branchdesk.ico"), "ICO"):
    print("ICO writer not available; the Windows build needs build/branchdesk.ico", file=sys.stderr)
