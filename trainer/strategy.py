"""Chooses the tf.distribute strategy from the machine and TF_CONFIG (called by task.py)."""

import json
import os

import tensorflow as tf


def choose_strategy(tf_config: str | None = None) -> tf.distribute.Strategy:
    """MultiWorkerMirrored when TF_CONFIG names a cluster with workers, Mirrored with more than
    one GPU, otherwise the default strategy (one CPU or GPU)."""
    tf_config = os.environ.get("TF_CONFIG") if tf_config is None else tf_config
    cluster = json.loads(tf_config).get("cluster", {}) if tf_config else {}
    if len(cluster.get("worker", [])) + len(cluster.get("chief", [])) > 1:
        return tf.distribute.MultiWorkerMirroredStrategy()
    if len(tf.config.list_logical_devices("GPU")) > 1:
        return tf.distribute.MirroredStrategy()
    return tf.distribute.get_strategy()
