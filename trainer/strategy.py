"""Chooses the tf.distribute strategy from the machine and TF_CONFIG (called by task.py)."""

import json
import os
import tempfile

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


def is_chief(tf_config: str | None = None) -> bool:
    """True for the chief (or worker 0 without a chief, or no cluster at all)."""
    tf_config = os.environ.get("TF_CONFIG") if tf_config is None else tf_config
    parsed = json.loads(tf_config) if tf_config else {}
    task, cluster = parsed.get("task", {}), parsed.get("cluster", {})
    if not task:
        return True
    if task.get("type") == "chief":
        return True
    return task.get("type") == "worker" and task.get("index", 0) == 0 and "chief" not in cluster


def export_dir(serving_dir: str, tf_config: str | None = None) -> str:
    """Where this task saves: every multi-worker task must call save (it runs collectives), but
    only the chief writes the real export; the others write to a throw-away directory."""
    return serving_dir if is_chief(tf_config) else tempfile.mkdtemp(prefix="worker-export-")
