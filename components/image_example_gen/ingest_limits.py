"""The quarantine report and the ingestion limits that fail a run (fail closed).

Called by the ImageExampleGen executor after its Beam pipeline: it merges what Beam wrote into
one report (`quarantine.json` in the QuarantineReport artifact) and raises `IngestionError`,
naming counts per reason and the first offending paths, when a systemic limit is crossed.
"""

from __future__ import annotations

import collections
import json
import os

import tensorflow as tf

from components.image_example_gen import layout, records
from components.image_example_gen.settings import IngestSettings

REPORT_FILE = "quarantine.json"
FIRST_PATHS = 5


class IngestionError(RuntimeError):
    """The input as a whole is unusable; the message says why."""


def check_input_present(root: str, spans: list[int], files: list) -> None:
    if not files:
        raise IngestionError(f"input root {root} has no files (spans selected: {spans or 'none'})")


def _read(path: str) -> list:
    with tf.io.gfile.GFile(path) as handle:
        return json.load(handle)


def summarise(work: str, files: list, misplaced: list[layout.Misplaced],
              settings: IngestSettings, spans: list[int]) -> dict:
    """Merges the Beam outputs in `work` into the report dict (deterministic order)."""
    duplicates = _read(f"{work}/duplicate.json")
    bad_frames = _read(f"{work}/bad_frames.json")
    quarantined = [row[1] for row in _read(f"{work}/quarantine.json")]
    quarantined += [{"path": m.relpath, "sha256": records.file_sha256(m.path), "size": m.size,
                     "reason": "no_class_folder", "detail": "file is not inside a class folder"}
                    for m in misplaced]
    quarantined.sort(key=lambda r: (r["reason"], r["path"]))
    per_split = {name: dict(sorted(_read(f"{work}/count-{name}.json")))
                 for name in ("train", "eval")}
    per_class = collections.Counter()
    for counts in per_split.values():
        per_class.update(counts)
    reasons = collections.Counter(r["reason"] for r in quarantined)
    return {
        "spans": spans,
        "counts": {
            "files": len(files) + len(misplaced),
            "examples": per_split,
            "examples_per_class": {c: per_class.get(c, 0) for c in settings.classes},
            "quarantined": len(quarantined),
            "reasons": dict(sorted(reasons.items())),
            "duplicates": len(duplicates),
            "bad_video_frames": sum(row[2] for row in bad_frames),
        },
        "quarantined": quarantined,
        "duplicates": [{"path": d[1], "kept": d[2]} for d in duplicates],
        "bad_frames": [{"path": b[1], "count": b[2]} for b in bad_frames],
    }


def span_files(root: str, spans: list[int]) -> dict[str, dict[str, int]]:
    """Files per label folder of the newest selected span and of the span before it (if any),
    from listings: what the data gate compares for volume drops and label shifts."""
    present = layout.list_spans(root)
    if not spans or spans[-1] not in present:
        return {}
    newest = spans[-1]
    older = [s for s in present if s < newest]
    chosen = ([older[-1]] if older else []) + [newest]
    return {str(s): layout.count_by_label(root, s) for s in chosen}


def write_report(uri: str, summary: dict) -> None:
    with tf.io.gfile.GFile(os.path.join(uri, REPORT_FILE), "w") as handle:
        json.dump(summary, handle, indent=1, sort_keys=True)


def _first(summary: dict, reasons: set[str] | None = None) -> str:
    paths = [r["path"] for r in summary["quarantined"] if reasons is None or r["reason"] in reasons]
    return ", ".join(paths[:FIRST_PATHS])


def check(summary: dict, settings: IngestSettings) -> None:
    """Raises IngestionError when the input crosses a configured limit."""
    counts = summary["counts"]
    reasons = counts["reasons"]
    if settings.strict_classes and reasons.get("unknown_class"):
        raise IngestionError(
            f"{reasons['unknown_class']} file(s) in class folders not in {list(settings.classes)}"
            f" (strict mode); first: {_first(summary, {'unknown_class'})}")
    tolerated = set() if settings.strict_classes else {"unknown_class"}
    bad = sum(n for reason, n in reasons.items() if reason not in tolerated)
    fraction = bad / max(1, counts["files"])
    if fraction > settings.max_bad_fraction:
        raise IngestionError(
            f"{bad} of {counts['files']} files quarantined ({fraction:.1%} > "
            f"{settings.max_bad_fraction:.1%}); by reason: {reasons}; first: {_first(summary)}")
    short = {c: n for c, n in counts["examples_per_class"].items()
             if n < settings.min_examples_per_class}
    if short:
        raise IngestionError(
            f"classes below {settings.min_examples_per_class} examples: {short}; "
            f"quarantined by reason: {reasons}")
