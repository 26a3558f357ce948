"""ModelPusher: replaces TFX's Pusher (non-atomic copy, same-second collisions, no destination
check). Inputs: model, model_blessing; output: PushedModel with pushed/pushed_version."""

from tfx import types
from tfx.dsl.components.base import base_component, executor_spec
from tfx.types import standard_artifacts
from tfx.types.component_spec import ChannelParameter, ComponentSpec, ExecutionParameter

from components.model_pusher import executor


class ModelPusherSpec(ComponentSpec):
    PARAMETERS = {"serving_root": ExecutionParameter(type=str),
                  "model_name": ExecutionParameter(type=str),
                  "keep_versions": ExecutionParameter(type=int)}
    INPUTS = {"model": ChannelParameter(type=standard_artifacts.Model),
              "model_blessing": ChannelParameter(type=standard_artifacts.ModelBlessing)}
    OUTPUTS = {"pushed_model": ChannelParameter(type=standard_artifacts.PushedModel)}


class ModelPusher(base_component.BaseComponent):
    """Pushes only blessed models (see push.py for the guarantees)."""

    SPEC_CLASS = ModelPusherSpec
    EXECUTOR_SPEC = executor_spec.ExecutorClassSpec(executor.Executor)

    def __init__(self, model: types.Channel, model_blessing: types.Channel, serving_root: str,
                 model_name: str, keep_versions: int = 0):
        super().__init__(ModelPusherSpec(
            model=model, model_blessing=model_blessing, serving_root=serving_root,
            model_name=model_name, keep_versions=keep_versions,
            pushed_model=types.Channel(type=standard_artifacts.PushedModel)))
