"""Builds the TFMA EvalConfig (slices, metrics, blessing thresholds) from the config.

Called by pipeline/pipeline.py. Metrics: accuracy, log-loss (sparse categorical cross-entropy),
example count, the multi-class confusion matrix, and per class (binarized) precision, recall,
calibration and a calibration plot. Thresholds (all from `Thresholds`): overall accuracy floor
(first run too) and at most `max_accuracy_drop` below the model in service; on every camera and
every lighting slice a floor and at most `max_slice_accuracy_drop` below the model in service;
a recall floor for chosen classes.
"""

import tensorflow_model_analysis as tfma

from pipeline.config import Thresholds
from transform import features as F

ACCURACY = "sparse_categorical_accuracy"


def _floor(value: float) -> tfma.GenericValueThreshold:
    return tfma.GenericValueThreshold(lower_bound={"value": value})


def _max_drop(points: float) -> tfma.GenericChangeThreshold:
    """Not more than `points` below the baseline (skipped by TFMA when there is none)."""
    return tfma.GenericChangeThreshold(direction=tfma.MetricDirection.HIGHER_IS_BETTER,
                                       absolute={"value": -points})


def _overall_metrics(thresholds: Thresholds) -> tfma.MetricsSpec:
    """Accuracy thresholds are all per slice: a MetricConfig's plain `threshold` would apply to
    every slice (even 30-example ones), which is not what the config names say."""
    overall = tfma.PerSliceMetricThreshold(
        slicing_specs=[tfma.SlicingSpec()],
        threshold=tfma.MetricThreshold(
            value_threshold=_floor(thresholds.min_accuracy),
            change_threshold=_max_drop(thresholds.max_accuracy_drop)))
    guarded = tfma.PerSliceMetricThreshold(
        slicing_specs=[tfma.SlicingSpec(feature_keys=[F.CAMERA_ID]),
                       tfma.SlicingSpec(feature_keys=[F.LIGHTING])],
        threshold=tfma.MetricThreshold(
            value_threshold=_floor(thresholds.min_slice_accuracy),
            change_threshold=_max_drop(thresholds.max_slice_accuracy_drop)))
    return tfma.MetricsSpec(metrics=[
        tfma.MetricConfig(class_name="SparseCategoricalAccuracy",
                          per_slice_thresholds=[overall, guarded]),
        tfma.MetricConfig(class_name="SparseCategoricalCrossentropy"),
        tfma.MetricConfig(class_name="ExampleCount"),
        tfma.MetricConfig(class_name="MultiClassConfusionMatrixPlot"),
    ])


def _class_metrics(index: int, recall_floor: float | None) -> tfma.MetricsSpec:
    recall = tfma.MetricConfig(class_name="Recall")
    if recall_floor is not None:
        recall.threshold.CopyFrom(tfma.MetricThreshold(value_threshold=_floor(recall_floor)))
    return tfma.MetricsSpec(
        binarize=tfma.BinarizationOptions(class_ids={"values": [index]}),
        metrics=[tfma.MetricConfig(class_name="Precision"), recall,
                 tfma.MetricConfig(class_name="Calibration"),
                 tfma.MetricConfig(class_name="CalibrationPlot")])


def build_eval_config(thresholds: Thresholds, classes: tuple[str, ...]) -> tfma.EvalConfig:
    floors = dict(thresholds.class_recall_floors)
    unknown = set(floors) - set(classes)
    if unknown:
        raise ValueError(f"recall floors for classes not in the class list: {sorted(unknown)}")
    return tfma.EvalConfig(
        model_specs=[tfma.ModelSpec(signature_name="serving_default",
                                    preprocessing_function_names=["transform_features"],
                                    label_key=F.LABEL_XF, prediction_key="probabilities")],
        slicing_specs=[tfma.SlicingSpec()] + [tfma.SlicingSpec(feature_keys=list(keys))
                                              for keys in F.SLICES],
        metrics_specs=[_overall_metrics(thresholds)] + [
            _class_metrics(i, floors.get(name)) for i, name in enumerate(classes)])
