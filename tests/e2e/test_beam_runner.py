"""The same pipeline orchestrated by BeamDagRunner (slow: a second full run)."""

import pytest

from demo.generate import generate
from pipeline import beam_runner, config
from pipeline.summary import runs
from tests.conftest import TINY

pytestmark = pytest.mark.slow


def test_beam_dag_runner_runs_every_component(tmp_path):
    generate(tmp_path / "data", TINY)
    cfg = config.make_config("test", str(tmp_path / "data"), str(tmp_path / "out"))
    beam_runner.run(cfg)
    states = runs(cfg)[-1][1]
    assert states.get("ModelPusher") == "COMPLETE" and states.get("MetricReview") == "COMPLETE"
    assert all(s == "COMPLETE" for s in states.values()), states
