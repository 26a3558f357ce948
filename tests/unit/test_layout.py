"""The folder contract: spans, flat layouts, misplaced files, and the rename-aware fingerprint."""

import os

import pytest

from components.image_example_gen import layout

CLASSES = ("person", "vehicle")


def _touch(root, rel, data=b"x"):
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_latest_span_by_default_and_a_range_on_request(tmp_path):
    for span in (1, 2, 3):
        _touch(tmp_path, f"span-{span}/cam/person/a{span}.jpg")
    assert layout.list_inputs(str(tmp_path), CLASSES, None)[0] == [3]
    spans, files, _ = layout.list_inputs(str(tmp_path), CLASSES, (1, 2))
    assert spans == [1, 2]
    assert [f.relpath for f in files] == ["span-1/cam/person/a1.jpg", "span-2/cam/person/a2.jpg"]
    assert files[0].camera_id == "cam" and files[0].label_folder == "person"


def test_flat_label_folders_get_camera_unknown(tmp_path):
    _touch(tmp_path, "person/a.jpg")
    _touch(tmp_path, "vehicle/b.jpg")
    spans, files, misplaced = layout.list_inputs(str(tmp_path), CLASSES, None)
    assert spans == [0] and not misplaced
    assert {(f.camera_id, f.label_folder) for f in files} == {("unknown", "person"),
                                                              ("unknown", "vehicle")}


def test_camera_label_folders_without_spans(tmp_path):
    _touch(tmp_path, "door/person/a.jpg")
    _, files, _ = layout.list_inputs(str(tmp_path), CLASSES, None)
    assert (files[0].camera_id, files[0].label_folder, files[0].span) == ("door", "person", 0)


def test_file_outside_a_class_folder_is_misplaced(tmp_path):
    _touch(tmp_path, "span-1/cam/person/a.jpg")
    _touch(tmp_path, "span-1/stray.jpg")
    _touch(tmp_path, "span-1/cam/loose.jpg")
    _, files, misplaced = layout.list_inputs(str(tmp_path), CLASSES, None)
    assert [f.relpath for f in files] == ["span-1/cam/person/a.jpg"]
    assert sorted(m.relpath for m in misplaced) == ["span-1/cam/loose.jpg", "span-1/stray.jpg"]


def test_missing_root_raises(tmp_path):
    with pytest.raises(FileNotFoundError):
        layout.list_inputs(str(tmp_path / "nope"), CLASSES, None)


def test_fingerprint_changes_when_a_file_moves_between_labels(tmp_path):
    path = _touch(tmp_path, "span-1/cam/person/a.jpg")
    _touch(tmp_path, "span-1/cam/vehicle/b.jpg")
    before = layout.fingerprint(*layout.list_inputs(str(tmp_path), CLASSES, None)[1:])
    stat = path.stat()
    moved = tmp_path / "span-1/cam/vehicle/a.jpg"
    os.rename(path, moved)
    os.utime(moved, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size and mtime
    after = layout.fingerprint(*layout.list_inputs(str(tmp_path), CLASSES, None)[1:])
    assert before != after
    assert after == layout.fingerprint(*layout.list_inputs(str(tmp_path), CLASSES, None)[1:])


def test_manifest_sets_lighting_and_capture_time(tmp_path):
    _touch(tmp_path, "span-1/cam/person/a.jpg")
    _touch(tmp_path, "span-1/cam/person/b.jpg")
    (tmp_path / "span-1" / "manifest.csv").write_text(
        "path,lighting,capture_time\ncam/person/a.jpg,night,1700000000\ncam/person/b.jpg,,\n")
    _, files, misplaced = layout.list_inputs(str(tmp_path), CLASSES, None)
    assert not misplaced  # the manifest itself is not a stray file
    by_name = {f.relpath: f for f in files}
    assert by_name["span-1/cam/person/a.jpg"].lighting == "night"
    assert by_name["span-1/cam/person/a.jpg"].capture_time == 1700000000
    assert by_name["span-1/cam/person/b.jpg"].lighting is None


@pytest.mark.parametrize("text,match", [
    ("file,lighting\nx,day\n", "needs a 'path' column"),
    ("path,lighting\ncam/person/a.jpg,dusk\n", "manifest.csv:2: lighting 'dusk'"),
    ("path,capture_time\ncam/person/a.jpg,yesterday\n", "not integer epoch seconds"),
])
def test_malformed_manifest_is_a_clear_error(tmp_path, text, match):
    _touch(tmp_path, "span-1/cam/person/a.jpg")
    (tmp_path / "span-1" / "manifest.csv").write_text(text)
    with pytest.raises(layout.ManifestError, match=match):
        layout.list_inputs(str(tmp_path), CLASSES, None)


def test_span_window_reads_the_newest_spans(tmp_path):
    for span in (1, 2, 3, 10):
        _touch(tmp_path, f"span-{span}/cam/person/a{span}.jpg")
    assert layout.list_inputs(str(tmp_path), CLASSES, None, window=2)[0] == [3, 10]
    assert layout.count_by_label(str(tmp_path), 10) == {"person": 1}


def test_file_at_the_data_root_beside_spans_is_misplaced(tmp_path):
    _touch(tmp_path, "span-1/cam/person/a.jpg")
    _touch(tmp_path, "notes.txt")
    _, files, misplaced = layout.list_inputs(str(tmp_path), CLASSES, None)
    assert [m.relpath for m in misplaced] == ["notes.txt"]
