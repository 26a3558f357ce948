"""The input folder contract: which files belong to which span, camera and class.

Used by the ImageExampleGen driver (to fingerprint the selected input) and by its executor (to
select the same files; on Kubeflow, where no driver runs, the executor selects spans itself).

Accepted layouts under the data root:
    span-<N>/<camera_id>/<label>/<file>     (spans; the latest by default, or a range)
    <camera_id>/<label>/<file>               (no spans: span 0)
    <label>/<file>                           (no spans, no cameras: camera_id "unknown")
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import os
import re

SPAN_DIR = re.compile(r"^span-(\d+)$")
VIDEO_EXTENSIONS = (".mp4", ".avi", ".mkv", ".mov")
UNKNOWN_CAMERA = "unknown"
MANIFEST = "manifest.csv"  # optional, at a span root (or the data root without spans)
LIGHTING_VALUES = ("day", "night")


class ManifestError(ValueError):
    """manifest.csv is malformed; the message names the file and line."""


@dataclasses.dataclass(frozen=True)
class InputFile:
    """One file under the data root and where the layout places it."""

    path: str            # absolute
    relpath: str         # relative to the data root: the id used in reports
    span: int
    camera_id: str
    label_folder: str    # the folder name as found (may be unknown or case-variant)
    size: int
    mtime_ns: int
    lighting: str | None = None       # from manifest.csv; None: derived from luma
    capture_time: int | None = None   # from manifest.csv; None: file mtime

    @property
    def is_video(self) -> bool:
        return self.relpath.lower().endswith(VIDEO_EXTENSIONS)


@dataclasses.dataclass(frozen=True)
class Misplaced:
    """A file the layout cannot place (e.g. directly in a camera folder)."""

    relpath: str
    path: str
    size: int


def count_by_label(data_root: str, span: int) -> dict[str, int]:
    """Files per label folder of one span, from a listing only (no decoding): the previous
    span's size and label mix, for the data gate."""
    counts: dict[str, int] = {}
    span_root = os.path.join(data_root, f"span-{span}")
    for camera in sorted(os.listdir(span_root)):
        camera_dir = os.path.join(span_root, camera)
        if os.path.isdir(camera_dir):
            for label in sorted(os.listdir(camera_dir)):
                label_dir = os.path.join(camera_dir, label)
                if os.path.isdir(label_dir):
                    counts[label] = counts.get(label, 0) + len(os.listdir(label_dir))
    return counts


def list_spans(data_root: str) -> list[int]:
    """Returns the span numbers present under data_root, sorted."""
    if not os.path.isdir(data_root):
        return []
    return sorted(int(m.group(1)) for name in os.listdir(data_root)
                  if (m := SPAN_DIR.match(name)) and os.path.isdir(os.path.join(data_root, name)))


def select_spans(data_root: str, span_range: tuple[int, int] | None,
                 window: int = 1) -> list[int]:
    """The spans a run reads: the newest `window` spans, or every span within span_range
    (inclusive)."""
    spans = list_spans(data_root)
    if not spans:
        return []
    if span_range is None:
        return spans[-window:]
    low, high = span_range
    return [s for s in spans if low <= s <= high]


def _walk_sorted(folder: str):
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        yield dirpath, sorted(filenames)


def read_manifest(folder: str) -> dict[str, dict]:
    """{path relative to folder: {"lighting": ..., "capture_time": ...}} from manifest.csv.

    Columns: path (required), lighting (day/night, optional), capture_time (integer seconds
    since the epoch, optional). Empty cells mean "not given"."""
    path = os.path.join(folder, MANIFEST)
    if not os.path.isfile(path):
        return {}
    rows = {}
    with open(path, newline="") as handle:
        reader = csv.DictReader(handle)
        if "path" not in (reader.fieldnames or []):
            raise ManifestError(f"{path}: needs a 'path' column, has {reader.fieldnames}")
        for line, row in enumerate(reader, start=2):
            lighting = (row.get("lighting") or "").strip() or None
            if lighting is not None and lighting not in LIGHTING_VALUES:
                raise ManifestError(f"{path}:{line}: lighting {lighting!r} is not day/night")
            raw_time = (row.get("capture_time") or "").strip()
            try:
                capture_time = int(raw_time) if raw_time else None
            except ValueError:
                raise ManifestError(f"{path}:{line}: capture_time {raw_time!r} is not "
                                    "integer epoch seconds") from None
            rows[os.path.normpath(row["path"].strip())] = {"lighting": lighting,
                                                          "capture_time": capture_time}
    return rows


def _place(root: str, span_root: str, span: int, classes: tuple[str, ...], spanned: bool,
           files: list[InputFile], misplaced: list[Misplaced]) -> None:
    manifest = read_manifest(span_root)
    top = [d for d in sorted(os.listdir(span_root)) if os.path.isdir(os.path.join(span_root, d))]
    flat = not spanned and top and all(d.lower() in classes for d in top)
    for dirpath, filenames in _walk_sorted(span_root):
        parts = os.path.relpath(dirpath, span_root).split(os.sep)
        parts = [] if parts == ["."] else parts
        for name in filenames:
            if not parts and name == MANIFEST:
                continue
            path = os.path.join(dirpath, name)
            stat = os.stat(path)
            relpath = os.path.relpath(path, root)
            if flat and len(parts) == 1:
                camera, label = UNKNOWN_CAMERA, parts[0]
            elif not flat and len(parts) == 2:
                camera, label = parts
            else:
                misplaced.append(Misplaced(relpath, path, stat.st_size))
                continue
            meta = manifest.get(os.path.relpath(path, span_root), {})
            files.append(InputFile(path, relpath, span, camera, label, stat.st_size,
                                   stat.st_mtime_ns, **meta))


def list_inputs(data_root: str, classes: tuple[str, ...], span_range: tuple[int, int] | None,
                window: int = 1) -> tuple[list[int], list[InputFile], list[Misplaced]]:
    """Lists the selected spans' files in a deterministic order."""
    data_root = os.path.abspath(data_root)
    if not os.path.isdir(data_root):
        raise FileNotFoundError(f"input root {data_root} does not exist")
    files: list[InputFile] = []
    misplaced: list[Misplaced] = []
    spans = select_spans(data_root, span_range, window)
    if spans:
        for name in sorted(os.listdir(data_root)):  # stray files beside the span folders
            path = os.path.join(data_root, name)
            if os.path.isfile(path):
                misplaced.append(Misplaced(name, path, os.stat(path).st_size))
        for span in spans:
            _place(data_root, os.path.join(data_root, f"span-{span}"), span, classes, True,
                   files, misplaced)
    elif not list_spans(data_root):
        spans = [0]
        _place(data_root, data_root, 0, classes, False, files, misplaced)
    return spans, files, misplaced


def fingerprint(files: list[InputFile], misplaced: list[Misplaced]) -> str:
    """A digest of names, sizes, mtimes and manifest values: moving a file between label
    folders, or editing the manifest, changes it."""
    digest = hashlib.sha256()
    for f in files:
        digest.update(f"{f.relpath}\0{f.size}\0{f.mtime_ns}\0{f.lighting}\0{f.capture_time}\n"
                      .encode())
    for m in misplaced:
        digest.update(f"?{m.relpath}\0{m.size}\n".encode())
    return digest.hexdigest()
