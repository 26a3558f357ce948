"""The full pipeline on tiny generated data, through LocalDagRunner and the tfx CLI.

Asserts on the metadata store (every component executed, then everything cached), on the
pushed SavedModel (loads; both signatures predict the right shape) and on the TFLite files.
"""

import csv
import glob
import json
import os

import numpy as np
import pytest
import tensorflow as tf

from demo.generate import generate
from pipeline import cli, config, progress
from pipeline.local_runner import run
from pipeline.pipeline import create_pipeline
from pipeline.summary import latest_artifacts, runs
from serving import batch_predict
from serving.tflite_runner import TFLiteClassifier
from tests import images
from tests.conftest import TINY

COMPONENTS = {"ImageExampleGen", "StatisticsGen", "Schema", "ExampleValidator", "DataGate",
              "Transform", "Trainer", "ServingBaseline", "Evaluator", "ModelPusher", "MetricReview"}


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("e2e")
    generate(root / "data", TINY)
    cfg = config.make_config("test", str(root / "data"), str(root / "out"))
    run(cfg)
    return cfg


def test_every_component_executed_and_model_pushed(first_run):
    cfg = first_run
    history = runs(cfg)
    assert len(history) == 1
    states = history[0][1]
    assert all(states.get(c) == "COMPLETE" for c in COMPONENTS), states
    versions = os.listdir(cfg.model_dir)
    assert len(versions) == 1 and versions[0].isdigit()


def test_pushed_savedmodel_predicts_with_both_signatures(first_run):
    version_dir = glob.glob(os.path.join(first_run.model_dir, "*"))[0]
    model = tf.saved_model.load(version_dir)
    image = tf.io.read_file(sorted(glob.glob(os.path.join(first_run.data_root, "span-1", "*",
                                                          "person", "*.jpg")))[0])
    out = model.signatures["serving_image_bytes"](images=tf.stack([image, image]))
    assert out["probabilities"].shape == (2, 4)
    np.testing.assert_allclose(out["probabilities"].numpy().sum(axis=1), 1.0, rtol=1e-4)
    assert [c.decode() for c in out["classes"].numpy()[0]] == list(config.CLASSES)
    example = tf.train.Example(features=tf.train.Features(feature={
        "image": tf.train.Feature(bytes_list=tf.train.BytesList(value=[image.numpy()]))}))
    by_example = model.signatures["serving_default"](
        examples=tf.constant([example.SerializeToString()]))
    np.testing.assert_allclose(by_example["probabilities"].numpy()[0],
                               out["probabilities"].numpy()[0], rtol=1e-5, atol=1e-6)


def test_tflite_models_run_and_agree(first_run):
    extra = glob.glob(os.path.join(first_run.model_dir, "*", "assets.extra"))[0]
    assert open(os.path.join(extra, "labels.txt")).read().split() == list(config.CLASSES)
    check = json.load(open(os.path.join(extra, "export_check.json")))
    for name in ("model_float.tflite", "model_int8.tflite"):
        runner = TFLiteClassifier(open(os.path.join(extra, name), "rb").read())
        size = runner.image_size
        probs = runner.predict(np.zeros((3, size, size, 3), np.uint8))
        assert probs.shape == (3, 4)
        assert check[name]["agreement_with_savedmodel"] >= 0.9
    assert check["model_float.tflite"]["agreement_with_savedmodel"] == 1.0


def test_rerun_through_tfx_cli_is_served_from_cache(first_run, capsys):
    cfg = first_run
    env = cli.tfx_env(cfg, "test")
    cli.run_with_tfx_cli(cfg, "test")
    printed = capsys.readouterr().err
    total = progress.COMPONENTS
    assert total == len(create_pipeline(cfg).components)
    assert f"{total}/{total} MetricReview: CACHED" in printed
    history = runs(cfg)
    assert len(history) == 2
    states = history[-1][1]
    assert all(states.get(c) == "CACHED" for c in COMPONENTS), states
    assert len(os.listdir(cfg.model_dir)) == 1
    assert os.path.isdir(os.path.join(env["LOCAL_HOME"], cfg.pipeline_name))


def test_demo_bad_files_are_in_the_quarantine_report(first_run):
    report_uri = latest_artifacts(first_run)["sentinel.QuarantineReport"].uri
    report = json.load(open(os.path.join(report_uri, "quarantine.json")))
    reasons = sorted(r["reason"] for r in report["quarantined"])
    assert reasons == ["empty", "no_class_folder", "not_an_image", "truncated",
                       "unsupported_format"]
    assert report["counts"]["examples_per_class"]["person"] > 0


def _serving_fn(first_run):
    return tf.saved_model.load(glob.glob(os.path.join(first_run.model_dir, "*"))[0]).signatures[
        "serving_image_bytes"]


@pytest.mark.parametrize("name,batch,message", [
    ("empty", [b""], "empty image"),
    ("not an image", [b"hello"], "Unknown image file format"),
    ("truncated", [images.jpeg()[:100]], ""),
    ("header bomb", [images.png_header_only(15000, 15000)], "more than 40000000 pixels"),
    ("oversized batch", [images.jpeg()] * 257, "batch larger than 256"),
])
def test_image_bytes_signature_rejects_bad_requests_and_stays_healthy(first_run, name, batch,
                                                                        message):
    serve = _serving_fn(first_run)
    with pytest.raises(tf.errors.InvalidArgumentError, match=message):
        serve(images=tf.constant(batch))
    assert serve(images=tf.constant([images.jpeg()]))["probabilities"].shape == (1, 4)


def test_batch_predict_over_a_folder_and_a_clip(first_run, tmp_path):
    folder = tmp_path / "frames"
    folder.mkdir()
    for i in range(5):
        (folder / f"f{i}.jpg").write_bytes(images.jpeg(seed=i, size=(48, 48)))
    (folder / "notes.txt").write_text("not an image")
    rows = {}
    for fmt in ("savedmodel", "tflite-float", "tflite-int8"):
        out = tmp_path / f"{fmt}.csv"
        assert batch_predict.run(str(folder), str(out), first_run.model_dir, fmt=fmt,
                                 batch_size=4) == 6
        rows[fmt] = list(csv.DictReader(open(out)))
        bad = [r for r in rows[fmt] if r["error"]]
        assert [os.path.basename(r["source"]) for r in bad] == ["notes.txt"]
        assert all(r["label"] in config.CLASSES for r in rows[fmt] if not r["error"])
    assert [r["label"] for r in rows["savedmodel"]] == [r["label"] for r in rows["tflite-float"]]
    clip = glob.glob(os.path.join(first_run.data_root, "span-1", "*", "*", "*.mp4"))[0]
    out = tmp_path / "clip.csv"
    assert batch_predict.run(clip, str(out), first_run.model_dir, fps=4.0) >= 2
    assert {r["frame_index"] for r in csv.DictReader(open(out))} >= {"0", "1"}


def test_summary_reports_verdict_push_and_slice_accuracy(first_run):
    from pipeline.summary import summarise

    text = summarise(first_run)
    assert "Model blessed: yes" in text and "Pushed version" in text
    assert "accuracy overall" in text and "accuracy camera_id=cam-lot" in text
    assert "Ingestion:" in text and "Review:" in text
