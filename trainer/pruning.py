"""Optional magnitude pruning (tensorflow-model-optimization), off by default.

Used by trainer/task.py when `HParams.pruning_sparsity > 0`: the model is wrapped before
training, pruned to a constant target sparsity, and stripped of its pruning wrappers before
export, so the SavedModel and TFLite files contain plain (sparse) layers.
"""



def wrap(model, sparsity: float):
    """Prunes from the first step and re-masks every step: EarlyStopping restores the best
    epoch's weights, which must already be pruned (a delayed schedule would restore dense
    weights and export an unpruned model)."""
    import tensorflow_model_optimization as tfmot

    schedule = tfmot.sparsity.keras.ConstantSparsity(sparsity, begin_step=0, frequency=1)
    return tfmot.sparsity.keras.prune_low_magnitude(model, pruning_schedule=schedule)


def callbacks() -> list:
    import tensorflow_model_optimization as tfmot

    return [tfmot.sparsity.keras.UpdatePruningStep()]


def strip(model):
    import tensorflow_model_optimization as tfmot

    return tfmot.sparsity.keras.strip_pruning(model)


def kernel_sparsity(model) -> float:
    """Fraction of zero weights over the kernels of Conv2D and Dense layers (what is pruned)."""
    import tf_keras as keras

    kernels = [layer.kernel.numpy() for layer in model.layers
               if type(layer) in (keras.layers.Conv2D, keras.layers.Dense)]
    total = sum(k.size for k in kernels)
    return float(sum((k == 0).sum() for k in kernels) / total) if total else 0.0
