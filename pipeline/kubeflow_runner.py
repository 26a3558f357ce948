"""Kubeflow Pipelines v2: compile the same `create_pipeline` to pipeline.yaml, submit it once,
or schedule it (recurring run). No local state is read; all locations are arguments.

  python -m pipeline.kubeflow_runner compile --image REGISTRY/sentinel:1.0.0 \\
      --output-root gs://bucket/sentinel --data-root gs://bucket/frames --out pipeline.yaml
  python -m pipeline.kubeflow_runner submit --host http://kfp:8080 --package pipeline.yaml
  python -m pipeline.kubeflow_runner schedule --host http://kfp:8080 --package pipeline.yaml \\
      --cron "0 0 2 * * *"

Notes (TFX 1.16 on open-source KFP): no resolver node is used (the baseline comes from the
ServingBaseline component); spans are selected inside ImageExampleGen's executor (KFP runs no
driver); `tfx ... --engine kubeflow` is broken, so submission uses kfp.Client directly.
"""

from __future__ import annotations

import argparse
import dataclasses
import os

from pipeline import config as config_lib

CONTAINER_PROJECT = "/sentinel"  # where the Dockerfile installs the project
CONTAINER_SCHEMA = f"{CONTAINER_PROJECT}/pipeline/schema/schema.pbtxt"


def check_image(image: str) -> str:
    """Refuses untagged and `:latest` images: a schedule must run a pinned image."""
    name = image.rsplit("/", 1)[-1]
    if "@sha256:" in image:
        return image
    if ":" not in name or name.endswith(":latest"):
        raise ValueError(f"image {image!r} must carry an explicit, non-latest tag or digest")
    return image


def kfp_config(output_root: str, data_root: str, profile: str = "demo"
               ) -> config_lib.SentinelConfig:
    """The config as seen inside the containers (paths are remote or container paths)."""
    cfg = config_lib.make_config(profile, data_root, output_root)
    return dataclasses.replace(cfg, schema_path=CONTAINER_SCHEMA)


def compile_pipeline(cfg: config_lib.SentinelConfig, image: str, out_path: str) -> str:
    """Writes the KFP v2 pipeline spec (plain YAML that kfp.Client accepts); returns its path."""
    from tfx import v1 as tfx

    from pipeline.pipeline import create_pipeline

    runner = tfx.orchestration.experimental.KubeflowV2DagRunner(
        config=tfx.orchestration.experimental.KubeflowV2DagRunnerConfig(
            default_image=check_image(image)),
        output_dir=os.path.dirname(os.path.abspath(out_path)),
        output_filename=os.path.basename(out_path))
    runner.run(create_pipeline(cfg), write_out=True)
    return out_path


def submit(client, package: str, run_name: str, experiment: str = "sentinel"):
    """One run of the compiled package. `client` is a kfp.Client."""
    return client.create_run_from_pipeline_package(
        package, arguments={}, run_name=run_name, experiment_name=experiment,
        enable_caching=True)


def schedule(client, package: str, job_name: str, cron: str, experiment: str = "sentinel"):
    """A recurring run: `cron` in KFP's 6-field format (seconds first), no catch-up of missed
    runs, at most one run at a time."""
    if len(cron.split()) != 6:
        raise ValueError(f"KFP cron needs 6 fields (sec min hour dom month dow), got {cron!r}")
    experiment_id = client.create_experiment(experiment).experiment_id
    return client.create_recurring_run(
        experiment_id=experiment_id, job_name=job_name, cron_expression=cron,
        pipeline_package_path=package, no_catchup=True, max_concurrency=1, enabled=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    comp = sub.add_parser("compile", help="write pipeline.yaml")
    comp.add_argument("--image", required=True, help="pipeline image with a pinned tag")
    comp.add_argument("--output-root", required=True, help="pipeline root + serving root")
    comp.add_argument("--data-root", required=True)
    comp.add_argument("--profile", default="demo", choices=("demo", "test"))
    comp.add_argument("--out", default="pipeline.yaml")
    for name in ("submit", "schedule"):
        cmd = sub.add_parser(name)
        cmd.add_argument("--host", required=True, help="KFP API endpoint")
        cmd.add_argument("--package", default="pipeline.yaml")
        cmd.add_argument("--name", default="sentinel")
        if name == "schedule":
            cmd.add_argument("--cron", default="0 0 2 * * *", help="nightly at 02:00 by default")
    args = parser.parse_args(argv)
    if args.command == "compile":
        print(compile_pipeline(kfp_config(args.output_root, args.data_root, args.profile),
                               args.image, args.out))
        return 0
    import kfp

    client = kfp.Client(host=args.host)
    if args.command == "submit":
        print(submit(client, args.package, args.name))
    else:
        print(schedule(client, args.package, args.name, args.cron))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
