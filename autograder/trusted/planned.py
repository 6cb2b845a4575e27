"""The fast path: every request the checks send a passing answer, answered in one go right after loading.

`make install` stores, per check, the requests it sends an answer that passes it
(`plans.Stored.requests`). The load request carries them; the loaded process answers them check by
check, one frame each, and says whether the calls left anything behind (a thread, a process, or,
at a function's end, changed state). The checks then take the student's answers from those frames, by request;
a request the plan did not foresee (a failing public check searching for its smallest example) goes
live to a check child, as every request did before.

Checks are pure functions of the answers they read (derandomized, no database), so a grading process
remembers each verdict, keyed by what the check could read: its function's answers not yet taken, by
the digest of the bytes of the frame each came in. Another submission whose answers are the same bytes
(in a class, most correct functions) gets that verdict without the check code, hypothesis or the
comparisons running again; one that also read live answers holds only if they are the same again
(`PlannedSession.judge`). A batch's workers share what they remember (shared_verdicts.py).

A check whose frame is late or never comes fails as it would have live (timeout, crash); one whose
calls left something running fails as it would have live; either way the function's later checks
are not run, and the later functions are graded the slow way, a check child per function on a
fresh load, as is everything after an unreadable frame or changed state.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import torch

from autograder import channel
from autograder.trusted.assignment import reference_helpers
from autograder.trusted.registry import Check, all_checks
from autograder.trusted.sandbox import CheckSession, SandboxFault, SubmissionProcess
from autograder.trusted.shared_verdicts import SharedVerdicts
from autograder.trusted.trial import REQUESTS, Observation, Request, load_stored, request_key
from autograder.trusted.verdict import Outcome

Answers = dict[tuple[Any, ...], deque[tuple[dict[str, Any], "FrameTensors", int]]]  # facts, the frame's tensors, index
Ids = dict[tuple[Any, ...], deque[tuple[bytes, int]]]  # per request, what identifies each answer: (frame digest, index)
REMEMBERED_CAP = 20_000  # verdicts kept per grading process (a few KB each)
_verdicts: dict[tuple[str, tuple[Any, ...]], tuple[Outcome, tuple[int, ...], tuple[tuple[Request, bytes], ...]]] = {}
_shared: SharedVerdicts | None = None  # the batch's other workers' verdicts too (shared_verdicts.py)


def share_verdicts(shared: SharedVerdicts | None) -> None:
    """From now on, remembered verdicts are also read from and written to `shared` (a batch's workers)."""
    global _shared
    _shared = shared


@functools.cache
def plan(assignment: str) -> tuple[bytes, dict[str, list[tuple[Any, ...]]]]:
    """(the plan's request to the loaded process as one encoded frame, each check's request keys), made once
    per process; (b"", {}) when no plan is stored for these checks."""
    load_stored(assignment)
    stored = REQUESTS.get(assignment, {})
    checks = [check for check in all_checks(assignment) if check.id in stored]
    if not stored or len(checks) != len(stored):  # made for other checks: plans.load would not have kept it
        return b"", {}
    entries, tensors, keys = [], {}, {}
    for index, check in enumerate(checks):
        entry: dict[str, Any] = {"check": check.id, "function": check.function, "requests": []}
        if index == 0 or checks[index - 1].function != check.function:
            entry["first"] = True
            helpers = reference_helpers(assignment, check.function)
            if helpers:
                entry["reference_helpers"] = helpers
        if index == len(checks) - 1 or checks[index + 1].function != check.function:
            entry["last"] = True
        for i, (probe, params, given) in enumerate(stored[check.id]):
            entry["requests"].append({"probe": probe, "params": params, "tensors": list(given)})
            tensors.update({f"{index}/{i}/{name}": t for name, t in given.items()})
        entries.append(entry)
        keys[check.id] = [request_key(request) for request in stored[check.id]]
    return channel.encode({"plan": entries}, tensors), keys


@dataclass
class Received:
    """What the plan's frames brought: each function's answers (of the checks answered cleanly), and how the
    check whose frame did not come cleanly ended: "timeout", "crash", "left" (a thread or processes left
    running) or "parent" (it ended the loaded process)."""

    answers: dict[str, Answers] = field(default_factory=dict)
    ids: dict[str, Ids] = field(default_factory=dict)
    ended: dict[str, str] = field(default_factory=dict)  # check id -> how; at most one
    left_threads: bool = False
    left_processes: int = 0
    complete: bool = False  # every check answered cleanly


def receive(process: SubmissionProcess, checks: list[Check]) -> Received:
    """The plan answered in a fresh child of the loaded process, read frame by frame (each check within its
    own timeout) up to the first check that did not answer cleanly; then that child and whatever it started
    are killed, and the loaded process, untouched by the plan, answers the rest live."""
    request, keys = plan(checks[0].assignment)
    received = Received()
    try:
        session = process.session(request, "the plan")
    except SandboxFault:
        return received  # the loaded process is gone: everything is asked live, on a fresh load
    try:
        for check in checks:
            if check.id not in keys:
                break
            digest = hashlib.blake2b(check.id.encode(), digest_size=16)
            frame = session.frame(time.monotonic() + check.timeout, digest)
            if frame is None:
                received.ended[check.id] = session.fault.kind if session.fault else "crash"
                break
            header, answered = frame
            batch = header.get("batch")
            if header.get("check") != check.id or not isinstance(batch, list) or len(batch) != len(keys[check.id]):
                break  # unsendable or malformed: this check is asked live
            _index(received.answers.setdefault(check.function, {}), received.ids.setdefault(check.function, {}),
                   keys[check.id], batch, answered, digest.digest())
            threads, processes = header.get("threads"), header.get("processes")
            if header.get("parent") is not True:
                received.ended[check.id] = "parent"
                break
            if threads != 1 or processes != 0:
                received.ended[check.id] = "left"
                received.left_threads = threads != 1
                received.left_processes = processes if isinstance(processes, int) and processes > 0 else 0
                break
            if header.get("changed") is not False:  # its own answers stand; the next function's would not
                break
        else:
            received.complete = True
    finally:
        session.close()
    if not received.complete:
        process.sweep()  # the plan's child, and all it started (None: the loaded process is gone too)
    return received


def _answer_digest(answer: Observation) -> bytes:
    """What one live answer said, exactly: its facts and every tensor's name, dtype, shape and bytes."""
    facts, tensors = answer
    digest = hashlib.blake2b(json.dumps(facts, sort_keys=True, default=repr).encode(), digest_size=16)
    for name in sorted(tensors):
        tensor = tensors[name]
        digest.update(f"\0{name}\0{tensor.dtype}\0{tuple(tensor.shape)}\0".encode())
        digest.update(tensor.detach().contiguous().reshape(-1).view(torch.uint8).numpy())
    return digest.digest()


class FrameTensors:
    """One plan frame's tensors (checked safetensors bytes), made the first time a check reads one of its
    answers: a remembered verdict reads none, and making a frame's few hundred small tensors costs more
    than judging them."""

    __slots__ = ("_blob", "_calls", "_split")

    def __init__(self, blob: bytes, calls: int) -> None:
        self._blob = blob
        self._calls = calls
        self._split: list[dict[str, torch.Tensor]] | None = None

    def of(self, index: int) -> dict[str, torch.Tensor] | None:
        """Call `index`'s tensors by their own names; None if the bytes do not make tensors after all."""
        if self._split is None:
            try:
                tensors = channel.tensors_of(self._blob)
            except channel.ChannelError:
                self._split = []  # no call has tensors: every answer of this frame is malformed
            else:
                self._split = [{} for _ in range(self._calls)]
                for name, tensor in tensors.items():
                    call, _, own = name.partition("/")
                    if call.isdigit() and int(call) < self._calls:
                        self._split[int(call)][own] = tensor
            self._blob = b""
        return self._split[index] if index < len(self._split) else None


def _index(answers: Answers, ids: Ids, keys: list[tuple[Any, ...]], batch: list[Any], blob: bytes,
           digest: bytes) -> None:
    tensors = FrameTensors(blob, len(keys))
    for index, (key, facts) in enumerate(zip(keys, batch)):
        answers.setdefault(key, deque()).append((facts, tensors, index))
        ids.setdefault(key, deque()).append((digest, index))


def _observed(answer: tuple[dict[str, Any], FrameTensors, int]) -> Observation:
    facts, tensors, index = answer
    out = tensors.of(index) if isinstance(facts, dict) else None
    if out is None:
        return {"error": {"type": "ProtocolError", "message": "malformed answer"}}, {}
    return facts, out


class PlannedSession:
    """A check session for one function: planned answers first, a live check child for anything else."""

    def __init__(self, function: str, answers: Answers, ids: Ids, open_live: Callable[[], CheckSession | None]
                 ) -> None:
        self.function = function
        self.answers = answers
        self.ids = ids
        self._open_live = open_live
        self.live: CheckSession | None = None
        self._fault: SandboxFault | None = None
        self.deadline = 0.0
        self.live_calls = 0  # in the current check: only then may student code have left something running
        self._log: list[tuple[Request, bytes]] | None = None  # the live calls of the check being judged

    def planned(self, key: tuple[Any, ...]) -> Observation | None:
        """The next planned answer to this request; its last one again when asked once more (hypothesis, shrinking
        a failure, runs the examples before it again: the same call on the same input, answered once)."""
        queue = self.answers.get(key)
        if not queue:
            return None
        if len(queue) > 1:
            self.ids[key].popleft()
            return _observed(queue.popleft())
        return _observed(queue[0])

    def judge(self, check: Check, run: Callable[[Check, PlannedSession], Outcome]) -> Outcome:
        """run(check, self), or the verdict this check gave earlier in this process on answers that were the same
        bytes, with the same answers taken from the queues as that run took. A check's live calls (a failing
        public check, shrinking) go to a fresh child of the loaded process; a verdict that read live answers
        holds only if those calls, made again at once in a fresh child, answer the same bytes; else the check
        runs afresh, in another fresh child."""
        if self.live is not None:  # each check's live calls go to a child of their own, so they can be made again
            self.live.close()
            self.live = None
        readable = (check.id, tuple(tuple(queue) for queue in self.ids.values()))
        known = _verdicts.get(readable)
        if known is None and _shared is not None:
            known = _shared.get(readable)
            if known is not None and len(_verdicts) < REMEMBERED_CAP:
                _verdicts[readable] = known
        if known is not None and self._confirmed(check, known[2]):
            outcome, lengths, _ = known
            for queue, ids, length in zip(self.answers.values(), self.ids.values(), lengths):
                while len(queue) > length:
                    queue.popleft()
                    ids.popleft()
            return dataclasses.replace(outcome, detail=dict(outcome.detail))
        self._log = []
        try:
            outcome = run(check, self)
        finally:
            log, self._log = self._log, None
        if outcome.kind not in {"timeout", "crash"} and len(_verdicts) < REMEMBERED_CAP:
            _verdicts[readable] = (dataclasses.replace(outcome, detail=dict(outcome.detail)),
                                   tuple(len(queue) for queue in self.answers.values()), tuple(log or ()))
            if _shared is not None:
                _shared.put(readable, _verdicts[readable])
        return outcome

    def _confirmed(self, check: Check, calls: tuple[tuple[Request, bytes], ...]) -> bool:
        """Whether the live calls a remembered verdict made answer the same bytes now, asked in one batch of a
        fresh child (none made: nothing to ask). If not, that child goes, and the check runs in a new one."""
        if not calls:
            return True
        self.deadline = time.monotonic() + check.timeout
        try:
            answers = self.call_many([request for request, _ in calls])
        except SandboxFault:
            answers = []
        if list(map(_answer_digest, answers)) == [digest for _, digest in calls]:
            return True
        if self.live is not None:
            self.live.close()
            self.live = None
        return False

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
        if self.live is None:
            self.live = self._open_live()
            if self.live is None:
                self._fault = SandboxFault("crash", "its process ended without answering")
                raise self._fault
        self.live.deadline = self.deadline
        self.live_calls += 1
        return self.live

    def call(self, probe: str, params: dict[str, Any], tensors: dict[str, torch.Tensor]) -> Observation:
        answer = self._session().call(probe, params, tensors)
        if self._log is not None:
            self._log.append(((probe, params, tensors), _answer_digest(answer)))
        return answer

    def call_many(self, requests: list[Request]) -> list[Observation]:
        answers = self._session().call_many(requests)
        if self._log is not None:
            self._log.extend(zip(requests, map(_answer_digest, answers)))
        return answers

    def close(self) -> None:
        if self.live is not None:
            self.live.close()
