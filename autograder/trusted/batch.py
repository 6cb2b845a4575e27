"""Grading many submissions: one sandbox in this process, or `jobs` worker processes with one each.

Workers are started fresh (spawn: never a fork of a process with threads) and die with this
process (PR_SET_PDEATHSIG), and their sandboxes with them. Only this process writes results;
workers send back plain data (`Graded`), so with workers this process never imports torch.
"""

from __future__ import annotations

import atexit
import ctypes
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from autograder.trusted.launch import Zygote
from autograder.trusted.profile import flush, phase
from autograder.trusted.verdict import Outcome

if TYPE_CHECKING:
    from autograder.trusted.grader import SubmissionResult
    from autograder.trusted.registry import Check
    from autograder.trusted.sandbox import Sandbox

_PR_SET_PDEATHSIG = 1
_worker_sandbox: Sandbox | None = None


@dataclass
class Graded:
    """One graded submission as plain data: what the results folder and the gradebook need."""

    path: Path
    results: dict[str, Any]  # the Gradescope-schema results JSON
    functions: dict[str, float]  # function -> points earned
    outcomes: list[Outcome] = field(default_factory=list)
    output: str = ""  # what the submission printed (capped), for <stem>.log

    @classmethod
    def of(cls, result: SubmissionResult, lang: str | None = None) -> Graded:
        from autograder.trusted.results import results_json

        with phase("results JSON"):
            data = results_json(result) if lang is None else results_json(result, lang)
        flush(result.path.name)
        return cls(result.path, data, result.function_scores(), result.outcomes, result.output)


def grade_safely(path: Path, sandbox: Sandbox, checks: list[Check]) -> SubmissionResult:
    """grade_file, but a fault of the grader itself costs this one submission, said plainly, not the batch."""
    from autograder.trusted.grader import grade_file, ungraded
    from autograder.trusted.verdict import Said

    try:
        return grade_file(path, sandbox, checks)
    except Exception as exc:  # noqa: BLE001 - a grader bug: recorded for this submission, the batch goes on
        why = f"{type(exc).__name__}: {str(exc)[:300]}"
        return ungraded(path, checks, Said(
            f"The grader itself failed on this submission ({why}); nothing was judged. Tell your instructor: "
            "this is a fault of the grader, not of your code.",
            f"채점기 자체가 이 제출물에서 실패했습니다(`{why}`). 아무것도 판정하지 못했습니다. 담당 교수나 조교에게 "
            "알려 주세요: 코드의 잘못이 아니라 채점기의 문제입니다."), kind="grader_error")


def _start_worker(isolate: bool) -> None:
    global _worker_sandbox
    try:
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass
    from autograder.trusted import launch

    zygote = launch.start_zygote(isolate=isolate)  # boots while this worker imports the grader
    from autograder.trusted.sandbox import Sandbox

    _worker_sandbox = Sandbox(isolate=isolate, zygote=zygote)
    atexit.register(_end_worker)


def _end_worker() -> None:
    """The pool is done with this worker (its results are sent): close the sandbox and end now. The
    interpreter's teardown of torch and the grader took about a second, and the pool waits for it."""
    if _worker_sandbox is not None:
        _worker_sandbox.close()
    os._exit(0)


def _grade_in_worker(path: Path, assignment: str, lang: str | None) -> Graded:
    from autograder.trusted.registry import all_checks

    assert _worker_sandbox is not None
    return Graded.of(grade_safely(path, _worker_sandbox, all_checks(assignment)), lang)


def grade_many(files: list[Path], assignment: str, *, jobs: int, isolate: bool, zygote: Zygote | None = None,
               lang: str | None = None, started: Callable[[], None] | None = None) -> Iterator[tuple[int, Graded]]:
    """(index into files, result) for every file, in the order they finish.

    `zygote`: a sandbox already booting (serial grading uses it; workers start their own).
    `started()`: called once every process the batch needs is started (they inherit this process's
    working directory, so a caller that changes it waits for this).
    """
    if jobs <= 1 or len(files) <= 1:
        from autograder.trusted.registry import all_checks
        from autograder.trusted.sandbox import Sandbox

        checks = all_checks(assignment)
        with Sandbox(isolate=isolate, zygote=zygote) as sandbox:
            if started is not None:
                started()
            for index, path in enumerate(files):
                yield index, Graded.of(grade_safely(path, sandbox, checks), lang)
        return
    if zygote is not None:
        zygote.close()
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(jobs, len(files)), mp_context=context,
                             initializer=_start_worker, initargs=(isolate,)) as pool:
        futures = {pool.submit(_grade_in_worker, path, assignment, lang): index for index, path in enumerate(files)}
        if started is not None:  # the pool started its workers while the tasks were submitted
            started()
        for future in as_completed(futures):
            yield futures[future], future.result()
