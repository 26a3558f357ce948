"""DataGate executor: fails the run on disallowed anomalies, else releases the examples.

Transform consumes only the gate's `validated_examples` output, so bad data cannot reach
Transform or the Trainer: the gate is in the data path, not just earlier in the order.
The released artifact is a hard-link copy (a byte copy on filesystems without links).
"""

from __future__ import annotations

import json
import os

import tensorflow as tf
from tensorflow_metadata.proto.v0 import anomalies_pb2
from tfx.dsl.components.base import base_executor
from tfx.types import artifact_utils

from components.data_gate import checks
from components.image_example_gen import ingest_limits

ANOMALIES_FILE = "SchemaDiff.pb"


class DataGateError(RuntimeError):
    """The data failed the gate; the message lists every reason."""


def read_anomalies(anomalies_uri: str, split: str) -> anomalies_pb2.Anomalies:
    path = os.path.join(anomalies_uri, f"Split-{split}", ANOMALIES_FILE)
    anomalies = anomalies_pb2.Anomalies()
    with tf.io.gfile.GFile(path, "rb") as handle:
        anomalies.ParseFromString(handle.read())
    return anomalies


def release(src_uri: str, dst_uri: str) -> None:
    """Hard-links (or copies) every file of the examples artifact."""
    for dirpath, _, filenames in tf.io.gfile.walk(src_uri):
        rel = os.path.relpath(dirpath, src_uri)
        target_dir = os.path.normpath(os.path.join(dst_uri, rel))
        tf.io.gfile.makedirs(target_dir)
        for name in filenames:
            src, dst = os.path.join(dirpath, name), os.path.join(target_dir, name)
            try:
                os.link(src, dst)
            except OSError:
                tf.io.gfile.copy(src, dst, overwrite=True)


def read_span_files(report_uri: str) -> dict:
    with tf.io.gfile.GFile(os.path.join(report_uri, ingest_limits.REPORT_FILE)) as handle:
        return json.load(handle).get("span_files", {})


class Executor(base_executor.BaseExecutor):
    """Checks ExampleValidator's anomalies for every split and the newest span's volume and
    label mix against the previous span."""

    def Do(self, input_dict, output_dict, exec_properties) -> None:
        gate = checks.GateSettings.from_json(exec_properties["gate_config"])
        examples = artifact_utils.get_single_instance(input_dict["examples"])
        anomalies = artifact_utils.get_single_instance(input_dict["anomalies"])
        problems = []
        for split in artifact_utils.decode_split_names(anomalies.split_names):
            problems += checks.anomaly_problems(read_anomalies(anomalies.uri, split), split,
                                                set(gate.allowed_anomalies))
        if input_dict.get("report"):
            report = artifact_utils.get_single_instance(input_dict["report"])
            problems += checks.span_problems(read_span_files(report.uri),
                                             json.loads(exec_properties["classes"]), gate)
        if problems:
            raise DataGateError("data gate failed; Transform and Trainer will not run:\n  "
                                + "\n  ".join(problems))
        released = artifact_utils.get_single_instance(output_dict["validated_examples"])
        release(examples.uri, released.uri)
        released.split_names = examples.split_names
        for name in ("span", "version"):
            setattr(released, name, getattr(examples, name))
        released.set_string_custom_property("payload_format",
                                            examples.get_string_custom_property("payload_format"))
