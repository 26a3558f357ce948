"""Renders the metric review: a self-contained HTML page (PNG plots inlined) and a Markdown
summary. Called by the MetricReview executor with the dict built from collect.py."""

from __future__ import annotations

import base64
import html
import io

import matplotlib

matplotlib.use("Agg")  # no display; must precede pyplot
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

HEADLINE = ("sparse_categorical_accuracy", "sparse_categorical_crossentropy", "example_count")


def _png(fig) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode()


def confusion_png(matrix: np.ndarray, classes: list[str]) -> str:
    fig, ax = plt.subplots(figsize=(4.5, 4))
    ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(classes)), classes, rotation=45, ha="right")
    ax.set_yticks(range(len(classes)), classes)
    ax.set_xlabel("predicted")
    ax.set_ylabel("actual")
    for (i, j), value in np.ndenumerate(matrix):
        ax.text(j, i, f"{value:.0f}", ha="center", va="center",
                color="white" if value > matrix.max() / 2 else "black")
    return _png(fig)


def curves_png(curves: dict) -> str | None:
    tags = sorted({tag for phase in curves.values() for tag in phase})
    if not tags:
        return None
    fig, axes = plt.subplots(1, len(tags), figsize=(4 * len(tags), 3), squeeze=False)
    for ax, tag in zip(axes[0], tags, strict=False):
        for phase, series in sorted(curves.items()):
            if tag in series:
                steps, values = zip(*series[tag], strict=False)
                ax.plot(steps, values, marker="o", label=phase)
        ax.set_title(tag)
        ax.set_xlabel("epoch")
        ax.legend()
    return _png(fig)


def _fmt(value) -> str:
    return "" if value is None else f"{value:.4f}" if isinstance(value, float) else str(value)


def _table(header: list[str], rows: list[list]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(_fmt(c))}</td>" for c in row) + "</tr>"
                   for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


SLICE_HEADER = ["slice", "examples", "accuracy", "baseline accuracy", "Δ accuracy", "log-loss",
                "baseline log-loss"]


def slice_table_rows(metrics: dict) -> list[list]:
    """One row per slice: example count, accuracy and log-loss, baseline beside candidate."""
    rows = []
    for slice_, m in metrics.items():
        acc, loss = m.get(HEADLINE[0], {}), m.get(HEADLINE[1], {})
        count = m.get(HEADLINE[2], {}).get("candidate")
        rows.append([slice_, None if count is None else int(count), acc.get("candidate"),
                     acc.get("baseline"), acc.get("diff"), loss.get("candidate"),
                     loss.get("baseline")])
    return rows


def to_html(review: dict) -> str:
    verdict = "BLESSED" if review["blessed"] else "NOT BLESSED"
    parts = [f"<h1>Sentinel metric review — {verdict}</h1>",
             f"<p>{html.escape(review['pushed'])}</p>",
             f"<p>Baseline: {html.escape(review['baseline'])}</p>"]
    if review["failures"]:
        parts.append("<h2>Failed thresholds</h2><ul>" + "".join(
            f"<li>{html.escape(f)}</li>" for f in review["failures"]) + "</ul>")
    parts.append("<h2>Metrics per slice (candidate beside the model in service)</h2>")
    parts.append(_table(SLICE_HEADER, slice_table_rows(review["metrics"])))
    parts.append("<h2>Classification report (overall)</h2>")
    parts.append(_table(["class", "precision", "recall", "f1", "support"],
                        [[r["class"], r["precision"], r["recall"], r["f1"], r["support"]]
                         for r in review["report"]]))
    parts.append(f'<h2>Confusion matrix</h2><img alt="confusion matrix" '
                 f'src="data:image/png;base64,{review["confusion_png"]}">')
    if review.get("curves_png"):
        parts.append(f'<h2>Training curves</h2><img alt="training curves" '
                     f'src="data:image/png;base64,{review["curves_png"]}">')
    counts = review["quarantine"].get("counts", {})
    parts.append("<h2>Data quarantine</h2>" + _table(
        ["files", "quarantined", "by reason", "duplicates", "bad video frames"],
        [[counts.get("files"), counts.get("quarantined"), str(counts.get("reasons", {})),
          counts.get("duplicates"), counts.get("bad_video_frames")]]))
    export = review["export_check"]
    parts.append("<h2>TFLite export check (eval split)</h2>" + _table(
        ["model", "accuracy", "agreement with SavedModel", "bytes"],
        [[name, v.get("accuracy"), v.get("agreement_with_savedmodel"), v.get("bytes")]
         for name, v in sorted(export.items()) if isinstance(v, dict) and "accuracy" in v]))
    style = ("body{font-family:sans-serif;margin:2em;max-width:70em}table{border-collapse:"
             "collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.25em .6em;"
             "text-align:right}th{background:#eee}")
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>Sentinel review</title>"
            f"<style>{style}</style></head><body>{''.join(parts)}</body></html>")


def to_markdown(review: dict) -> str:
    lines = [f"# Sentinel metric review: {'BLESSED' if review['blessed'] else 'NOT BLESSED'}",
             "", review["pushed"], f"Baseline: {review['baseline']}", ""]
    lines += [f"- FAILED {f}" for f in review["failures"]]
    lines += ["", "| slice | candidate acc | baseline acc | diff |", "|---|---|---|---|"]
    for slice_, _, cand, base, diff, _, _ in slice_table_rows(review["metrics"]):
        lines.append(f"| {slice_} | {_fmt(cand)} | {_fmt(base)} | {_fmt(diff)} |")
    lines += ["", "| class | precision | recall | f1 | support |", "|---|---|---|---|---|"]
    lines += [f"| {r['class']} | {r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} | "
              f"{r['support']} |" for r in review["report"]]
    return "\n".join(lines) + "\n"
