"""Where grading time goes, per phase: off unless AUTOGRADER_PROFILE names a file (`make bench` sets it).

Each phase's time is exclusive (a round trip inside hypothesis counts as a round trip, not as
hypothesis), so the phases of one submission add up to its grading time. Every grading process
appends one JSON line per submission to the file (seconds and how many times each phase
was entered); the bench sums them.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

TARGET = os.environ.get("AUTOGRADER_PROFILE")
_totals: dict[str, float] = {}
_counts: dict[str, int] = {}
_stack: list[list[float]] = []  # [start of the phase's current exclusive slice]
_names: list[str] = []


@contextmanager
def phase(name: str) -> Iterator[None]:
    """Time spent inside, minus the phases nested in it."""
    if TARGET is None:
        yield
        return
    now = time.perf_counter()
    if _stack:
        _add(_names[-1], now - _stack[-1][0])
    _stack.append([now])
    _names.append(name)
    try:
        yield
    finally:
        now = time.perf_counter()
        _add(name, now - _stack.pop()[0])
        _counts[name] = _counts.get(name, 0) + 1
        _names.pop()
        if _stack:
            _stack[-1][0] = now


def _add(name: str, seconds: float) -> None:
    _totals[name] = _totals.get(name, 0.0) + seconds


def flush(label: str) -> None:
    """Append this process's phase times since the last flush as one line, labelled (a submission)."""
    global _totals, _counts
    if TARGET is None or not _totals:
        return
    line = json.dumps({"label": label, "pid": os.getpid(), "phases": _totals, "counts": _counts})
    with open(TARGET, "a", encoding="utf-8") as f:
        f.write(line + "\n")
    _totals, _counts = {}, {}
