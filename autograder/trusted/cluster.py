"""Grading on a Dask distributed cluster: `autograder grade ... --cluster ADDRESS`.

Each Dask worker process keeps warm sandboxes (`WarmSandbox`, a worker plugin) and grades the
bytes it is sent, so workers on other machines need the project and bubblewrap, not the files;
it returns plain data (`Graded`). Only the coordinating process writes results and the gradebook,
through the same code as a local run. A worker that dies mid-batch loses nothing: the scheduler
gives its tasks to another worker, and each submission's result is taken once.
"""

from __future__ import annotations

import functools
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from distributed import Client, WorkerPlugin, as_completed, get_worker

from autograder.trusted.batch import Graded

RETRIES = 1  # a task that raised (not a lost worker: the scheduler reschedules those itself) runs once more


class EngineMismatch(Exception):
    """A worker's project (engine, checks, reference or data) is not the coordinator's: its grades would differ."""


class ClusterProblem(Exception):
    """The scheduler cannot be reached, or a worker cannot grade for this coordinator: said plainly."""


class WarmSandbox(WorkerPlugin):
    """Sandboxes that live as long as their worker process: one per task thread, started once.

    The first boots when the worker starts (it imports torch while the worker imports the grader);
    more are started only if the worker runs several tasks at once (`--nthreads` above 1).
    """

    idempotent = True  # registered again by the next `grade --cluster`: the warm sandboxes stay

    def __init__(self, isolate: bool) -> None:
        self.isolate = isolate  # all that is sent to the scheduler; the rest is made on the worker
        self.name = f"autograder-sandbox-{'isolated' if isolate else 'plain'}"

    def setup(self, worker: Any) -> None:
        from autograder.trusted import launch

        self._free: list[Any] = []
        self._all: list[Any] = []
        self._lock = threading.Lock()
        self._ready = threading.Event()
        zygote = launch.start_zygote(isolate=self.isolate)
        threading.Thread(target=self._start, args=(zygote,), daemon=True).start()

    def _start(self, zygote: Any) -> None:
        try:
            from autograder.trusted import grader  # noqa: F401  (warm: the first task does not wait for it)
            from autograder.trusted.sandbox import Sandbox

            self.release(self._track(Sandbox(isolate=self.isolate, zygote=zygote)))
        finally:
            self._ready.set()

    def _track(self, sandbox: Any) -> Any:
        with self._lock:
            self._all.append(sandbox)
        return sandbox

    def acquire(self) -> Any:
        """A warm sandbox for this task alone (a new one if every one is busy)."""
        self._ready.wait(timeout=120)
        with self._lock:
            if self._free:
                return self._free.pop()
        from autograder.trusted.sandbox import Sandbox

        return self._track(Sandbox(isolate=self.isolate))

    def release(self, sandbox: Any) -> None:
        with self._lock:
            self._free.append(sandbox)

    def teardown(self, worker: Any) -> None:
        with self._lock:
            sandboxes, self._all, self._free = self._all, [], []
        for sandbox in sandboxes:
            sandbox.close()


@functools.cache
def _fingerprint(assignment: str) -> str:
    from autograder.trusted.assignment import load
    from autograder.trusted.gradebook import fingerprint

    return fingerprint(load(assignment))


def grade_bytes(name: str, data: bytes, assignment: str, engine: str, lang: str | None, plugin: str) -> Graded:
    """On a worker: grade one submission sent as its file name and bytes, in this worker's warm sandbox."""
    if _fingerprint(assignment) != engine:
        raise EngineMismatch(f"worker {get_worker().address} has another version of the engine or of "
                             f"{assignment}'s checks, reference or data: install the same project on every worker")
    from autograder.trusted.batch import grade_safely
    from autograder.trusted.registry import all_checks

    warm: WarmSandbox = get_worker().plugins[plugin]  # type: ignore[assignment]
    sandbox = warm.acquire()
    try:
        with tempfile.TemporaryDirectory(prefix="autograder-") as folder:
            path = Path(folder) / Path(name).name
            path.write_bytes(data)
            return Graded.of(grade_safely(path, sandbox, all_checks(assignment)), lang)
    finally:
        warm.release(sandbox)


def grade_on_cluster(files: list[Path], assignment: str, address: str, *, isolate: bool,
                     lang: str | None = None) -> Iterator[tuple[int, Graded]]:
    """(index into files, result) for every file, in the order they finish, graded on the cluster at
    `address`: the same contract as `batch.grade_many`."""
    if not files:
        return
    from autograder.trusted.assignment import load
    from autograder.trusted.gradebook import fingerprint

    engine = fingerprint(load(assignment))
    plugin = WarmSandbox(isolate)
    try:
        client = Client(address)
    except (OSError, TimeoutError) as exc:
        raise ClusterProblem(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    with client:
        client.register_plugin(plugin, name=plugin.name)
        futures = {client.submit(grade_bytes, path.name, path.read_bytes(), assignment, engine, lang, plugin.name,
                                 pure=False, retries=RETRIES, key=f"grade-{index}-{path.name}-{_token()}"): index
                   for index, path in enumerate(files)}
        for future in as_completed(futures):
            index = futures[future]
            try:
                graded: Graded = future.result()
            except EngineMismatch as exc:
                raise ClusterProblem(str(exc)) from None
            future.release()
            graded.path = files[index]
            yield index, graded


def _token() -> str:
    import uuid

    return uuid.uuid4().hex[:12]
