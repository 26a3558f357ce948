"""Deterministic synthetic security-camera data (the built-in demo set).

Called by `sentinel demo-data` (and so by `make run`) and by the tests. Nothing is downloaded:
every frame is drawn from a seed. Each camera has its own scene (parking lot, garden, hallway);
objects vary in position, scale and colour, and are partly occluded; night frames are dark,
low-contrast and noisy, so accuracy is informative rather than 100 %.

Layout written (the data contract of README.md):
    <root>/span-<N>/<camera_id>/<label>/<camera>_<label>_<i>.jpg
    <root>/span-<N>/<camera_id>/<label>/<camera>_<label>_clip<j>.mp4   (short clips, 4 fps)
plus, per span, five deliberately bad files that ingestion must quarantine.
"""

from __future__ import annotations

import dataclasses
import io
import os
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

CLASSES = ("person", "vehicle", "animal", "background")
CAMERAS = ("cam-lot", "cam-garden", "cam-hall")


@dataclasses.dataclass(frozen=True)
class DemoSpec:
    """How much demo data to draw."""

    spans: int = 2
    images_per_class_per_camera: int = 80
    clips_per_camera: int = 2
    frames_per_clip: int = 12
    size: int = 96
    night_fraction: float = 0.35
    seed: int = 7
    bad_files: bool = True  # a handful per span, to show the quarantine report at work
    first_span: int = 1     # spans first_span .. first_span + spans - 1 are written


