"""One task of the multi-worker test (run as a subprocess by test_multiworker.py).

Trains the real model under trainer.strategy.choose_strategy() for a few steps on synthetic
data and saves through trainer.strategy.export_dir, as run_fn does.
"""

import os
import sys

os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from trainer import model as model_lib  # noqa: E402
from trainer.hparams import HParams  # noqa: E402
from trainer.strategy import choose_strategy, export_dir  # noqa: E402
from transform import features as F  # noqa: E402


def main(out_dir: str) -> None:
    hp = HParams(image_size=16, width=4, batch_size=8, epochs=1)
    strategy = choose_strategy()
    assert isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy), type(strategy)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 16, 16, 3)).astype(np.float32)
    y = rng.integers(0, 4, size=64)
    ds = tf.data.Dataset.from_tensor_slices(({F.IMAGE_XF: x}, y)).batch(8).repeat()
    with strategy.scope():
        model = model_lib.build_model(hp)
        model_lib.compile_model(model, hp)
    model.fit(ds, epochs=1, steps_per_epoch=4, verbose=0)
    model.save(export_dir(out_dir), save_format="tf")
    print("replicas", strategy.num_replicas_in_sync, flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
