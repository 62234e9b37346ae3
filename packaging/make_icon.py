"""Render resources/icons/app.svg to a multi-size .ico (Windows) and .png (Linux) for the bundle.

Run by packaging/prepare.sh; the outputs go to build/ and are not committed. The .ico holds 16–256 px images
(PNG-compressed entries, read by Windows Vista and later), so Explorer, the taskbar and the Start menu each get a
sharp image instead of a scaled 256 px one. build/icons/hicolor/ gets the sizes the Linux desktop menus use.
"""

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)
HICOLOR_SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(images: dict[int, bytes]) -> bytes:
    """An ICO container (ICONDIR, one ICONDIRENTRY per size, then the PNG payloads)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, payloads = b"", b""
    for size, png in sorted(images.items()):
        edge = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        entries += struct.pack("<BBBBHHII", edge, edge, 0, 0, 1, 32, len(png), offset + len(payloads))
        payloads += png
    return header + entries + payloads


def main() -> None:
    root = Path(__file__).resolve().parent.parent
    out = root / "build"
    out.mkdir(exist_ok=True)
    app = QGuiApplication(sys.argv[:1])  # noqa: F841 (QPainter needs the application object)
    renderer = QSvgRenderer(str(root / "resources" / "icons" / "app.svg"))
    render(renderer, 256).save(str(out / "branchdesk.png"))
    (out / "branchdesk.ico").write_bytes(ico_bytes({s: png_bytes(render(renderer, s)) for s in ICO_SIZES}))
    for size in HICOLOR_SIZES:
        folder = out / "icons" / "hicolor" / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True, exist_ok=True)
        render(renderer, size).save(str(folder / "branchdesk.png"))


if __name__ == "__main__":
    main()
