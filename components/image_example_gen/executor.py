"""ImageExampleGen executor: files → tf.Examples (train/eval) + a quarantine report, with Beam.

Run by TFX for the `ImageExampleGen` component. It selects spans itself (Kubeflow runs no
driver), reads each file once inside Beam (memory stays bounded by the worker, not the data
set), splits by a hash of the clip/burst group, and fails the run, after writing the report,
when a systemic limit is crossed (see `ingest_limits.check`).
"""

from __future__ import annotations

import hashlib
import json
import os

import apache_beam as beam
import tensorflow as tf
from tfx import types
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


def _process(f: layout.InputFile, settings: IngestSettings):
    label = settings.classes_lower.get(f.label_folder.lower())
    if f.label_folder not in settings.classes:
        detail = (f"case variant of {label!r}" if label else
                  f"{f.label_folder!r} is not in the class list")
        yield ("quarantine", records.quarantine_record(f.relpath, None, f.size,
                                                       "unknown_class", detail))
        return
    label = f.label_folder
    if f.is_video:
        yield from records.video_outputs(f, label, settings.video_fps, settings.max_pixels,
                                         settings.night_luma_threshold)
    else:
        yield from records.image_outputs(f, label, settings.max_file_bytes,
                                         settings.max_pixels, settings.night_luma_threshold)


def _resolve_content(item):
    """Same bytes under two labels → all copies quarantined; same label → first kept."""
    _, copies = item
    copies = sorted(copies, key=lambda c: c[2])  # by relpath: deterministic
    labels = {c[1] for c in copies}
    if len(labels) > 1:
        for group, label, relpath, _ in copies:
            yield ("quarantine", records.quarantine_record(
                relpath, None, 0, "label_conflict", f"same bytes labelled {sorted(labels)}"))
        return
    yield ("example",) + tuple(copies[0])
    for _, _, relpath, _ in copies[1:]:
        yield ("duplicate", relpath, copies[0][2])


def _write_json(path: str):
    def write(values):
        with tf.io.gfile.GFile(path, "w") as handle:
            json.dump(sorted(values, key=json.dumps), handle, indent=1, sort_keys=True)
    return write


class Executor(base_beam_executor.BaseBeamExecutor):
    """Beam executor of ImageExampleGen."""

    def Do(self, input_dict, output_dict, exec_properties) -> None:
        settings = IngestSettings.from_json(exec_properties["ingest_config"])
        examples = artifact_utils.get_single_instance(output_dict["examples"])
        report = artifact_utils.get_single_instance(output_dict["quarantine"])
        spans, files, misplaced = layout.list_inputs(
            exec_properties["input_base"], settings.classes, settings.span_range,
                settings.span_window)
        ingest_limits.check_input_present(exec_properties["input_base"], spans, files)
        work = os.path.join(report.uri, "work")
        tf.io.gfile.makedirs(work)
        self._run_beam(files, settings, examples.uri, work)
        summary = ingest_limits.summarise(work, files, misplaced, settings, spans)
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
            outputs = (p | "Files" >> beam.Create(files, reshuffle=True)
                       | "Read" >> beam.FlatMap(_process, settings))
            contents = (outputs | "Examples" >> beam.Filter(lambda o: o[0] == "example")
                        | "ByContent" >> beam.Map(lambda o: (o[1], o[2:]))
                        | "Group" >> beam.GroupByKey()
                        | "Resolve" >> beam.FlatMap(_resolve_content))
            kept = contents | "Kept" >> beam.Filter(lambda o: o[0] == "example")
            splits = kept | "Split" >> beam.Partition(
                lambda o, n: _split_of(o[1], settings), len(SPLITS))
            for index, name in enumerate(SPLITS):
                (splits[index] | f"Serialize{name}" >> beam.Map(lambda o: o[4])
                 | f"Write{name}" >> beam.io.WriteToTFRecord(
                     os.path.join(examples_uri, f"Split-{name}", "data_tfrecord"),
                     file_name_suffix=".gz"))
                (splits[index] | f"Labels{name}" >> beam.Map(lambda o: o[2])
                 | f"Count{name}" >> beam.combiners.Count.PerElement()
                 | f"CountList{name}" >> beam.combiners.ToList()
                 | f"CountWrite{name}" >> beam.Map(_write_json(f"{work}/count-{name}.json")))
            for tag in ("quarantine", "duplicate", "bad_frames"):
                merged = ((outputs, contents) | f"Flatten{tag}" >> beam.Flatten()
                          | f"Is{tag}" >> beam.Filter(lambda o, t: o[0] == t, tag))
                (merged | f"List{tag}" >> beam.combiners.ToList()
                 | f"Write{tag}" >> beam.Map(_write_json(f"{work}/{tag}.json")))
