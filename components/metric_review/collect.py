"""Gathers what the metric review shows, through TFMA's own loaders (pure reading, no rendering).

Called by the MetricReview executor. Every number in the review comes from here, so the test
can compare the HTML against the TFMA output directly.
"""

from __future__ import annotations

import json
import os

import numpy as np
import tensorflow as tf
import tensorflow_model_analysis as tfma

CANDIDATE, BASELINE = "candidate", "baseline"


def slice_name(slice_key) -> str:
    parts = []
    for key in slice_key.single_slice_keys:
        value = key.bytes_value.decode() if key.HasField("bytes_value") else (
            key.int64_value if key.HasField("int64_value") else key.float_value)
        parts.append(f"{key.column}={value}")
    return " & ".join(parts) or "overall"


def _metric_label(key, classes: list[str]) -> str:
    name = key.name
    if key.HasField("sub_key") and key.sub_key.HasField("class_id"):
        name += f"[{classes[key.sub_key.class_id.value]}]"
    return name


def metrics_by_slice(eval_uri: str, classes: list[str]) -> dict[str, dict[str, dict]]:
    """{slice: {metric: {"candidate": v, "baseline": v, "diff": v}}} for scalar metrics."""
    out: dict[str, dict[str, dict]] = {}
    for sliced in tfma.load_metrics(eval_uri):
        rows = out.setdefault(slice_name(sliced.slice_key), {})
        for item in sliced.metric_keys_and_values:
            if not item.value.HasField("double_value"):
                continue
            role = BASELINE if item.key.model_name == BASELINE else CANDIDATE
            role = "diff" if item.key.is_diff else role
            label = _metric_label(item.key, classes)
            rows.setdefault(label, {})[role] = item.value.double_value.value
    return dict(sorted(out.items(), key=lambda kv: (kv[0] != "overall", kv[0])))


def confusion_matrix(eval_uri: str, n: int) -> np.ndarray:
    """Overall candidate confusion matrix [actual, predicted] (example counts)."""
    matrix = np.zeros((n, n))
    for sliced in tfma.load_plots(eval_uri):
        if slice_name(sliced.slice_key) != "overall":
            continue
        for item in sliced.plot_keys_and_values:
            if item.key.model_name == BASELINE or not item.value.HasField(
                    "multi_class_confusion_matrix_at_thresholds"):
                continue
            entries = item.value.multi_class_confusion_matrix_at_thresholds.matrices[0].entries
            for e in entries:
                if 0 <= e.actual_class_id < n and 0 <= e.predicted_class_id < n:
                    matrix[e.actual_class_id, e.predicted_class_id] = e.num_weighted_examples
    return matrix


def classification_report(matrix: np.ndarray, classes: list[str]) -> list[dict]:
    """Per-class precision, recall, F1 and support (the sklearn report, from the matrix)."""
    rows = []
    for i, name in enumerate(classes):
        tp, support, predicted = matrix[i, i], matrix[i].sum(), matrix[:, i].sum()
        precision = tp / predicted if predicted else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        rows.append({"class": name, "precision": precision, "recall": recall, "f1": f1,
                     "support": int(support)})
    return rows


def failures(eval_uri: str, classes: list[str]) -> tuple[bool, list[str]]:
    """(validation_ok, one line per failed threshold). No validation result (no thresholds
    configured) counts as not ok: the Evaluator then writes no blessing either."""
    if not tf.io.gfile.glob(os.path.join(eval_uri, "validations*")):
        return False, ["no validation result: no thresholds configured"]
    result = tfma.load_validation_result(eval_uri)
    lines = []
    for per_slice in result.metric_validations_per_slice:
        for failure in per_slice.failures:
            lines.append(f"{slice_name(per_slice.slice_key)}: "
                         f"{_metric_label(failure.metric_key, classes)} "
                         f"{_describe(failure)}")
    return bool(result.validation_ok), lines


def _describe(failure) -> str:
    value = failure.metric_value.double_value.value
    threshold = failure.metric_threshold
    if failure.metric_key.is_diff and threshold.HasField("change_threshold"):
        allowed = threshold.change_threshold.absolute.value
        return f"changed {value:+.4f} vs the model in service (allowed {allowed:+.4f})"
    if threshold.HasField("value_threshold"):
        return (f"= {value:.4f}, below the floor "
                f"{threshold.value_threshold.lower_bound.value:.4f}")
    return f"= {value:.4f} fails {threshold}".replace("\n", " ")


def training_curves(model_run_uri: str) -> dict[str, dict[str, list[tuple[int, float]]]]:
    """{"train"/"validation": {"epoch_loss": [(step, v)], ...}} from the TensorBoard logs."""
    curves: dict[str, dict] = {}
    for phase in ("train", "validation"):
        for path in sorted(tf.io.gfile.glob(os.path.join(model_run_uri, phase, "events.*"))):
            for event in tf.compat.v1.train.summary_iterator(path):
                for value in event.summary.value:
                    if value.tag.startswith("epoch_"):
                        number = float(tf.make_ndarray(value.tensor)) if value.HasField(
                            "tensor") else value.simple_value
                        curves.setdefault(phase, {}).setdefault(value.tag, []).append(
                            (event.step, number))
    return curves


def read_json(path: str) -> dict:
    if not tf.io.gfile.exists(path):
        return {}
    with tf.io.gfile.GFile(path) as handle:
        return json.load(handle)
