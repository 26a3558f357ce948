"""Trainer hyper-parameters, carried from the pipeline config in the Trainer's custom_config."""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class HParams:
    """Training settings; defaults are the product's (README "Gates and settings")."""

    classes: tuple[str, ...] = ("person", "vehicle", "animal", "background")
    image_size: int = 64
    epochs: int = 30
    batch_size: int = 32
    initial_learning_rate: float = 1e-3
    decay_steps: int = 10000
    decay_rate: float = 0.9
    early_stopping_patience: int = 5
    rotation_degrees: float = 20.0
    shift_fraction: float = 0.1
    horizontal_flip: bool = True
    width: int = 16           # filters of the first block; later blocks double it
    dropout: float = 0.2
    pruning_sparsity: float = 0.0  # > 0: magnitude pruning to this sparsity (tfmot)
    cache_training_data: bool = True  # keep parsed training examples in memory
    seed: int = 42

    def __post_init__(self):
        checks = {
            "image_size": 16 <= self.image_size <= 512, "epochs": self.epochs >= 1,
            "batch_size": self.batch_size >= 1, "width": self.width >= 4,
            "initial_learning_rate": 0 < self.initial_learning_rate < 1,
            "decay_steps": self.decay_steps >= 1, "decay_rate": 0 < self.decay_rate <= 1,
            "early_stopping_patience": self.early_stopping_patience >= 0,
            "rotation_degrees": 0 <= self.rotation_degrees <= 180,
            "shift_fraction": 0 <= self.shift_fraction < 1, "dropout": 0 <= self.dropout < 1,
            "pruning_sparsity": 0 <= self.pruning_sparsity < 1,
        }
        bad = [name for name, ok in checks.items() if not ok]
        if bad:
            raise ValueError(f"hyper-parameters out of range: {bad}")

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, raw: dict) -> "HParams":
        raw = dict(raw)
        raw["classes"] = tuple(raw["classes"])
        return cls(**raw)
