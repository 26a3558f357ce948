"""DataGate: the fail-closed gate between validation and Transform (wired in pipeline.py).

Inputs: examples, ExampleValidator anomalies, ImageExampleGen's report (span comparison).
Output: `validated_examples`, the same data,
released only when no disallowed anomaly was found; otherwise the run fails.
"""

import json

from tfx import types
from tfx.dsl.components.base import base_component, executor_spec
from tfx.types import standard_artifacts
from tfx.types.component_spec import ChannelParameter, ComponentSpec, ExecutionParameter

from components.data_gate import executor
from components.image_example_gen.component import QuarantineReport


class DataGateSpec(ComponentSpec):
    PARAMETERS = {"gate_config": ExecutionParameter(type=str),
                  "classes": ExecutionParameter(type=str)}
    INPUTS = {
        "examples": ChannelParameter(type=standard_artifacts.Examples),
        "anomalies": ChannelParameter(type=standard_artifacts.ExampleAnomalies),
        "report": ChannelParameter(type=QuarantineReport, optional=True),
    }
    OUTPUTS = {"validated_examples": ChannelParameter(type=standard_artifacts.Examples)}


class DataGate(base_component.BaseComponent):
    """Fails the run on disallowed anomalies (see executor.py)."""

    SPEC_CLASS = DataGateSpec
    EXECUTOR_SPEC = executor_spec.ExecutorClassSpec(executor.Executor)

    def __init__(self, examples: types.Channel, anomalies: types.Channel, report: types.Channel,
                 gate_config: str, classes: list[str]):
        super().__init__(DataGateSpec(
            examples=examples, anomalies=anomalies, report=report, gate_config=gate_config,
            classes=json.dumps(list(classes)),
            validated_examples=types.Channel(type=standard_artifacts.Examples)))
