"""The one pipeline configuration: frozen, validated once, with a tiny variant for tests.

Built by the runners and the CLI (the only places that read the environment, through
`from_env`); `create_pipeline` receives it as an argument.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
from pathlib import Path

from components.data_gate.checks import GateSettings
from components.image_example_gen.settings import IngestSettings
from trainer.hparams import HParams

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "schema.pbtxt"
CLASSES = ("person", "vehicle", "animal", "background")


@dataclasses.dataclass(frozen=True)
class Thresholds:
    """Evaluator gates: a model is blessed only if every one holds."""

    min_accuracy: float = 0.6           # overall, absolute (applies on the first run too)
    max_accuracy_drop: float = 0.02     # vs the model in service (absolute points)
    min_slice_accuracy: float = 0.5     # every camera and every lighting condition
    max_slice_accuracy_drop: float = 0.05  # per camera / lighting vs the model in service
    require_baseline: bool = False      # True: no model in service → not blessed
    class_recall_floors: tuple[tuple[str, float], ...] = (("person", 0.6),)  # per class

    def __post_init__(self):
        for name in ("min_accuracy", "max_accuracy_drop", "min_slice_accuracy",
                     "max_slice_accuracy_drop"):
            if not 0 <= getattr(self, name) <= 1:
                raise ValueError(f"threshold {name} must be in [0, 1]")
        if any(not 0 <= floor <= 1 for _, floor in self.class_recall_floors):
            raise ValueError("class recall floors must be in [0, 1]")


@dataclasses.dataclass(frozen=True)
class SentinelConfig:
    """Everything a run depends on. Paths are absolute once built by `make_config`."""

    pipeline_name: str
    data_root: str
    output_root: str
    model_name: str = "sentinel"
    keep_versions: int = 5  # pushed versions kept; the one in service is never deleted
    ingest: IngestSettings = IngestSettings(classes=CLASSES, span_window=2)
    hparams: HParams = HParams(classes=CLASSES)
    gate: GateSettings = GateSettings()
    thresholds: Thresholds = Thresholds()
    schema_path: str = str(SCHEMA_PATH)  # the checked-in data contract
    beam_args: tuple[str, ...] = ("--direct_running_mode=in_memory", "--direct_num_workers=1")
    enable_cache: bool = True

    def __post_init__(self):
        check_beam_args(self.beam_args)
        if self.keep_versions < 0:
            raise ValueError("keep_versions must be >= 0 (0 keeps every version)")
        if self.ingest.classes != self.hparams.classes:
            raise ValueError("ingest.classes and hparams.classes must be the same ordered list")
        if not self.pipeline_name.replace("-", "").replace("_", "").isalnum():
            raise ValueError(f"pipeline_name {self.pipeline_name!r}: letters, digits, - and _")
        for name in ("data_root", "output_root", "schema_path"):
            value = getattr(self, name)
            if not (os.path.isabs(value) or re.match(r"^[a-z][a-z0-9+.-]*://", value)):
                raise ValueError(f"{name} must be absolute or a URI, got {value!r}")

    @property
    def pipeline_root(self) -> str:
        return os.path.join(self.output_root, "pipelines", self.pipeline_name)

    @property
    def metadata_path(self) -> str:
        return os.path.join(self.output_root, "metadata", self.pipeline_name, "metadata.db")

    @property
    def serving_root(self) -> str:
        return os.path.join(self.output_root, "serving")

    @property
    def model_dir(self) -> str:
        return os.path.join(self.serving_root, self.model_name)


# Runners that fetch a job-server jar or binary at start-up unless pointed at a running one.
_DOWNLOADING_RUNNERS = {"flinkrunner": "--flink_master", "sparkrunner": "--spark_master_url",
                        "prismrunner": "--job_endpoint", "portablerunner": "--job_endpoint"}


def check_beam_args(beam_args) -> None:
    """Fails fast, instead of hanging on a download this machine cannot make, when a runner
    that needs a job server is chosen without an address for one."""
    args = " ".join(beam_args)
    match = re.search(r"--runner[= ](\w+)", args)
    runner = match.group(1).lower() if match else "directrunner"
    needed = _DOWNLOADING_RUNNERS.get(runner)
    if needed and needed not in args and "--environment_type=LOOPBACK" not in args:
        raise ValueError(f"Beam runner {match.group(1)} needs {needed}=<address of a running "
                         f"job server>; without it Beam downloads one at start-up, which fails "
                         f"offline. See README 'Scaling out with Beam'.")


def _absolute(path) -> str:
    """Local paths become absolute (the tfx CLI stores them); URIs (gs://…) stay as they are."""
    path = str(path)
    return path if "://" in path else os.path.abspath(path)


def make_config(profile: str = "demo", data_root: str | None = None,
                output_root: str | None = None, **overrides) -> SentinelConfig:
    """The demo config, or the tiny `test` variant (seconds-scale training on ~50 images)."""
    data_root = _absolute(data_root or PROJECT_ROOT / "data" / "demo")
    output_root = _absolute(output_root or PROJECT_ROOT / "outputs")
    if profile == "demo":
        base = SentinelConfig("sentinel-demo", data_root, output_root)
    elif profile == "test":
        base = SentinelConfig(
            "sentinel-test", data_root, output_root,
            ingest=IngestSettings(classes=CLASSES, min_examples_per_class=3, eval_percent=30,
                                  max_bad_fraction=0.2),
            hparams=HParams(classes=CLASSES, image_size=32, epochs=2, batch_size=16, width=8),
            thresholds=Thresholds(min_accuracy=0.0, max_accuracy_drop=1.0,
                                  min_slice_accuracy=0.0, max_slice_accuracy_drop=1.0,
                                  class_recall_floors=()))
    else:
        raise ValueError(f"unknown profile {profile!r} (demo or test)")
    return dataclasses.replace(base, **overrides)


def from_env(environ=os.environ) -> SentinelConfig:
    """Boundary parsing: SENTINEL_PROFILE, SENTINEL_DATA_ROOT, SENTINEL_OUTPUT_ROOT."""
    return make_config(environ.get("SENTINEL_PROFILE", "demo"),
                       environ.get("SENTINEL_DATA_ROOT"), environ.get("SENTINEL_OUTPUT_ROOT"))


def code_version(*packages: str) -> str:
    """sha256 of the Python sources of `packages` (folders under the project root, e.g.
    "trainer"): put in a component's config so changed code re-runs it (TFX's cache key does not
    see code referenced by dotted path)."""
    digest = hashlib.sha256()
    for package in packages:
        for path in sorted((PROJECT_ROOT / package).rglob("*.py")):
            digest.update(str(path.relative_to(PROJECT_ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
