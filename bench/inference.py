"""Benchmark: SavedModel vs TFLite float vs int8 (size, per-image latency, agreement), and
batched vs batch-1 inference through the SavedModel's image-bytes signature.

Usage: .venv/bin/python bench/inference.py [--model-dir outputs/serving/sentinel]
Uses the newest pushed version and eval-like images drawn by the demo generator.
"""

import argparse
import io
import json
import os
import time

os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from PIL import Image  # noqa: E402

from demo.generate import CAMERAS, CLASSES, draw_frame  # noqa: E402
from serving.batch_predict import version_dir  # noqa: E402
from serving.tflite_runner import TFLiteClassifier  # noqa: E402
from trainer import export  # noqa: E402
from transform import image_ops  # noqa: E402


def _images(n: int) -> list[bytes]:
    rng = np.random.default_rng(123)
    out = []
    for i in range(n):
        frame = draw_frame(CAMERAS[i % 3], CLASSES[i % 4], 96, bool(i % 3 == 0), rng)
        buffer = io.BytesIO()
        Image.fromarray(frame).save(buffer, format="JPEG", quality=90)
        out.append(buffer.getvalue())
    return out


def _dir_bytes(path: str) -> int:
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs
               if export.EXTRA_DIR not in d)


def _per_image(fn, items, repeats=1) -> float:
    fn(items[:1])
    start = time.perf_counter()
    for _ in range(repeats):
        for item in items:
            fn([item])
    return (time.perf_counter() - start) / (len(items) * repeats)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model-dir", default="outputs/serving/sentinel")
    parser.add_argument("--images", type=int, default=256)
    args = parser.parse_args()
    path = version_dir(args.model_dir)
    blobs = _images(args.images)
    serve = tf.saved_model.load(path).signatures["serving_image_bytes"]
    lite = {name: TFLiteClassifier(open(os.path.join(path, export.EXTRA_DIR, name), "rb").read())
            for name in (export.FLOAT_TFLITE, export.INT8_TFLITE)}
    size = lite[export.FLOAT_TFLITE].image_size
    pixels = np.stack([np.clip(np.round(image_ops.resize(image_ops.decode_rgb(
        tf.constant(b)), size).numpy()), 0, 255).astype(np.uint8) for b in blobs])
    reference = np.concatenate([serve(images=tf.constant(blobs[i:i + 64]))[
        "probabilities"].numpy() for i in range(0, len(blobs), 64)]).argmax(axis=1)
    results = {"version_dir": path, "images": len(blobs),
               "savedmodel_bytes": _dir_bytes(path),
               "savedmodel_batch1_ms_per_image": round(1e3 * _per_image(
                   lambda b: serve(images=tf.constant(b)), blobs[:64]), 3)}
    for name, runner in lite.items():
        key = name.replace(".tflite", "")
        results[f"{key}_bytes"] = os.path.getsize(os.path.join(path, export.EXTRA_DIR, name))
        results[f"{key}_batch1_ms_per_image"] = round(1e3 * _per_image(
            lambda p, r=runner: r.predict(np.stack(p)), list(pixels), repeats=2), 3)
        top1 = runner.predict(pixels).argmax(axis=1)
        results[f"{key}_agreement_with_savedmodel"] = round(float(np.mean(top1 == reference)), 4)
    for batch in (1, 32, 64):
        start = time.perf_counter()
        for i in range(0, len(blobs), batch):
            serve(images=tf.constant(blobs[i:i + batch]))
        results[f"savedmodel_batch{batch}_images_per_s"] = round(
            len(blobs) / (time.perf_counter() - start), 1)
    for batch in (32, 64):
        results[f"batch{batch}_vs_batch1_speedup"] = round(
            results[f"savedmodel_batch{batch}_images_per_s"]
            / results["savedmodel_batch1_images_per_s"], 2)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
