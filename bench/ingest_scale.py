"""Benchmark: ImageExampleGen + Transform at scale, Beam workers, and peak memory.

Usage:
  .venv/bin/python bench/ingest_scale.py --images 10000 --workers 1
  .venv/bin/python bench/ingest_scale.py --images 10000 --workers 2
Generates N demo images (one span, no clips) once per --work dir, then runs a three-node
pipeline (ImageExampleGen → ImportSchemaGen → Transform) with LocalDagRunner and prints wall
seconds and the peak resident memory of the whole process tree (sampled every 0.2 s).
workers=1 uses the in-memory DirectRunner; workers>1 the multi-processing DirectRunner.
"""

import argparse
import dataclasses
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

import psutil


def _tree_rss(proc: psutil.Process) -> int:
    total = 0
    for p in [proc] + proc.children(recursive=True):
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def run_child(args) -> None:
    """The measured process: builds and runs the three-node pipeline."""
    from tfx import v1 as tfx

    from components.image_example_gen.component import ImageExampleGen
    from pipeline.config import make_config

    cfg = make_config("demo", args.data, args.out)
    beam = (["--direct_running_mode=in_memory", "--direct_num_workers=1"] if args.workers == 1
            else ["--direct_running_mode=multi_processing",
                  f"--direct_num_workers={args.workers}"])
    cfg = dataclasses.replace(cfg, pipeline_name="bench-ingest", beam_args=tuple(beam),
                              enable_cache=False)
    gen = ImageExampleGen(input_base=cfg.data_root, ingest_config=cfg.ingest.to_json())
    schema = tfx.components.ImportSchemaGen(schema_file=cfg.schema_path)
    transform = tfx.components.Transform(
        examples=gen.outputs["examples"], schema=schema.outputs["schema"],
        preprocessing_fn="transform.preprocessing.preprocessing_fn", disable_statistics=True,
        custom_config={"image_size": cfg.hparams.image_size, "classes": list(cfg.ingest.classes)})
    os.makedirs(os.path.dirname(cfg.metadata_path), exist_ok=True)
    tfx.orchestration.LocalDagRunner().run(tfx.dsl.Pipeline(
        pipeline_name=cfg.pipeline_name, pipeline_root=cfg.pipeline_root,
        components=[gen, schema, transform], enable_cache=False, beam_pipeline_args=beam,
        metadata_connection_config=tfx.orchestration.metadata.sqlite_metadata_connection_config(
            cfg.metadata_path)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--images", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "sentinel-scale"))
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(args)
        return
    from demo.generate import CAMERAS, CLASSES, DemoSpec, generate

    data = os.path.join(args.work, f"data-{args.images}")
    if not os.path.isdir(data):
        per = -(-args.images // (len(CAMERAS) * len(CLASSES)))
        generate(data, DemoSpec(spans=1, images_per_class_per_camera=per, clips_per_camera=0,
                                bad_files=False))
    out = tempfile.mkdtemp(prefix="out-", dir=args.work)
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, __file__, "--child", "--workers",
                              str(args.workers), "--data", data, "--out", out],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak, proc = 0, psutil.Process(child.pid)

    def sample():
        nonlocal peak
        while child.poll() is None:
            peak = max(peak, _tree_rss(proc))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample)
    sampler.start()
    _, err = child.communicate()
    sampler.join()
    if child.returncode:
        sys.exit(err.decode()[-3000:])
    print(json.dumps({"images": args.images, "workers": args.workers,
                      "wall_s": round(time.perf_counter() - start, 1),
                      "peak_rss_mib": round(peak / 2**20)}))


if __name__ == "__main__":
    main()
