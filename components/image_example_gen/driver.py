"""Local-orchestrator driver of ImageExampleGen: fingerprints the selected input files.

TFX's FileBasedExampleGen fingerprints file count, sizes and mtimes but not names, so moving
person/a.jpg to vehicle/a.jpg looks unchanged and the stale cache is reused. This driver puts a
digest of every selected file's relative path, size and mtime (layout.fingerprint) into the
`input_fingerprint` execution property, which is part of the cache key. Kubeflow runs no
driver; there the executor selects the spans itself.
"""

from tfx.dsl.components.base import base_driver as legacy_driver
from tfx.orchestration.portable import base_driver
from tfx.proto.orchestration import driver_output_pb2

from components.image_example_gen import layout
from components.image_example_gen.settings import IngestSettings


class FingerprintDriver(legacy_driver.BaseDriver, base_driver.BaseDriver):
    """Sets exec property `input_fingerprint` from the files the executor will read.

    Also a legacy (dsl) driver only because BaseComponent insists on that base class; the
    portable orchestrator calls `run`.
    """

    def __init__(self, metadata_handle):
        legacy_driver.BaseDriver.__init__(self, metadata_handle)
        base_driver.BaseDriver.__init__(self, metadata_handle)

    def run(self, execution_info) -> driver_output_pb2.DriverOutput:
        props = execution_info.exec_properties
        settings = IngestSettings.from_json(props["ingest_config"])
        output = driver_output_pb2.DriverOutput()
        try:
            spans, files, misplaced = layout.list_inputs(
                props["input_base"], settings.classes, settings.span_range,
                settings.span_window)
            digest = f"spans={spans};{layout.fingerprint(files, misplaced)}"
        except FileNotFoundError as err:
            digest = f"missing:{err}"  # the executor fails with the clear message
        output.exec_properties["input_fingerprint"].string_value = digest
        return output
