"""The data gate's checks (pure functions), called by the DataGate executor.

Besides ExampleValidator's anomalies (label outside the domain, missing labels, ...), the gate
compares the newest span with the one before it, from ImageExampleGen's report: a span with far
fewer files, or a label mix that moved too far, fails the run.
"""

from __future__ import annotations

import dataclasses
import json

from tensorflow_metadata.proto.v0 import anomalies_pb2


@dataclasses.dataclass(frozen=True)
class GateSettings:
    """Named gate values; README "Gates and settings" documents each."""

    allowed_anomalies: tuple[str, ...] = ()   # AnomalyInfo.Type names tolerated
    min_span_ratio: float = 0.5               # newest span files ≥ ratio × previous span's
    max_label_shift: float = 0.25             # max |share(label) change| between the spans

    def __post_init__(self):
        if not 0 <= self.min_span_ratio <= 1 or not 0 <= self.max_label_shift <= 1:
            raise ValueError("min_span_ratio and max_label_shift must be in [0, 1]")

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "GateSettings":
        raw = json.loads(text)
        raw["allowed_anomalies"] = tuple(raw.get("allowed_anomalies", ()))
        return cls(**raw)


def anomaly_problems(anomalies: anomalies_pb2.Anomalies, split: str,
                     allowed: set[str]) -> list[str]:
    """One line per disallowed anomaly."""
    problems = []
    for feature, info in sorted(anomalies.anomaly_info.items()):
        types = {anomalies_pb2.AnomalyInfo.Type.Name(r.type) for r in info.reason}
        if types - allowed:
            problems.append(f"{split}/{feature}: {info.short_description} "
                            f"({', '.join(sorted(types))})")
    if anomalies.HasField("dataset_anomaly_info"):
        problems.append(f"{split}/dataset: {anomalies.dataset_anomaly_info.description}")
    return problems


def span_problems(span_files: dict[str, dict[str, int]], classes: list[str],
                  settings: GateSettings) -> list[str]:
    """Volume drop and label-distribution shift of the newest span against the previous one."""
    if len(span_files) < 2:
        return []
    (old_span, old), (new_span, new) = sorted(span_files.items(), key=lambda kv: int(kv[0]))
    old_total = sum(old.get(c, 0) for c in classes)
    new_total = sum(new.get(c, 0) for c in classes)
    problems = []
    if old_total and new_total < settings.min_span_ratio * old_total:
        problems.append(f"span {new_span} has {new_total} files, fewer than "
                        f"{settings.min_span_ratio:.0%} of span {old_span}'s {old_total}")
    if old_total and new_total:
        shifts = {c: new.get(c, 0) / new_total - old.get(c, 0) / old_total for c in classes}
        label, shift = max(shifts.items(), key=lambda kv: abs(kv[1]))
        if abs(shift) > settings.max_label_shift:
            problems.append(f"label mix shifted: share of {label!r} moved {shift:+.0%} from span "
                            f"{old_span} to {new_span} (limit ±{settings.max_label_shift:.0%})")
    return problems
