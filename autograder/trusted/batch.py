"""Grading many submissions: one sandbox in this process, or `jobs` worker processes with one each.

Workers are started fresh (spawn: never a fork of a process with threads) and die with this
process (PR_SET_PDEATHSIG), and their sandboxes with them. Only this process writes results.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import signal
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from autograder.trusted.grader import SubmissionResult, grade_file
from autograder.trusted.launch import Zygote
from autograder.trusted.registry import all_checks
from autograder.trusted.sandbox import Sandbox

_PR_SET_PDEATHSIG = 1
_worker_sandbox: Sandbox | None = None


def _start_worker(isolate: bool) -> None:
    global _worker_sandbox
    try:
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass
    _worker_sandbox = Sandbox(isolate=isolate)


def _grade_in_worker(path: Path) -> SubmissionResult:
    assert _worker_sandbox is not None
    return grade_file(path, _worker_sandbox, all_checks())


def grade_many(files: list[Path], *, jobs: int, isolate: bool, zygote: Zygote | None = None
               ) -> Iterator[tuple[int, SubmissionResult]]:
    """(index into files, result) for every file, in the order they finish.

    `zygote`: a sandbox already booting (serial grading uses it; workers start their own).
    """
    if jobs <= 1 or len(files) <= 1:
        checks = all_checks()
        with Sandbox(isolate=isolate, zygote=zygote) as sandbox:
            for index, path in enumerate(files):
                yield index, grade_file(path, sandbox, checks)
        return
    if zygote is not None:
        Sandbox(isolate=isolate, zygote=zygote).close()
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(jobs, len(files)), mp_context=context,
                             initializer=_start_worker, initargs=(isolate,)) as pool:
        futures = {pool.submit(_grade_in_worker, path): index for index, path in enumerate(files)}
        for future in as_completed(futures):
            yield futures[future], future.result()
