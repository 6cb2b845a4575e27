"""The fast path: every request the checks send a passing answer, answered in one go right after loading.

`make install` stores, per function, the requests the checks send an answer that passes them all
(`plans.Stored.requests`). The load request carries them; the loaded process answers them function
by function, one frame each, and says whether a function left anything behind (a thread, a
process, changed state). The checks then take the student's answers from those frames, by request;
a request the plan did not foresee (a failing public check searching for its smallest example) goes
live to a check child, as every request did before.

A function whose frame is late, missing, unreadable or reports something left behind is graded the
slow way, one check child per function on a fresh load, and so are the functions after it: the
answers kept are exactly those the slow way would have got.
"""

from __future__ import annotations

import functools
import time
from collections import deque
from collections.abc import Callable
from typing import Any

import torch

from autograder.trusted.assignment import load as load_assignment
from autograder.trusted.assignment import reference_helpers
from autograder.trusted.registry import Check
from autograder.trusted.sandbox import CheckSession, SandboxFault, SubmissionProcess
from autograder.trusted.trial import REQUESTS, Observation, load_stored, request_key

Answers = dict[tuple[Any, ...], deque[Observation]]


@functools.cache
def plan(assignment: str) -> tuple[list[dict[str, Any]], dict[str, torch.Tensor], dict[str, list[tuple[Any, ...]]]]:
    """(the load request's plan, its input tensors, each request's key), built once per process."""
    load_stored(assignment)
    described = load_assignment(assignment)
    entries, tensors, keys = [], {}, {}
    for function, requests in REQUESTS.get(assignment, {}).items():
        entry: dict[str, Any] = {"function": function, "requests": []}
        helpers = described.function(function).helpers
        if helpers:
            entry["reference_helpers"] = reference_helpers(assignment, helpers)
        for i, (probe, params, given) in enumerate(requests):
            entry["requests"].append({"probe": probe, "params": params, "tensors": list(given)})
            tensors.update({f"{function}/{i}/{name}": t for name, t in given.items()})
        entries.append(entry)
        keys[function] = [request_key(request) for request in requests]
    return entries, tensors, keys


def receive(process: SubmissionProcess, checks: list[Check]) -> tuple[dict[str, Answers], bool]:
    """Each function's planned answers, read right after the load, in order, up to the first function that
    did not answer cleanly; and whether all came clean (else the process has been killed)."""
    _, _, keys = plan(checks[0].assignment)
    budget: dict[str, float] = {}
    for check in checks:  # a frame may take as long as its function's checks together
        budget[check.function] = budget.get(check.function, 0.0) + check.timeout
    started, allowed = time.monotonic(), 0.0
    kept: dict[str, Answers] = {}
    for function in keys:
        allowed += budget.get(function, 0.0)
        frame = process.planned_answers(started + allowed)
        if frame is None:
            break
        header, tensors = frame
        batch = header.get("batch")
        if (header.get("function") != function or not isinstance(batch, list) or len(batch) != len(keys[function])
                or header.get("threads") != 1 or header.get("processes") != 0):
            break
        kept[function] = _index(keys[function], batch, tensors)
        if header.get("changed") is not False:  # its own answers stand; the next function's would not
            break
    else:
        return kept, True
    process.kill()
    return kept, False


def _index(keys: list[tuple[Any, ...]], batch: list[Any], tensors: dict[str, torch.Tensor]) -> Answers:
    per_call: list[dict[str, torch.Tensor]] = [{} for _ in keys]
    for name, tensor in tensors.items():
        index, _, own = name.partition("/")
        if index.isdigit() and int(index) < len(keys):
            per_call[int(index)][own] = tensor
    answers: Answers = {}
    for key, facts, out in zip(keys, batch, per_call):
        if not isinstance(facts, dict):
            facts, out = {"error": {"type": "ProtocolError", "message": "malformed answer"}}, {}
        answers.setdefault(key, deque()).append((facts, out))
    return answers


class PlannedSession:
    """A check session for one function: planned answers first, a live check child for anything else."""

    def __init__(self, function: str, answers: Answers, open_live: Callable[[], CheckSession | None]) -> None:
        self.function = function
        self.answers = answers
        self._open_live = open_live
        self.live: CheckSession | None = None
        self._fault: SandboxFault | None = None
        self.deadline = 0.0
        self.live_calls = 0  # in the current check: only then may student code have left something running

    def planned(self, key: tuple[Any, ...]) -> Observation | None:
        queue = self.answers.get(key)
        return queue.popleft() if queue else None

    @property
    def fault(self) -> SandboxFault | None:
        return self._fault or (self.live.fault if self.live else None)

    @property
    def threads(self) -> int:
        return self.live.threads if self.live else 1

    @property
    def owner(self) -> SubmissionProcess | None:
        return self.live.owner if self.live else None

    def _session(self) -> CheckSession:
        if self._fault:
            raise self._fault
        if self.live is None or self.live.sock.fileno() < 0:
            self.live = self._open_live()
            if self.live is None:
                self._fault = SandboxFault("crash", "its process ended without answering")
                raise self._fault
        self.live.deadline = self.deadline
        self.live_calls += 1
        return self.live

    def call(self, probe: str, params: dict[str, Any], tensors: dict[str, torch.Tensor]) -> Observation:
        return self._session().call(probe, params, tensors)

    def call_many(self, requests: list[tuple[str, dict[str, Any], dict[str, torch.Tensor]]]) -> list[Observation]:
        return self._session().call_many(requests)

    def close(self) -> None:
        if self.live is not None:
            self.live.close()
