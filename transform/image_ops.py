"""The one image decode/resize policy, in TensorFlow.

Used by `preprocessing_fn` (so by training, and by every serving signature through the
Transform graph) and by the Trainer's TFLite export check. Ingestion canonicalises every input
file to an encoding this function decodes identically everywhere (see
components/image_example_gen/decode.py), so training and serving never disagree on pixels.
"""

import tensorflow as tf


def decode_rgb(image_bytes: tf.Tensor) -> tf.Tensor:
    """Decodes one encoded image (JPEG/PNG/GIF first frame/BMP) to uint8 [H, W, 3]."""
    image = tf.io.decode_image(image_bytes, channels=3, expand_animations=False, dtype=tf.uint8)
    image.set_shape([None, None, 3])
    return image


def resize(image: tf.Tensor, size: int) -> tf.Tensor:
    """Resizes uint8 [H, W, 3] to float32 [size, size, 3] on the 0..255 scale."""
    return tf.image.resize(tf.cast(image, tf.float32), [size, size], antialias=True)


def decode_and_resize_batch(image_bytes: tf.Tensor, size: int) -> tf.Tensor:
    """Maps a [batch] string tensor of encoded images to float32 [batch, size, size, 3]."""
    return tf.map_fn(lambda b: resize(decode_rgb(b), size), image_bytes,
                     fn_output_signature=tf.TensorSpec([size, size, 3], tf.float32))
