"""ImageExampleGen executor: files → tf.Examples (train/eval) + a quarantine report, with Beam.

Run by TFX for the `ImageExampleGen` component. It selects spans itself (Kubeflow runs no
driver) and makes two passes in one Beam pipeline:
  1. hash every still image (small records: sha256, label, path) and group by hash, to find the
     same bytes under two labels (conflict) or twice under one (duplicate);
  2. read and canonicalise each file once, skipping what pass 1 set aside, and stream examples
     straight to TFRecords, split by a hash of the clip/burst group.
Only the small pass-1 records are grouped, so memory does not grow with image bytes. After the
pipeline, the report is written and `ingest_limits.check` fails the run if a limit is crossed.
"""

from __future__ import annotations

import hashlib
import json
import os

import apache_beam as beam
import tensorflow as tf
from tfx.components.util import examples_utils
from tfx.dsl.components.base import base_beam_executor
from tfx.proto import example_gen_pb2
from tfx.types import artifact_utils

from components.image_example_gen import ingest_limits, layout, records
from components.image_example_gen.settings import IngestSettings

SPLITS = ("train", "eval")


def _split_of(group: str, settings: IngestSettings) -> int:
    bucket = int(hashlib.sha256(group.encode()).hexdigest()[:12], 16) % 100
    return 1 if bucket < settings.eval_percent else 0


def _content_key(f: layout.InputFile, settings: IngestSettings):
    """Pass 1: (sha256, (label, relpath, size)) of a still image in a configured class."""
    if f.is_video or f.label_folder not in settings.classes or not 0 < f.size <= \
            settings.max_file_bytes:
        return
    with open(f.path, "rb") as handle:
        yield hashlib.sha256(handle.read()).hexdigest(), (f.label_folder, f.relpath, f.size)


def _set_aside(item):
    """Same bytes under two labels → every copy quarantined; under one label → first kept."""
    sha, copies = item
    copies = sorted(copies, key=lambda c: c[1])  # by relpath: deterministic
    labels = sorted({c[0] for c in copies})
    if len(labels) > 1:
        for _, relpath, size in copies:
            yield relpath, ("quarantine", records.quarantine_record(
                relpath, None, size, "label_conflict", f"same bytes labelled {labels}", sha))
    else:
        for _, relpath, _ in copies[1:]:
            yield relpath, ("duplicate", relpath, copies[0][1])


def _process(f: layout.InputFile, settings: IngestSettings, aside: dict):
    """Pass 2: the outputs of one file (see records.py)."""
    if f.relpath in aside:
        yield aside[f.relpath]
        return
    if f.label_folder not in settings.classes:
        label = settings.classes_lower.get(f.label_folder.lower())
        detail = (f"case variant of {label!r}" if label else
                  f"{f.label_folder!r} is not in the class list")
        yield ("quarantine", records.quarantine_record(f.relpath, None, f.size,
                                                       "unknown_class", detail,
                                                       records.file_sha256(f.path)))
    elif f.is_video:
        yield from records.video_outputs(f, f.label_folder, settings.video_fps,
                                         settings.max_pixels, settings.night_luma_threshold)
    else:
        yield from records.image_outputs(f, f.label_folder, settings.max_file_bytes,
                                         settings.max_pixels, settings.night_luma_threshold)


def _write_json(path: str):
    def write(values):
        with tf.io.gfile.GFile(path, "w") as handle:
            json.dump(sorted(values, key=json.dumps), handle, indent=1, sort_keys=True)
    return write


def _count(pcoll, name: str, key_fn, path: str) -> None:
    (pcoll | f"Key{name}" >> beam.Map(key_fn)
     | f"Count{name}" >> beam.combiners.Count.PerElement()
     | f"List{name}" >> beam.combiners.ToList()
     | f"Write{name}" >> beam.Map(_write_json(path)))


class Executor(base_beam_executor.BaseBeamExecutor):
    """Beam executor of ImageExampleGen."""

    def Do(self, input_dict, output_dict, exec_properties) -> None:
        settings = IngestSettings.from_json(exec_properties["ingest_config"])
        examples = artifact_utils.get_single_instance(output_dict["examples"])
        report = artifact_utils.get_single_instance(output_dict["quarantine"])
        root = exec_properties["input_base"]
        spans, files, misplaced = layout.list_inputs(root, settings.classes, settings.span_range,
                                                     settings.span_window)
        ingest_limits.check_input_present(root, spans, files)
        work = os.path.join(report.uri, "work")
        tf.io.gfile.makedirs(work)
        self._run_beam(files, settings, examples.uri, work)
        summary = ingest_limits.summarise(work, files, misplaced, settings, spans)
        summary["span_files"] = ingest_limits.span_files(root, spans)
        tf.io.gfile.rmtree(work)
        ingest_limits.write_report(report.uri, summary)
        examples.split_names = artifact_utils.encode_split_names(list(SPLITS))
        examples.span = spans[-1]
        examples.version = 0
        examples_utils.set_payload_format(examples, example_gen_pb2.FORMAT_TF_EXAMPLE)
        report.set_string_custom_property("counts", json.dumps(summary["counts"]))
        ingest_limits.check(summary, settings)

    def _run_beam(self, files, settings, examples_uri: str, work: str) -> None:
        with self._make_beam_pipeline() as p:
            inputs = p | "Files" >> beam.Create(files, reshuffle=True)
            aside = (inputs | "Hash" >> beam.FlatMap(_content_key, settings)
                     | "GroupByContent" >> beam.GroupByKey()
                     | "SetAside" >> beam.FlatMap(_set_aside))
            outputs = inputs | "Read" >> beam.FlatMap(_process, settings,
                                                      beam.pvalue.AsDict(aside))
            kept = outputs | "Examples" >> beam.Filter(lambda o: o[0] == "example")
            splits = kept | "Split" >> beam.Partition(
                lambda o, n: _split_of(o[1], settings), len(SPLITS))
            for index, name in enumerate(SPLITS):
                (splits[index] | f"Serialize{name}" >> beam.Map(lambda o: o[4])
                 | f"Write{name}" >> beam.io.WriteToTFRecord(
                     os.path.join(examples_uri, f"Split-{name}", "data_tfrecord"),
                     file_name_suffix=".gz"))
                _count(splits[index], f"Labels{name}", lambda o: o[2],
                       f"{work}/count-{name}.json")
            for tag in ("quarantine", "duplicate", "bad_frames"):
                (outputs | f"Is{tag}" >> beam.Filter(lambda o, t: o[0] == t, tag)
                 | f"List{tag}" >> beam.combiners.ToList()
                 | f"Write{tag}" >> beam.Map(_write_json(f"{work}/{tag}.json")))
