"""tf.data input pipelines over Transform output, with training-only augmentation.

Called by trainer/task.py. Augmentation (rotation, horizontal flip, width/height shift) runs in
the input pipeline, never inside the model, so the exported model and TFLite carry none of it.
"""

import tensorflow as tf
import tf_keras as keras
from tfx_bsl.public import tfxio

from trainer.hparams import HParams
from transform import features as F

SHUFFLE_BUFFER = 10_000


def augmenter(hp: HParams) -> keras.Sequential:
    """The training augmentation as Keras preprocessing layers (seeded)."""
    layers = []
    if hp.rotation_degrees:
        layers.append(keras.layers.RandomRotation(hp.rotation_degrees / 360.0,
                                                  fill_mode="reflect", seed=hp.seed))
    if hp.shift_fraction:
        layers.append(keras.layers.RandomTranslation(hp.shift_fraction, hp.shift_fraction,
                                                     fill_mode="reflect", seed=hp.seed + 1))
    if hp.horizontal_flip:
        layers.append(keras.layers.RandomFlip("horizontal", seed=hp.seed + 2))
    return keras.Sequential(layers, name="augmentation")


def dataset(file_pattern, data_accessor, tf_transform_output, hp: HParams,
            training: bool) -> tf.data.Dataset:
    """Batches of ({image_xf}, label_xf), one pass over the files (shuffled when training).

    With `hp.cache_training_data` the parsed training examples are cached in memory after the
    first epoch and reshuffled every epoch (parsing 12k-float TFRecord features is the input
    pipeline's main cost); turn it off for data sets larger than memory."""
    cache = training and hp.cache_training_data
    options = tfxio.TensorFlowDatasetOptions(
        batch_size=hp.batch_size, label_key=F.LABEL_XF, num_epochs=1,
        shuffle=training and not cache, shuffle_seed=hp.seed, drop_final_batch=False)
    ds = data_accessor.tf_dataset_factory(file_pattern, options,
                                          tf_transform_output.transformed_metadata.schema)
    ds = ds.map(lambda feats, label: ({F.IMAGE_XF: feats[F.IMAGE_XF]}, label),
                num_parallel_calls=tf.data.AUTOTUNE)
    if cache:
        ds = ds.unbatch().cache().shuffle(SHUFFLE_BUFFER, seed=hp.seed,
                                          reshuffle_each_iteration=True).batch(hp.batch_size)
    if training:
        augment = augmenter(hp)
        ds = ds.map(lambda feats, label: ({F.IMAGE_XF: augment(feats[F.IMAGE_XF],
                                                                training=True)}, label),
                    num_parallel_calls=tf.data.AUTOTUNE)
    else:
        ds = ds.cache()
    return ds.prefetch(tf.data.AUTOTUNE)
