"""Atomic, versioned push of a SavedModel directory into a TF Serving model root.

Called by the ModelPusher executor. Each version is reserved with an atomic mkdir (so two
pushes in the same second get distinct numbers), filled in a non-numeric staging directory that
TF Serving ignores, and renamed over the empty reservation in one step: a crash mid-copy leaves
only a staging directory and an empty version, never a loadable partial model. Existing versions
are never overwritten.
"""

from __future__ import annotations

import json
import os
import shutil
import time

STAGING_PREFIX = ".staging-"


class UnsafeDestinationError(ValueError):
    """The push destination escapes its root or is otherwise unsafe."""


def validate_destination(root: str, model_name: str) -> str:
    """Returns the real model directory under root, refusing traversal, NUL and symlink escapes."""
    for value in (root, model_name):
        if "\0" in value:
            raise UnsafeDestinationError(f"NUL byte in push destination {value!r}")
    if not model_name or model_name in (".", "..") or "/" in model_name or "\\" in model_name:
        raise UnsafeDestinationError(f"model name {model_name!r} must be one path component")
    if ".." in root.split("/"):
        raise UnsafeDestinationError(f"'..' in push root {root!r}")
    real_root = os.path.realpath(root)
    target = os.path.realpath(os.path.join(real_root, model_name))
    if os.path.dirname(target) != real_root:
        raise UnsafeDestinationError(f"{model_name!r} resolves outside {real_root} ({target})")
    return target


def versions(model_dir: str) -> list[int]:
    """Numeric version directories present (loadable or reserved), sorted."""
    if not os.path.isdir(model_dir):
        return []
    return sorted(int(n) for n in os.listdir(model_dir) if n.isdigit())


def loadable_versions(model_dir: str) -> list[int]:
    """Versions holding a complete SavedModel."""
    return [v for v in versions(model_dir)
            if os.path.exists(os.path.join(model_dir, str(v), "saved_model.pb"))]


def _reserve(model_dir: str) -> int:
    version = max([int(time.time())] + [v + 1 for v in versions(model_dir)])
    while True:
        try:
            os.mkdir(os.path.join(model_dir, str(version)))
            return version
        except FileExistsError:
            version += 1


SOURCE_FILE = os.path.join("assets.extra", "source.json")


def push(src: str, model_dir: str, record: dict, copy=shutil.copytree) -> tuple[int, str]:
    """Copies the SavedModel at src into model_dir/<new version>, with `record` (where the
    model came from) as assets.extra/source.json; returns (version, path)."""
    os.makedirs(model_dir, exist_ok=True)
    version = _reserve(model_dir)
    final = os.path.join(model_dir, str(version))
    staging = os.path.join(model_dir, f"{STAGING_PREFIX}{version}-{os.getpid()}")
    try:
        copy(src, staging)
        os.makedirs(os.path.join(staging, "assets.extra"), exist_ok=True)
        with open(os.path.join(staging, SOURCE_FILE), "w") as handle:
            json.dump({**record, "version": version}, handle, indent=1, sort_keys=True)
        os.rename(staging, final)  # replaces the empty reservation atomically
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        os.rmdir(final)
        raise
    return version, final


def retain(model_dir: str, keep: int) -> list[int]:
    """Deletes the oldest complete versions beyond `keep`; returns the deleted ones. The newest
    version (the one in service) is never deleted, whatever `keep` says."""
    loadable = loadable_versions(model_dir)
    doomed = loadable[:-max(1, keep)] if keep > 0 else []
    for version in doomed:
        # Rename out of the numeric namespace first, so TF Serving never sees a half-deleted
        # version, then delete.
        trash = os.path.join(model_dir, f"{STAGING_PREFIX}deleting-{version}")
        os.rename(os.path.join(model_dir, str(version)), trash)
        shutil.rmtree(trash)
    return doomed
