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

ANOMALIES_FILE = "SchemaDiff.pb"


class DataGateError(RuntimeError):
    """The data failed the gate; the message lists every reason."""


def read_anomalies(anomalies_uri: str, split: str) -> anomalies_pb2.Anomalies:
    path = os.path.join(anomalies_uri, f"Split-{split}", ANOMALIES_FILE)
    anomalies = anomalies_pb2.Anomalies()
    with tf.io.gfile.GFile(path, "rb") as handle:
        anomalies.ParseFromString(handle.read())
    return anomalies


def anomaly_problems(anomalies: anomalies_pb2.Anomalies, split: str,
                     allowed: set[str]) -> list[str]:
    """One line per disallowed anomaly (allowed: reason type names, e.g. 'ENUM_TYPE_...')."""
    problems = []
    for feature, info in sorted(anomalies.anomaly_info.items()):
        types = {anomalies_pb2.AnomalyInfo.Type.Name(r.type) for r in info.reason}
        if types - allowed:
            problems.append(f"{split}/{feature}: {info.short_description} "
                            f"({', '.join(sorted(types))})")
    if anomalies.HasField("dataset_anomaly_info"):
        problems.append(f"{split}/dataset: {anomalies.dataset_anomaly_info.description}")
    return problems


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


class Executor(base_executor.BaseExecutor):
    """Checks ExampleValidator's anomalies for every split."""

    def Do(self, input_dict, output_dict, exec_properties) -> None:
        gate = json.loads(exec_properties["gate_config"])
        examples = artifact_utils.get_single_instance(input_dict["examples"])
        anomalies = artifact_utils.get_single_instance(input_dict["anomalies"])
        problems = []
        for split in artifact_utils.decode_split_names(anomalies.split_names):
            problems += anomaly_problems(read_anomalies(anomalies.uri, split), split,
                                         set(gate.get("allowed_anomalies", [])))
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
