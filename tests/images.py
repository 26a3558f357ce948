"""Generators of awkward image files for ingestion tests (all made here, none downloaded)."""

import io
import struct
import zlib

import numpy as np
from PIL import Image


def encode(image: Image.Image, fmt: str, **kwargs) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **kwargs)
    return out.getvalue()


def rgb(size=(24, 16), seed=0) -> Image.Image:
    pixels = np.random.default_rng(seed).integers(0, 256, (size[1], size[0], 3), dtype=np.uint8)
    return Image.fromarray(pixels, "RGB")


def jpeg(seed=0, size=(24, 16)) -> bytes:
    return encode(rgb(size, seed), "JPEG", quality=90)


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose IHDR claims width x height, with one tiny IDAT and IEND (a header bomb)."""
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0"))
            + chunk(b"IEND", b""))


def jpeg_claiming(width: int, height: int) -> bytes:
    """A valid small JPEG whose SOF header is rewritten to claim width x height."""
    data = bytearray(jpeg())
    i = 2
    while i < len(data):
        marker = data[i + 1]
        length = struct.unpack(">H", data[i + 2:i + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            data[i + 5:i + 9] = struct.pack(">HH", height, width)
            return bytes(data)
        i += 2 + length
    raise AssertionError("no SOF marker")


def variants() -> dict[str, bytes]:
    """Every pixel format ingestion must turn into RGB uint8."""
    base = rgb()
    gray16 = Image.fromarray((np.arange(24 * 16).reshape(16, 24) * 170).astype(np.uint16))
    frames = [rgb(seed=s).convert("P") for s in range(3)]
    gif = io.BytesIO()
    frames[0].save(gif, format="GIF", save_all=True, append_images=frames[1:], duration=50)
    return {
        "gray.png": encode(base.convert("L"), "PNG"),
        "gray_alpha.png": encode(base.convert("LA"), "PNG"),
        "palette.png": encode(base.convert("P"), "PNG"),
        "rgba.png": encode(base.convert("RGBA"), "PNG"),
        "cmyk.jpg": encode(base.convert("CMYK"), "JPEG"),
        "gray16.png": encode(gray16, "PNG"),
        "animated.gif": gif.getvalue(),
        "image.bmp": encode(base, "BMP"),
        "image.webp": encode(base, "WEBP", lossless=True),
        "gray.jpg": encode(base.convert("L"), "JPEG"),
    }
