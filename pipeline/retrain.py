"""Scheduled retraining: run the pipeline only when a new span has arrived (cron-friendly).

`sentinel retrain` compares the newest `span-N` folder under the data root with the newest span
that already reached an evaluation verdict (from the metadata store). Nothing new → a clear
message and exit 0, so cron or a systemd timer can call it as often as it likes. Data without
span folders always runs: the pipeline cache then makes an unchanged rerun cheap.
"""

from __future__ import annotations

import os

from components.image_example_gen.layout import list_spans
from pipeline.config import SentinelConfig

VERDICT_STATES = ("COMPLETE", "CACHED")


def evaluated_spans(cfg: SentinelConfig) -> list[int]:
    """Spans of every run whose Evaluator completed (fresh or from cache)."""
    from pipeline.summary import open_store, runs

    if not os.path.exists(cfg.metadata_path):
        return []
    store = open_store(cfg)
    finished = {name for name, states in runs(cfg)
                if states.get("Evaluator") in VERDICT_STATES}
    spans = []
    for ctx in store.get_contexts_by_type("pipeline_run"):
        if ctx.name not in finished:
            continue
        for artifact in store.get_artifacts_by_context(ctx.id):
            if "span" in artifact.properties and store.get_artifact_types_by_id(
                    [artifact.type_id])[0].name == "Examples":
                spans.append(artifact.properties["span"].int_value)
    return sorted(set(spans))


def pending_span(cfg: SentinelConfig) -> tuple[int | None, str]:
    """(span to train, reason) or (None, why there is nothing to do)."""
    on_disk = list_spans(cfg.data_root)
    if not on_disk:
        return 0, "no span folders: running (the cache skips unchanged work)"
    done = evaluated_spans(cfg)
    if done and on_disk[-1] <= done[-1]:
        return None, (f"no new span: span-{on_disk[-1]} is the newest in {cfg.data_root} and "
                      f"was already evaluated; nothing to do")
    return on_disk[-1], f"new span-{on_disk[-1]} (last evaluated: {done[-1] if done else 'none'})"
