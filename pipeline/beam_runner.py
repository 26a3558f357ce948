"""Beam-orchestrated runner: the same pipeline with BeamDagRunner (each component a Beam step
of an orchestrating Beam pipeline), for hosts that schedule Beam jobs. Usage:
`python -m pipeline.beam_runner` with the same SENTINEL_* environment as local_runner.py.
"""

import os

from tfx.orchestration import metadata
from tfx.orchestration.beam.beam_dag_runner import BeamDagRunner

from pipeline import config
from pipeline.pipeline import create_pipeline


def run(cfg: config.SentinelConfig) -> None:
    os.makedirs(os.path.dirname(cfg.metadata_path), exist_ok=True)
    BeamDagRunner().run(create_pipeline(
        cfg, metadata.sqlite_metadata_connection_config(cfg.metadata_path)))


if __name__ == "__main__":
    run(config.from_env())
