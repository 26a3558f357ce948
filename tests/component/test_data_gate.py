"""DataGate executor: blocks on anomalies (fails closed), releases clean data by hard link."""

import json
import os

import pytest
from tensorflow_metadata.proto.v0 import anomalies_pb2
from tfx.types import artifact_utils, standard_artifacts

from components.data_gate import executor
from components.data_gate.checks import GateSettings, span_problems
from components.image_example_gen.component import QuarantineReport


def _anomalies(tmp_path, per_split):
    artifact = standard_artifacts.ExampleAnomalies()
    artifact.uri = str(tmp_path / "anomalies")
    artifact.split_names = artifact_utils.encode_split_names(list(per_split))
    for split, infos in per_split.items():
        proto = anomalies_pb2.Anomalies()
        for feature, kind, text in infos:
            info = proto.anomaly_info[feature]
            info.short_description = text
            info.reason.add(type=kind, short_description=text)
        os.makedirs(os.path.join(artifact.uri, f"Split-{split}"))
        with open(os.path.join(artifact.uri, f"Split-{split}", executor.ANOMALIES_FILE), "wb") as f:
            f.write(proto.SerializeToString())
    return artifact


def _examples(tmp_path):
    artifact = standard_artifacts.Examples()
    artifact.uri = str(tmp_path / "examples")
    artifact.split_names = artifact_utils.encode_split_names(["train", "eval"])
    artifact.span = 3
    for split in ("train", "eval"):
        os.makedirs(os.path.join(artifact.uri, f"Split-{split}"))
        with open(os.path.join(artifact.uri, f"Split-{split}", "data.gz"), "wb") as f:
            f.write(split.encode())
    return artifact


def _report(tmp_path, span_files):
    report = QuarantineReport()
    report.uri = str(tmp_path / "report")
    os.makedirs(report.uri)
    with open(os.path.join(report.uri, "quarantine.json"), "w") as f:
        json.dump({"span_files": span_files}, f)
    return report


def _run(tmp_path, anomalies, allowed=(), span_files=None):
    out = standard_artifacts.Examples()
    out.uri = str(tmp_path / "released")
    inputs = {"examples": [_examples(tmp_path)], "anomalies": [anomalies]}
    if span_files is not None:
        inputs["report"] = [_report(tmp_path, span_files)]
    executor.Executor().Do(
        inputs, {"validated_examples": [out]},
        {"gate_config": GateSettings(allowed_anomalies=tuple(allowed)).to_json(),
         "classes": json.dumps(["person", "vehicle"])})
    return out


UNEXPECTED = anomalies_pb2.AnomalyInfo.ENUM_TYPE_UNEXPECTED_STRING_VALUES
MISSING = anomalies_pb2.AnomalyInfo.FEATURE_TYPE_LOW_FRACTION_PRESENT


def test_label_outside_domain_and_missing_labels_fail_the_gate(tmp_path):
    anomalies = _anomalies(tmp_path, {
        "train": [("label", UNEXPECTED, "Unexpected string values")],
        "eval": [("label", MISSING, "Column dropped")]})
    with pytest.raises(executor.DataGateError, match=r"(?s)train/label.*eval/label"):
        _run(tmp_path, anomalies)
    assert not (tmp_path / "released").exists()


def test_allowed_anomaly_types_pass(tmp_path):
    anomalies = _anomalies(tmp_path, {"train": [("camera_id", UNEXPECTED, "new camera")],
                                      "eval": []})
    out = _run(tmp_path, anomalies, allowed=["ENUM_TYPE_UNEXPECTED_STRING_VALUES"])
    assert out.span == 3


def test_clean_data_is_released_by_hard_link(tmp_path):
    out = _run(tmp_path, _anomalies(tmp_path, {"train": [], "eval": []}))
    released = os.path.join(out.uri, "Split-train", "data.gz")
    source = str(tmp_path / "examples" / "Split-train" / "data.gz")
    assert open(released).read() == "train"
    assert os.stat(released).st_ino == os.stat(source).st_ino
    assert artifact_utils.decode_split_names(out.split_names) == ["train", "eval"]


def _clean(tmp_path):
    return _anomalies(tmp_path, {"train": [], "eval": []})


def test_a_span_with_far_fewer_files_fails_the_gate(tmp_path):
    spans = {"1": {"person": 100, "vehicle": 100}, "2": {"person": 30, "vehicle": 30}}
    with pytest.raises(executor.DataGateError, match="span 2 has 60 files"):
        _run(tmp_path, _clean(tmp_path), span_files=spans)


def test_a_label_distribution_shift_fails_the_gate(tmp_path):
    spans = {"1": {"person": 100, "vehicle": 100}, "2": {"person": 180, "vehicle": 20}}
    with pytest.raises(executor.DataGateError, match="share of 'person' moved \\+40%"):
        _run(tmp_path, _clean(tmp_path), span_files=spans)


def test_similar_spans_pass_and_a_first_span_has_nothing_to_compare():
    settings = GateSettings()
    classes = ["person", "vehicle"]
    assert span_problems({"1": {"person": 100, "vehicle": 90},
                          "2": {"person": 95, "vehicle": 100, "Person": 400}}, classes,
                         settings) == []
    assert span_problems({"1": {"person": 5}}, classes, settings) == []
    assert span_problems({"9": {"person": 50, "vehicle": 50}, "10": {"person": 10,
                                                                   "vehicle": 10}},
                         classes, settings)  # numeric, not string, span order
