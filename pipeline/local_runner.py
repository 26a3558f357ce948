"""Local runner: `tfx pipeline create --engine local --pipeline_path pipeline/local_runner.py`,
then `tfx run create --engine local --pipeline_name sentinel-demo` (or `python -m
pipeline.local_runner`). Binds the SQLite metadata store; the config comes from the environment
(SENTINEL_PROFILE, SENTINEL_DATA_ROOT, SENTINEL_OUTPUT_ROOT) at this boundary only.
"""

import os
import sys

# Run as a script (as the tfx CLI does), Python puts this folder first on sys.path, where
# pipeline.py would shadow the `pipeline` package. Point that entry at the project root instead
# (a replacement, not an insertion: the tfx CLI pops the entry it added after the script ran).
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [os.path.dirname(_HERE) if os.path.abspath(p or os.curdir) == _HERE else p
               for p in sys.path]

from tfx import v1 as tfx  # noqa: E402

from pipeline import config  # noqa: E402
from pipeline.pipeline import create_pipeline  # noqa: E402


def run(cfg: config.SentinelConfig) -> None:
    """Runs the whole pipeline once with LocalDagRunner (in-process, Beam per component)."""
    os.makedirs(os.path.dirname(cfg.metadata_path), exist_ok=True)
    metadata = tfx.orchestration.metadata.sqlite_metadata_connection_config(cfg.metadata_path)
    tfx.orchestration.LocalDagRunner().run(create_pipeline(cfg, metadata))


if __name__ == "__main__":
    run(config.from_env())
