"""The grader's handle on the sandbox: the zygote, submission processes and check sessions.

All deadlines are enforced from here, outside the student's processes: a check that does not
answer in time has its whole submission process tree SIGKILLed by the zygote, and a zygote that
does not answer is killed with its bubblewrap PID namespace. Nothing that comes back is trusted
beyond being data that fits `autograder.channel`'s caps.
"""

from __future__ import annotations

import select
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import torch

from autograder import channel
from autograder.trusted import launch
from autograder.trusted.profile import phase
from autograder.untrusted import deferred_dynamo, probes

OUTPUT_CAP = 64 * 1024
SESSION_START_TIMEOUT = 10.0  # a fork and the reference helpers' definitions: milliseconds when healthy


class SandboxFault(Exception):
    """The student's process did not answer: it hung, crashed or exited."""

    def __init__(self, kind: str, message: str, ko: str = "") -> None:
        super().__init__(message)
        self.kind = kind  # "timeout" | "crash"
        self.ko = ko or message  # the same fact in Korean, where a note shows it


class OutputCollector(threading.Thread):
    """Drains a submission's stdout+stderr: keeps the first OUTPUT_CAP bytes, counts the rest."""

    def __init__(self, sock: socket.socket) -> None:
        super().__init__(daemon=True)
        self.sock = sock
        self.kept = bytearray()
        self.total = 0

    def run(self) -> None:
        with self.sock:
            while True:
                try:
                    chunk = self.sock.recv(1 << 16)
                except OSError:
                    return
                if not chunk:
                    return
                self.total += len(chunk)
                room = OUTPUT_CAP - len(self.kept)
                if room > 0:
                    self.kept += chunk[:room]

    def text(self) -> str:
        text = self.kept.decode("utf-8", errors="replace")
        if self.total > len(self.kept):
            text += f"\n[... {self.total - len(self.kept)} more bytes of output dropped]"
        return text


@dataclass
class LoadReport:
    """What running the submission's top-level code produced, as the sandbox reported it."""

    errors: list[dict[str, Any]] = field(default_factory=list)
    functions: dict[str, Any] = field(default_factory=dict)
    fault: SandboxFault | None = None
    last_cell: int | None = None


_warmed = False


def _warm_while_waiting(control: socket.socket) -> None:
    """Once per grading process, while a booting zygote has not answered yet: pay torch's lazy first-use
    costs here, not later in the first reference training run a check makes, after the sandbox has answered.
    torch._dynamo, which the first optimizer step would import (0.9 s), is deferred either way
    (autograder/untrusted/deferred_dynamo.py)."""
    global _warmed
    if _warmed:
        return
    _warmed = True
    deferred_dynamo.defer()
    if select.select([control], [], [], 0)[0]:
        return  # the zygote is ready: grading goes first
    probes.warm_up()  # the zygote's own warm-up, here for the reference's training runs


def mark_warm() -> None:
    """This process paid torch's first-use costs already (autograder.trusted.warm)."""
    global _warmed
    _warmed = True


class Sandbox:
    """One warm zygote. `isolate=False` (or no bubblewrap) runs it as a plain child, with a warning."""

    def __init__(self, *, isolate: bool = True, memory_mb: int = 1536, zygote: launch.Zygote | None = None) -> None:
        """`zygote`: one already started (`launch.start_zygote`), so it boots while the grader imports."""
        self.memory_mb = memory_mb
        self._isolate = isolate
        self.zygote = zygote or launch.start_zygote(isolate=isolate)

    def _request(self, header: dict[str, Any], fds: list[int] | None = None) -> dict[str, Any]:
        channel.send(self.zygote.control, header, fds=fds)
        _warm_while_waiting(self.zygote.control)
        reply, _, _ = channel.receive(self.zygote.control, deadline=time.monotonic() + 60)
        return reply

    def spawn(self, fds: list[int]) -> int:
        """A new submission process; restarts the zygote once if a student killed it."""
        for attempt in range(2):
            try:
                return int(self._request({"op": "spawn"}, fds)["pid"])
            except (channel.ChannelError, TimeoutError, OSError, KeyError, ValueError):
                if attempt:
                    raise
                self.restart()
        raise AssertionError("unreachable")

    def kill(self, pid: int) -> None:
        try:
            self._request({"op": "kill", "pid": pid})
        except (channel.ChannelError, TimeoutError, OSError):
            self.restart()  # the zygote itself is gone or wedged: the whole namespace goes with it

    def restart(self) -> None:
        self.close()
        self.zygote = launch.start_zygote(isolate=self._isolate)

    def close(self) -> None:
        self.zygote.close()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SubmissionProcess:
    """One loaded submission in the sandbox; each function's checks get a fresh fork of it."""

    def __init__(self, sandbox: Sandbox, load_request: dict[str, Any], load_timeout: float) -> None:
        self.sandbox = sandbox
        ours, theirs = socket.socketpair()
        out_ours, out_theirs = socket.socketpair()
        self.pid = sandbox.spawn([theirs.fileno(), out_theirs.fileno()])
        theirs.close()
        out_theirs.close()
        self.sock = ours
        self.output = OutputCollector(out_ours)
        self.output.start()
        self.alive = True
        self.report = self._load(load_request, load_timeout)

    def _load(self, request: dict[str, Any], timeout: float) -> LoadReport:
        report = LoadReport()
        deadline = time.monotonic() + timeout
        try:
            channel.send(self.sock, {**request, "memory_mb": self.sandbox.memory_mb})
            while True:
                header, _, _ = channel.receive(self.sock, deadline=deadline)
                if header.get("event") == "cell":
                    report.last_cell = header.get("index")
                elif header.get("event") == "loaded":
                    report.errors = list(header.get("errors") or [])
                    report.functions = dict(header.get("functions") or {})
                    return report
        except TimeoutError:
            report.fault = SandboxFault("timeout", f"the code did not finish running within {timeout:g} s",
                                        f"{timeout:g}초 안에 끝나지 않음")
        except (channel.ChannelError, OSError) as exc:
            report.fault = SandboxFault("crash", f"the process ended while running the code ({exc})")
        self.kill()
        return report

    def session(self, request: dict[str, Any] | bytes, function: str = "") -> CheckSession:
        """A fresh check child, once it says it is ready; SandboxFault if this process is gone.
        `request` may be a frame made once by channel.encode (the plan, see autograder/trusted/planned.py).

        Student code may have killed it (`os.kill(os.getppid(), 9)` in an earlier check): the
        grader then loads the submission again rather than blame the next function.
        """
        ours, theirs = socket.socketpair()
        try:
            channel.send(self.sock, request, fds=[theirs.fileno()])
            header, _, _ = channel.receive(ours, deadline=time.monotonic() + SESSION_START_TIMEOUT)
            if header.get("ready") is not True:
                raise channel.ChannelError("no ready message")
        except (channel.ChannelError, TimeoutError, OSError) as exc:
            ours.close()
            self.kill()
            raise SandboxFault("crash", f"the submission's process did not start a check ({exc})") from None
        finally:
            theirs.close()
        named = request.get("function", "") if isinstance(request, dict) else ""
        return CheckSession(self, ours, function or str(named))

    def sweep(self) -> int | None:
        """After a check: every process it started is killed (the function's child stays); how many.
        None: this process is gone (student code killed it, or a timeout did)."""
        if not self.alive:
            return None
        try:
            channel.send(self.sock, {"op": "sweep"})
            reply, _, _ = channel.receive(self.sock, deadline=time.monotonic() + SESSION_START_TIMEOUT)
            killed = reply.get("killed")
            if reply.get("swept") is not True or not isinstance(killed, int):
                raise channel.ChannelError("no sweep reply")
            return killed
        except (channel.ChannelError, TimeoutError, OSError):
            self.kill()
            return None

    def kill(self) -> None:
        if self.alive:
            self.alive = False
            self.sandbox.kill(self.pid)
        self.sock.close()


