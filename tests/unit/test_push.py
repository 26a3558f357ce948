"""Atomic, versioned push and destination validation (RELIABILITY "Push and serving")."""

import os
import shutil

import pytest

from components.model_pusher import push


@pytest.fixture
def model(tmp_path):
    src = tmp_path / "model"
    (src / "variables").mkdir(parents=True)
    (src / "saved_model.pb").write_bytes(b"graph")
    (src / "variables" / "variables.index").write_bytes(b"index")
    return str(src)


def test_two_pushes_in_the_same_second_get_distinct_versions(model, tmp_path, monkeypatch):
    monkeypatch.setattr(push.time, "time", lambda: 1_700_000_000.0)
    dest = str(tmp_path / "serving" / "m")
    v1, _ = push.push(model, dest, {"model_uri": "a"})
    v2, _ = push.push(model, dest, {"model_uri": "b"})
    assert v1 != v2 and v2 == v1 + 1
    assert push.loadable_versions(dest) == [v1, v2]


def test_existing_version_is_never_overwritten(model, tmp_path, monkeypatch):
    dest = tmp_path / "m"
    (dest / "1700000000").mkdir(parents=True)
    (dest / "1700000000" / "saved_model.pb").write_bytes(b"old")
    monkeypatch.setattr(push.time, "time", lambda: 1_700_000_000.0)
    version, _ = push.push(model, str(dest), {})
    assert version == 1_700_000_001
    assert (dest / "1700000000" / "saved_model.pb").read_bytes() == b"old"


def test_crash_mid_copy_leaves_no_loadable_partial_version(model, tmp_path):
    dest = str(tmp_path / "m")

    def crashing_copy(src, dst):
        os.makedirs(dst)
        shutil.copy(os.path.join(src, "saved_model.pb"), dst)
        raise KeyboardInterrupt("killed mid-copy")

    with pytest.raises(KeyboardInterrupt):
        push.push(model, dest, {}, copy=crashing_copy)
    assert push.loadable_versions(dest) == []
    assert push.versions(dest) == []
    assert not [n for n in os.listdir(dest) if n.startswith(push.STAGING_PREFIX)]


def test_push_writes_its_source_record(model, tmp_path):
    version, path = push.push(model, str(tmp_path / "m"), {"model_uri": "/x/model/7"})
    record = open(os.path.join(path, push.SOURCE_FILE)).read()
    assert '"model_uri": "/x/model/7"' in record and str(version) in record


@pytest.mark.parametrize("root,name", [
    ("{tmp}/serving", ".."),
    ("{tmp}/serving", "a/../../etc"),
    ("{tmp}/serving", "/etc"),
    ("{tmp}/serving/../escape", "m"),
    ("{tmp}/serving", "m\0x"),
    ("{tmp}/ser\0ving", "m"),
    ("{tmp}/serving", ""),
])
def test_unsafe_destinations_are_refused_before_writing(tmp_path, root, name):
    root = root.format(tmp=tmp_path)
    with pytest.raises(push.UnsafeDestinationError):
        push.validate_destination(root, name)
    assert not (tmp_path / "escape").exists()


def test_symlink_out_of_the_root_is_refused(tmp_path):
    (tmp_path / "serving").mkdir()
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", tmp_path / "serving" / "m")
    with pytest.raises(push.UnsafeDestinationError):
        push.validate_destination(str(tmp_path / "serving"), "m")


def test_safe_destination_is_accepted(tmp_path):
    assert push.validate_destination(str(tmp_path / "serving"), "m") == str(
        tmp_path / "serving" / "m")


def test_retention_keeps_the_newest_versions_and_never_the_one_in_service(model, tmp_path):
    dest = str(tmp_path / "m")
    pushed = [push.push(model, dest, {})[0] for _ in range(4)]
    assert push.retain(dest, 2) == pushed[:2]
    assert push.loadable_versions(dest) == pushed[2:]
    assert push.retain(dest, 0) == []  # 0 keeps everything
    assert push.retain(dest, 1) == [pushed[2]]
    assert push.loadable_versions(dest) == [pushed[3]]
    assert not [n for n in os.listdir(dest) if n.startswith(push.STAGING_PREFIX)]
