"""ModelPusher executor: pushes a blessed model (SavedModel + its TFLite extras) atomically."""

from __future__ import annotations

import os
import time

from absl import logging
from tfx.dsl.components.base import base_executor
from tfx.types import artifact_utils
from tfx.utils import path_utils

from components.model_pusher import push
from components.serving_baseline import baseline


class Executor(base_executor.BaseExecutor):
    """Records pushed=0 when the blessing is missing or negative; never pushes unblessed.
    After a push, keeps the newest `keep_versions` versions (0: keep all)."""

    def Do(self, input_dict, output_dict, exec_properties) -> None:
        pushed = artifact_utils.get_single_instance(output_dict["pushed_model"])
        blessing = artifact_utils.get_single_instance(input_dict["model_blessing"])
        model = artifact_utils.get_single_instance(input_dict["model"])
        model_dir = push.validate_destination(exec_properties["serving_root"],
                                              exec_properties["model_name"])
        if blessing.get_int_custom_property("blessed") != 1:
            logging.info("Model %s is not blessed; nothing pushed.", model.uri)
            pushed.set_int_custom_property("pushed", 0)
            return
        serving = baseline.in_service(model_dir, None)
        if serving and baseline.source_of(serving[1]).get("model_uri") == model.uri:
            logging.info("Model %s already serves as version %s.", model.uri, serving[0])
            pushed.set_int_custom_property("pushed", 0)
            pushed.set_int_custom_property("already_serving_version", serving[0])
            return
        record = {"model_uri": model.uri, "model_id": model.id,
                  "blessing_uri": blessing.uri, "pushed_at": int(time.time())}
        version, path = push.push(path_utils.serving_model_path(model.uri), model_dir, record)
        logging.info("Pushed version %s to %s", version, path)
        pushed.set_int_custom_property("pushed", 1)
        pushed.set_string_custom_property("pushed_destination", path)
        pushed.set_int_custom_property("pushed_version", version)
        pushed.set_string_custom_property("pushed_model", os.path.basename(model.uri))
        deleted = push.retain(model_dir, int(exec_properties.get("keep_versions") or 0))
        if deleted:
            logging.info("Retention removed versions %s", deleted)
