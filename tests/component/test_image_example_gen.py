"""ImageExampleGen executor on generated mini data: examples, quarantine report, limits."""

import json
import os

import av
import numpy as np
import pytest
import tensorflow as tf
from tfx.types import artifact_utils, standard_artifacts

from components.image_example_gen import executor, ingest_limits
from components.image_example_gen.component import QuarantineReport
from components.image_example_gen.settings import IngestSettings
from tests import images

CLASSES = ("person", "vehicle")


def _write(root, rel, data):
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _clean_set(root, per_class=6, span=1):
    for label_i, label in enumerate(CLASSES):
        for i in range(per_class):
            _write(root, f"span-{span}/cam/{label}/{label}_{i}.jpg",
                   images.jpeg(seed=1000 * span + 100 * label_i + i))


def _run(tmp_path, data_root, **settings):
    cfg = IngestSettings(classes=CLASSES, min_examples_per_class=2, **settings)
    examples, report = standard_artifacts.Examples(), QuarantineReport()
    examples.uri, report.uri = str(tmp_path / "examples"), str(tmp_path / "report")
    os.makedirs(report.uri, exist_ok=True)
    executor.Executor().Do({}, {"examples": [examples], "quarantine": [report]},
                           {"input_base": str(data_root), "ingest_config": cfg.to_json()})
    return examples, json.load(open(os.path.join(report.uri, ingest_limits.REPORT_FILE)))


def _read(examples, split):
    files = tf.io.gfile.glob(os.path.join(examples.uri, f"Split-{split}", "*.gz"))
    out = []
    for record in tf.data.TFRecordDataset(files, compression_type="GZIP"):
        ex = tf.train.Example.FromString(record.numpy())
        out.append({k: (v.bytes_list.value or v.int64_list.value)[0]
                    for k, v in ex.features.feature.items()})
    return out


def test_bad_files_are_quarantined_with_sha_and_nothing_is_deleted(tmp_path):
    data = tmp_path / "data"
    _clean_set(data, per_class=20)
    bad = {"span-1/cam/person/empty.jpg": b"",
           "span-1/cam/person/cut.jpg": images.jpeg()[:300],
           "span-1/cam/person/notes.txt": b"not an image",
           "span-1/cam/person/tiff.png": images.encode(images.rgb(), "TIFF"),
           "span-1/cam/person/bomb.png": images.png_header_only(15000, 15000)}
    for rel, blob in bad.items():
        _write(data, rel, blob)
    _write(data, "span-1/stray.jpg", images.jpeg(seed=999))
    examples, report = _run(tmp_path, data, max_bad_fraction=0.5)
    reasons = {r["path"]: r["reason"] for r in report["quarantined"]}
    assert reasons == {"span-1/cam/person/empty.jpg": "empty",
                       "span-1/cam/person/cut.jpg": "truncated",
                       "span-1/cam/person/notes.txt": "not_an_image",
                       "span-1/cam/person/tiff.png": "unsupported_format",
                       "span-1/cam/person/bomb.png": "too_many_pixels",
                       "span-1/stray.jpg": "no_class_folder"}
    assert all(len(r["sha256"]) == 64 for r in report["quarantined"])
    assert all((data / rel).exists() for rel in bad)
    rows = _read(examples, "train") + _read(examples, "eval")
    assert len(rows) == 40 and report["counts"]["examples_per_class"] == {"person": 20,
                                                                          "vehicle": 20}
    assert {r["camera_id"] for r in rows} == {b"cam"}
    assert artifact_utils.decode_split_names(examples.split_names) == ["train", "eval"]


def test_too_many_bad_files_fail_the_run_with_counts_and_paths(tmp_path):
    data = tmp_path / "data"
    _clean_set(data)
    for i in range(4):
        _write(data, f"span-1/cam/person/zero{i}.jpg", b"")
    with pytest.raises(ingest_limits.IngestionError, match=r"4 of 16 files.*'empty': 4.*zero0"):
        _run(tmp_path, data, max_bad_fraction=0.1)


def test_unknown_and_case_variant_class_folders(tmp_path):
    data = tmp_path / "data"
    _clean_set(data)
    _write(data, "span-1/cam/Person/a.jpg", images.jpeg(seed=50))
    _write(data, "span-1/cam/bicycle/b.jpg", images.jpeg(seed=51))
    with pytest.raises(ingest_limits.IngestionError, match="strict"):
        _run(tmp_path, data)
    _, report = _run(tmp_path / "lenient", data, strict_classes=False)
    details = {r["path"]: r["detail"] for r in report["quarantined"]}
    assert "case variant of 'person'" in details["span-1/cam/Person/a.jpg"]
    assert report["counts"]["examples_per_class"]["person"] == 6  # never silently merged


def test_same_bytes_under_two_labels_is_a_conflict(tmp_path):
    data = tmp_path / "data"
    _clean_set(data)
    blob = images.jpeg(seed=77)
    _write(data, "span-1/cam/person/dup.jpg", blob)
    _write(data, "span-1/cam/vehicle/dup.jpg", blob)
    _, report = _run(tmp_path, data, max_bad_fraction=0.5)
    conflicts = sorted(r["path"] for r in report["quarantined"] if r["reason"] == "label_conflict")
    assert conflicts == ["span-1/cam/person/dup.jpg", "span-1/cam/vehicle/dup.jpg"]


