"""MetricReview: the human-readable outcome of every run (review.html + review.md).

Wired last in pipeline/pipeline.py. Inputs: the evaluation and blessing, the model and its
training run (curves, export check), the baseline, the push record and the quarantine report.
`sentinel review` prints the newest review's Markdown and the path of its HTML.
"""

import json
import os

from tfx import types
from tfx.dsl.components.base import base_component, base_executor, executor_spec
from tfx.types import artifact_utils, standard_artifacts
from tfx.types.component_spec import ChannelParameter, ComponentSpec, ExecutionParameter
from tfx.utils import path_utils

from components.evaluator.component import REASON
from components.image_example_gen import ingest_limits
from components.image_example_gen.component import QuarantineReport
from components.metric_review import collect, render

HTML_FILE, MARKDOWN_FILE = "review.html", "review.md"


class MetricReviewReport(types.Artifact):
    """review.html (self-contained) and review.md."""

    TYPE_NAME = "sentinel.MetricReview"


def _one(input_dict, key):
    items = input_dict.get(key) or []
    return items[0] if items else None


def _describe_push(pushed) -> str:
    if pushed is None:
        return "No push record."
    if pushed.get_int_custom_property("pushed") == 1:
        return (f"Pushed as version {pushed.get_int_custom_property('pushed_version')}: "
                f"{pushed.get_string_custom_property('pushed_destination')}")
    already = pushed.get_int_custom_property("already_serving_version")
    return f"Already serving as version {already}." if already else "Not pushed."


def _describe_baseline(baseline) -> str:
    if baseline is None or baseline.get_int_custom_property("no_model") == 1:
        return "none (no model in service): value thresholds only"
    return (f"version {baseline.get_int_custom_property('serving_version')} "
            f"({baseline.get_string_custom_property('serving_path')})")


class Executor(base_executor.BaseExecutor):
    def Do(self, input_dict, output_dict, exec_properties) -> None:
        classes = json.loads(exec_properties["classes"])
        evaluation = artifact_utils.get_single_instance(input_dict["evaluation"])
        model = artifact_utils.get_single_instance(input_dict["model"])
        run = _one(input_dict, "model_run")
        quarantine = _one(input_dict, "quarantine")
        blessing = artifact_utils.get_single_instance(input_dict["blessing"])
        ok, failed = collect.failures(evaluation.uri, classes)
        reason = blessing.get_string_custom_property(REASON)
        if reason:
            ok, failed = False, failed + [reason]
        matrix = collect.confusion_matrix(evaluation.uri, len(classes))
        review = {
            "blessed": blessing.get_int_custom_property("blessed") == 1,
            "failures": failed if not ok else [],
            "pushed": _describe_push(_one(input_dict, "pushed_model")),
            "baseline": _describe_baseline(_one(input_dict, "baseline_model")),
            "metrics": collect.metrics_by_slice(evaluation.uri, classes),
            "report": collect.classification_report(matrix, classes),
            "confusion_png": render.confusion_png(matrix, classes),
            "curves_png": render.curves_png(collect.training_curves(run.uri)) if run else None,
            "quarantine": collect.read_json(os.path.join(quarantine.uri, ingest_limits.REPORT_FILE))
            if quarantine else {},
            "export_check": collect.read_json(os.path.join(
                path_utils.serving_model_path(model.uri), "assets.extra", "export_check.json")),
        }
        out = artifact_utils.get_single_instance(output_dict["review"])
        for name, text in ((HTML_FILE, render.to_html(review)),
                           (MARKDOWN_FILE, render.to_markdown(review))):
            with open(os.path.join(out.uri, name), "w") as handle:
                handle.write(text)


class MetricReviewSpec(ComponentSpec):
    PARAMETERS = {"classes": ExecutionParameter(type=str)}
    INPUTS = {
        "evaluation": ChannelParameter(type=standard_artifacts.ModelEvaluation),
        "blessing": ChannelParameter(type=standard_artifacts.ModelBlessing),
        "model": ChannelParameter(type=standard_artifacts.Model),
        "model_run": ChannelParameter(type=standard_artifacts.ModelRun, optional=True),
        "baseline_model": ChannelParameter(type=standard_artifacts.Model, optional=True),
        "pushed_model": ChannelParameter(type=standard_artifacts.PushedModel, optional=True),
        "quarantine": ChannelParameter(type=QuarantineReport, optional=True),
    }
    OUTPUTS = {"review": ChannelParameter(type=MetricReviewReport)}


class MetricReview(base_component.BaseComponent):
    SPEC_CLASS = MetricReviewSpec
    EXECUTOR_SPEC = executor_spec.ExecutorClassSpec(Executor)

    def __init__(self, classes, **channels):
        super().__init__(MetricReviewSpec(classes=json.dumps(list(classes)),
                                          review=types.Channel(type=MetricReviewReport),
                                          **channels))
