"""The warm parent: imports torch once, then forks a process per submission.

Run as `python -m autograder.untrusted.zygote FD LABEL [--uid N]` (inside bubblewrap when
available), FD being the control socket; LABEL only marks the command line of every process
forked from here. With --uid (the grader runs as root) each submission process becomes that
real, unprivileged user before any student code runs, so the kernel's per-user process limit
binds it and it cannot signal the zygote. The zygote never runs student code itself and never
sees the reference.
Requests: {"op": "spawn"} with two fds (submission socket, output socket) -> {"pid": n};
{"op": "kill", "pid": n} -> {"killed": n}, which kills that submission's whole process tree.
"""

from __future__ import annotations

import os
import sys

# Before torch is imported: forked children of a multi-threaded OpenMP parent deadlock.
os.environ["OMP_NUM_THREADS"] = "1"
os.environ["MKL_NUM_THREADS"] = "1"
os.environ.setdefault("MPLBACKEND", "Agg")
# `python -m` put the working directory first on sys.path: under bubblewrap that is /tmp, where
# student code can write, so a planted torch.py or numpy.py would shadow the real one.
sys.path[:] = [p for p in sys.path if p not in ("", os.getcwd())]

import gc  # noqa: E402
import importlib.abc  # noqa: E402
import resource  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402

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


# Every process and thread of one submission together: itself, one check child and whatever torch
# starts. A fork bomb stops here (EAGAIN) instead of filling the machine.
MAX_PROCESSES = 64


def drop_privileges(uid: int) -> None:
    """In a new submission process: become a real unprivileged user with a process limit.

    The zygote stays uid 0 with only CAP_SETUID, CAP_SETGID and CAP_KILL (bubblewrap dropped the
    rest), so student code can signal neither it nor bubblewrap, while it can kill theirs.
    setuid to a non-root user clears those capabilities here, no_new_privs keeps any set-uid
    file from giving them back, and RLIMIT_NPROC binds a real non-root uid only.
    """
    resource.setrlimit(resource.RLIMIT_NPROC, (MAX_PROCESSES, MAX_PROCESSES))
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
    processes.prctl_on(processes.PR_SET_NO_NEW_PRIVS)


def serve(control: socket.socket, uid: int | None, *, private_tmp: bool) -> None:
    sys.meta_path.insert(0, RefuseTrustedImports())
    torch.set_num_threads(1)
    probes.warm_up()
    gc.freeze()
    processes.become_subreaper()
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
                if uid is not None:
                    drop_privileges(uid)
                submission.main(socket.socket(fileno=fds[0]), fds[1], private_tmp=private_tmp)
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
          int(sys.argv[sys.argv.index("--uid") + 1]) if "--uid" in sys.argv else None,
          private_tmp="--private-tmp" in sys.argv)
