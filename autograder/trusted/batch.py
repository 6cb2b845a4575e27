"""Grading many submissions: one sandbox in this process, or `jobs` worker processes with one each.

Workers are forks of a fork server (never a fork of this process, which may have threads) that
imported the grader and warmed torch once for all of them (autograder.trusted.warm); they die
with it, and it with this process (PR_SET_PDEATHSIG), and their sandboxes with them. Their zygotes
are started here first, so they boot while the fork server imports. Only this process writes
results; workers send back plain data (`Graded`), so with workers this process never imports torch.
"""

from __future__ import annotations

import atexit
import ctypes
import multiprocessing
import os
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from autograder.trusted.launch import Zygote
from autograder.trusted.profile import flush, phase
from autograder.trusted.verdict import Outcome

if TYPE_CHECKING:
    from multiprocessing.sharedctypes import Synchronized

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


def _start_worker(isolate: bool, zygotes: list[Zygote], claimed: Synchronized[int], verdicts: Path) -> None:
    """In a new worker: take the next zygote started for the batch (a new one past them), warm its sandbox,
    and share remembered verdicts with the batch's other workers through the folder `verdicts`."""
    global _worker_sandbox
    try:
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass
    with claimed.get_lock():
        index = claimed.value
        claimed.value += 1
    for other in zygotes[:index] + zygotes[index + 1:]:
        other.control.close()  # another worker's: only its own descriptor here
    from autograder.trusted import launch, planned
    from autograder.trusted.sandbox import Sandbox
    from autograder.trusted.shared_verdicts import SharedVerdicts

    planned.share_verdicts(SharedVerdicts(verdicts))
    zygote = zygotes[index] if index < len(zygotes) else launch.start_zygote(isolate=isolate)
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


def grade_many(files: list[Path], assignment: str, *, jobs: int, isolate: bool, zygotes: list[Zygote] | None = None,
               lang: str | None = None, started: Callable[[], None] | None = None) -> Iterator[tuple[int, Graded]]:
    """(index into files, result) for every file, in the order they finish.

    `zygotes`: sandboxes already booting (`start_zygotes`), one per worker; more are started here.
    `started()`: called once every process the batch needs is started (they inherit this process's
    working directory, so a caller that changes it waits for this).
    """
    workers = max(1, min(jobs, len(files)))
    zygotes = list(zygotes or [])
    for extra in zygotes[workers:]:
        extra.close()
    zygotes = zygotes[:workers] + start_zygotes(workers - len(zygotes), isolate=isolate)
    if workers == 1:
        from autograder.trusted.registry import all_checks
        from autograder.trusted.sandbox import Sandbox

        checks = all_checks(assignment)
        with Sandbox(isolate=isolate, zygote=zygotes[0]) as sandbox:
            if started is not None:
                started()
            for index, path in enumerate(files):
                yield index, Graded.of(grade_safely(path, sandbox, checks), lang)
        return
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["autograder.trusted.warm"])
    claimed = context.Value("i", 0)
    verdicts = Path(tempfile.mkdtemp(prefix="autograder-verdicts-"))  # mode 0700: this batch's graders alone
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_start_worker,
                                 initargs=(isolate, [z.handed() for z in zygotes], claimed, verdicts)) as pool:
            futures = {pool.submit(_grade_in_worker, path, assignment, lang): index
                       for index, path in enumerate(files)}
            if started is not None:  # the pool started its workers while the tasks were submitted
                started()
            for future in as_completed(futures):
                yield futures[future], future.result()
    finally:
        for zygote in zygotes:  # the workers killed theirs; this process reaps them
            zygote.close()
        shutil.rmtree(verdicts, ignore_errors=True)


def start_zygotes(count: int, *, isolate: bool) -> list[Zygote]:
    """`count` sandboxes booting now (each imports torch), before anything else of the batch starts."""
    from autograder.trusted import launch

    return [launch.start_zygote(isolate=isolate) for _ in range(max(0, count))]
