"""`sentinel` command line: demo data, a local run through the tfx CLI, and the run summary.

Examples:
  sentinel demo-data                         # writes data/demo (2 spans, ~2,000 images + clips)
  sentinel demo-data --add-span              # a new span arrives (then `sentinel run` again)
  sentinel run                               # tfx pipeline create/update + tfx run create
  sentinel run --data-root /srv/frames --output-root /srv/sentinel
  sentinel summary                           # blessed? pushed where? accuracy per slice
  sentinel review                            # the metric review (Markdown + HTML path)
  sentinel retrain                           # cron: runs only when a new span has arrived
  sentinel predict frames/ --out preds.csv   # batch inference with the newest pushed model
  sentinel predict clip.mp4 --out p.csv --format tflite-int8

Heavy imports (TensorFlow, TFX) happen inside the commands, so `--help` is instant.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

from pipeline import config as config_lib

LOCAL_RUNNER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "local_runner.py")


def _config(args) -> config_lib.SentinelConfig:
    return config_lib.make_config(args.profile, args.data_root, args.output_root)


def cmd_demo_data(args) -> int:
    from components.image_example_gen.layout import list_spans
    from demo.generate import DemoSpec, generate

    root = os.path.abspath(args.root or config_lib.PROJECT_ROOT / "data" / "demo")
    if args.add_span:
        spec = DemoSpec(spans=1, first_span=max(list_spans(root) or [0]) + 1)
        counts = generate(root, spec)
        print(f"Added span-{spec.first_span} ({counts['images']} images, {counts['clips']} "
              f"clips) to {root}")
        return 0
    spec = DemoSpec(spans=args.spans)
    if os.path.isdir(root) and os.listdir(root) and not args.force:
        print(f"Demo data already present in {root} (use --force to regenerate).")
        return 0
    counts = generate(root, spec)
    print(f"Wrote {counts['images']} images, {counts['clips']} clips and "
          f"{counts['bad_files']} deliberately bad files to {root}")
    return 0


def tfx_env(cfg: config_lib.SentinelConfig, profile: str) -> dict:
    """Environment for the tfx CLI: venv on PATH (it shells out to bare python/pip), state
    under the output root, and the config for local_runner.py."""
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    env["LOCAL_HOME"] = os.path.join(cfg.output_root, "tfx_local")
    env["TF_USE_LEGACY_KERAS"] = "1"
    env.update(SENTINEL_PROFILE=profile, SENTINEL_DATA_ROOT=cfg.data_root,
               SENTINEL_OUTPUT_ROOT=cfg.output_root)
    return env


def run_with_tfx_cli(cfg: config_lib.SentinelConfig, profile: str) -> None:
    """Registers (or updates) the pipeline with the tfx CLI and runs it once, locally."""
    env = tfx_env(cfg, profile)
    tfx = [os.path.join(os.path.dirname(sys.executable), "tfx")]
    registered = os.path.isdir(os.path.join(env["LOCAL_HOME"], cfg.pipeline_name))
    verb = "update" if registered else "create"
    subprocess.run(tfx + ["pipeline", verb, "--engine", "local", "--pipeline_path", LOCAL_RUNNER],
                   env=env, check=True)
    from pipeline.progress import Progress

    with Progress(cfg):
        subprocess.run(tfx + ["run", "create", "--engine", "local", "--pipeline_name",
                              cfg.pipeline_name], env=env, check=True)


def cmd_run(args) -> int:
    cfg = _config(args)
    if args.data_root is None and not os.path.isdir(cfg.data_root):
        cmd_demo_data(argparse.Namespace(root=cfg.data_root, spans=2, force=False,
                                         add_span=False))
    run_with_tfx_cli(cfg, args.profile)
    return cmd_summary(args)


def cmd_retrain(args) -> int:
    from pipeline.retrain import pending_span

    cfg = _config(args)
    span, reason = pending_span(cfg)
    print(f"sentinel retrain: {reason}")
    if span is None:
        return 0
    run_with_tfx_cli(cfg, args.profile)
    return cmd_summary(args)


def cmd_summary(args) -> int:
    from pipeline.summary import summarise

    print(summarise(_config(args)))
    return 0


def cmd_review(args) -> int:
    from pipeline.summary import latest_review

    found = latest_review(_config(args))
    if found is None:
        print("No review yet: run the pipeline first.")
        return 1
    path, markdown = found
    print(markdown)
    print(f"HTML review (self-contained, opens offline): {path}")
    return 0


def cmd_predict(args) -> int:
    from serving import batch_predict

    model_dir = args.model_dir or _config(args).model_dir
    rows = batch_predict.run(args.input, args.out, model_dir, args.version, args.format,
                             args.batch_size, args.fps)
    print(f"Wrote {rows} predictions to {args.out}")
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="sentinel", description=__doc__,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = top.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo-data", help="generate the deterministic demo data set")
    demo.add_argument("--root", help="where to write (default: data/demo)")
    demo.add_argument("--spans", type=int, default=2)
    demo.add_argument("--force", action="store_true")
    demo.add_argument("--add-span", action="store_true",
                      help="append the next span (new data arrives; then `sentinel run` again)")
    demo.set_defaults(func=cmd_demo_data)
    for name, func, text in (("run", cmd_run, "run the pipeline locally via the tfx CLI"),
                             ("summary", cmd_summary, "summarise the latest run"),
                             ("review", cmd_review, "print the latest metric review"),
                             ("retrain", cmd_retrain, "run only if a new span arrived (cron)")):
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("--profile", default="demo", choices=("demo", "test"))
        cmd.add_argument("--data-root", help="input root (default: data/demo)")
        cmd.add_argument("--output-root",
                         help="pipeline root, metadata, serving (default: outputs)")
        cmd.set_defaults(func=func)
    predict = sub.add_parser("predict", help="batch inference over a folder or a video → CSV")
    predict.add_argument("input", help="folder of images, one image, or a video file")
    predict.add_argument("--out", required=True, help="CSV to write")
    predict.add_argument("--model-dir", help="serving model dir (default: the config's)")
    predict.add_argument("--version", type=int, help="model version (default: newest)")
    predict.add_argument("--format", default="savedmodel",
                         choices=("savedmodel", "tflite-float", "tflite-int8"))
    predict.add_argument("--batch-size", type=int, default=32)
    predict.add_argument("--fps", type=float, default=1.0, help="frames sampled per second")
    predict.add_argument("--profile", default="demo", choices=("demo", "test"))
    predict.add_argument("--data-root")
    predict.add_argument("--output-root")
    predict.set_defaults(func=cmd_predict)
    return top


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
