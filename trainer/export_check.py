"""Export check: agreement of each TFLite model with the SavedModel on the eval split.

Called by trainer/task.py after export; writes export_check.json beside the TFLite files.
"""

from __future__ import annotations

import json

import numpy as np

from serving.tflite_runner import TFLiteClassifier
from transform import features as F


def eval_arrays(dataset, mean: np.ndarray, std: np.ndarray):
    """Transformed eval batches → (image_xf float, uint8 pixels at model size, labels)."""
    xs, labels = [], []
    for feats, label in dataset:
        xs.append(feats[F.IMAGE_XF].numpy())
        labels.append(label.numpy().reshape(-1))
    xf = np.concatenate(xs)
    pixels = np.clip(np.round(xf * std + mean), 0, 255).astype(np.uint8)
    return xf, pixels, np.concatenate(labels)


def check(model, tflite_models: dict[str, bytes], xf: np.ndarray, pixels: np.ndarray,
          labels: np.ndarray) -> dict:
    """Top-1 agreement with the SavedModel and accuracy of every variant."""
    reference = np.argmax(model.predict({F.IMAGE_XF: xf}, verbose=0), axis=1)
    report = {"examples": int(len(labels)),
              "savedmodel": {"accuracy": float(np.mean(reference == labels))}}
    for name, content in tflite_models.items():
        runner = TFLiteClassifier(content)
        top1 = np.concatenate([np.argmax(runner.predict(pixels[i:i + 64]), axis=1)
                               for i in range(0, len(pixels), 64)])
        report[name] = {"accuracy": float(np.mean(top1 == labels)),
                        "agreement_with_savedmodel": float(np.mean(top1 == reference)),
                        "bytes": len(content)}
    return report


def to_json(report: dict) -> bytes:
    return json.dumps(report, indent=1, sort_keys=True).encode()
