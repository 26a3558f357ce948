"""Ingestion's decode policy: magic bytes, header limits, every pixel format → RGB uint8."""

import io

import numpy as np
import pytest
import tensorflow as tf
from PIL import Image

from components.image_example_gen import decode
from tests import images
from transform import image_ops

MAX_PIXELS = 10_000_000


@pytest.mark.parametrize("name,data,reason", [
    ("zero-byte", b"", "empty"),
    ("text", b"hello, not an image\n", "not_an_image"),
    ("DS_Store", b"\x00\x00\x00\x01Bud1" + b"\x00" * 64, "not_an_image"),
    ("Thumbs.db", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "not_an_image"),
    ("tiff renamed .png", images.encode(images.rgb(), "TIFF"), "unsupported_format"),
    ("jpeg cut at 50%", images.jpeg()[: len(images.jpeg()) // 2], "truncated"),
    ("jpeg without end marker", images.jpeg()[:-2], "truncated"),
    ("png without IEND", images.encode(images.rgb(), "PNG")[:-12], "truncated"),
    ("png header 15000^2", images.png_header_only(15000, 15000), "too_many_pixels"),
    ("jpeg header 60000^2", images.jpeg_claiming(60000, 60000), "too_many_pixels"),
])
def test_bad_files_are_rejected_with_a_reason_code(name, data, reason):
    with pytest.raises(decode.Rejected) as err:
        decode.canonicalise(data, MAX_PIXELS)
    assert err.value.reason == reason, name


def test_corrupt_middle_of_png_is_rejected():
    data = bytearray(images.encode(images.rgb((64, 64)), "PNG"))
    data[60:200] = b"\x00" * 140
    with pytest.raises(decode.Rejected) as err:
        decode.canonicalise(bytes(data), MAX_PIXELS)
    assert err.value.reason == "corrupt"


@pytest.mark.parametrize("name", sorted(images.variants()))
def test_every_format_becomes_rgb_uint8_that_tensorflow_decodes_identically(name):
    data = images.variants()[name]
    canonical = decode.canonicalise(data, MAX_PIXELS)
    assert (canonical.width, canonical.height) == (24, 16)
    pillow_rgb = np.asarray(Image.open(io.BytesIO(canonical.data)).convert("RGB"))
    tf_rgb = image_ops.decode_rgb(tf.constant(canonical.data)).numpy()
    assert tf_rgb.shape == (16, 24, 3) and tf_rgb.dtype == np.uint8
    if not canonical.data.startswith(b"\xff\xd8"):  # PNG: lossless, so pixel-exact
        np.testing.assert_array_equal(tf_rgb, pillow_rgb)


def test_sixteen_bit_is_scaled_not_clipped():
    canonical = decode.canonicalise(images.variants()["gray16.png"], MAX_PIXELS)
    pixels = np.asarray(Image.open(io.BytesIO(canonical.data)))
    assert pixels.max() > 200 and len(np.unique(pixels)) > 100


def test_rgb_jpeg_is_stored_as_captured():
    data = images.jpeg()
    assert decode.canonicalise(data, MAX_PIXELS).data == data


def test_format_comes_from_magic_bytes_not_extension():
    assert decode.sniff(images.encode(images.rgb(), "PNG")[:16]) == "png"
    assert decode.sniff(images.jpeg()[:16]) == "jpeg"
    assert decode.sniff(images.variants()["image.webp"][:16]) == "webp"
