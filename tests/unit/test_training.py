"""Training behaviour on in-memory data: NaN stops with an error, same seed → same metrics."""

import numpy as np
import pytest
import tensorflow as tf
import tf_keras as keras

from trainer import data, task
from trainer.hparams import HParams
from trainer.strategy import choose_strategy, export_dir, is_chief
from transform import features as F

HP = HParams(image_size=16, epochs=2, batch_size=8, width=4, early_stopping_patience=5)


def _dataset(poison=False, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(32, 16, 16, 3)).astype(np.float32)
    y = rng.integers(0, 4, size=32)
    if poison:
        x[3, 0, 0, 0] = np.nan
    return tf.data.Dataset.from_tensor_slices(({F.IMAGE_XF: x}, y)).batch(8)


def test_nan_loss_stops_training_with_a_clear_error(tmp_path):
    with pytest.raises(task.NaNLossError, match="NaN"):
        task.fit(_dataset(poison=True), _dataset(seed=1), HP, str(tmp_path))


def test_same_seed_gives_the_same_metrics(tmp_path):
    results = []
    for run in range(2):
        keras.utils.set_random_seed(HP.seed)
        augment = data.augmenter(HP)
        train = _dataset().map(lambda f, y, aug=augment: ({F.IMAGE_XF: aug(f[F.IMAGE_XF],
                                                                          training=True)}, y))
        _, history = task.fit(train, _dataset(seed=1), HP, str(tmp_path / str(run)))
        results.append(history.history)
    for key in ("loss", "val_loss", "val_accuracy"):
        np.testing.assert_allclose(results[0][key], results[1][key], rtol=1e-4, atol=1e-5)


def test_strategy_and_chief_follow_tf_config(tmp_path):
    assert isinstance(choose_strategy(""), type(tf.distribute.get_strategy()))
    worker1 = '{"cluster": {"worker": ["a:1", "b:2"]}, "task": {"type": "worker", "index": 1}}'
    worker0 = '{"cluster": {"worker": ["a:1", "b:2"]}, "task": {"type": "worker", "index": 0}}'
    assert is_chief("") and is_chief(worker0) and not is_chief(worker1)
    assert export_dir(str(tmp_path), worker0) == str(tmp_path)
    assert export_dir(str(tmp_path), worker1) != str(tmp_path)


def test_pruning_reaches_the_target_sparsity_and_is_stripped(tmp_path):
    from trainer import pruning

    hp = HParams(image_size=16, epochs=4, batch_size=8, width=4, pruning_sparsity=0.5)
    model, _ = task.fit(_dataset(), _dataset(seed=1), hp, str(tmp_path))
    assert pruning.kernel_sparsity(model) >= 0.45
    assert not [layer for layer in model.layers if "prune" in type(layer).__name__.lower()]
