"""Shared fixtures: generated data only (nothing downloaded), fresh temp dirs per test."""

import os

os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")  # before anything imports TensorFlow

import pytest  # noqa: E402

from demo.generate import DemoSpec, generate  # noqa: E402

TINY = DemoSpec(spans=1, images_per_class_per_camera=6, clips_per_camera=1, frames_per_clip=8,
                size=48, seed=3)


@pytest.fixture
def tiny_data(tmp_path):
    """~70 images and 12 clips in span-1 (the e2e data set)."""
    root = tmp_path / "data"
    generate(root, TINY)
    return root
