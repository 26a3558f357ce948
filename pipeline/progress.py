"""Progress of a running pipeline, read from the metadata store (used by `sentinel run`).

A background thread polls the store every few seconds and prints one line whenever a component
starts or finishes: `[sentinel 02:31] 6/12 Transform: RUNNING`. Read-only; safe beside the run.
"""

from __future__ import annotations

import sys
import threading
import time

from pipeline.config import SentinelConfig

COMPONENTS = 11  # nodes in create_pipeline (a test keeps this true)


class Progress:
    """Context manager: prints component state changes of the run that starts inside it."""

    def __init__(self, cfg: SentinelConfig, interval: float = 3.0, out=None):
        self._cfg, self._interval, self._out = cfg, interval, out or sys.stderr
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._seen_runs = 0
        self._start = 0.0
        self._shown: dict[str, str] = {}

    def __enter__(self):
        from pipeline.summary import runs

        self._seen_runs = len(runs(self._cfg))
        self._start = time.monotonic()
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self._report()

    def _loop(self) -> None:
        while not self._stop.wait(self._interval):
            self._report()

    def _report(self) -> None:
        from pipeline.summary import runs

        try:
            history = runs(self._cfg)[self._seen_runs:]
        except Exception:  # the store may be mid-write; try again next tick
            return
        if not history:
            return
        states = history[-1][1]
        done = sum(s in ("COMPLETE", "CACHED") for s in states.values())
        elapsed = time.monotonic() - self._start
        for node, state in states.items():
            if self._shown.get(node) != state:
                self._shown[node] = state
                print(f"[sentinel {int(elapsed) // 60:02d}:{int(elapsed) % 60:02d}] "
                      f"{done}/{COMPONENTS} {node}: {state}", file=self._out, flush=True)
