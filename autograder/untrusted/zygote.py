"""The warm parent: imports torch once, then forks a process per submission.

Run as `python -m autograder.untrusted.zygote FD LABEL [--uid N]` (inside bubblewrap when
available), FD being the control socket; LABEL only marks the command line of every process
forked from here. With --uid (the grader runs as root) it becomes that real, unprivileged user
once torch is imported, so the kernel's per-user process limit binds every student process.
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

import ctypes  # noqa: E402
import importlib.abc  # noqa: E402
import resource  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot  # noqa: E402, F401  (warm: notebooks plot)
import torch  # noqa: E402

from autograder import channel  # noqa: E402
from autograder.untrusted import probes, processes, submission  # noqa: E402


def kill_tree(pid: int, live: set[int]) -> None:
    """SIGKILL a submission's process group and tree, then any orphan that escaped to us."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass
    processes.kill_descendants(spare=live)


class RefuseTrustedImports(importlib.abc.MetaPathFinder):
    """Defence in depth where bubblewrap is missing: the reference and the checks do not import here.

    Under bubblewrap they are not even in the file system; without it a determined student could
    still read the files, which is why `--no-isolation` warns.
    """

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name.split(".")[0] == "solutions" or name.startswith("autograder.trusted"):
            raise ImportError(f"{name} is not available to submissions")
        return None


# Every process and thread of this sandbox together: the zygote, one submission, one check child
# and whatever torch starts. A fork bomb stops here (EAGAIN) instead of filling the machine.
MAX_PROCESSES = 64
_PR_SET_NO_NEW_PRIVS = 38


def drop_privileges(uid: int) -> None:
    """Become a real unprivileged user with a process limit (RLIMIT_NPROC does not bind root).

    bubblewrap left this process only CAP_SETUID and CAP_SETGID; setuid to a non-root user
    clears those too, and no_new_privs keeps any set-uid file from giving them back.
    """
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
    resource.setrlimit(resource.RLIMIT_NPROC, (MAX_PROCESSES, MAX_PROCESSES))
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _fork(live: set[int]) -> int:
    """os.fork, waiting briefly while a killed submission's processes still count against the limit."""
    for _ in range(250):
        try:
            return os.fork()
        except BlockingIOError:
            processes.kill_descendants(spare=live)
            time.sleep(0.004)
    return os.fork()


def serve(control: socket.socket, uid: int | None) -> None:
    sys.meta_path.insert(0, RefuseTrustedImports())
    torch.set_num_threads(1)
    probes.warm_up()
    if uid is not None:
        drop_privileges(uid)
    processes.become_subreaper()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    live: set[int] = set()
    while True:
        try:
            header, _, fds = channel.receive(control, max_fds=2)
        except channel.ChannelError:
            return
        if header.get("op") == "spawn":
            try:
                pid = _fork(live)
            except OSError as exc:
                for fd in fds:
                    os.close(fd)
                channel.send(control, {"error": f"cannot start a process: {exc}"})
                continue
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
    serve(socket.socket(fileno=int(sys.argv[1])),
          int(sys.argv[sys.argv.index("--uid") + 1]) if "--uid" in sys.argv else None)
