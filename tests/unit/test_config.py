"""Config validation and the checked-in schema's agreement with the class list."""

import dataclasses

import pytest
from google.protobuf import text_format
from tensorflow_metadata.proto.v0 import schema_pb2

from components.image_example_gen.settings import IngestSettings
from pipeline import config
from trainer.hparams import HParams
from transform import features as F


def test_schema_label_domain_is_the_configured_class_list():
    schema = text_format.Parse(config.SCHEMA_PATH.read_text(), schema_pb2.Schema())
    domains = {d.name: list(d.value) for d in schema.string_domain}
    assert domains["label"] == list(config.CLASSES)
    assert domains["lighting"] == list(F.LIGHTING_VALUES)
    names = {f.name for f in schema.feature}
    assert {F.IMAGE, F.LABEL, F.CAMERA_ID, F.LIGHTING, F.SOURCE, F.CLIP_ID} <= names


@pytest.mark.parametrize("change", [
    {"classes": ()}, {"classes": ("a", "a")}, {"eval_percent": 0}, {"max_bad_fraction": 1.5},
    {"span_range": (3, 1)}, {"video_fps": 0},
])
def test_ingest_settings_reject_out_of_range_values(change):
    with pytest.raises(ValueError):
        IngestSettings(**{"classes": ("a", "b"), **change})


@pytest.mark.parametrize("change", [{"epochs": 0}, {"decay_rate": 0}, {"image_size": 4},
                                    {"shift_fraction": 1.0}, {"initial_learning_rate": 2.0}])
def test_hparams_reject_out_of_range_values(change):
    with pytest.raises(ValueError):
        HParams(**change)


def test_config_is_frozen_absolute_and_consistent(tmp_path):
    cfg = config.make_config("test", str(tmp_path / "d"), str(tmp_path / "o"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        cfg.pipeline_name = "x"
    with pytest.raises(ValueError, match="absolute"):
        dataclasses.replace(cfg, data_root="relative/path")
    with pytest.raises(ValueError, match="same ordered list"):
        dataclasses.replace(cfg, hparams=HParams(classes=("b", "a")))
    with pytest.raises(ValueError):
        config.Thresholds(min_accuracy=1.5)
    assert IngestSettings.from_json(cfg.ingest.to_json()) == cfg.ingest
    assert HParams.from_dict(cfg.hparams.to_dict()) == cfg.hparams


def test_env_overrides_are_parsed_at_the_boundary(tmp_path):
    cfg = config.from_env({"SENTINEL_PROFILE": "test", "SENTINEL_DATA_ROOT": str(tmp_path)})
    assert cfg.pipeline_name == "sentinel-test" and cfg.data_root == str(tmp_path)
    with pytest.raises(ValueError, match="unknown profile"):
        config.from_env({"SENTINEL_PROFILE": "prod"})


def test_code_version_tracks_sources():
    assert config.code_version("trainer") != config.code_version("transform")
    assert config.code_version("trainer") == config.code_version("trainer")


@pytest.mark.parametrize("args,ok", [
    (("--direct_running_mode=in_memory",), True),
    (("--runner=FlinkRunner",), False),
    (("--runner=FlinkRunner", "--flink_master=flink:8081"), True),
    (("--runner=SparkRunner",), False),
    (("--runner=PortableRunner", "--job_endpoint=embed", "--environment_type=LOOPBACK"), True),
    (("--runner=DataflowRunner", "--project=p", "--region=r"), True),
])
def test_beam_runners_that_would_download_fail_fast(args, ok):
    if ok:
        config.check_beam_args(args)
    else:
        with pytest.raises(ValueError, match="job server"):
            config.check_beam_args(args)
