"""The TF decode policy and the header-pixel guard used by the image-bytes signature."""

import numpy as np
import pytest
import tensorflow as tf

from tests import images
from transform import image_ops


@pytest.mark.parametrize("name,data,pixels", [
    ("jpeg", images.jpeg(size=(24, 16)), 24 * 16),
    ("png", images.encode(images.rgb((24, 16)), "PNG"), 24 * 16),
    ("gif", images.encode(images.rgb((24, 16)).convert("P"), "GIF"), 24 * 16),
    ("bmp", images.encode(images.rgb((24, 16)), "BMP"), 24 * 16),
    ("png bomb header", images.png_header_only(15000, 15000), 15000 * 15000),
    ("jpeg bomb header", images.jpeg_claiming(60000, 60000), 60000 * 60000),
    ("text", b"not an image", 0),
    ("empty", b"", 0),
])
def test_header_pixels_reads_dimensions_without_decoding(name, data, pixels):
    assert int(image_ops.header_pixels(tf.constant(data))) == pixels, name


def test_decode_and_resize_is_rgb_float_at_model_size():
    batch = tf.constant([images.jpeg(size=(40, 30)), images.encode(images.rgb((24, 16)), "PNG")])
    out = image_ops.decode_and_resize_batch(batch, 16).numpy()
    assert out.shape == (2, 16, 16, 3) and out.dtype == np.float32
    assert 0 <= out.min() and out.max() <= 255
