"""Evaluator that understands ServingBaseline's "no model in service" and fails closed.

TFX's Evaluator with a ServingBaseline output marked `no_model=1` would try to load an empty
model; this executor drops such a baseline (value thresholds still apply, change thresholds are
skipped, as TFX does on a first run). When the baseline is required, the candidate is still
evaluated (the review shows its metrics) but written as NOT blessed. TFX itself writes no
blessing when no threshold is configured; ModelPusher treats a missing blessing as not blessed.
"""

import os

from absl import logging
from tfx.components import Evaluator
from tfx.components.evaluator import executor as tfx_evaluator
from tfx.dsl.components.base import executor_spec
from tfx.types import artifact_utils

REASON = "not_blessed_reason"


class Executor(tfx_evaluator.Executor):
    def Do(self, input_dict, output_dict, exec_properties) -> None:
        baselines = input_dict.get("baseline_model") or []
        missing = bool(baselines) and baselines[0].get_int_custom_property("no_model") == 1
        if missing:
            input_dict = {k: v for k, v in input_dict.items() if k != "baseline_model"}
        super().Do(input_dict, output_dict, exec_properties)
        if missing and baselines[0].get_int_custom_property("baseline_required") == 1:
            blessing = artifact_utils.get_single_instance(output_dict["blessing"])
            logging.warning("No model in service and a baseline is required: NOT blessed.")
            blessed_marker = os.path.join(blessing.uri, "BLESSED")
            if os.path.exists(blessed_marker):
                os.remove(blessed_marker)
            with open(os.path.join(blessing.uri, "NOT_BLESSED"), "w"):
                pass
            blessing.set_int_custom_property("blessed", 0)
            blessing.set_string_custom_property(REASON, "a baseline is required but no model "
                                                        "is in service")


class SentinelEvaluator(Evaluator):
    """tfx.components.Evaluator with the executor above."""

    EXECUTOR_SPEC = executor_spec.BeamExecutorSpec(Executor)
