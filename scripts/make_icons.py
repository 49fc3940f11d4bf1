#!/usr/bin/env python3
"""Renders the CareerDesk application icon from its SVG into every size and format we ship.

    .venv/bin/python scripts/make_icons.py          # regenerate, then commit the results
    .venv/bin/python scripts/make_icons.py --check  # exit 1 if a generated file is missing

Source: resources/icons/org.careerdesk.CareerDesk.svg. Output (all committed):
- resources/icons/hicolor/<n>x<n>/apps/org.careerdesk.CareerDesk.png for the freedesktop sizes,
  used by the window icon, the About dialog and packaging/linux/install.sh;
- packaging/windows/careerdesk.ico (PyInstaller's EXE icon on Windows);
- packaging/macos/careerdesk.icns (PyInstaller's BUNDLE icon on macOS).

Rendering uses Qt's own SVG renderer (QtSvg is part of PySide6-Essentials), and the .ico and
.icns containers are written here with PNG payloads: both formats are a short header and a table
of PNG blobs, so Pillow is not needed for them.
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_ID = "org.careerdesk.CareerDesk"
SOURCE = ROOT / "resources" / "icons" / f"{APP_ID}.svg"
HICOLOR = ROOT / "resources" / "icons" / "hicolor"
ICO = ROOT / "packaging" / "windows" / "careerdesk.ico"
ICNS = ROOT / "packaging" / "macos" / "careerdesk.icns"

PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)  # 256 is the largest an .ico entry can say
# OSType -> pixel size; the @2x types (ic11..ic14) are what Retina screens pick.
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic09", 512),
    (b"ic10", 1024),
    (b"ic11", 32),
    (b"ic12", 64),
    (b"ic13", 256),
    (b"ic14", 512),
)


def png_path(size: int) -> Path:
    return HICOLOR / f"{size}x{size}" / "apps" / f"{APP_ID}.png"


def outputs() -> list[Path]:
    return [*(png_path(s) for s in PNG_SIZES), ICO, ICNS]


def render_png(size: int) -> bytes:
    """The icon at ``size`` x ``size`` pixels as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        raise SystemExit(f"make_icons: cannot read {SOURCE}")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """A Windows .ico holding one PNG-compressed image per size (valid since Windows Vista)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    directory = b""
    blobs = b""
    offset = 6 + 16 * len(pngs)
    for size, blob in sorted(pngs.items()):
        side = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        directory += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(blob), offset)
        blobs += blob
        offset += len(blob)
    return header + directory + blobs


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """A macOS .icns: 'icns', total length, then (type, length, PNG) entries."""
    body = b"".join(
        ostype + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for ostype, size in ICNS_TYPES
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)
        print(f"make_icons: wrote {path.relative_to(ROOT)} ({len(data)} bytes)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that every output exists")
    args = parser.parse_args(argv)
    if args.check:
        missing = [p for p in outputs() if not p.is_file()]
        for path in missing:
            print(f"make_icons: missing {path.relative_to(ROOT)}", file=sys.stderr)
        return 1 if missing else 0

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication([])
    sizes = sorted({*PNG_SIZES, *ICO_SIZES, *(s for _, s in ICNS_TYPES)})
    pngs = {size: render_png(size) for size in sizes}
    for size in PNG_SIZES:
        write(png_path(size), pngs[size])
    write(ICO, ico_bytes({s: pngs[s] for s in ICO_SIZES}))
    write(ICNS, icns_bytes(pngs))
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
