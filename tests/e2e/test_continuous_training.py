"""The continuous-training loop through `sentinel retrain` (the cron entry point).

span 1 → v1 pushed; span 2 arrives → retrained, compared with v1, pushed as v2; a span with
label noise → retrained but not blessed, serving still on v2; nothing new → nothing runs.
"""

import dataclasses
import os
import shutil

import numpy as np
import pytest

from components.image_example_gen import executor, layout, records
from components.model_pusher import push
from demo.generate import generate
from pipeline import cli, config
from pipeline.retrain import pending_span
from pipeline.summary import latest_artifacts, runs
from tests.e2e.test_blessing import SPEC

pytestmark = pytest.mark.slow


def _cfg(data, out):
    base = config.make_config("test", str(data), str(out))
    return dataclasses.replace(
        base, hparams=dataclasses.replace(base.hparams, epochs=30, width=16),
        thresholds=dataclasses.replace(base.thresholds, max_accuracy_drop=0.05))


def _retrain(cfg) -> None:
    span, _ = pending_span(cfg)
    if span is not None:
        from pipeline.local_runner import run

        run(cfg)


def _blessed(cfg) -> bool:
    return latest_artifacts(cfg)["ModelBlessing"].custom_properties["blessed"].int_value == 1


def _add_noisy_span(data, span, seed=0):
    generate(data, dataclasses.replace(SPEC, first_span=span, seed=SPEC.seed + span))
    settings = config.make_config("test", str(data), "/unused").ingest
    rng = np.random.default_rng(seed)
    _, files, _ = layout.list_inputs(str(data), settings.classes, None)
    for f in files:
        if executor._split_of(records.image_group(f), settings) == 0:
            target = os.path.join(os.path.dirname(os.path.dirname(f.path)),
                                  config.CLASSES[rng.integers(4)], os.path.basename(f.path))
            if target != f.path:
                os.rename(f.path, target)


def test_continuous_training_loop(tmp_path):
    data, out = tmp_path / "data", tmp_path / "out"
    generate(data, SPEC)
    cfg = _cfg(data, out)
    assert cli.main(["retrain", "--profile", "test", "--data-root", str(data),
                     "--output-root", str(out)]) == 0  # through the tfx CLI, like cron
    cfg = _cfg(data, out)  # the CLI ran with the plain test profile; compare on ours below
    v1 = push.loadable_versions(cfg.model_dir)
    assert len(v1) == 1

    generate(data, dataclasses.replace(SPEC, first_span=2, seed=SPEC.seed + 2))
    _retrain(cfg)
    v2 = push.loadable_versions(cfg.model_dir)
    assert _blessed(cfg) and len(v2) == 2
    assert latest_artifacts(cfg)["Model"] is not None

    _add_noisy_span(data, 3)
    _retrain(cfg)
    assert runs(cfg)[-1][1]["Trainer"] == "COMPLETE"
    assert not _blessed(cfg)
    assert push.loadable_versions(cfg.model_dir) == v2

    before = len(runs(cfg))
    span, reason = pending_span(cfg)
    assert span is None and "no new span" in reason
    _retrain(cfg)
    assert len(runs(cfg)) == before
    shutil.rmtree(tmp_path)
