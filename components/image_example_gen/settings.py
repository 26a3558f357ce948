"""Ingestion settings passed from the pipeline config to the ImageExampleGen executor.

Serialised as JSON in one execution property, so that any change re-executes the component
(it is part of the cache key) and the Kubeflow compile carries it as a plain string.
"""

from __future__ import annotations

import dataclasses
import json


@dataclasses.dataclass(frozen=True)
class IngestSettings:
    """Everything ingestion decides by; see README "Data contract" for the meaning of each."""

    classes: tuple[str, ...]
    span_range: tuple[int, int] | None = None  # inclusive; None: the latest `span_window`
    span_window: int = 1                       # how many of the newest spans to read
    max_file_bytes: int = 20 * 2**20
    max_pixels: int = 40_000_000
    video_fps: float = 1.0
    night_luma_threshold: float = 60.0
    eval_percent: int = 25
    strict_classes: bool = True
    max_bad_fraction: float = 0.05
    min_examples_per_class: int = 10

    def __post_init__(self):
        if not self.classes or len(set(self.classes)) != len(self.classes):
            raise ValueError(f"classes must be non-empty and unique, got {self.classes}")
        if not 0 < self.eval_percent < 100:
            raise ValueError(f"eval_percent must be in 1..99, got {self.eval_percent}")
        if not 0 <= self.max_bad_fraction <= 1:
            raise ValueError(f"max_bad_fraction must be in [0, 1], got {self.max_bad_fraction}")
        if self.video_fps <= 0 or self.max_file_bytes <= 0 or self.max_pixels <= 0:
            raise ValueError("video_fps, max_file_bytes and max_pixels must be positive")
        if self.span_window < 1:
            raise ValueError(f"span_window must be >= 1, got {self.span_window}")
        if self.span_range is not None and self.span_range[0] > self.span_range[1]:
            raise ValueError(f"span_range {self.span_range} is empty")

    @property
    def classes_lower(self) -> dict[str, str]:
        return {c.lower(): c for c in self.classes}

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "IngestSettings":
        raw = json.loads(text)
        raw["classes"] = tuple(raw["classes"])
        if raw.get("span_range") is not None:
            raw["span_range"] = tuple(raw["span_range"])
        return cls(**raw)
