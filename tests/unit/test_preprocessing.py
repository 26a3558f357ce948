"""preprocessing_fn through tft_beam: full-pass per-channel statistics and label indices."""

import tempfile

import numpy as np
import tensorflow as tf
import tensorflow_transform.beam as tft_beam
from PIL import Image
from tensorflow_transform.tf_metadata import dataset_metadata, schema_utils

from tests import images
from transform import features as F
from transform.preprocessing import preprocessing_fn

CONFIG = {"image_size": 8, "classes": ["person", "vehicle"]}


def _solid(colour) -> bytes:
    return images.encode(Image.new("RGB", (8, 8), colour), "PNG")


def test_per_channel_zscore_uses_full_pass_statistics_and_labels_map_to_indices():
    colours = [(10, 100, 200), (30, 100, 0), (50, 100, 100)]
    raw = [{F.IMAGE: [_solid(c)], F.LABEL: [label]}
           for c, label in zip(colours, [b"person", b"vehicle", b"dog"], strict=False)]
    spec = {F.IMAGE: tf.io.FixedLenFeature([1], tf.string),
            F.LABEL: tf.io.FixedLenFeature([1], tf.string)}
    metadata = dataset_metadata.DatasetMetadata(schema_utils.schema_from_feature_spec(spec))
    with tft_beam.Context(temp_dir=tempfile.mkdtemp()):
        (out, _), _ = ((raw, metadata) | tft_beam.AnalyzeAndTransformDataset(
            lambda inputs: preprocessing_fn(inputs, CONFIG)))
    pixels = np.array(colours, np.float32)
    mean, std = pixels.mean(axis=0), pixels.std(axis=0) + 1e-3
    np.testing.assert_allclose(out[0][F.PIXEL_MEAN_XF], mean, rtol=1e-4)
    np.testing.assert_allclose(out[0][F.PIXEL_STD_XF], std, rtol=1e-3)
    for row, colour in zip(out, pixels, strict=False):
        image = np.asarray(row[F.IMAGE_XF]).reshape(8, 8, 3)
        np.testing.assert_allclose(image[3, 3], (colour - mean) / std, rtol=1e-3, atol=1e-3)
    assert [row[F.LABEL_XF] for row in out] == [0, 1, -1]
