"""Blessing and push decisions on real runs (RELIABILITY "Validation, training, evaluation").

One module fixture trains a reasonable model on generated data and pushes it; each test then
works on its own copy of that output root (metadata, artifacts, serving directory), so tests do
not depend on each other's order. Upstream components are served from cache in the copies.
"""

import dataclasses
import json
import os
import re
import shutil

import numpy as np
import pytest
import tensorflow_model_analysis as tfma

from components.image_example_gen import executor, layout, records
from components.model_pusher import push
from demo.generate import DemoSpec, generate
from pipeline import config
from pipeline.local_runner import run
from pipeline.summary import latest_artifacts, latest_review, runs

# Daylight only and ~300 images: enough for the tiny model to learn something (~0.6 accuracy)
# in seconds, so a deliberately worse model is measurably worse.
SPEC = DemoSpec(spans=1, images_per_class_per_camera=25, clips_per_camera=0, size=48,
                night_fraction=0.0, bad_files=False, seed=11)


def _config(data, out, **thresholds):
    base = config.make_config("test", str(data), str(out))
    hparams = dataclasses.replace(base.hparams, epochs=30, width=16)
    return dataclasses.replace(base, hparams=hparams,
                               thresholds=dataclasses.replace(base.thresholds, **thresholds))


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    root = tmp_path_factory.mktemp("blessing")
    generate(root / "data", SPEC)
    cfg = _config(root / "data", root / "out")
    run(cfg)
    return root


def _variant(trained, tmp_path, data=None, no_model_in_service=False, **thresholds):
    """Copies the trained output root and runs the pipeline there with other thresholds
    (optionally with an empty serving directory: a first run as far as serving knows)."""
    out = tmp_path / "out"
    shutil.copytree(trained / "out", out, symlinks=True)
    cfg = _config(data or trained / "data", out, **thresholds)
    if no_model_in_service:
        shutil.rmtree(cfg.model_dir)
    before = push.loadable_versions(cfg.model_dir)
    run(cfg)
    return cfg, before


def _blessed(cfg) -> bool:
    blessing = latest_artifacts(cfg)["ModelBlessing"]
    return blessing.custom_properties["blessed"].int_value == 1


def test_baseline_run_is_blessed_and_pushed(trained, tmp_path):
    cfg = _config(trained / "data", trained / "out")
    assert _blessed(cfg)
    assert len(push.loadable_versions(cfg.model_dir)) == 1


def test_impossible_accuracy_threshold_pushes_nothing(trained, tmp_path):
    cfg, before = _variant(trained, tmp_path, min_accuracy=1.0)
    assert runs(cfg)[-1][1]["Trainer"] == "CACHED"
    assert not _blessed(cfg)
    assert push.loadable_versions(cfg.model_dir) == before
    _, markdown = latest_review(cfg)
    assert "NOT BLESSED" in markdown
    assert "FAILED overall: sparse_categorical_accuracy = " in markdown
    assert "below the floor 1.0000" in markdown


def test_first_run_without_baseline_still_enforces_value_thresholds(trained, tmp_path):
    cfg, _ = _variant(trained, tmp_path, no_model_in_service=True, min_accuracy=1.0)
    assert not _blessed(cfg)
    assert push.loadable_versions(cfg.model_dir) == []
    assert "none (no model in service)" in latest_review(cfg)[1]


def test_a_camera_slice_below_its_floor_blocks_while_overall_passes(trained, tmp_path):
    cfg, before = _variant(trained, tmp_path, min_accuracy=0.0, min_slice_accuracy=1.0)
    assert not _blessed(cfg)
    assert push.loadable_versions(cfg.model_dir) == before
    failures = [line for line in latest_review(cfg)[1].splitlines() if "FAILED" in line]
    assert failures and all("overall" not in line for line in failures)


def test_required_baseline_missing_is_not_blessed(trained, tmp_path):
    cfg, _ = _variant(trained, tmp_path, no_model_in_service=True, require_baseline=True)
    assert not _blessed(cfg)
    assert push.loadable_versions(cfg.model_dir) == []
    assert "FAILED a baseline is required" in latest_review(cfg)[1]


def _noisy_training_labels(src, dst, seed=0):
    """Copies the data set, moving every image that ingestion will put in the *train* split to
    a random label folder: a model trained on it is worse, and the eval split stays clean."""
    shutil.copytree(src, dst)
    rng = np.random.default_rng(seed)
    settings = config.make_config("test", str(dst), "/unused").ingest
    _, files, _ = layout.list_inputs(str(dst), settings.classes, None)
    for f in files:
        if executor._split_of(records.image_group(f), settings) == 0:  # train
            label = config.CLASSES[rng.integers(len(config.CLASSES))]
            target = os.path.join(os.path.dirname(os.path.dirname(f.path)), label,
                                  os.path.basename(f.path))
            if target != f.path:
                os.rename(f.path, target)


def test_a_worse_model_is_not_blessed_against_the_one_in_service(trained, tmp_path):
    base_cfg = _config(trained / "data", trained / "out")
    baseline_accuracy = _overall_accuracy(latest_artifacts(base_cfg)["ModelEvaluation"].uri)
    assert baseline_accuracy > 0.45, "precondition: the model in service learnt something"
    _noisy_training_labels(trained / "data", tmp_path / "noisy")
    cfg, before = _variant(trained, tmp_path, data=tmp_path / "noisy", max_accuracy_drop=0.0)
    assert runs(cfg)[-1][1]["ImageExampleGen"] == "COMPLETE"  # the moves were seen
    assert not _blessed(cfg)
    assert push.loadable_versions(cfg.model_dir) == before


def _overall_accuracy(eval_uri):
    for sliced in tfma.load_metrics(eval_uri):
        if not sliced.slice_key.single_slice_keys:
            for item in sliced.metric_keys_and_values:
                if item.key.name == "sparse_categorical_accuracy" and not item.key.is_diff \
                        and item.key.model_name != "baseline":
                    return item.value.double_value.value
    raise AssertionError("no overall accuracy")


def test_review_numbers_equal_the_tfma_output(trained):
    cfg = _config(trained / "data", trained / "out")
    path, markdown = latest_review(cfg)
    accuracy = _overall_accuracy(latest_artifacts(cfg)["ModelEvaluation"].uri)
    html = open(path).read()
    assert re.search(rf"<td>overall</td><td>\d+</td><td>{accuracy:.4f}</td>", html)
    assert f"| overall | {accuracy:.4f} |" in markdown
    assert html.count("data:image/png;base64,") == 2  # confusion matrix + training curves
    assert not re.search(r"(src|href)=[\"']https?:", html)  # renders offline
    report = json.load(open(os.path.join(latest_artifacts(cfg)["sentinel.QuarantineReport"].uri,
                                         "quarantine.json")))
    assert f"<td>{report['counts']['files']}</td>" in html
