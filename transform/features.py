"""The feature contract: the one place that names every feature key.

Ingestion writes these keys, the checked-in schema declares them, Transform reads them, the
Trainer and Evaluator consume the transformed keys, and the review slices by them.
"""

IMAGE = "image"              # encoded bytes (JPEG as captured, otherwise canonical PNG)
LABEL = "label"              # class name, one of the configured ordered class list
CAMERA_ID = "camera_id"
LIGHTING = "lighting"        # "day" / "night"
SOURCE = "source"            # "image" / "video"
CLIP_ID = "clip_id"          # split group: near-identical frames share it
FRAME_INDEX = "frame_index"  # 0 for still images
CAPTURE_TIME = "capture_time"  # seconds since the epoch (file mtime, or clip start + offset)
WIDTH = "width"
HEIGHT = "height"
SOURCE_PATH = "source_path"  # path relative to the data root, for audits and the review

# Transformed (model input) keys.
IMAGE_XF = "image_xf"        # float32 [H, W, 3], per-channel z-scored
LABEL_XF = "label_xf"        # int64 class index
PIXEL_MEAN_XF = "pixel_mean_xf"  # float32 [3] full-pass per-channel mean (0..255 scale)
PIXEL_STD_XF = "pixel_std_xf"    # float32 [3] full-pass per-channel std

LIGHTING_VALUES = ("day", "night")
SOURCE_VALUES = ("image", "video")

# TFMA slices: overall is always included.
SLICES = ((CAMERA_ID,), (LIGHTING,), (SOURCE,), (CAMERA_ID, LIGHTING))
