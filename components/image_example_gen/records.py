"""Turns one input file into tf.Examples or quarantine records (pure, Beam-free).

Called per element by the ImageExampleGen executor's Beam pipeline. Each output is a tuple:
("example", split_group, label, relpath, serialized tf.Example), ("quarantine", record) or
("bad_frames", relpath, count).
"""

from __future__ import annotations

import hashlib
import os

import tensorflow as tf

from components.image_example_gen import decode
from components.image_example_gen.layout import InputFile
from transform import features as F


def quarantine_record(relpath: str, data: bytes | None, size: int, reason: str,
                      detail: str, sha: str = "") -> dict:
    """The report row for a skipped file (never moved or deleted)."""
    sha = hashlib.sha256(data).hexdigest() if data is not None else sha
    return {"path": relpath, "sha256": sha, "size": size, "reason": reason, "detail": detail}


def file_sha256(path: str) -> str:
    """sha256 of a file read in 1 MiB chunks (memory stays bounded for huge files)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(2**20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _bytes(value: str | bytes) -> tf.train.Feature:
    raw = value if isinstance(value, bytes) else value.encode()
    return tf.train.Feature(bytes_list=tf.train.BytesList(value=[raw]))


def _int(value: int) -> tf.train.Feature:
    return tf.train.Feature(int64_list=tf.train.Int64List(value=[int(value)]))


def build_example(image: decode.Canonical, label: str, f: InputFile, source: str, clip_id: str,
                  frame_index: int, capture_time: int, night_luma: float) -> tf.train.Example:
    """Builds the tf.Example of the feature contract (transform/features.py)."""
    lighting = f.lighting or ("night" if image.mean_luma < night_luma else "day")
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
                                               f"{f.size} bytes exceeds {max_bytes}",
                                               file_sha256(f.path)))
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
    captured = f.capture_time if f.capture_time is not None else f.mtime_ns // 10**9
    example = build_example(image, label, f, "image", group, 0, captured,
                            night_luma).SerializeToString()
    yield ("example", group, label, f.relpath, example)


def sampled_frames(container, stream, fps: float, max_pixels: int):
    """Yields (frame_number, seconds, rgb) at ~`fps`, then ("bad", count) for frames that failed
    to decode. Packets are decoded one by one, so a corrupt frame costs only itself; the frame
    count in the header is never trusted."""
    import av  # lazy: only clips need PyAV

    width, height = stream.codec_context.width, stream.codec_context.height
    if width * height > max_pixels:
        raise decode.Rejected("too_many_pixels", f"{width}x{height} frames")
    rate = float(stream.average_rate or fps)
    next_time, bad = 0.0, 0
    for packet in container.demux(stream):
        if packet.size == 0:
            continue
        try:
            frames = packet.decode()
        except av.AVError:
            bad += 1
            continue
        for frame in frames:
            seconds = float(frame.time or 0.0)
            if seconds + 0.5 / rate >= next_time:
                next_time = seconds + 1.0 / fps
                yield int(round(seconds * rate)), seconds, frame.to_ndarray(format="rgb24")
    yield "bad", bad


def video_outputs(f: InputFile, label: str, fps: float, max_pixels: int, night_luma: float):
    """Yields one example per sampled frame of a clip; unreadable frames are counted."""
    import av  # lazy: only clips need PyAV

    if f.size == 0:
        yield ("quarantine", quarantine_record(f.relpath, b"", 0, "empty", "zero-byte file"))
        return
    clip_id = f"{f.camera_id}/{os.path.splitext(os.path.basename(f.relpath))[0]}"
    start = f.capture_time if f.capture_time is not None else f.mtime_ns // 10**9
    kept, bad = 0, 0
    try:
        with av.open(f.path) as container:
            if not container.streams.video:
                raise decode.Rejected("unreadable_video", "no video stream")
            for item in sampled_frames(container, container.streams.video[0], fps, max_pixels):
                if item[0] == "bad":
                    bad = item[1]
                    continue
                number, seconds, rgb = item
                image = decode.Canonical(decode.encode_png(rgb), rgb.shape[1], rgb.shape[0],
                                         decode.mean_luma(rgb))
                yield ("example", clip_id, label, f.relpath,
                       build_example(image, label, f, "video", clip_id, number,
                                     start + int(seconds), night_luma).SerializeToString())
                kept += 1
    except decode.Rejected as err:
        yield ("quarantine", quarantine_record(f.relpath, None, f.size, err.reason, err.detail,
                                               file_sha256(f.path)))
        return
    except (av.AVError, ValueError) as err:
        if kept == 0:
            yield ("quarantine", quarantine_record(f.relpath, None, f.size, "unreadable_video",
                                                   f"{type(err).__name__}: {err}",
                                                   file_sha256(f.path)))
            return
        bad += 1
    if bad:
        yield ("bad_frames", f.relpath, bad)
    if kept == 0:
        yield ("quarantine", quarantine_record(f.relpath, None, f.size, "unreadable_video",
                                               f"no readable frame ({bad} failed)",
                                               file_sha256(f.path)))
