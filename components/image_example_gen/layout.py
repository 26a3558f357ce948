"""The input folder contract: which files belong to which span, camera and class.

Used by the ImageExampleGen driver (to fingerprint the selected input) and by its executor (to
select the same files; on Kubeflow, where no driver runs, the executor selects spans itself).

Accepted layouts under the data root:
    span-<N>/<camera_id>/<label>/<file>     (spans; the latest by default, or a range)
    <camera_id>/<label>/<file>               (no spans: span 0)
    <label>/<file>                           (no spans, no cameras: camera_id "unknown")
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re

SPAN_DIR = re.compile(r"^span-(\d+)$")
VIDEO_EXTENSIONS = (".mp4", ".avi", ".mkv", ".mov")
UNKNOWN_CAMERA = "unknown"


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

    @property
    def is_video(self) -> bool:
        return self.relpath.lower().endswith(VIDEO_EXTENSIONS)


@dataclasses.dataclass(frozen=True)
class Misplaced:
    """A file the layout cannot place (e.g. directly in a camera folder)."""

    relpath: str
    path: str
    size: int


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


def _place(root: str, span_root: str, span: int, classes: tuple[str, ...], spanned: bool,
           files: list[InputFile], misplaced: list[Misplaced]) -> None:
    top = [d for d in sorted(os.listdir(span_root)) if os.path.isdir(os.path.join(span_root, d))]
    flat = not spanned and top and all(d.lower() in classes for d in top)
    for dirpath, filenames in _walk_sorted(span_root):
        parts = os.path.relpath(dirpath, span_root).split(os.sep)
        parts = [] if parts == ["."] else parts
        for name in filenames:
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
            files.append(InputFile(path, relpath, span, camera, label, stat.st_size,
                                   stat.st_mtime_ns))


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
        for span in spans:
            _place(data_root, os.path.join(data_root, f"span-{span}"), span, classes, True,
                   files, misplaced)
    elif not list_spans(data_root):
        spans = [0]
        _place(data_root, data_root, 0, classes, False, files, misplaced)
    return spans, files, misplaced


def fingerprint(files: list[InputFile], misplaced: list[Misplaced]) -> str:
    """A digest of names, sizes and mtimes: moving a file between label folders changes it."""
    digest = hashlib.sha256()
    for f in files:
        digest.update(f"{f.relpath}\0{f.size}\0{f.mtime_ns}\n".encode())
    for m in misplaced:
        digest.update(f"?{m.relpath}\0{m.size}\n".encode())
    return digest.hexdigest()