class CheckSession:
    """Probe calls into one forked child answering one function's checks; each check sets its deadline."""

    def __init__(self, owner: SubmissionProcess, sock: socket.socket, function: str) -> None:
        self.owner = owner
        self.sock = sock
        self.function = function
        self.fault: SandboxFault | None = None
        self.deadline = 0.0
        self.threads = 1  # the child's threads at its last answer: more means student code left one running

    def call(self, probe: str, params: dict[str, Any], tensors: dict[str, torch.Tensor]
             ) -> tuple[dict[str, Any], dict[str, torch.Tensor]]:
        header, out = self._exchange({"probe": probe, "params": params}, tensors)
        facts = header.get("facts")
        return (facts if isinstance(facts, dict) else {"error": {"type": "ProtocolError",
                                                                 "message": "malformed answer"}}), out

    def call_many(self, requests: list[tuple[str, dict[str, Any], dict[str, torch.Tensor]]]
                  ) -> list[tuple[dict[str, Any], dict[str, torch.Tensor]]]:
        """Several probe calls in one round trip (tensor names are prefixed with the call's index)."""
        batch, tensors = [], {}
        for i, (probe, params, args) in enumerate(requests):
            batch.append({"probe": probe, "params": params, "tensors": list(args)})
            tensors.update({f"{i}/{name}": value for name, value in args.items()})
        header, out = self._exchange({"batch": batch}, tensors)
        answers = header.get("batch")
        if not isinstance(answers, list) or len(answers) != len(requests):
            answers = [None] * len(requests)
        results = []
        for i, facts in enumerate(answers):
            mine = {name.split("/", 1)[1]: t for name, t in out.items() if name.split("/", 1)[0] == str(i)}
            results.append((facts, mine) if isinstance(facts, dict) else (
                {"error": {"type": "ProtocolError", "message": "malformed answer"}}, {}))
        return results

    def frame(self, deadline: float, digest: Any = None) -> tuple[dict[str, Any], bytes] | None:
        """The plan's next frame (one check's answers) with its tensors still as bytes (channel.tensors_of), all
        its bytes fed to `digest`; None when late (self.fault says) or gone."""
        try:
            with phase("planned answers (incl. the student's calls)"):
                header, blob = channel.receive_raw(self.sock, deadline=deadline, digest=digest)
        except TimeoutError:
            self.fault = SandboxFault("timeout", "it did not return in time")
            return None
        except (channel.ChannelError, OSError) as exc:
            self.fault = SandboxFault("crash", f"its process ended without answering ({exc})")
            return None
        return header, blob

    def _exchange(self, header: dict[str, Any], tensors: dict[str, torch.Tensor]
                  ) -> tuple[dict[str, Any], dict[str, torch.Tensor]]:
        if self.fault:
            raise self.fault
        try:
            with phase("probe round trips (incl. the student's calls)"):
                channel.send(self.sock, header, tensors)
                reply, out, _ = channel.receive(self.sock, deadline=self.deadline)
            threads = reply.get("threads")
            self.threads = threads if isinstance(threads, int) else self.threads
        except TimeoutError:
            self.fault = SandboxFault("timeout", "it did not return in time")
            self.owner.kill()
            raise self.fault from None
        except (channel.ChannelError, OSError) as exc:
            self.fault = SandboxFault("crash", f"its process ended without answering ({exc})")
            raise self.fault from None
        return reply, out

    def close(self) -> None:
        self.sock.close()
