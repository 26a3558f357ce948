"""Builds the TFMA EvalConfig (slices, metrics, blessing thresholds) from the config.

Called by pipeline/pipeline.py. Thresholds: overall accuracy floor (always, first run too),
no more than `max_accuracy_drop` below the model in service, and a floor on every camera and
every lighting slice.
"""

import tensorflow_model_analysis as tfma

from pipeline.config import Thresholds
from transform import features as F

ACCURACY = "sparse_categorical_accuracy"


def _floor(value: float) -> tfma.GenericValueThreshold:
    return tfma.GenericValueThreshold(lower_bound={"value": value})


def build_eval_config(thresholds: Thresholds) -> tfma.EvalConfig:
    overall = tfma.MetricThreshold(
        value_threshold=_floor(thresholds.min_accuracy),
        change_threshold=tfma.GenericChangeThreshold(
            direction=tfma.MetricDirection.HIGHER_IS_BETTER,
            absolute={"value": -thresholds.max_accuracy_drop}))
    per_slice = tfma.PerSliceMetricThreshold(
        slicing_specs=[tfma.SlicingSpec(feature_keys=[F.CAMERA_ID]),
                       tfma.SlicingSpec(feature_keys=[F.LIGHTING])],
        threshold=tfma.MetricThreshold(value_threshold=_floor(thresholds.min_slice_accuracy)))
    return tfma.EvalConfig(
        model_specs=[tfma.ModelSpec(signature_name="serving_default",
                                    preprocessing_function_names=["transform_features"],
                                    label_key=F.LABEL_XF, prediction_key="probabilities")],
        slicing_specs=[tfma.SlicingSpec()] + [tfma.SlicingSpec(feature_keys=list(keys))
                                              for keys in F.SLICES],
        metrics_specs=[tfma.MetricsSpec(metrics=[
            tfma.MetricConfig(class_name="SparseCategoricalAccuracy", threshold=overall,
                              per_slice_thresholds=[per_slice]),
            tfma.MetricConfig(class_name="ExampleCount"),
        ])])