def _scene(camera: str, size: int, rng: np.random.Generator) -> Image.Image:
    """Draws a camera's fixed background, with small per-frame jitter."""
    img = Image.new("RGB", (size, size))
    draw = ImageDraw.Draw(img)
    j = int(rng.integers(-6, 7))
    if camera == "cam-lot":
        draw.rectangle([0, 0, size, size], fill=(110 + j, 110 + j, 115 + j))
        for x in range(0, size, size // 4):
            draw.line([x + j, size // 2, x + j + 8, size], fill=(230, 230, 200), width=2)
    elif camera == "cam-garden":
        draw.rectangle([0, 0, size, size // 3], fill=(140 + j, 180 + j, 230))
        draw.rectangle([0, size // 3, size, size], fill=(60 + j, 140 + j, 50))
    else:
        draw.rectangle([0, 0, size, size], fill=(190 + j, 170 + j, 140 + j))
        draw.rectangle([size // 3, 0, 2 * size // 3, size // 2], fill=(120, 90, 60))
    return img


def _colour(rng: np.random.Generator) -> tuple[int, int, int]:
    return tuple(int(v) for v in rng.integers(20, 236, size=3))


def _draw_object(draw: ImageDraw.ImageDraw, label: str, cx: float, cy: float, s: float,
                 rng: np.random.Generator) -> None:
    """Draws one object of class `label` centred at (cx, cy) with scale s (pixels)."""
    c = _colour(rng)
    if label == "person":
        draw.ellipse([cx - s * 0.18, cy - s * 0.62, cx + s * 0.18, cy - s * 0.28], fill=c)
        draw.rectangle([cx - s * 0.22, cy - s * 0.28, cx + s * 0.22, cy + s * 0.2],
                       fill=_colour(rng))
        draw.rectangle([cx - s * 0.2, cy + s * 0.2, cx - s * 0.04, cy + s * 0.62], fill=c)
        draw.rectangle([cx + s * 0.04, cy + s * 0.2, cx + s * 0.2, cy + s * 0.62], fill=c)
    elif label == "vehicle":
        draw.rectangle([cx - s * 0.6, cy - s * 0.15, cx + s * 0.6, cy + s * 0.2], fill=c)
        draw.rectangle([cx - s * 0.35, cy - s * 0.4, cx + s * 0.3, cy - s * 0.15], fill=c)
        for wx in (-0.38, 0.38):
            draw.ellipse([cx + s * wx - s * 0.13, cy + s * 0.1, cx + s * wx + s * 0.13,
                          cy + s * 0.36], fill=(20, 20, 20))
    elif label == "animal":
        draw.ellipse([cx - s * 0.4, cy - s * 0.15, cx + s * 0.3, cy + s * 0.15], fill=c)
        draw.ellipse([cx + s * 0.22, cy - s * 0.32, cx + s * 0.46, cy - s * 0.08], fill=c)
        for lx in (-0.3, -0.15, 0.05, 0.2):
            draw.rectangle([cx + s * lx, cy + s * 0.1, cx + s * lx + s * 0.06, cy + s * 0.38],
                           fill=c)
    else:
        # Background frames carry clutter (a bin, a bush) so "no object" is not "plain scene".
        if rng.random() < 0.6:
            draw.rectangle([cx - s * 0.15, cy - s * 0.1, cx + s * 0.15, cy + s * 0.3], fill=c)


def draw_frame(camera: str, label: str, size: int, night: bool, rng: np.random.Generator,
               offset: tuple[float, float] = (0.0, 0.0)) -> np.ndarray:
    """Returns one (size, size, 3) uint8 frame of `label` seen by `camera`."""
    img = _scene(camera, size, rng)
    draw = ImageDraw.Draw(img)
    s = float(rng.uniform(0.35, 0.8)) * size
    cx = float(rng.uniform(0.3, 0.7)) * size + offset[0]
    cy = float(rng.uniform(0.4, 0.65)) * size + offset[1]
    _draw_object(draw, label, cx, cy, s, rng)
    if rng.random() < 0.3:  # occlusion by a foreground post or sign
        ox = float(rng.uniform(0.2, 0.8)) * size
        draw.rectangle([ox, 0, ox + size * 0.12, size], fill=_colour(rng))
    pixels = np.asarray(img, dtype=np.float32)
    if night:
        gray = pixels.mean(axis=2, keepdims=True)
        pixels = 0.25 * (0.7 * gray + 0.3 * pixels) + 5.0
        pixels += rng.normal(0.0, 9.0, pixels.shape)
    else:
        pixels += rng.normal(0.0, 6.0, pixels.shape)
    return np.clip(pixels, 0, 255).astype(np.uint8)


def _write_clip(path: Path, frames: list[np.ndarray], fps: int = 4) -> None:
    import av  # lazy: only clip writing needs PyAV

    with av.open(str(path), "w") as container:
        stream = container.add_stream("mpeg4", rate=fps)
        stream.height, stream.width = frames[0].shape[:2]
        stream.pix_fmt = "yuv420p"
        for frame in frames:
            container.mux(stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")))
        container.mux(stream.encode())


def _write_bad_files(span_root: Path, rng: np.random.Generator) -> int:
    """Deliberately bad inputs, as found in real camera dumps (see README reason codes)."""
    folder = span_root / CAMERAS[0] / CLASSES[0]
    good = io.BytesIO()
    Image.fromarray(draw_frame(CAMERAS[0], CLASSES[0], 48, False, rng)).save(good, "JPEG")
    tiff = io.BytesIO()
    Image.new("RGB", (16, 16)).save(tiff, "TIFF")
    bad = {
        folder / "empty.jpg": b"",                                  # empty
        folder / "cut.jpg": good.getvalue()[: len(good.getvalue()) // 2],  # truncated
        folder / ".DS_Store": b"\x00\x00\x00\x01Bud1" + bytes(64),   # not_an_image
        folder / "scan.png": tiff.getvalue(),                       # unsupported_format
        span_root / CAMERAS[1] / "README.txt": b"camera notes\n",   # no_class_folder
    }
    for path, data in bad.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return len(bad)


DEFAULT_SPEC = DemoSpec()


def generate(root: str | os.PathLike, spec: DemoSpec = DEFAULT_SPEC) -> dict[str, int]:
    """Writes the demo data set under `root`; returns counts. Deterministic for a given spec."""
    root = Path(root)
    counts = {"images": 0, "clips": 0, "bad_files": 0}
    for span in range(spec.first_span, spec.first_span + spec.spans):
        for cam_i, camera in enumerate(CAMERAS):
            for cls_i, label in enumerate(CLASSES):
                rng = np.random.default_rng([spec.seed, span, cam_i, cls_i])
                folder = root / f"span-{span}" / camera / label
                folder.mkdir(parents=True, exist_ok=True)
                for i in range(spec.images_per_class_per_camera):
                    night = bool(rng.random() < spec.night_fraction)
                    frame = draw_frame(camera, label, spec.size, night, rng)
                    Image.fromarray(frame).save(folder / f"{camera}_{label}_{i:04d}.jpg",
                                                quality=90)
                    counts["images"] += 1
                for j in range(spec.clips_per_camera):
                    night = bool(rng.random() < spec.night_fraction)
                    seed = int(rng.integers(0, 2**31))
                    frames = [draw_frame(camera, label, spec.size, night,
                                         np.random.default_rng(seed), offset=(k * 1.5, 0.0))
                              for k in range(spec.frames_per_clip)]
                    _write_clip(folder / f"{camera}_{label}_clip{j}.mp4", frames)
                    counts["clips"] += 1
        if spec.bad_files:
            counts["bad_files"] += _write_bad_files(root / f"span-{span}",
                                                    np.random.default_rng([spec.seed, span]))
    return counts
