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


def _le(data: tf.Tensor, offset: int, length: int) -> tf.Tensor:
    """Little-endian unsigned integer of `length` bytes at `offset` (as int64)."""
    raw = tf.cast(tf.io.decode_raw(tf.strings.substr(data, offset, length), tf.uint8), tf.int64)
    return tf.reduce_sum(raw * tf.constant([256**i for i in range(length)], tf.int64))


def _be(data: tf.Tensor, offset: int, length: int) -> tf.Tensor:
    raw = tf.cast(tf.io.decode_raw(tf.strings.substr(data, offset, length), tf.uint8), tf.int64)
    return tf.reduce_sum(raw * tf.constant([256**i for i in reversed(range(length))], tf.int64))


def header_pixels(image_bytes: tf.Tensor) -> tf.Tensor:
    """Pixel count claimed by one encoded image's header, read without decoding (int64).

    JPEG via extract_jpeg_shape; PNG, GIF and BMP from their fixed header fields. Unknown or too
    short inputs give 0 (decode_rgb then rejects them with TensorFlow's own error)."""
    padded = image_bytes + tf.constant(b"\0" * 32)  # short inputs read zeros, never fail here
    head = tf.strings.substr(padded, 0, 4)

    def jpeg():
        shape = tf.cast(tf.image.extract_jpeg_shape(image_bytes), tf.int64)
        return shape[0] * shape[1]

    return tf.case([
        (tf.equal(tf.strings.substr(padded, 0, 3), b"\xff\xd8\xff"), jpeg),
        (tf.equal(head, b"\x89PNG"), lambda: _be(padded, 16, 4) * _be(padded, 20, 4)),
        (tf.equal(tf.strings.substr(padded, 0, 3), b"GIF"),
         lambda: _le(padded, 6, 2) * _le(padded, 8, 2)),
        (tf.equal(tf.strings.substr(padded, 0, 2), b"BM"),
         lambda: _le(padded, 18, 2) * _le(padded, 22, 2)),
    ], default=lambda: tf.constant(0, tf.int64), exclusive=True)
