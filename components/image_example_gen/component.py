"""ImageExampleGen: camera image folders and video clips → tf.Examples + quarantine report.

Wired by pipeline/pipeline.py. Contract: reads `input_base` laid out as in layout.py, writes
Examples with `train`/`eval` splits (split by clip/burst group) and a QuarantineReport.
"""

from tfx import types
from tfx.dsl.components.base import base_component, executor_spec
from tfx.types import standard_artifacts
from tfx.types.component_spec import ChannelParameter, ComponentSpec, ExecutionParameter

from components.image_example_gen import driver, executor


class QuarantineReport(types.Artifact):
    """quarantine.json: every skipped file with path, sha256, size, reason code and detail."""

    TYPE_NAME = "sentinel.QuarantineReport"


class ImageExampleGenSpec(ComponentSpec):
    PARAMETERS = {
        "input_base": ExecutionParameter(type=str),
        "ingest_config": ExecutionParameter(type=str),
        "input_fingerprint": ExecutionParameter(type=str, optional=True),
        "code_version": ExecutionParameter(type=str, optional=True),
    }
    INPUTS = {}
    OUTPUTS = {
        "examples": ChannelParameter(type=standard_artifacts.Examples),
        "quarantine": ChannelParameter(type=QuarantineReport),
    }


class ImageExampleGen(base_component.BaseComponent):
    """Custom ExampleGen for image folders and clips (see executor.py for the behaviour)."""

    SPEC_CLASS = ImageExampleGenSpec
    EXECUTOR_SPEC = executor_spec.BeamExecutorSpec(executor.Executor)
    DRIVER_CLASS = driver.FingerprintDriver

    def __init__(self, input_base: str, ingest_config: str, code_version: str = ""):
        super().__init__(ImageExampleGenSpec(
            input_base=input_base, ingest_config=ingest_config, code_version=code_version,
            examples=types.Channel(type=standard_artifacts.Examples),
            quarantine=types.Channel(type=QuarantineReport)))
