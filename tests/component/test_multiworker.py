"""MultiWorkerMirroredStrategy: two local worker processes on loopback ports train together and
only the chief exports a model."""

import json
import os
import subprocess
import sys

import portpicker
import tensorflow as tf


def test_two_workers_train_and_only_the_chief_exports(tmp_path):
    ports = [portpicker.pick_unused_port() for _ in range(2)]
    cluster = {"worker": [f"127.0.0.1:{p}" for p in ports]}
    procs = []
    for index in range(2):
        env = dict(os.environ, TF_CONFIG=json.dumps(
            {"cluster": cluster, "task": {"type": "worker", "index": index}}),
            CUDA_VISIBLE_DEVICES="")
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "tests.component.mw_worker", str(tmp_path / "export")],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
    outputs = [p.communicate(timeout=300)[0] for p in procs]
    for proc, out in zip(procs, outputs, strict=False):
        assert proc.returncode == 0, out[-3000:]
        assert "replicas 2" in out
    model = tf.saved_model.load(str(tmp_path / "export"))
    assert model.signatures["serving_default"] is not None
    assert os.listdir(tmp_path) == ["export"]  # worker 1 wrote only to a throw-away dir
