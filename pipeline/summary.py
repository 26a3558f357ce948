"""Reads the outcome of the latest run from the metadata store (printed by `sentinel run`).

Reports: blessed or not, pushed version and path, overall and per-slice accuracy, quarantine
counts, and the TFLite export check. Read-only; safe to call at any time.
"""

from __future__ import annotations

import json
import os

from pipeline.config import SentinelConfig

_TYPES = ("ModelBlessing", "PushedModel", "ModelEvaluation", "sentinel.QuarantineReport", "Model",
          "sentinel.MetricReview")


def open_store(cfg: SentinelConfig):
    """Read-only connection to the run's ML Metadata store."""
    from ml_metadata.metadata_store import metadata_store
    from ml_metadata.proto import metadata_store_pb2

    conn = metadata_store_pb2.ConnectionConfig()
    conn.sqlite.filename_uri = cfg.metadata_path
    conn.sqlite.connection_mode = metadata_store_pb2.SqliteMetadataSourceConfig.READONLY
    return metadata_store.MetadataStore(conn)


def latest_artifacts(cfg: SentinelConfig) -> dict:
    """The newest artifact of each type of interest (by id), or None."""
    if not os.path.exists(cfg.metadata_path):
        return {}
    store = open_store(cfg)
    latest = {}
    for type_name in _TYPES:
        artifacts = store.get_artifacts_by_type(type_name)
        latest[type_name] = max(artifacts, key=lambda a: a.id) if artifacts else None
    return latest


def _prop(artifact, name):
    if artifact is None or name not in artifact.custom_properties:
        return None
    value = artifact.custom_properties[name]
    return getattr(value, value.WhichOneof("value"))


def slice_accuracy(eval_uri: str, classes) -> dict[str, float]:
    """Candidate accuracy per slice ('overall', 'camera_id=cam-lot', ...), read as the metric
    review reads it (TFMA's own loader)."""
    from components.metric_review.collect import metrics_by_slice

    return {name: round(metrics["sparse_categorical_accuracy"]["candidate"], 4)
            for name, metrics in metrics_by_slice(eval_uri, list(classes)).items()
            if "candidate" in metrics.get("sparse_categorical_accuracy", {})}


def summarise(cfg: SentinelConfig) -> str:
    """A short, human-readable account of the latest run."""
    latest = latest_artifacts(cfg)
    if not latest or latest.get("ModelBlessing") is None:
        return f"No completed evaluation in {cfg.metadata_path} yet."
    blessed = _prop(latest["ModelBlessing"], "blessed") == 1
    lines = [f"Model blessed: {'yes' if blessed else 'NO'}"]
    pushed = latest["PushedModel"]
    if pushed is not None and _prop(pushed, "pushed") == 1:
        lines.append(f"Pushed version {_prop(pushed, 'pushed_version')}: "
                     f"{_prop(pushed, 'pushed_destination')}")
    else:
        lines.append(f"Nothing pushed by the latest run; serving directory: {cfg.model_dir}")
    if latest["ModelEvaluation"] is not None:
        for key, value in slice_accuracy(latest["ModelEvaluation"].uri,
                                         cfg.ingest.classes).items():
            lines.append(f"  accuracy {key:<32} {value:.3f}")
    if latest["sentinel.QuarantineReport"] is not None:
        counts = _prop(latest["sentinel.QuarantineReport"], "counts")
        if counts:
            data = json.loads(counts)
            lines.append(f"Ingestion: {data['files']} files, {data['quarantined']} quarantined "
                         f"{data['reasons'] or ''}".rstrip())
    if latest.get("sentinel.MetricReview") is not None:
        lines.append(f"Review: {review_path(latest['sentinel.MetricReview'].uri)}")
    return "\n".join(lines)


def review_path(uri: str, markdown: bool = False) -> str:
    return os.path.join(uri, "review.md" if markdown else "review.html")


def latest_review(cfg: SentinelConfig) -> tuple[str, str] | None:
    """(path of the newest review.html, its Markdown text), or None."""
    artifact = latest_artifacts(cfg).get("sentinel.MetricReview")
    if artifact is None:
        return None
    with open(review_path(artifact.uri, markdown=True)) as handle:
        return review_path(artifact.uri), handle.read()


def runs(cfg: SentinelConfig) -> list[tuple[str, dict[str, str]]]:
    """Every pipeline run, oldest first, as (run id, {component id: execution state}) where the
    state is COMPLETE, CACHED, FAILED, RUNNING, ... (a component that never started is absent)."""
    from ml_metadata.proto import metadata_store_pb2

    if not os.path.exists(cfg.metadata_path):
        return []
    store = open_store(cfg)
    prefix = f"{cfg.pipeline_name}."
    node_of = {}
    for ctx in store.get_contexts_by_type("node"):
        if ctx.name.startswith(prefix):
            for execution in store.get_executions_by_context(ctx.id):
                node_of[execution.id] = ctx.name[len(prefix):]
    result = []
    for ctx in sorted(store.get_contexts_by_type("pipeline_run"), key=lambda c: c.id):
        states = {}
        for execution in sorted(store.get_executions_by_context(ctx.id), key=lambda e: e.id):
            if execution.id in node_of:
                states[node_of[execution.id]] = metadata_store_pb2.Execution.State.Name(
                    execution.last_known_state)
        result.append((ctx.name, states))
    return result
