"""ServingBaseline: emits the model in service (read from the push destination) as a Model.

Replaces TFX's Resolver + LatestBlessedModelStrategy, which open-source Kubeflow Pipelines
cannot run. Output `baseline_model` holds a copy of the serving version under Format-Serving,
or is marked `no_model=1` (first run), in which case the Evaluator runs without a baseline and
value thresholds still apply. A driver puts the chosen version into the cache key, so a new push
re-executes the Evaluator while an unchanged service keeps the run cached.
"""

import os
import shutil

from absl import logging
from tfx import types
from tfx.dsl.components.base import base_component, base_executor, executor_spec
from tfx.dsl.components.base import base_driver as legacy_driver
from tfx.orchestration.portable import base_driver
from tfx.proto.orchestration import driver_output_pb2
from tfx.types import artifact_utils, standard_artifacts
from tfx.types.component_spec import ChannelParameter, ComponentSpec, ExecutionParameter

from components.model_pusher import push
from components.serving_baseline import baseline


def _choose(exec_properties, candidate_uri):
    model_dir = push.validate_destination(exec_properties["serving_root"],
                                          exec_properties["model_name"])
    return baseline.in_service(model_dir, candidate_uri)


class Driver(legacy_driver.BaseDriver, base_driver.BaseDriver):
    """Sets `baseline_version` (part of the cache key) on the local orchestrator."""

    def __init__(self, metadata_handle):
        legacy_driver.BaseDriver.__init__(self, metadata_handle)
        base_driver.BaseDriver.__init__(self, metadata_handle)

    def run(self, execution_info) -> driver_output_pb2.DriverOutput:
        candidate = execution_info.input_dict["model"][0].uri
        chosen = _choose(execution_info.exec_properties, candidate)
        output = driver_output_pb2.DriverOutput()
        output.exec_properties["baseline_version"].string_value = (
            f"{chosen[0]}:{chosen[1]}" if chosen else "none")
        return output


class Executor(base_executor.BaseExecutor):
    def Do(self, input_dict, output_dict, exec_properties) -> None:
        candidate = artifact_utils.get_single_instance(input_dict["model"])
        out = artifact_utils.get_single_instance(output_dict["baseline_model"])
        chosen = _choose(exec_properties, candidate.uri)
        out.set_int_custom_property("baseline_required", int(exec_properties["require_baseline"]))
        if chosen is None:
            logging.info("No model in service: the Evaluator runs without a baseline.")
            out.set_int_custom_property("no_model", 1)
            return
        version, path = chosen
        shutil.copytree(path, os.path.join(out.uri, "Format-Serving"), dirs_exist_ok=True)
        out.set_int_custom_property("no_model", 0)
        out.set_int_custom_property("serving_version", version)
        out.set_string_custom_property("serving_path", path)


class ServingBaselineSpec(ComponentSpec):
    PARAMETERS = {"serving_root": ExecutionParameter(type=str),
                  "model_name": ExecutionParameter(type=str),
                  "require_baseline": ExecutionParameter(type=int),
                  "baseline_version": ExecutionParameter(type=str, optional=True)}
    INPUTS = {"model": ChannelParameter(type=standard_artifacts.Model)}
    OUTPUTS = {"baseline_model": ChannelParameter(type=standard_artifacts.Model)}


class ServingBaseline(base_component.BaseComponent):
    SPEC_CLASS = ServingBaselineSpec
    EXECUTOR_SPEC = executor_spec.ExecutorClassSpec(Executor)
    DRIVER_CLASS = Driver

    def __init__(self, model: types.Channel, serving_root: str, model_name: str,
                 require_baseline: bool = False):
        super().__init__(ServingBaselineSpec(
            model=model, serving_root=serving_root, model_name=model_name,
            require_baseline=int(require_baseline),
            baseline_model=types.Channel(type=standard_artifacts.Model)))
