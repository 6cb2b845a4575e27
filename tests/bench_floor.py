"""The warm floor of grading, for `make bench`: what grading a passing answer cannot go below.

One warm, single-threaded process (torch and matplotlib imported) per worker; per submission it
forks once, runs the cells and calls the submission's functions on exactly the inputs the checks
send a passing answer (stored by `make install`, autograder/trusted/plans.py). No
sandbox, no comparison, no hypothesis, no results. Prints JSON: the wall time of the whole run
and each file's own time.

    python tests/bench_floor.py --assignment homework --jobs 2 FILE...
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

os.environ["OMP_NUM_THREADS"] = "1"
os.environ["MKL_NUM_THREADS"] = "1"
os.environ.setdefault("MPLBACKEND", "Agg")

Request = tuple[str, dict[str, Any], dict[str, Any]]


def stored_requests(assignment: str) -> dict[str, list[Request]]:
    """Every probe request the checks send a passing answer, per function, as `make install` stored them
    (autograder/trusted/plans.py): the very calls the sandbox answers on the fast path."""
    from autograder.trusted.registry import all_checks
    from autograder.trusted.trial import REQUESTS, load_stored

    load_stored(assignment)
    stored = REQUESTS.get(assignment)
    if not stored:
        raise SystemExit(f"no stored requests for {assignment}: run `make install`")
    requests: dict[str, list[Request]] = {}
    for check in all_checks(assignment):
        requests.setdefault(check.function, []).extend(stored[check.id])
    return requests


def grade_floor(path: Path, requests: dict[str, list[Request]]) -> None:
    """In a fresh fork: the cells, then every recorded call on the submission's own functions."""
    from autograder.trusted.source import read  # imported before the clock starts (main)
    from autograder.untrusted import probes

    cells = read(path).cells
    child = os.fork()
    if child == 0:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        namespace: dict[str, Any] = {"__name__": "__main__"}
        for cell in cells:
            with contextlib.suppress(BaseException):
                exec(compile(cell.source, cell.filename, "exec"), namespace)
        for function, calls in requests.items():
            fn = namespace.get(function)
            for probe, params, tensors in calls:
                probes.run(probe, fn, tensors, params)
        os._exit(0)
    os.waitpid(child, 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--assignment", default="homework")
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    sys.path.insert(0, os.getcwd())
    import matplotlib.pyplot  # noqa: F401  (warm, as the sandbox is)
    import torch

    from autograder.trusted import source  # noqa: F401  (warm: reading a notebook is not a first-time import)
    from autograder.untrusted import probes

    torch.set_num_threads(1)
    requests = stored_requests(args.assignment)
    probes.warm_up()
    slices = [args.files[i::args.jobs] for i in range(args.jobs)]
    reads = []
    started = time.monotonic()
    workers = []
    for files in slices:  # one warm worker per job, forked from this warm process
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_end)
            own = {}
            for path in files:
                begun = time.monotonic()
                grade_floor(path, requests)
                own[str(path)] = time.monotonic() - begun
            os.write(write_end, json.dumps(own).encode())
            os._exit(0)
        os.close(write_end)
        workers.append(pid)
        reads.append(read_end)
    per_file: dict[str, float] = {}
    for read_end in reads:
        chunks = []
        while chunk := os.read(read_end, 1 << 16):
            chunks.append(chunk)
        per_file.update(json.loads(b"".join(chunks)))
    for pid in workers:
        os.waitpid(pid, 0)
    print(json.dumps({"seconds": time.monotonic() - started, "per_file": per_file,
                      "calls": sum(len(c) for c in requests.values())}))


if __name__ == "__main__":
    main()
