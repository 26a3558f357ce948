"""Which pushed model is "the model in service" for a candidate (pure, shared by driver and
executor). The newest complete version wins, except a version pushed from the candidate itself
(a rerun must compare against what served before it, not against its own copy)."""

from __future__ import annotations

import json
import os

from components.model_pusher import push


def source_of(version_dir: str) -> dict:
    """The push record written by ModelPusher ({} for versions pushed by other tools)."""
    path = os.path.join(version_dir, push.SOURCE_FILE)
    if not os.path.exists(path):
        return {}
    with open(path) as handle:
        return json.load(handle)


def in_service(model_dir: str, candidate_uri: str | None) -> tuple[int, str] | None:
    """(version, path) of the baseline for `candidate_uri`, or None when there is none."""
    for version in reversed(push.loadable_versions(model_dir)):
        path = os.path.join(model_dir, str(version))
        if candidate_uri is None or source_of(path).get("model_uri") != candidate_uri:
            return version, path
    return None
