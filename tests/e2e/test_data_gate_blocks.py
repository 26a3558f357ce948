"""The data gate stops a real run before Transform (asserted on the metadata store)."""

import dataclasses

import pytest

from demo.generate import generate
from pipeline import config
from pipeline.local_runner import run
from pipeline.summary import runs
from tests.conftest import TINY


def test_label_outside_the_schema_domain_stops_the_run_before_transform(tmp_path):
    generate(tmp_path / "data", TINY)
    schema = config.SCHEMA_PATH.read_text().replace('  value: "animal"\n', "")
    assert schema != config.SCHEMA_PATH.read_text()
    (tmp_path / "schema.pbtxt").write_text(schema)
    cfg = dataclasses.replace(
        config.make_config("test", str(tmp_path / "data"), str(tmp_path / "out")),
        schema_path=str(tmp_path / "schema.pbtxt"))
    with pytest.raises(RuntimeError):
        run(cfg)
    states = runs(cfg)[-1][1]
    assert states["ExampleValidator"] == "COMPLETE"
    assert states["DataGate"] == "FAILED"
    assert not {"Transform", "Trainer", "Evaluator", "ModelPusher"} & set(states)
