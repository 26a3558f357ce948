"""Transform's `preprocessing_fn`: decode → resize → per-channel z-score; label → index.

Referenced by dotted path from pipeline/pipeline.py. The Transform graph it builds is embedded
in the exported model, so training and every serving signature share this code.
"""

import tensorflow as tf
import tensorflow_transform as tft

from transform import features as F
from transform import image_ops

_EPSILON = 1e-3


def _dense(tensor: tf.Tensor) -> tf.Tensor:
    """[batch, 1] fixed-length feature → [batch]."""
    return tf.reshape(tensor, [-1])


def channel_statistics(pixels: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
    """Full-pass per-channel mean and std of [batch, H, W, 3] pixels (all images same size)."""
    per_image_mean = tf.reduce_mean(pixels, axis=[1, 2])
    per_image_sq = tf.reduce_mean(tf.square(pixels), axis=[1, 2])
    mean = tft.mean(per_image_mean, reduce_instance_dims=False)
    mean_sq = tft.mean(per_image_sq, reduce_instance_dims=False)
    std = tf.sqrt(tf.maximum(mean_sq - tf.square(mean), 0.0)) + _EPSILON
    return mean, std


def label_index(labels: tf.Tensor, classes: list) -> tf.Tensor:
    """Maps class names to their index in the configured ordered list; unknown → -1."""
    table = tf.lookup.StaticHashTable(
        tf.lookup.KeyValueTensorInitializer(tf.constant(classes),
                                            tf.range(len(classes), dtype=tf.int64)), -1)
    return table.lookup(labels)


def preprocessing_fn(inputs, custom_config):
    """TFT entry point; custom_config carries `image_size` and `classes` from the config."""
    size = int(custom_config["image_size"])
    pixels = image_ops.decode_and_resize_batch(_dense(inputs[F.IMAGE]), size)
    mean, std = channel_statistics(pixels)
    batch = tf.shape(pixels)[0]
    outputs = {
        F.IMAGE_XF: (pixels - mean) / std,
        F.PIXEL_MEAN_XF: tf.tile(tf.expand_dims(mean, 0), [batch, 1]),
        F.PIXEL_STD_XF: tf.tile(tf.expand_dims(std, 0), [batch, 1]),
    }
    outputs[F.LABEL_XF] = label_index(_dense(inputs[F.LABEL]), list(custom_config["classes"]))
    return outputs
