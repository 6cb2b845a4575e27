"""The warm parent: imports torch once, then forks a process per submission.

Run as `python -m autograder.untrusted.zygote FD LABEL` (inside bubblewrap when available), FD
being the control socket; LABEL only marks the command line of every process forked from here.
It never runs student code itself and never sees the reference.
Requests: {"op": "spawn"} with two fds (submission socket, output socket) -> {"pid": n};
{"op": "kill", "pid": n} -> {"killed": n}, which kills that submission's whole process tree.
"""

from __future__ import annotations

import os

# Before torch is imported: forked children of a multi-threaded OpenMP parent deadlock.
os.environ["OMP_NUM_THREADS"] = "1"
os.environ["MKL_NUM_THREADS"] = "1"
os.environ.setdefault("MPLBACKEND", "Agg")

import importlib.abc  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot  # noqa: E402, F401  (warm: notebooks plot)
import torch  # noqa: E402

from autograder import channel  # noqa: E402
from autograder.untrusted import probes, submission  # noqa: E402


def _parents() -> dict[int, int]:
    """pid -> parent pid of every living process we can see (only the sandbox's, in a PID namespace)."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    state, parent = f.read().rsplit(")", 1)[1].split()[:2]
            except (OSError, ValueError):
                continue
            if state != "Z":
                parents[int(entry)] = int(parent)
    return parents


def _tree(root: int, parents: dict[int, int]) -> list[int]:
    found, todo = [], [root]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(pid for pid, parent in parents.items() if parent == current)
    return found


def kill_tree(pid: int, live: set[int]) -> None:
    """SIGKILL a submission's process group and tree, then any orphan that escaped to us."""
    me = os.getpid()
    for _ in range(100):
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass
        parents = _parents()
        strays = [p for p, parent in parents.items() if parent == me and p not in live]
        victims = [p for p in _tree(pid, parents) if p in parents] + strays
        for victim in victims:
            try:
                os.kill(victim, signal.SIGKILL)
            except OSError:
                pass
        if not victims:
            return
        time.sleep(0.002)


class RefuseTrustedImports(importlib.abc.MetaPathFinder):
    """Defence in depth where bubblewrap is missing: the reference and the checks do not import here.

    Under bubblewrap they are not even in the file system; without it a determined student could
    still read the files, which is why `--no-isolation` warns.
    """

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name.split(".")[0] == "solutions" or name.startswith("autograder.trusted"):
            raise ImportError(f"{name} is not available to submissions")
        return None


def serve(control: socket.socket) -> None:
    sys.meta_path.insert(0, RefuseTrustedImports())
    torch.set_num_threads(1)
    probes.warm_up()
    submission._become_subreaper()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    live: set[int] = set()
    while True:
        try:
            header, _, fds = channel.receive(control, max_fds=2)
        except channel.ChannelError:
            return
        if header.get("op") == "spawn":
            pid = os.fork()
            if pid == 0:
                control.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                submission.main(socket.socket(fileno=fds[0]), fds[1])
            for fd in fds:
                os.close(fd)
            live.add(pid)
            channel.send(control, {"pid": pid})
        elif header.get("op") == "kill":
            pid = int(header["pid"])
            live.discard(pid)
            kill_tree(pid, live)
            channel.send(control, {"killed": pid})


if __name__ == "__main__":
    serve(socket.socket(fileno=int(sys.argv[1])))
