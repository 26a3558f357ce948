"""Turns one input file into tf.Examples or quarantine records (pure, Beam-free).

Called per element by the ImageExampleGen executor's Beam pipeline. Each output is a tuple:
("example", content_key, split_group, label, relpath, serialized tf.Example), ("quarantine", record)
or ("bad_frames", relpath, count). content_key is the sha256 of an image file (to find the same
bytes under two labels) and unique per video frame.
"""

from __future__ import annotations

import hashlib
import os

import tensorflow as tf

from components.image_example_gen import decode
from components.image_example_gen.layout import InputFile
from transform import features as F


def quarantine_record(relpath: str, data: bytes | None, size: int, reason: str,
                      detail: str) -> dict:
    """The report row for a skipped file (never moved or deleted)."""
    sha = hashlib.sha256(data).hexdigest() if data is not None else ""
    return {"path": relpath, "sha256": sha, "size": size, "reason": reason, "detail": detail}


def _bytes(value: str | bytes) -> tf.train.Feature:
    raw = value if isinstance(value, bytes) else value.encode()
    return tf.train.Feature(bytes_list=tf.train.BytesList(value=[raw]))


def _int(value: int) -> tf.train.Feature:
    return tf.train.Feature(int64_list=tf.train.Int64List(value=[int(value)]))


def build_example(image: decode.Canonical, label: str, f: InputFile, source: str, clip_id: str,
                  frame_index: int, capture_time: int, night_luma: float) -> tf.train.Example:
    """Builds the tf.Example of the feature contract (transform/features.py)."""
    lighting = "night" if image.mean_luma < night_luma else "day"
    feats = {
        F.IMAGE: _bytes(image.data), F.LABEL: _bytes(label), F.CAMERA_ID: _bytes(f.camera_id),
        F.LIGHTING: _bytes(lighting), F.SOURCE: _bytes(source), F.CLIP_ID: _bytes(clip_id),
        F.FRAME_INDEX: _int(frame_index), F.CAPTURE_TIME: _int(capture_time),
        F.WIDTH: _int(image.width), F.HEIGHT: _int(image.height),
        F.SOURCE_PATH: _bytes(f.relpath),
    }
    return tf.train.Example(features=tf.train.Features(feature=feats))


def image_group(f: InputFile) -> str:
    """Split group of a still image: camera + file stem (clips group by clip instead)."""
    stem = os.path.splitext(os.path.basename(f.relpath))[0]
    return f"{f.camera_id}/{stem}"


def image_outputs(f: InputFile, label: str, max_bytes: int, max_pixels: int,
                  night_luma: float):
    """Yields the outputs for one still image file."""
    if f.size > max_bytes:
        yield ("quarantine", quarantine_record(f.relpath, None, f.size, "too_large",
                                               f"{f.size} bytes exceeds {max_bytes}"))
        return
    with open(f.path, "rb") as handle:
        data = handle.read(max_bytes + 1)
    try:
        image = decode.canonicalise(data, max_pixels)
    except decode.Rejected as err:
        yield ("quarantine", quarantine_record(f.relpath, data, len(data), err.reason,
                                               err.detail))
        return
    group = image_group(f)
    example = build_example(image, label, f, "image", group, 0, f.mtime_ns // 10**9,
                            night_luma).SerializeToString()
    yield ("example", hashlib.sha256(data).hexdigest(), group, label, f.relpath, example)


def video_outputs(f: InputFile, label: str, fps: float, max_pixels: int, night_luma: float):
    """Yields one example per sampled frame of a clip; unreadable frames are counted."""
    import cv2  # lazy: OpenCV is only needed for clips

    if f.size == 0:
        yield ("quarantine", quarantine_record(f.relpath, b"", 0, "empty", "zero-byte file"))
        return
    capture = cv2.VideoCapture(f.path)
    if not capture.isOpened():
        yield ("quarantine", quarantine_record(f.relpath, None, f.size, "unreadable_video",
                                               "no decoder could open the clip"))
        return
    native_fps = capture.get(cv2.CAP_PROP_FPS) or fps
    step = max(1, int(round(native_fps / fps)))
    clip_id = f"{f.camera_id}/{os.path.splitext(os.path.basename(f.relpath))[0]}"
    start = f.mtime_ns // 10**9
    index, kept, bad = 0, 0, 0
    while True:
        ok = capture.grab()  # the frame count in the header is not trusted: read to the end
        if not ok:
            break
        if index % step == 0:
            ok, frame = capture.retrieve()
            if not ok or frame is None:
                bad += 1
            elif frame.shape[0] * frame.shape[1] > max_pixels:
                bad += 1
            else:
                rgb = frame[:, :, ::-1].copy()
                luma = float((rgb[..., 0] * 0.299 + rgb[..., 1] * 0.587
                              + rgb[..., 2] * 0.114).mean())
                image = decode.Canonical(decode.encode_png(rgb), rgb.shape[1], rgb.shape[0], luma)
                yield ("example", f"{f.relpath}#{index}", clip_id, label, f.relpath,
                       build_example(image, label, f, "video", clip_id, index,
                                     start + int(index / native_fps),
                                     night_luma).SerializeToString())
                kept += 1
        index += 1
    capture.release()
    if bad:
        yield ("bad_frames", f.relpath, bad)
    if kept == 0:
        yield ("quarantine", quarantine_record(f.relpath, None, f.size, "unreadable_video",
                                               f"no readable frame among {index}"))
