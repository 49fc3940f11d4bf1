"""The organisation logo a shared plan may carry: what is accepted, checked from its bytes.

A logo is a PNG or JPEG file of at most :data:`MAX_BYTES`, whose width and height (read from
the file's own header, no image library) are between 16 and :data:`MAX_SIDE` pixels. The check
runs when the user picks the file, so an export never meets a file it cannot draw.
"""

from __future__ import annotations

import struct
from typing import Literal

from careerdesk.errors import InvalidInputError

MAX_BYTES = 512 * 1024
MAX_SIDE = 4000
MIN_SIDE = 16

LogoKind = Literal["png", "jpeg"]

_PNG = b"\x89PNG\r\n\x1a\n"


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from a JPEG's first start-of-frame segment; None if there is none."""
    i = 2
    while i + 9 <= len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # markers without a length
            i += 2
            continue
        (length,) = struct.unpack(">H", data[i + 2:i + 4])
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[i + 5:i + 9])
            return width, height
        i += 2 + length
    return None


def logo_size(data: bytes) -> tuple[LogoKind, int, int]:
    """(kind, width, height) of an acceptable logo; raises InvalidInputError saying why not."""
    if len(data) > MAX_BYTES:
        raise InvalidInputError(
            f"The logo file is too large ({len(data) // 1024} KB; at most "
            f"{MAX_BYTES // 1024} KB).", hint="Save a smaller PNG or JPEG and choose it again.")
    kind: LogoKind
    size: tuple[int, int] | None
    if data.startswith(_PNG) and len(data) >= 24 and data[12:16] == b"IHDR":
        kind, size = "png", struct.unpack(">II", data[16:24])
    elif data.startswith(b"\xff\xd8\xff"):
        kind, size = "jpeg", _jpeg_size(data)
    else:
        raise InvalidInputError("The logo must be a PNG or JPEG image.",
                                hint="Choose a .png or .jpg file.")
    if size is None:
        raise InvalidInputError("The logo file is damaged: its size cannot be read.")
    width, height = size
    if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
        raise InvalidInputError(
            f"The logo is {width} × {height} pixels; each side must be between {MIN_SIDE} and "
            f"{MAX_SIDE}.")
    return kind, width, height
