"""Benchmark: wall time of the demo pipeline run (cold) and of an unchanged rerun (cached).

Usage: .venv/bin/python bench/demo_run.py [--work DIR]
Runs `sentinel run` (tfx CLI, local engine) twice on a fresh output root over freshly generated
demo data, and prints one JSON line per run with wall seconds and per-component states.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

from demo.generate import generate
from pipeline.config import make_config
from pipeline.summary import runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--work", default=tempfile.mkdtemp(prefix="sentinel-bench-"))
    args = parser.parse_args()
    data, out = os.path.join(args.work, "data"), os.path.join(args.work, "out")
    counts = generate(data)
    print(json.dumps({"data": counts}))
    cfg = make_config("demo", data, out)
    for label in ("cold", "cached rerun"):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "pipeline.cli", "run", "--data-root", data,
                        "--output-root", out], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        wall = time.perf_counter() - start
        states = runs(cfg)[-1][1]
        print(json.dumps({"run": label, "wall_s": round(wall, 1), "states": states}))


if __name__ == "__main__":
    main()
