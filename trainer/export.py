"""SavedModel signatures and TFLite conversion (called by trainer/task.py).

Signatures (all reuse the Transform graph, so no preprocessing is written twice):
  serving_default       serialized tf.Example (needs only `image`) → probabilities, classes
  serving_image_bytes   [batch] encoded images → probabilities, classes; guarded: at most
                        MAX_BATCH images, MAX_IMAGE_BYTES each, headers within
                        MAX_HEADER_PIXELS (checked before any pixel is decoded)
  transform_features    serialized tf.Example → Transform outputs (TFMA preprocessing)
TFLite (in <SavedModel>/assets.extra/, so every copy of the model carries them):
  model_float.tflite, model_int8.tflite (uint8 RGB input at model size, normalisation baked
  in from the Transform statistics), labels.txt.
"""

from __future__ import annotations

import io
import os

import numpy as np
import tensorflow as tf
from PIL import Image

from trainer.hparams import HParams
from transform import features as F
from transform import image_ops

EXTRA_DIR = "assets.extra"
FLOAT_TFLITE = "model_float.tflite"
INT8_TFLITE = "model_int8.tflite"
LABELS_FILE = "labels.txt"
MAX_IMAGE_BYTES = 10 * 2**20
MAX_BATCH = 256
MAX_HEADER_PIXELS = 40_000_000  # same cap as ingestion's default max_pixels


def normalisation_constants(tft_layer) -> tuple[np.ndarray, np.ndarray]:
    """Reads the full-pass per-channel mean/std out of the Transform graph."""
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, format="PNG")
    out = tft_layer({F.IMAGE: tf.constant([[buffer.getvalue()]])})
    return out[F.PIXEL_MEAN_XF].numpy()[0], out[F.PIXEL_STD_XF].numpy()[0]


def _outputs(model, image_xf, class_names):
    probabilities = model({F.IMAGE_XF: image_xf})
    classes = tf.tile(class_names[tf.newaxis], [tf.shape(probabilities)[0], 1])
    return {"probabilities": probabilities, "classes": classes}


def signatures(model, tf_transform_output, hp: HParams) -> dict:
    """Builds the three serving signatures; attaches the Transform layer to `model`."""
    model.tft_layer = tf_transform_output.transform_features_layer()
    raw_spec = tf_transform_output.raw_feature_spec()
    class_names = tf.constant(list(hp.classes))

    @tf.function(input_signature=[tf.TensorSpec([None], tf.string, name="examples")])
    def serve_examples(serialized):
        parsed = tf.io.parse_example(serialized, {F.IMAGE: raw_spec[F.IMAGE]})
        return _outputs(model, model.tft_layer(parsed)[F.IMAGE_XF], class_names)

    @tf.function(input_signature=[tf.TensorSpec([None], tf.string, name="images")])
    def serve_image_bytes(images):
        checks = [
            tf.debugging.assert_less_equal(tf.size(images), MAX_BATCH,
                                           message=f"batch larger than {MAX_BATCH} images"),
            tf.debugging.assert_less_equal(tf.strings.length(images), MAX_IMAGE_BYTES,
                                           message=f"image larger than {MAX_IMAGE_BYTES} bytes"),
            tf.debugging.assert_positive(tf.strings.length(images), message="empty image"),
        ]
        with tf.control_dependencies(checks):
            pixels = tf.map_fn(image_ops.header_pixels, images,
                               fn_output_signature=tf.int64)
            checks.append(tf.debugging.assert_less_equal(
                pixels, tf.constant(MAX_HEADER_PIXELS, tf.int64),
                message=f"image header claims more than {MAX_HEADER_PIXELS} pixels"))
        with tf.control_dependencies(checks):
            xf = model.tft_layer({F.IMAGE: tf.reshape(images, [-1, 1])})
        return _outputs(model, xf[F.IMAGE_XF], class_names)

    @tf.function(input_signature=[tf.TensorSpec([None], tf.string, name="examples")])
    def transform_features(serialized):
        return model.tft_layer(tf.io.parse_example(serialized, raw_spec))

    return {"serving_default": serve_examples.get_concrete_function(),
            "serving_image_bytes": serve_image_bytes.get_concrete_function(),
            "transform_features": transform_features.get_concrete_function()}


def edge_function(model, mean: np.ndarray, std: np.ndarray, size: int):
    """uint8 [B, size, size, 3] RGB → probabilities, normalisation constants baked in."""
    mean_c, std_c = tf.constant(mean, tf.float32), tf.constant(std, tf.float32)

    @tf.function(input_signature=[tf.TensorSpec([None, size, size, 3], tf.uint8, name="image")])
    def edge(image):
        return model({F.IMAGE_XF: (tf.cast(image, tf.float32) - mean_c) / std_c})

    return edge.get_concrete_function()


def to_tflite(model, concrete, representative: np.ndarray | None) -> bytes:
    """Float32 TFLite, or full-integer int8 (uint8 in/out) when representative data is given."""
    converter = tf.lite.TFLiteConverter.from_concrete_functions([concrete], model)
    if representative is not None:
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.representative_dataset = lambda: ([representative[i:i + 1]]
                                                    for i in range(len(representative)))
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        converter.inference_input_type = tf.uint8
        converter.inference_output_type = tf.uint8
    return converter.convert()


def write_extras(serving_dir: str, files: dict[str, bytes]) -> None:
    extra = os.path.join(serving_dir, EXTRA_DIR)
    tf.io.gfile.makedirs(extra)
    for name, data in files.items():
        with tf.io.gfile.GFile(os.path.join(extra, name), "wb") as handle:
            handle.write(data)