def test_class_below_minimum_and_empty_input_fail(tmp_path):
    data = tmp_path / "data"
    _clean_set(data, per_class=1)
    with pytest.raises(ingest_limits.IngestionError, match="below 2 examples"):
        _run(tmp_path, data)
    (tmp_path / "empty").mkdir()
    with pytest.raises(ingest_limits.IngestionError, match="has no files"):
        _run(tmp_path / "e", tmp_path / "empty")
    with pytest.raises(FileNotFoundError):
        _run(tmp_path / "m", tmp_path / "missing")


def _clip(path, frames=10, fps=5, corrupt=()):
    """An MJPEG .avi clip; frames listed in `corrupt` get their JPEG data overwritten."""
    with av.open(str(path), "w") as container:
        stream = container.add_stream("mjpeg", rate=fps)
        stream.width, stream.height, stream.pix_fmt = 32, 24, "yuvj420p"
        for i in range(frames):
            frame = av.VideoFrame.from_ndarray(np.full((24, 32, 3), 20 * i, np.uint8), "rgb24")
            container.mux(stream.encode(frame))
        container.mux(stream.encode())
    blob = bytearray(path.read_bytes())
    starts = [i for i in range(len(blob) - 2) if blob[i:i + 3] == b"\xff\xd8\xff"]
    for k in corrupt:  # the whole JPEG of that frame: FFmpeg repairs partial damage
        end = blob.index(b"\xff\xd9", starts[k]) + 2
        blob[starts[k]:end] = b"\x13" * (end - starts[k])
    path.write_bytes(bytes(blob))


def test_video_frames_are_sampled_with_clip_metadata_and_one_split(tmp_path):
    data = tmp_path / "data"
    _clean_set(data)
    (data / "span-1/cam/person").mkdir(parents=True, exist_ok=True)
    _clip(data / "span-1/cam/person/walk.avi", frames=10, fps=5)
    examples, report = _run(tmp_path, data, video_fps=1.0)
    train, eval_ = _read(examples, "train"), _read(examples, "eval")
    frames = [r for r in train + eval_ if r["source"] == b"video"]
    assert sorted(r["frame_index"] for r in frames) == [0, 5]
    assert {r["clip_id"] for r in frames} == {b"cam/walk"}
    in_train = [r for r in train if r["source"] == b"video"]
    assert len(in_train) in (0, 2)  # the whole clip on one side of the split
    assert report["counts"]["examples_per_class"]["person"] == 8


def test_unreadable_video_is_quarantined(tmp_path):
    data = tmp_path / "data"
    _clean_set(data)
    _write(data, "span-1/cam/person/broken.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x13" * 500)
    _, report = _run(tmp_path, data, max_bad_fraction=0.5)
    assert [r["reason"] for r in report["quarantined"]] == ["unreadable_video"]


def test_video_with_unreadable_frames_keeps_the_readable_ones(tmp_path):
    data = tmp_path / "data"
    _clean_set(data)
    (data / "span-1/cam/person").mkdir(parents=True, exist_ok=True)
    _clip(data / "span-1/cam/person/glitch.avi", frames=10, fps=5, corrupt=(3, 4, 5))
    examples, report = _run(tmp_path, data, video_fps=5.0)
    frames = [r for r in _read(examples, "train") + _read(examples, "eval")
              if r["source"] == b"video"]
    assert sorted(r["frame_index"] for r in frames) == [0, 1, 2, 6, 7, 8, 9]
    assert report["bad_frames"] == [{"path": "span-1/cam/person/glitch.avi", "count": 3}]
    assert report["counts"]["bad_video_frames"] == 3


def test_driver_fingerprint_changes_when_a_file_is_relabelled_by_moving(tmp_path):
    from tfx.orchestration.portable import data_types

    from components.image_example_gen.driver import FingerprintDriver

    data = tmp_path / "data"
    _clean_set(data)
    props = {"input_base": str(data),
             "ingest_config": IngestSettings(classes=CLASSES).to_json()}

    def fingerprint():
        info = data_types.ExecutionInfo(exec_properties=dict(props))
        out = FingerprintDriver(None).run(info)
        return out.exec_properties["input_fingerprint"].string_value

    before = fingerprint()
    assert fingerprint() == before
    src = data / "span-1/cam/person/person_0.jpg"
    stat = src.stat()
    dst = data / "span-1/cam/vehicle/person_0.jpg"
    os.rename(src, dst)
    os.utime(dst, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert fingerprint() != before


def test_report_records_files_per_label_of_newest_and_previous_span(tmp_path):
    data = tmp_path / "data"
    _clean_set(data, per_class=3, span=1)
    _clean_set(data, per_class=5, span=2)
    _, report = _run(tmp_path, data)
    assert report["spans"] == [2]
    assert report["span_files"] == {"1": {"person": 3, "vehicle": 3},
                                    "2": {"person": 5, "vehicle": 5}}


def test_huge_file_is_rejected_from_stat_before_reading(tmp_path):
    data = tmp_path / "data"
    _clean_set(data, per_class=20)
    _write(data, "span-1/cam/person/huge.jpg", images.jpeg() + b"\0" * 600_000)
    _, report = _run(tmp_path, data, max_file_bytes=500_000)
    rows = [r for r in report["quarantined"] if r["reason"] == "too_large"]
    assert [r["path"] for r in rows] == ["span-1/cam/person/huge.jpg"]
    assert len(rows[0]["sha256"]) == 64  # hashed in chunks, never decoded
