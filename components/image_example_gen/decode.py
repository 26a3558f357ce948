"""Validation and canonicalisation of one image file's bytes (pure functions, no Beam).

Called by the ImageExampleGen executor for every image and every sampled video frame.

Policy: the format comes from magic bytes, never the extension; size limits are checked from
`stat` and from the image header before any pixel is decoded; every accepted image becomes RGB
uint8 (gray, gray+alpha, palette, RGBA, CMYK, 16-bit and the first frame of an animation
alike). The stored bytes are the original file when it is a complete 8-bit RGB/gray JPEG, and a
lossless PNG of the RGB pixels otherwise, so that `transform.image_ops.decode_rgb` (training and
serving) sees exactly the pixels validated here. Pillow is used rather than TensorFlow because
TF 2.16 cannot read WebP, CMYK or TIFF and has no pixel cap.
"""

from __future__ import annotations

import dataclasses
import io
import warnings

import numpy as np
from PIL import Image

MAGIC = (
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"BM", "bmp"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
)
ACCEPTED_IMAGE_FORMATS = ("jpeg", "png", "gif", "bmp", "webp")


class Rejected(Exception):
    """A file that must be quarantined; `reason` is a stable reason code."""

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclasses.dataclass(frozen=True)
class Canonical:
    """An accepted image: bytes to store plus the facts ingestion records."""

    data: bytes
    width: int
    height: int
    mean_luma: float


def sniff(head: bytes) -> str | None:
    """Returns the container format named by the magic bytes, or None."""
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    for magic, name in MAGIC:
        if head.startswith(magic):
            return name
    return None


def _check_complete(fmt: str, data: bytes) -> None:
    """Rejects files whose end marker is missing (decoders would silently pad them)."""
    tail = data.rstrip(b"\x00")
    if fmt == "jpeg" and not tail.endswith(b"\xff\xd9"):
        raise Rejected("truncated", "JPEG has no end-of-image marker")
    if fmt == "png" and b"IEND" not in data[-64:]:
        raise Rejected("truncated", "PNG has no IEND chunk")


def _to_rgb(image: Image.Image) -> np.ndarray:
    """Converts any Pillow mode to RGB uint8, scaling (not clipping) 16/32-bit samples."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        pixels = np.asarray(image, dtype=np.float64)
        top = 65535.0 if image.mode.startswith("I;16") or pixels.max() > 255 else 255.0
        gray = np.clip(np.round(pixels / top * 255.0), 0, 255).astype(np.uint8)
        return np.repeat(gray[:, :, None], 3, axis=2)
    if image.mode == "F":
        gray = np.clip(np.asarray(image), 0, 255).astype(np.uint8)
        return np.repeat(gray[:, :, None], 3, axis=2)
    return np.asarray(image.convert("RGB"), dtype=np.uint8)


def canonicalise(data: bytes, max_pixels: int) -> Canonical:
    """Validates encoded image bytes and returns their canonical RGB form, or raises Rejected."""
    if not data:
        raise Rejected("empty", "zero-byte file")
    fmt = sniff(data[:16])
    if fmt is None:
        raise Rejected("not_an_image", "unknown magic bytes")
    if fmt not in ACCEPTED_IMAGE_FORMATS:
        raise Rejected("unsupported_format", f"{fmt} is not an accepted image format")
    _check_complete(fmt, data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size  # from the header: nothing decoded yet
            if width * height > max_pixels:
                raise Rejected("too_many_pixels", f"{width}x{height} exceeds {max_pixels} pixels")
            image.seek(0)
            image.load()
    except Rejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as err:
        raise Rejected("too_many_pixels", str(err)) from None
    except Exception as err:  # Pillow raises many types for corrupt data
        raise Rejected("corrupt", f"{type(err).__name__}: {err}") from None
    rgb = _to_rgb(image)
    luma = mean_luma(rgb)
    if fmt == "jpeg" and image.mode in ("RGB", "L"):
        stored = data
    else:
        stored = encode_png(rgb)
    return Canonical(stored, width, height, luma)


def mean_luma(rgb: np.ndarray) -> float:
    """Mean ITU-R BT.601 luma (0..255): below the configured threshold a frame is "night"."""
    return float((rgb[..., 0] * 0.299 + rgb[..., 1] * 0.587 + rgb[..., 2] * 0.114).mean())


def encode_png(rgb: np.ndarray) -> bytes:
    """Encodes RGB uint8 pixels as PNG (lossless, so the stored pixels are the validated ones)."""
    out = io.BytesIO()
    Image.fromarray(rgb, "RGB").save(out, format="PNG")
    return out.getvalue()
