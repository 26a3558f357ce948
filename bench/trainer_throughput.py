"""Benchmark: Trainer input pipeline + fit images/s vs a plain model.fit on in-memory arrays.

Usage: .venv/bin/python bench/trainer_throughput.py --pipeline-root outputs/pipelines/sentinel-demo
Uses the newest Transform output under the pipeline root (run `make run` first). Three timings
on the same model (trainer/model.py, demo hyper-parameters), 3 epochs each after one warm-up
epoch: (a) the Trainer's tf.data pipeline with augmentation, (b) the same without augmentation,
(c) model.fit on numpy arrays already in memory.
"""

import argparse
import glob
import json
import os
import time

os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import tensorflow_transform as tft  # noqa: E402
import tf_keras as keras  # noqa: E402
from tfx_bsl.public import tfxio  # noqa: E402

from trainer import data  # noqa: E402
from trainer import model as model_lib
from trainer.hparams import HParams  # noqa: E402
from transform import features as F  # noqa: E402


class _Accessor:
    """What TFX passes as fn_args.data_accessor for tf.Example payloads."""

    @staticmethod
    def tf_dataset_factory(file_pattern, options, schema):
        return tfxio.TFExampleRecord(file_pattern=file_pattern, schema=schema).TensorFlowDataset(
            options)


def _newest(pattern: str) -> str:
    return max(glob.glob(pattern), key=lambda p: int(os.path.basename(p)))


def _time_fit(model, ds, epochs: int, count: int) -> float:
    model.fit(ds, epochs=1, verbose=0)  # warm-up: tracing and the tf.data cache
    start = time.perf_counter()
    model.fit(ds, epochs=epochs, verbose=0)
    return count * epochs / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pipeline-root", default="outputs/pipelines/sentinel-demo")
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()
    examples = _newest(os.path.join(args.pipeline_root, "Transform", "transformed_examples", "*"))
    graph = _newest(os.path.join(args.pipeline_root, "Transform", "transform_graph", "*"))
    files = os.path.join(examples, "Split-train", "*")
    tft_out = tft.TFTransformOutput(graph)
    hp = HParams()
    plain = dict(hp.to_dict(), rotation_degrees=0.0, shift_fraction=0.0, horizontal_flip=False)
    xs, ys = [], []
    for feats, label in data.dataset(files, _Accessor, tft_out, HParams.from_dict(plain), False):
        xs.append(feats[F.IMAGE_XF].numpy())
        ys.append(label.numpy())
    x, y = np.concatenate(xs), np.concatenate(ys)
    results = {"train_images": int(len(x)), "batch_size": hp.batch_size}
    for name, ds in (
            ("trainer_pipeline_augmented", data.dataset(files, _Accessor, tft_out, hp, True)),
            ("trainer_pipeline_no_augmentation",
             data.dataset(files, _Accessor, tft_out, HParams.from_dict(plain), True)),
            ("plain_fit_in_memory", tf.data.Dataset.from_tensor_slices(
                ({F.IMAGE_XF: x}, y)).batch(hp.batch_size))):
        keras.utils.set_random_seed(hp.seed)
        model = model_lib.build_model(hp)
        model_lib.compile_model(model, hp)
        results[name + "_images_per_s"] = round(_time_fit(model, ds, args.epochs, len(x)), 1)
    base = results["plain_fit_in_memory_images_per_s"]
    for name in ("trainer_pipeline_augmented", "trainer_pipeline_no_augmentation"):
        results[name + "_ratio"] = round(results[name + "_images_per_s"] / base, 3)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
