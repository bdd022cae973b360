"""Hostile and careless files for the tests: broken images, bombs, links out."""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def png(path: Path, width: int = 40, height: int = 20, truncate: bool = False) -> Path:
    """A red PNG, written by hand so the tests need no imaging library."""
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    data = (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + _chunk(b"IDAT", zlib.compress(raw))
        + _chunk(b"IEND", b"")
    )
    if truncate:
        data = data[: len(data) // 2]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def png_bomb(path: Path, side: int = 10_000) -> Path:
    """A small file that decodes to ``side``² grey pixels (100 million by default)."""
    compressor = zlib.compressobj(9)
    row = b"\x00" * (side + 1)
    idat = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    data = (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0))
        + _chunk(b"IDAT", idat)
        + _chunk(b"IEND", b"")
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def bmp(path: Path) -> Path:
    """A 1×1 BMP: a real image, in a format the documents do not take."""
    pixels = b"\x00\x00\xff\x00"
    header = b"BM" + struct.pack("<IHHI", 14 + 40 + len(pixels), 0, 0, 54)
    info = struct.pack("<IiiHHIIiiII", 40, 1, 1, 1, 24, 0, len(pixels), 2835, 2835, 0, 0)
    path.write_bytes(header + info + pixels)
    return path


def billion_laughs(levels: int = 9) -> str:
    """YAML whose aliases of aliases expand to 9**levels values in a few hundred bytes."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for level in range(1, levels):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "city: Bekasi\ndate: 2024-02-08\n" + "\n".join(lines) + "\n"


def zip_without_word(path: Path) -> Path:
    """A ZIP file that is not a Word document."""
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("hello.txt", "hello")
    return path
