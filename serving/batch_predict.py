"""Batch inference with a pushed model over a folder of images or a video file → CSV.

`sentinel predict INPUT --out preds.csv [--model-dir DIR] [--version N] [--format F]`
Formats: `savedmodel` (the `serving_image_bytes` signature), `tflite-float`, `tflite-int8`.
Many images go through one model call per batch (the seed's "merge many images into one
inference"); a batch containing a bad file is retried image by image, so one bad file costs
only its own row (with the error in the `error` column).
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator

import numpy as np
import tensorflow as tf

from components.image_example_gen import decode
from components.image_example_gen.layout import VIDEO_EXTENSIONS
from components.model_pusher import push
from serving.tflite_runner import TFLiteClassifier
from trainer import export
from transform import image_ops

FORMATS = ("savedmodel", "tflite-float", "tflite-int8")
FIELDS = ("source", "frame_index", "label", "probability", "error")


def version_dir(model_dir: str, version: int | None = None) -> str:
    """The requested version, or the newest complete one."""
    versions = push.loadable_versions(model_dir)
    if not versions:
        raise FileNotFoundError(f"no pushed model version in {model_dir}")
    if version is not None and version not in versions:
        raise FileNotFoundError(f"version {version} not in {model_dir} (have {versions})")
    return os.path.join(model_dir, str(version if version is not None else versions[-1]))


class Predictor:
    """`predict(list of encoded images) → (labels, probabilities)` for one model format."""

    def __init__(self, path: str, fmt: str):
        if fmt not in FORMATS:
            raise ValueError(f"format must be one of {FORMATS}")
        with open(os.path.join(path, export.EXTRA_DIR, export.LABELS_FILE)) as handle:
            self.classes = handle.read().split()
        if fmt == "savedmodel":
            self._fn = tf.saved_model.load(path).signatures["serving_image_bytes"]
            self._tflite = None
        else:
            name = export.FLOAT_TFLITE if fmt == "tflite-float" else export.INT8_TFLITE
            with open(os.path.join(path, export.EXTRA_DIR, name), "rb") as handle:
                self._tflite = TFLiteClassifier(handle.read())

    def probabilities(self, blobs: list[bytes]) -> np.ndarray:
        if self._tflite is None:
            return self._fn(images=tf.constant(blobs))["probabilities"].numpy()
        size = self._tflite.image_size
        pixels = np.stack([np.clip(np.round(image_ops.resize(
            image_ops.decode_rgb(tf.constant(b)), size).numpy()), 0, 255).astype(np.uint8)
            for b in blobs])
        return self._tflite.predict(pixels)

    def predict(self, blobs: list[bytes]) -> list[tuple[str, float, str]]:
        """One (label, probability, error) per input; a failing batch is retried one by one."""
        try:
            probs = self.probabilities(blobs)
            return [(self.classes[int(p.argmax())], float(p.max()), "") for p in probs]
        except (tf.errors.InvalidArgumentError, ValueError, RuntimeError) as err:
            if len(blobs) == 1:
                return [("", 0.0, str(err).splitlines()[0][:200])]
            return [row for blob in blobs for row in self.predict([blob])]


def _inputs(source: str, fps: float) -> Iterator[tuple[str, int, bytes]]:
    """(source path, frame index, encoded image) for a folder of images or one video file."""
    if os.path.isfile(source) and source.lower().endswith(VIDEO_EXTENSIONS):
        import av

        from components.image_example_gen.records import sampled_frames

        with av.open(source) as container:
            for item in sampled_frames(container, container.streams.video[0], fps, 40_000_000):
                if item[0] != "bad":
                    yield source, item[0], decode.encode_png(item[2])
        return
    paths = [source] if os.path.isfile(source) else sorted(
        os.path.join(d, n) for d, _, names in os.walk(source) for n in names)
    for path in paths:
        with open(path, "rb") as handle:
            yield path, 0, handle.read()


def run(source: str, out_csv: str, model_dir: str, version: int | None = None,
        fmt: str = "savedmodel", batch_size: int = 32, fps: float = 1.0) -> int:
    """Writes one CSV row per image or sampled frame; returns the number of rows."""
    predictor = Predictor(version_dir(model_dir, version), fmt)
    rows = 0
    with open(out_csv, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(FIELDS)
        batch: list[tuple[str, int, bytes]] = []

        def flush():
            nonlocal rows
            for (path, frame, _), (label, prob, err) in zip(
                    batch, predictor.predict([b for _, _, b in batch]), strict=False):
                writer.writerow((path, frame, label, f"{prob:.6f}", err))
                rows += 1
            batch.clear()

        for item in _inputs(source, fps):
            batch.append(item)
            if len(batch) == batch_size:
                flush()
        if batch:
            flush()
    return rows
