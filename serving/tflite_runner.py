"""Runs a Sentinel TFLite model (float or int8) on uint8 RGB batches.

Used by the Trainer's export check and by batch inference (serving/batch_predict.py).
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf


class TFLiteClassifier:
    """Wraps tf.lite.Interpreter; `predict(uint8 [B, S, S, 3]) → float probabilities [B, C]`."""

    def __init__(self, model_content: bytes):
        self._interpreter = tf.lite.Interpreter(model_content=model_content)
        self._input = self._interpreter.get_input_details()[0]
        self._output = self._interpreter.get_output_details()[0]
        self._batch = None

    @property
    def image_size(self) -> int:
        return int(self._input["shape"][1])

    def predict(self, images: np.ndarray) -> np.ndarray:
        if images.dtype != np.uint8 or images.ndim != 4:
            raise ValueError(f"expected uint8 [B, H, W, 3], got {images.dtype} {images.shape}")
        if self._batch != len(images):
            self._interpreter.resize_tensor_input(self._input["index"], list(images.shape))
            self._interpreter.allocate_tensors()
            self._batch = len(images)
        self._interpreter.set_tensor(self._input["index"], images)
        self._interpreter.invoke()
        out = self._interpreter.get_tensor(self._output["index"])
        scale, zero = self._output["quantization"]
        if out.dtype != np.float32 and scale:
            out = (out.astype(np.float32) - zero) * scale
        return out.astype(np.float32)
