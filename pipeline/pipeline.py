"""`create_pipeline`: the Sentinel TFX DAG, wired once for every runner.

Pure wiring: everything comes in as arguments (no environment reads, no runner branches).
Component ids are fixed with `.with_id` because they are cache keys and Kubeflow task names.
"""

from __future__ import annotations

from tfx import v1 as tfx

from components.data_gate.component import DataGate
from components.evaluator.component import SentinelEvaluator
from components.image_example_gen.component import ImageExampleGen
from components.metric_review.component import MetricReview
from components.model_pusher.component import ModelPusher
from components.serving_baseline.component import ServingBaseline
from pipeline.config import SentinelConfig, code_version
from pipeline.eval_config import build_eval_config


def create_pipeline(cfg: SentinelConfig, metadata_connection_config=None) -> tfx.dsl.Pipeline:
    """Returns the pipeline for `cfg`; runners bind metadata and Beam settings."""
    # Image folders and clips → tf.Examples (train/eval by clip) + quarantine report.
    example_gen = ImageExampleGen(
        input_base=cfg.data_root, ingest_config=cfg.ingest.to_json(),
        code_version=code_version("components/image_example_gen", "transform"),
    ).with_id("ImageExampleGen")
    # Full-pass statistics of every split.
    statistics_gen = tfx.components.StatisticsGen(
        examples=example_gen.outputs["examples"]).with_id("StatisticsGen")
    # The checked-in data contract.
    schema_gen = tfx.components.ImportSchemaGen(schema_file=cfg.schema_path).with_id("Schema")
    # Anomalies of the statistics against the schema (records only; the gate acts).
    example_validator = tfx.components.ExampleValidator(
        statistics=statistics_gen.outputs["statistics"],
        schema=schema_gen.outputs["schema"]).with_id("ExampleValidator")
    # Fails the run on disallowed anomalies; releases the examples Transform may read.
    data_gate = DataGate(
        examples=example_gen.outputs["examples"],
        anomalies=example_validator.outputs["anomalies"],
        report=example_gen.outputs["quarantine"], gate_config=cfg.gate.to_json(),
        classes=list(cfg.ingest.classes)).with_id("DataGate")
    # Decode, resize, per-channel z-score from full-pass statistics; label → index.
    transform = tfx.components.Transform(
        examples=data_gate.outputs["validated_examples"], schema=schema_gen.outputs["schema"],
        preprocessing_fn="transform.preprocessing.preprocessing_fn", disable_statistics=True,
        custom_config={"image_size": cfg.hparams.image_size, "classes": list(cfg.ingest.classes),
                       "code_version": code_version("transform")}).with_id("Transform")
    # Train the CNN; export SavedModel signatures + TFLite float/int8 with an export check.
    trainer = tfx.components.Trainer(
        run_fn="trainer.task.run_fn", examples=transform.outputs["transformed_examples"],
        transform_graph=transform.outputs["transform_graph"], schema=schema_gen.outputs["schema"],
        custom_config={"hparams": cfg.hparams.to_dict(),
                       "code_version": code_version("trainer", "transform", "serving")},
    ).with_id("Trainer")
    # The model to beat: the one in service, read from the push destination (no resolver node,
    # so this also runs on open-source Kubeflow Pipelines).
    baseline = ServingBaseline(
        model=trainer.outputs["model"], serving_root=cfg.serving_root,
        model_name=cfg.model_name, require_baseline=cfg.thresholds.require_baseline,
    ).with_id("ServingBaseline")
    # Overall and per-slice metrics; blesses only if every threshold holds.
    evaluator = SentinelEvaluator(
        examples=data_gate.outputs["validated_examples"], model=trainer.outputs["model"],
        baseline_model=baseline.outputs["baseline_model"],
        eval_config=build_eval_config(cfg.thresholds, cfg.ingest.classes)).with_id("Evaluator")
    # Atomic, versioned push of blessed models only.
    pusher = ModelPusher(
        model=trainer.outputs["model"], model_blessing=evaluator.outputs["blessing"],
        serving_root=cfg.serving_root, model_name=cfg.model_name,
        keep_versions=cfg.keep_versions).with_id("ModelPusher")
    # The review a person reads: verdict and why, slices vs baseline, curves, data, exports.
    review = MetricReview(
        classes=cfg.ingest.classes, evaluation=evaluator.outputs["evaluation"],
        blessing=evaluator.outputs["blessing"], model=trainer.outputs["model"],
        model_run=trainer.outputs["model_run"], baseline_model=baseline.outputs["baseline_model"],
        pushed_model=pusher.outputs["pushed_model"],
        quarantine=example_gen.outputs["quarantine"]).with_id("MetricReview")
    return tfx.dsl.Pipeline(
        pipeline_name=cfg.pipeline_name, pipeline_root=cfg.pipeline_root,
        components=[example_gen, statistics_gen, schema_gen, example_validator, data_gate,
                    transform, trainer, baseline, evaluator, pusher, review],
        enable_cache=cfg.enable_cache, metadata_connection_config=metadata_connection_config,
        beam_pipeline_args=list(cfg.beam_args))
