"""The organisation logo: accepted from its bytes only when it is a PNG or JPEG of sane size."""

from __future__ import annotations

import struct
import zlib

import pytest

from careerdesk.domain.logo import MAX_BYTES, logo_size
from careerdesk.errors import InvalidInputError


def png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body)))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\x80\x80\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


def jpeg_header(width: int, height: int) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof + b"\xff\xd9"


def test_png_and_jpeg_sizes_are_read_from_the_file() -> None:
    assert logo_size(png(120, 40)) == ("png", 120, 40)
    assert logo_size(jpeg_header(300, 80)) == ("jpeg", 300, 80)


@pytest.mark.parametrize(("data", "message"), [
    (b"GIF89a....", "PNG or JPEG"),
    (b"", "PNG or JPEG"),
    (png(8, 40), "between 16"),
    (png(5000, 40), "5000 × 40"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "damaged"),
    (png(16, 16) + b"\x00" * MAX_BYTES, "too large"),
])
def test_what_is_not_a_usable_logo_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        logo_size(data)
