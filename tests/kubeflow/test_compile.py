"""Kubeflow Pipelines v2 compile: no cluster, no network; checked with the pipeline-spec protos."""

import os

import pytest
import yaml
from google.protobuf import json_format
from kfp.pipeline_spec import pipeline_spec_pb2

from pipeline import kubeflow_runner
from pipeline.config import PROJECT_ROOT

IMAGE = "registry.example.com/sentinel:0.1.0"
TASKS = {"ImageExampleGen", "StatisticsGen", "Schema", "ExampleValidator", "DataGate",
         "Transform", "Trainer", "ServingBaseline", "Evaluator", "ModelPusher", "MetricReview"}


def _compile(tmp_path, name="pipeline.yaml"):
    cfg = kubeflow_runner.kfp_config("gs://bucket/sentinel", "gs://bucket/frames")
    path = kubeflow_runner.compile_pipeline(cfg, IMAGE, str(tmp_path / name))
    text = open(path).read()
    spec = json_format.ParseDict(yaml.safe_load(text), pipeline_spec_pb2.PipelineSpec(),
                                 ignore_unknown_fields=True)
    return text, spec


@pytest.fixture(scope="module")
def compiled(tmp_path_factory):
    return _compile(tmp_path_factory.mktemp("kfp"))


def test_every_component_is_a_task_on_the_pinned_image(compiled):
    _, spec = compiled
    assert set(spec.root.dag.tasks) == TASKS
    executors = json_format.MessageToDict(spec.deployment_spec)["executors"]
    assert {e["container"]["image"] for e in executors.values()} == {IMAGE}


def test_no_resolver_and_no_local_paths(compiled):
    text, _ = compiled
    assert "resolver" not in text.lower()
    for local in (str(PROJECT_ROOT), "/tmp/", os.path.expanduser("~")):
        assert local not in text
    assert "gs://bucket/frames" in text and kubeflow_runner.CONTAINER_SCHEMA in text


def test_pusher_depends_on_the_blessing_and_the_gate_guards_transform(compiled):
    _, spec = compiled
    tasks = spec.root.dag.tasks
    pusher_inputs = tasks["ModelPusher"].inputs.artifacts
    assert pusher_inputs["model_blessing"].task_output_artifact.producer_task == "Evaluator"
    transform_inputs = tasks["Transform"].inputs.artifacts
    assert transform_inputs["examples"].task_output_artifact.producer_task == "DataGate"


def test_compilation_is_deterministic(tmp_path):
    first, _ = _compile(tmp_path, "a.yaml")
    second, _ = _compile(tmp_path, "b.yaml")
    assert first == second


@pytest.mark.parametrize("image", ["sentinel", "registry/sentinel:latest", "r/s"])
def test_unpinned_images_are_refused(image, tmp_path):
    with pytest.raises(ValueError, match="tag"):
        kubeflow_runner.check_image(image)


class _FakeClient:
    """Records calls (the kfp.Client API surface the runner uses); no network."""

    def __init__(self):
        self.calls = []

    def create_experiment(self, name):
        self.calls.append(("create_experiment", name))
        return type("Experiment", (), {"experiment_id": "exp-1"})()

    def create_recurring_run(self, **kwargs):
        self.calls.append(("create_recurring_run", kwargs))

    def create_run_from_pipeline_package(self, package, **kwargs):
        self.calls.append(("create_run", package, kwargs))


def test_schedule_is_nightly_without_catch_up_and_one_at_a_time():
    client = _FakeClient()
    kubeflow_runner.schedule(client, "pipeline.yaml", "sentinel-nightly", "0 0 2 * * *")
    _, kwargs = client.calls[-1]
    assert kwargs["no_catchup"] is True and kwargs["max_concurrency"] == 1
    assert kwargs["cron_expression"] == "0 0 2 * * *" and kwargs["experiment_id"] == "exp-1"
    with pytest.raises(ValueError, match="6 fields"):
        kubeflow_runner.schedule(client, "pipeline.yaml", "x", "0 2 * * *")
