"""The compact CNN: MobileNetV2-style inverted residual blocks at low width, from scratch.

Built by trainer/task.py inside the distribution strategy's scope. Input: the Transform
output `image_xf` (z-scored float32); output: class probabilities.
"""

import tf_keras as keras

from trainer.hparams import HParams
from transform import features as F

# Keras' default 0.99 needs thousands of steps before the moving statistics used at inference
# match training; camera data sets are often a few hundred batches, so evaluation collapses.
_BN_MOMENTUM = 0.9


def _inverted_residual(x, filters: int, stride: int, expansion: int = 4):
    inputs = x
    in_filters = x.shape[-1]
    x = keras.layers.Conv2D(in_filters * expansion, 1, use_bias=False)(x)
    x = keras.layers.BatchNormalization(momentum=_BN_MOMENTUM)(x)
    x = keras.layers.ReLU(6.0)(x)
    x = keras.layers.DepthwiseConv2D(3, strides=stride, padding="same", use_bias=False)(x)
    x = keras.layers.BatchNormalization(momentum=_BN_MOMENTUM)(x)
    x = keras.layers.ReLU(6.0)(x)
    x = keras.layers.Conv2D(filters, 1, use_bias=False)(x)
    x = keras.layers.BatchNormalization(momentum=_BN_MOMENTUM)(x)
    if stride == 1 and in_filters == filters:
        x = keras.layers.Add()([inputs, x])
    return x


def build_model(hp: HParams) -> keras.Model:
    """Returns an uncompiled model mapping {image_xf: [B, S, S, 3]} to [B, classes]."""
    inputs = keras.Input(shape=(hp.image_size, hp.image_size, 3), name=F.IMAGE_XF)
    x = keras.layers.Conv2D(hp.width, 3, strides=2, padding="same", use_bias=False)(inputs)
    x = keras.layers.BatchNormalization(momentum=_BN_MOMENTUM)(x)
    x = keras.layers.ReLU(6.0)(x)
    for filters, stride in ((hp.width, 1), (hp.width * 2, 2), (hp.width * 2, 1),
                            (hp.width * 4, 2), (hp.width * 4, 1), (hp.width * 8, 2)):
        x = _inverted_residual(x, filters, stride)
    x = keras.layers.GlobalAveragePooling2D()(x)
    x = keras.layers.Dropout(hp.dropout, seed=hp.seed)(x)
    outputs = keras.layers.Dense(len(hp.classes), activation="softmax", name="probabilities")(x)
    return keras.Model({F.IMAGE_XF: inputs}, outputs)


def compile_model(model: keras.Model, hp: HParams) -> None:
    schedule = keras.optimizers.schedules.ExponentialDecay(
        hp.initial_learning_rate, hp.decay_steps, hp.decay_rate)
    model.compile(optimizer=keras.optimizers.Adam(schedule),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
